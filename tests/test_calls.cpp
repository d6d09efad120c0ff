// Calls as users expect them (issue 14): cancellation of a call in flight and
// gzip responses, against a scripted server on 127.0.0.1.
#include <restschema/client.hpp>

#include <restschema/gen/attestr.hpp>
#include <restschema/gen/safeshepherd.extras.hpp>

#include "support/scripted_server.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <doctest/doctest.h>

#include <zlib.h>

#include <array>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

// Every name of this file is in namespace test_calls: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_calls {

namespace {

using namespace std::chrono_literals;
using restschema::error_kind;
using test::reply;
using test::scripted_reply;
using test::scripted_server;
namespace asio = boost::asio;

using profile_result = restschema::result<boost::json::value>;

restschema::client_options options_for(std::string const& url)
{
    restschema::client_options o;
    o.base_url = url;
    o.credentials = {{"basic_token", "ATTESTR-TOKEN-cancel"}};
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
    return r;
}

/// Starts a call bound to `signal`'s slot; `out` gets its result.
void start_call(restschema::client<attestr::service>& api, asio::cancellation_signal& signal,
                std::optional<profile_result>& out)
{
    api.async_call(profile_request(), asio::bind_cancellation_slot(
                                          signal.slot(), [&out](profile_result r) { out = std::move(r); }));
}

/// Emits a terminal cancellation on `signal` after `after`.
void cancel_after(asio::io_context& ioc, asio::steady_timer& timer, asio::cancellation_signal& signal,
                  std::chrono::milliseconds after)
{
    timer.expires_after(after);
    timer.async_wait([&signal](boost::system::error_code ec) {
        if (!ec)
            signal.emit(asio::cancellation_type::terminal);
    });
    (void)ioc;
}

/// The next call on the same client works: the pool is healthy.
void check_next_call_works(asio::io_context& ioc, restschema::client<attestr::service>& api,
                           scripted_server& server)
{
    server.push(reply(200, R"({"ok":true})"));
    std::optional<profile_result> next;
    api.async_call(profile_request(), [&](profile_result r) { next = std::move(r); });
    ioc.restart();
    ioc.run();
    REQUIRE(next.has_value());
    CHECK_MESSAGE(next->has_value(), next->error().what());
}

void check_cancelled(std::optional<profile_result> const& r)
{
    REQUIRE(r.has_value());
    REQUIRE_FALSE(r->has_value());
    CHECK_MESSAGE(r->error().kind == error_kind::cancelled, r->error().what());
    CHECK(r->error().code() == error_kind::cancelled);
    CHECK(r->error().what().find("was cancelled") != std::string::npos);
    CHECK(r->error().what().find("ATTESTR-TOKEN-cancel") == std::string::npos);
}

} // namespace

TEST_CASE("cancel: a call cancelled before it connects ends cancelled and sends nothing")
{
    scripted_server server;
    asio::io_context ioc;
    restschema::client<attestr::service> api(ioc.get_executor(), options_for(server.url()));
    asio::cancellation_signal signal;
    std::optional<profile_result> out;
    start_call(api, signal, out);
    signal.emit(asio::cancellation_type::terminal); // before the io_context ran anything
    ioc.run();
    check_cancelled(out);
    CHECK(server.connections() == 0);
    check_next_call_works(ioc, api, server);
}

TEST_CASE("cancel: a call cancelled during the TLS handshake ends cancelled, not at connect_timeout")
{
    // The kernel completes the TCP handshake; nobody answers the ClientHello.
    asio::io_context ioc;
    asio::ip::tcp::acceptor silent(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    auto o = options_for("https://127.0.0.1:" + std::to_string(silent.local_endpoint().port()));
    o.connect_timeout = 60s; // a timeout would fail the test by its kind, long after
    restschema::client<attestr::service> api(ioc.get_executor(), o);
    asio::cancellation_signal signal;
    asio::steady_timer timer(ioc);
    std::optional<profile_result> out;
    start_call(api, signal, out);
    cancel_after(ioc, timer, signal, 200ms);
    ioc.run();
    check_cancelled(out);
    CHECK(out->error().attempts == 1);
}

TEST_CASE("cancel: a call cancelled mid-body ends cancelled, its connection is dropped, the next call works")
{
    scripted_server server;
    auto const body = std::string(R"({"pad":")") + std::string(900, 'x') + R"("})";
    server.push(scripted_reply{.raw = reply(200, body), .send_only = 200, .hold = true});
    asio::io_context ioc;
    restschema::client<attestr::service> api(ioc.get_executor(), options_for(server.url()));
    asio::cancellation_signal signal;
    asio::steady_timer timer(ioc);
    std::optional<profile_result> out;
    start_call(api, signal, out);
    cancel_after(ioc, timer, signal, 300ms);
    ioc.run();
    check_cancelled(out);
    CHECK(server.requests().size() == 1); // not retried
    check_next_call_works(ioc, api, server);
    CHECK(server.connections() == 2); // the cancelled connection was not pooled
}

TEST_CASE("cancel: a call cancelled during its retry back-off ends at once, without another attempt")
{
    scripted_server server;
    server.push(reply(503, R"({"message":"busy"})"));
    auto o = options_for(server.url());
    o.retry.initial_backoff = 20s;
    o.retry.max_backoff = 20s;
    o.retry.jitter = false;
    asio::io_context ioc;
    restschema::client<attestr::service> api(ioc.get_executor(), o);
    asio::cancellation_signal signal;
    asio::steady_timer timer(ioc);
    std::optional<profile_result> out;
    start_call(api, signal, out);
    cancel_after(ioc, timer, signal, 300ms);
    ioc.run(); // returns when the call ended: the 20 s timer does not hold the io_context
    check_cancelled(out);
    CHECK(out->error().attempts == 1);
    CHECK(server.requests().size() == 1);
    check_next_call_works(ioc, api, server);
}

TEST_CASE("cancel: racing a call against a timer with awaitable operators; the timer wins, then a call works")
{
    using namespace asio::experimental::awaitable_operators;
    scripted_server server;
    server.push(scripted_reply{.raw = reply(200), .send_only = 0, .hold = true}); // never answers
    server.push(reply(200, R"({"ok":true})"));
    asio::io_context ioc;
    restschema::client<attestr::service> api(ioc.get_executor(), options_for(server.url()));
    std::size_t winner = 99;
    bool second_ok = false;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            asio::steady_timer t(co_await asio::this_coro::executor, 300ms);
            auto v = co_await (api.async_call(profile_request(), asio::use_awaitable) ||
                               t.async_wait(asio::use_awaitable));
            winner = v.index();
            auto r = co_await api.async_call(profile_request(), asio::use_awaitable);
            second_ok = r.has_value();
        },
        asio::detached);
    ioc.run();
    CHECK(winner == 1);
    CHECK(second_ok);
}

TEST_CASE("cancel: a cancellation after the call completed does nothing")
{
    scripted_server server;
    server.push(reply(200, R"({"ok":true})"));
    asio::io_context ioc;
    restschema::client<attestr::service> api(ioc.get_executor(), options_for(server.url()));
    asio::cancellation_signal signal;
    std::optional<profile_result> out;
    start_call(api, signal, out);
    ioc.run();
    REQUIRE(out.has_value());
    CHECK(out->has_value());
    signal.emit(asio::cancellation_type::terminal); // the slot was cleared: nothing happens
    ioc.restart();
    ioc.run();
    CHECK(out->has_value());
}

// ---------------------------------------------------------------- gzip

namespace {

/// `text` as one gzip member, by zlib (the code under test only inflates).
std::string gzip(std::string const& text)
{
    z_stream z{};
    REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, text.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::string gzip_reply(int status, std::string const& compressed, std::string const& coding = "gzip")
{
    return reply(status, compressed, "Content-Encoding: " + coding + "\r\n");
}

restschema::result<safeshepherd::user> call_user(scripted_server& server,
                                                 std::size_t max_body = 4 * 1024 * 1024)
{
    restschema::client_options o;
    o.base_url = server.url();
    o.credentials = {{"api_key", "SS-KEY-gz"}, {"api_secret", "SS-SECRET-gz"}};
    o.max_body_size = max_body;
    restschema::client<safeshepherd::service> api(o);
    safeshepherd::update_user_request r;
    r.integration_name = "acme";
    r.id = 12;
    r.secret = "user-secret";
    return api.try_call(r);
}

std::string seed_user_json()
{
    return std::string(restschema::endpoint_docs<safeshepherd::update_user>::response_example_json);
}

} // namespace

TEST_CASE("gzip: the client asks for gzip and decodes a gzip response into the typed value")
{
    scripted_server server;
    server.push(gzip_reply(200, gzip(seed_user_json())));
    auto r = call_user(server);
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->first_name == "Tommy");
    REQUIRE(server.requests().size() == 1);
    CHECK(server.requests()[0].find("Accept-Encoding: gzip\r\n") != std::string::npos);
}

TEST_CASE("gzip: accept_gzip = false sends no Accept-Encoding; a call header replaces the client's")
{
    scripted_server server;
    server.push(reply(200, R"({"ok":true})"));
    server.push(reply(200, R"({"ok":true})"));
    auto o = options_for(server.url());
    o.accept_gzip = false;
    restschema::client<attestr::service> off(o);
    REQUIRE(off.try_call(profile_request()).has_value());
    restschema::client<attestr::service> on(options_for(server.url()));
    restschema::call_options opts;
    opts.headers.push_back({"Accept-Encoding", "identity"});
    REQUIRE(on.try_call(profile_request(), opts).has_value());
    auto const reqs = server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[0].find("Accept-Encoding") == std::string::npos);
    CHECK(reqs[1].find("Accept-Encoding: identity\r\n") != std::string::npos);
    CHECK(reqs[1].find("gzip") == std::string::npos);
}

TEST_CASE("gzip: two gzip members in a row are one body")
{
    auto const json = seed_user_json();
    auto const half = json.size() / 2;
    scripted_server server;
    server.push(gzip_reply(200, gzip(json.substr(0, half)) + gzip(json.substr(half))));
    auto r = call_user(server);
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->first_name == "Tommy");
}

TEST_CASE("gzip: a gzip bomb stops at max_body_size with a decode error, not an allocation")
{
    // 64 MiB of JSON whitespace compresses to about 64 KiB; the limit is 1 MiB.
    auto const bomb = gzip(std::string(64u << 20, ' ') + "{}");
    REQUIRE(bomb.size() < 200'000);
    scripted_server server;
    server.push(gzip_reply(200, bomb));
    auto r = call_user(server, 1u << 20);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::decode);
    CHECK_MESSAGE(r.error().what().find("inflates to more than the limit of 1048576 bytes") !=
                      std::string::npos,
                  r.error().what());
}

TEST_CASE("gzip: an invalid, a truncated or a padded gzip stream is a decode error naming the fault")
{
    auto const good = gzip(seed_user_json());
    struct bad_case {
        std::string body;
        char const* says;
    };
    for (auto const& [body, says] :
         {bad_case{"this is not gzip", "is not a valid gzip stream"},
          bad_case{good.substr(0, good.size() / 2), "is truncated"},
          bad_case{good + "trailing", "has data after the end of the gzip stream"}}) {
        CAPTURE(says);
        scripted_server server;
        server.push(gzip_reply(200, body));
        auto r = call_user(server);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == error_kind::decode);
        CHECK_MESSAGE(r.error().what().find(says) != std::string::npos, r.error().what());
        CHECK(r.error().what().find("update_user") != std::string::npos);
        CHECK(r.error().attempts == 1); // not retried
    }
}

TEST_CASE("gzip: a Content-Encoding other than gzip is a decode error naming it")
{
    scripted_server server;
    server.push(gzip_reply(200, "\x0b\x02\x80", "br"));
    auto r = call_user(server);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::decode);
    CHECK_MESSAGE(r.error().what().find("Content-Encoding \"br\"") != std::string::npos, r.error().what());
}

TEST_CASE("gzip: a gzip error body still maps to the endpoint's error row")
{
    scripted_server server;
    server.push(gzip_reply(403, gzip(R"({"code":4039,"message":"IP 10.0.0.7 not allowed"})")));
    restschema::client<attestr::service> api(options_for(server.url()));
    auto r = api.try_call(profile_request());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::api);
    CHECK(r.error().api_error<attestr::update_profile_error>() ==
          attestr::update_profile_error::ip_not_whitelisted);
    CHECK(r.error().server_message == "IP 10.0.0.7 not allowed");
}

TEST_CASE(
    "threads: calls on an io_context run by four threads, some timing out mid-read, each complete once" *
    doctest::test_suite("concurrency"))
{
    // Guards the call's mutex, which replaced a strand: a call's timer and
    // its read complete on different threads at once, and the timer closes
    // the socket the read is using (ThreadSanitizer runs this suite).
    scripted_server server;
    constexpr int calls = 24;
    for (int i = 0; i < calls; ++i) {
        scripted_reply r{.raw = reply(200, R"({"ok":true})")};
        if (i % 3 == 0)
            r.delay = 400ms; // past the request timeout
        server.push(std::move(r));
    }
    asio::io_context ioc;
    auto o = options_for(server.url());
    o.request_timeout = 150ms;
    o.retry.max_attempts = 1;
    restschema::client<attestr::service> api(ioc.get_executor(), o);
    std::array<std::atomic<int>, calls> completions{};
    std::atomic<int> ok{0}, timed_out{0}, other{0};
    for (int i = 0; i < calls; ++i)
        api.async_call(profile_request(), [&, i](profile_result r) {
            ++completions[static_cast<std::size_t>(i)];
            if (r.has_value())
                ++ok;
            else if (r.error().kind == error_kind::timeout)
                ++timed_out;
            else
                ++other;
        });
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] { ioc.run(); });
    for (auto& t : threads)
        t.join();
    for (auto const& c : completions)
        CHECK(c == 1);
    CHECK(ok + timed_out == calls);
    CHECK(other == 0);
    CHECK(timed_out >= 1); // the server answers in arrival order: which call waits is not fixed
}

} // namespace test_calls
