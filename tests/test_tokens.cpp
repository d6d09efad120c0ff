// Token sources and OAuth2 client credentials (issue 15, item 2): a
// credential fetched before each attempt, one refresh and retry on 401 and
// never a loop, sources that fail in every way, the client-credentials
// source against the mock's token endpoint and against a broken one, and no
// secret in logs, errors or traces.
#include <restschema/client.hpp>
#include <restschema/mock.hpp>
#include <restschema/oauth2.hpp>
#include <restschema/otlp.hpp>
#include <restschema/token.hpp>

#include <restschema/gen/dated.hpp>
#include <restschema/gen/dated.extras.hpp>
#include <restschema/gen/safeshepherd.hpp>

#include "support/leak_watch.hpp"
#include "support/scripted_server.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// Every name of this file is in namespace test_tokens: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_tokens {

namespace {

using namespace std::chrono_literals;
using restschema::error_kind;
namespace http = boost::beast::http;

restschema::client_options options_for(std::string url)
{
    restschema::client_options co;
    co.base_url = std::move(url);
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

/// Everything a client let out: log records and the OTLP spans.
struct seen : test::leak_watch {
    void hook(restschema::client_options& co)
    {
        attach(co);
        co.trace = [this](restschema::call_trace const& t) {
            std::lock_guard lock(m);
            text += restschema::to_otlp_json(t) + "\n";
            traces.push_back(t);
        };
    }
    std::vector<restschema::call_trace> traces;
};
/// One request written by hand to a server at base_url.
http::response<http::string_body> send_raw(std::string const& base_url, http::verb method,
                                           std::string const& target, std::string const& content_type,
                                           std::string const& body, std::string const& authorization = "")
{
    auto const authority = base_url.substr(base_url.find("://") + 3);
    auto const colon = authority.rfind(':');
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    boost::asio::ip::tcp::socket socket(io);
    boost::asio::connect(socket, resolver.resolve(authority.substr(0, colon), authority.substr(colon + 1)));
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, authority);
    if (!content_type.empty())
        req.set(http::field::content_type, content_type);
    if (!authorization.empty())
        req.set(http::field::authorization, authorization);
    req.body() = body;
    req.prepare_payload();
    http::write(socket, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return res;
}

restschema::mock_options token_mock(std::chrono::seconds lifetime = 3600s)
{
    restschema::mock_options mo;
    mo.token_endpoint.path = "/oauth/token";
    mo.token_endpoint.client_id = "app-7";
    mo.token_endpoint.client_secret = "s3cr3t-value";
    mo.token_endpoint.lifetime = lifetime;
    return mo;
}

restschema::oauth2::client_credentials_options cc_for(std::string const& base)
{
    restschema::oauth2::client_credentials_options cc;
    cc.token_url = base + "/oauth/token";
    cc.client_id = "app-7";
    cc.client_secret = "s3cr3t-value";
    cc.scope = "profile notes";
    return cc;
}

/// Counts the mock's token requests from its access log.
struct token_log {
    std::atomic<int> token_requests{0};
    void hook(restschema::mock_options& mo)
    {
        mo.access_log = [this](std::string_view line) {
            if (line.find("/oauth/token") != std::string_view::npos)
                ++token_requests;
        };
    }
};

} // namespace

TEST_CASE("tokens: a source is asked before each attempt; its token goes as Bearer and is masked everywhere")
{
    test::scripted_server server;
    server.push(test::reply(503, R"({"message":"busy"})"));
    server.set_default(test::reply(200, R"({"display_name":"Ada","theme":"light"})", "ETag: \"v1\"\r\n"));
    auto co = options_for(server.url());
    seen out;
    out.hook(co);
    std::atomic<int> asked{0};
    co.token_sources["token"] = restschema::token_from([&](restschema::token_request const& r) {
        CHECK(r.scheme == "token");
        CHECK(r.rejected.empty());
        return "tok-rotating-" + std::to_string(++asked);
    });
    restschema::client<dated::service> api(co);
    auto r = api.try_call(dated::get_profile_request{});
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(asked == 2);
    auto const sent = server.requests();
    REQUIRE(sent.size() == 2);
    CHECK(header_value(sent[0], "Authorization") == "Bearer tok-rotating-1");
    CHECK(header_value(sent[1], "Authorization") == "Bearer tok-rotating-2");
    CHECK(sent[1].find("Authorization:") == sent[1].rfind("Authorization:")); // placed once per attempt
    CHECK(out.text.find("tok-rotating") == std::string::npos);
    CHECK(out.text.find("Authorization: ***") != std::string::npos);
    REQUIRE(out.traces.size() == 1);
    CHECK(out.traces[0].attempts.size() == 2);
}

TEST_CASE(
    "tokens: after a 401 the source is asked again naming the refused token, and the call goes once more")
{
    test::scripted_server server;
    server.push(test::reply(401, R"({"message":"Bad token"})"));
    server.set_default(test::reply(200, R"({"display_name":"Ada","theme":"light"})", "ETag: \"v1\"\r\n"));
    auto co = options_for(server.url());
    co.retry.max_attempts = 1; // the refresh is not a retry of the policy
    std::vector<std::string> rejected;
    co.token_sources["token"] = restschema::token_from([&](restschema::token_request const& r) {
        rejected.emplace_back(r.rejected);
        return r.rejected.empty() ? std::string("tok-stale") : std::string("tok-fresh");
    });
    restschema::client<dated::service> api(co);
    auto r = api.try_call(dated::get_profile_request{});
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    REQUIRE(rejected.size() == 2);
    CHECK(rejected[0].empty());
    CHECK(rejected[1] == "tok-stale");
    auto const sent = server.requests();
    REQUIRE(sent.size() == 2);
    CHECK(header_value(sent[1], "Authorization") == "Bearer tok-fresh");
}

TEST_CASE("tokens: a 401 after the refresh is the call's error, sent twice in all, never a loop")
{
    test::scripted_server server;
    server.set_default(test::reply(401, R"({"message":"Bad token"})"));
    auto co = options_for(server.url());
    seen out;
    out.hook(co);
    int asked = 0;
    co.token_sources["token"] = restschema::token_from(
        [&](restschema::token_request const&) { return "tok-never-good-" + std::to_string(++asked); });
    restschema::client<dated::service> api(co);
    auto r = api.try_call(dated::get_profile_request{});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::api);
    CHECK(r.error().http_status == 401);
    CHECK(r.error().what().find("with a fresh token from the token source, too") != std::string::npos);
    CHECK(asked == 2);
    CHECK(server.requests().size() == 2);
    CHECK(out.text.find("tok-never-good") == std::string::npos);
    CHECK(r.error().what().find("tok-never-good") == std::string::npos);

    // The next call starts afresh: one refresh again, not none.
    auto again = api.try_call(dated::get_profile_request{});
    REQUIRE_FALSE(again.has_value());
    CHECK(server.requests().size() == 4);
}

TEST_CASE("tokens: a source that throws, fails, gives nothing or a control character fails the call, unsent")
{
    test::scripted_server server;
    server.set_default(test::reply(200, R"({"display_name":"Ada","theme":"light"})", "ETag: \"v1\"\r\n"));
    struct bad_case {
        char const* name;
        std::shared_ptr<restschema::token_source> source;
        char const* says;
    };
    bad_case const cases[] = {
        {"throws", restschema::token_from([](restschema::token_request const&) -> std::string {
             throw std::runtime_error("vault sealed");
         }),
         "the token source threw: vault sealed"},
        {"empty", restschema::token_from([](restschema::token_request const&) { return std::string(); }),
         "the token source gave an empty token"},
        {"control character", restschema::token_from([](restschema::token_request const&) {
             return std::string("tok\r\nX-Evil: 1");
         }),
         "control character"},
        {"fails",
         restschema::token_from_async([](restschema::token_request const&, restschema::token_callback done) {
             done.fail("the refresh token was revoked");
         }),
         "the refresh token was revoked"},
        {"drops its callback",
         restschema::token_from_async([](restschema::token_request const&, restschema::token_callback) {}),
         "dropped the request without answering"},
    };
    for (auto const& c : cases) {
        INFO(std::string(c.name));
        auto co = options_for(server.url());
        co.token_sources["token"] = c.source;
        restschema::client<dated::service> api(co);
        auto r = api.try_call(dated::get_profile_request{});
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::credentials);
        CHECK(r.error().what().find("no credential for auth scheme \"token\"") != std::string::npos);
        CHECK(r.error().what().find(c.says) != std::string::npos);
        CHECK(r.error().what().find("X-Evil") == std::string::npos);
    }
    CHECK(server.requests().empty());
}

TEST_CASE(
    "tokens: an asynchronous source may answer later from another thread; one that never answers times out" *
    doctest::test_suite("concurrency"))
{
    test::scripted_server server;
    server.set_default(test::reply(200, R"({"display_name":"Ada","theme":"light"})", "ETag: \"v1\"\r\n"));
    std::vector<std::thread> threads;
    auto co = options_for(server.url());
    co.token_sources["token"] =
        restschema::token_from_async([&](restschema::token_request const&, restschema::token_callback done) {
            threads.emplace_back([d = std::move(done)]() mutable {
                std::this_thread::sleep_for(20ms);
                d("tok-from-thread");
            });
        });
    {
        restschema::client<dated::service> api(co);
        auto r = api.try_call(dated::get_profile_request{});
        REQUIRE_MESSAGE(r.has_value(), r.error().what());
        CHECK(header_value(server.requests().at(0), "Authorization") == "Bearer tok-from-thread");
    }

    std::vector<restschema::token_callback> kept; // never answered while the call waits
    std::mutex kept_mutex;
    co.request_timeout = 200ms;
    co.token_sources["token"] =
        restschema::token_from_async([&](restschema::token_request const&, restschema::token_callback done) {
            std::lock_guard lock(kept_mutex);
            kept.push_back(std::move(done));
        });
    {
        restschema::client<dated::service> api(co);
        auto const start = std::chrono::steady_clock::now();
        auto r = api.try_call(dated::get_profile_request{});
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::timeout);
        CHECK(
            r.error().what().find("the token source of auth scheme \"token\" gave no token within 200 ms") !=
            std::string::npos);
        CHECK(std::chrono::steady_clock::now() - start < 5s);
        // A late answer is ignored; the client still works.
        for (auto& k : kept)
            k("tok-late");
    }
    for (auto& t : threads)
        t.join();
    CHECK(server.requests().size() == 1);
}

TEST_CASE("tokens: a call waiting for its token is cancelled at once, and nothing is sent")
{
    test::scripted_server server;
    server.set_default(test::reply(200, R"({"display_name":"Ada","theme":"light"})", "ETag: \"v1\"\r\n"));
    boost::asio::io_context ioc;
    auto co = options_for(server.url());
    restschema::token_callback held;
    co.token_sources["token"] = restschema::token_from_async(
        [&](restschema::token_request const&, restschema::token_callback done) { held = std::move(done); });
    restschema::client<dated::service> api(ioc.get_executor(), co);
    boost::asio::cancellation_signal signal;
    std::optional<restschema::result<dated::profile>> got;
    api.async_call(dated::get_profile_request{},
                   boost::asio::bind_cancellation_slot(signal.slot(), [&](auto r) { got = std::move(r); }));
    boost::asio::steady_timer timer(ioc, 50ms);
    timer.async_wait(
        [&](boost::system::error_code) { signal.emit(boost::asio::cancellation_type::terminal); });
    ioc.run_for(5s);
    REQUIRE(got.has_value());
    REQUIRE_FALSE(got->has_value());
    CHECK(got->error().kind == error_kind::cancelled);
    CHECK(server.requests().empty());
    CHECK(static_cast<bool>(held)); // the source still holds it; answering now changes nothing
    held("tok-after-cancel");
    ioc.restart();
    ioc.run_for(100ms);
}

TEST_CASE("tokens: a credential and a token source for one scheme, or a token for the path, are refused")
{
    test::scripted_server server;
    auto co = options_for(server.url());
    co.credentials = {{"token", "tok-static"}};
    co.token_sources["token"] = restschema::token_from([](restschema::token_request const&) { return "t"; });
    restschema::client<dated::service> api(co);
    auto both = api.try_call(dated::get_profile_request{});
    REQUIRE_FALSE(both.has_value());
    CHECK(both.error().kind == error_kind::validation);
    REQUIRE_FALSE(both.error().problems.empty());
    CHECK(both.error().problems[0].path == "credentials.token");
    CHECK(both.error().problems[0].message.find("both a credential and a token source") != std::string::npos);

    // Safe Shepherd's api_key travels in the path: a token source cannot place it.
    restschema::client_options so = options_for(server.url());
    so.credentials = {{"api_secret", "sec"}};
    so.token_sources["api_key"] =
        restschema::token_from([](restschema::token_request const&) { return "k"; });
    restschema::client<safeshepherd::service> ss(so);
    safeshepherd::update_user_request req;
    req.integration_name = "acme";
    req.id = 12;
    auto path = ss.try_call(req);
    REQUIRE_FALSE(path.has_value());
    CHECK(path.error().kind == error_kind::validation);
    bool named = false;
    for (auto const& p : path.error().problems)
        named =
            named || (p.path == "credentials.api_key" &&
                      p.message.find("a token source can give credentials for a header or the query only") !=
                          std::string::npos);
    CHECK(named);
    CHECK(server.requests().empty());
}

TEST_CASE("oauth2: client credentials against the mock's token endpoint; one token serves many calls" *
          doctest::test_suite("concurrency"))
{
    auto mo = token_mock();
    token_log log;
    log.hook(mo);
    restschema::mock_server<dated::endpoints> mock(mo);
    mock.start();
    auto co = options_for(mock.base_url());
    seen out;
    out.hook(co);
    co.token_sources["token"] = restschema::oauth2::client_credentials(cc_for(mock.base_url()));
    restschema::client<dated::service> api(co);
    for (int i = 0; i < 3; ++i) {
        auto r = api.try_call(dated::get_profile_request{});
        REQUIRE_MESSAGE(r.has_value(), r.error().what());
    }
    CHECK(log.token_requests == 1);

    // Many asynchronous calls at once share one token request too.
    boost::asio::io_context ioc;
    auto ao = options_for(mock.base_url());
    ao.token_sources["token"] = restschema::oauth2::client_credentials(cc_for(mock.base_url()));
    restschema::client<dated::service> async_api(ioc.get_executor(), ao);
    int ok = 0;
    for (int i = 0; i < 8; ++i)
        async_api.async_call(dated::get_profile_request{}, [&](auto r) {
            CHECK_MESSAGE(r.has_value(), (r ? "" : r.error().what()));
            ok += r.has_value();
        });
    ioc.run_for(10s);
    CHECK(ok == 8);
    CHECK(log.token_requests == 2);
    CHECK(out.text.find("s3cr3t") == std::string::npos);
    CHECK(out.text.find("mock-") == std::string::npos); // the mock's tokens start "mock-"
}

TEST_CASE("oauth2: an expired token is renewed before use, and a revoked one after the service's 401" *
          doctest::test_suite("concurrency"))
{
    auto mo = token_mock(1s);
    token_log log;
    log.hook(mo);
    restschema::mock_server<dated::endpoints> mock(mo);
    mock.start();
    auto co = options_for(mock.base_url());
    auto cc = cc_for(mock.base_url());
    cc.authentication = restschema::oauth2::client_authentication::body;
    cc.refresh_before = 0s;
    co.token_sources["token"] = restschema::oauth2::client_credentials(cc);
    restschema::client<dated::service> api(co);
    auto first = api.try_call(dated::get_profile_request{});
    REQUIRE_MESSAGE(first.has_value(), first.error().what());
    CHECK(log.token_requests == 1);
    std::this_thread::sleep_for(1100ms); // past expires_in: the source asks again before sending
    auto second = api.try_call(dated::get_profile_request{});
    REQUIRE_MESSAGE(second.has_value(), second.error().what());
    CHECK(log.token_requests == 2);

    // Revoked while cached: the service's 401 makes the source fetch another, and the call succeeds.
    auto lasting = token_mock();
    token_log log2;
    log2.hook(lasting);
    restschema::mock_server<dated::endpoints> mock2(lasting);
    mock2.start();
    auto co2 = options_for(mock2.base_url());
    co2.token_sources["token"] = restschema::oauth2::client_credentials(cc_for(mock2.base_url()));
    restschema::client<dated::service> api2(co2);
    REQUIRE(api2.try_call(dated::get_profile_request{}).has_value());
    mock2.revoke_tokens();
    auto after = api2.try_call(dated::get_profile_request{});
    REQUIRE_MESSAGE(after.has_value(), after.error().what());
    CHECK(log2.token_requests == 2);
}

TEST_CASE("oauth2: a wrong client secret is invalid_client, named, with the secret in no message or log")
{
    restschema::mock_server<dated::endpoints> mock(token_mock());
    mock.start();
    for (auto how : {restschema::oauth2::client_authentication::basic,
                     restschema::oauth2::client_authentication::body}) {
        auto co = options_for(mock.base_url());
        seen out;
        out.hook(co);
        auto cc = cc_for(mock.base_url());
        cc.client_secret = "wrong-s3cret";
        cc.authentication = how;
        co.token_sources["token"] = restschema::oauth2::client_credentials(cc);
        restschema::client<dated::service> api(co);
        auto r = api.try_call(dated::get_profile_request{});
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::credentials);
        CHECK(r.error().what().find(
                  "refused the token request: HTTP 401, invalid_client: unknown client or wrong "
                  "secret") != std::string::npos);
        CHECK(r.error().what().find("wrong-s3cret") == std::string::npos);
        CHECK(out.text.find("wrong-s3cret") == std::string::npos);
    }
}

TEST_CASE(
    "oauth2: a token endpoint that answers garbage or a non-token, or none at all, fails the call clearly")
{
    struct bad_answer {
        std::string raw;
        char const* says;
    };
    std::vector<bad_answer> const answers = {
        {test::reply(200, "<html>login</html>"), "answered a body that is not JSON"},
        {test::reply(200, "[1,2]"), "answered JSON that is not an object"},
        {test::reply(200, R"({"token_type":"Bearer"})"), "answered no access_token"},
        {test::reply(200, R"({"access_token":42})"),
         "answered an access_token that is not a non-empty string"},
        {test::reply(200, R"({"access_token":"a b"})"), "with a space or control character"},
        {test::reply(200, R"({"access_token":"t1","token_type":"mac"})"), "answered token_type \"mac\""},
        {test::reply(200, R"({"access_token":"t1","expires_in":"soon"})"),
         "an expires_in that is not a number"},
        {test::reply(200, R"({"access_token":"t1","expires_in":-5})"), "an expires_in that is not a number"},
        {test::reply(400, R"({"error":"invalid_scope","error_description":"notes is unknown"})"),
         "HTTP 400, invalid_scope: notes is unknown"},
        {test::reply(500, "oops"), "refused the token request: HTTP 500"},
    };
    test::scripted_server service;
    service.set_default(test::reply(200, R"({"display_name":"Ada","theme":"light"})", "ETag: \"v1\"\r\n"));
    for (auto const& a : answers) {
        INFO(std::string(a.says));
        test::scripted_server token_endpoint;
        token_endpoint.set_default(a.raw);
        auto co = options_for(service.url());
        auto cc = cc_for(token_endpoint.url());
        cc.http.retry.max_attempts = 1;
        co.token_sources["token"] = restschema::oauth2::client_credentials(cc);
        restschema::client<dated::service> api(co);
        auto r = api.try_call(dated::get_profile_request{});
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::credentials);
        CHECK_MESSAGE(r.error().what().find(a.says) != std::string::npos, r.error().what());
        CHECK(r.error().what().find("s3cr3t") == std::string::npos);
        // The token request was an RFC 6749 one.
        auto const req = token_endpoint.requests().at(0);
        CHECK(req.starts_with("POST /oauth/token HTTP/1.1\r\n"));
        CHECK(header_value(req, "Content-Type") == "application/x-www-form-urlencoded");
        CHECK(req.find("\r\n\r\ngrant_type=client_credentials&scope=profile%20notes") != std::string::npos);
        CHECK(header_value(req, "Authorization").starts_with("Basic "));
    }
    CHECK(service.requests().empty());

    // Nothing listening there.
    auto co = options_for(service.url());
    auto cc = cc_for("http://127.0.0.1:9");
    cc.http.retry.max_attempts = 1;
    co.token_sources["token"] = restschema::oauth2::client_credentials(cc);
    restschema::client<dated::service> api(co);
    auto r = api.try_call(dated::get_profile_request{});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::credentials);
    CHECK(r.error().what().find(
              "could not get a token from the OAuth2 token endpoint http://127.0.0.1:9/oauth/token") !=
          std::string::npos);
}

TEST_CASE("oauth2: options that cannot work fail each call naming the problem")
{
    test::scripted_server service;
    struct bad_option {
        restschema::oauth2::client_credentials_options cc;
        char const* says;
    };
    std::vector<bad_option> cases;
    cases.push_back(
        {cc_for("ftp://auth.example"), "token_url: base URL must start with http:// or https://"});
    auto no_id = cc_for("http://127.0.0.1:9");
    no_id.client_id.clear();
    cases.push_back({no_id, "client_id is empty"});
    auto crlf = cc_for("http://127.0.0.1:9");
    crlf.scope = "a\r\nb";
    cases.push_back({crlf, "client_id, client_secret or scope contains a control character"});
    for (auto const& c : cases) {
        INFO(std::string(c.says));
        auto co = options_for(service.url());
        co.token_sources["token"] = restschema::oauth2::client_credentials(c.cc);
        restschema::client<dated::service> api(co);
        auto r = api.try_call(dated::get_profile_request{});
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::credentials);
        CHECK_MESSAGE(r.error().what().find(std::string("OAuth2 client credentials: ") + c.says) !=
                          std::string::npos,
                      r.error().what());
    }
    CHECK(service.requests().empty());
}

TEST_CASE(
    "mock token endpoint: RFC 6749 errors for a GET, a wrong grant, a bad form or client; tokens expire")
{
    restschema::mock_server<dated::endpoints> mock(token_mock(1s));
    mock.start();
    auto const url = mock.base_url();
    auto const form = "application/x-www-form-urlencoded";
    auto const basic = "Basic " + restschema::binding::base64_encode("app-7:s3cr3t-value");

    auto get = send_raw(url, http::verb::get, "/oauth/token", "", "");
    CHECK(get.result_int() == 405);
    CHECK(get.body().find("\"invalid_request\"") != std::string::npos);
    auto json = send_raw(url, http::verb::post, "/oauth/token", "application/json", "{}", basic);
    CHECK(json.result_int() == 400);
    auto grant = send_raw(url, http::verb::post, "/oauth/token", form, "grant_type=password", basic);
    CHECK(grant.result_int() == 400);
    CHECK(grant.body().find("\"unsupported_grant_type\"") != std::string::npos);
    auto escape = send_raw(url, http::verb::post, "/oauth/token", form, "grant_type=%zz", basic);
    CHECK(escape.result_int() == 400);
    auto twice = send_raw(url, http::verb::post, "/oauth/token", form,
                          "grant_type=client_credentials&client_id=app-7&client_secret=s3cr3t-value", basic);
    CHECK(twice.result_int() == 400);
    auto wrong = send_raw(url, http::verb::post, "/oauth/token", form, "grant_type=client_credentials",
                          "Basic " + restschema::binding::base64_encode("app-7:nope"));
    CHECK(wrong.result_int() == 401);
    CHECK(wrong.body().find("\"invalid_client\"") != std::string::npos);
    CHECK(wrong[http::field::www_authenticate] == "Basic realm=\"restschema-mock\"");

    auto ok = send_raw(url, http::verb::post, "/oauth/token", form,
                       "grant_type=client_credentials&scope=notes", basic);
    REQUIRE(ok.result_int() == 200);
    CHECK(ok[http::field::cache_control] == "no-store");
    boost::system::error_code ec;
    auto const jv = boost::json::parse(ok.body(), ec);
    REQUIRE_FALSE(ec);
    auto const token = std::string(jv.at("access_token").as_string());
    CHECK(jv.at("token_type").as_string() == "Bearer");
    CHECK(jv.at("expires_in").as_int64() == 1);
    CHECK(jv.at("scope").as_string() == "notes");

    // The issued token opens the bearer endpoints; a made-up one and, later, the expired one do not.
    auto co = options_for(url);
    co.credentials["token"] = token;
    restschema::client<dated::service> api(co);
    auto r = api.try_call(dated::get_profile_request{});
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    co.credentials["token"] = "made-up";
    auto made_up = restschema::client<dated::service>(co).try_call(dated::get_profile_request{});
    REQUIRE_FALSE(made_up.has_value());
    CHECK(made_up.error().http_status == 401);
    std::this_thread::sleep_for(1100ms);
    auto expired = api.try_call(dated::get_profile_request{});
    REQUIRE_FALSE(expired.has_value());
    CHECK(expired.error().http_status == 401);
}

} // namespace test_tokens
