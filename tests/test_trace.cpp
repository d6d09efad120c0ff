// Tracing (issue 15, item 3): the trace hook sees each call and its
// attempts with the time of every phase, sizes and statuses, and nothing
// secret; to_otlp_json() writes them as OpenTelemetry spans.
#include <restschema/client.hpp>
#include <restschema/otlp.hpp>

#include <restschema/gen/attestr.hpp>
#include <restschema/gen/safeshepherd.hpp>

#include "support/connect_proxy.hpp"
#include "support/scripted_server.hpp"
#include "support/test_pki.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

// Every name of this file is in namespace test_trace: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_trace {

namespace {

using namespace std::chrono_literals;
using restschema::call_trace;
using restschema::error_kind;
using test::reply;
using test::scripted_server;

constexpr char const* token = "ATTESTR-TOKEN-trace-77";
constexpr char const* ss_key = "SS-KEY-trace-91";
constexpr char const* ss_secret = "SS-SECRET-trace-13";

struct traces {
    std::vector<call_trace> calls;
    void attach(restschema::client_options& o)
    {
        o.trace = [this](call_trace const& t) { calls.push_back(t); };
    }
};

restschema::client_options options_for(std::string const& url, traces& t)
{
    restschema::client_options o;
    o.base_url = url;
    o.credentials = {{"basic_token", token}};
    o.retry.initial_backoff = 10ms;
    o.retry.max_backoff = 20ms;
    o.connect_timeout = 5s;
    o.request_timeout = 5s;
    t.attach(o);
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

} // namespace

TEST_CASE("trace: a call retried after a 503 has two attempts, the second on the pooled connection")
{
    scripted_server server;
    auto const first = reply(503, R"({"message":"busy"})");
    auto const second = reply(200, R"({"ok":true})");
    server.push(first);
    server.push(second);
    traces t;
    restschema::client<attestr::service> api(options_for(server.url(), t));
    auto const r = api.try_call(profile_request());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    REQUIRE(t.calls.size() == 1); // once per call, before the result is returned

    auto const& c = t.calls[0];
    CHECK(c.endpoint == "update_profile");
    CHECK(c.method == "PUT");
    CHECK(c.scheme == "http");
    CHECK(c.server == "127.0.0.1");
    CHECK(c.port == std::to_string(server.port()));
    CHECK(c.target == "/api/v1/public/factx/PRF-7d4c1e20");
    CHECK(c.proxy.empty());
    CHECK(c.status == 200);
    CHECK_FALSE(c.error);
    REQUIRE(c.attempts.size() == 2);

    auto const& a1 = c.attempts[0];
    CHECK(a1.attempt == 1);
    CHECK(a1.status == 503);
    REQUIRE(a1.error);
    CHECK(*a1.error == error_kind::api);
    CHECK_FALSE(a1.reused_connection);
    CHECK(a1.phases.resolve > 0ns);
    CHECK(a1.phases.connect > 0ns);
    CHECK(a1.phases.tls == 0ns);
    CHECK(a1.phases.proxy == 0ns);
    CHECK(a1.phases.send > 0ns);
    CHECK(a1.phases.wait > 0ns);
    CHECK(a1.backoff >= 5ms); // jitter: within [initial/2, initial]
    REQUIRE(server.requests().size() == 2);
    CHECK(a1.bytes_sent == server.requests()[0].size());
    CHECK(a1.bytes_received == first.size());

    auto const& a2 = c.attempts[1];
    CHECK(a2.attempt == 2);
    CHECK(a2.status == 200);
    CHECK_FALSE(a2.error);
    CHECK(a2.reused_connection);
    CHECK(a2.phases.resolve == 0ns);
    CHECK(a2.phases.connect == 0ns);
    CHECK(a2.bytes_sent == server.requests()[1].size());
    CHECK(a2.bytes_received == second.size());
    CHECK(a2.backoff == 0ns);

    // The phases fit in their attempt; the attempts and the back-off in the call.
    for (auto const& a : c.attempts) {
        auto const& p = a.phases;
        CHECK(p.resolve + p.connect + p.proxy + p.tls + p.send + p.wait + p.receive <= a.duration);
        CHECK(a.start >= c.start);
    }
    CHECK(a1.duration + a1.backoff + a2.duration <= c.duration);
}

TEST_CASE("trace: HTTPS has a TLS phase; through a proxy, a CONNECT phase and the proxy named")
{
    test::test_pki pki;
    scripted_server server(pki.file("good.pem"), pki.file("good.key"));
    server.push(reply(200, R"({"ok":true})"));
    server.push(reply(200, R"({"ok":true})"));
    traces t;
    auto o = options_for(server.url(), t);
    o.tls.ca_file = pki.file("ca.pem");
    o.proxy.use_environment = false;

    SUBCASE("direct")
    {
        restschema::client<attestr::service> api(o);
        REQUIRE(api.try_call(profile_request()).has_value());
        REQUIRE(t.calls.size() == 1);
        CHECK(t.calls[0].scheme == "https");
        REQUIRE(t.calls[0].attempts.size() == 1);
        CHECK(t.calls[0].attempts[0].phases.tls > 0ns);
        CHECK(t.calls[0].attempts[0].phases.proxy == 0ns);
        CHECK(t.calls[0].proxy.empty());
    }
    SUBCASE("through a CONNECT proxy")
    {
        test::connect_proxy proxy;
        o.proxy.url = proxy.url();
        restschema::client<attestr::service> api(o);
        REQUIRE(api.try_call(profile_request()).has_value());
        REQUIRE(t.calls.size() == 1);
        CHECK(t.calls[0].proxy == proxy.url().substr(std::string("http://").size()));
        REQUIRE(t.calls[0].attempts.size() == 1);
        CHECK(t.calls[0].attempts[0].phases.proxy > 0ns);
        CHECK(t.calls[0].attempts[0].phases.tls > 0ns);
    }
}

TEST_CASE("trace: a call that cannot connect is traced with its error and no status")
{
    std::string url;
    {
        scripted_server gone; // its port is free again once it is destroyed
        url = gone.url();
    }
    traces t;
    auto o = options_for(url, t);
    o.retry.max_attempts = 2;
    restschema::client<attestr::service> api(o);
    auto const r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    REQUIRE(t.calls.size() == 1);
    auto const& c = t.calls[0];
    REQUIRE(c.error);
    CHECK(*c.error == r.error().kind);
    CHECK(c.error_message == r.error().message);
    CHECK(c.status == 0);
    REQUIRE(c.attempts.size() == 2); // a refused connect is retried
    for (auto const& a : c.attempts) {
        CHECK(a.status == 0);
        REQUIRE(a.error);
        CHECK(*a.error == error_kind::transport);
        CHECK(a.bytes_sent == 0);
        CHECK(a.phases.send == 0ns);
    }
}

TEST_CASE("trace: a call that is never sent (a bad proxy URL, a request that fails validation) is not traced")
{
    traces t;
    auto o = options_for("http://127.0.0.1:9", t);
    o.proxy.url = "ftp://proxy.example:21";
    o.proxy.use_environment = false;
    {
        restschema::client<attestr::service> api(o);
        auto const r = api.try_call(profile_request());
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::validation);
        CHECK(t.calls.empty());
    }
    o.proxy.url.clear();
    restschema::client<attestr::service> api(o);
    auto bad = profile_request();
    bad.profile_id = ""; // a path parameter may not be empty
    auto const r = api.try_call(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::validation);
    CHECK(t.calls.empty());
}

TEST_CASE("trace: nothing secret in a trace or its spans: keys in paths, credentials, echoed bodies")
{
    scripted_server server;
    // The server echoes the key and the secret in its error message.
    server.push(
        reply(422, std::string(R"({"error":"bad key )") + ss_key + " or secret " + ss_secret + R"("})"));
    traces t;
    restschema::client_options o;
    o.base_url = server.url();
    o.credentials = {{"api_key", ss_key}, {"api_secret", ss_secret}};
    o.retry.max_attempts = 1;
    t.attach(o);
    restschema::client<safeshepherd::service> api(o);
    safeshepherd::update_user_request u;
    u.integration_name = "acme";
    u.id = 12;
    u.secret = "TOP SECRET";
    auto const r = api.try_call(u);
    REQUIRE_FALSE(r.has_value());
    REQUIRE(t.calls.size() == 1);
    auto const& c = t.calls[0];
    CHECK(c.target.find("***") != std::string::npos);
    std::string seen = c.target + "\n" + c.error_message + "\n" + restschema::to_otlp_json(c);
    for (auto const& a : c.attempts)
        seen += a.error_message + "\n";
    CHECK(seen.find(ss_key) == std::string::npos);
    CHECK(seen.find(ss_secret) == std::string::npos);
    CHECK(seen.find("TOP SECRET") == std::string::npos);
}

TEST_CASE("trace: to_otlp_json writes a call span, an attempt span per attempt and a span per phase")
{
    call_trace c;
    c.endpoint = "update_profile";
    c.method = "PUT";
    c.scheme = "https";
    c.server = "api.attestr.com";
    c.port = "443";
    c.target = "/api/v1/public/factx/PRF-1";
    c.start = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
    c.duration = 250ms;
    c.status = 200;
    restschema::attempt_trace a1;
    a1.attempt = 1;
    a1.start = c.start;
    a1.duration = 100ms;
    a1.status = 503;
    a1.error = error_kind::api;
    a1.error_message = "HTTP 503";
    a1.phases.resolve = 10ms;
    a1.phases.connect = 20ms;
    a1.phases.tls = 30ms;
    a1.phases.send = 1ms;
    a1.phases.wait = 30ms;
    a1.phases.receive = 9ms;
    a1.backoff = 50ms;
    restschema::attempt_trace a2;
    a2.attempt = 2;
    a2.start = c.start + 150ms;
    a2.duration = 100ms;
    a2.status = 200;
    a2.reused_connection = true;
    a2.phases.send = 1ms;
    a2.phases.wait = 99ms;
    c.attempts = {a1, a2};

    auto const line =
        restschema::to_otlp_json(c, {.service_name = "billing", .trace_id = {}, .parent_span_id = {}});
    CHECK(line.find('\n') == std::string::npos);
    auto const doc = boost::json::parse(line);
    auto const& rs = doc.at("resourceSpans").at(0);
    auto const& res_attr = rs.at("resource").at("attributes").at(0);
    CHECK(res_attr.at("key").as_string() == "service.name");
    CHECK(res_attr.at("value").at("stringValue").as_string() == "billing");
    auto const& spans = rs.at("scopeSpans").at(0).at("spans").as_array();
    // 1 call + 2 attempts + 6 phases of the first + 2 of the second
    REQUIRE(spans.size() == 11);

    auto const& call = spans[0].as_object();
    CHECK(call.at("name").as_string() == "update_profile");
    CHECK(call.at("kind") == 1);
    CHECK_FALSE(call.contains("parentSpanId"));
    CHECK(call.at("startTimeUnixNano").as_string() == "1700000000000000000");
    CHECK(call.at("endTimeUnixNano").as_string() == "1700000000250000000");
    CHECK(call.at("status").at("code") == 1);
    auto const trace_id = call.at("traceId").as_string();
    CHECK(trace_id.size() == 32);
    auto const call_id = call.at("spanId").as_string();
    CHECK(call_id.size() == 16);

    // An attribute's value as text (OTLP/JSON writes intValue as a string too).
    auto attr = [](boost::json::object const& span, std::string_view key) -> std::optional<std::string> {
        for (auto const& a : span.at("attributes").as_array())
            if (a.at("key").as_string() == key)
                return std::string(a.at("value").as_object().begin()->value().as_string());
        return std::nullopt;
    };
    std::vector<std::string> names;
    std::string attempt_ids[2];
    int attempts = 0;
    for (auto const& s : spans) {
        auto const& o = s.as_object();
        CHECK(o.at("traceId").as_string() == trace_id);
        names.emplace_back(o.at("name").as_string());
        if (o.at("kind") == 3) {
            CHECK(o.at("parentSpanId").as_string() == call_id);
            attempt_ids[attempts++] = std::string(o.at("spanId").as_string());
        }
    }
    REQUIRE(attempts == 2);
    CHECK(names == std::vector<std::string>{"update_profile", "PUT", "resolve", "connect", "tls", "send",
                                            "wait", "receive", "PUT", "send", "wait"});
    auto const& first = spans[1].as_object();
    CHECK(attr(first, "url.full") == "https://api.attestr.com/api/v1/public/factx/PRF-1");
    CHECK(attr(first, "http.response.status_code") == "503");
    CHECK(attr(first, "error.type") == "api");
    CHECK(first.at("status").at("code") == 2);
    CHECK(first.at("status").at("message").as_string() == "HTTP 503");
    CHECK_FALSE(attr(first, "http.request.resend_count"));
    auto const& resolve = spans[2].as_object();
    CHECK(resolve.at("parentSpanId").as_string() == attempt_ids[0]);
    CHECK(resolve.at("startTimeUnixNano").as_string() == "1700000000000000000");
    CHECK(resolve.at("endTimeUnixNano").as_string() == "1700000000010000000");
    auto const& connect = spans[3].as_object();
    CHECK(connect.at("startTimeUnixNano").as_string() == "1700000000010000000"); // phases follow one another
    auto const& second = spans[8].as_object();
    CHECK(attr(second, "http.request.resend_count") == "1");
    CHECK(attr(second, "restschema.connection_reused") == "true");
    CHECK(spans[9].at("parentSpanId").as_string() == attempt_ids[1]);

    SUBCASE("joining a trace, and ids that are not ids")
    {
        std::string const tid = "4bf92f3577b34da6a3ce929d0e0e4736";
        std::string const pid = "00f067aa0ba902b7";
        auto const joined = boost::json::parse(
            restschema::to_otlp_json(c, {.service_name = "billing", .trace_id = tid, .parent_span_id = pid}));
        auto const& s0 = joined.at("resourceSpans").at(0).at("scopeSpans").at(0).at("spans").at(0);
        CHECK(s0.at("traceId").as_string() == tid);
        CHECK(s0.at("parentSpanId").as_string() == pid);
        auto const fresh = boost::json::parse(restschema::to_otlp_json(
            c, {.service_name = "billing", .trace_id = "not hex", .parent_span_id = pid}));
        auto const& f0 = fresh.at("resourceSpans").at(0).at("scopeSpans").at(0).at("spans").at(0);
        CHECK(f0.at("traceId").as_string() != "not hex");
        CHECK(f0.at("traceId").as_string().size() == 32);
        CHECK_FALSE(f0.as_object().contains("parentSpanId"));
    }
}

} // namespace test_trace
