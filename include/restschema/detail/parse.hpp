// restschema/detail/parse.hpp - strict parsing of small pieces of text (flags, fault specs, bodies).
#pragma once

#include <charconv>
#include <cstdint>
#include <string_view>
#include <system_error>

namespace restschema::detail {

/// `s` without leading and trailing ASCII whitespace (space, tab, CR, LF).
constexpr std::string_view trim_space(std::string_view s) noexcept
{
    auto const space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
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

} // namespace restschema::detail
