// restschema/binding/response.hpp - from a success response to the endpoint's response type.
//
// The other half of the binding: the transport hands over the status and the
// body; decode_response<Endpoint>() unwraps the response envelope and decodes
// the payload into the generated type. Error responses are mapped without
// templates by make_api_error() (restschema/error_table.hpp).
#pragma once

#include <restschema/client_options.hpp> // response_format
#include <restschema/detail/config.hpp>
#include <restschema/error.hpp>
#include <restschema/error_table.hpp>
#include <restschema/reply.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace restschema::binding {

/// A response of the success family, as the transport delivers it.
struct wire_response {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; ///< as received, secrets masked
    /// The Link header fields as received, joined by ", ", secrets not masked:
    /// a next-page link is followed as the server wrote it (an API key in its
    /// query included). Read by the pager only; never logged or put in an error.
    std::string links{};
};

/// How to read a body: the format asked for (wire_request::format) and the
/// size bound of an XML body.
struct body_reading {
    response_format format{};
    std::size_t max_size = std::size_t(-1);
};

/// Decodes a success response into Endpoint's response type. A body that is
/// not JSON (or XML, when XML was asked for and the response's Content-Type
/// is not a JSON type), lacks the envelope member or does not match the
/// schema is an error of kind decode; every message is scrubbed of `secrets`.
template <class Endpoint>
[[nodiscard]] result<typename Endpoint::response> decode_response(wire_response const& response,
                                                                  std::vector<std::string> const& secrets,
                                                                  body_reading const& how = {});

/// The same, with the status and the headers: the ones the endpoint declares
/// typed (a declared header whose value does not parse, or a required one
/// missing, is an error of kind decode), and all of them as received.
template <class Endpoint>
[[nodiscard]] result<reply<Endpoint>>
decode_reply(wire_response response, std::vector<std::string> const& secrets, body_reading const& how = {});

namespace detail {
/// An API error whose body is XML, when XML was asked for: its code and
/// message read from the XML as make_api_error reads them from JSON (the
/// body itself is kept as received), scrubbed of `secrets` (which the XML
/// may have held escaped). Other errors are left as they are. Declared
/// here: the client calls it in both build modes.
RESTSCHEMA_DECL void read_xml_error(error& e, error_table_view const& table, body_reading const& how,
                                    std::vector<std::string> const& secrets);
} // namespace detail

} // namespace restschema::binding

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/binding/impl/response.hpp>
#endif
