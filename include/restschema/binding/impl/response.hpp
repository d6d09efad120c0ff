// restschema/binding/impl/response.hpp - the template body of decode_response<Endpoint>().
#pragma once

#include <restschema/binding/response.hpp>
#include <restschema/codec.hpp>
#include <restschema/detail/config.hpp>
#include <restschema/detail/runtime_type.hpp>

namespace restschema::binding {
namespace detail {

/// Prefixes a decode error with the endpoint, scrubs it and keeps the body
/// (capped, scrubbed) of a response that is not JSON.
RESTSCHEMA_DECL error decode_failed(error e, std::string_view endpoint, wire_response const& response,
                                    std::vector<std::string> const& secrets);

/// Reads the headers a schema declares into `out` (described by `t`): each
/// by name, case-insensitive, its text parsed as the member's type.
RESTSCHEMA_DECL result<void> decode_headers(restschema::detail::runtime_type const& t, void* out,
                                            wire_response const& response, std::string_view endpoint);

/// Whether to read the body as XML: XML was asked for and the response's
/// Content-Type is not a JSON type (a server may answer JSON anyway).
RESTSCHEMA_DECL bool reads_as_xml(wire_response const& response, body_reading const& how);

} // namespace detail

template <class Endpoint>
result<reply<Endpoint>> decode_reply(wire_response response, std::vector<std::string> const& secrets,
                                     body_reading const& how)
{
    auto value = decode_response<Endpoint>(response, secrets, how);
    if (!value)
        return std::move(value.error());
    reply<Endpoint> r;
    r.status = response.status;
    r.value = std::move(*value);
    if constexpr (!std::is_same_v<response_headers_t<Endpoint>, no_response_headers>)
        if (auto h = detail::decode_headers(restschema::detail::runtime_type_of<response_headers_t<Endpoint>>,
                                            &r.headers, response, Endpoint::id);
            !h)
            return std::move(h.error());
    r.raw_headers = std::move(response.headers);
    return r;
}

template <class Endpoint>
result<typename Endpoint::response> decode_response(wire_response const& response,
                                                    std::vector<std::string> const& secrets,
                                                    body_reading const& how)
{
    if (detail::reads_as_xml(response, how)) {
        typename Endpoint::response out{};
        if (auto r = how.format.decode_xml(
                restschema::detail::runtime_type_of<typename Endpoint::response>, &out, response.body,
                {.path = Endpoint::response_envelope, .envelope = Endpoint::response_envelope}, how.max_size);
            !r)
            return detail::decode_failed(std::move(r.error()), Endpoint::id, response, secrets);
        return out;
    }
    // Straight from the text; an empty body reads as JSON null.
    std::string_view const text = response.body.empty() ? std::string_view("null") : response.body;
    auto decoded = try_parse<typename Endpoint::response>(
        text, {.path = Endpoint::response_envelope, .envelope = Endpoint::response_envelope});
    if (!decoded)
        return detail::decode_failed(std::move(decoded.error()), Endpoint::id, response, secrets);
    return decoded;
}

} // namespace restschema::binding

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/binding/impl/response.ipp>
#endif
