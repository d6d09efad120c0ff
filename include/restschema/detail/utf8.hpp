// restschema/detail/utf8.hpp - is this text valid UTF-8?
//
// JSON text is UTF-8 (RFC 8259 section 8.1). A std::string in a request can
// hold anything; validation refuses what would make the body invalid JSON,
// and the encoder never writes it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace restschema::detail {

/// The offset of the first byte that does not start or continue a valid
/// UTF-8 sequence (overlong forms, surrogates and values above U+10FFFF are
/// invalid), or npos when all of `s` is valid.
/// The length of the valid UTF-8 sequence that starts at `p` (a byte of 0x80
/// or more) within `n` bytes, or 0 when it is not one: overlong forms,
/// surrogates and values above U+10FFFF are invalid.
inline std::size_t utf8_sequence(unsigned char const* p, std::size_t n) noexcept
{
    unsigned const c = p[0];
    std::size_t len = 0;
    unsigned lo = 0x80, hi = 0xbf; // the allowed range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0)
            lo = 0xa0; // no overlong forms
        else if (c == 0xed)
            hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f; // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (len > n || p[1] < lo || p[1] > hi)
        return 0;
    for (std::size_t k = 2; k < len; ++k)
        if ((p[k] & 0xc0) != 0x80)
            return 0;
    return len;
}

/// The offset of the first byte that does not start or continue a valid
/// UTF-8 sequence, or npos when all of `s` is valid.
inline std::size_t invalid_utf8_at(std::string_view s) noexcept
{
    auto const* p = reinterpret_cast<unsigned char const*>(s.data());
    std::size_t const n = s.size();
    std::size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        auto const len = utf8_sequence(p + i, n - i);
        if (!len)
            return i;
        i += len;
    }
    return std::string_view::npos;
}

/// "" when `s` is valid UTF-8, else what validation and the encoder say.
inline std::string utf8_problem(std::string_view s)
{
    auto const at = invalid_utf8_at(s);
    if (at == std::string_view::npos)
        return {};
    static constexpr char hex[] = "0123456789abcdef";
    auto const c = static_cast<unsigned char>(s[at]);
    return std::string("is not valid UTF-8 (byte 0x") + hex[c >> 4] + hex[c & 15] + " at offset " +
           std::to_string(at) + ")";
}

/// What validation and the encoder say of NaN and infinity.
inline constexpr std::string_view not_finite_problem = "is not a finite number (JSON has none)";

} // namespace restschema::detail
