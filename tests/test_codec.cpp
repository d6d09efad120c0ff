// The generic codec on the generated Safe Shepherd and Attestr types.
#include <restschema/codec.hpp>

#include <restschema/gen/attestr.hpp>
#include <restschema/gen/safeshepherd.extras.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

namespace {

boost::json::value seed_example()
{
    return boost::json::parse(restschema::endpoint_docs<safeshepherd::update_user>::response_example_json);
}

} // namespace

TEST_CASE("codec: the Safe Shepherd example response decodes to the values on the page")
{
    auto const jv = seed_example();
    auto r = restschema::try_from_json<safeshepherd::user>(jv.at("user"), {.path = "user"});
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    auto const& u = *r;
    CHECK(u.id == 12);
    CHECK(u.secret == "TOP SECRET"); // documented Integer, returned as a string
    CHECK(u.birth_date.is_null());
    CHECK(u.first_name == "Tommy");
    CHECK(u.middle_name == "Lee");
    CHECK(u.last_name == "Jones");
    REQUIRE(u.aliases);
    CHECK(u.aliases->at(0).id == 123); // documented String, returned as a number
    CHECK(u.aliases->at(0).first_name == "Tom");
    CHECK(u.aliases->at(0).last_name == "Yorke");
    CHECK_FALSE(u.aliases->at(0).alias_type.has_value());
    REQUIRE(u.emails);
    CHECK(u.emails->at(0).address == "tom@example.com");
    REQUIRE(u.phone_numbers);
    CHECK(u.phone_numbers->size() == 2);
    CHECK(u.phone_numbers->at(1).id == 124);
    CHECK(u.phone_numbers->at(1).number == "2153331212");
    REQUIRE(u.addresses);
    auto const& a = u.addresses->at(0);
    CHECK(a.address1 == "123 N Jones Street");
    CHECK(a.address2.is_null());
    CHECK(a.zip == "91101");
    CHECK_FALSE(a.country.has_value()); // not in the example: absent
    REQUIRE(u.records);
    auto const& rec = u.records->at(0);
    CHECK(rec.id == 318);
    CHECK(rec.age.is_null());
    CHECK(rec.href.is_null());
    CHECK(rec.reference_id == "000560228488");              // leading zeros kept
    CHECK(rec.aliases == std::vector<std::string>{"Thom"}); // strings here, objects in user.aliases
    CHECK(rec.relations->size() == 2);
    CHECK(rec.locations->at(2) == "North Hollywood, CA");
    REQUIRE(u.links);
    CHECK(u.links->at(0).url == "http://github.com/hayesgm");
    CHECK(u.links->at(0).contains == std::vector<std::string>{"email", "address"});
    REQUIRE(u.service_history);
    REQUIRE(u.service_history->size() == 3);
    CHECK(u.service_history->at(0).activated_service_on == "2012/05/27 00:46:39 +0000");
    CHECK_FALSE(u.service_history->at(0).deactivated_service_on);
    CHECK(u.service_history->at(1).deactivated_service_on == "2012/05/30 00:46:39 +0000");
    CHECK_FALSE(u.service_history->at(1).activated_service_on);
    CHECK(u.is_scanning == false);
    CHECK(u.identification_on_file == true);
}

TEST_CASE("codec: the decoded example re-encodes to equivalent JSON")
{
    auto const jv = seed_example();
    auto const u = restschema::from_json<safeshepherd::user>(jv.at("user"));
    CHECK(restschema::to_json(u) == jv.at("user"));
}

TEST_CASE("codec: absent fields are not sent, an empty string is, null is null")
{
    safeshepherd::update_user_request req;
    req.id = 12; // a path parameter: never in the body
    req.secret = "s";
    req.middle_name = "";       // truncates on Safe Shepherd: must be sent
    safeshepherd::address addr; // nullable address2: absent, then null
    addr.id = 5;
    addr.destroy = true; // wire name "_destroy"
    req.addresses = std::vector{addr};
    auto jv = restschema::to_json(req);
    CHECK(boost::json::serialize(jv) ==
          R"({"secret":"s","middle_name":"","addresses":[{"id":5,"_destroy":true}]})");
    addr.address2 = restschema::null;
    CHECK(boost::json::serialize(restschema::to_json(addr)) == R"({"id":5,"address2":null,"_destroy":true})");
}

TEST_CASE("codec: unknown keys are ignored by default and rejected in strict mode")
{
    auto const jv = boost::json::parse(R"({"id":1,"number":"1","colour":"blue"})");
    CHECK(restschema::try_from_json<safeshepherd::phone_number>(jv).has_value());
    auto strict = restschema::try_from_json<safeshepherd::phone_number>(jv, {.strict = true});
    REQUIRE_FALSE(strict.has_value());
    CHECK(strict.error().problems.at(0).path == "colour");
    CHECK(strict.error().problems.at(0).message == "unknown field");
}

TEST_CASE("codec: decode errors carry the JSON path, the expected and the found kind")
{
    auto const jv = boost::json::parse(
        R"({"user":{"id":"twelve","addresses":[{"zip":91101}],"aliases":[{"alias_type":"cousin"}],"is_scanning":"no"}})");
    auto r = restschema::try_from_json<safeshepherd::user>(jv.at("user"), {.path = "user"});
    REQUIRE_FALSE(r.has_value());
    auto const& p = r.error().problems;
    REQUIRE(p.size() == 4);
    CHECK(p[0].path == "user.id");
    CHECK(p[0].message == "expected integer, found string");
    CHECK(p[1].path == "user.aliases[0].alias_type");
    CHECK(p[1].message == "expected one of nickname|maiden, found \"cousin\"");
    CHECK(p[2].path == "user.addresses[0].zip");
    CHECK(p[2].message == "expected string, found integer");
    CHECK(p[3].path == "user.is_scanning");
    CHECK(r.error().kind == restschema::error_kind::decode);
}

TEST_CASE("codec: a missing required field is reported, missing optional ones are not")
{
    auto r = restschema::try_from_json<safeshepherd::user>(boost::json::parse(R"({"first_name":"A"})"));
    REQUIRE_FALSE(r.has_value());
    REQUIRE(r.error().problems.size() == 1);
    CHECK(r.error().problems[0].path == "id");
    CHECK(r.error().problems[0].message == "missing required field");
}

TEST_CASE("codec: accepted kinds: digit strings for integer ids, numbers for string secrets")
{
    auto const jv = boost::json::parse(R"({"id":"123","number":"5"})");
    auto r = restschema::try_from_json<safeshepherd::phone_number>(jv);
    REQUIRE(r.has_value());
    CHECK(r->id == 123);
    auto u = restschema::try_from_json<safeshepherd::user>(boost::json::parse(R"({"id":1,"secret":4711})"));
    REQUIRE(u.has_value());
    CHECK(u->secret == "4711");
    // ...but not where the schema does not say so
    auto bad = restschema::try_from_json<safeshepherd::record>(boost::json::parse(R"({"id":"318"})"));
    CHECK_FALSE(bad.has_value());
}

TEST_CASE("codec: try_parse reports invalid JSON as a decode error")
{
    auto r = restschema::try_parse<safeshepherd::user>("{\"id\": 1,");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == restschema::error_kind::decode);
    CHECK(r.error().message.starts_with("invalid JSON"));
}

#include <restschema/gen/wide.extras.hpp>

TEST_CASE("codec: a type wider than one BOOST_DESCRIBE_STRUCT (60 fields) round-trips")
{
    // Boost 1.81's describe macros stop at 52 members; the generator splits
    // the struct into a base part and the type itself.
    static_assert(std::is_base_of_v<wide::sheet_part0, wide::sheet>);
    auto const jv = boost::json::parse(restschema::endpoint_docs<wide::put_sheet>::response_example_json);
    auto r = restschema::try_from_json<wide::sheet>(jv, {.strict = true});
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->col00 == "a"); // in the base part
    CHECK(r->col59 == "z"); // in the derived part
    CHECK(r->col07.is_null());
    CHECK(restschema::to_json(*r) == jv);

    auto bad = restschema::try_from_json<wide::sheet>(boost::json::parse(R"({"col00":"a","col58":7})"));
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().problems.at(0).path == "col58");
}
