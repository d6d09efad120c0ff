// binding/auth.hpp and binding/base64.hpp: each scheme's wire form, as the
// client writes it and the mock reads it; path templates and base URLs.
#include <restschema/binding/auth.hpp>
#include <restschema/detail/path_template.hpp>
#include <restschema/detail/url.hpp>

#include <string>

#include <doctest/doctest.h>

// Every name of this file is in namespace test_binding: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_binding {

using restschema::auth_kind;
using restschema::auth_scheme;
using restschema::location;
namespace binding = restschema::binding;

TEST_CASE("binding: base64 round-trips every length and refuses what is not canonical")
{
    CHECK(binding::base64_encode("") == "");
    CHECK(binding::base64_encode("f") == "Zg==");
    CHECK(binding::base64_encode("fo") == "Zm8=");
    CHECK(binding::base64_encode("foo") == "Zm9v");
    CHECK(binding::base64_encode("user:pa ss") == "dXNlcjpwYSBzcw==");
    std::string all;
    for (int i = 0; i < 256; ++i)
        all += static_cast<char>(i);
    for (std::size_t n = 0; n <= all.size(); n += 7)
        CHECK(binding::base64_decode(binding::base64_encode(all.substr(0, n))) == all.substr(0, n));
    CHECK_FALSE(binding::base64_decode("Zg"));       // no padding
    CHECK_FALSE(binding::base64_decode("Z==="));     // too much padding
    CHECK_FALSE(binding::base64_decode("Zg==Zg==")); // padding inside
    CHECK_FALSE(binding::base64_decode("Zm9*"));     // outside the alphabet
}

TEST_CASE("binding: each auth scheme is placed as its kind says, with every form of the secret")
{
    auto basic = binding::place_credential({"b", auth_kind::http_basic, location::header, ""}, "user:pw");
    CHECK(basic.name == "Authorization");
    CHECK(basic.value == "Basic dXNlcjpwdw==");
    CHECK(basic.secrets == std::vector<std::string>{"user:pw", "dXNlcjpwdw=="});

    auto token = binding::place_credential({"t", auth_kind::http_basic_token, location::header, ""}, "tok");
    CHECK(token.value == "Basic tok");
    auto bearer = binding::place_credential({"t", auth_kind::bearer, location::header, ""}, "tok");
    CHECK(bearer.value == "Bearer tok");

    auto key = binding::place_credential({"k", auth_kind::api_key, location::query, "api_key"}, "K1");
    CHECK(key.in == location::query);
    CHECK(key.name == "api_key");
    CHECK(key.value == "K1");
    CHECK(binding::credential_place({"k", auth_kind::api_key, location::path, "key"}) ==
          "path segment {key}");
}

TEST_CASE("binding: the mock reads back what the client wrote, and says why a header does not fit")
{
    auth_scheme const basic{"b", auth_kind::http_basic, location::header, ""};
    auth_scheme const bearer{"t", auth_kind::bearer, location::header, ""};
    CHECK(binding::read_authorization(basic, binding::place_credential(basic, "u:p").value).credential ==
          "u:p");
    CHECK(binding::read_authorization(bearer, "  bearer   tok ").credential == "tok");
    CHECK(binding::read_authorization(bearer, "").problem.find("missing Authorization") != std::string::npos);
    CHECK(binding::read_authorization(bearer, "Basic tok").problem.find("Bearer scheme") !=
          std::string::npos);
    CHECK(binding::read_authorization(bearer, "Bearer a b").problem.find("well-formed") != std::string::npos);
    CHECK(binding::read_authorization(basic, "Basic Zm9v").problem.find("user:password") !=
          std::string::npos);
}

namespace {

std::optional<std::string> expand(std::string_view tmpl,
                                  std::map<std::string, std::string, std::less<>> const& v)
{
    return restschema::detail::expand_path(tmpl, [&](std::string_view name) -> std::optional<std::string> {
        auto it = v.find(name);
        return it == v.end() ? std::nullopt : std::optional<std::string>(it->second);
    });
}

} // namespace

TEST_CASE("path templates: a value holding the literal that follows it reads back as one value (fuzz_url)")
{
    namespace rd = restschema::detail;
    using values = std::map<std::string, std::string, std::less<>>;
    // Without the escape "x.y" went out as /users/x.y and read back as id x, format y.
    CHECK(expand("/users/{id}[.{format}]", {{"id", "x.y"}}) == "/users/x%2Ey");
    CHECK(expand("/users/{id}[.{format}]", {{"id", "x.y"}, {"format", "json"}}) == "/users/x%2Ey.json");
    CHECK(rd::match_path("/users/{id}[.{format}]", "/users/x%2Ey.json") ==
          values{{"id", "x.y"}, {"format", "json"}});
    CHECK(expand("/{a}-{b}", {{"a", "x-y"}, {"b", "z-w"}}) == "/x%2Dy-z-w");
    CHECK(rd::match_path("/{a}-{b}", "/x%2Dy-z-w") == values{{"a", "x-y"}, {"b", "z-w"}});
    // Only where the template goes on with that character: whole segments keep their dots.
    CHECK(expand("/files/{name}/meta", {{"name", "a.tar.gz"}}) == "/files/a.tar.gz/meta");
    CHECK(expand("/files/{name}", {{"name", "."}}) == "/files/%2E");
    // The binding registers a path credential's secret form with segment_escapes:
    // it must be the text that expand_path writes, or scrubbing misses it.
    std::string_view const keyed = "/api/{api_key}.json";
    auto const secret_form = rd::encode_segment("k.e-y", rd::segment_escapes(keyed, "api_key"));
    CHECK(secret_form == "k%2Ee-y");
    CHECK(expand(keyed, {{"api_key", "k.e-y"}}) == "/api/" + secret_form + ".json");
    CHECK(rd::segment_escapes(keyed, "other").empty());
}

TEST_CASE(
    "path templates: a long template matches (the matcher's depth limit counted every literal character)")
{
    namespace rd = restschema::detail;
    std::string const tmpl =
        "/repos/{owner}/{repo}/code-scanning/codeql/variant-analyses/{id}/repos/"
        "{repo_owner}/{repo_name}/with-a-long-literal-tail-of-more-than-sixty-four-characters";
    auto const path =
        expand(tmpl, {{"owner", "o"}, {"repo", "r"}, {"id", "7"}, {"repo_owner", "ro"}, {"repo_name", "rn"}});
    REQUIRE(path);
    auto const m = rd::match_path(tmpl, *path);
    REQUIRE(m);
    CHECK(m->at("repo_name") == "rn");
    CHECK_FALSE(rd::match_path(tmpl, *path + "x"));
}

TEST_CASE("base URL: a query or fragment right after the host is refused, not taken into the host (fuzz_url)")
{
    namespace rd = restschema::detail;
    for (auto const* url :
         {"http://api.example?key=1", "https://api.example#top", "http://api.example:8080?x"}) {
        CAPTURE(url);
        std::string why;
        CHECK_FALSE(rd::parse_base_url(url, &why));
        CHECK(why == "base URL must not contain a query or fragment");
    }
    auto const ok = rd::parse_base_url("http://api.example:8080/v1/", nullptr);
    REQUIRE(ok);
    CHECK(ok->host == "api.example");
    CHECK(ok->prefix == "/v1");
}

} // namespace test_binding
