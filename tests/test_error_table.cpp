// Every documented error row maps from (status, code) to its enum value and message.
#include <restschema/error_table.hpp>

#include <restschema/gen/attestr.hpp>
#include <restschema/gen/safeshepherd.hpp>

#include <boost/describe/enum_to_string.hpp>

#include <doctest/doctest.h>

// Every name of this file is in namespace test_error_table: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_error_table {

namespace {

struct row {
    int status;
    std::int64_t code;
    attestr::update_profile_error value;
    char const* message;
    bool retryable;
};

// The Attestr page's table, transcribed by hand (403/4035 is listed twice on the page: one row).
using E = attestr::update_profile_error;
row const attestr_rows[] = {
    {400, 4001, E::malformed_data, "Malformed data or missing required parameter values", false},
    {400, 4005, E::low_credits, "Operation could not be performed due to low credits balance", false},
    {400, 40018, E::invalid_profile_id, "Invalid profile Id or you do not have access to this record", false},
    {400, 40038, E::profile_archived, "Profile is archived already, operation not allowed", false},
    {401, 4016, E::invalid_client_authorization, "Invalid client authorization", false},
    {403, 4031, E::unauthorized_access, "Unauthorized access", false},
    {403, 4035, E::service_not_provisioned, "Requested service is not provisioned for your account", false},
    {403, 4039, E::ip_not_whitelisted, "Client's IP address is not whitelisted", false},
    {429, 4291, E::account_rate_limit, "Maximum account rate limit exceeded", true},
    {429, 4292, E::api_rate_limit, "Maximum API rate limit exceeded", true},
    {429, 4293, E::account_daily_limit, "Maximum account daily limit exceeded", false},
    {429, 4294, E::api_daily_limit, "Maximum API daily limit exceeded", false},
    {500, 5001, E::request_not_processed, "Request could not be processed", true},
};

} // namespace

TEST_CASE("errors: every Attestr row maps from (status, code) to its enum value and message")
{
    CHECK(attestr::update_profile::errors.size() == std::size(attestr_rows));
    for (auto const& r : attestr_rows) {
        CAPTURE(r.code);
        auto const* found = restschema::find_error_row<attestr::update_profile>(r.status, r.code);
        REQUIRE(found);
        CHECK(found->value == r.value);
        CHECK(found->message == r.message);
        CHECK(found->retryable == r.retryable);

        auto const body = R"({"code":)" + std::to_string(r.code) + R"(,"message":"srv","details":"d"})";
        auto const e = restschema::make_api_error<attestr::update_profile>(r.status, body);
        CHECK(e.kind == restschema::error_kind::api);
        CHECK(e.api_error<attestr::update_profile_error>() == r.value);
        CHECK(e.table_message == r.message);
        CHECK(e.server_message == "srv");
        CHECK(e.server_details == "d");
        CHECK(e.table_name == boost::describe::enum_to_string(r.value, "?"));
    }
}

TEST_CASE("errors: an unknown Attestr code is kept, not lost")
{
    auto const e =
        restschema::make_api_error<attestr::update_profile>(400, R"({"code":4099,"message":"new"})");
    CHECK(e.api_error<attestr::update_profile_error>() == attestr::update_profile_error::unknown);
    CHECK(e.table_name == "unknown");
    CHECK(e.api_code == 4099);
    CHECK(e.http_status == 400);
    CHECK(e.server_message == "new");
    // A known code under an unexpected status is not that row either.
    auto const f = restschema::make_api_error<attestr::update_profile>(500, R"({"code":4001})");
    CHECK(f.api_error<attestr::update_profile_error>() == attestr::update_profile_error::unknown);
    CHECK(f.api_code == 4001);
}

TEST_CASE("errors: a body that is not JSON is kept as text")
{
    auto const e = restschema::make_api_error<attestr::update_profile>(502, "<html>Bad Gateway</html>");
    CHECK(e.body == "<html>Bad Gateway</html>");
    CHECK(e.retryable); // undocumented 5xx
}

TEST_CASE("errors: Safe Shepherd rows have a status and no code")
{
    using S = safeshepherd::update_user_error;
    auto const e401 = restschema::make_api_error<safeshepherd::update_user>(401, "{}");
    CHECK(e401.api_error<S>() == S::unauthorized);
    CHECK_FALSE(e401.api_code);
    auto const e400 =
        restschema::make_api_error<safeshepherd::update_user>(400, R"({"error":"zip invalid"})");
    CHECK(e400.api_error<S>() == S::bad_request);
    CHECK(e400.server_message == "zip invalid");
    CHECK(restschema::make_api_error<safeshepherd::update_user>(404, "").api_error<S>() == S::unknown);
}

TEST_CASE("errors: restschema::error works as a boost::system::error_code")
{
    boost::system::error_code ec = restschema::error_kind::timeout;
    CHECK(ec.category().name() == std::string("restschema"));
    CHECK(ec.message() == "timed out");
    auto const e = restschema::make_api_error<attestr::update_profile>(429, R"({"code":4294})");
    CHECK(e.code() == restschema::error_kind::api);
    CHECK(e.code() != restschema::error_kind::transport);
}

TEST_CASE("errors: restschema::exception carries the error and says what() once")
{
    auto const e = restschema::make_api_error<attestr::update_profile>(429, R"({"code":4294,"message":"m"})");
    restschema::exception x(e);
    CHECK(std::string(x.what()) == e.what());
    CHECK(x.code() == restschema::error_kind::api);
    CHECK(x.error().api_code == 4294);
}

} // namespace test_error_table
