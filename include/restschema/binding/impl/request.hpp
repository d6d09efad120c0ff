// restschema/binding/impl/request.hpp - the template body of bind<Endpoint>().
//
// Kept small on purpose: the endpoint-dependent part reads the request's
// members (validation, parameter text, the JSON body); laying them out as
// HTTP is one non-template function, compiled once (binding/impl/request.ipp).
#pragma once

#include <restschema/binding/request.hpp>
#include <restschema/codec.hpp>
#include <restschema/detail/config.hpp>
#include <restschema/detail/params.hpp>
#include <restschema/detail/runtime_type.hpp>
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
};

/// One member of a request: a function of the member's type, shared by every
/// request that has a member of that type.
template <class M>
void collect(field_meta const& m, M const& member, std::vector<param_value>& params,
             std::vector<std::string>& sensitive)
{
    using restschema::detail::is_text_param_v;
    using restschema::detail::param_text;
    auto const* v = restschema::detail::value_ptr(member);
    if (!v)
        return;
    using V = std::remove_cvref_t<decltype(*v)>;
    if (m.in != location::body) {
        if constexpr (restschema::detail::is_vector<V>::value) {
            if constexpr (is_text_param_v<typename V::value_type>)
                for (auto const& item : *v) // a list parameter: one query key per item
                    params.push_back({m.in, m.wire, param_text(item), m.sensitive});
        } else if constexpr (is_text_param_v<V>) {
            params.push_back({m.in, m.wire, param_text(*v), m.sensitive});
        }
    }
    if constexpr (is_text_param_v<V>)
        if (m.sensitive)
            sensitive.push_back(param_text(*v));
}

template <class Endpoint>
inline constexpr endpoint_wire endpoint_wire_of{
    Endpoint::id,
    Endpoint::method,
    Endpoint::path,
    Endpoint::auth,
    Endpoint::service::auth,
    Endpoint::constants,
    type_info<typename Endpoint::request>::fields,
};

/// Lays the parts out as HTTP: credentials by scheme, constants, the
/// expanded path, the query, headers and the body with its redacted twin.
RESTSCHEMA_DECL result<wire_request> assemble(endpoint_wire const& ep, bind_context const& ctx,
                                              std::vector<problem> problems, std::vector<param_value> params,
                                              std::vector<std::string> sensitive_values,
                                              restschema::detail::runtime_type const* body_type,
                                              void const* request);

} // namespace detail

template <class Endpoint>
result<wire_request> bind(typename Endpoint::request const& request, bind_context const& ctx)
{
    using request_t = typename Endpoint::request;
    std::vector<problem> problems;
    if (auto v = validate_request<Endpoint>(request, ctx.api_version); !v) {
        problems = std::move(v.error().problems);
        if (problems.empty()) // a fault of the whole request, such as an unknown API version
            problems.push_back({"api_version", std::move(v.error().message)});
    }

    // One pass over the members (each pass is code per request type): path,
    // query and header parameters as text, and sensitive values to scrub.
    std::vector<detail::param_value> params;
    std::vector<std::string> sensitive;
    restschema::detail::for_each_field<request_t>(
        [&](auto d, field_meta const& m) { detail::collect(m, request.*d.pointer, params, sensitive); });
    bool has_body = false;
    for (auto const& f : type_info<request_t>::fields)
        has_body = has_body || f.in == location::body;
    // The body is encoded by assemble(), through the request type's runtime description.
    auto const* body_type =
        has_body && problems.empty() ? &restschema::detail::runtime_type_of<request_t> : nullptr;
    return detail::assemble(detail::endpoint_wire_of<Endpoint>, ctx, std::move(problems), std::move(params),
                            std::move(sensitive), body_type, &request);
}

} // namespace restschema::binding

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/binding/impl/request.ipp>
#endif
