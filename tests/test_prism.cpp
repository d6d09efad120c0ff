// The real client against an independent mock (issue 11): Stoplight Prism
// serving the OpenAPI document restschema-gen exports. Prism knows nothing of
// restschema; it validates each request against the document and answers the
// document's example. So a call that succeeds here shows that the exported
// document describes what the client sends and what it can decode; and each
// error status Prism answers from the document maps to a row of that status.
//
// Run by tests/openapi/prism.sh (ctest: openapi_prism), which starts one Prism
// per document and passes its URL in RESTSCHEMA_PRISM_<SERVICE> (e.g.
// RESTSCHEMA_PRISM_DATED). The suite is skipped in ordinary runs and left out
// of ctest's discovery (tests/CMakeLists.txt); run with --no-skip, a case
// without its URL fails.
#include <restschema/client.hpp>
#include <restschema/codec.hpp>
#include <restschema/error_table.hpp>

#include <restschema/gen/attestr.extras.hpp>
#include <restschema/gen/dated.extras.hpp>
#include <restschema/gen/safeshepherd.extras.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/describe/members.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/mp11/algorithm.hpp>

#include <doctest/doctest.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

// Every name of this file is in namespace test_prism: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_prism {

namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

/// The URL of the Prism that serves Service's document, from RESTSCHEMA_PRISM_<SERVICE>.
template <class Service>
std::string prism_url()
{
    std::string var = "RESTSCHEMA_PRISM_";
    for (char c : Service::name)
        var += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    char const* url = std::getenv(var.c_str());
    REQUIRE_MESSAGE((url && *url), var << " is not set: run tests/openapi/prism.sh (ctest -R openapi_prism)");
    return url;
}

/// A credential for every scheme of the service, in the form Prism checks:
/// it accepts Basic only as base64 of "user:password".
template <class Service>
std::map<std::string, std::string, std::less<>> credentials()
{
    std::map<std::string, std::string, std::less<>> out;
    for (auto const& a : Service::auth) {
        switch (a.kind) {
        case restschema::auth_kind::http_basic_token:
            out.emplace(a.id, "cHJpc206dGVzdA=="); // base64("prism:test")
            break;
        case restschema::auth_kind::http_basic:
            out.emplace(a.id, "prism:test");
            break;
        case restschema::auth_kind::bearer:
        case restschema::auth_kind::api_key:
            out.emplace(a.id, "prism-" + std::string(a.id));
            break;
        }
    }
    return out;
}

json::object parse_object(std::string_view text, std::string_view what)
{
    if (text.empty())
        return {};
    boost::system::error_code ec;
    auto jv = json::parse(text, ec);
    REQUIRE_MESSAGE(!ec, what << " is not JSON: " << ec.message());
    REQUIRE_MESSAGE(jv.is_object(), what << " is not an object: " << jv);
    return jv.as_object();
}

/// Sets a path, query or header member from its example (the codec reads
/// bodies only). False for a value, or a member type, it cannot set.
template <class T>
bool assign(std::optional<T>& out, json::value const& v)
{
    if constexpr (std::is_same_v<T, std::string>) {
        if (!v.is_string())
            return false;
        out = std::string(v.as_string());
        return true;
    } else if constexpr (std::is_same_v<T, bool>) {
        if (!v.is_bool())
            return false;
        out = v.as_bool();
        return true;
    } else if constexpr (std::is_arithmetic_v<T>) {
        boost::system::error_code ec;
        auto const n = v.to_number<T>(ec);
        if (ec)
            return false;
        out = n;
        return true;
    } else {
        return false;
    }
}

template <class T>
bool assign(T&, json::value const&)
{
    return false;
}

/// The endpoint's documented request: its body example, decoded as the
/// codec reads bodies, and its path, query and header examples (by wire
/// name), each decoded into its member.
template <class Endpoint>
typename Endpoint::request example_request()
{
    using request_t = typename Endpoint::request;
    using docs = restschema::endpoint_docs<Endpoint>;
    auto const body = parse_object(docs::request_example_json, "request_example_json");
    auto r = restschema::try_from_json<request_t>(body, {.strict = true});
    REQUIRE_MESSAGE(r.has_value(),
                    Endpoint::id << ": the documented body does not decode: " << r.error().what());
    auto others = parse_object(docs::request_path_example_json, "request_path_example_json");
    boost::mp11::mp_for_each<boost::describe::describe_members<request_t, boost::describe::mod_public>>(
        [&](auto d) {
            for (auto const& f : restschema::type_info<request_t>::fields) {
                if (f.member != d.name || f.in == restschema::location::body)
                    continue;
                auto const* v = others.if_contains(f.wire);
                if (!v)
                    continue;
                CHECK_MESSAGE(assign((*r).*d.pointer, *v), Endpoint::id << ": the example " << *v << " of '"
                                                                        << f.wire
                                                                        << "' does not fit its member");
                others.erase(f.wire);
            }
        });
    CHECK_MESSAGE(others.empty(), Endpoint::id << ": examples of no parameter: " << others);
    return std::move(*r);
}

/// An HTTP exchange written by hand (not by the client), to see Prism's status and headers.
http::response<http::string_body> send_raw(std::string const& base_url, std::string_view method,
                                           std::string const& target,
                                           std::vector<std::pair<std::string, std::string>> const& headers,
                                           std::string const& body)
{
    auto const authority = base_url.substr(base_url.find("://") + 3);
    auto const colon = authority.rfind(':');
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    boost::asio::ip::tcp::socket socket(io);
    boost::asio::connect(socket, resolver.resolve(authority.substr(0, colon), authority.substr(colon + 1)));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, authority);
    for (auto const& [k, v] : headers)
        req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    http::write(socket, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return res;
}

std::string describe(http::response<http::string_body> const& res)
{
    std::ostringstream out;
    out << res.result_int() << " " << res.reason();
    if (auto v = res.find("sl-violations"); v != res.end())
        out << "\n  sl-violations: " << v->value();
    out << "\n  body: " << res.body();
    return out.str();
}

/// The documented response of Endpoint, decoded; empty when the document has no example.
template <class Endpoint>
std::optional<typename Endpoint::response> example_response(std::string_view text, std::string_view what)
{
    if (text.empty())
        return std::nullopt;
    auto r = restschema::try_parse<typename Endpoint::response>(
        text, {.strict = true, .path = Endpoint::response_envelope, .envelope = Endpoint::response_envelope});
    REQUIRE_MESSAGE(r.has_value(), Endpoint::id << " " << what << " does not decode strictly: "
                                                << r.error().what() << "\n  text: " << text);
    return std::move(*r);
}

struct counts {
    int endpoints = 0;
    int refusals = 0;
    int error_statuses = 0;
};

template <class Endpoint>
void check_endpoint(std::string const& url, counts& seen)
{
    using service = typename Endpoint::service;
    using docs = restschema::endpoint_docs<Endpoint>;
    INFO("endpoint " << service::name << "." << Endpoint::id << " at " << url);
    ++seen.endpoints;

    auto const request = example_request<Endpoint>();
    auto const creds = credentials<service>();
    restschema::client_options options;
    options.base_url = url;
    options.credentials = creds;
    options.retry.max_attempts = 1; // Prism answers at once; a retry would hide the first answer
    options.request_timeout = 10s;
    std::string sent;
    options.log = [&sent](restschema::log_record const& rec) {
        std::ostringstream line;
        line << "\n  " << (rec.what == restschema::log_record::kind::request ? "> " : "< ") << rec.method
             << " " << rec.target << " " << rec.status;
        for (auto const& [k, v] : rec.headers)
            line << "\n    " << k << ": " << v;
        line << "\n    " << rec.body;
        sent += line.str();
    };
    restschema::client<service> api(options);

    // 1. The real client, as an application calls it.
    auto const r = api.template try_call<Endpoint>(request);
    REQUIRE_MESSAGE(r.has_value(),
                    "Prism refused the client's request or the client could not read the answer: "
                        << r.error().what() << "\n  exchange:" << sent);
    auto const expected = example_response<Endpoint>(docs::response_example_json, "response example");
    if (expected)
        CHECK_MESSAGE(restschema::serialize(*r) == restschema::serialize(*expected),
                      "decoded " << restschema::serialize(*r) << "\n  documented "
                                 << restschema::serialize(*expected));

    // 2. The same request as bytes: Prism reports no violation, not even a
    // warning, and answers the documented status and example.
    restschema::binding::bind_context ctx;
    ctx.api_version = api.options().api_version;
    ctx.credentials = &creds;
    auto const wire = restschema::binding::bind<Endpoint>(request, ctx);
    REQUIRE_MESSAGE(wire.has_value(), wire.error().what());
    auto const ok = send_raw(url, wire->method, wire->target, wire->headers, wire->body);
    INFO("Prism answered the client's bytes: " << describe(ok));
    CHECK(ok.result_int() == Endpoint::success_status);
    CHECK_MESSAGE(ok.find("sl-violations") == ok.end(), "Prism found the client's request off the document");
    if (expected) {
        auto const answered = example_response<Endpoint>(ok.body(), "answer");
        CHECK(restschema::serialize(*answered) == restschema::serialize(*expected));
    }

    // 3. Prism does validate (else the checks above prove nothing): without
    // the Authorization header, and with a body that is not the documented
    // object, the request is refused.
    auto without_auth = wire->headers;
    auto const had_auth = std::erase_if(
        without_auth, [](auto const& h) { return boost::beast::iequals(h.first, "Authorization"); });
    if (had_auth) {
        auto const res = send_raw(url, wire->method, wire->target, without_auth, wire->body);
        INFO("without Authorization: " << describe(res));
        CHECK(res.result_int() == 401);
        ++seen.refusals;
    }
    if (!wire->body.empty()) {
        auto const res = send_raw(url, wire->method, wire->target, wire->headers, "[]");
        INFO("with the body []: " << describe(res));
        CHECK(res.result_int() >= 400);
        CHECK(res.result_int() < 500);
        ++seen.refusals;
    }

    // 4. Every error status of the table, as Prism answers it from the
    // document (asked for with Prefer: code=N), is read by the client's own
    // error mapping as one of that status's rows, with the envelope decoding.
    std::set<int> statuses;
    for (auto const& row : Endpoint::errors)
        statuses.insert(row.status);
    for (int const status : statuses) {
        auto headers = wire->headers;
        headers.emplace_back("Prefer", "code=" + std::to_string(status));
        auto const res = send_raw(url, wire->method, wire->target, headers, wire->body);
        INFO("asked for " << status << ": " << describe(res));
        REQUIRE(res.result_int() == status);
        auto const e = restschema::make_api_error<Endpoint>(status, res.body());
        CHECK(e.kind == restschema::error_kind::api);
        bool row_of_status = false;
        for (auto const& row : Endpoint::errors)
            row_of_status = row_of_status || (row.name == e.table_name && row.status == status);
        CHECK_MESSAGE(row_of_status,
                      "the answer maps to row '" << e.table_name << "', not a row of " << status);
        if constexpr (service::has_error_envelope)
            if (!res.body().empty()) {
                auto const body = restschema::error_body_of<service>(e);
                CHECK_MESSAGE(body.has_value(), "the error body does not decode: " << body.error().what());
            }
        ++seen.error_statuses;
    }
}

template <class Endpoints>
void check_service()
{
    using service = typename boost::mp11::mp_first<Endpoints>::service;
    auto const url = prism_url<service>();
    counts seen;
    boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, Endpoints>>(
        [&](auto id) { check_endpoint<typename decltype(id)::type>(url, seen); });
    CHECK(seen.endpoints == static_cast<int>(boost::mp11::mp_size<Endpoints>::value));
    CHECK_MESSAGE(seen.refusals > 0, "no request of " << service::name << " was shown to be refused");
}

} // namespace

TEST_SUITE("prism" * doctest::skip())
{
    TEST_CASE("prism: every Attestr endpoint answers the real client as its OpenAPI document says")
    {
        check_service<attestr::endpoints>();
    }

    TEST_CASE("prism: every Safe Shepherd endpoint answers the real client as its OpenAPI document says")
    {
        check_service<safeshepherd::endpoints>();
    }

    TEST_CASE(
        "prism: every endpoint of tests/schemas/dated answers the real client as its OpenAPI document says")
    {
        check_service<dated::endpoints>();
    }
}

} // namespace test_prism
