// One PUT round trip over a kept-alive loopback connection: restschema's
// generic client (build, validate, send, read, decode) against libcurl with
// a reused easy handle and Boost.JSON decoding, both to the same server.
#include <restschema/client.hpp>

#include <restschema/gen/attestr.hpp>

#include "support/scripted_server.hpp"

#include <benchmark/benchmark.h>
#include <boost/json/parse.hpp>
#include <curl/curl.h>

namespace {

std::string const answer = R"({"profileId":"PRF-7d4c1e20","tag":"EMP-1042","name":"Asha Verma"})";

test::scripted_server& server()
{
    static test::scripted_server s;
    return s;
}

void roundtrip_restschema_client(benchmark::State& state)
{
    auto& srv = server();
    srv.record_requests(false);
    srv.set_default(test::reply(200, answer));
    restschema::client_options o;
    o.base_url = srv.url();
    o.credentials = {{"basic_token", "bench-token"}};
    restschema::client<attestr::service> api(o);
    attestr::update_profile_request req;
    req.profile_id = "PRF-7d4c1e20";
    req.tag = "EMP-1042";
    req.name = "Asha Verma";
    req.mobile = "+919876543210";
    for (auto _ : state) {
        auto r = api.try_call(req);
        if (!r)
            state.SkipWithError(r.error().what().c_str());
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(roundtrip_restschema_client)->UseRealTime();

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out)
{
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}

void roundtrip_libcurl_by_hand(benchmark::State& state)
{
    auto& srv = server();
    srv.record_requests(false);
    srv.set_default(test::reply(200, answer));
    CURL* h = curl_easy_init();
    std::string const url = srv.url() + "/api/v1/public/factx/PRF-7d4c1e20";
    std::string const body = R"({"tag":"EMP-1042","name":"Asha Verma","mobile":"+919876543210"})";
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Authorization: Basic bench-token");
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    std::string response;
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
    for (auto _ : state) {
        response.clear();
        if (curl_easy_perform(h) != CURLE_OK)
            state.SkipWithError("curl failed");
        benchmark::DoNotOptimize(boost::json::parse(response));
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
}
BENCHMARK(roundtrip_libcurl_by_hand)->UseRealTime();

} // namespace
