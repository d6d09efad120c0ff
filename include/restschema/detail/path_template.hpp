// restschema/detail/path_template.hpp - expanding and matching path templates.
//
// Syntax: literal text, `{name}` placeholders, and `[...]` optional groups that
// are left out when a placeholder inside them has no value
// ("/api/{integration_name}/{api_key}/{version}/users/{id}[.{format}]").
#pragma once

#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace restschema::detail {

/// Percent-encodes everything but RFC 3986 unreserved characters; '.' too
/// when `encode_dots`.
inline std::string percent_encode(std::string_view s, bool encode_dots)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        bool const unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '_' || c == '~' || (c == '.' && !encode_dots);
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

/// Encodes a value as ONE path segment: '/', '?', '#', '%' cannot change the
/// path's shape, and a value of "." or ".." has its dots encoded too.
inline std::string encode_segment(std::string_view s)
{
    bool const dots_only = !s.empty() && s.size() <= 2 && s.find_first_not_of('.') == std::string_view::npos;
    return percent_encode(s, dots_only);
}

/// The same rules for a query component (keys and values).
inline std::string encode_query(std::string_view s)
{
    return percent_encode(s, false);
}

/// Decodes %XX escapes; nullopt for a malformed escape. '+' stays '+' (paths).
inline std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space = false)
{
    auto hexval = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            if (i + 2 >= s.size())
                return std::nullopt;
            int const hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (s[i] == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

/// The literal character that follows the placeholder ending at `close` (its
/// '}'), looking into or out of optional groups; 0 at the end or before another
/// placeholder.
inline char literal_after(std::string_view tmpl, std::size_t close) noexcept
{
    for (auto i = close + 1; i < tmpl.size(); ++i)
        if (tmpl[i] != '[' && tmpl[i] != ']')
            return tmpl[i] == '{' ? '\0' : tmpl[i];
    return '\0';
}

/// Expands a template. `lookup(name)` gives the raw (unencoded) value of a
/// placeholder or nullopt when it has none. A placeholder outside an optional
/// group without a value makes the expansion fail: the name is returned in `missing`.
/// A value is one segment (encode_segment); where the template goes on with
/// one of '-', '.', '_', '~' (`{id}.json`, `{id}[.{format}]`), that character is
/// encoded in the value too, so that the value "a.b" reads back as one value.
inline std::optional<std::string>
expand_path(std::string_view tmpl, std::function<std::optional<std::string>(std::string_view)> const& lookup,
            std::string* missing = nullptr)
{
    std::string out;
    std::string group;
    bool in_group = false, group_ok = true;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        char const c = tmpl[i];
        std::string& dst = in_group ? group : out;
        if (c == '[') {
            in_group = true;
            group.clear();
            group_ok = true;
        } else if (c == ']') {
            if (group_ok)
                out += group;
            in_group = false;
        } else if (c == '{') {
            auto const close = tmpl.find('}', i);
            auto const name = tmpl.substr(i + 1, close - i - 1);
            i = close;
            auto v = lookup(name);
            if (!v) {
                if (in_group) {
                    group_ok = false;
                    continue;
                }
                if (missing)
                    *missing = std::string(name);
                return std::nullopt;
            }
            auto encoded = encode_segment(*v);
            if (char const next = literal_after(tmpl, close); next && std::strchr("-._~", next)) {
                std::string const escape = {'%', "0123456789ABCDEF"[(next >> 4) & 15],
                                            "0123456789ABCDEF"[next & 15]};
                for (auto at = encoded.find(next); at != std::string::npos; at = encoded.find(next, at))
                    encoded.replace(at, 1, escape), at += escape.size();
            }
            dst += encoded;
        } else {
            dst += c;
        }
    }
    return out;
}

namespace path_match_impl {
inline bool match(std::string_view t, std::string_view p,
                  std::map<std::string, std::string, std::less<>>& out, int depth = 0)
{
    // Literal characters in a loop; only groups and placeholders recurse,
    // and `depth` counts those, so a long template matches at any length.
    while (!t.empty() && t[0] != '[' && t[0] != '{') {
        if (p.empty() || p[0] != t[0])
            return false;
        t.remove_prefix(1);
        p.remove_prefix(1);
    }
    if (depth > 64)
        return false;
    if (t.empty())
        return p.empty();
    char const c = t[0];
    if (c == '[') {
        // Find the matching ']' (groups do not nest).
        auto const close = t.find(']');
        auto const inner = t.substr(1, close - 1);
        auto const rest = t.substr(close + 1);
        auto saved = out;
        std::string with(inner);
        with += rest;
        if (match(with, p, out, depth + 1))
            return true;
        out = std::move(saved);
        return match(rest, p, out, depth + 1);
    }
    if (c == '{') {
        auto const close = t.find('}');
        auto const name = std::string(t.substr(1, close - 1));
        auto const rest = t.substr(close + 1);
        // A placeholder is one or more characters of one segment; try the
        // shortest first so that a literal suffix like ".json" can follow.
        for (std::size_t n = 1; n <= p.size() && p[n - 1] != '/'; ++n) {
            auto saved = out;
            out[name] = std::string(p.substr(0, n));
            if (match(rest, p.substr(n), out, depth + 1))
                return true;
            out = std::move(saved);
        }
        return false;
    }
    return false; // not reached: literals are consumed above
}
} // namespace path_match_impl

/// Matches a request path (still percent-encoded, without the query) against a
/// template; on success gives each placeholder's decoded value.
inline std::optional<std::map<std::string, std::string, std::less<>>> match_path(std::string_view tmpl,
                                                                                 std::string_view path)
{
    std::map<std::string, std::string, std::less<>> raw;
    if (!path_match_impl::match(tmpl, path, raw))
        return std::nullopt;
    for (auto& [k, v] : raw) {
        auto d = percent_decode(v);
        if (!d)
            return std::nullopt;
        v = std::move(*d);
    }
    return raw;
}

} // namespace restschema::detail
