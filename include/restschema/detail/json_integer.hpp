// restschema/detail/json_integer.hpp - an integer from JSON, as the codec and the mock read it.
#pragma once

#include <restschema/detail/type_traits.hpp> // kind_name
#include <restschema/meta.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace restschema::detail {

/// The value of an integer field: an int64 or uint64 within int64, a double
/// with no fraction (12.0, written by a sloppy encoder; 12.5 is not one) or,
/// where `accept` allows it, a string of digits. Otherwise nullopt and
/// `problem` says why, in the words of the codec's messages.
inline std::optional<std::int64_t> json_integer(boost::json::value const& jv, unsigned char accept,
                                                std::string& problem)
{
    if (jv.is_int64())
        return jv.get_int64();
    if (jv.is_uint64()) {
        if (jv.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            problem = "integer out of range";
            return std::nullopt;
        }
        return static_cast<std::int64_t>(jv.get_uint64());
    }
    if (jv.is_double()) {
        double const d = jv.get_double();
        if (!(std::trunc(d) == d && std::abs(d) < 9.2e18)) {
            problem = "expected integer, found number " + boost::json::serialize(jv);
            return std::nullopt;
        }
        return static_cast<std::int64_t>(d);
    }
    if (auto const* s = jv.if_string(); s && (accept & accept_string)) {
        std::int64_t v = 0;
        auto const* first = s->data();
        auto const* last = first + s->size();
        auto const [p, ec] = std::from_chars(first, last, v);
        if (ec != std::errc{} || p != last || first == last) {
            problem = "expected integer, found string \"" + std::string(s->data(), s->size()) +
                      "\" that is not one";
            return std::nullopt;
        }
        return v;
    }
    problem = std::string("expected integer, found ") + kind_name(jv.kind());
    return std::nullopt;
}

/// "path", "query", "header", "body": how messages name a location.
inline std::string location_name(location l)
{
    switch (l) {
    case location::path:
        return "path";
    case location::query:
        return "query";
    case location::header:
        return "header";
    case location::body:
        return "body";
    }
    return "";
}

} // namespace restschema::detail
