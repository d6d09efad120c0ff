// restschema/meta.hpp - the constexpr vocabulary that generated code is written in.
//
// Generated headers describe every schema type and endpoint with the types
// below; the generic codec, validator, client and mock server read them and
// nothing else. Nothing here knows a particular API.
#pragma once

#include <concepts>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

namespace restschema {

/// Bumped when the shape of the generated code changes; generated headers
/// refuse to compile against a different value.
inline constexpr int generated_code_version = 8;

/// Where a request parameter travels.
enum class location : unsigned char { body, path, query, header };

/// Where a service's API version travels (client_options::api_version
/// fills it): the `{version}` path placeholder, a named header or query
/// parameter, or nowhere.
enum class version_location : unsigned char { path, header, query, none };

/// GET, HEAD, PUT, DELETE and OPTIONS: safe to send twice (RFC 9110).
[[nodiscard]] constexpr bool is_idempotent_method(std::string_view method) noexcept
{
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS";
}

/// Whether calls of an endpoint may be retried: its descriptor's
/// `idempotent`, else its method (GET, HEAD, PUT, DELETE, OPTIONS).
template <class E>
constexpr bool idempotent_of() noexcept
{
    if constexpr (requires { E::idempotent; })
        return E::idempotent;
    else
        return is_idempotent_method(E::method);
}
/// The header that carries an endpoint's idempotency key ("" when none).
template <class E>
constexpr std::string_view idempotency_key_of() noexcept
{
    if constexpr (requires { E::idempotency_key; })
        return E::idempotency_key;
    else
        return {};
}

/// How a body is written: JSON (application/json and the `+json` types),
/// application/x-www-form-urlencoded (flat key=value pairs, request bodies
/// only), or XML as Rails' to_xml writes it (application/xml, response and
/// error bodies only: read with <restschema/xml.hpp>).
enum class body_format : unsigned char { json, form, xml };

/// How a client tells an endpoint that speaks several response formats which
/// one it wants: the Accept header, or a path placeholder that takes the
/// format's name (Rails' `(.:format)`: `/users/12.xml`).
enum class format_selection : unsigned char { accept, path };

inline constexpr body_format json_only[] = {body_format::json};

/// The response formats an endpoint speaks (its descriptor's
/// `response_formats`, the first being its default), how the client picks
/// one (`format_in`) and, for format_selection::path, the placeholder
/// (`format_param`). A hand-written descriptor without them speaks JSON only.
template <class E>
constexpr std::span<body_format const> response_formats_of() noexcept
{
    if constexpr (requires { E::response_formats; })
        return E::response_formats;
    else
        return json_only;
}
template <class E>
constexpr format_selection format_in_of() noexcept
{
    if constexpr (requires { E::format_in; })
        return E::format_in;
    else
        return format_selection::accept;
}
template <class E>
constexpr std::string_view format_param_of() noexcept
{
    if constexpr (requires { E::format_param; })
        return E::format_param;
    else
        return "format";
}

/// The name of a format in paths and messages: "json", "form", "xml".
constexpr std::string_view body_format_name(body_format f) noexcept
{
    return f == body_format::xml ? "xml" : f == body_format::form ? "form" : "json";
}

/// The media types of an endpoint's bodies. A hand-written descriptor
/// without them speaks application/json throughout.
///   request_media_type: the Content-Type of its request body
///   request_format:     how that body is written
///   accept:             the one Accept header the client sends
///   response_media_type, error_media_type: what the server answers with
template <class E>
constexpr std::string_view request_media_type_of() noexcept
{
    if constexpr (requires { E::request_media_type; })
        return E::request_media_type;
    else
        return "application/json";
}
template <class E>
constexpr body_format request_format_of() noexcept
{
    if constexpr (requires { E::request_format; })
        return E::request_format;
    else
        return body_format::json;
}
template <class E>
constexpr std::string_view accept_of() noexcept
{
    if constexpr (requires { E::accept; })
        return E::accept;
    else
        return "application/json";
}
template <class E>
constexpr std::string_view response_media_type_of() noexcept
{
    if constexpr (requires { E::response_media_type; })
        return E::response_media_type;
    else
        return "application/json";
}
template <class E>
constexpr std::string_view error_media_type_of() noexcept
{
    if constexpr (requires { E::error_media_type; })
        return E::error_media_type;
    else
        return "application/json";
}

/// A service descriptor's `version_in` and `version_name`; a hand-written
/// descriptor without them keeps the version in the path.
template <class S>
constexpr version_location version_in_of() noexcept
{
    if constexpr (requires { S::version_in; })
        return S::version_in;
    else
        return version_location::path;
}
template <class S>
constexpr std::string_view version_name_of() noexcept
{
    if constexpr (requires { S::version_name; })
        return S::version_name;
    else
        return {};
}

/// Value formats that validation checks (requests) and docs describe.
enum class format : unsigned char {
    none,
    email,      ///< local@domain.tld
    e164,       ///< '+' then 1 to 15 digits, the first not 0
    unix_time,  ///< integer seconds since 1970-01-01T00:00:00Z
    date,       ///< RFC 3339 full-date, YYYY-MM-DD
    date_time,  ///< RFC 3339 date-time
    rails_time, ///< "YYYY/MM/DD HH:MM:SS +ZZZZ" (ActiveSupport's legacy JSON time)
    uri,        ///< absolute URI with a scheme
};

/// JSON kinds a field accepts besides its own type when decoding
/// (`accept:` in the schema), for APIs whose responses disagree with their docs.
enum accept_mask : unsigned char {
    accept_none = 0,
    accept_string = 1,  ///< a numeric field also accepts a string holding one ("42", "1.5")
    accept_integer = 2, ///< a string field also accepts an integer (kept as its decimal text)
    accept_number = 4,  ///< a string field also accepts any number
    accept_boolean = 8, ///< a string field also accepts true/false
};

/// Metadata of one member of a described struct. `member` is the C++ member
/// name exactly as given to BOOST_DESCRIBE_STRUCT; `wire` the JSON key (or
/// the parameter / header name for path, query and header parameters).
struct field_meta {
    std::string_view member;
    std::string_view wire;
    location in = location::body;
    bool required = false;
    bool nullable = false;
    bool sensitive = false; ///< redacted from logs and error text
    format fmt = format::none;
    unsigned char accept = accept_none;
    std::string_view min_version; ///< "" when unbounded
    std::string_view max_version; ///< "" when unbounded
};

/// Specialised by generated code for every schema type and request struct:
///   static constexpr std::string_view name;              // schema type name
///   static constexpr std::span<field_meta const> fields; // one per member
///   static constexpr std::span<std::string_view const> exactly_one_of; // may be empty
template <class T>
struct type_info;

template <class T>
concept schema_type = requires
{
    {
        type_info<T>::name
        } -> std::convertible_to<std::string_view>;
    type_info<T>::fields;
};

/// Specialised by generated code for every schema enum:
///   static constexpr std::span<std::string_view const> wire_names; // index = underlying value
///   static constexpr std::string_view name;
///   static constexpr E unrecognized; // optional: the value wire_names.size()
/// A response may carry a value the schema does not list yet (the server
/// added one); where the enum has `unrecognized`, a decoded response reads it
/// as that value instead of failing (decode_options::strict refuses it), and
/// validation refuses it in requests. Generated enums always have it.
template <class E>
struct enum_info;

template <class E>
concept schema_enum = requires
{
    enum_info<E>::wire_names;
};

/// Whether the schema enum E has an `unrecognized` value for values it does not list.
template <class E>
inline constexpr bool has_unrecognized = requires
{
    {
        enum_info<E>::unrecognized
        } -> std::convertible_to<E>;
};

/// Specialised by generated code for every request struct:
///   using type = <the endpoint descriptor>;
/// so that `client.call(request)` finds its endpoint.
template <class Request>
struct endpoint_of;

/// Looks a field up by C++ member name at compile time.
template <class T>
consteval field_meta const& field_of(std::string_view member)
{
    for (auto const& f : type_info<T>::fields)
        if (f.member == member)
            return f;
    throw "restschema: member has no field_meta (generated code out of date?)";
}

/// How credentials travel.
enum class auth_kind : unsigned char {
    http_basic_token, ///< Authorization: Basic <token as given>
    http_basic,       ///< Authorization: Basic base64(user:password)
    bearer,           ///< Authorization: Bearer <token>
    api_key,          ///< a named value in the path, query, a header or the body
};

struct auth_scheme {
    std::string_view id; ///< key of the credential in client options
    auth_kind kind;
    location in;           ///< api_key only
    std::string_view name; ///< parameter / header / body field name (api_key only)
};

/// One row of an error table. `code` is the API's own numeric code, or
/// `no_code` where the API only has an HTTP status.
inline constexpr std::int64_t no_code = INT64_MIN;

template <class E>
struct error_row {
    E value;
    int status;
    std::int64_t code;
    std::string_view name;
    std::string_view message;
    bool retryable;
};

/// Where the error envelope keeps its parts ("" when the API has none).
struct error_envelope {
    std::string_view code;
    std::string_view message;
    std::string_view details;
    bool details_has_format = false; ///< the details field has a format (a URI): free text does not fit
};

/// A constant parameter that the client always sends (Content-Type, a format suffix).
struct const_param {
    location in;
    std::string_view name;
    std::string_view value;
};

/// Docs text and examples of an endpoint, kept out of the wire descriptor so
/// that code calling the endpoint does not compile them. Specialised in the
/// generated `restschema/gen/<service>/<id>.extras.hpp` (only the mock server,
/// docs samples and tests include it; `restschema/gen/<service>.extras.hpp`
/// and `restschema/gen/all.extras.hpp` include every one of a service, of
/// all services):
///   static constexpr std::string_view title, summary;
///   static constexpr std::string_view request_example_json;      // "" when none
///   static constexpr std::string_view request_path_example_json; // "" when none
///   static constexpr std::string_view response_example_json;     // "" when none
///   static constexpr std::string_view error_example_json;        // "" when none
template <class Endpoint>
struct endpoint_docs;

/// Mock-only data of an endpoint (the schema's `mock:` block), in the same
/// generated extras header:
///   static constexpr std::string_view collection, key;  // "" when none
///   static constexpr bool has_not_found;
///   static constexpr typename Endpoint::error not_found;
///   static constexpr std::string_view owner_secret;     // "" when none
///   static constexpr typename Endpoint::error owner_secret_error;
///   static constexpr std::string_view seed_json;        // a JSON array
template <class Endpoint>
struct endpoint_mock;

/// Update semantics the schema states (used by the mock server and the docs).
struct update_semantics {
    bool present = false; ///< false: the schema says nothing
    bool absent_ignored = true;
    bool blank_truncates = false;
    bool lists_append = false;
    std::string_view item_key;     ///< "id"
    std::string_view item_destroy; ///< "_destroy"
};

/// What the client, the codec and validation need of an endpoint: its wire
/// contract, as static constexpr members. Every generated descriptor checks it
/// with a static_assert; a hand-written descriptor needs exactly these:
///   using service;  // the service descriptor (`restschema/gen/<service>/service.hpp`)
///   using request;  // the request struct (described, with a type_info)
///   using response; // the decoded success body (after `response_envelope`)
///   using error;    // enum of the error rows, with an enumerator `unknown`
///   static constexpr std::string_view id, method, path; // path: "/{version}/items/{id}"
///   static constexpr std::array<std::string_view, N> auth; // ids of service::auth schemes
///   static constexpr std::array<const_param, N> constants;
///   static constexpr int success_status;
///   static constexpr std::string_view response_envelope; // "" when the body is the value
///   static constexpr std::string_view min_version, max_version; // "" when unbounded
///   static constexpr std::array<error_row<error>, N> errors;
///   static constexpr update_semantics update;
/// Docs text, examples and mock data are not part of it: see endpoint_docs
/// and endpoint_mock.
template <class E>
concept endpoint_descriptor = requires
{
    typename E::service;
    typename E::request;
    typename E::response;
    requires std::is_enum_v<typename E::error>;
    {
        E::error::unknown
        } -> std::same_as<typename E::error>;
    {
        E::id
        } -> std::convertible_to<std::string_view>;
    {
        E::method
        } -> std::convertible_to<std::string_view>;
    {
        E::path
        } -> std::convertible_to<std::string_view>;
    std::span<std::string_view const>(E::auth);
    std::span<const_param const>(E::constants);
    typename std::integral_constant<int, E::success_status>; // also proves it constexpr
    {
        E::response_envelope
        } -> std::convertible_to<std::string_view>;
    {
        E::min_version
        } -> std::convertible_to<std::string_view>;
    {
        E::max_version
        } -> std::convertible_to<std::string_view>;
    std::span<error_row<typename E::error> const>(E::errors);
    {
        E::update
        } -> std::convertible_to<update_semantics>;
};

} // namespace restschema
