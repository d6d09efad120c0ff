// restschema/codec.hpp - one Boost.JSON codec for every described schema type.
//
// Encoding writes the body fields of a described struct and leaves out absent
// ones (std::optional without a value, restschema::nullable that is absent);
// an explicit restschema::null is written as JSON null. Decoding ignores keys
// the schema does not know (unless strict), accepts missing optional fields,
// accepts the extra JSON kinds a field's `accept:` allows, and reports every
// problem with its JSON path: `user.addresses[0].zip: expected string, found number`.
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

#include <string_view>

namespace restschema {

struct decode_options {
    /// Reject object keys that the schema does not describe, and null for
    /// fields that are not nullable (by default a null there reads as absent).
    bool strict = false;
    /// Prefix of every reported path, e.g. "user" when the body was `{"user": ...}`.
    std::string_view path{};
    /// Stop collecting after this many problems.
    std::size_t max_problems = 32;
};

/// Encodes a described schema type (or any value type the schema uses) as JSON.
/// For a request struct only its body parameters are written.
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

/// Parses text then decodes it; a syntax error is reported with its offset.
template <class T>
[[nodiscard]] result<T> try_parse(std::string_view text, decode_options const& opt = {});

} // namespace restschema

// Compiled once (RESTSCHEMA_SEPARATE_COMPILATION), the definitions are
// instantiated for every generated type by the generated sources; include
// <restschema/impl/codec.hpp> yourself to use them with other types.
#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/impl/codec.hpp>
#endif
