// Per-call options (issue 14, item 2): a timeout, extra headers, an
// idempotency key and a retry policy that override client_options for one
// call, and leave the next call as the client says.
#include <restschema/client.hpp>

#include <restschema/gen/dated.hpp>

#include "support/scripted_server.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

// Every name of this file is in namespace test_call_options: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_call_options {

namespace {

using namespace std::chrono_literals;

restschema::client_options options_for(std::string url)
{
    restschema::client_options co;
    co.base_url = std::move(url);
    co.credentials = {{"token", "tok-dated"}};
    co.retry.initial_backoff = 1ms;
    co.retry.jitter = false;
    return co;
}

std::string header_value(std::string const& raw, std::string const& name)
{
    auto const at = raw.find("\r\n" + name + ": ");
    if (at == std::string::npos)
        return "(absent)";
    auto const start = at + name.size() + 4;
    return raw.substr(start, raw.find("\r\n", start) - start);
}

dated::post_event_request event()
{
    dated::post_event_request r;
    r.name = "login";
    return r;
}

} // namespace

TEST_CASE("call options: extra headers are sent, replace the client's own, and a sensitive one is masked")
{
    test::scripted_server server;
    server.set_default(test::reply(200, "{}"));
    auto co = options_for(server.url());
    std::string logged;
    co.log = [&](restschema::log_record const& r) {
        if (r.what == restschema::log_record::kind::request)
            for (auto const& [k, v] : r.headers)
                logged += k + ": " + v + "\n";
    };
    restschema::client<dated::service> api(co);
    restschema::call_options opts;
    opts.headers = {
        {"X-Request-Id", "req-42"}, {"Accept", "application/json"}, {"X-Api-Key", "k-secret", true}};
    auto r = api.try_call(event(), opts);
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    auto const sent = server.requests().at(0);
    CHECK(header_value(sent, "X-Request-Id") == "req-42");
    CHECK(header_value(sent, "Accept") == "application/json"); // replaced, not doubled
    CHECK(sent.find("Accept:") == sent.rfind("Accept:"));
    CHECK(header_value(sent, "X-Api-Key") == "k-secret");
    CHECK(logged.find("X-Api-Key: ***") != std::string::npos);
    CHECK(logged.find("k-secret") == std::string::npos);

    // The next call is the client's again.
    auto again = api.try_call(event());
    REQUIRE_MESSAGE(again.has_value(), again.error().what());
    CHECK(header_value(server.requests().at(1), "X-Request-Id") == "(absent)");
}

TEST_CASE("call options: a header the transport owns, a bad name or value is refused before sending")
{
    test::scripted_server server;
    restschema::client<dated::service> api(options_for(server.url()));
    restschema::call_options opts;
    opts.headers = {{"Content-Length", "5"}, {"Bad Name", "x"}, {"X-Ok", "a\r\nInjected: yes"}};
    auto r = api.try_call(event(), opts);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == restschema::error_kind::validation);
    REQUIRE(r.error().problems.size() == 3);
    CHECK(r.error().problems[0].path == "header Content-Length");
    CHECK(r.error().problems[0].message == "set by the transport, not by a call");
    CHECK(r.error().problems[1].message == "not a valid header name");
    CHECK(r.error().problems[2].path == "header X-Ok");
    CHECK(server.requests().empty());

    // An idempotency key where the endpoint has no key header.
    restschema::call_options key;
    key.idempotency_key = "k-1";
    auto no_key = api.try_call(dated::post_note_request{.text = "hi"}, key);
    REQUIRE_FALSE(no_key.has_value());
    CHECK(no_key.error().what().find("post_note has no idempotency key header") != std::string::npos);
}

TEST_CASE("call options: the caller's idempotency key is sent on every retry of the call")
{
    test::scripted_server server;
    server.push(test::reply(503, R"({"message":"later"})"));
    server.push(test::reply(200, "{}"));
    restschema::client<dated::service> api(options_for(server.url()));
    restschema::call_options opts;
    opts.idempotency_key = "order-7-attempt";
    auto r = api.try_call(event(), opts);
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    auto const sent = server.requests();
    REQUIRE(sent.size() == 2);
    CHECK(header_value(sent[0], "Idempotency-Key") == "order-7-attempt");
    CHECK(header_value(sent[1], "Idempotency-Key") == "order-7-attempt");
}

TEST_CASE("call options: a retry policy and a timeout for one call, the client's for the next")
{
    test::scripted_server server;
    restschema::client<dated::service> api(options_for(server.url()));

    // No retries for this call, although the client allows three attempts.
    server.push(test::reply(503, R"({"message":"later"})"));
    restschema::call_options once;
    once.retry = restschema::retry_policy{.max_attempts = 1};
    auto r = api.try_call(event(), once);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().attempts == 1);
    CHECK(server.requests().size() == 1);

    // A request timeout for this call only: the slow answer times out.
    test::scripted_reply slow{test::reply(200, "{}")};
    slow.delay = 2000ms;
    server.push(slow);
    restschema::call_options quick;
    quick.request_timeout = 100ms;
    quick.retry = restschema::retry_policy{.max_attempts = 1};
    auto t = api.try_call(event(), quick);
    REQUIRE_FALSE(t.has_value());
    CHECK(t.error().kind == restschema::error_kind::timeout);

    // The client's options again: its 30 s timeout waits for a 200 ms answer.
    test::scripted_reply late{test::reply(200, "{}")};
    late.delay = 200ms;
    server.push(late);
    auto ok = api.try_call(event());
    REQUIRE_MESSAGE(ok.has_value(), ok.error().what());
}

} // namespace test_call_options
