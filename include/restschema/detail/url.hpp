// restschema/detail/url.hpp - the parts of a base URL that the client needs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace restschema::detail {

struct base_url {
    bool tls = false;
    std::string host;   ///< without brackets for IPv6 literals
    std::string port;   ///< "443" / "80" when not given
    std::string prefix; ///< path prefix without a trailing '/', may be empty
    /// Host header value: host, with the port when it is not the default.
    std::string host_header() const
    {
        std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
        if (port != (tls ? "443" : "80"))
            h += ":" + port;
        return h;
    }
};

/// Parses "http(s)://host[:port][/prefix]". Query, fragment and user info are
/// refused: credentials belong in client_options, not in a URL that gets logged.
inline std::optional<base_url> parse_base_url(std::string_view s, std::string* why)
{
    auto fail = [&](char const* msg) -> std::optional<base_url> {
        if (why)
            *why = msg;
        return std::nullopt;
    };
    base_url u;
    if (s.starts_with("https://")) {
        u.tls = true;
        s.remove_prefix(8);
    } else if (s.starts_with("http://")) {
        s.remove_prefix(7);
    } else {
        return fail("base URL must start with http:// or https://");
    }
    auto const slash = s.find('/');
    auto authority = s.substr(0, slash);
    auto path = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
    if (authority.find_first_of("?#") != std::string_view::npos) // "http://host?key=1"
        return fail("base URL must not contain a query or fragment");
    if (authority.find('@') != std::string_view::npos)
        return fail("base URL must not contain user info; give credentials in client_options::credentials");
    if (path.find_first_of("?#") != std::string_view::npos)
        return fail("base URL must not contain a query or fragment");
    if (authority.starts_with("[")) {
        auto const close = authority.find(']');
        if (close == std::string_view::npos)
            return fail("base URL has an unterminated IPv6 literal");
        u.host = std::string(authority.substr(1, close - 1));
        authority.remove_prefix(close + 1);
        if (!authority.empty() && authority[0] != ':')
            return fail("base URL has garbage after the IPv6 literal");
    } else {
        auto const colon = authority.find(':');
        u.host = std::string(authority.substr(0, colon));
        authority = colon == std::string_view::npos ? std::string_view() : authority.substr(colon);
    }
    if (u.host.empty())
        return fail("base URL has no host");
    for (char c : u.host)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            return fail("base URL host contains a space or control character");
    if (!authority.empty()) {
        auto port = authority.substr(1);
        if (port.empty() || port.size() > 5 ||
            port.find_first_not_of("0123456789") != std::string_view::npos ||
            std::stoi(std::string(port)) > 65535 || std::stoi(std::string(port)) == 0)
            return fail("base URL has an invalid port");
        u.port = std::string(port);
    } else {
        u.port = u.tls ? "443" : "80";
    }
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    for (char c : path)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            return fail("base URL path contains a space or control character");
    u.prefix = std::string(path);
    return u;
}

} // namespace restschema::detail
