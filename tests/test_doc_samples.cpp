// The samples shown in docs/api/ decode with the generated types.
//
// `restschema-gen docs` writes docs/api/<service>/samples.json next to the
// Markdown pages: for each endpoint the exact JSON text of the sample request
// body, sample response and sample error response the pages show. Every one
// of them is decoded here through the generic codec, strictly (no unknown
// keys, no null where a field is not nullable), for every endpoint of every
// service, so a page can never show a sample the client would reject.
#include <restschema/codec.hpp>

#include <restschema/gen/attestr.hpp>
#include <restschema/gen/safeshepherd.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/mp11/algorithm.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

// Every name of this file is in namespace test_doc_samples: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_doc_samples {

namespace {

boost::json::object load_samples(std::string_view service)
{
    std::string const path =
        std::string(RESTSCHEMA_SOURCE_DIR) + "/docs/api/" + std::string(service) + "/samples.json";
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(),
                    "cannot read " << path << " (run: generator/restschema-gen docs --out docs/api schemas)");
    std::ostringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    auto jv = boost::json::parse(text.str(), ec);
    REQUIRE_MESSAGE(!ec, path << ": " << ec.message());
    REQUIRE(jv.is_object());
    REQUIRE(jv.as_object().contains("endpoints"));
    CHECK(jv.at("service").as_string() == service);
    return jv.as_object();
}

/// The JSON text of one sample ("body" of request / response / error), or null when the page shows none.
boost::json::value sample_body(boost::json::object const& endpoint, std::string_view which)
{
    auto const* sample = endpoint.if_contains(which);
    if (!sample || sample->is_null())
        return nullptr;
    auto const* body = sample->as_object().if_contains("body");
    if (!body || body->is_null())
        return nullptr;
    REQUIRE(body->is_string());
    boost::system::error_code ec;
    auto jv = boost::json::parse(body->as_string(), ec);
    REQUIRE_MESSAGE(!ec, which << " sample is not JSON: " << ec.message());
    return jv;
}

/// The raw text of one sample, as the page shows it ("" when none).
std::string sample_text(boost::json::object const& endpoint, std::string_view which)
{
    auto const* sample = endpoint.if_contains(which);
    if (!sample || sample->is_null())
        return {};
    auto const* body = sample->as_object().if_contains("body");
    return body && body->is_string() ? std::string(body->as_string()) : std::string();
}

constexpr restschema::decode_options strict{.strict = true};

template <class Endpoint>
void check_request(boost::json::object const& endpoint)
{
    using service = typename Endpoint::service;
    auto body = sample_body(endpoint, "request");
    if (body.is_null())
        return;
    REQUIRE(body.is_object());
    // Body credentials are shown as placeholders and are not request members.
    auto members = body.as_object();
    for (auto const& a : service::auth)
        if (a.kind == restschema::auth_kind::api_key && a.in == restschema::location::body) {
            auto const* v = members.if_contains(a.name);
            REQUIRE_MESSAGE(v, "body credential '" << a.name << "' missing from the sample request");
            REQUIRE(v->is_string());
            CHECK_MESSAGE(v->as_string() == "<" + std::string(a.name) + ">",
                          "credentials are shown as placeholders, not " << *v);
            members.erase(a.name);
        }
    auto r = restschema::try_from_json<typename Endpoint::request>(members, strict);
    REQUIRE_MESSAGE(r.has_value(), Endpoint::id << " sample request: " << r.error().what());
    // What the client would send for the decoded request is the sample body itself.
    CHECK_MESSAGE(restschema::to_json(*r) == boost::json::value(members),
                  Endpoint::id << ": re-encoded " << restschema::to_json(*r) << " != " << members);
    // ...and the direct path reads the same request and writes the same bytes.
    auto direct = restschema::try_parse<typename Endpoint::request>(boost::json::serialize(members), strict);
    REQUIRE_MESSAGE(direct.has_value(),
                    Endpoint::id << " sample request (direct): " << direct.error().what());
    CHECK(restschema::serialize(*direct) == boost::json::serialize(members));
}

template <class Endpoint>
void check_response(boost::json::object const& endpoint)
{
    auto const& info = endpoint.at("response").as_object();
    CHECK(info.at("status").to_number<int>() == Endpoint::success_status);
    auto body = sample_body(endpoint, "response");
    if (body.is_null())
        return;
    boost::json::value const* payload = &body;
    if (!Endpoint::response_envelope.empty()) {
        REQUIRE(body.is_object());
        payload = body.as_object().if_contains(Endpoint::response_envelope);
        REQUIRE_MESSAGE(payload, Endpoint::id << " sample response lacks the envelope '"
                                              << Endpoint::response_envelope << "'");
    }
    auto r = restschema::try_from_json<typename Endpoint::response>(
        *payload, {.strict = true, .path = Endpoint::response_envelope});
    REQUIRE_MESSAGE(r.has_value(), Endpoint::id << " sample response: " << r.error().what());
    // The client reads the page's text directly, envelope included.
    auto direct = restschema::try_parse<typename Endpoint::response>(
        sample_text(endpoint, "response"),
        {.strict = true, .path = Endpoint::response_envelope, .envelope = Endpoint::response_envelope});
    REQUIRE_MESSAGE(direct.has_value(),
                    Endpoint::id << " sample response (direct): " << direct.error().what());
    CHECK(restschema::serialize(*direct) == restschema::serialize(*r));
}

template <class Endpoint>
void check_error(boost::json::object const& endpoint)
{
    using service = typename Endpoint::service;
    auto const* info = endpoint.if_contains("error");
    if (!info || info->is_null())
        return;
    int const status = info->at("status").to_number<int>();
    bool known = false;
    for (auto const& row : Endpoint::errors)
        known = known || row.status == status;
    CHECK_MESSAGE(known, Endpoint::id << ": sample error status " << status << " is not in the error table");
    auto body = sample_body(endpoint, "error");
    CHECK_MESSAGE(body.is_null() == !service::has_error_envelope,
                  Endpoint::id << ": a sample error body is shown exactly when the service has an envelope");
    if (body.is_null())
        return;
    auto r = restschema::try_from_json<typename service::error_body>(body, strict);
    REQUIRE_MESSAGE(r.has_value(), Endpoint::id << " sample error: " << r.error().what());
    auto direct = restschema::try_parse<typename service::error_body>(sample_text(endpoint, "error"), strict);
    REQUIRE_MESSAGE(direct.has_value(), Endpoint::id << " sample error (direct): " << direct.error().what());
}

template <class Endpoints>
void check_service(std::string_view service)
{
    auto const doc = load_samples(service);
    auto const& endpoints = doc.at("endpoints").as_object();
    std::set<std::string> seen;
    boost::mp11::mp_for_each<Endpoints>([&](auto e) {
        using E = decltype(e);
        CAPTURE(E::id);
        auto const* endpoint = endpoints.if_contains(E::id);
        REQUIRE_MESSAGE(
            endpoint,
            "docs/api/" << service << "/samples.json has no endpoint " << E::id
                        << " (stale docs? run generator/restschema-gen docs --out docs/api schemas)");
        auto const& ep = endpoint->as_object();
        CHECK(ep.at("request").at("method").as_string() == E::method);
        check_request<E>(ep);
        check_response<E>(ep);
        check_error<E>(ep);
        seen.emplace(E::id);
    });
    CHECK_MESSAGE(seen.size() == endpoints.size(),
                  "samples.json lists endpoints the generated code does not have");
}

} // namespace

TEST_CASE("docs: every Attestr sample decodes with the generated types")
{
    check_service<attestr::endpoints>("attestr");
}

TEST_CASE("docs: every Safe Shepherd sample decodes with the generated types")
{
    check_service<safeshepherd::endpoints>("safeshepherd");
}

TEST_CASE("docs: sample requests show the newest version and credential placeholders")
{
    auto const attestr_doc = load_samples("attestr");
    auto const& profile = attestr_doc.at("endpoints").at("update_profile").at("request");
    CHECK(profile.at("target").as_string() ==
          "/api/" + std::string(attestr::service::default_version) + "/public/factx/PRF-7d4c1e20");

    auto const shepherd_doc = load_samples("safeshepherd");
    auto const& user = shepherd_doc.at("endpoints").at("update_user").at("request");
    // The path credential is a placeholder; the const format suffix is filled in.
    CHECK(user.at("target").as_string() == "/api/acme/<api_key>/v2/users/12.json");
}

} // namespace test_doc_samples
