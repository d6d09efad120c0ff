// restschema/binding/impl/response.hpp - the template body of decode_response<Endpoint>().
#pragma once

#include <restschema/binding/response.hpp>
#include <restschema/codec.hpp>
#include <restschema/detail/config.hpp>

namespace restschema::binding {
namespace detail {

/// Prefixes a decode error with the endpoint, scrubs it and keeps the body
/// (capped, scrubbed) of a response that is not JSON.
RESTSCHEMA_DECL error decode_failed(error e, std::string_view endpoint, wire_response const& response,
                                    std::vector<std::string> const& secrets);

} // namespace detail

template <class Endpoint>
result<typename Endpoint::response> decode_response(wire_response const& response,
                                                    std::vector<std::string> const& secrets)
{
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
