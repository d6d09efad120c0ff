// Validation before sending: required fields, formats, enums, version bounds.
#include <restschema/validate.hpp>

#include <restschema/detail/formats.hpp>
#include <restschema/gen/attestr.hpp>
#include <restschema/gen/safeshepherd.hpp>
#include <restschema/gen/versioned.hpp>

#include <doctest/doctest.h>

// Every name of this file is in namespace test_validate: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_validate {

TEST_CASE("validate: E.164 is '+' then 1 to 15 digits, the first not 0")
{
    using restschema::detail::is_e164;
    CHECK(is_e164("+919876543210"));
    CHECK(is_e164("+1"));
    CHECK(is_e164("+123456789012345"));
    CHECK_FALSE(is_e164("+1234567890123456")); // 16 digits
    CHECK_FALSE(is_e164("+0123"));
    CHECK_FALSE(is_e164("919876543210"));
    CHECK_FALSE(is_e164("+"));
    CHECK_FALSE(is_e164("+91 98765"));
}

TEST_CASE("validate: email, rails_time, date-time and uri formats")
{
    using namespace restschema::detail;
    CHECK(is_email("tom@example.com"));
    CHECK_FALSE(is_email("tom@localhost"));
    CHECK_FALSE(is_email("tom example.com"));
    CHECK_FALSE(is_email("a@b@example.com"));
    CHECK(is_rails_time("2012/05/27 00:46:39 +0000"));
    CHECK_FALSE(is_rails_time("2012-05-27 00:46:39 +0000"));
    CHECK_FALSE(is_rails_time("2012/13/27 00:46:39 +0000"));
    CHECK(is_date_time("2012-05-27T00:46:39Z"));
    CHECK(is_date_time("2012-05-27T00:46:39.123+05:30"));
    CHECK_FALSE(is_date_time("2012-05-27"));
    CHECK(is_uri("http://github.com/hayesgm"));
    CHECK_FALSE(is_uri("github.com/hayesgm x"));
}

TEST_CASE("validate: a valid Attestr request passes")
{
    attestr::update_profile_request r;
    r.profile_id = "PRF-1";
    r.tag = "EMP-1";
    r.name = "Asha";
    r.email = "asha@example.com";
    r.mobile = "+919876543210";
    CHECK(restschema::validate_request<attestr::update_profile>(r, "v1").has_value());
}

TEST_CASE("validate: missing required parameters and bad formats are all reported")
{
    attestr::update_profile_request r;
    r.email = "not-an-email";
    r.mobile = "09876";
    auto v = restschema::validate_request<attestr::update_profile>(r, "v1");
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().kind == restschema::error_kind::validation);
    auto const& p = v.error().problems;
    REQUIRE(p.size() == 5);
    CHECK(p[0].path == "profileId");
    CHECK(p[0].message == "is a required path parameter");
    CHECK(p[1].path == "tag");
    CHECK(p[1].message == "is required");
    CHECK(p[2].path == "name");
    CHECK(p[3].path == "email");
    CHECK(p[3].message == "is not a valid email: \"not-an-email\"");
    CHECK(p[4].path == "mobile");
    CHECK(p[4].message == "is not a valid E.164: \"09876\"");
}

TEST_CASE("validate: an unknown API version is an error naming the known ones")
{
    attestr::update_profile_request r;
    auto v = restschema::validate_request<attestr::update_profile>(r, "v9");
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().message == "unknown API version \"v9\" for attestr (known: v1)");
}

TEST_CASE("validate: nested list items are checked with their path")
{
    safeshepherd::update_user_request r;
    r.integration_name = "acme";
    r.id = 1;
    r.secret = "s";
    r.emails.append({.address = "nope"});
    r.aliases.append({.alias_type = static_cast<safeshepherd::alias_type>(9)});
    auto v = restschema::validate_request<safeshepherd::update_user>(r, "v2");
    REQUIRE_FALSE(v.has_value());
    auto const& p = v.error().problems;
    REQUIRE(p.size() == 2);
    CHECK(p[0].path == "aliases[0].alias_type");
    CHECK(p[1].path == "emails[0].address");
}

TEST_CASE("validate: a sensitive value is never echoed in a message")
{
    safeshepherd::update_user_request r;
    r.integration_name = "acme\n";
    r.id = 1;
    r.secret = "s";
    auto v = restschema::validate_request<safeshepherd::update_user>(r, "v2");
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().problems.at(0).path == "integration_name");
    CHECK(v.error().problems.at(0).message.find("control character") != std::string::npos);
}

TEST_CASE("validate: a field that the chosen API version does not have is an error naming its bounds")
{
    versioned::put_thing_request r;
    r.thing_id = 7;
    r.label = "x";
    r.colour = "red";     // v2 and later
    r.legacy_code = 3;    // up to v2
    r.window = "morning"; // v2 only
    CHECK(restschema::validate_request<versioned::put_thing>(r, "v2").has_value());

    auto v1 = restschema::validate_request<versioned::put_thing>(r, "v1");
    REQUIRE_FALSE(v1.has_value());
    REQUIRE(v1.error().problems.size() == 2);
    CHECK(v1.error().problems[0].path == "colour");
    CHECK(v1.error().problems[0].message == "exists in API versions v2 and later, not in v1");
    CHECK(v1.error().problems[1].path == "window");
    CHECK(v1.error().problems[1].message == "exists in API versions v2..v2, not in v1");

    auto v3 = restschema::validate_request<versioned::put_thing>(r, "v3");
    REQUIRE_FALSE(v3.has_value());
    REQUIRE(v3.error().problems.size() == 2);
    CHECK(v3.error().problems[0].path == "legacy_code");
    CHECK(v3.error().problems[0].message == "exists in API versions up to v2, not in v3");

    r.colour.reset(); // absent fields are fine in any version
    r.window.reset();
    CHECK(restschema::validate_request<versioned::put_thing>(r, "v1").has_value());
}

} // namespace test_validate
