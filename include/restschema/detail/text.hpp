// restschema/detail/text.hpp - small ASCII text helpers shared by client and mock.
#pragma once

#include <restschema/meta.hpp> // location

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

namespace restschema::detail {

/// ASCII case-insensitive equality (header names, auth scheme names).
constexpr bool iequals_ascii(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = static_cast<char>(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = static_cast<char>(y + 32);
        if (x != y)
            return false;
    }
    return true;
}

/// `s` without leading and trailing ASCII whitespace (space, tab, CR, LF):
/// header values, flags, fault specs, bodies.
constexpr std::string_view trim_space(std::string_view s) noexcept
{
    auto const space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

/// The value of a hex digit (either case), or -1: percent-escapes, \u escapes.
inline constexpr int hex_value(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// Parses a non-negative decimal integer within [lo, hi]: digits only, no sign, no spaces.
inline bool parse_uint(std::string_view s, std::int64_t lo, std::int64_t hi, std::int64_t& out) noexcept
{
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string_view::npos)
        return false;
    std::int64_t v = 0;
    auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < lo || v > hi)
        return false;
    out = v;
    return true;
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
