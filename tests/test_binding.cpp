// binding/auth.hpp and binding/base64.hpp: each scheme's wire form, as the
// client writes it and the mock reads it.
#include <restschema/binding/auth.hpp>

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

} // namespace test_binding
