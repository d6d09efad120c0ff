// restschema/binding/impl/response.hpp - the template body of decode_response<Endpoint>().
#pragma once

#include <restschema/binding/response.hpp>
#include <restschema/codec.hpp>
#include <restschema/detail/config.hpp>

#include <boost/json/value.hpp>

namespace restschema::binding {
namespace detail {

/// Parses the body and finds the payload (the envelope member when there is
/// one). Not a template.
RESTSCHEMA_DECL result<boost::json::value> unwrap(std::string_view endpoint, std::string_view envelope,
                                                  wire_response const& response,
                                                  std::vector<std::string> const& secrets);

/// Prefixes a decode error with the endpoint and scrubs it.
RESTSCHEMA_DECL error decode_failed(error e, std::string_view endpoint, int status,
                                    std::vector<std::string> const& secrets);

} // namespace detail

template <class Endpoint>
result<typename Endpoint::response> decode_response(wire_response const& response,
                                                    std::vector<std::string> const& secrets)
{
    auto payload = detail::unwrap(Endpoint::id, Endpoint::response_envelope, response, secrets);
    if (!payload)
        return payload.error();
    auto decoded =
        try_from_json<typename Endpoint::response>(*payload, {.path = Endpoint::response_envelope});
    if (!decoded)
        return detail::decode_failed(std::move(decoded.error()), Endpoint::id, response.status, secrets);
    return decoded;
}

} // namespace restschema::binding

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/binding/impl/response.ipp>
#endif
