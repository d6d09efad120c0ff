// Issue 11, the parts a real API needs beyond the seeds, on the test API
// tests/schemas/dated: media types (a vendor JSON type, problem+json errors,
// a form-urlencoded token request), typed response headers, a conditional
// GET answered 304, and a 204 success. Each against a strict scripted server
// (what the client sends, byte for byte where it matters) and the mock.
#include <restschema/client.hpp>
#include <restschema/mock.hpp>

#include <restschema/gen/dated.extras.hpp>

#include "support/scripted_server.hpp"

#include <doctest/doctest.h>

#include <string>

// Every name of this file is in namespace test_real_api: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_real_api {

namespace {

restschema::client_options options_for(std::string url)
{
    restschema::client_options co;
    co.base_url = std::move(url);
    co.credentials = {{"token", "tok-dated"}};
    co.retry.max_attempts = 1;
    return co;
}

/// The request's header block (start line and fields), lower-cased names kept as sent.
std::string head_of(std::string const& raw)
{
    return raw.substr(0, raw.find("\r\n\r\n"));
}

std::string body_of(std::string const& raw)
{
    auto const at = raw.find("\r\n\r\n");
    return at == std::string::npos ? std::string() : raw.substr(at + 4);
}

} // namespace

TEST_CASE("media types: the client sends one Accept naming the vendor type and the error type")
{
    test::scripted_server server;
    server.push(test::reply(200, R"({"display_name":"Ada","theme":"light"})", "ETag: \"abc\"\r\n"));
    restschema::client<dated::service> api(options_for(server.url()));
    dated::get_profile_request req;
    auto r = api.try_call(req);
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    auto const requests = server.requests();
    REQUIRE(requests.size() == 1);
    auto const head = head_of(requests[0]);
    CHECK(head.find("\r\nAccept: application/vnd.dated.v1+json, application/problem+json\r\n") !=
          std::string::npos);
    // Exactly one Accept, and no Content-Type for a request without a body.
    CHECK(head.find("Accept:") == head.rfind("Accept:"));
    CHECK(head.find("Content-Type") == std::string::npos);
}

TEST_CASE(
    "media types: a form-urlencoded body is key=value pairs, percent-encoded, the secret masked in logs")
{
    test::scripted_server server;
    server.push(test::reply(200, R"({"access_token":"tok-1","token_type":"Bearer","expires_in":60})"));
    auto co = options_for(server.url());
    std::string logged;
    co.log = [&](restschema::log_record const& r) {
        if (r.what == restschema::log_record::kind::request)
            logged += r.body;
    };
    restschema::client<dated::service> api(co);
    dated::create_token_request req;
    req.grant_type = dated::grant_type::client_credentials;
    req.client_id = "app 7&co";
    req.client_secret = "s3cr=t";
    auto r = api.try_call(req);
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->access_token == "tok-1");
    CHECK(r->expires_in == 60);
    auto const requests = server.requests();
    REQUIRE(requests.size() == 1);
    CHECK(head_of(requests[0]).find("\r\nContent-Type: application/x-www-form-urlencoded\r\n") !=
          std::string::npos);
    CHECK(head_of(requests[0]).find("\r\nAccept: application/json\r\n") != std::string::npos);
    CHECK(body_of(requests[0]) ==
          "grant_type=client_credentials&client_id=app%207%26co&client_secret=s3cr%3Dt");
    CHECK(logged == "grant_type=client_credentials&client_id=app%207%26co&client_secret=%2A%2A%2A");
    CHECK(logged.find("s3cr") == std::string::npos);
}

TEST_CASE("media types: a form request missing a required field is refused before sending")
{
    test::scripted_server server;
    restschema::client<dated::service> api(options_for(server.url()));
    dated::create_token_request req;
    req.grant_type = dated::grant_type::client_credentials;
    auto r = api.try_call(req);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == restschema::error_kind::validation);
    CHECK(r.error().what().find("client_id") != std::string::npos);
    CHECK(server.requests().empty());
}

TEST_CASE("response headers: declared ones are typed in the reply, all are kept")
{
    test::scripted_server server;
    server.push(test::reply(200, R"({"display_name":"Ada"})",
                            "ETag: \"v1\"\r\nX-RateLimit-Remaining: 4999\r\nX-Other: yes\r\n"));
    restschema::client<dated::service> api(options_for(server.url()));
    auto r = api.try_call_reply(dated::get_profile_request{});
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->status == 200);
    CHECK(r->value.display_name == "Ada");
    CHECK(r->headers.etag == "\"v1\"");
    static_assert(std::is_same_v<decltype(r->headers.etag), std::string>, "ETag is required: a plain string");
    REQUIRE(r->headers.x_rate_limit_remaining.has_value());
    CHECK(*r->headers.x_rate_limit_remaining == 4999);
    REQUIRE(r->header("x-other") != nullptr);
    CHECK(*r->header("x-other") == "yes");
}

TEST_CASE("response headers: a malformed or missing declared header is a decode error naming it")
{
    test::scripted_server server;
    server.push(test::reply(200, R"({})", "ETag: \"v1\"\r\nX-RateLimit-Remaining: lots\r\n"));
    server.push(test::reply(200, R"({})"));
    restschema::client<dated::service> api(options_for(server.url()));
    auto bad = api.try_call_reply(dated::get_profile_request{});
    REQUIRE_FALSE(bad.has_value());
    INFO(bad.error().what());
    CHECK(bad.error().kind == restschema::error_kind::decode);
    CHECK(bad.error().what().find("header X-RateLimit-Remaining: expected an integer, found \"lots\"") !=
          std::string::npos);
    auto missing = api.try_call_reply(dated::get_profile_request{});
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().kind == restschema::error_kind::decode);
    CHECK(missing.error().what().find("ETag") != std::string::npos);
    // try_call does not read headers: the same response decodes.
    server.push(test::reply(200, R"({"theme":"dark"})"));
    auto plain = api.try_call(dated::get_profile_request{});
    REQUIRE_MESSAGE(plain.has_value(), plain.error().what());
    CHECK(plain->theme == "dark");
}

TEST_CASE("conditional requests: If-None-Match answered 304 is the not_modified row, with its headers")
{
    test::scripted_server server;
    server.push("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 0\r\n\r\n");
    restschema::client<dated::service> api(options_for(server.url()));
    dated::get_profile_request req;
    req.if_none_match = "\"v1\"";
    auto r = api.try_call_reply(req);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().api_error<dated::get_profile_error>() == dated::get_profile_error::not_modified);
    CHECK(r.error().http_status == 304);
    REQUIRE(r.error().header("etag") != nullptr);
    CHECK(*r.error().header("etag") == "\"v1\"");
    CHECK(head_of(server.requests().at(0)).find("\r\nIf-None-Match: \"v1\"\r\n") != std::string::npos);
}

TEST_CASE("real API on the mock: vendor media types, ETag and 304, a form token request, a 204")
{
    restschema::mock_options mo;
    mo.credentials = {{"token", "tok-dated"}};
    restschema::mock_server<dated::endpoints> mock(mo);
    mock.start();
    restschema::client<dated::service> api(options_for(mock.base_url()));

    // The singleton, with its ETag; asking again with it is 304.
    auto first = api.try_call_reply(dated::get_profile_request{});
    REQUIRE_MESSAGE(first.has_value(), first.error().what());
    REQUIRE(first->header("Content-Type") != nullptr);
    CHECK(*first->header("Content-Type") == "application/vnd.dated.v1+json");
    CHECK(first->headers.etag.size() > 2);
    CHECK(first->headers.x_rate_limit_remaining == 4999); // the header's example
    dated::get_profile_request again;
    again.if_none_match = first->headers.etag;
    auto same = api.try_call_reply(again);
    REQUIRE_FALSE(same.has_value());
    CHECK(same.error().api_error<dated::get_profile_error>() == dated::get_profile_error::not_modified);
    REQUIRE(same.error().header("ETag") != nullptr);
    CHECK(*same.error().header("ETag") == first->headers.etag);

    // A change gives a new ETag: the old one no longer matches.
    dated::patch_profile_request patch;
    patch.theme = "dark";
    auto patched = api.try_call(patch);
    REQUIRE_MESSAGE(patched.has_value(), patched.error().what());
    auto changed = api.try_call_reply(again);
    REQUIRE_MESSAGE(changed.has_value(), changed.error().what());
    CHECK(changed->value.theme == "dark");
    CHECK(changed->headers.etag != first->headers.etag);

    // Errors come as problem+json.
    restschema::client<dated::service> wrong([&] {
        auto co = options_for(mock.base_url());
        co.credentials = {{"token", "nope"}};
        return co;
    }());
    auto denied = wrong.try_call(dated::get_profile_request{});
    REQUIRE_FALSE(denied.has_value());
    CHECK(denied.error().api_error<dated::get_profile_error>() == dated::get_profile_error::bad_token);
    REQUIRE(denied.error().header("Content-Type") != nullptr);
    CHECK(*denied.error().header("Content-Type") == "application/problem+json");

    // The form token request: the mock reads the pairs and types them.
    dated::create_token_request token;
    token.grant_type = dated::grant_type::client_credentials;
    token.client_id = "app-7";
    token.client_secret = "s3cr3t";
    auto t = api.try_call(token);
    REQUIRE_MESSAGE(t.has_value(), t.error().what());
    CHECK(t->token_type == "Bearer");

    // 204: no body, and the call succeeds.
    dated::delete_note_request del;
    del.id = 7;
    auto d = api.try_call_reply(del);
    REQUIRE_MESSAGE(d.has_value(), d.error().what());
    CHECK(d->status == 204);
}

TEST_CASE(
    "media types: the mock refuses a body of another media type (415) and an Accept it cannot meet (406)")
{
    restschema::mock_options mo;
    mo.credentials = {{"token", "tok-dated"}};
    restschema::mock_server<dated::endpoints> mock(mo);
    mock.start();
    // One request written by hand; the status line of the answer.
    auto const raw = [&](std::string const& head, std::string const& body) {
        boost::asio::io_context io;
        boost::asio::ip::tcp::socket socket(io);
        auto const port = mock.base_url().substr(mock.base_url().rfind(':') + 1);
        socket.connect(
            {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::stoi(port))});
        std::string text =
            head + "Host: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        boost::asio::write(socket, boost::asio::buffer(text));
        std::string got;
        boost::system::error_code ec;
        char buf[4096];
        for (;;) {
            auto n = socket.read_some(boost::asio::buffer(buf), ec);
            got.append(buf, n);
            if (ec || got.find("\r\n\r\n") != std::string::npos)
                break;
        }
        return got.substr(0, got.find("\r\n"));
    };
    // A JSON body where the endpoint reads a form: a problem of the request (no 400 row here: a plain 400).
    CHECK(raw("POST /oauth/token HTTP/1.1\r\nContent-Type: application/json\r\nConnection: close\r\n",
              R"({"grant_type":"client_credentials","client_id":"a","client_secret":"b"})") ==
          "HTTP/1.1 400 Bad Request");
    CHECK(raw("GET /profile HTTP/1.1\r\nAuthorization: Bearer tok-dated\r\nAccept: text/html\r\nConnection: "
              "close\r\n",
              "") == "HTTP/1.1 406 Not Acceptable");
    CHECK(raw("GET /profile HTTP/1.1\r\nAuthorization: Bearer tok-dated\r\nAccept: "
              "application/*\r\nConnection: "
              "close\r\n",
              "") == "HTTP/1.1 200 OK");
    // A form body whose value does not parse as its type is the API's 400-class answer, named.
    auto const bad = raw("POST /oauth/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                         "Connection: close\r\n",
                         "grant_type=password&client_id=a&client_secret=b");
    CHECK(bad.find(" 200 ") == std::string::npos);
}

} // namespace test_real_api
