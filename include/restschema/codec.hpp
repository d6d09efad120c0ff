// restschema/codec.hpp - one JSON codec for every described schema type.
//
// Text goes straight into generated types and back (try_parse, serialize):
// a JSON reader (detail/json_reader.hpp) drives a handler that reads the
// generated metadata, with no boost::json::value in between, and the encoder
// writes into the output string. For code that already holds a DOM, to_json and
// try_from_json do the same on a boost::json::value, with the same rules.
//
// Encoding writes the body fields of a described struct and leaves out absent
// ones (std::optional without a value, restschema::nullable that is absent);
// an explicit restschema::null is written as JSON null. NaN and infinity are
// refused (JSON has no such numbers), as is a string that is not valid UTF-8,
// and doubles take their shortest round-trip form (0.1, 1e+300).
//
// Decoding ignores keys the schema does not know at any depth (unless
// strict), accepts missing optional fields, accepts the extra JSON kinds a
// field's `accept:` allows, checks `exactly_one_of`, and reports every
// problem with its JSON path: `user.addresses[0].zip: expected string, found
// number`. The rules, shared by both paths:
//  - an integer field takes integer literals only: 12.0 and 1e3 are refused,
//    so a value is never rounded (9007199254740993.0 would be);
//  - a key the schema knows that appears twice: the last one wins, as in
//    Boost.JSON's DOM and Python's json;
//  - a value that a schema enum does not list reads as the enum's
//    `unrecognized` value (a server that adds a value does not break its
//    clients); strict decoding and request validation refuse it;
//  - text nested deeper than decode_options::max_depth is refused.
#pragma once

#include <restschema/error.hpp>
#include <restschema/meta.hpp>
#include <restschema/nullable.hpp>

// Compiled once, the declarations below need only the name of
// boost::json::value: include <boost/json/value.hpp> where you use one.
#if defined(RESTSCHEMA_SEPARATE_COMPILATION)
namespace boost::json {
class value;
}
#else
#include <boost/json/value.hpp>
#endif

#include <cstddef>
#include <string>
#include <string_view>

namespace restschema {

struct decode_options {
    /// Reject object keys that the schema does not describe, and null for
    /// fields that are not nullable (by default a null there reads as absent).
    bool strict = false;
    /// Prefix of every reported path, e.g. "user" when the body was `{"user": ...}`.
    std::string_view path{};
    /// Keep at most this many problems; the error's message says how many
    /// there were in all. 0 keeps none (decoding still fails).
    std::size_t max_problems = 32;
    /// The deepest nesting of arrays and objects the text may have, whether
    /// the schema knows the data or not (try_parse only: a DOM is already parsed).
    std::size_t max_depth = 128;
    /// A value that a schema enum does not list reads as its `unrecognized`
    /// value (where it has one); false refuses it, as strict does.
    bool accept_unrecognized = true;
    /// The body is an envelope, `{"<envelope>": value}`: decode that member and
    /// skip the others (try_parse only). Problems then start with `path`.
    std::string_view envelope{};
};

/// Encodes a described schema type (or any value type the schema uses) as
/// JSON text. For a request struct only its body parameters are written. The
/// error (kind validation) names the first value that JSON cannot hold: NaN,
/// infinity, a string that is not UTF-8, an enum value the schema does not list.
template <class T>
[[nodiscard]] result<std::string> try_serialize(T const& value);

/// As try_serialize; throws restschema::exception on failure.
template <class T>
[[nodiscard]] std::string serialize(T const& value)
{
    return try_serialize(value).value();
}

/// Encodes as try_serialize does, into a DOM; throws restschema::exception
/// where try_serialize fails.
template <class T>
[[nodiscard]] boost::json::value to_json(T const& value);

/// Decodes JSON into T; the error (kind decode) lists every problem with its path.
template <class T>
[[nodiscard]] result<T> try_from_json(boost::json::value const& jv, decode_options const& opt = {});

/// Decodes JSON into T; throws restschema::exception on failure.
template <class T>
[[nodiscard]] T from_json(boost::json::value const& jv, decode_options const& opt = {})
{
    return try_from_json<T>(jv, opt).value();
}

/// Decodes JSON text into T directly, without a DOM. A syntax error is
/// reported with its line, column and byte offset and what was found there;
/// decode problems as try_from_json reports them.
template <class T>
[[nodiscard]] result<T> try_parse(std::string_view text, decode_options const& opt = {});

/// As try_parse; throws restschema::exception on failure.
template <class T>
[[nodiscard]] T parse(std::string_view text, decode_options const& opt = {})
{
    return try_parse<T>(text, opt).value();
}

/// The service's error envelope, typed, decoded from an API error's whole
/// body: `error_body_of<attestr::service>(e)->code`. Service::error_body is
/// the generated struct, or boost::json::value for a service without an
/// envelope. Unknown keys are skipped; an error that is not an API error,
/// or a body that is not the envelope, is a decode error.
template <class Service>
[[nodiscard]] result<typename Service::error_body> error_body_of(error const& e)
{
    if (e.kind != error_kind::api)
        return detail::make_error(error_kind::decode, "no error body: the error is not an API error (" +
                                                          std::string(e.code().message()) + ")");
    return try_parse<typename Service::error_body>(e.whole_body.empty() ? std::string_view("null")
                                                                        : std::string_view(e.whole_body),
                                                   {.path = "error body"});
}

} // namespace restschema

// Compiled once (RESTSCHEMA_SEPARATE_COMPILATION), the definitions are
// instantiated for every generated type by the generated sources; include
// <restschema/impl/codec.hpp> yourself to use them with other types.
#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/impl/codec.hpp>
#endif
