// restschema/binding/impl/request.hpp - the template body of bind<Endpoint>().
//
// One line per endpoint: the endpoint's constants and its request's runtime
// description go to bind_value(), which validates, reads the parameters,
// encodes the body and lays it all out as HTTP without templates, compiled
// once (binding/impl/request.ipp).
#pragma once

#include <restschema/binding/request.hpp>
#include <restschema/codec.hpp>
#include <restschema/detail/config.hpp>
#include <restschema/detail/runtime_type.hpp>
#include <restschema/impl/validate.hpp> // endpoint_checks
#include <restschema/validate.hpp>

#include <boost/json/value.hpp>

#include <span>

namespace restschema::binding {
namespace detail {

/// One path, query or header parameter as text.
struct param_value {
    location in;
    std::string_view wire;
    std::string text;
    bool sensitive;
};

/// What an endpoint is on the wire, without templates.
struct endpoint_wire {
    std::string_view id;
    std::string_view method;
    std::string_view path;
    std::span<std::string_view const> auth;    ///< the endpoint's auth scheme ids
    std::span<auth_scheme const> service_auth; ///< every scheme of the service
    std::span<const_param const> constants;
    std::span<field_meta const> request_fields;
    restschema::detail::endpoint_checks checks; ///< the service's versions, the endpoint's bounds
    version_location version_in = version_location::path;
    std::string_view version_name;    ///< the header or query parameter of the version
    bool idempotent = false;          ///< its calls may be retried
    std::string_view idempotency_key; ///< header of a key per call, "" when none
    body_format request_format = body_format::json;
    std::string_view request_media_type = "application/json"; ///< Content-Type of the body
    std::string_view accept = "application/json";             ///< the Accept header
    std::span<body_format const> formats = json_only;         ///< response formats, the default first
    format_selection format_in = format_selection::accept;    ///< how the client picks one
    std::string_view format_param = "format"; ///< the path placeholder (format_selection::path)
};

template <class Endpoint>
inline constexpr endpoint_wire endpoint_wire_of{
    Endpoint::id,
    Endpoint::method,
    Endpoint::path,
    Endpoint::auth,
    Endpoint::service::auth,
    Endpoint::constants,
    type_info<typename Endpoint::request>::fields,
    restschema::detail::endpoint_checks_of<Endpoint>,
    version_in_of<typename Endpoint::service>(),
    version_name_of<typename Endpoint::service>(),
    idempotent_of<Endpoint>(),
    idempotency_key_of<Endpoint>(),
    request_format_of<Endpoint>(),
    request_media_type_of<Endpoint>(),
    accept_of<Endpoint>(),
    response_formats_of<Endpoint>(),
    format_in_of<Endpoint>(),
    format_param_of<Endpoint>(),
};

/// Lays the parts out as HTTP: credentials by scheme, constants, the
/// expanded path, the query, headers and the body with its redacted twin.
RESTSCHEMA_DECL result<wire_request> assemble(endpoint_wire const& ep, bind_context const& ctx,
                                              std::vector<problem> problems, std::vector<param_value> params,
                                              std::vector<std::string> sensitive_values,
                                              restschema::detail::runtime_type const* body_type,
                                              void const* request);

/// Validates the request, collects its path, query and header parameters as
/// text and its sensitive values, then assemble()s it.
RESTSCHEMA_DECL result<wire_request> bind_value(endpoint_wire const& ep,
                                                restschema::detail::runtime_type const& t,
                                                void const* request, bind_context const& ctx);

} // namespace detail

template <class Endpoint>
result<wire_request> bind(typename Endpoint::request const& request, bind_context const& ctx)
{
    // Everything but the descriptor's constants is one function for every
    // endpoint: it reads the request through its runtime description.
    return detail::bind_value(detail::endpoint_wire_of<Endpoint>,
                              restschema::detail::runtime_type_of<typename Endpoint::request>, &request, ctx);
}

} // namespace restschema::binding

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/binding/impl/request.ipp>
#endif
