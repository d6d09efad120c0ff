// Where the API version travels (issue 11): a service may send it in a
// header or a query parameter instead of the {version} path placeholder.
// tests/schemas/dated sends it in X-Api-Version.
#include <restschema/client.hpp>
#include <restschema/mock.hpp>

#include <restschema/gen/dated.extras.hpp>

#include "support/scripted_server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <doctest/doctest.h>

#include <map>
#include <string>

// Every name of this file is in namespace test_version: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_version {

namespace {

namespace http = boost::beast::http;

dated::put_setting_request setting()
{
    dated::put_setting_request r;
    r.key = "theme";
    r.value = "dark";
    return r;
}

std::string header(restschema::binding::wire_request const& w, std::string_view name)
{
    for (auto const& [k, v] : w.headers)
        if (k == name)
            return v;
    return "(absent)";
}

/// One request to the mock, written by hand (not by the client).
http::response<http::string_body> send_raw(std::string const& base_url, http::verb method,
                                           std::string const& target, std::string const& version,
                                           std::string const& body)
{
    // base_url is http://host:port (the mock's, no path)
    auto const authority = base_url.substr(base_url.find("://") + 3);
    auto const colon = authority.rfind(':');
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    boost::asio::ip::tcp::socket socket(io);
    boost::asio::connect(socket, resolver.resolve(authority.substr(0, colon), authority.substr(colon + 1)));
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, authority);
    req.set(http::field::authorization, "Bearer tok-dated");
    req.set(http::field::content_type, "application/json");
    if (!version.empty())
        req.set("X-Api-Version", version);
    req.body() = body;
    req.prepare_payload();
    http::write(socket, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return res;
}

/// PUT /settings/theme with this version header ("" leaves it out).
http::response<http::string_body> put_theme(std::string const& base_url, std::string const& version,
                                            std::string const& body)
{
    return send_raw(base_url, http::verb::put, "/settings/theme", version, body);
}

} // namespace

TEST_CASE("version: a header version is sent from api_version, and bounds are checked against it")
{
    std::map<std::string, std::string, std::less<>> const creds{{"token", "tok"}};
    auto r = setting();
    r.scope = "user"; // exists from 2024-06-01
    auto w = restschema::binding::bind<dated::put_setting>(
        r, {.api_version = "2024-06-01", .credentials = &creds});
    REQUIRE_MESSAGE(w.has_value(), w.error().what());
    CHECK(w->target == "/settings/theme"); // the path has no version
    CHECK(header(*w, "X-Api-Version") == "2024-06-01");

    auto old = restschema::binding::bind<dated::put_setting>(
        r, {.api_version = "2023-01-01", .credentials = &creds});
    REQUIRE_FALSE(old.has_value());
    REQUIRE(old.error().problems.size() == 1);
    CHECK(old.error().problems[0].path == "scope");
    CHECK(old.error().problems[0].message ==
          "exists in API versions 2024-06-01 and later, not in 2023-01-01");

    auto unknown = restschema::binding::bind<dated::put_setting>(
        setting(), {.api_version = "v1", .credentials = &creds});
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().what().find(
              "unknown API version \"v1\" for dated (known: 2023-01-01, 2024-06-01)") != std::string::npos);
}

TEST_CASE("version: the mock reads a header version, and checks bounds against it")
{
    restschema::mock_options mo;
    mo.credentials = {{"token", "tok-dated"}};
    restschema::mock_server<dated::endpoints> mock(mo);
    mock.start();

    // Through the client, at the older version, without the newer field.
    restschema::client_options co;
    co.base_url = mock.base_url();
    co.credentials = {{"token", "tok-dated"}};
    co.api_version = "2023-01-01";
    restschema::client<dated::service> api(co);
    auto ok = api.try_call(setting());
    REQUIRE_MESSAGE(ok.has_value(), ok.error().what());

    // By hand: the mock takes the version from the header, not its default.
    auto const with_scope = R"({"value":"dark","scope":"user"})";
    auto res = put_theme(mock.base_url(), "2023-01-01", with_scope);
    CHECK(res.result_int() == 400);
    CHECK(res.body().find("scope: exists in API versions 2024-06-01 and later, not in 2023-01-01") !=
          std::string::npos);
    CHECK(put_theme(mock.base_url(), "2024-06-01", with_scope).result_int() == 200);
    CHECK(put_theme(mock.base_url(), "", with_scope).result_int() == 200); // absent: the default, 2024-06-01
    auto bad = put_theme(mock.base_url(), "1999-01-01", with_scope);
    CHECK(bad.result_int() == 400);
    CHECK(bad.body().find("unknown API version \\\"1999-01-01\\\"") != std::string::npos);
}

// ---------------------------------------------------------------- idempotency (issue 11)

namespace {

using test::reply;
using test::scripted_server;

std::string header_of(std::string const& raw, std::string const& name)
{
    auto const at = raw.find("\r\n" + name + ": ");
    if (at == std::string::npos)
        return "(absent)";
    auto const from = at + name.size() + 4;
    return raw.substr(from, raw.find("\r\n", from) - from);
}

restschema::client_options dated_options(std::string const& url)
{
    restschema::client_options o;
    o.base_url = url;
    o.credentials = {{"token", "tok-dated"}};
    o.retry.initial_backoff = std::chrono::milliseconds(5);
    o.retry.max_backoff = std::chrono::milliseconds(10);
    return o;
}

} // namespace

TEST_CASE(
    "idempotency: a POST with an idempotency key is retried with the same key; a new call gets a new key")
{
    scripted_server server;
    server.push(reply(503, "{}"));
    server.push(reply(200, R"({"ok":true})"));
    server.push(reply(200, R"({"ok":true})"));
    restschema::client<dated::service> api(dated_options(server.url()));
    dated::post_event_request r;
    r.name = "login";
    auto first = api.try_call(r);
    REQUIRE_MESSAGE(first.has_value(), first.error().what());
    auto second = api.try_call(r);
    REQUIRE(second.has_value());
    auto const reqs = server.requests();
    REQUIRE(reqs.size() == 3);
    auto const key = header_of(reqs[0], "Idempotency-Key");
    CHECK(key.size() == 36); // a UUID
    CHECK(key[14] == '4');   // version 4
    CHECK(header_of(reqs[1], "Idempotency-Key") == key);
    CHECK(header_of(reqs[2], "Idempotency-Key") != key);
}

TEST_CASE("idempotency: a plain POST is not retried, and its error does not say retryable")
{
    scripted_server server;
    server.push(reply(503, "{}"));
    restschema::client<dated::service> api(dated_options(server.url()));
    dated::post_note_request r;
    r.text = "hello";
    auto e = api.try_call(r);
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().http_status == 503);
    CHECK(e.error().api_error<dated::post_note_error>() == dated::post_note_error::unavailable);
    CHECK_FALSE(e.error().retryable); // the row says retryable, but this call would not be retried
    CHECK(e.error().attempts == 1);
    CHECK(server.requests().size() == 1);
    CHECK(header_of(server.requests().at(0), "Idempotency-Key") == "(absent)");
}

TEST_CASE("bodiless status: a 304 row has no message or body, and the mock serves it as such")
{
    restschema::mock_options mo;
    mo.credentials = {{"token", "tok-dated"}};
    restschema::mock_server<dated::endpoints> mock(mo);
    mock.start();
    mock.set_fault("error=not_modified");
    auto co = dated_options(mock.base_url());
    restschema::client<dated::service> api(co);
    auto e = api.try_call(setting());
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().http_status == 304);
    CHECK(e.error().api_error<dated::put_setting_error>() == dated::put_setting_error::not_modified);
    CHECK(e.error().body.empty());
    CHECK(e.error().message == "put_setting: HTTP 304 (not_modified)");
}

TEST_CASE(
    "mock: a singleton resource keeps its state; validation and auth failures use the rows the schema names")
{
    restschema::mock_options mo;
    mo.credentials = {{"token", "tok-dated"}};
    restschema::mock_server<dated::endpoints> mock(mo);
    mock.start();
    restschema::client<dated::service> api(dated_options(mock.base_url()));

    dated::patch_profile_request dark;
    dark.theme = "dark";
    auto p1 = api.try_call(dark);
    REQUIRE_MESSAGE(p1.has_value(), p1.error().what());
    CHECK(p1->theme == "dark");
    CHECK(p1->display_name == "Ada"); // from the response example: the singleton's first state
    dated::patch_profile_request renamed;
    renamed.display_name = "Grace";
    auto p2 = api.try_call(renamed);
    REQUIRE(p2.has_value());
    CHECK(p2->display_name == "Grace");
    CHECK(p2->theme == "dark"); // kept from the first update

    // Wrong credentials: the schema's bad_token row (401), in the envelope.
    auto wrong = dated_options(mock.base_url());
    wrong.credentials = {{"token", "nope"}};
    restschema::client<dated::service> intruder(wrong);
    auto denied = intruder.try_call(dark);
    REQUIRE_FALSE(denied.has_value());
    CHECK(denied.error().api_error<dated::patch_profile_error>() == dated::patch_profile_error::bad_token);
    CHECK(denied.error().server_message == "Bad token");

    // A body that fails validation: the schema's invalid_profile row (422);
    // the diagnostics stay out of documentation_url (a URI) and travel in a header.
    auto const res = send_raw(mock.base_url(), http::verb::patch, "/profile", "", R"({"theme":5})");
    CHECK(res.result_int() == 422);
    CHECK(res.body() == R"({"message":"Invalid profile"})");
    CHECK(std::string(res["X-Restschema-Mock-Details"]).find("theme") != std::string::npos);
}

TEST_CASE("errors: the service's envelope is reachable typed from an API error, decoded from the whole body")
{
    scripted_server server;
    std::string const body =
        R"({"message":"Validation Failed","documentation_url":"https://docs.example.com/settings",)"
        R"("errors":[{"resource":"Setting","field":"value","code":"invalid"}],"padding":")" +
        std::string(5000, 'x') + R"("})";
    server.push(reply(404, body));
    restschema::client<dated::service> api(dated_options(server.url()));
    auto e = api.try_call(setting());
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().body.size() == 4096); // capped for messages and logs
    auto env = restschema::error_body_of<dated::service>(e.error());
    REQUIRE_MESSAGE(env.has_value(), env.error().what());
    CHECK(env->message == "Validation Failed");
    REQUIRE(env->errors);
    REQUIRE(env->errors->size() == 1);
    CHECK(env->errors->at(0).field == "value");
    CHECK(env->errors->at(0).code == "invalid");

    // Not an API error: no body to decode, said so.
    restschema::error transport;
    transport.kind = restschema::error_kind::transport;
    auto none = restschema::error_body_of<dated::service>(transport);
    REQUIRE_FALSE(none.has_value());
    CHECK(none.error().kind == restschema::error_kind::decode);
}

TEST_CASE("mock: a map travels both ways, its values are checked by key, and an error envelope holds one")
{
    restschema::mock_options mo;
    mo.credentials = {{"token", "tok-dated"}};
    restschema::mock_server<dated::endpoints> mock(mo);
    mock.start();
    restschema::client<dated::service> api(dated_options(mock.base_url()));

    dated::patch_profile_request req;
    req.labels = std::map<std::string, std::string>{{"z", "last"}, {"cost.center", "42"}, {"", "empty key"}};
    auto p = api.try_call(req);
    REQUIRE_MESSAGE(p.has_value(), p.error().what());
    CHECK(p->labels == req.labels); // the whole map replaces the stored one ({team: core})
    CHECK(p->display_name == "Ada");

    auto const res = send_raw(mock.base_url(), http::verb::patch, "/profile", "", R"({"labels":{"a.b":5}})");
    CHECK(res.result_int() == 422);
    CHECK(std::string(res["X-Restschema-Mock-Details"]).find(R"(labels["a.b"])") != std::string::npos);

    scripted_server server;
    server.push(reply(422, R"({"message":"Validation Failed","by_field":{"labels.team":[)"
                           R"({"resource":"Profile","field":"labels","code":"invalid"}],"theme":[]}})"));
    restschema::client<dated::service> scripted(dated_options(server.url()));
    auto e = scripted.try_call(req);
    REQUIRE_FALSE(e.has_value());
    auto env = restschema::error_body_of<dated::service>(e.error());
    REQUIRE_MESSAGE(env.has_value(), env.error().what());
    REQUIRE(env->by_field.has_value());
    CHECK(env->by_field->size() == 2);
    CHECK(env->by_field->at("labels.team").at(0).code == "invalid");
    CHECK(env->by_field->at("theme").empty());
}

} // namespace test_version
