// Typed list operations of update endpoints (restschema/edits.hpp): what
// they send, what validation refuses before sending, and the mock applying
// them. Misuse that must not compile is checked by
// tests/generator/test_headers_compile.py, with the diagnostic's text.
#include <restschema/client.hpp>
#include <restschema/mock.hpp>

#include <restschema/gen/safeshepherd.extras.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <type_traits>

// Every name of this file is in namespace test_edits: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_edits {

namespace {

using namespace std::chrono_literals;

safeshepherd::update_user_request base_request()
{
    safeshepherd::update_user_request r;
    r.integration_name = "acme";
    r.id = 12;
    r.secret = "TOP SECRET";
    return r;
}

std::string paths(restschema::error const& e)
{
    std::string s;
    for (auto const& p : e.problems)
        s += p.path + ": " + p.message + "\n";
    return s;
}

// Ids are typed by item type, and only built explicitly.
static_assert(!std::is_convertible_v<safeshepherd::alias_id, safeshepherd::phone_number_id>);
static_assert(!std::is_convertible_v<std::int64_t, safeshepherd::phone_number_id>);
static_assert(std::is_constructible_v<safeshepherd::phone_number_id, std::int64_t>);
static_assert(std::is_same_v<decltype(safeshepherd::update_user_request::phone_numbers),
                             restschema::list_edits<safeshepherd::phone_number>>);
// A new item's fields have neither the key nor the destroy flag.
template <class T>
concept has_id = requires(T t)
{
    t.id;
};
template <class T>
concept has_destroy = requires(T t)
{
    t.destroy;
};
static_assert(!has_id<safeshepherd::phone_number_fields> && !has_destroy<safeshepherd::phone_number_fields>);
static_assert(has_id<safeshepherd::phone_number> && has_destroy<safeshepherd::phone_number>);

} // namespace

TEST_CASE("edits: operations encode to today's wire form, byte for byte, in the order written")
{
    auto ops = base_request();
    ops.middle_name = restschema::clear;
    ops.aliases.append({.first_name = "Tom", .alias_type = safeshepherd::alias_type::nickname});
    ops.emails.update(safeshepherd::email_id{123}, {.address = "tommy@example.com"});
    ops.phone_numbers.destroy(safeshepherd::phone_number_id{124});
    ops.phone_numbers.append({.number = "3128881212"});

    // The same request written as raw wire items, as before the operations.
    auto raw = base_request();
    raw.middle_name = "";
    safeshepherd::alias a;
    a.first_name = "Tom";
    a.alias_type = safeshepherd::alias_type::nickname;
    safeshepherd::email e;
    e.id = 123;
    e.address = "tommy@example.com";
    safeshepherd::phone_number gone, added;
    gone.id = 124;
    gone.destroy = true;
    added.number = "3128881212";
    raw.aliases = restschema::list_edits<safeshepherd::alias>::from_wire({a});
    raw.emails = restschema::list_edits<safeshepherd::email>::from_wire({e});
    raw.phone_numbers = restschema::list_edits<safeshepherd::phone_number>::from_wire({gone, added});

    auto const text = restschema::serialize(ops);
    CHECK(text == restschema::serialize(raw));
    CHECK(
        text ==
        R"({"secret":"TOP SECRET","middle_name":"","aliases":[{"first_name":"Tom","alias_type":"nickname"}],)"
        R"("emails":[{"id":123,"address":"tommy@example.com"}],)"
        R"("phone_numbers":[{"id":124,"_destroy":true},{"number":"3128881212"}]})");
    CHECK(ops.phone_numbers.wire().size() == 2);
    CHECK(ops.middle_name.is_clear());
}

TEST_CASE("edits: a list without operations is not sent; the raw wire form reads back")
{
    auto r = base_request();
    CHECK_FALSE(r.phone_numbers.has_value());
    CHECK(restschema::serialize(r) == R"({"secret":"TOP SECRET"})");
    // The mock decodes requests into the same types: raw items come back as wire().
    auto back = restschema::try_parse<safeshepherd::update_user_request>(
        R"({"secret":"s","phone_numbers":[{"id":124,"_destroy":true}]})");
    REQUIRE_MESSAGE(back.has_value(), back.error().what());
    REQUIRE(back->phone_numbers.size() == 1);
    CHECK(back->phone_numbers.wire()[0].id == 124);
}

TEST_CASE("edits: ids come from decoded items")
{
    auto user = restschema::try_parse<safeshepherd::user>(
        R"({"id":12,"phone_numbers":[{"id":123,"number":"3128881212"},{"id":124}],"aliases":[{"first_name":"Tom"}]})");
    REQUIRE(user.has_value());
    auto const id = restschema::id_of(user->phone_numbers->at(1));
    REQUIRE(id.has_value());
    CHECK(*id == safeshepherd::phone_number_id{124});
    CHECK_FALSE(restschema::id_of(user->aliases->at(0)).has_value()); // an item without an id has none
    auto r = base_request();
    r.phone_numbers.destroy(*id);
    CHECK(restschema::serialize(r.phone_numbers.wire()) == R"([{"id":124,"_destroy":true}])");
}

TEST_CASE("edits regression: two operations on one id are refused before sending")
{
    auto r = base_request();
    r.phone_numbers.update(safeshepherd::phone_number_id{123}, {.number = "1"});
    r.phone_numbers.destroy(safeshepherd::phone_number_id{123});
    auto v = restschema::validate_request<safeshepherd::update_user>(r, "v2");
    REQUIRE_FALSE(v.has_value());
    CHECK(paths(v.error()) == "phone_numbers[1]: item 123 already has an operation at phone_numbers[0]: one "
                              "operation per item in a request\n");
    // Ids of different lists do not collide.
    auto ok = base_request();
    ok.phone_numbers.destroy(safeshepherd::phone_number_id{123});
    ok.emails.destroy(safeshepherd::email_id{123});
    CHECK(restschema::validate_request<safeshepherd::update_user>(ok, "v2").has_value());
}

TEST_CASE("edits regression: raw wire items are held to the same rules")
{
    safeshepherd::phone_number no_id, with_more;
    no_id.destroy = true;
    with_more.id = 7;
    with_more.destroy = true;
    with_more.number = "1";
    auto r = base_request();
    r.phone_numbers = restschema::list_edits<safeshepherd::phone_number>::from_wire({no_id, with_more});
    auto v = restschema::validate_request<safeshepherd::update_user>(r, "v2");
    REQUIRE_FALSE(v.has_value());
    CHECK(paths(v.error()) ==
          "phone_numbers[0]: has _destroy true but no id: a deletion names its item\n"
          "phone_numbers[1]: deletes item 7 and also sets number: a deleted item sends nothing else\n");
}

TEST_CASE("edits: clear sends the blank that truncates, and formats do not refuse it")
{
    auto r = base_request();
    r.emails.update(safeshepherd::email_id{123}, {.address = restschema::clear});
    r.first_name = restschema::clear;
    CHECK(restschema::validate_request<safeshepherd::update_user>(r, "v2").has_value());
    CHECK(restschema::serialize(r) ==
          R"({"secret":"TOP SECRET","first_name":"","emails":[{"id":123,"address":""}]})");
    // Not blank, the format still applies.
    auto bad = base_request();
    bad.emails.update(safeshepherd::email_id{123}, {.address = "nope"});
    auto v = restschema::validate_request<safeshepherd::update_user>(bad, "v2");
    REQUIRE_FALSE(v.has_value());
    CHECK(paths(v.error()) == "emails[0].address: is not a valid email: \"nope\"\n");
}

TEST_CASE("edits: append, update, destroy and truncate against the mock; an unknown id is the server's error")
{
    restschema::mock_options mo;
    mo.credentials = {{"api_key", "key-edits"}, {"api_secret", "secret-edits"}};
    restschema::mock_server<safeshepherd::endpoints> mock(mo);
    mock.start();
    restschema::client_options co;
    co.base_url = mock.base_url();
    co.credentials = {{"api_key", "key-edits"}, {"api_secret", "secret-edits"}};
    co.retry.initial_backoff = 10ms;
    restschema::client<safeshepherd::service> api(co);

    auto r = base_request();
    r.middle_name = restschema::clear;
    r.phone_numbers.append({.number = "5550100"});
    r.phone_numbers.update(safeshepherd::phone_number_id{123}, {.number = "5550123"});
    r.phone_numbers.destroy(safeshepherd::phone_number_id{124});
    auto u = api.try_call(r);
    REQUIRE_MESSAGE(u.has_value(), u.error().what());
    CHECK(u->middle_name == ""); // truncated (the seed record has "Lee")
    REQUIRE(u->phone_numbers);
    REQUIRE(u->phone_numbers->size() == 2);
    CHECK(u->phone_numbers->at(0).id == 123);
    CHECK(u->phone_numbers->at(0).number == "5550123");
    CHECK(u->phone_numbers->at(1).number == "5550100");
    auto const fresh = restschema::id_of(u->phone_numbers->at(1));
    REQUIRE(fresh.has_value());
    CHECK(*fresh != safeshepherd::phone_number_id{123});

    // The id of the new item, taken from the answer, updates it.
    auto again = base_request();
    again.phone_numbers.update(*fresh, {.number = "5550111"});
    auto u2 = api.try_call(again);
    REQUIRE_MESSAGE(u2.has_value(), u2.error().what());
    CHECK(u2->phone_numbers->at(1).number == "5550111");

    // 124 is gone: only the server knows, and says so with its 400 row.
    auto stale = base_request();
    stale.phone_numbers.destroy(safeshepherd::phone_number_id{124});
    stale.first_name = "Not applied";
    auto e = api.try_call(stale);
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().http_status == 400);
    CHECK(e.error().api_error<safeshepherd::update_user_error>() ==
          safeshepherd::update_user_error::bad_request);
    INFO(e.error().body);
    CHECK(e.error().body.find("phone_numbers[0]: no item with id 124 to delete") != std::string::npos);
    CHECK_FALSE(e.error().retryable);
    // Nothing of a refused update was applied.
    auto after = api.try_call(base_request());
    REQUIRE(after.has_value());
    CHECK(after->first_name == "Tommy");
    CHECK(after->phone_numbers->size() == 2);
}

} // namespace test_edits
