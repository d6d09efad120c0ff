// Reaching services through an HTTP proxy (issue 15, item 1): CONNECT for
// HTTPS, absolute form for HTTP, proxy credentials, NO_PROXY and the
// environment, against the small proxy of tests/support/connect_proxy.hpp.
#include <restschema/client.hpp>
#include <restschema/transport/detail/proxy.hpp>

#include <restschema/gen/attestr.hpp>

#include "support/connect_proxy.hpp"
#include "support/leak_watch.hpp"
#include "support/scripted_server.hpp"
#include "support/test_pki.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <string>

// Every name of this file is in namespace test_proxy: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_proxy {

namespace {

using namespace std::chrono_literals;
using restschema::error_kind;
using restschema::transport::detail::make_proxy_config;
using restschema::transport::detail::no_proxy_matches;
using restschema::transport::detail::parse_proxy_url;
using test::connect_proxy;
using test::reply;
using test::scripted_server;

std::string const token = "ATTESTR-TOKEN-proxy";
std::string const proxy_password = "pr0xy-s3cret";

restschema::client_options options_for(std::string const& url, std::string const& proxy)
{
    restschema::client_options o;
    o.base_url = url;
    o.credentials = {{"basic_token", token}};
    o.proxy.url = proxy;
    o.proxy.use_environment = false;
    o.retry.max_attempts = 1;
    o.connect_timeout = 5s;
    o.request_timeout = 5s;
    return o;
}

attestr::update_profile_request profile_request()
{
    attestr::update_profile_request r;
    r.profile_id = "PRF-7d4c1e20";
    r.tag = "EMP-1042";
    r.name = "Asha Verma";
    return r;
}

/// Basic credentials as the proxy expects them.
std::string basic(std::string const& user, std::string const& password)
{
    return "Basic " + restschema::binding::base64_encode(user + ":" + password);
}

} // namespace

TEST_CASE("proxy: plain HTTP goes to the proxy in absolute form; the service gets origin form")
{
    scripted_server server;
    server.push(reply(200, R"({"ok":true})"));
    server.push(reply(200, R"({"ok":true})"));
    connect_proxy proxy;
    restschema::client<attestr::service> api(options_for(server.url(), proxy.url()));
    REQUIRE(api.try_call(profile_request()).has_value());
    auto const r = api.try_call(profile_request()); // the connection to the proxy is reused
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    auto const lines = proxy.request_lines();
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "PUT " + server.url() + "/api/v1/public/factx/PRF-7d4c1e20 HTTP/1.1");
    CHECK(proxy.connections() == 1);
    REQUIRE(server.requests().size() == 2);
    CHECK(server.requests()[0].starts_with("PUT /api/v1/public/factx/PRF-7d4c1e20 HTTP/1.1\r\n"));
    CHECK(server.requests()[0].find("Authorization: Basic " + token) != std::string::npos);
}

TEST_CASE("proxy: HTTPS goes through a CONNECT tunnel; TLS is verified end to end")
{
    test::test_pki pki;
    scripted_server server(pki.file("good.pem"), pki.file("good.key"));
    server.push(reply(200, R"({"ok":true})"));
    connect_proxy proxy;
    auto o = options_for(server.url(), proxy.url());
    o.tls.ca_file = pki.file("ca.pem");
    restschema::client<attestr::service> api(o);
    auto const r = api.try_call(profile_request());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    auto const lines = proxy.request_lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == "CONNECT 127.0.0.1:" + std::to_string(server.port()) + " HTTP/1.1");
    CHECK(server.requests().size() == 1);

    SUBCASE("a certificate for another host is still a TLS error through the tunnel")
    {
        scripted_server wrong(pki.file("wrong.pem"), pki.file("wrong.key"));
        restschema::client<attestr::service> api2([&] {
            auto o2 = options_for(wrong.url(), proxy.url());
            o2.tls.ca_file = pki.file("ca.pem");
            return o2;
        }());
        auto const bad = api2.try_call(profile_request());
        REQUIRE_FALSE(bad.has_value());
        CHECK(bad.error().kind == error_kind::tls);
    }
}

TEST_CASE("proxy: credentials in the proxy URL are sent as Proxy-Authorization and never shown")
{
    test::test_pki pki;
    scripted_server server(pki.file("good.pem"), pki.file("good.key"));
    server.push(reply(200, R"({"ok":true})"));
    connect_proxy proxy({.authorization = basic("alice", proxy_password)});
    // Percent-escapes in the user info are decoded: "pr0xy-s3cret" with its '-' escaped.
    auto o = options_for(server.url(), proxy.url("alice:pr0xy%2Ds3cret"));
    o.tls.ca_file = pki.file("ca.pem");
    test::leak_watch watch;
    watch.attach(o);
    restschema::client<attestr::service> api(o);
    auto const r = api.try_call(profile_request());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(proxy.authorizations() == std::vector<std::string>{basic("alice", proxy_password)});
    CHECK(server.requests()[0].find("Proxy-Authorization") == std::string::npos); // stays with the proxy
    CHECK(watch.text.find(proxy_password) == std::string::npos);
    CHECK(watch.text.find(basic("alice", proxy_password).substr(6)) == std::string::npos);
}

TEST_CASE("proxy: a proxy that asks for credentials is an error of kind proxy, not retried, nothing leaked")
{
    scripted_server server;
    connect_proxy proxy({.authorization = basic("alice", proxy_password)});

    SUBCASE("HTTPS, no credentials: 407 to CONNECT")
    {
        auto o = options_for("https://127.0.0.1:" + std::to_string(server.port()), proxy.url());
        o.retry.max_attempts = 3;
        restschema::client<attestr::service> api(o);
        auto const r = api.try_call(profile_request());
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::proxy);
        CHECK(r.error().http_status == 407);
        CHECK(r.error().attempts == 1);
        CHECK(r.error().message.find("refused CONNECT to 127.0.0.1:") != std::string::npos);
        CHECK(r.error().message.find("asks for credentials") != std::string::npos);
    }
    SUBCASE("HTTPS, wrong credentials: the message says they were refused, not what they were")
    {
        auto o = options_for("https://127.0.0.1:" + std::to_string(server.port()),
                             proxy.url("alice:wrong-" + proxy_password));
        test::leak_watch watch;
        watch.attach(o);
        restschema::client<attestr::service> api(o);
        auto const r = api.try_call(profile_request());
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::proxy);
        CHECK(r.error().message.find("refused the credentials") != std::string::npos);
        CHECK(r.error().what().find(proxy_password) == std::string::npos);
        CHECK(watch.text.find(proxy_password) == std::string::npos);
    }
    SUBCASE("plain HTTP: the proxy's own 407 is an error of kind proxy, not the service's answer")
    {
        auto o = options_for(server.url(), proxy.url("alice:nope"));
        restschema::client<attestr::service> api(o);
        auto const r = api.try_call(profile_request());
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::proxy);
        CHECK(r.error().http_status == 407);
        CHECK(r.error().what().find("nope") == std::string::npos);
        CHECK(server.requests().empty());
    }
}

TEST_CASE("proxy: a refused CONNECT, garbage instead of an answer, and an unreachable proxy")
{
    scripted_server server;
    auto const https = "https://127.0.0.1:" + std::to_string(server.port());
    SUBCASE("403")
    {
        connect_proxy proxy({.refuse_connect = 403});
        restschema::client<attestr::service> api(options_for(https, proxy.url()));
        auto const r = api.try_call(profile_request());
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::proxy);
        CHECK(r.error().http_status == 403);
        CHECK(r.error().message == "the proxy 127.0.0.1:" + proxy.url().substr(proxy.url().rfind(':') + 1) +
                                       " refused CONNECT to 127.0.0.1:" + std::to_string(server.port()) +
                                       ": HTTP 403 Forbidden");
    }
    SUBCASE("502 from the proxy is retried like a failed connect")
    {
        connect_proxy proxy({.refuse_connect = 502});
        auto o = options_for(https, proxy.url());
        o.retry.max_attempts = 2;
        o.retry.initial_backoff = 1ms;
        o.retry.max_backoff = 1ms;
        restschema::client<attestr::service> api(o);
        auto const r = api.try_call(profile_request());
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::proxy);
        CHECK(r.error().attempts == 2);
        CHECK(proxy.request_lines().size() == 2);
    }
    SUBCASE("not HTTP")
    {
        connect_proxy proxy({.raw_answer = "SSH-2.0-OpenSSH_9.2\r\n\r\n"});
        restschema::client<attestr::service> api(options_for(https, proxy.url()));
        auto const r = api.try_call(profile_request());
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::proxy);
        CHECK(r.error().message.find("answered CONNECT with something that is not HTTP: \"SSH-2.0") !=
              std::string::npos);
    }
    SUBCASE("bytes after the 200, before TLS")
    {
        connect_proxy proxy({.raw_answer = "HTTP/1.1 200 OK\r\n\r\nsurprise"});
        restschema::client<attestr::service> api(options_for(https, proxy.url()));
        auto const r = api.try_call(profile_request());
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::proxy);
        CHECK(r.error().message.find("sent bytes after its answer to CONNECT") != std::string::npos);
    }
    SUBCASE("nobody listens at the proxy's address")
    {
        std::string url;
        {
            connect_proxy gone;
            url = gone.url();
        }
        restschema::client<attestr::service> api(options_for(https, url));
        auto const r = api.try_call(profile_request());
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::transport);
        CHECK(r.error().message.starts_with("connecting to proxy 127.0.0.1:"));
    }
}

TEST_CASE("proxy: a host listed in no_proxy is reached directly")
{
    scripted_server server;
    server.push(reply(200, R"({"ok":true})"));
    connect_proxy proxy;
    auto o = options_for(server.url(), proxy.url());
    o.proxy.no_proxy = "example.com, 127.0.0.0/8";
    restschema::client<attestr::service> api(o);
    auto const r = api.try_call(profile_request());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(proxy.connections() == 0);
    CHECK(server.requests().size() == 1);
}

TEST_CASE("proxy: NO_PROXY matching")
{
    CHECK(no_proxy_matches("*", "api.example.com", "443"));
    CHECK(no_proxy_matches("example.com", "example.com", "443"));
    CHECK(no_proxy_matches("example.com", "API.Example.COM.", "443")); // case, trailing dot
    CHECK(no_proxy_matches(".example.com", "api.example.com", "443"));
    CHECK(no_proxy_matches("*.example.com", "api.example.com", "443"));
    CHECK_FALSE(no_proxy_matches("example.com", "badexample.com", "443"));
    CHECK_FALSE(no_proxy_matches("api.example.com", "example.com", "443"));
    CHECK(no_proxy_matches("other.org,  example.com", "a.b.example.com", "80"));
    CHECK(no_proxy_matches("example.com:8443", "example.com", "8443"));
    CHECK_FALSE(no_proxy_matches("example.com:8443", "example.com", "443"));
    CHECK(no_proxy_matches("10.0.0.0/8", "10.20.30.40", "443"));
    CHECK_FALSE(no_proxy_matches("10.0.0.0/8", "11.0.0.1", "443"));
    CHECK_FALSE(no_proxy_matches("10.0.0.0/8", "ten.example", "443"));
    CHECK(no_proxy_matches("192.168.1.7", "192.168.1.7", "443"));
    CHECK(no_proxy_matches("::1", "::1", "443"));
    CHECK(no_proxy_matches("[::1]:8080", "::1", "8080"));
    CHECK(no_proxy_matches("fd00::/8", "fd12::5", "443"));
    CHECK_FALSE(no_proxy_matches("", "example.com", "443"));
    CHECK_FALSE(no_proxy_matches(" , ,", "example.com", "443"));
    CHECK_FALSE(no_proxy_matches("10.0.0.0/33", "10.0.0.1", "443")); // not a network: ignored
}

TEST_CASE("proxy: proxy URLs")
{
    std::string why;
    auto p = parse_proxy_url("http://bob:p%40ss@proxy.corp:3128/", &why);
    REQUIRE(p);
    CHECK(p->host == "proxy.corp");
    CHECK(p->port == "3128");
    CHECK(p->display == "proxy.corp:3128");
    CHECK(p->authorization == basic("bob", "p@ss"));
    p = parse_proxy_url("proxy.corp", &why); // no scheme: http, port 80
    REQUIRE(p);
    CHECK(p->port == "80");
    CHECK(p->authorization.empty());
    p = parse_proxy_url("http://[fd00::1]:8080", &why);
    REQUIRE(p);
    CHECK(p->display == "[fd00::1]:8080");
    for (auto const& [url, expected] : std::map<std::string, std::string>{
             {"socks5://bob:secret@proxy:1080", "the proxy scheme \"socks5\" is not supported"},
             {"https://bob:secret@proxy:443", "the proxy scheme \"https\" is not supported"},
             {"http://bob:secret@proxy:99999", "the proxy URL has an invalid port"},
             {"http://bob:sec%zzret@proxy", "invalid percent-escape"},
             {"http://proxy/path", "no path"},
             {"http://bob:secret@", "the proxy URL has no host"}}) {
        CAPTURE(url);
        why.clear();
        CHECK_FALSE(parse_proxy_url(url, &why));
        CHECK(why.find(expected) != std::string::npos);
        CHECK(why.find("secret") == std::string::npos);
    }
}

TEST_CASE("proxy: the environment, lower case first; use_environment = false ignores it; httpoxy")
{
    std::map<std::string, std::string> env;
    auto getenv = [&](char const* name) -> char const* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    };
    restschema::proxy_options o;
    env = {{"https_proxy", "http://lower:1"},
           {"HTTPS_PROXY", "http://upper:2"},
           {"HTTP_PROXY", "http://plain:3"},
           {"NO_PROXY", "internal.corp"}};
    auto c = make_proxy_config(o, getenv);
    REQUIRE(c.https);
    CHECK(c.https->display == "lower:1");
    REQUIRE(c.http);
    CHECK(c.http->display == "plain:3");
    CHECK(c.no_proxy == "internal.corp");
    CHECK(c.for_url({.tls = true, .host = "api.example.com", .port = "443", .prefix = ""}) == &*c.https);
    CHECK(c.for_url({.tls = true, .host = "git.internal.corp", .port = "443", .prefix = ""}) == nullptr);

    env["REQUEST_METHOD"] = "GET"; // a CGI program: HTTP_PROXY may come from a request header
    c = make_proxy_config(o, getenv);
    CHECK_FALSE(c.http);
    CHECK(c.https);

    o.use_environment = false;
    c = make_proxy_config(o, getenv);
    CHECK_FALSE(c.http);
    CHECK_FALSE(c.https);
    CHECK(c.no_proxy.empty());

    o.use_environment = true;
    o.url = "http://explicit:8080";
    o.no_proxy = "*";
    c = make_proxy_config(o, getenv);
    CHECK(c.https->display == "explicit:8080");
    CHECK(c.http->display == "explicit:8080");
    CHECK(c.no_proxy == "*");

    env = {{"https_proxy", "socks5://user:hunter2@x:1080"}};
    c = make_proxy_config({}, getenv);
    CHECK(c.error.starts_with("https_proxy (environment): the proxy scheme \"socks5\""));
    CHECK(c.error.find("hunter2") == std::string::npos);
}

TEST_CASE("proxy: a bad proxy URL in client_options fails every call with a validation error")
{
    auto o = options_for("https://api.example.invalid", "ftp://u:hunter2@proxy:21");
    restschema::client<attestr::service> api(o);
    auto const r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::validation);
    CHECK(r.error().message.starts_with("client_options::proxy.url: the proxy scheme \"ftp\""));
    CHECK(r.error().what().find("hunter2") == std::string::npos);
}

} // namespace test_proxy
