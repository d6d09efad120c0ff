// The generic client against a scripted HTTP(S) server on 127.0.0.1.
#include <restschema/client.hpp>

#include <restschema/gen/attestr.hpp>
#include <restschema/gen/dated.hpp>
#include <restschema/gen/safeshepherd.extras.hpp>
#include <restschema/gen/versioned.hpp>

#include "support/scripted_server.hpp"
#include "support/test_pki.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

// Every name of this file is in namespace test_client: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_client {

namespace {

using namespace std::chrono_literals;
using restschema::error_kind;
using test::reply;
using test::scripted_reply;
using test::scripted_server;

constexpr char const* attestr_token = "ATTESTR-TOKEN-5f2a9c";
constexpr char const* ss_key = "SS-KEY-81d0e4";
constexpr char const* ss_secret = "SS-SECRET-c3b7aa";
constexpr char const* user_secret = "TOP SECRET";

restschema::client_options attestr_options(std::string const& url)
{
    restschema::client_options o;
    o.base_url = url;
    o.credentials = {{"basic_token", attestr_token}};
    o.retry.initial_backoff = 10ms;
    o.retry.max_backoff = 50ms;
    return o;
}

restschema::client_options ss_options(std::string const& url)
{
    restschema::client_options o;
    o.base_url = url;
    o.credentials = {{"api_key", ss_key}, {"api_secret", ss_secret}};
    o.retry.initial_backoff = 10ms;
    o.retry.max_backoff = 50ms;
    return o;
}

attestr::update_profile_request profile_request()
{
    attestr::update_profile_request r;
    r.profile_id = "PRF-7d4c1e20";
    r.tag = "EMP-1042";
    r.name = "Asha Verma";
    r.mobile = "+919876543210";
    return r;
}

safeshepherd::update_user_request user_request()
{
    safeshepherd::update_user_request r;
    r.integration_name = "acme";
    r.id = 12;
    r.secret = user_secret;
    r.middle_name = "";
    return r;
}

std::string seed_user_json()
{
    return std::string(restschema::endpoint_docs<safeshepherd::update_user>::response_example_json);
}

std::string body_of(std::string const& raw)
{
    auto const pos = raw.find("\r\n\r\n");
    return pos == std::string::npos ? "" : raw.substr(pos + 4);
}

} // namespace

TEST_CASE("client: attestr update sends Basic auth, the JSON body and the expanded path")
{
    scripted_server server;
    server.push(reply(200, R"({"profileId":"PRF-7d4c1e20","tag":"EMP-1042"})"));
    restschema::client<attestr::service> api(attestr_options(server.url()));

    auto r = api.try_call(profile_request());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->at("tag") == "EMP-1042");

    auto const req = server.requests().at(0);
    CHECK(req.starts_with("PUT /api/v1/public/factx/PRF-7d4c1e20 HTTP/1.1\r\n"));
    CHECK(req.find(std::string("Authorization: Basic ") + attestr_token) != std::string::npos);
    CHECK(req.find("Content-Type: application/json") != std::string::npos);
    auto const body = boost::json::parse(body_of(req)).as_object();
    CHECK(body.at("tag") == "EMP-1042");
    CHECK(body.at("mobile") == "+919876543210");
    CHECK_FALSE(body.contains("email")); // absent optional: not sent
}

TEST_CASE("client: a path parameter is percent-encoded as one segment, '../' included")
{
    scripted_server server;
    server.push(reply(200));
    restschema::client<attestr::service> api(attestr_options(server.url()));
    auto req = profile_request();
    req.profile_id = "../admin?x=1#y";
    REQUIRE(api.try_call(req).has_value());
    CHECK(server.requests().at(0).starts_with("PUT /api/v1/public/factx/..%2Fadmin%3Fx%3D1%23y HTTP/1.1"));
}

TEST_CASE(
    "client: safeshepherd update puts the key in the path, the secret in the body, and decodes the user")
{
    scripted_server server;
    server.push(reply(200, seed_user_json()));
    restschema::client<safeshepherd::service> api(ss_options(server.url()));

    auto req = user_request();
    req.aliases.append({.first_name = "Tom", .alias_type = safeshepherd::alias_type::nickname});
    auto r = api.try_call(req);
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->id == 12);
    CHECK(r->first_name == "Tommy");
    REQUIRE(r->records);
    CHECK(r->records->at(0).reference_id == "000560228488");

    auto const raw = server.requests().at(0);
    CHECK(raw.starts_with(std::string("PUT /api/acme/") + ss_key + "/v2/users/12.json HTTP/1.1"));
    auto const body = boost::json::parse(body_of(raw)).as_object();
    CHECK(body.at("api_secret") == ss_secret);
    CHECK(body.at("secret") == user_secret);
    CHECK(body.at("middle_name") == ""); // blank string is sent: it truncates
    CHECK_FALSE(body.contains("first_name"));
    CHECK(body.at("aliases").at(0).at("alias_type") == "nickname");
}

TEST_CASE("client: an api error maps to the endpoint's error enum, table message and server message")
{
    scripted_server server;
    server.push(
        reply(403, R"({"code":4039,"message":"IP 10.0.0.7 not allowed","details":"add it in the console"})"));
    restschema::client<attestr::service> api(attestr_options(server.url()));
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    auto const& e = r.error();
    CHECK(e.kind == error_kind::api);
    CHECK(e.code() == restschema::error_kind::api);
    CHECK(e.http_status == 403);
    CHECK(e.api_code == 4039);
    CHECK(e.api_error<attestr::update_profile_error>() == attestr::update_profile_error::ip_not_whitelisted);
    CHECK(e.table_message == "Client's IP address is not whitelisted");
    CHECK(e.server_message == "IP 10.0.0.7 not allowed");
    CHECK(e.server_details == "add it in the console");
    CHECK_THROWS_AS(api.call(profile_request()), restschema::exception);
}

TEST_CASE("client: an api code missing from the table is kept as unknown with its raw code")
{
    scripted_server server;
    server.push(reply(400, R"({"code":4777,"message":"new in v1.1"})"));
    restschema::client<attestr::service> api(attestr_options(server.url()));
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().api_error<attestr::update_profile_error>() == attestr::update_profile_error::unknown);
    CHECK(r.error().api_code == 4777);
    CHECK(r.error().server_message == "new in v1.1");
}

TEST_CASE("client: an invalid request is a validation error and nothing is sent")
{
    scripted_server server;
    restschema::client<attestr::service> api(attestr_options(server.url()));
    auto req = profile_request();
    req.mobile = "9876543210"; // not E.164
    req.name.reset();          // required
    auto r = api.try_call(req);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::validation);
    REQUIRE(r.error().problems.size() == 2);
    CHECK(r.error().what().find("mobile") != std::string::npos);
    CHECK(r.error().what().find("name") != std::string::npos);
    CHECK(server.requests().empty());
    CHECK(server.connections() == 0);
}

TEST_CASE("client: CR/LF in a path parameter or a credential is rejected before sending")
{
    scripted_server server;
    {
        restschema::client<attestr::service> api(attestr_options(server.url()));
        auto req = profile_request();
        req.profile_id = "PRF\r\nX-Injected: 1";
        auto r = api.try_call(req);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::validation);
    }
    {
        auto o = attestr_options(server.url());
        o.credentials["basic_token"] = "tok\r\nX-Injected: 1";
        restschema::client<attestr::service> api(o);
        auto r = api.try_call(profile_request());
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::validation);
        CHECK(r.error().what().find("X-Injected") == std::string::npos);
    }
    CHECK(server.requests().empty());
}

TEST_CASE("client: an API version the schema does not list is a validation error and nothing is sent")
{
    // Regression: the old client dropped this problem (it had no path) and sent the request.
    scripted_server server;
    server.push(reply(200, R"({"id":"PRF-7d4c1e20"})"));
    auto o = attestr_options(server.url());
    o.api_version = "v9";
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::validation);
    CHECK(r.error().what().find("unknown API version \"v9\"") != std::string::npos);
    CHECK(server.requests().empty());
}

TEST_CASE("client: a missing credential is a validation error naming the auth scheme")
{
    scripted_server server;
    auto o = attestr_options(server.url());
    o.credentials.clear();
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::validation);
    CHECK(r.error().what().find("basic_token") != std::string::npos);
}

TEST_CASE("client: a field outside the chosen API version is an error and nothing is sent")
{
    scripted_server server;
    restschema::client_options o;
    o.base_url = server.url();
    o.api_version = "v1";
    o.credentials = {{"token", "tok"}};
    restschema::client<versioned::service> api(o);
    versioned::put_thing_request r;
    r.thing_id = 7;
    r.label = "x";
    r.colour = "red"; // v2 and later
    auto res = api.try_call(r);
    REQUIRE_FALSE(res.has_value());
    CHECK(res.error().kind == error_kind::validation);
    CHECK(res.error().what().find("colour: exists in API versions v2 and later, not in v1") !=
          std::string::npos);
    CHECK(server.requests().empty());
}

TEST_CASE("client: query and header parameters and bearer auth")
{
    scripted_server server;
    server.push(reply(200, "{}"));
    restschema::client_options o;
    o.base_url = server.url() + "/prefix/";
    o.credentials = {{"token", "tok-123"}};
    restschema::client<versioned::service> api(o);
    versioned::put_thing_request r;
    r.thing_id = 7;
    r.label = "x";
    r.dry_run = true;
    r.x_request_id = "abc";
    REQUIRE(api.try_call(r).has_value());
    auto const raw = server.requests().at(0);
    CHECK(raw.starts_with("PUT /prefix/v3/things/7?dry-run=true HTTP/1.1"));
    CHECK(raw.find("Authorization: Bearer tok-123") != std::string::npos);
    CHECK(raw.find("X-Request-Id: abc") != std::string::npos);
}

TEST_CASE("client: a response that does not match the schema reports the JSON path")
{
    scripted_server server;
    server.push(reply(200, R"({"user":{"id":12,"addresses":[{"id":1,"zip":91101}]}})"));
    restschema::client<safeshepherd::service> api(ss_options(server.url()));
    auto r = api.try_call(user_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::decode);
    REQUIRE(r.error().problems.size() == 1);
    CHECK(r.error().problems[0].path == "user.addresses[0].zip");
    CHECK(r.error().problems[0].message == "expected string, found integer");
}

TEST_CASE("retry: 429 with Retry-After in seconds is retried after that delay")
{
    scripted_server server;
    server.push(reply(429, R"({"code":4291,"message":"slow down"})", "Retry-After: 1\r\n"));
    server.push(reply(200));
    restschema::client<attestr::service> api(attestr_options(server.url()));
    auto const t0 = std::chrono::steady_clock::now();
    auto r = api.try_call(profile_request());
    auto const waited = std::chrono::steady_clock::now() - t0;
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(server.requests().size() == 2);
    CHECK(waited >= 900ms); // it waited for the server, not for its own short backoff
}

// Found by fuzz_inputs (libFuzzer, UBSan): a date past 2262 overflowed
// system_clock's nanoseconds. Far dates now read as "very long" (one year).
TEST_CASE("retry regression: a Retry-After date in the year 3988 does not overflow")
{
    using namespace std::chrono;
    auto const d =
        restschema::detail::parse_retry_after("Sun, 06 Nov 3988 08:49:37 GMT", system_clock::now());
    REQUIRE(d);
    CHECK(*d == hours(24 * 365));
}

TEST_CASE("retry: Retry-After as an HTTP-date is honoured")
{
    using namespace std::chrono;
    auto const now = system_clock::now();
    std::time_t const t = system_clock::to_time_t(now + 2s);
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&t));
    auto const d = restschema::detail::parse_retry_after(date, now);
    REQUIRE(d);
    CHECK(*d > 500ms);
    CHECK(*d <= 2s);
    CHECK(restschema::detail::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == 0ms);
    CHECK(restschema::detail::parse_retry_after("120", now) == 120s);
    CHECK_FALSE(restschema::detail::parse_retry_after("soon", now));

    scripted_server server;
    server.push(reply(503, "{}", std::string("Retry-After: ") + date + "\r\n"));
    server.push(reply(200));
    restschema::client<attestr::service> api(attestr_options(server.url()));
    auto const t0 = steady_clock::now();
    auto r = api.try_call(profile_request());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(server.requests().size() == 2);
    CHECK(steady_clock::now() - t0 >= 500ms);
}

TEST_CASE("retry: no retry on 400")
{
    scripted_server server;
    server.push(reply(400, R"({"code":4001,"message":"Malformed"})"));
    server.push(reply(200));
    restschema::client<attestr::service> api(attestr_options(server.url()));
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().attempts == 1);
    CHECK(server.requests().size() == 1);
}

TEST_CASE("retry: the daily-limit 429 rows 4293 and 4294 are not retried, 4291 and 4292 are")
{
    for (int code : {4293, 4294}) {
        scripted_server server;
        server.push(reply(429, R"({"code":)" + std::to_string(code) + R"(,"message":"daily"})"));
        server.push(reply(200));
        restschema::client<attestr::service> api(attestr_options(server.url()));
        auto r = api.try_call(profile_request());
        REQUIRE_FALSE(r.has_value());
        CHECK_FALSE(r.error().retryable);
        CHECK(server.requests().size() == 1);
    }
    for (int code : {4291, 4292}) {
        scripted_server server;
        server.push(reply(429, R"({"code":)" + std::to_string(code) + R"(,"message":"rate"})"));
        server.push(reply(200));
        restschema::client<attestr::service> api(attestr_options(server.url()));
        auto r = api.try_call(profile_request());
        CHECK(r.has_value());
        CHECK(server.requests().size() == 2);
    }
}

TEST_CASE("retry: attempts are bounded and the last error is returned")
{
    scripted_server server;
    for (int i = 0; i < 5; ++i)
        server.push(reply(500, R"({"code":5001,"message":"Request could not be processed"})"));
    auto o = attestr_options(server.url());
    o.retry.max_attempts = 3;
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().attempts == 3);
    CHECK(r.error().api_error<attestr::update_profile_error>() ==
          attestr::update_profile_error::request_not_processed);
    CHECK(server.requests().size() == 3);
}

TEST_CASE("retry: a connection lost before any byte of the response is retried")
{
    scripted_server server;
    server.push(scripted_reply{.close_without_reply = true});
    server.push(reply(200));
    restschema::client<attestr::service> api(attestr_options(server.url()));
    auto r = api.try_call(profile_request());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(server.requests().size() == 2);
}

TEST_CASE("timeout: a server slower than request_timeout gives a timeout error")
{
    scripted_server server;
    server.push(scripted_reply{.raw = reply(200), .delay = 1500ms});
    auto o = attestr_options(server.url());
    o.request_timeout = 300ms;
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::timeout);
    CHECK(r.error().attempts == 1); // timeouts are not retried by default
}

TEST_CASE("timeout: a peer that accepts TCP but never completes the TLS handshake hits connect_timeout")
{
    // The kernel completes the TCP handshake for a listening socket; nobody
    // ever answers the ClientHello.
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    auto o = attestr_options("https://127.0.0.1:" + std::to_string(silent.local_endpoint().port()));
    o.connect_timeout = 300ms;
    o.retry.max_attempts = 1;
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK_MESSAGE(r.error().kind == error_kind::timeout, r.error().what());
}

TEST_CASE("client: a server closing mid-response is a transport error and is not retried")
{
    scripted_server server;
    auto const full = reply(200, seed_user_json());
    server.push(scripted_reply{.raw = full, .send_only = full.size() / 2});
    server.push(reply(200, seed_user_json()));
    restschema::client<safeshepherd::service> api(ss_options(server.url()));
    auto r = api.try_call(user_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::transport);
    CHECK(r.error().what().find("mid-response") != std::string::npos);
    CHECK(server.requests().size() == 1);
}

TEST_CASE("client: a garbage status line is a protocol error naming the fault, not a lost connection")
{
    // Regression: the transport once reported "bad version (connection lost mid-response)".
    scripted_server server;
    server.push(scripted_reply{.raw = "HTTX/9.9 200 OK\r\nContent-Length: 2\r\n\r\n{}"});
    restschema::client<safeshepherd::service> api(ss_options(server.url()));
    auto r = api.try_call(user_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::transport);
    CHECK(r.error().what().find("is not valid HTTP") != std::string::npos);
    CHECK(r.error().what().find("connection lost") == std::string::npos);
    CHECK(server.requests().size() == 1);
}

TEST_CASE("client: interim 1xx responses (an unsolicited 100, 103 Early Hints) are skipped for the final one")
{
    // Regression: the transport once took the first 1xx as the final response ("HTTP 100 (unknown)").
    scripted_server server;
    server.push(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n" +
        reply(200, seed_user_json()));
    server.push(reply(200, seed_user_json())); // the connection is still good for the next call
    restschema::client<safeshepherd::service> api(ss_options(server.url()));
    auto r = api.try_call(user_request());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->first_name == "Tommy");
    auto again = api.try_call(user_request());
    REQUIRE_MESSAGE(again.has_value(), again.error().what());
    CHECK(server.requests().size() == 2);
}

TEST_CASE("client: 101 Switching Protocols unasked, or 1xx without end, is a protocol error, not retried")
{
    scripted_server server;
    server.push("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n");
    std::string endless;
    for (int i = 0; i < 20; ++i)
        endless += "HTTP/1.1 100 Continue\r\n\r\n";
    server.push(endless + reply(200, seed_user_json()));
    restschema::client<safeshepherd::service> api(ss_options(server.url()));
    auto upgraded = api.try_call(user_request());
    REQUIRE_FALSE(upgraded.has_value());
    CHECK(upgraded.error().kind == error_kind::transport);
    CHECK(upgraded.error().what().find("is not valid HTTP: HTTP 101 Switching Protocols") !=
          std::string::npos);
    auto flooded = api.try_call(user_request());
    REQUIRE_FALSE(flooded.has_value());
    CHECK(flooded.error().what().find("more than 8 interim (1xx) responses") != std::string::npos);
    CHECK(server.requests().size() == 2); // neither was sent again
}

// ---------------------------------------------------------------- redirects

restschema::client_options dated_options(std::string const& url)
{
    restschema::client_options o;
    o.base_url = url;
    o.credentials = {{"token", "tok-dated-77"}};
    o.retry.initial_backoff = 1ms;
    o.retry.max_backoff = 5ms;
    return o;
}

std::string request_line(std::string const& raw)
{
    return raw.substr(0, raw.find("\r\n"));
}

bool has_header(std::string const& raw, std::string const& name)
{
    return raw.find("\r\n" + name + ": ") != std::string::npos;
}

TEST_CASE(
    "redirect: a GET follows 301 and 302, any method follows 307 and 308 with its body; hops are not retries")
{
    scripted_server server;
    server.push(reply(301, "", "Location: /notes/2\r\n"));
    server.push(reply(302, "", "Location: " + server.url() + "/notes/3\r\n"));
    server.push(reply(200, R"({"id":3,"text":"third"})"));
    server.push(reply(307, "", "Location: /v2/notes\r\n"));
    server.push(reply(308, "", "Location: notes-final\r\n")); // relative to /v2/notes
    server.push(reply(200, R"({"ok":true})"));
    auto o = dated_options(server.url());
    o.retry.max_attempts = 1; // the hops must not use up the policy
    std::vector<restschema::call_trace> traces;
    o.trace = [&](restschema::call_trace const& t) { traces.push_back(t); };
    restschema::client<dated::service> api(o);
    auto note = api.try_call(dated::get_note_request{.id = 1});
    REQUIRE_MESSAGE(note.has_value(), note.error().what());
    CHECK(note->text == "third");
    auto posted = api.try_call(dated::post_note_request{.text = "hello"});
    REQUIRE_MESSAGE(posted.has_value(), posted.error().what());
    auto const sent = server.requests();
    REQUIRE(sent.size() == 6);
    CHECK(request_line(sent[1]) == "GET /notes/2 HTTP/1.1");
    CHECK(request_line(sent[2]) == "GET /notes/3 HTTP/1.1");
    CHECK(request_line(sent[4]) == "POST /v2/notes HTTP/1.1");
    CHECK(request_line(sent[5]) == "POST /v2/notes-final HTTP/1.1");
    for (auto const& r : sent)
        CHECK(r.find("Authorization: Bearer tok-dated-77") != std::string::npos); // same origin
    CHECK(sent[5].ends_with(R"({"text":"hello"})"));
    REQUIRE(traces.size() == 2);
    REQUIRE(traces[0].attempts.size() == 3);
    CHECK(traces[0].attempts[0].status == 301);
    CHECK(traces[0].attempts[2].status == 200);
}

TEST_CASE("redirect: a 301 of a POST is not followed; the error names where it points")
{
    scripted_server server;
    server.push(reply(301, R"({"message":"moved"})", "Location: https://new.example/notes\r\n"));
    restschema::client<dated::service> api(dated_options(server.url()));
    auto r = api.try_call(dated::post_note_request{.text = "hello"});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::api);
    CHECK(r.error().http_status == 301);
    CHECK(
        r.error().what().find("to \"https://new.example/notes\": not followed, since the POST would have to "
                              "become a GET") != std::string::npos);
    CHECK(server.requests().size() == 1);
}

TEST_CASE("redirect: a loop ends after max_redirects with the last 3xx as the error; 0 follows none")
{
    scripted_server server;
    server.set_default(reply(301, "", "Location: /notes/1\r\n"));
    auto o = dated_options(server.url());
    o.max_redirects = 3;
    restschema::client<dated::service> api(o);
    auto r = api.try_call(dated::get_note_request{.id = 1});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::api);
    CHECK(r.error().http_status == 301);
    CHECK(r.error().what().find("not followed, after 3 redirects") != std::string::npos);
    CHECK(server.requests().size() == 4);

    o.max_redirects = 0;
    restschema::client<dated::service> none(o);
    auto n = none.try_call(dated::get_note_request{.id = 1});
    REQUIRE_FALSE(n.has_value());
    CHECK(n.error().what().find("not followed (max_redirects is 0)") != std::string::npos);
    CHECK(server.requests().size() == 5);

    server.push(reply(302, ""));
    auto bare = api.try_call(dated::get_note_request{.id = 1});
    REQUIRE_FALSE(bare.has_value());
    CHECK(bare.error().what().find("a redirect without a Location header") != std::string::npos);
}

TEST_CASE("redirect: to another origin, credentials stay home; a secret in the new URL is not followed")
{
    scripted_server home;
    scripted_server elsewhere;
    home.push(reply(307, "", "Location: " + elsewhere.url() + "/notes/9\r\n"));
    elsewhere.push(reply(200, R"({"id":9,"text":"ninth"})"));
    restschema::client<dated::service> api(dated_options(home.url()));
    auto r = api.try_call(dated::get_note_request{.id = 1});
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    REQUIRE(elsewhere.requests().size() == 1);
    CHECK(request_line(elsewhere.requests()[0]) == "GET /notes/9 HTTP/1.1");
    CHECK_FALSE(has_header(elsewhere.requests()[0], "Authorization"));
    CHECK(elsewhere.requests()[0].find("tok-dated-77") == std::string::npos);

    // Safe Shepherd's key travels in the path: a Location elsewhere that
    // carries it would hand it over, so the call ends there, key masked.
    scripted_server ss;
    ss.push(reply(308, "", "Location: " + elsewhere.url() + "/api/acme/" + ss_key + "/v2/users/12.json\r\n"));
    restschema::client<safeshepherd::service> users(ss_options(ss.url()));
    auto u = users.try_call(user_request());
    REQUIRE_FALSE(u.has_value());
    CHECK(u.error().what().find("leads to another origin with a credential in its URL; not followed") !=
          std::string::npos);
    CHECK(u.error().what().find(ss_key) == std::string::npos);
    CHECK(elsewhere.requests().size() == 1);
}

TEST_CASE("client: a 413 sent before the body was read is the call's error, not a lost connection")
{
    // A server that answers from the headers alone and closes without
    // reading the (large) body: the client's write fails, yet the answer arrived.
    namespace asio = boost::asio;
    using tcp = asio::ip::tcp;
    asio::io_context ioc;
    tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    auto const port = acceptor.local_endpoint().port();
    std::thread peer([&] {
        tcp::socket s(ioc);
        acceptor.accept(s);
        std::string head;
        char c;
        while (head.find("\r\n\r\n") == std::string::npos && asio::read(s, asio::buffer(&c, 1)) == 1)
            head += c;
        std::string const body = R"({"message":"body too large"})";
        asio::write(s, asio::buffer("HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\n"
                                    "Connection: close\r\nContent-Length: " +
                                    std::to_string(body.size()) + "\r\n\r\n" + body));
        boost::system::error_code ec;
        s.shutdown(tcp::socket::shutdown_send, ec);
        std::this_thread::sleep_for(100ms);
        s.close(ec); // unread body left: the kernel resets the connection
    });
    restschema::client<dated::service> api(dated_options("http://127.0.0.1:" + std::to_string(port)));
    auto r = api.try_call(dated::post_note_request{.text = std::string(16 << 20, 'x')});
    peer.join();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::api);
    CHECK(r.error().http_status == 413);
    CHECK(r.error().server_message == "body too large");
}

TEST_CASE("client: a response body over max_body_size is an error")
{
    scripted_server server;
    server.push(reply(200, R"({"pad":")" + std::string(8192, 'x') + R"("})"));
    auto o = attestr_options(server.url());
    o.max_body_size = 1024;
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::decode);
    CHECK(r.error().what().find("exceeds the limit of 1024 bytes") != std::string::npos);
}

TEST_CASE("client: keep-alive reuses the connection and reopens one the server closed")
{
    scripted_server server;
    server.push(reply(200));
    server.push(scripted_reply{.raw = reply(200), .close_after = true}); // server closes after this one
    server.push(reply(200));
    restschema::client<attestr::service> api(attestr_options(server.url()));
    REQUIRE(api.try_call(profile_request()).has_value());
    REQUIRE(api.try_call(profile_request()).has_value());
    CHECK(server.connections() == 1);
    std::this_thread::sleep_for(50ms); // let the close arrive
    auto r = api.try_call(profile_request());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(server.connections() == 2);
    CHECK(server.requests().size() == 3);
}

TEST_CASE("client: async_call completes through a callback, use_future and use_awaitable")
{
    scripted_server server;
    for (int i = 0; i < 3; ++i)
        server.push(reply(200, R"({"ok":true})"));
    boost::asio::io_context ioc;
    restschema::client<attestr::service> api(ioc.get_executor(), attestr_options(server.url()));

    bool called = false;
    api.async_call(profile_request(), [&](restschema::result<boost::json::value> r) {
        called = true;
        CHECK(r.has_value());
    });
    ioc.run();
    CHECK(called);

    ioc.restart();
    auto fut = api.async_call(profile_request(), boost::asio::use_future);
    ioc.run();
    CHECK(fut.get().has_value());

    ioc.restart();
    bool awaited = false;
    boost::asio::co_spawn(
        ioc,
        [&]() -> boost::asio::awaitable<void> {
            auto r = co_await api.async_call(profile_request(), boost::asio::use_awaitable);
            awaited = r.has_value();
        },
        boost::asio::detached);
    ioc.run();
    CHECK(awaited);
}

// ---------------------------------------------------------------- TLS

using test::test_pki;

TEST_CASE("tls: HTTPS with a CA file verifies the server certificate and host")
{
    test_pki pki;
    scripted_server server(pki.file("good.pem"), pki.file("good.key"));
    server.push(reply(200, R"({"ok":true})"));
    auto o = attestr_options(server.url());
    o.tls.ca_file = pki.file("ca.pem");
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile_request());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(server.url().starts_with("https://"));
}

TEST_CASE("tls: a response of many TLS records arrives whole, and the connection is reused")
{
    // The transport drives OpenSSL through a BIO pair (transport/detail/tls_engine.hpp):
    // records larger than one read, input the BIO has no room for yet, and a
    // second call on the pooled TLS connection.
    test_pki pki;
    scripted_server server(pki.file("good.pem"), pki.file("good.key"));
    std::string const big = R"({"pad":")" + std::string(300 * 1024, 'x') + R"("})";
    server.push(reply(200, big));
    server.push(reply(200, big));
    auto o = attestr_options(server.url());
    o.tls.ca_file = pki.file("ca.pem");
    restschema::client<attestr::service> api(o);
    for (int i = 0; i < 2; ++i) {
        auto r = api.try_call(profile_request());
        REQUIRE_MESSAGE(r.has_value(), r.error().what());
        CHECK(r->at("pad").as_string().size() == 300 * 1024);
    }
    CHECK(server.connections() == 1);
    CHECK(server.requests().size() == 2);
}

TEST_CASE("tls: a body delimited by the connection's end is read to the end, close_notify or not")
{
    test_pki pki;
    scripted_server server(pki.file("good.pem"), pki.file("good.key"));
    // No Content-Length: the body ends when the server closes (this one sends no close_notify).
    server.push(
        scripted_reply{.raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"ok\":true}",
                       .close_after = true});
    server.push(reply(200, R"({"ok":2})"));
    auto o = attestr_options(server.url());
    o.tls.ca_file = pki.file("ca.pem");
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile_request());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->at("ok") == true);
    auto again = api.try_call(profile_request()); // on a new connection
    REQUIRE_MESSAGE(again.has_value(), again.error().what());
    CHECK(server.connections() == 2);
}

TEST_CASE("tls: a certificate for another host fails verification")
{
    test_pki pki;
    scripted_server server(pki.file("wrong.pem"), pki.file("wrong.key"));
    server.push(reply(200));
    auto o = attestr_options(server.url());
    o.tls.ca_file = pki.file("ca.pem");
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::tls);
    CHECK_MESSAGE(r.error().what().find("(certificate: IP address mismatch)") != std::string::npos,
                  r.error().what());
    // By name: the host is checked as a DNS name, not as an address.
    o.base_url = "https://localhost:" + std::to_string(server.port());
    restschema::client<attestr::service> by_name(o);
    auto named = by_name.try_call(profile_request());
    REQUIRE_FALSE(named.has_value());
    CHECK(named.error().kind == error_kind::tls);
    CHECK_MESSAGE(named.error().what().find("(certificate: hostname mismatch)") != std::string::npos,
                  named.error().what());
    CHECK(server.requests().empty());
}

TEST_CASE("tls: a certificate from an unknown CA fails verification")
{
    test_pki pki;
    scripted_server server(pki.file("good.pem"), pki.file("good.key"));
    server.push(reply(200));
    restschema::client<attestr::service> api(attestr_options(server.url())); // system CAs only
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::tls);
    CHECK(r.error().what().find("certificate") != std::string::npos);
}

TEST_CASE("tls: an expired certificate fails verification, saying so")
{
    test_pki pki;
    scripted_server server(pki.file("expired.pem"), pki.file("expired.key"));
    server.push(reply(200));
    auto o = attestr_options(server.url());
    o.tls.ca_file = pki.file("ca.pem");
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::tls);
    CHECK(r.error().what().find("certificate has expired") != std::string::npos);
    CHECK(server.requests().empty());
}

TEST_CASE("tls: a self-signed certificate fails verification, naming it")
{
    test_pki pki;
    scripted_server server(pki.file("self.pem"), pki.file("self.key"));
    server.push(reply(200));
    restschema::client<attestr::service> api(attestr_options(server.url())); // system CAs only
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::tls);
    CHECK(r.error().what().find("self-signed certificate") != std::string::npos);
    CHECK(server.requests().empty());
}

TEST_CASE("tls: an unreadable CA file is a tls error, not a crash")
{
    auto o = attestr_options("https://127.0.0.1:1");
    o.tls.ca_file = "/nonexistent/ca.pem";
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::tls);
}

// ---------------------------------------------------------------- redaction

TEST_CASE("redact: credentials and sensitive fields appear in no error text or log line")
{
    scripted_server server;
    // A careless server that echoes the secrets back.
    server.push(
        reply(401, std::string(R"({"error":"bad key )") + ss_key + " or secret " + ss_secret + R"("})"));
    server.push(reply(500, std::string(R"({"error":"boom )") + user_secret + R"("})"));
    server.push(reply(500, "{}"));
    server.push(reply(500, "{}"));
    std::vector<std::string> lines;
    auto o = ss_options(server.url());
    o.log = [&](restschema::log_record const& r) {
        std::string line = r.method + " " + r.target + " " + std::to_string(r.status) + " " + r.body;
        for (auto const& [k, v] : r.headers)
            line += " " + k + ": " + v;
        lines.push_back(line);
    };
    restschema::client<safeshepherd::service> api(o);
    std::vector<std::string> texts;
    for (int i = 0; i < 2; ++i) {
        auto r = api.try_call(user_request());
        REQUIRE_FALSE(r.has_value());
        texts.push_back(r.error().what());
        texts.push_back(r.error().server_message);
        texts.push_back(r.error().body);
        try {
            (void)api.call(user_request());
        } catch (restschema::exception const& x) {
            texts.push_back(x.what());
        }
    }
    REQUIRE(lines.size() >= 4);
    for (auto const* secret : {ss_key, ss_secret, user_secret}) {
        for (auto const& l : lines)
            CHECK_MESSAGE(l.find(secret) == std::string::npos, l);
        for (auto const& t : texts)
            CHECK_MESSAGE(t.find(secret) == std::string::npos, t);
    }
    CHECK(lines.at(0).find("/api/acme/***/v2/users/12.json") != std::string::npos);
}

TEST_CASE("redact: the Authorization header is redacted in the log")
{
    scripted_server server;
    server.push(reply(200));
    std::vector<std::string> lines;
    auto o = attestr_options(server.url());
    o.log = [&](restschema::log_record const& r) {
        for (auto const& [k, v] : r.headers)
            lines.push_back(k + ": " + v);
    };
    restschema::client<attestr::service> api(o);
    REQUIRE(api.try_call(profile_request()).has_value());
    bool saw_auth = false;
    for (auto const& l : lines) {
        CHECK(l.find(attestr_token) == std::string::npos);
        saw_auth = saw_auth || l == "Authorization: ***";
    }
    CHECK(saw_auth);
}

} // namespace test_client
