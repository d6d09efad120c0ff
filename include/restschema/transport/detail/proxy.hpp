// restschema/transport/detail/proxy.hpp - which proxy a request goes through:
// the proxy URL, NO_PROXY matching and the environment, decided once per
// client.
#pragma once

#include <restschema/binding/base64.hpp>
#include <restschema/client_options.hpp>
#include <restschema/detail/path_template.hpp> // percent_decode
#include <restschema/detail/url.hpp>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace restschema::transport::detail {

/// A proxy to connect to. `authorization` is the Proxy-Authorization value
/// ("Basic ..."), empty without credentials; `display` ("proxy.corp:3128")
/// names it in errors and never holds the credentials.
struct proxy_target {
    std::string host;
    std::string port;
    std::string authorization;
    std::string display;
};

/// Parses a proxy URL: "http://[user:password@]host[:port][/]", or the same
/// without a scheme. `why` never repeats the URL (it may hold a password).
inline std::optional<proxy_target> parse_proxy_url(std::string_view s, std::string* why)
{
    auto fail = [&](std::string msg) -> std::optional<proxy_target> {
        if (why)
            *why = std::move(msg);
        return std::nullopt;
    };
    auto const scheme_end = s.find("://");
    if (scheme_end != std::string_view::npos) {
        auto const scheme = s.substr(0, scheme_end);
        if (scheme != "http" && scheme != "HTTP") {
            std::string shown;
            for (char c : scheme.substr(0, 16))
                shown += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '?';
            return fail("the proxy scheme \"" + shown +
                        "\" is not supported (only http:// proxies: HTTPS to the service goes through a "
                        "CONNECT tunnel of an http:// proxy)");
        }
        s.remove_prefix(scheme_end + 3);
    }
    while (!s.empty() && s.back() == '/')
        s.remove_suffix(1);
    if (s.find_first_of("/?#") != std::string_view::npos)
        return fail("a proxy URL has no path, query or fragment");
    proxy_target t;
    if (auto const at = s.rfind('@'); at != std::string_view::npos) {
        auto const info = s.substr(0, at);
        auto const colon = info.find(':');
        auto user = restschema::detail::percent_decode(info.substr(0, colon));
        auto pass = restschema::detail::percent_decode(
            colon == std::string_view::npos ? std::string_view() : info.substr(colon + 1));
        if (!user || !pass)
            return fail("the proxy URL's user or password has an invalid percent-escape");
        t.authorization = "Basic " + binding::base64_encode(*user + ":" + *pass);
        s.remove_prefix(at + 1);
    }
    std::string reason;
    auto u = restschema::detail::parse_base_url("http://" + std::string(s), &reason);
    if (!u) {
        if (reason.starts_with("base URL "))
            reason = "the proxy URL " + reason.substr(9);
        return fail(reason);
    }
    t.host = u->host;
    t.port = u->port;
    t.display = (t.host.find(':') != std::string::npos ? "[" + t.host + "]" : t.host) + ":" + t.port;
    return t;
}

inline std::string ascii_lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

/// Whether `host` (a name or an IP literal without brackets) and `port` are
/// listed in a NO_PROXY value (see proxy_options::no_proxy).
inline bool no_proxy_matches(std::string_view list, std::string_view host_in, std::string_view port)
{
    namespace ip = boost::asio::ip;
    std::string host = ascii_lower(host_in);
    while (!host.empty() && host.back() == '.')
        host.pop_back();
    boost::system::error_code ec;
    auto const host_ip = ip::make_address(host, ec);
    bool const host_is_ip = !ec;
    while (!list.empty()) {
        auto const sep = list.find_first_of(", \t");
        auto entry = list.substr(0, sep);
        list = sep == std::string_view::npos ? std::string_view() : list.substr(sep + 1);
        if (entry.empty())
            continue;
        if (entry == "*")
            return true;
        std::string e = ascii_lower(entry);
        // An optional port: "[v6]:port", "host:port" (one colon only: more is an IPv6 literal).
        std::string entry_port;
        if (e.starts_with("[")) {
            auto const close = e.find(']');
            if (close == std::string::npos)
                continue;
            if (close + 1 < e.size() && e[close + 1] == ':')
                entry_port = e.substr(close + 2);
            e = e.substr(1, close - 1);
        } else if (auto const colon = e.find(':');
                   colon != std::string::npos && e.find(':', colon + 1) == std::string::npos) {
            entry_port = e.substr(colon + 1);
            e.resize(colon);
        }
        if (!entry_port.empty() && entry_port != port)
            continue;
        if (auto const slash = e.find('/'); slash != std::string::npos) {
            if (!host_is_ip)
                continue;
            if (host_ip.is_v4()) {
                auto const net = ip::make_network_v4(e, ec);
                if (!ec &&
                    net.canonical() == ip::network_v4(host_ip.to_v4(), net.prefix_length()).canonical())
                    return true;
            } else {
                auto const net = ip::make_network_v6(e, ec);
                if (!ec &&
                    net.canonical() == ip::network_v6(host_ip.to_v6(), net.prefix_length()).canonical())
                    return true;
            }
            continue;
        }
        if (auto const eip = ip::make_address(e, ec); !ec) {
            if (host_is_ip && eip == host_ip)
                return true;
            continue;
        }
        if (e.starts_with("*."))
            e.erase(0, 2);
        else if (e.starts_with("."))
            e.erase(0, 1);
        while (!e.empty() && e.back() == '.')
            e.pop_back();
        if (e.empty())
            continue;
        if (host == e ||
            (host.size() > e.size() && host.ends_with(e) && host[host.size() - e.size() - 1] == '.'))
            return true;
    }
    return false;
}

/// The proxies of one client, decided when it is made.
struct proxy_config {
    std::optional<proxy_target> http;  ///< for http:// services
    std::optional<proxy_target> https; ///< for https:// services (CONNECT)
    std::string no_proxy;
    std::string error; ///< a bad URL: "client_options::proxy.url: ..." / "https_proxy (environment): ..."

    /// The proxy for requests to `u`, or null for a direct connection.
    proxy_target const* for_url(restschema::detail::base_url const& u) const
    {
        auto const& p = u.tls ? https : http;
        if (!p || no_proxy_matches(no_proxy, u.host, u.port))
            return nullptr;
        return &*p;
    }
};

/// `getenv` stands in for std::getenv (tests pass their own).
inline proxy_config make_proxy_config(proxy_options const& o,
                                      std::function<char const*(char const*)> const& getenv = {})
{
    auto env = [&](char const* name) -> std::string {
        if (!o.use_environment)
            return {};
        char const* v = getenv ? getenv(name) : std::getenv(name);
        return v ? std::string(v) : std::string();
    };
    // Lower case first; HTTP_PROXY not in a CGI program (httpoxy).
    auto pick = [&](char const* lower, char const* upper,
                    bool cgi_unsafe) -> std::pair<std::string, char const*> {
        if (auto v = env(lower); !v.empty())
            return {v, lower};
        if (cgi_unsafe && !env("REQUEST_METHOD").empty())
            return {{}, upper};
        return {env(upper), upper};
    };
    proxy_config c;
    auto set = [&](std::optional<proxy_target>& slot, std::string const& url, std::string const& source) {
        if (url.empty())
            return;
        std::string why;
        if (auto t = parse_proxy_url(url, &why))
            slot = std::move(*t);
        else if (c.error.empty())
            c.error = source + ": " + why;
    };
    if (!o.url.empty()) {
        set(c.http, o.url, "client_options::proxy.url");
        c.https = c.http;
    } else {
        auto const [h, hname] = pick("http_proxy", "HTTP_PROXY", true);
        set(c.http, h, std::string(hname) + " (environment)");
        auto const [s, sname] = pick("https_proxy", "HTTPS_PROXY", false);
        set(c.https, s, std::string(sname) + " (environment)");
    }
    c.no_proxy = !o.no_proxy.empty() ? o.no_proxy : pick("no_proxy", "NO_PROXY", false).first;
    return c;
}

} // namespace restschema::transport::detail
