// The generic client against the schema-driven mock server: both seed APIs
// end to end, and the mock's fault injection driving the client's retries.
#include <restschema/client.hpp>
#include <restschema/mock.hpp>

#include <restschema/gen/attestr.extras.hpp>
#include <restschema/gen/safeshepherd.extras.hpp>

#include <boost/mp11/algorithm.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

// Every name of this file is in namespace test_end_to_end: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_end_to_end {

namespace {

using namespace std::chrono_literals;
using seed_endpoints = boost::mp11::mp_append<attestr::endpoints, safeshepherd::endpoints>;

struct fixture {
    std::mutex log_mutex;
    std::condition_variable log_cv;
    std::vector<std::string> log;
    restschema::mock_server<seed_endpoints> mock;

    fixture() : mock(options(this)) { mock.start(); }

    static restschema::mock_options options(fixture* self)
    {
        restschema::mock_options o;
        o.credentials = {{"basic_token", "tok-e2e"}, {"api_key", "key-e2e"}, {"api_secret", "sec-e2e"}};
        o.access_log = [self](std::string_view line) {
            std::lock_guard lock(self->log_mutex);
            self->log.emplace_back(line);
            self->log_cv.notify_all();
        };
        return o;
    }

    /// The access log, once it has n lines: the mock writes a line just
    /// after it has answered, so the client can be a moment ahead of it.
    std::vector<std::string> log_lines(std::size_t n)
    {
        std::unique_lock lock(log_mutex);
        log_cv.wait_for(lock, std::chrono::seconds(5), [&] { return log.size() >= n; });
        return log;
    }

    restschema::client_options client(std::string const& scheme_a, std::string const& value_a)
    {
        restschema::client_options o;
        o.base_url = mock.base_url();
        o.credentials = {{scheme_a, value_a}};
        o.retry.initial_backoff = 10ms;
        o.retry.max_backoff = 20ms;
        return o;
    }
};

attestr::update_profile_request profile(std::string id = "PRF-7d4c1e20")
{
    attestr::update_profile_request r;
    r.profile_id = std::move(id);
    r.tag = "EMP-1042";
    r.name = "Asha Verma";
    r.email = "asha.verma@example.com";
    r.mobile = "+919876543210";
    return r;
}

} // namespace

TEST_CASE("client: both seed endpoints succeed against the mock server")
{
    fixture f;
    restschema::client<attestr::service> attestr_api(f.client("basic_token", "tok-e2e"));
    auto p = attestr_api.try_call(profile());
    REQUIRE_MESSAGE(p.has_value(), p.error().what());
    CHECK(p->at("mobile") == "+919876543210");

    auto so = f.client("api_key", "key-e2e");
    so.credentials["api_secret"] = "sec-e2e";
    restschema::client<safeshepherd::service> ss_api(so);
    safeshepherd::update_user_request u;
    u.integration_name = "acme";
    u.id = 12;
    u.secret = "TOP SECRET";
    u.first_name = "Thomas";
    u.phone_numbers.destroy(safeshepherd::phone_number_id{123});
    auto r = ss_api.try_call(u);
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->first_name == "Thomas");
    CHECK(r->last_name == "Jones"); // absent in the request: unchanged
    REQUIRE(r->phone_numbers);
    CHECK(r->phone_numbers->size() == 1);
    CHECK(r->phone_numbers->at(0).id == 124);
}

TEST_CASE("client: what the mock gzips the client inflates, and accept_gzip = false gets it plain")
{
    fixture f;
    auto mo = fixture::options(&f);
    mo.gzip_min_size = 0; // every body the request lets it compress
    restschema::mock_server<seed_endpoints> gz(mo);
    gz.start();
    auto so = f.client("api_key", "key-e2e");
    so.base_url = gz.base_url();
    so.credentials["api_secret"] = "sec-e2e";
    std::string coding = "?";
    so.log = [&](restschema::log_record const& rec) {
        if (rec.what != restschema::log_record::kind::response)
            return;
        coding.clear();
        for (auto const& [name, value] : rec.headers)
            if (name == "Content-Encoding")
                coding = value;
    };
    for (bool accept : {true, false}) {
        CAPTURE(accept);
        so.accept_gzip = accept;
        restschema::client<safeshepherd::service> api(so);
        safeshepherd::update_user_request u;
        u.integration_name = "acme";
        u.id = 12;
        u.secret = "TOP SECRET";
        u.first_name = accept ? "Gzip" : "Plain";
        auto r = api.try_call(u);
        REQUIRE_MESSAGE(r.has_value(), r.error().what());
        CHECK(r->first_name == u.first_name);
        CHECK(r->last_name == "Jones");
        CHECK(coding == (accept ? "gzip" : ""));
    }
}

TEST_CASE("client: wrong credentials give the service's 401 row through the client")
{
    fixture f;
    restschema::client<attestr::service> api(f.client("basic_token", "wrong"));
    auto r = api.try_call(profile());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().api_error<attestr::update_profile_error>() ==
          attestr::update_profile_error::invalid_client_authorization);
    CHECK(r.error().http_status == 401);
}

TEST_CASE("retry: the mock's 429/4291 with Retry-After is retried and then succeeds")
{
    fixture f;
    f.mock.set_fault("error=account_rate_limit;retry_after=1;times=2");
    auto o = f.client("basic_token", "tok-e2e");
    o.retry.max_attempts = 3;
    restschema::client<attestr::service> api(o);
    auto const t0 = std::chrono::steady_clock::now();
    auto r = api.try_call(profile());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(std::chrono::steady_clock::now() - t0 >= 1800ms); // two Retry-After: 1 waits
    CHECK(f.log_lines(3).size() == 3);
}

TEST_CASE("retry: the mock's daily limit 429/4294 is returned at once")
{
    fixture f;
    f.mock.set_fault("error=api_daily_limit;retry_after=1;times=5");
    restschema::client<attestr::service> api(f.client("basic_token", "tok-e2e"));
    auto r = api.try_call(profile());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().api_error<attestr::update_profile_error>() ==
          attestr::update_profile_error::api_daily_limit);
    CHECK(r.error().attempts == 1);
    CHECK(r.error().retry_after == std::chrono::milliseconds(1000));
}

TEST_CASE("client: the mock dropping the connection mid-response is a transport error")
{
    fixture f;
    f.mock.set_fault("drop=mid-response;times=1");
    restschema::client<attestr::service> api(f.client("basic_token", "tok-e2e"));
    auto r = api.try_call(profile());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == restschema::error_kind::transport);
    // The server keeps serving.
    CHECK(api.try_call(profile()).has_value());
}

TEST_CASE("timeout: the mock's added latency beyond request_timeout is a timeout")
{
    fixture f;
    f.mock.set_fault("latency=1000;times=1");
    auto o = f.client("basic_token", "tok-e2e");
    o.request_timeout = 200ms;
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == restschema::error_kind::timeout);
}

TEST_CASE("client: a mock body padded past max_body_size is refused")
{
    fixture f;
    f.mock.set_fault("body_bytes=100000;times=1");
    auto o = f.client("basic_token", "tok-e2e");
    o.max_body_size = 16 * 1024;
    restschema::client<attestr::service> api(o);
    auto r = api.try_call(profile());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == restschema::error_kind::decode);
}

TEST_CASE("redact: neither the mock's access log nor the client's errors show the Safe Shepherd key" *
          doctest::test_suite("concurrency"))
{
    fixture f;
    restschema::client_options so;
    so.base_url = f.mock.base_url();
    so.credentials = {{"api_key", "key-e2e"}, {"api_secret", "wrong-secret"}};
    std::vector<std::string> client_log;
    so.log = [&](restschema::log_record const& r) { client_log.push_back(r.target + " " + r.body); };
    restschema::client<safeshepherd::service> api(so);
    safeshepherd::update_user_request u;
    u.integration_name = "acme";
    u.id = 12;
    u.secret = "TOP SECRET";
    auto r = api.try_call(u);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().http_status == 401);
    for (auto const& t : {r.error().what(), r.error().body}) {
        CHECK(t.find("key-e2e") == std::string::npos);
        CHECK(t.find("wrong-secret") == std::string::npos);
        CHECK(t.find("TOP SECRET") == std::string::npos);
    }
    for (auto const& l : client_log) {
        CHECK(l.find("key-e2e") == std::string::npos);
        CHECK(l.find("wrong-secret") == std::string::npos);
        CHECK(l.find("TOP SECRET") == std::string::npos);
    }
    auto const lines = f.log_lines(1);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("key-e2e") == std::string::npos);
    CHECK(lines[0].find("/api/acme/***/v2/users/12") != std::string::npos);
}

TEST_CASE("client: synchronous calls from several threads on one client all succeed" *
          doctest::test_suite("concurrency"))
{
    fixture f;
    restschema::client<attestr::service> api(f.client("basic_token", "tok-e2e"));
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 5; ++i)
                ok += api.try_call(profile()).has_value() ? 1 : 0;
        });
    for (auto& t : threads)
        t.join();
    CHECK(ok == 20);
}

TEST_CASE("client: concurrent async calls on one io_context share the connection pool" *
          doctest::test_suite("concurrency"))
{
    fixture f;
    boost::asio::io_context io;
    restschema::client<attestr::service> api(io.get_executor(), f.client("basic_token", "tok-e2e"));
    int ok = 0;
    for (int i = 0; i < 8; ++i)
        api.async_call(profile(),
                       [&](restschema::result<boost::json::value> r) { ok += r.has_value() ? 1 : 0; });
    io.run();
    CHECK(ok == 8);
}

} // namespace test_end_to_end
