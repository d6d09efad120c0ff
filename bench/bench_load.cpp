// Async load (issue 9): 64 calls in flight on one io_context against the
// in-process mock server (its own thread), for a fixed number of calls after
// a warm-up; calls/s and latency percentiles. Beside it, libcurl's multi
// interface drives the same load (64 easy handles, keep-alive) against the
// same server, parsing each answer with Boost.JSON.
//
//   restschema_bench_load [--calls N] [--warmup N] [--concurrency N]
//
// The call: Attestr update_profile (PUT with a JSON body, validated, basic
// token) on the mock's seeded profile; the mock answers the stored record.
#include <restschema/client.hpp>
#include <restschema/gen/all.extras.hpp> // the mock reads the docs and mock data
#include <restschema/mock.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct settings {
    int calls = 20'000;
    int warmup = 2'000;
    int concurrency = 64;
};

std::string const token = "bench-token";
std::string const profile_id = "PRF-7d4c1e20";

/// Latencies of one measured run.
struct run_result {
    std::vector<double> latency_us;
    double seconds = 0;
    int errors = 0;
    std::string first_error;
};

double percentile(std::vector<double> sorted, double p)
{
    if (sorted.empty())
        return 0;
    std::sort(sorted.begin(), sorted.end());
    auto const rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

// --------------------------------------------------------------- restschema

/// Runs `calls` calls with `concurrency` in flight; records their latencies when `out` is set.
void restschema_phase(boost::asio::io_context& ioc, restschema::client<attestr::service>& api, int calls,
                      int concurrency, run_result* out)
{
    attestr::update_profile_request req;
    req.profile_id = profile_id;
    req.tag = "EMP-1042";
    req.name = "Asha Verma";
    req.mobile = "+919876543210";

    int issued = 0;
    std::function<void()> start_one = [&] {
        ++issued;
        auto const t0 = clock_type::now();
        api.async_call(req, [&, t0](restschema::result<boost::json::value> r) {
            auto const us = std::chrono::duration<double, std::micro>(clock_type::now() - t0).count();
            if (out) {
                out->latency_us.push_back(us);
                if (!r && out->errors++ == 0)
                    out->first_error = r.error().what();
            }
            if (issued < calls)
                start_one();
        });
    };
    for (int i = 0; i < std::min(concurrency, calls); ++i)
        start_one();
    ioc.restart();
    ioc.run();
}

run_result run_restschema(std::string const& base_url, settings const& s)
{
    boost::asio::io_context ioc(1);
    restschema::client_options o;
    o.base_url = base_url;
    o.credentials = {{"basic_token", token}};
    o.max_idle_connections = static_cast<std::size_t>(s.concurrency); // keep-alive for every call in flight
    o.retry.max_attempts = 1;                                         // measure calls, not retries
    restschema::client<attestr::service> api(ioc.get_executor(), o);

    restschema_phase(ioc, api, s.warmup, s.concurrency, nullptr);
    run_result r;
    r.latency_us.reserve(static_cast<std::size_t>(s.calls));
    auto const t0 = clock_type::now();
    restschema_phase(ioc, api, s.calls, s.concurrency, &r);
    r.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
    return r;
}

// --------------------------------------------------------------- libcurl multi

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out)
{
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}

struct curl_transfer {
    CURL* easy = nullptr;
    std::string response;
    clock_type::time_point started;
};

void check(CURLMcode c, char const* what)
{
    if (c != CURLM_OK)
        throw std::runtime_error(std::string(what) + ": " + curl_multi_strerror(c));
}

/// Runs `calls` transfers with every handle of `transfers` in flight.
void curl_phase(CURLM* multi, std::vector<curl_transfer>& transfers, int calls, run_result* out)
{
    int issued = 0;
    auto start = [&](curl_transfer& t) {
        ++issued;
        t.response.clear();
        t.started = clock_type::now();
        check(curl_multi_add_handle(multi, t.easy), "curl_multi_add_handle");
    };
    int active = 0;
    for (auto& t : transfers)
        if (issued < calls) {
            start(t);
            ++active;
        }
    while (active > 0) {
        int running = 0;
        check(curl_multi_perform(multi, &running), "curl_multi_perform");
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_transfer* t = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
            CURLcode const result = msg->data.result;
            check(curl_multi_remove_handle(multi, t->easy), "curl_multi_remove_handle");
            --active;
            long status = 0;
            curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
            bool ok = result == CURLE_OK && status == 200;
            if (ok) {
                boost::system::error_code ec;
                auto v = boost::json::parse(t->response, ec);
                ok = !ec && v.is_object();
            }
            auto const us = std::chrono::duration<double, std::micro>(clock_type::now() - t->started).count();
            if (out) {
                out->latency_us.push_back(us);
                if (!ok && out->errors++ == 0)
                    out->first_error = result != CURLE_OK
                                           ? curl_easy_strerror(result)
                                           : "HTTP " + std::to_string(status) + ": " + t->response;
            }
            if (issued < calls) {
                start(*t);
                ++active;
            }
        }
        if (active > 0)
            check(curl_multi_poll(multi, nullptr, 0, 100, nullptr), "curl_multi_poll");
    }
}

run_result run_curl(std::string const& base_url, settings const& s)
{
    std::string const url = base_url + "/api/v1/public/factx/" + profile_id;
    std::string const body = R"({"tag":"EMP-1042","name":"Asha Verma","mobile":"+919876543210"})";
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, ("Authorization: Basic " + token).c_str());
    headers = curl_slist_append(headers, "Expect:");

    CURLM* multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(s.concurrency));
    std::vector<curl_transfer> transfers(static_cast<std::size_t>(s.concurrency));
    for (auto& t : transfers) {
        t.easy = curl_easy_init();
        curl_easy_setopt(t.easy, CURLOPT_URL, url.c_str());
        curl_easy_setopt(t.easy, CURLOPT_CUSTOMREQUEST, "PUT");
        curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(t.easy, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(t.easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
        curl_easy_setopt(t.easy, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(t.easy, CURLOPT_WRITEDATA, &t.response);
        curl_easy_setopt(t.easy, CURLOPT_PRIVATE, &t);
    }

    curl_phase(multi, transfers, s.warmup, nullptr);
    run_result r;
    r.latency_us.reserve(static_cast<std::size_t>(s.calls));
    auto const t0 = clock_type::now();
    curl_phase(multi, transfers, s.calls, &r);
    r.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();

    for (auto& t : transfers)
        curl_easy_cleanup(t.easy);
    curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
    return r;
}

void print_row(std::string_view name, run_result const& r)
{
    auto const n = r.latency_us.size();
    std::printf("| %-38s | %6zu | %8.0f | %7.2f | %7.2f | %6d |\n", std::string(name).c_str(), n,
                r.seconds > 0 ? static_cast<double>(n) / r.seconds : 0.0,
                percentile(r.latency_us, 0.50) / 1000, percentile(r.latency_us, 0.99) / 1000, r.errors);
}

int parse_count(char const* text)
{
    char* end = nullptr;
    long const v = std::strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || v < 1 || v > 100'000'000)
        throw std::invalid_argument(std::string("not a positive count: ") + text);
    return static_cast<int>(v);
}

} // namespace

int main(int argc, char** argv)
{
    settings s;
    try {
        for (int i = 1; i < argc; ++i) {
            std::string_view const a = argv[i];
            if (i + 1 < argc && a == "--calls")
                s.calls = parse_count(argv[++i]);
            else if (i + 1 < argc && a == "--warmup")
                s.warmup = parse_count(argv[++i]);
            else if (i + 1 < argc && a == "--concurrency")
                s.concurrency = parse_count(argv[++i]);
            else
                throw std::invalid_argument(
                    "usage: restschema_bench_load [--calls N] [--warmup N] [--concurrency N]");
        }
    } catch (std::exception const& e) {
        std::cerr << e.what() << '\n';
        return 2;
    }

    curl_global_init(CURL_GLOBAL_DEFAULT);
    restschema::mock_options mo;
    mo.credentials = {{"basic_token", token}};
    mo.access_log = [](std::string_view) {}; // no log line per request: it would be the benchmark
    restschema::mock_server<restschema::gen::all_endpoints> mock(mo);
    mock.start();

    std::printf(
        "%d calls after %d of warm-up, %d in flight, one client thread, the mock on its own thread (%s)\n\n",
        s.calls, s.warmup, s.concurrency, mock.base_url().c_str());
    std::printf("| %-38s | %6s | %8s | %7s | %7s | %6s |\n", "client", "calls", "calls/s", "p50 ms", "p99 ms",
                "errors");
    std::printf("|%s|%s|%s|%s|%s|%s|\n", std::string(40, '-').c_str(),
                "-------:", "---------:", "--------:", "--------:", "-------:");
    std::fflush(stdout);

    auto const rs = run_restschema(mock.base_url(), s);
    print_row("restschema async_call (callbacks)", rs);
    std::fflush(stdout);
    auto const cu = run_curl(mock.base_url(), s);
    print_row("libcurl multi, keep-alive, Boost.JSON", cu);

    for (auto const* r : {&rs, &cu})
        if (r->errors)
            std::cerr << "first error: " << r->first_error << '\n';
    mock.stop();
    curl_global_cleanup();
    return rs.errors || cu.errors ? 1 : 0;
}
