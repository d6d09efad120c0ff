// restschema-mock in-process, driven by raw HTTP requests (a small synchronous
// Beast client below), so that these tests exercise the server, not the client.
#include <algorithm>
#include <restschema/mock.hpp>

#include <restschema/codec.hpp>
#include <restschema/detail/gzip.hpp>
// The service headers, not restschema/gen/all.hpp: this test executable also
// generates test-only schemas, whose all.hpp comes first on its include path.
#include <restschema/gen/attestr.extras.hpp>
#include <restschema/gen/dated.extras.hpp>
#include <restschema/gen/edgy.extras.hpp>
#include <restschema/gen/safeshepherd.extras.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ; // posix_spawn's environment

// Every name of this file is in namespace test_mock: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_mock {

namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using seed_endpoints = boost::mp11::mp_list<attestr::update_profile, safeshepherd::update_user>;
using mock = restschema::mock_server<seed_endpoints>;

constexpr char const* attestr_token = "ATTESTR-TOKEN-5f2a9c";
constexpr char const* ss_key = "SS-KEY-81d0e4";
constexpr char const* ss_secret = "SS-SECRET-c3b7aa";
constexpr char const* profile_path = "/api/v1/public/factx/PRF-7d4c1e20";

std::string user_path(std::string const& id = "12", std::string const& key = ss_key)
{
    return "/api/acme/" + key + "/v2/users/" + id;
}

/// Collects access-log lines (the sink runs on the server thread).
struct log_capture {
    std::mutex m;
    std::vector<std::string> lines;

    std::function<void(std::string_view)> sink()
    {
        return [this](std::string_view line) {
            std::lock_guard lock(m);
            lines.emplace_back(line);
        };
    }
    std::vector<std::string> wait_for(std::size_t n)
    {
        for (int i = 0; i < 200; ++i) {
            {
                std::lock_guard lock(m);
                if (lines.size() >= n)
                    return lines;
            }
            std::this_thread::sleep_for(10ms);
        }
        std::lock_guard lock(m);
        return lines;
    }
};

restschema::mock_options options(log_capture* log = nullptr)
{
    restschema::mock_options o;
    o.credentials = {{"basic_token", attestr_token}, {"api_key", ss_key}, {"api_secret", ss_secret}};
    if (log)
        o.access_log = log->sink();
    else
        o.access_log = [](std::string_view) {};
    return o;
}

struct reply {
    int status = 0;
    unsigned version = 0; ///< 10 or 11, of the status line
    std::string body;
    http::fields headers;
    boost::system::error_code ec;

    json::value json() const
    {
        boost::system::error_code jec;
        auto jv = json::parse(body, jec);
        REQUIRE_MESSAGE(!jec, "not JSON: " << body);
        return jv;
    }
    std::string header(std::string_view name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : std::string(it->value());
    }
};

/// One client connection; every operation has a 10 s deadline.
class connection {
  public:
    explicit connection(unsigned short port) : stream_(ioc_)
    {
        stream_.expires_after(10s);
        stream_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    }

    boost::system::error_code write_raw(std::string const& bytes)
    {
        boost::system::error_code out;
        stream_.expires_after(10s);
        asio::async_write(stream_, asio::buffer(bytes),
                          [&](boost::system::error_code ec, std::size_t) { out = ec; });
        run();
        return out;
    }

    /// Everything the server sends until it closes the connection; `end` gets
    /// how the reading ended (eof when the server closed, timeout when it did not).
    std::string read_all(boost::system::error_code* end = nullptr)
    {
        std::string out(static_cast<char const*>(buffer_.data().data()), buffer_.size());
        buffer_.consume(buffer_.size());
        stream_.expires_after(10s);
        char chunk[4096];
        for (;;) {
            boost::system::error_code rec;
            std::size_t n = 0;
            stream_.async_read_some(asio::buffer(chunk), [&](boost::system::error_code ec, std::size_t k) {
                rec = ec;
                n = k;
            });
            run();
            out.append(chunk, n);
            if (rec) {
                if (end)
                    *end = rec;
                break;
            }
        }
        return out;
    }

    reply read_response()
    {
        reply r;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        stream_.expires_after(10s);
        http::async_read(stream_, buffer_, parser,
                         [&](boost::system::error_code ec, std::size_t) { r.ec = ec; });
        run();
        if (parser.is_header_done()) { // 0: nothing came back
            r.status = parser.get().result_int();
            r.version = parser.get().version();
            r.headers = parser.get().base();
            r.body = parser.get().body();
        }
        return r;
    }

    reply request(http::verb method, std::string const& target, std::string const& body,
                  std::vector<std::pair<std::string, std::string>> const& headers = {})
    {
        http::request<http::string_body> req(method, target, 11);
        req.set(http::field::host, "127.0.0.1");
        for (auto const& [k, v] : headers)
            req.set(k, v);
        req.body() = body;
        req.prepare_payload();
        boost::system::error_code wec;
        stream_.expires_after(10s);
        http::async_write(stream_, req, [&](boost::system::error_code ec, std::size_t) { wec = ec; });
        run();
        if (wec) {
            reply r;
            r.ec = wec;
            return r;
        }
        return read_response();
    }

  private:
    asio::io_context ioc_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;

    void run()
    {
        ioc_.run();
        ioc_.restart();
    }
};

using header_list = std::vector<std::pair<std::string, std::string>>;

header_list attestr_headers(std::string const& fault = "")
{
    header_list h{{"Authorization", std::string("Basic ") + attestr_token},
                  {"Content-Type", "application/json"}};
    if (!fault.empty())
        h.emplace_back("X-Restschema-Mock-Fault", fault);
    return h;
}

reply put(unsigned short port, std::string const& target, std::string const& body, header_list const& headers)
{
    connection c(port);
    return c.request(http::verb::put, target, body, headers);
}

reply put_profile(unsigned short port, std::string const& body, std::string const& fault = "")
{
    return put(port, profile_path, body, attestr_headers(fault));
}

std::string const valid_profile = R"({"tag":"EMP-2001","name":"Asha Verma","mobile":"+919876543210"})";

std::string user_body(std::string const& extra = "", std::string const& secret = "TOP SECRET")
{
    return R"({"secret":")" + secret + R"(","api_secret":")" + ss_secret + "\"" +
           (extra.empty() ? "" : "," + extra) + "}";
}

reply put_user(unsigned short port, std::string const& body, std::string const& target = user_path(),
               std::string const& fault = "")
{
    header_list h{{"Content-Type", "application/json"}};
    if (!fault.empty())
        h.emplace_back("X-Restschema-Mock-Fault", fault);
    return put(port, target, body, h);
}

void check_envelope(reply const& r, int status, std::int64_t code)
{
    CHECK(r.status == status);
    CHECK(r.header("Content-Type") == "application/json");
    auto jv = r.json();
    REQUIRE(jv.is_object());
    CHECK(jv.at("code").as_int64() == code);
    CHECK(jv.at("message").is_string());
}

std::filesystem::path temp_file(std::string const& name, std::string const& content)
{
    auto p = std::filesystem::temp_directory_path() /
             ("restschema-mock-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(p, std::ios::binary) << content;
    return p;
}

std::string start_error(restschema::mock_options o)
{
    mock m(std::move(o));
    try {
        m.start();
    } catch (std::exception const& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("mock: attestr update with basic auth answers the new state")
{
    mock m(options());
    m.start();
    REQUIRE(m.port() != 0);
    CHECK(m.base_url() == "http://127.0.0.1:" + std::to_string(m.port()));

    // Keep-alive: two requests on one connection; the second sees the first's update.
    connection c(m.port());
    auto r = c.request(http::verb::put, profile_path, valid_profile, attestr_headers());
    REQUIRE(r.status == 200);
    auto jv = r.json();
    CHECK(jv.at("profileId") == "PRF-7d4c1e20");
    CHECK(jv.at("tag") == "EMP-2001");
    CHECK(jv.at("name") == "Asha Verma");
    CHECK(jv.at("mobile") == "+919876543210");
    CHECK(jv.at("email") == "asha@example.com"); // from the seed: not sent, unchanged

    r = c.request(http::verb::put, profile_path, R"({"tag":"EMP-2002","name":"A. Verma"})",
                  attestr_headers());
    REQUIRE(r.status == 200);
    jv = r.json();
    CHECK(jv.at("tag") == "EMP-2002");
    CHECK(jv.at("mobile") == "+919876543210");
}

TEST_CASE("mock: attestr missing or bad Authorization is 401/4016")
{
    mock m(options());
    m.start();
    header_list const ct{{"Content-Type", "application/json"}};
    auto r = put(m.port(), profile_path, valid_profile, ct);
    check_envelope(r, 401, 4016);
    CHECK(r.json().at("message") == "Invalid client authorization");

    for (std::string bad :
         {"Bearer ATTESTR-TOKEN-5f2a9c", "Basic ", "Basic wrong-token", "ATTESTR-TOKEN-5f2a9c"}) {
        CAPTURE(bad);
        header_list h{{"Authorization", bad}, {"Content-Type", "application/json"}};
        check_envelope(put(m.port(), profile_path, valid_profile, h), 401, 4016);
    }

    // Without a configured credential any well-formed token is accepted.
    auto o = options();
    o.credentials.clear();
    mock open(o);
    open.start();
    header_list any{{"Authorization", "Basic anything"}, {"Content-Type", "application/json"}};
    CHECK(put(open.port(), profile_path, valid_profile, any).status == 200);
    check_envelope(put(open.port(), profile_path, valid_profile, ct), 401, 4016);
}

TEST_CASE("mock: attestr validation failures are 400/4001 with details")
{
    mock m(options());
    m.start();

    auto r = put_profile(m.port(), R"({"tag":"EMP-1"})");
    check_envelope(r, 400, 4001);
    CHECK(r.json().at("message") == "Malformed data or missing required parameter values");
    CHECK(std::string(r.json().at("details").as_string()).find("name") != std::string::npos);

    r = put_profile(m.port(), R"({"tag":"EMP-1","name":"A","mobile":"98765 43210"})");
    check_envelope(r, 400, 4001);
    CHECK(std::string(r.json().at("details").as_string()).find("mobile") != std::string::npos);

    r = put_profile(m.port(), R"({"tag":"EMP-1","name":"A","email":"not-an-email"})");
    check_envelope(r, 400, 4001);
    CHECK(std::string(r.json().at("details").as_string()).find("email") != std::string::npos);

    r = put_profile(m.port(), R"({"tag":12,"name":"A"})");
    check_envelope(r, 400, 4001);
    CHECK(std::string(r.json().at("details").as_string()).find("tag") != std::string::npos);

    // Malformed JSON.
    r = put_profile(m.port(), R"({"tag":"EMP-1","name":)");
    check_envelope(r, 400, 4001);
    CHECK(std::string(r.json().at("details").as_string()).find("malformed JSON") != std::string::npos);

    // A wrong Content-Type.
    header_list h{{"Authorization", std::string("Basic ") + attestr_token}, {"Content-Type", "text/plain"}};
    check_envelope(put(m.port(), profile_path, valid_profile, h), 400, 4001);

    // An unknown API version.
    check_envelope(put(m.port(), "/api/v9/public/factx/PRF-7d4c1e20", valid_profile, attestr_headers()), 400,
                   4001);
}

TEST_CASE("mock: attestr unknown profile id is 400/40018")
{
    mock m(options());
    m.start();
    auto r = put(m.port(), "/api/v1/public/factx/PRF-unknown", valid_profile, attestr_headers());
    check_envelope(r, 400, 40018);
    CHECK(r.json().at("message") == "Invalid profile Id or you do not have access to this record");
}

TEST_CASE("mock: safeshepherd update applies the schema's update semantics")
{
    mock m(options());
    m.start();
    std::string const update =
        R"("middle_name":"",)"
        R"("aliases":[{"first_name":"Tommy","last_name":"J","alias_type":"nickname"}],)"
        R"("emails":[{"id":"123","address":"tommy@example.com"}],)"
        R"("phone_numbers":[{"id":124,"_destroy":true}],)"
        R"("addresses":[{"id":123,"city":"Glendale"}])";
    auto r = put_user(m.port(), user_body(update));
    REQUIRE(r.status == 200);
    auto jv = r.json();
    REQUIRE(jv.as_object().contains("user"));
    auto const& u = jv.at("user").as_object();
    CHECK(u.at("first_name") == "Tommy");  // absent: unchanged
    CHECK(u.at("last_name") == "Jones");   // absent: unchanged
    CHECK(u.at("middle_name") == "");      // blank string truncates
    CHECK(u.at("secret") == "TOP SECRET"); // the owner secret is not rewritten
    CHECK(!u.contains("api_secret"));      // credentials are never stored
    auto const& aliases = u.at("aliases").as_array();
    REQUIRE(aliases.size() == 2);      // appended
    CHECK(aliases[1].at("id") == 124); // max existing id + 1
    CHECK(aliases[1].at("first_name") == "Tommy");
    CHECK(!aliases[1].as_object().contains("_destroy"));
    auto const& emails = u.at("emails").as_array();
    REQUIRE(emails.size() == 1); // updated by id, not appended
    CHECK(emails[0].at("address") == "tommy@example.com");
    auto const& phones = u.at("phone_numbers").as_array();
    REQUIRE(phones.size() == 1); // 124 destroyed
    CHECK(phones[0].at("id") == 123);
    auto const& addresses = u.at("addresses").as_array();
    REQUIRE(addresses.size() == 1);
    CHECK(addresses[0].at("city") == "Glendale");
    CHECK(addresses[0].at("address1") == "123 N Jones Street"); // not sent: unchanged

    // It decodes with the generated response type.
    auto decoded =
        restschema::try_from_json<safeshepherd::update_user::response>(jv.at("user"), {.path = "user"});
    REQUIRE_MESSAGE(decoded.has_value(), (decoded ? "" : decoded.error().what()));
    REQUIRE(decoded->aliases.has_value());
    CHECK(decoded->aliases->size() == 2);
    CHECK(decoded->middle_name == std::optional<std::string>(""));

    // The state persists: a second update sees the first one.
    r = put_user(m.port(), user_body(R"("first_name":"Tom","aliases":[{"id":124,"_destroy":true}])"));
    REQUIRE(r.status == 200);
    jv = r.json();
    CHECK(jv.at("user").at("first_name") == "Tom");
    CHECK(jv.at("user").at("middle_name") == "");
    CHECK(jv.at("user").at("aliases").as_array().size() == 1);

    // The optional format suffix: none or .json.
    CHECK(put_user(m.port(), user_body(), user_path("12.json")).status == 200);
}

TEST_CASE("mock: safeshepherd credentials, owner secret, unknown user and format")
{
    mock m(options());
    m.start();
    auto unauthorized = [](reply const& r) {
        CHECK(r.status == 401);
        auto jv = r.json();
        CHECK(jv.at("error") ==
              "Unauthorized: api_key missing or invalid, or user-secret failed authorization");
        CHECK(jv.as_object().contains("details"));
    };
    unauthorized(put_user(m.port(), user_body("", "wrong secret")));
    unauthorized(put_user(m.port(), user_body(), user_path("99"))); // unknown user: not_found row
    unauthorized(put_user(m.port(), user_body(), user_path("12", "other-key")));     // api_key
    unauthorized(put_user(m.port(), R"({"secret":"TOP SECRET"})"));                  // no api_secret
    unauthorized(put_user(m.port(), R"({"secret":"TOP SECRET","api_secret":"x"})")); // wrong api_secret

    // Formats (issue 16): .json and .xml are the endpoint's; another suffix is 406.
    auto r = put_user(m.port(), user_body(), user_path("12.yaml"));
    CHECK(r.status == 406);
    CHECK(r.json().at("details") == "this endpoint answers json, xml, not \"yaml\"");
    r = put_user(m.port(), user_body(), user_path("12.xml"));
    CHECK(r.status == 200);
    CHECK(r.headers[http::field::content_type] == "application/xml; charset=utf-8");
    CHECK(r.body.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<user>\n  <id type=\"integer\">12</id>\n"));
    r = put_user(m.port(), user_body("", "wrong secret"), user_path("12.xml"));
    CHECK(r.status == 401);
    CHECK(r.body.find("<hash>\n  <error>Unauthorized: api_key missing or invalid") != std::string::npos);
    r = put_user(m.port(), user_body(), user_path("12.json"));
    CHECK(r.status == 200);
    CHECK(r.json().at("user").at("id") == 12);

    r = put_user(m.port(), user_body(R"("birth_date":"yesterday")"));
    CHECK(r.status == 400);
    CHECK(r.json().at("error") == "Bad Request: fields missing or invalid");
    CHECK(std::string(r.json().at("details").as_string()).find("birth_date") != std::string::npos);

    r = put_user(m.port(), user_body(), user_path("abc"));
    CHECK(r.status == 400);
    CHECK(std::string(r.json().at("details").as_string()).find("id") != std::string::npos);
}

TEST_CASE("mock: unknown path is 404 and another method 405 with Allow")
{
    mock m(options());
    m.start();
    connection c(m.port());
    auto r = c.request(http::verb::get, "/nothing/here", "");
    CHECK(r.status == 404);
    CHECK(r.json().as_object().contains("error"));
    r = c.request(http::verb::get, profile_path, "", attestr_headers());
    CHECK(r.status == 405);
    CHECK(r.header("Allow") == "PUT");
    CHECK(r.json().as_object().contains("error"));
}

TEST_CASE("mock: deterministic mode answers the response example")
{
    auto o = options();
    o.stateful = false;
    mock m(o);
    m.start();
    auto r = put(m.port(), "/api/v1/public/factx/PRF-anything", R"({"tag":"T","name":"Someone Else"})",
                 attestr_headers());
    REQUIRE(r.status == 200);
    CHECK(json::parse(r.body) ==
          json::parse(restschema::endpoint_docs<attestr::update_profile>::response_example_json));

    auto u = put_user(m.port(), user_body(R"("middle_name":"")"), user_path("777"));
    REQUIRE(u.status == 200);
    CHECK(json::parse(u.body) ==
          json::parse(restschema::endpoint_docs<safeshepherd::update_user>::response_example_json));
    CHECK(u.json().at("user").at("middle_name") == "Lee");

    // Validation still applies.
    check_envelope(put_profile(m.port(), R"({"tag":"T"})"), 400, 4001);
}

TEST_CASE("mock: fault header answers an error row with Retry-After")
{
    mock m(options());
    m.start();
    auto r = put_profile(m.port(), valid_profile, "error=api_rate_limit;retry_after=1");
    check_envelope(r, 429, 4292);
    CHECK(r.header("Retry-After") == "1");

    r = put_profile(m.port(), valid_profile, "status=503");
    CHECK(r.status == 503);
    CHECK(r.body == "{}");

    r = put_profile(m.port(), valid_profile, "retry_after=Sun, 06 Nov 1994 08:49:37 GMT;status=503");
    CHECK(r.header("Retry-After") == "Sun, 06 Nov 1994 08:49:37 GMT");

    r = put_profile(m.port(), valid_profile, "body_bytes=5000");
    CHECK(r.status == 200);
    CHECK(r.body.size() >= 5000);
    CHECK(r.json().at("profileId") == "PRF-7d4c1e20");

    // Bad specs: 400 naming the problem.
    r = put_profile(m.port(), valid_profile, "explode=1");
    CHECK(r.status == 400);
    CHECK(r.body.find("explode") != std::string::npos);
    r = put_profile(m.port(), valid_profile, "error=no_such_row");
    CHECK(r.status == 400);
    CHECK(r.body.find("no_such_row") != std::string::npos);
    r = put_user(m.port(), user_body(), user_path(), "error=api_rate_limit"); // an Attestr row
    CHECK(r.status == 400);
    r = put_profile(m.port(), valid_profile, "times=2");
    CHECK(r.status == 400);
    r = put_profile(m.port(), valid_profile, "latency=soon");
    CHECK(r.status == 400);
}

TEST_CASE("mock: per-run fault with times hits exactly that many requests" *
          doctest::test_suite("concurrency"))
{
    mock m(options());
    m.start();
    m.set_fault("error=api_rate_limit;retry_after=2;times=2");
    // Safe Shepherd has no such row: not affected, not counted.
    CHECK(put_user(m.port(), user_body()).status == 200);
    auto r = put_profile(m.port(), valid_profile);
    check_envelope(r, 429, 4292);
    CHECK(r.header("Retry-After") == "2");
    check_envelope(put_profile(m.port(), valid_profile), 429, 4292);
    CHECK(put_profile(m.port(), valid_profile).status == 200);
    CHECK(put_profile(m.port(), valid_profile).status == 200);

    m.set_fault("status=503");
    CHECK(put_profile(m.port(), valid_profile).status == 503);
    CHECK(put_user(m.port(), user_body()).status == 503);
    m.set_fault("");
    CHECK(put_profile(m.port(), valid_profile).status == 200);

    CHECK_THROWS_AS(m.set_fault("error=no_such_row"), restschema::exception);
    CHECK_THROWS_AS(m.set_fault("bogus=1"), restschema::exception);

    auto o = options();
    o.fault = "status=503;times=1";
    mock f(o);
    f.start();
    CHECK(put_profile(f.port(), valid_profile).status == 503);
    CHECK(put_profile(f.port(), valid_profile).status == 200);

    o.fault = "error=no_such_row";
    auto const why = start_error(o);
    CHECK(why.find("no_such_row") != std::string::npos);
}

TEST_CASE("mock: latency delays one answer without holding up others" * doctest::test_suite("concurrency"))
{
    mock m(options());
    m.start();
    auto t0 = std::chrono::steady_clock::now();
    auto r = put_profile(m.port(), valid_profile, "latency=300");
    CHECK(r.status == 200);
    CHECK(std::chrono::steady_clock::now() - t0 >= 300ms);

    std::atomic<bool> slow_done{false};
    std::thread slow([&] {
        auto s = put_profile(m.port(), valid_profile, "latency=1500");
        CHECK(s.status == 200);
        slow_done = true;
    });
    std::this_thread::sleep_for(100ms);
    t0 = std::chrono::steady_clock::now();
    CHECK(put_profile(m.port(), valid_profile).status == 200);
    CHECK(std::chrono::steady_clock::now() - t0 < 1000ms);
    CHECK(!slow_done);
    slow.join();
}

TEST_CASE("mock: drop faults close the connection")
{
    mock m(options());
    m.start();
    {
        connection c(m.port());
        auto r =
            c.request(http::verb::put, profile_path, valid_profile, attestr_headers("drop=mid-response"));
        CHECK(r.ec); // the body ends before Content-Length says
        CHECK(r.status == 200);
    }
    {
        // The raw bytes: the head announces more than what follows.
        connection c(m.port());
        http::request<http::string_body> req(http::verb::put, profile_path, 11);
        req.set(http::field::host, "127.0.0.1");
        for (auto const& [k, v] : attestr_headers("drop=mid-response"))
            req.set(k, v);
        req.body() = valid_profile;
        req.prepare_payload();
        std::ostringstream ss;
        ss << req;
        REQUIRE(!c.write_raw(ss.str()));
        auto raw = c.read_all();
        REQUIRE(raw.starts_with("HTTP/1.1 200"));
        auto const head_end = raw.find("\r\n\r\n");
        REQUIRE(head_end != std::string::npos);
        auto const cl = raw.find("Content-Length: ");
        REQUIRE(cl != std::string::npos);
        auto const announced = std::stoul(raw.substr(cl + 16));
        CHECK(raw.size() - head_end - 4 < announced);
    }
    {
        connection c(m.port());
        auto r =
            c.request(http::verb::put, profile_path, valid_profile, attestr_headers("drop=before-response"));
        CHECK(r.ec);
        CHECK(r.status == 0);
    }
    CHECK(put_profile(m.port(), valid_profile).status == 200);
}

TEST_CASE("mock: garbage does not bring the server down")
{
    log_capture log;
    mock m(options(&log));
    m.start();
    {
        connection c(m.port());
        REQUIRE(!c.write_raw("THIS IS NOT HTTP\r\n\r\n"));
        auto raw = c.read_all();
        CHECK(raw.starts_with("HTTP/1.1 400"));
    }
    {
        connection c(m.port());
        REQUIRE(!c.write_raw(
            std::string("PUT /api/v1/public/factx/x HTTP/1.1\r\nHost: a\r\nX-Bad: \x01\x02\r\n\r\n")));
        CHECK(c.read_all().starts_with("HTTP/1.1 400"));
    }
    {
        // A client that goes away in the middle of its request.
        connection c(m.port());
        REQUIRE(!c.write_raw(
            "PUT /api/v1/public/factx/PRF-7d4c1e20 HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n{\"ta"));
    }
    {
        // Binary noise.
        connection c(m.port());
        std::string noise;
        for (int i = 0; i < 2000; ++i)
            noise += static_cast<char>((i * 7919) & 0xff);
        c.write_raw(noise);
        c.read_all();
    }
    CHECK(put_profile(m.port(), valid_profile).status == 200);
}

TEST_CASE("mock: oversized headers are 431 and bodies 413")
{
    mock m(options());
    m.start();
    {
        connection c(m.port());
        auto h = attestr_headers();
        h.emplace_back("X-Padding", std::string(10 * 1024, 'a'));
        auto r = c.request(http::verb::put, profile_path, valid_profile, h);
        CHECK(r.status == 431);
        CHECK(r.json().as_object().contains("error"));
    }
    {
        connection c(m.port());
        std::string head = std::string("PUT ") + profile_path +
                           " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           "Authorization: Basic " +
                           attestr_token + "\r\nContent-Length: " + std::to_string(2 * 1024 * 1024) +
                           "\r\n\r\n";
        REQUIRE(!c.write_raw(head + std::string(1000, ' ')));
        auto r = c.read_response();
        CHECK(r.status == 413);
        CHECK(r.json().as_object().contains("error"));
    }
    {
        // A body just under the limit is fine (whitespace is valid JSON padding).
        connection c(m.port());
        auto body = valid_profile + std::string(1024 * 1024 - valid_profile.size() - 10, ' ');
        CHECK(c.request(http::verb::put, profile_path, body, attestr_headers()).status == 200);
    }
    CHECK(put_profile(m.port(), valid_profile).status == 200);
}

TEST_CASE("mock: seed file")
{
    auto good = temp_file("good.json", R"({"profiles":[{"profileId":"P-1","tag":"t","name":"n"}],)"
                                       R"("users":[{"id":7,"secret":"s7","first_name":"Seven"}]})");
    auto o = options();
    o.seed_file = good.string();
    mock m(o);
    m.start();
    auto r = put(m.port(), "/api/v1/public/factx/P-1", valid_profile, attestr_headers());
    CHECK(r.status == 200);
    CHECK(r.json().at("tag") == "EMP-2001");
    // The file replaces the collection's default seed.
    check_envelope(put_profile(m.port(), valid_profile), 400, 40018);
    auto u = put_user(m.port(), user_body(R"("last_name":"Ng")", "s7"), user_path("7"));
    CHECK(u.status == 200);
    CHECK(u.json().at("user").at("first_name") == "Seven");
    CHECK(u.json().at("user").at("last_name") == "Ng");
    m.stop();

    auto bad = [&](std::string const& name, std::string const& content, std::string const& expect) {
        auto p = temp_file(name, content);
        auto oo = options();
        oo.seed_file = p.string();
        auto const why = start_error(oo);
        CAPTURE(why);
        CHECK(why.find(p.string()) != std::string::npos);
        CHECK(why.find(expect) != std::string::npos);
        std::filesystem::remove(p);
    };
    bad("syntax.json", R"({"profiles": [ {"profileId": "P-1",, } ]})", "invalid JSON");
    bad("array.json", R"([1,2])", "expected a JSON object");
    bad("unknown.json", R"({"widgets": []})", "unknown collection");
    bad("not-array.json", R"({"profiles": {"profileId": "P-1"}})", "must be an array");
    bad("no-key.json", R"({"profiles": [{"tag": "t"}]})", "profileId");
    bad("bad-type.json", R"({"users": [{"id": 1, "first_name": 42}]})", "first_name");

    auto o2 = options();
    o2.seed_file = "/nonexistent/restschema/seed.json";
    auto const why = start_error(o2);
    CHECK(why.find("/nonexistent/restschema/seed.json") != std::string::npos);
    std::filesystem::remove(good);
}

TEST_CASE("mock: access log redacts credentials" * doctest::test_suite("concurrency"))
{
    log_capture log;
    mock m(options(&log));
    m.start();
    CHECK(put_profile(m.port(), valid_profile).status == 200);
    CHECK(put_user(m.port(), user_body()).status == 200);
    CHECK(put_user(m.port(), user_body(), user_path("12", "WRONG-KEY-33ab")).status == 401);
    CHECK(put(m.port(), "/nothing?x=1", "", {}).status == 404);
    CHECK(put_profile(m.port(), valid_profile, "status=503").status == 503);
    auto lines = log.wait_for(5);
    REQUIRE(lines.size() == 5);
    for (auto const& line : lines) {
        CAPTURE(line);
        CHECK(line.find(attestr_token) == std::string::npos);
        CHECK(line.find(ss_key) == std::string::npos);
        CHECK(line.find("WRONG-KEY-33ab") == std::string::npos);
        CHECK(line.find(ss_secret) == std::string::npos);
        CHECK(line.find("TOP SECRET") == std::string::npos);
        CHECK(line.find("Authorization") == std::string::npos);
    }
    CHECK(lines[0].starts_with("PUT /api/v1/public/factx/PRF-7d4c1e20 200 "));
    CHECK(lines[1].starts_with("PUT /api/acme/***/v2/users/12 200 "));
    CHECK(lines[2].starts_with("PUT /api/acme/***/v2/users/12 401 "));
    CHECK(lines[3].starts_with("PUT /nothing?x=1 404 "));
    CHECK(lines[4].find(" 503 ") != std::string::npos);
}

TEST_CASE("mock: start fails clearly when the port is taken")
{
    mock a(options());
    a.start();
    auto o = options();
    o.port = a.port();
    auto const why = start_error(o);
    CHECK(why.find("cannot listen on 127.0.0.1:" + std::to_string(a.port())) != std::string::npos);
    CHECK(mock::endpoints().size() == 2);
}

TEST_CASE("mock: Expect 100-continue, keep-alive and the idle timeout" * doctest::test_suite("concurrency"))
{
    auto o = options();
    o.limits.idle_timeout = 300ms;
    mock m(o);
    m.start();
    connection c(m.port());
    std::string const head =
        std::string("PUT ") + profile_path +
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Basic " +
        attestr_token +
        "\r\nExpect: 100-continue\r\nContent-Length: " + std::to_string(valid_profile.size()) + "\r\n\r\n";
    REQUIRE(!c.write_raw(head));
    auto interim = c.read_response();
    CHECK(interim.status == 100);
    REQUIRE(!c.write_raw(valid_profile));
    auto r = c.read_response();
    CHECK(r.status == 200);
    CHECK(r.json().at("tag") == "EMP-2001");
    // Idle past the timeout: the server closes the connection.
    std::this_thread::sleep_for(600ms);
    CHECK(c.read_all().empty());
    CHECK(put_profile(m.port(), valid_profile).status == 200);
}

namespace {

/// A raw PUT of the valid profile: `version` "1.0" or "1.1", `extra` whole header lines.
TEST_CASE("mock: a large response is gzip-encoded when the request accepts gzip, else sent as it is")
{
    auto o = options();
    o.gzip_min_size = 256;
    mock m(o);
    m.start();
    auto const user = [&](std::string const& accept) {
        header_list h{{"Content-Type", "application/json"}};
        if (!accept.empty())
            h.emplace_back("Accept-Encoding", accept);
        return put(m.port(), user_path(), user_body(), h);
    };
    auto const plain = user("");
    REQUIRE(plain.status == 200);
    REQUIRE(plain.body.size() >= 256);
    CHECK(plain.header("Content-Encoding").empty());

    for (std::string accept : {"gzip", "deflate, gzip;q=0.5", "*", "x-gzip"}) {
        CAPTURE(accept);
        auto const r = user(accept);
        REQUIRE(r.status == 200);
        CHECK(r.header("Content-Encoding") == "gzip");
        CHECK(r.header("Vary") == "Accept-Encoding");
        std::string inflated;
        CHECK(restschema::detail::gunzip(r.body, 1u << 20, inflated).empty());
        CHECK(json::parse(inflated) == plain.json());
    }
    for (std::string accept : {"identity", "gzip;q=0", "*, gzip;q=0.0", "deflate"}) {
        CAPTURE(accept);
        auto const r = user(accept);
        CHECK(r.header("Content-Encoding").empty());
        CHECK(r.body == plain.body);
    }
    // Below the threshold (a 404 envelope is small): sent as it is.
    auto const missing = put(m.port(), user_path("404404"), user_body(),
                             {{"Content-Type", "application/json"}, {"Accept-Encoding", "gzip"}});
    CHECK(missing.header("Content-Encoding").empty());
}

std::string raw_put_profile(std::string const& version, std::string const& extra = "")
{
    return std::string("PUT ") + profile_path + " HTTP/" + version +
           "\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Basic " + attestr_token +
           "\r\n" + extra + "Content-Length: " + std::to_string(valid_profile.size()) + "\r\n\r\n" +
           valid_profile;
}

bool says_keep_alive(reply const& r)
{
    return beast::iequals(r.header("Connection"), "keep-alive");
}

/// Status lines in what the server sent (one per answer).
std::size_t status_lines(std::string const& raw)
{
    std::size_t n = raw.starts_with("HTTP/1.") ? 1 : 0;
    for (auto at = raw.find("\nHTTP/1."); at != std::string::npos; at = raw.find("\nHTTP/1.", at + 1))
        ++n;
    return n;
}

} // namespace

TEST_CASE("mock: HTTP/1.0 keep-alive is answered as HTTP/1.0 with Connection: keep-alive (issue 17)")
{
    // ApacheBench's -k: without "Connection: keep-alive" in an HTTP/1.0 answer the
    // client waits for the close, and stalled until the idle timeout.
    mock m(options());
    m.start();
    connection c(m.port());
    for (int i = 0; i < 2; ++i) {
        CAPTURE(i);
        REQUIRE(!c.write_raw(raw_put_profile("1.0", "Connection: Keep-Alive\r\n")));
        auto r = c.read_response();
        CHECK(!r.ec);
        CHECK(r.status == 200);
        CHECK(r.version == 10);
        CHECK(says_keep_alive(r));
        CHECK(r.json().at("tag") == "EMP-2001");
    }
    // The same connection, now without keep-alive: answered, then closed.
    REQUIRE(!c.write_raw(raw_put_profile("1.0")));
    auto r = c.read_response();
    CHECK(r.status == 200);
    CHECK(r.version == 10);
    CHECK(!says_keep_alive(r));
    boost::system::error_code end;
    CHECK(c.read_all(&end).empty());
    CHECK(end == asio::error::eof);
}

TEST_CASE("mock: HTTP/1.0 without keep-alive is closed after the answer, and gets no 100 Continue")
{
    mock m(options());
    m.start();
    {
        connection c(m.port());
        REQUIRE(!c.write_raw(raw_put_profile("1.0")));
        auto r = c.read_response();
        CHECK(r.status == 200);
        CHECK(r.version == 10);
        CHECK(r.header("Connection").empty());
        boost::system::error_code end;
        CHECK(c.read_all(&end).empty());
        CHECK(end == asio::error::eof);
    }
    {
        // An HTTP/1.0 client cannot know 1xx answers: the first answer is the final one.
        connection c(m.port());
        REQUIRE(!c.write_raw(raw_put_profile("1.0", "Expect: 100-continue\r\n")));
        auto r = c.read_response();
        CHECK(r.status == 200);
        CHECK(r.version == 10);
    }
}

TEST_CASE("mock: HTTP/1.1 pipelined requests are answered in order; Connection: close closes" *
          doctest::test_suite("concurrency"))
{
    mock m(options());
    m.start();
    connection c(m.port());
    // Three requests in one write: the mock reads the second and third from what it
    // buffered while reading the first.
    std::string const safe_user = user_body();
    std::string const user_req = "PUT " + user_path() +
                                 " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                 "Content-Length: " +
                                 std::to_string(safe_user.size()) + "\r\n\r\n" + safe_user;
    REQUIRE(
        !c.write_raw(raw_put_profile("1.1") + user_req + raw_put_profile("1.1", "Connection: close\r\n")));
    auto first = c.read_response();
    CHECK(first.status == 200);
    CHECK(first.version == 11);
    CHECK(first.header("Connection").empty());
    CHECK(first.json().at("tag") == "EMP-2001");
    auto second = c.read_response();
    CHECK(second.status == 200);
    CHECK(second.version == 11);
    CHECK(second.header("Connection").empty());
    CHECK(second.json().as_object().contains("user"));
    auto third = c.read_response();
    CHECK(third.status == 200);
    CHECK(third.version == 11);
    CHECK(beast::iequals(third.header("Connection"), "close"));
    boost::system::error_code end;
    CHECK(c.read_all(&end).empty());
    CHECK(end == asio::error::eof);
    // And an HTTP/1.1 connection without either header stays open for the next request.
    connection k(m.port());
    for (int i = 0; i < 3; ++i) {
        CAPTURE(i);
        auto r = k.request(http::verb::put, profile_path, valid_profile, attestr_headers());
        CHECK(!r.ec);
        CHECK(r.status == 200);
        CHECK(r.version == 11);
    }
}

TEST_CASE("mock: a HEAD request is answered with the head alone, so the next answer on the connection "
          "is read as sent (found by fuzz_mock)")
{
    mock m(options());
    m.start();
    connection c(m.port());
    // HEAD on the PUT endpoint is a 405: its JSON body must not follow the head, else a
    // client reads it as the start of the answer to the pipelined PUT.
    REQUIRE(!c.write_raw("HEAD " + std::string(profile_path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
                         raw_put_profile("1.1", "Connection: close\r\n")));
    auto const raw = c.read_all();
    CHECK(status_lines(raw) == 2);
    auto const head_end = raw.find("\r\n\r\n");
    REQUIRE(head_end != std::string::npos);
    CHECK(raw.starts_with("HTTP/1.1 405"));
    // Its Content-Length is that of the 405 body it leaves out, not 0.
    auto const length = raw.find("Content-Length: ");
    CHECK(length < head_end);
    CHECK(raw.substr(length, 18) != "Content-Length: 0\r");
    CHECK(raw.substr(head_end + 4).starts_with("HTTP/1.1 200"));
}

TEST_CASE("mock: request smuggling shapes are refused with 400 and the connection closed (issue 17)")
{
    log_capture log;
    mock m(options(&log));
    m.start();
    // Each head is followed by a chunked body whose end hides a second request: if
    // the mock took either framing, the hidden GET would be answered too.
    std::string const hidden = "GET /hidden HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    std::string const chunked_body = "5\r\nhello\r\n0\r\n\r\n" + hidden;
    std::string const head = std::string("PUT ") + profile_path +
                             " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             "Authorization: Basic " +
                             attestr_token + "\r\n";
    struct shape {
        char const* name;
        std::string request;
        unsigned version = 11;
    };
    std::vector<shape> const shapes{
        {"Content-Length, then Transfer-Encoding: chunked",
         head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked_body},
        {"Transfer-Encoding: chunked, then Content-Length",
         head + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n" + chunked_body},
        {"Transfer-Encoding: gzip, then Content-Length",
         head + "Transfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\n" + chunked_body},
        {"two differing Content-Lengths",
         head + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!" + hidden},
        {"a Content-Length list of differing values", head + "Content-Length: 5, 6\r\n\r\nhello!" + hidden},
        {"Transfer-Encoding: gzip alone", head + "Transfer-Encoding: gzip\r\n\r\n" + chunked_body},
        {"chunked not the last coding", head + "Transfer-Encoding: chunked, gzip\r\n\r\n" + chunked_body},
        {"a coding before chunked", head + "Transfer-Encoding: gzip, chunked\r\n\r\n" + chunked_body},
        {"two Transfer-Encoding fields",
         head + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked_body},
        {"Transfer-Encoding: chunked twice",
         head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked_body},
        {"chunked with a trailing token", head + "Transfer-Encoding: chunkedx\r\n\r\n" + chunked_body},
        {"Transfer-Encoding in HTTP/1.0",
         std::string("PUT ") + profile_path +
             " HTTP/1.0\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked_body,
         10},
    };
    for (auto const& s : shapes) {
        CAPTURE(s.name);
        connection c(m.port());
        REQUIRE(!c.write_raw(s.request));
        boost::system::error_code end;
        auto const raw = c.read_all(&end);
        CHECK(raw.starts_with(s.version == 10 ? "HTTP/1.0 400 " : "HTTP/1.1 400 "));
        CHECK(status_lines(raw) == 1); // the hidden request is not answered
        if (s.version == 11)
            CHECK(raw.find("\r\nConnection: close\r\n") != std::string::npos);
        CHECK(end == asio::error::eof);
    }
    auto const lines = log.wait_for(shapes.size());
    CHECK(std::none_of(lines.begin(), lines.end(),
                       [](std::string const& l) { return l.find("/hidden") != std::string::npos; }));
    // Accepted: identical repeated Content-Lengths (nothing to disagree on), and a plain
    // chunked body (coding names are case-insensitive).
    {
        connection c(m.port());
        std::string const cl = "Content-Length: " + std::to_string(valid_profile.size()) + "\r\n";
        REQUIRE(!c.write_raw(head + cl + cl + "\r\n" + valid_profile));
        auto r = c.read_response();
        CHECK(r.status == 200);
        CHECK(r.json().at("tag") == "EMP-2001");
    }
    {
        connection c(m.port());
        std::ostringstream chunk;
        chunk << std::hex << valid_profile.size() << "\r\n" << valid_profile << "\r\n0\r\n\r\n";
        REQUIRE(!c.write_raw(head + "Transfer-Encoding: Chunked\r\n\r\n" + chunk.str()));
        auto r = c.read_response();
        CHECK(r.status == 200);
        CHECK(r.json().at("tag") == "EMP-2001");
    }
    CHECK(put_profile(m.port(), valid_profile).status == 200);
}

namespace {

int run_main(std::vector<std::string> args)
{
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    return restschema::mock_main<seed_endpoints>(static_cast<int>(args.size()), argv.data());
}

} // namespace

TEST_CASE("mock: mock_main rejects bad flags with exit status 2")
{
    CHECK(run_main({"restschema-mock", "--bogus"}) == 2);
    CHECK(run_main({"restschema-mock", "--port"}) == 2);
    CHECK(run_main({"restschema-mock", "--port", "99999"}) == 2);
    CHECK(run_main({"restschema-mock", "--credential", "nope=1"}) == 2);
    CHECK(run_main({"restschema-mock", "--credential", "basic_token"}) == 2);
    CHECK(run_main({"restschema-mock", "--fault", "error=no_such_row"}) == 2);
    CHECK(run_main({"restschema-mock", "--fault=latency=fast"}) == 2);
    CHECK(run_main({"restschema-mock", "--help"}) == 0);
    CHECK(run_main({"restschema-mock", "--port", "0", "--seed", "/nonexistent/seed.json"}) == 1);
}

TEST_CASE("mock: the restschema-mock executable serves and stops on SIGINT")
{
    std::string exe = std::string(RESTSCHEMA_BINARY_DIR) + "/tools/restschema-mock";
    if (!std::filesystem::exists(exe)) {
        MESSAGE("not built, skipped: " << exe);
        return;
    }
    int out[2];
    REQUIRE(::pipe(out) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    std::vector<std::string> args{exe, "--port", "0", "--credential",
                                  std::string("basic_token=") + attestr_token};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    ::close(out[1]);

    std::string first_line;
    while (first_line.find('\n') == std::string::npos) {
        pollfd p{out[0], POLLIN, 0};
        if (::poll(&p, 1, 10'000) <= 0)
            break;
        char buf[256];
        auto n = ::read(out[0], buf, sizeof buf);
        if (n <= 0)
            break;
        first_line.append(buf, static_cast<std::size_t>(n));
    }
    first_line = first_line.substr(0, first_line.find('\n'));
    std::string const prefix = "restschema-mock listening on http://127.0.0.1:";
    bool const listening = first_line.starts_with(prefix);
    CHECK_MESSAGE(listening, first_line);
    if (listening) {
        auto const port = static_cast<unsigned short>(std::stoi(first_line.substr(prefix.size())));
        CHECK(put_profile(port, valid_profile).status == 200);
        CHECK(put(port, profile_path, valid_profile, {}).status == 401);
    }
    ::kill(pid, SIGINT);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    ::close(out[0]);
}

} // namespace test_mock

// A hand-written descriptor exercising what the two seed schemas do not:
// bearer auth, an api key in the query, query and header parameters, GET on
// a record, a service without error envelope and without error rows.
namespace mockfake {

using restschema::auth_kind;
using restschema::location;

struct service {
    static constexpr std::string_view name = "mockfake";
    static constexpr std::string_view title = "Mock fake";
    static constexpr std::string_view base_url = "http://fake.invalid";
    static constexpr std::array<std::string_view, 2> versions{"v1", "v2"};
    static constexpr std::string_view default_version = "v2";
    static constexpr std::array<restschema::auth_scheme, 2> auth{{
        {"token", auth_kind::bearer, location::header, ""},
        {"qkey", auth_kind::api_key, location::query, "key"},
    }};
    static constexpr bool has_error_envelope = false;
    static constexpr restschema::error_envelope envelope{"", "", ""};
    using error_body = boost::json::value;
};

struct get_item_request {
    std::optional<std::int64_t> item_id;
    std::optional<bool> verbose;
    std::optional<std::string> trace;
};
BOOST_DESCRIBE_STRUCT(get_item_request, (), (item_id, verbose, trace))

enum class get_item_error : int { unknown = 0 };

struct get_item {
    using service = mockfake::service;
    using request = get_item_request;
    using response = boost::json::value;
    using error = get_item_error;
    static constexpr std::string_view id = "get_item";
    static constexpr std::string_view method = "GET";
    static constexpr std::string_view path = "/items/{item_id}";
    static constexpr std::array<std::string_view, 2> auth{"token", "qkey"};
    static constexpr std::array<restschema::const_param, 0> constants{};
    static constexpr int success_status = 200;
    static constexpr std::string_view response_envelope = "item";
    static constexpr std::string_view min_version = "";
    static constexpr std::string_view max_version = "";
    static constexpr std::array<restschema::error_row<error>, 0> errors{};
    static constexpr restschema::update_semantics update{};
};

} // namespace mockfake

template <>
struct restschema::endpoint_docs<mockfake::get_item> {
    static constexpr std::string_view title = "Get item";
    static constexpr std::string_view summary = "Reads an item.";
    static constexpr std::string_view request_example_json = "{}";
    static constexpr std::string_view request_path_example_json = R"({"item_id":1})";
    static constexpr std::string_view response_example_json = R"({"item":{"item_id":1,"name":"one"}})";
    static constexpr std::string_view error_example_json = "";
};

template <>
struct restschema::endpoint_mock<mockfake::get_item> {
    using error = mockfake::get_item_error;
    static constexpr std::string_view collection = "items";
    static constexpr std::string_view key = "item_id";
    static constexpr bool has_not_found = false;
    static constexpr error not_found = error::unknown;
    static constexpr std::string_view owner_secret = "";
    static constexpr error owner_secret_error = error::unknown;
    static constexpr std::string_view seed_json = R"([{"item_id":1,"name":"one"}])";
};

template <>
struct restschema::type_info<mockfake::get_item_request> {
    static constexpr std::string_view name = "get_item request";
    static constexpr field_meta fields_[] = {
        {"item_id", "item_id", location::path, true, false, false, format::none, accept_none, "", ""},
        {"verbose", "verbose", location::query, false, false, false, format::none, accept_none, "", ""},
        {"trace", "X-Trace", location::header, false, false, false, format::none, accept_none, "", ""},
    };
    static constexpr std::span<field_meta const> fields{fields_};
    static constexpr std::span<std::string_view const> exactly_one_of{};
};

namespace test_mock {

TEST_CASE("mock: a generic endpoint with bearer auth, query key, query and header parameters")
{
    log_capture log;
    auto o = options(&log);
    o.credentials = {{"qkey", "QUERY-KEY-9f1"}};
    restschema::mock_server<boost::mp11::mp_list<mockfake::get_item>> m(o);
    m.start();
    header_list const bearer{{"Authorization", "Bearer BEARER-TOKEN-77"}, {"X-Trace", "t-1"}};
    connection c(m.port());
    auto r = c.request(http::verb::get, "/items/1?key=QUERY-KEY-9f1&verbose=true", "", bearer);
    REQUIRE(r.status == 200);
    CHECK(r.json() == json::parse(R"({"item":{"item_id":1,"name":"one"}})"));

    r = c.request(http::verb::get, "/items/1?key=QUERY-KEY-9f1", "", {});
    CHECK(r.status == 401);
    CHECK(r.json().at("error") == "Unauthorized");
    r = c.request(http::verb::get, "/items/1?key=QUERY-KEY-9f1", "", {{"Authorization", "Basic abc"}});
    CHECK(r.status == 401);
    r = c.request(http::verb::get, "/items/1?key=other", "", bearer);
    CHECK(r.status == 401);
    r = c.request(http::verb::get, "/items/1", "", bearer);
    CHECK(r.status == 401);

    r = c.request(http::verb::get, "/items/1?key=QUERY-KEY-9f1&verbose=maybe", "", bearer);
    CHECK(r.status == 400);
    CHECK(r.json().at("details").as_string().find("verbose") != json::string::npos);
    r = c.request(http::verb::get, "/items/one?key=QUERY-KEY-9f1", "", bearer);
    CHECK(r.status == 400);
    r = c.request(http::verb::get, "/items/2?key=QUERY-KEY-9f1", "", bearer);
    CHECK(r.status == 404);
    CHECK(r.json().as_object().contains("error"));

    auto lines = log.wait_for(8);
    REQUIRE(lines.size() == 8);
    CHECK(lines[0].starts_with("GET /items/1?key=***&verbose=true 200 "));
    for (auto const& line : lines) {
        CAPTURE(line);
        CHECK(line.find("QUERY-KEY-9f1") == std::string::npos);
        CHECK(line.find("BEARER-TOKEN-77") == std::string::npos);
        CHECK(line.find("key=other") == std::string::npos);
    }
}

// The mock checks requests and records with detail::runtime_decode and
// runtime_validator (no code per endpoint). They must say exactly what
// try_from_json, to_json and validate say: same problems, same paths, same
// order, same re-encoded JSON; and the direct path (try_parse, serialize)
// the same problems and bytes. Compared here on the seed types, over their
// examples and every single-value mutation of them.
namespace {

/// `root` with one value replaced by each of a set of others, or removed.
std::vector<json::value> mutations(json::value const& root)
{
    static json::value const replacements[] = {nullptr,
                                               1,
                                               -7,
                                               2.5,
                                               12.0,
                                               "x",
                                               "",
                                               true,
                                               json::array(),
                                               json::array{1, "a"},
                                               json::object(),
                                               json::parse(R"({"id":1})")};
    std::vector<json::value> out{root};
    std::function<void(json::value&, json::value const&)> walk = [&](json::value& at,
                                                                     json::value const& whole) {
        auto visit = [&](json::value& slot) {
            json::value const saved = slot;
            for (auto const& r : replacements) {
                slot = r;
                out.push_back(whole);
            }
            slot = saved;
            walk(slot, whole);
        };
        if (auto* o = at.if_object()) {
            for (auto& kv : *o)
                visit(kv.value());
            for (auto const& kv : json::object(*o)) {
                std::string const key(kv.key());
                json::value const saved = o->at(key);
                o->erase(key);
                out.push_back(whole);
                (*o)[key] = saved;
            }
        } else if (auto* a = at.if_array()) {
            for (auto& item : *a)
                visit(item);
        }
    };
    json::value copy = root;
    walk(copy, copy);
    return out;
}

std::string joined(std::vector<restschema::problem> const& problems)
{
    std::string s;
    for (auto const& p : problems)
        s += p.path + ": " + p.message + "\n";
    return s;
}

/// The problems as sorted lines: the DOM decoder reports in member order, the
/// direct one in input order.
std::string sorted(std::vector<restschema::problem> const& problems)
{
    std::vector<std::string> lines;
    for (auto const& p : problems)
        lines.push_back(p.path + ": " + p.message + "\n");
    std::sort(lines.begin(), lines.end());
    std::string s;
    for (auto const& l : lines)
        s += l;
    return s;
}

template <class T>
void check_runtime_agrees(json::value const& jv, restschema::version_context const& ctx)
{
    namespace rd = restschema::detail;
    CAPTURE(json::serialize(jv));
    restschema::decode_options opt;
    opt.accept_unrecognized = false; // as the mock decodes requests
    auto const typed = restschema::try_from_json<T>(jv, opt);
    auto const& type = rd::runtime_type_of<T>;
    auto const runtime = rd::runtime_decode(jv, type);
    CHECK(joined(runtime.problems) == (typed ? std::string() : joined(typed.error().problems)));
    // The direct path from the text: the same problems, found in input order.
    auto const direct = restschema::try_parse<T>(json::serialize(jv), opt);
    CHECK(sorted(direct ? std::vector<restschema::problem>{} : direct.error().problems) ==
          sorted(typed ? std::vector<restschema::problem>{} : typed.error().problems));
    if (!typed || !runtime.problems.empty())
        return;
    auto const& decoded = runtime.json;
    CHECK(json::serialize(restschema::to_json(*typed)) == json::serialize(decoded));
    REQUIRE(direct.has_value());
    CHECK(json::parse(restschema::serialize(*direct)) ==
          decoded); // as values: doubles are written differently

    // validate() sees every member; the decoded JSON has the body members.
    std::vector<json::value const*> values(type.members.size(), nullptr);
    std::vector<json::value> defaults(type.members.size());
    for (std::size_t i = 0; i < type.members.size(); ++i) {
        auto const& m = type.members[i];
        if (m.meta->in == restschema::location::body)
            values[i] = decoded.as_object().if_contains(m.meta->wire);
        else if (m.held == rd::holder::plain)
            values[i] = &(defaults[i] = rd::default_json(*m.type));
    }
    rd::runtime_validator validator(ctx);
    validator.check_members(type, values);
    CHECK(joined(validator.problems) == joined(restschema::validate(*typed, ctx)));
}

} // namespace

TEST_CASE("mock: runtime checks agree with the codec (DOM and direct) and the validator")
{
    using restschema::endpoint_docs;
    restschema::version_context const ss{safeshepherd::service::versions,
                                         safeshepherd::service::default_version};
    restschema::version_context const at{attestr::service::versions, "v1"};
    auto const user = json::parse(endpoint_docs<safeshepherd::update_user>::response_example_json).at("user");
    auto const update = json::parse(endpoint_docs<safeshepherd::update_user>::request_example_json);
    auto const profile = json::parse(endpoint_docs<attestr::update_profile>::request_example_json);
    for (auto const& jv : mutations(user))
        check_runtime_agrees<safeshepherd::user>(jv, ss);
    for (auto const& jv : mutations(update))
        check_runtime_agrees<safeshepherd::update_user_request>(jv, ss);
    for (auto const& jv : mutations(profile))
        check_runtime_agrees<attestr::update_profile_request>(jv, at);
    for (auto const& jv : {json::value(nullptr), json::value(json::array()), json::value("text")})
        check_runtime_agrees<safeshepherd::user>(jv, ss);
}

TEST_CASE("mock: runtime checks agree on maps (of enums, of lists of types, in lists)")
{
    using restschema::endpoint_docs;
    restschema::version_context const ed{edgy::api::service::versions, "v2"};
    restschema::version_context const dt{dated::service::versions, dated::service::default_version};
    auto holder = json::parse(endpoint_docs<edgy::api::delete_>::request_example_json);
    REQUIRE(holder.at("holder").at("tags").is_object());
    holder.at("holder").as_object()["rows"] = json::parse(R"([{"a": 1}, {}])");
    for (auto const& jv : mutations(holder))
        check_runtime_agrees<edgy::api::delete_request>(jv, ed);
    auto const profile = json::parse(endpoint_docs<dated::patch_profile>::request_example_json);
    REQUIRE(profile.at("labels").is_object());
    for (auto const& jv : mutations(profile))
        check_runtime_agrees<dated::patch_profile_request>(jv, dt);
}

} // namespace test_mock
