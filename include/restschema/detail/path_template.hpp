// restschema/detail/path_template.hpp - expanding and matching path templates.
//
// Syntax: literal text, `{name}` placeholders, and `[...]` optional groups that
// are left out when a placeholder inside them has no value
// ("/api/{integration_name}/{api_key}/{version}/users/{id}[.{format}]").
#pragma once

#include <restschema/detail/text.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace restschema::detail {

/// Percent-encodes everything but RFC 3986 unreserved characters, and the
/// unreserved ones listed in `also`.
inline std::string percent_encode(std::string_view s, std::string_view also = {})
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        bool const unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '_' || c == '~' || c == '.';
        if (unreserved && also.find(static_cast<char>(c)) == std::string_view::npos) {
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
/// path's shape, and a value of "." or ".." has its dots encoded too. `also`:
/// unreserved characters to encode as well (segment_escapes).
inline std::string encode_segment(std::string_view s, std::string_view also = {})
{
    bool const dots_only = !s.empty() && s.size() <= 2 && s.find_first_not_of('.') == std::string_view::npos;
    return percent_encode(s, dots_only ? std::string_view(".") : also);
}

/// The same rules for a query component (keys and values).
inline std::string encode_query(std::string_view s)
{
    return percent_encode(s);
}

/// What encode_segment must also encode in the value of the placeholder whose
/// '}' is at `close`: the literal that follows it in the template (looking
/// into or out of optional groups) when that is one of '-', '.', '_', '~'
/// (`{id}.json`, `{id}[.{format}]`), so that the value "a.b" reads back as
/// one value; "" otherwise.
inline std::string_view segment_escapes(std::string_view tmpl, std::size_t close) noexcept
{
    for (auto i = close + 1; i < tmpl.size(); ++i)
        if (tmpl[i] != '[' && tmpl[i] != ']')
            return std::string_view("-._~").find(tmpl[i]) != std::string_view::npos ? tmpl.substr(i, 1)
                                                                                    : std::string_view();
    return {};
}

/// The same for the placeholder `{name}` of `tmpl` ("" when it has none).
inline std::string_view segment_escapes(std::string_view tmpl, std::string_view name) noexcept
{
    for (auto at = tmpl.find('{'); at != std::string_view::npos; at = tmpl.find('{', at + 1)) {
        auto const close = tmpl.find('}', at);
        if (close == std::string_view::npos)
            return {};
        if (tmpl.substr(at + 1, close - at - 1) == name)
            return segment_escapes(tmpl, close);
    }
    return {};
}

/// Decodes %XX escapes; nullopt for a malformed escape. '+' stays '+' (paths).
inline std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space = false)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            if (i + 2 >= s.size())
                return std::nullopt;
            int const hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
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

/// Expands a template. `lookup(name)` gives the raw (unencoded) value of a
/// placeholder or nullopt when it has none. A placeholder outside an optional
/// group without a value makes the expansion fail: the name is returned in `missing`.
/// A value is one segment: encode_segment, with the segment_escapes of its place.
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
            dst += encode_segment(*v, segment_escapes(tmpl, close));
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
    // c == '{': the loop above stops only at a group or a placeholder.
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
