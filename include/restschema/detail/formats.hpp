// restschema/detail/formats.hpp - checks for the value formats a schema can name.
#pragma once

#include <restschema/meta.hpp>

#include <string_view>

namespace restschema::detail {

constexpr bool is_digit(char c) noexcept
{
    return c >= '0' && c <= '9';
}
constexpr bool is_alpha(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// '+' then 1 to 15 digits, the first not 0 (ITU-T E.164).
constexpr bool is_e164(std::string_view s) noexcept
{
    if (s.size() < 2 || s.size() > 16 || s[0] != '+' || s[1] == '0')
        return false;
    for (char c : s.substr(1))
        if (!is_digit(c))
            return false;
    return true;
}

/// A pragmatic address check: one '@', a non-empty local part without
/// spaces, a domain of dot-separated labels with at least one dot.
constexpr bool is_email(std::string_view s) noexcept
{
    auto const at = s.find('@');
    if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos ||
        s.size() > 254)
        return false;
    for (char c : s.substr(0, at))
        if (c <= ' ' || c == 0x7f || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '<' ||
            c == '>' || c == '[' || c == ']' || c == '\\' || c == '"')
            return false;
    auto const domain = s.substr(at + 1);
    if (domain.empty() || domain.find('.') == std::string_view::npos)
        return false;
    std::size_t label = 0;
    for (std::size_t i = 0; i <= domain.size(); ++i) {
        if (i == domain.size() || domain[i] == '.') {
            if (label == 0 || label > 63 || domain[i - label] == '-' || domain[i - 1] == '-')
                return false;
            label = 0;
            continue;
        }
        char const c = domain[i];
        if (!(is_alpha(c) || is_digit(c) || c == '-'))
            return false;
        ++label;
    }
    return true;
}

constexpr bool digits_at(std::string_view s, std::size_t pos, std::size_t n) noexcept
{
    if (pos + n > s.size())
        return false;
    for (std::size_t i = pos; i < pos + n; ++i)
        if (!is_digit(s[i]))
            return false;
    return true;
}

constexpr int num_at(std::string_view s, std::size_t pos, std::size_t n) noexcept
{
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i)
        v = v * 10 + (s[i] - '0');
    return v;
}

/// YYYY?MM?DD with a plausible month and day, '?' being `sep`.
constexpr bool is_date_with(std::string_view s, char sep) noexcept
{
    if (s.size() != 10 || !digits_at(s, 0, 4) || s[4] != sep || !digits_at(s, 5, 2) || s[7] != sep ||
        !digits_at(s, 8, 2))
        return false;
    int const m = num_at(s, 5, 2), d = num_at(s, 8, 2);
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

constexpr bool is_time(std::string_view s) noexcept // HH:MM:SS
{
    return s.size() == 8 && digits_at(s, 0, 2) && s[2] == ':' && digits_at(s, 3, 2) && s[5] == ':' &&
           digits_at(s, 6, 2) && num_at(s, 0, 2) < 24 && num_at(s, 3, 2) < 60 && num_at(s, 6, 2) <= 60;
}

/// RFC 3339 date-time: 2012-05-27T00:46:39Z, with optional fraction and offset.
constexpr bool is_date_time(std::string_view s) noexcept
{
    if (s.size() < 20 || !is_date_with(s.substr(0, 10), '-') ||
        (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !is_time(s.substr(11, 8)))
        return false;
    auto rest = s.substr(19);
    if (!rest.empty() && rest[0] == '.') {
        std::size_t i = 1;
        while (i < rest.size() && is_digit(rest[i]))
            ++i;
        if (i == 1)
            return false;
        rest = rest.substr(i);
    }
    if (rest == "Z" || rest == "z")
        return true;
    return rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && digits_at(rest, 1, 2) &&
           rest[3] == ':' && digits_at(rest, 4, 2);
}

/// "2012/05/27 00:46:39 +0000": ActiveSupport's legacy JSON time format.
constexpr bool is_rails_time(std::string_view s) noexcept
{
    return s.size() == 25 && is_date_with(s.substr(0, 10), '/') && s[10] == ' ' && is_time(s.substr(11, 8)) &&
           s[19] == ' ' && (s[20] == '+' || s[20] == '-') && digits_at(s, 21, 4);
}

/// An absolute URI: scheme ":" then at least one character, no spaces or controls.
constexpr bool is_uri(std::string_view s) noexcept
{
    auto const colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0 || !is_alpha(s[0]) || colon + 1 >= s.size())
        return false;
    for (char c : s.substr(0, colon))
        if (!(is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'))
            return false;
    for (char c : s)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            return false;
    return true;
}

constexpr std::string_view format_name(format f) noexcept
{
    switch (f) {
    case format::none:
        return "";
    case format::email:
        return "email";
    case format::e164:
        return "E.164";
    case format::unix_time:
        return "unix epoch seconds";
    case format::date:
        return "date (YYYY-MM-DD)";
    case format::date_time:
        return "RFC 3339 date-time";
    case format::rails_time:
        return "time (YYYY/MM/DD HH:MM:SS +ZZZZ)";
    case format::uri:
        return "URI";
    }
    return "";
}

/// Whether a string value matches its format.
constexpr bool matches_format(format f, std::string_view s) noexcept
{
    switch (f) {
    case format::none:
    case format::unix_time:
        return true;
    case format::email:
        return is_email(s);
    case format::e164:
        return is_e164(s);
    case format::date:
        return is_date_with(s, '-');
    case format::date_time:
        return is_date_time(s);
    case format::rails_time:
        return is_rails_time(s);
    case format::uri:
        return is_uri(s);
    }
    return true;
}

/// Control characters (CR, LF, NUL, DEL...) must never reach a request line or header.
constexpr bool has_control_char(std::string_view s) noexcept
{
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return true;
    return false;
}

} // namespace restschema::detail
