// restschema/impl/codec.hpp - the template halves of restschema/codec.hpp.
//
// They only hand the type's runtime description (detail/runtime_type.hpp) and
// the object's address to the non-template codec in impl/codec.ipp, so a type
// costs its constant tables and a few one-line accessors, not a codec of its own.
#pragma once

#include <restschema/codec.hpp>
#include <restschema/detail/config.hpp>
#include <restschema/detail/runtime_type.hpp>

#include <boost/json/value.hpp>

namespace restschema {
namespace detail {

/// Decodes `text` into `*out` (value-initialized) without a DOM; where a key
/// the schema knows repeats, the last occurrence wins (as in Boost.JSON's DOM
/// and Python's json), and the earlier ones' problems are forgotten.
RESTSCHEMA_DECL result<void> decode_text(runtime_type const& t, void* out, std::string_view text,
                                         decode_options const& opt);

/// Parses `text` into a DOM as boost::json::parse does, but with correctly
/// rounded doubles (as the direct path reads them), the depth limit of `opt`
/// and the direct path's syntax error text.
RESTSCHEMA_DECL result<boost::json::value> parse_json_text(std::string_view text, decode_options const& opt);

/// Decodes a DOM into `*out` (value-initialized).
RESTSCHEMA_DECL result<void> decode_dom(runtime_type const& t, void* out, boost::json::value const& jv,
                                        decode_options const& opt);

/// Appends the JSON text of `*in` to `out`. `redact`: sensitive fields are
/// written as "***" (the body that logs show).
RESTSCHEMA_DECL result<void> encode_text(runtime_type const& t, void const* in, std::string& out,
                                         bool redact = false);

/// The DOM of `*in`; throws restschema::exception where encode_text fails.
RESTSCHEMA_DECL boost::json::value encode_dom(runtime_type const& t, void const* in);

} // namespace detail

template <class T>
result<std::string> try_serialize(T const& value)
{
    std::string out;
    if (auto r = detail::encode_text(detail::runtime_type_of<T>, &value, out); !r)
        return r.error();
    return out;
}

template <class T>
boost::json::value to_json(T const& value)
{
    return detail::encode_dom(detail::runtime_type_of<T>, &value);
}

template <class T>
result<T> try_from_json(boost::json::value const& jv, decode_options const& opt)
{
    T out{};
    if (auto r = detail::decode_dom(detail::runtime_type_of<T>, &out, jv, opt); !r)
        return r.error();
    return out;
}

template <class T>
result<T> try_parse(std::string_view text, decode_options const& opt)
{
    T out{};
    if (auto r = detail::decode_text(detail::runtime_type_of<T>, &out, text, opt); !r)
        return r.error();
    return out;
}

} // namespace restschema

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/impl/codec.ipp>
#endif
