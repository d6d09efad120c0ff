// The generic codec on the generated Safe Shepherd and Attestr types.
#include <restschema/codec.hpp>
#include <restschema/detail/runtime_type.hpp>
#include <restschema/impl/codec.hpp> // detail::parse_json_text
#include <restschema/validate.hpp>

#include <restschema/gen/attestr.hpp>
#include <restschema/gen/edgy.hpp>
#include <restschema/gen/safeshepherd.extras.hpp>
#include <restschema/gen/wide.extras.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>

// Every name of this file is in namespace test_codec: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_codec {

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
    req.addresses = restschema::list_edits<safeshepherd::address>::from_wire({addr});
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
    // strict: "cousin" is refused (leniently it reads as alias_type::unrecognized)
    auto r = restschema::try_from_json<safeshepherd::user>(jv.at("user"), {.strict = true, .path = "user"});
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

// ---------------------------------------------------------------- the direct path and its rules

namespace {

/// Decodes `text` both ways (direct, and parse + DOM) and checks that they agree.
template <class T>
restschema::result<T> both(std::string_view text, restschema::decode_options const& opt = {})
{
    auto direct = restschema::try_parse<T>(text, opt);
    auto const jv = restschema::detail::parse_json_text(text, opt); // boost::json::parse, exact doubles
    if (!jv) {
        CHECK_FALSE(direct.has_value());
        return direct;
    }
    auto dom = restschema::try_from_json<T>(*jv, opt);
    CHECK_MESSAGE(direct.has_value() == dom.has_value(), text);
    if (direct && dom) {
        auto a = restschema::try_serialize(*direct);
        auto b = restschema::try_serialize(*dom);
        CHECK(a.has_value() == b.has_value());
        if (a && b)
            CHECK(*a == *b);
    }
    return direct;
}

std::string first_message(restschema::error const& e)
{
    return e.problems.empty() ? e.message : e.problems.front().message;
}

} // namespace

TEST_CASE("codec: the direct decoder reads the Safe Shepherd example exactly as the DOM path does")
{
    auto const text =
        std::string(restschema::endpoint_docs<safeshepherd::update_user>::response_example_json);
    auto direct = restschema::try_parse<safeshepherd::user>(text, {.path = "user", .envelope = "user"});
    REQUIRE_MESSAGE(direct.has_value(), direct.error().what());
    auto dom = restschema::try_from_json<safeshepherd::user>(seed_example().at("user"));
    REQUIRE(dom.has_value());
    CHECK(restschema::serialize(*direct) == restschema::serialize(*dom));
    CHECK(restschema::serialize(*direct) == boost::json::serialize(restschema::to_json(*dom)));
    CHECK(direct->records.value().at(0).reference_id == "000560228488");
}

TEST_CASE("codec: an envelope that is missing or not an object is named")
{
    auto r = restschema::try_parse<safeshepherd::user>(R"({"usr":{"id":1}})",
                                                       {.path = "user", .envelope = "user"});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == R"(expected an object with a "user" member)");
    CHECK(r.error().problems.at(0).path.empty());
    auto a = restschema::try_parse<safeshepherd::user>(R"([1])", {.path = "user", .envelope = "user"});
    REQUIRE_FALSE(a.has_value());
    CHECK(a.error().message == R"(expected an object with a "user" member, found array)");
}

TEST_CASE("codec regression: an integer field refuses float literals instead of rounding them")
{
    // 9007199254740993.0 is 2^53 + 1: as a double it rounds to 2^53.
    auto r = both<safeshepherd::record>(R"({"id": 9007199254740993.0})");
    REQUIRE_FALSE(r.has_value());
    CHECK(first_message(r.error()) == "expected integer, found number 9007199254740992.0");
    CHECK_FALSE(both<safeshepherd::record>(R"({"id": 12.0})").has_value());
    CHECK_FALSE(both<safeshepherd::record>(R"({"id": 1e3})").has_value());
    CHECK(both<safeshepherd::record>(R"({"id": 9007199254740993})")->id == 9007199254740993);
}

TEST_CASE("codec regression: out-of-range integers read the same for + and -")
{
    auto pos = both<safeshepherd::record>(R"({"id": 99999999999999999999})");
    auto neg = both<safeshepherd::record>(R"({"id": -99999999999999999999})");
    auto big = both<safeshepherd::record>(R"({"id": 18446744073709551615})");
    REQUIRE_FALSE(pos.has_value());
    REQUIRE_FALSE(neg.has_value());
    REQUIRE_FALSE(big.has_value());
    std::string const want = "integer out of range (-9223372036854775808..9223372036854775807)";
    CHECK(first_message(pos.error()) == want);
    CHECK(first_message(neg.error()) == want);
    CHECK(first_message(big.error()) == want);
}

TEST_CASE("codec regression: a request string that is not UTF-8 is refused by validation and never sent")
{
    safeshepherd::update_user_request req;
    req.first_name = std::string("Jos\xe9"); // Latin-1, not UTF-8
    restschema::version_context const ctx{safeshepherd::service::versions,
                                          safeshepherd::service::default_version};
    req.id = 12; // the required path parameters
    req.integration_name = "acme";
    req.secret = "s";
    auto const problems = restschema::validate(req, ctx);
    REQUIRE_MESSAGE(problems.size() == 1, problems.at(0).path);
    CHECK(problems[0].path == "first_name");
    CHECK(problems[0].message == "is not valid UTF-8 (byte 0xe9 at offset 3)");
    auto text = restschema::try_serialize(req);
    REQUIRE_FALSE(text.has_value());
    CHECK(text.error().message == "first_name: is not valid UTF-8 (byte 0xe9 at offset 3)");
    CHECK_THROWS_AS((void)restschema::to_json(req), restschema::exception);
    // valid UTF-8, control characters included, is escaped as Boost.JSON does
    req.first_name = std::string("Jos\xc3\xa9 \"\x01\"");
    CHECK(restschema::serialize(req) == "{\"secret\":\"s\",\"first_name\":\"Jos\xc3\xa9 \\\"\\u0001\\\"\"}");
    CHECK(restschema::serialize(req) == boost::json::serialize(restschema::to_json(req)));
}

TEST_CASE("codec regression: NaN and infinity are refused, doubles take their shortest form")
{
    edgy::api::link l;
    l.href = "https://example.com/";
    l.linux_ = std::numeric_limits<double>::quiet_NaN();
    auto nan = restschema::try_serialize(l);
    REQUIRE_FALSE(nan.has_value());
    CHECK(nan.error().message == "linux: is not a finite number (JSON has none)");
    l.linux_ = std::numeric_limits<double>::infinity();
    CHECK_FALSE(restschema::try_serialize(l).has_value());
    CHECK_THROWS_AS((void)restschema::to_json(l), restschema::exception);
    restschema::version_context const ctx{edgy::api::service::versions, "v2"};
    auto const problems = restschema::validate(l, ctx);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message == "is not a finite number (JSON has none)");

    l.linux_ = 1.5;
    CHECK(restschema::serialize(l) == R"({"href":"https://example.com/","linux":1.5})");
    l.linux_ = 0.1;
    CHECK(restschema::serialize(l).find("\"linux\":0.1}") != std::string::npos);
    l.linux_ = 100.0; // stays a JSON number with a fraction, so it reads back as a double
    CHECK(restschema::serialize(l).find("\"linux\":100.0}") != std::string::npos);
    l.linux_ = 1e300;
    CHECK(restschema::serialize(l).find("\"linux\":1e+300}") != std::string::npos);
    auto back = both<edgy::api::link>(restschema::serialize(l));
    REQUIRE(back.has_value());
    CHECK(back->linux_ == 1e300);
    // messages print doubles the same way
    auto r = both<safeshepherd::record>(R"({"id": 1.5})");
    REQUIRE_FALSE(r.has_value());
    CHECK(first_message(r.error()) == "expected integer, found number 1.5");
}

TEST_CASE("codec regression: unknown data nested deeper than 31 levels below a known key is skipped")
{
    std::string deep;
    for (int i = 0; i < 100; ++i)
        deep += "[";
    for (int i = 0; i < 100; ++i)
        deep += "]";
    auto r = both<safeshepherd::record>(R"({"id": 7, "extra": {"x": )" + deep + "}}");
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->id == 7);
    // beyond max_depth (128 by default, which a caller can raise) a clear error
    std::string deeper(200, '[');
    deeper += std::string(200, ']');
    auto too = restschema::try_parse<safeshepherd::record>(R"({"id": 7, "extra": )" + deeper + "}");
    REQUIRE_FALSE(too.has_value());
    CHECK(too.error().message.find("nested deeper than 128 levels (decode_options::max_depth)") !=
          std::string::npos);
    CHECK(restschema::try_parse<safeshepherd::record>(R"({"id": 7, "extra": )" + deeper + "}",
                                                      {.max_depth = 256})
              .has_value());
}

TEST_CASE("codec regression: syntax errors say where (line, column, byte) and what")
{
    struct {
        std::string_view text;
        std::string_view message;
    } const cases[] = {
        {"{\"id\": 1,", "invalid JSON at line 1, column 10 (byte 9): unexpected end of input"},
        {"{\"id\":\n  1 }x", "invalid JSON at line 2, column 6 (byte 12): more data after the JSON value"},
        {"{\"id\": tru}",
         "invalid JSON at line 1, column 8 (byte 7): invalid literal \"tru\" (JSON has true, "
         "false and null; strings are quoted)"},
        {"{\"id\": 1,}", "invalid JSON at line 1, column 10 (byte 9): unexpected character '}'"},
        {"{\"name\": \"a\xff\"}", "invalid JSON at line 1, column 12 (byte 11): invalid UTF-8 byte 0xff"},
        {"{\"name\": \"a\nb\"}",
         "invalid JSON at line 1, column 12 (byte 11): unexpected control character 0x0a "
         "(escape it inside a string)"},
        // a lone surrogate is named where the low half should start, or at the lone low half
        {"{\"name\": \"\\ud800\"}",
         "invalid JSON at line 1, column 17 (byte 16): invalid \\u escape: a lone UTF-16 surrogate"},
        {"{\"name\": \"\\udc00\"}",
         "invalid JSON at line 1, column 11 (byte 10): invalid \\u escape: a lone UTF-16 surrogate"},
        {"{\"name\": \"\\ud800\\u0041\"}",
         "invalid JSON at line 1, column 17 (byte 16): invalid \\u escape: a lone UTF-16 surrogate"},
        {"{\"name\": \"\\u12g4\"}",
         "invalid JSON at line 1, column 15 (byte 14): invalid \\u escape: expected a hex digit"},
        {"{\"name\": \"a\\x\"}", R"(invalid JSON at line 1, column 12 (byte 11): invalid escape "\x" )"
                                 R"((JSON has \" \\ \/ \b \f \n \r \t \uXXXX))"},
        {"{\"id\": 01}", "invalid JSON at line 1, column 9 (byte 8): unexpected character '1'"},
        {"{\"id\": -}", "invalid JSON at line 1, column 9 (byte 8): unexpected character '}'"},
        {"{\"id\": 1.}", "invalid JSON at line 1, column 10 (byte 9): unexpected character '}'"},
        {"{\"id\": 1e99999999999}", "invalid JSON at line 1, column 8 (byte 7): number exponent too large"},
        {"{\"id\" 1}", "invalid JSON at line 1, column 7 (byte 6): unexpected character '1'"},
        {"[1 2]", "invalid JSON at line 1, column 4 (byte 3): unexpected character '2'"},
        {"{\"id\": nul", "invalid JSON at line 1, column 11 (byte 10): unexpected end of input"},
        {"{\"name\": \"\xc3\x28\"}", "invalid JSON at line 1, column 11 (byte 10): invalid UTF-8 byte 0xc3"},
        {"{\"name\": \"\xed\xa0\x80\"}",
         "invalid JSON at line 1, column 11 (byte 10): invalid UTF-8 byte 0xed"},
        {"", "invalid JSON at line 1, column 1 (byte 0): unexpected end of input"},
    };
    for (auto const& c : cases) {
        CAPTURE(c.text);
        auto r = restschema::try_parse<safeshepherd::record>(c.text);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == restschema::error_kind::decode);
        CHECK(r.error().message == c.message);
    }
}

TEST_CASE("codec regression: max_problems = 0 fails instead of returning a default object")
{
    auto r = both<safeshepherd::record>(R"({"id": "x", "age": "y"})", {.max_problems = 0});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().problems.empty());
    CHECK(r.error().message == "2 problems (none listed: decode_options::max_problems is 0)");
}

TEST_CASE("codec regression: a cut list of problems says so, and what() prints the first problem once")
{
    std::string text = R"({"id": 1, "relations": [)";
    for (int i = 0; i < 40; ++i)
        text += (i ? ",1" : "1");
    text += "]}";
    auto r = both<safeshepherd::record>(text);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().problems.size() == 32);
    CHECK(r.error().message ==
          "relations[0]: expected string, found integer (40 problems in all; the first 32 are listed)");
    auto two = both<safeshepherd::record>(R"({"id": "x", "age": "y"})");
    REQUIRE_FALSE(two.has_value());
    auto const what = two.error().what();
    CHECK(what == "response could not be decoded: id: expected integer, found string (and 1 more)\n  age: "
                  "expected integer, found "
                  "string");
}

TEST_CASE("codec regression: keys holding dots or brackets are quoted in paths")
{
    auto r = both<safeshepherd::record>(R"({"id": 1, "a.b": 1, "c[0]": 2, "q\"": 3})", {.strict = true});
    REQUIRE_FALSE(r.has_value());
    std::vector<std::string> paths;
    for (auto const& p : r.error().problems)
        paths.push_back(p.path);
    std::sort(paths.begin(), paths.end());
    CHECK(paths == std::vector<std::string>{R"(["a.b"])", R"(["c[0]"])", R"(["q\""])"});
}

TEST_CASE("codec regression: exactly_one_of is checked when a response is decoded")
{
    auto none = both<safeshepherd::service_event>(R"({})");
    REQUIRE_FALSE(none.has_value());
    CHECK(first_message(none.error()) ==
          "exactly one of activated_service_on, deactivated_service_on must be set, found 0");
    auto two = both<safeshepherd::user>(
        R"({"id": 1, "service_history": [{"activated_service_on": "2012/05/27 )"
        R"(00:46:39 +0000", "deactivated_service_on": "2012/05/30 00:46:39 +0000"}]})");
    REQUIRE_FALSE(two.has_value());
    CHECK(two.error().problems.at(0).path == "service_history[0]");
    CHECK(both<safeshepherd::service_event>(R"({"activated_service_on": "2012/05/27 00:46:39 +0000"})")
              .has_value());
}

TEST_CASE("codec regression: an enum value the schema does not list reads as unrecognized, not a failure")
{
    auto r = both<safeshepherd::alias>(R"({"id": 1, "alias_type": "cousin"})");
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->alias_type == safeshepherd::alias_type::unrecognized);
    static_assert(restschema::enum_info<safeshepherd::alias_type>::unrecognized ==
                  safeshepherd::alias_type::unrecognized);
    // strict decoding, and the mock's request decoding, refuse it
    CHECK_FALSE(both<safeshepherd::alias>(R"({"alias_type": "cousin"})", {.strict = true}).has_value());
    auto refused = both<safeshepherd::alias>(R"({"alias_type": "cousin"})", {.accept_unrecognized = false});
    REQUIRE_FALSE(refused.has_value());
    CHECK(first_message(refused.error()) == R"(expected one of nickname|maiden, found "cousin")");
    // a request never sends it
    safeshepherd::update_user_request req;
    req.aliases.append({.alias_type = safeshepherd::alias_type::unrecognized});
    req.id = 12;
    req.integration_name = "acme";
    req.secret = "s";
    restschema::version_context const ctx{safeshepherd::service::versions,
                                          safeshepherd::service::default_version};
    auto const problems = restschema::validate(req, ctx);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "aliases[0].alias_type");
    CHECK(problems[0].message == "is not a value of AliasType");
    CHECK_FALSE(restschema::try_serialize(req).has_value());
}

TEST_CASE("codec: a repeated key takes its last value on both paths")
{
    auto r = both<safeshepherd::record>(R"({"id": "bad", "name": "a", "id": 5, "name": "b"})");
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->id == 5);
    CHECK(r->name == "b");
}

TEST_CASE("codec: a repeated key is read again without the DOM; its earlier value and problems are gone")
{
    // Regression guard for the direct path's last_wins pass, which replaced
    // the DOM fallback (issue 9): an earlier occurrence leaves nothing behind.
    auto r = both<safeshepherd::record>(
        R"({"id": 1, "name": "a", "age": 7, "relations": ["x", 1], "name": null, "age": null, "relations": ["y"]})");
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK_FALSE(r->name.has_value()); // optional: a later null reads as absent
    CHECK(r->age.is_null());          // nullable: a later null is null
    CHECK(r->relations == std::vector<std::string>{"y"});

    // max_problems = 0 keeps no problem, yet the forgotten one must not fail the call
    CHECK(both<safeshepherd::record>(R"({"id": "x", "id": 2})", {.max_problems = 0}).has_value());
    // problems elsewhere stay, counted once
    auto bad = both<safeshepherd::record>(R"({"id": "x", "age": "y", "id": "z"})");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().problems.size() == 2);
    // a repeated envelope: the last one is the body
    auto env = both<safeshepherd::record>(R"({"user": {"id": "x", "name": "a"}, "user": {"id": 3}})",
                                          {.path = "user", .envelope = "user"});
    REQUIRE_MESSAGE(env.has_value(), env.error().what());
    CHECK(env->id == 3);
    CHECK_FALSE(env->name.has_value());
    // what the direct path reads is kept to max_problems after forgetting
    auto many = restschema::try_parse<safeshepherd::record>(
        R"({"id": "a", "name": 1, "site": 2, "status": 3, "id": "b"})", {.max_problems = 2});
    REQUIRE_FALSE(many.has_value());
    CHECK(many.error().problems.size() == 2);
    CHECK(many.error().message ==
          "name: expected string, found integer (4 problems in all; the first 2 are listed)");
}

TEST_CASE("codec: free-form JSON fields keep their subtree; unknown keys are skipped at any depth")
{
    auto r = both<edgy::api::link>(
        R"({"href": "https://x.example/", "_private": {"a": [1, 2.5, "s\u00e9", null, true, {"k": {}}]},)"
        R"( "unknown": {"deep": [{"x": [[[{"y": 1}]]]}]}})");
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    REQUIRE(r->private_.has_value());
    CHECK(boost::json::serialize(*r->private_) == "{\"a\":[1,2.5E0,\"s\xc3\xa9\",null,true,{\"k\":{}}]}");
    CHECK(
        restschema::serialize(*r) ==
        "{\"href\":\"https://x.example/\",\"_private\":{\"a\":[1,2.5,\"s\xc3\xa9\",null,true,{\"k\":{}}]}}");
}

TEST_CASE("codec: strings with escapes, accept kinds and nested lists decode directly")
{
    auto r =
        both<edgy::api::link>(R"({"delete": true, "errno": "42", "x": 1.25, "link": "a\"b\\c\n\u0041"})");
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->errno_ == 42);
    CHECK(r->custom_x == "1.25");
    CHECK(r->link_ == "a\"b\\c\nA");
    auto h =
        both<edgy::api::holder>(R"({"link": {"delete": false}, "grid": [[1, 2], [], [3]], "empty": null})");
    REQUIRE_MESSAGE(h.has_value(), h.error().what());
    CHECK(h->grid == std::vector<std::vector<std::int64_t>>{{1, 2}, {}, {3}});
    CHECK(h->empty.is_null());
    auto bad = both<edgy::api::holder>(R"({"link": {"delete": false}, "grid": [[1, "x"]], "empty": null})");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().problems.at(0).path == "grid[0][1]");
}

// Found by fuzz_decode: Boost.JSON 1.81 reads "-73e73" one ULP off, so the
// shortest form the encoder wrote did not read back as the same double.
TEST_CASE("codec regression: doubles are read exactly, so the shortest form round-trips")
{
    auto a = restschema::try_parse<boost::json::value>("-73e73");
    auto b = restschema::try_parse<boost::json::value>("-7.3e+74");
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK(a->get_double() == -7.3e74);
    CHECK(*a == *b);
    CHECK(restschema::serialize(*a) == "-7.3e+74");
    edgy::api::link l;
    l.href = "https://example.com/";
    for (double d : {-7.3e74, 0.1, 1e-300, 123456.789, 5e-324, 1.7976931348623157e308}) {
        l.linux_ = d;
        auto back = restschema::try_parse<edgy::api::link>(restschema::serialize(l));
        REQUIRE(back.has_value());
        CHECK(back->linux_ == d);
    }
}

// ---------------------------------------------------------------- maps (map<string, T>)

namespace {

using edgy_kind = edgy::api::kind;

/// Holder's required members, then `rest` (a JSON object's members, or "").
std::string holder_json(std::string const& rest)
{
    return R"({"link": {"delete": true}, "empty": null)" + (rest.empty() ? "" : ", " + rest) + "}";
}

/// The problems of decoding `text` as T, direct and DOM, as sorted "path: message" lines; both must agree.
template <class T>
std::string problems_both(std::string const& text, restschema::decode_options const& opt = {})
{
    auto const direct = restschema::try_parse<T>(text, opt);
    auto const jv = restschema::detail::parse_json_text(text, opt);
    REQUIRE(jv.has_value());
    auto const dom = restschema::try_from_json<T>(*jv, opt);
    auto lines = [](auto const& r) {
        std::vector<std::string> out;
        if (!r)
            for (auto const& p : r.error().problems)
                out.push_back(p.path + ": " + p.message);
        std::sort(out.begin(), out.end());
        return out;
    };
    CHECK(lines(direct) == lines(dom));
    std::string joined;
    for (auto const& l : lines(direct))
        joined += l + "\n";
    return joined;
}

} // namespace

TEST_CASE("codec: maps decode every key, into std::map, on both paths")
{
    static_assert(
        std::is_same_v<decltype(edgy::api::holder::tags), std::optional<std::map<std::string, edgy_kind>>>);
    static_assert(restschema::detail::runtime_type_of<std::map<std::string, std::int64_t>>.kind ==
                  restschema::detail::value_kind::map);
    auto h = both<edgy::api::holder>(
        holder_json(R"("tags": {"b": "class", "a.b": "in-progress", "": "1st"},)"
                    R"( "by_name": {"x": [{"href": "https://e.example/", "_private": {"pin": 1}}], "y": []},)"
                    R"( "rows": [{"n": 1, "m": -2}, {}])"));
    REQUIRE_MESSAGE(h.has_value(), h.error().what());
    CHECK(*h->tags == std::map<std::string, edgy_kind>{
                          {"", edgy_kind::f_1st}, {"a.b", edgy_kind::in_progress}, {"b", edgy_kind::class_}});
    REQUIRE(h->by_name.has_value());
    CHECK(h->by_name->size() == 2);
    CHECK(h->by_name->at("x").at(0).href == "https://e.example/");
    CHECK(h->by_name->at("y").empty());
    REQUIRE(h->rows.has_value());
    CHECK(*h->rows == std::vector<std::map<std::string, std::int64_t>>{{{"m", -2}, {"n", 1}}, {}});

    // An empty object is an empty map; null: an optional map is absent, a nullable one null.
    auto e = both<edgy::api::holder>(holder_json(R"("tags": {}, "by_name": null)"));
    REQUIRE_MESSAGE(e.has_value(), e.error().what());
    CHECK(e->tags.has_value());
    CHECK(e->tags->empty());
    CHECK(e->by_name.is_null());
    auto n = both<edgy::api::holder>(holder_json(R"("tags": null)"));
    REQUIRE(n.has_value());
    CHECK_FALSE(n->tags.has_value());
    CHECK_FALSE(n->by_name.is_present());
}

TEST_CASE("codec: maps encode in key order with escaped keys, and round-trip")
{
    edgy::api::holder h;
    h.link.delete_ = true;
    h.empty = restschema::null;
    h.tags = {{"z", edgy_kind::delete_}, {"a\"\n\\", edgy_kind::upper_case}, {"", edgy_kind::class_}};
    h.by_name = std::map<std::string, std::vector<edgy::api::link>>{{"k", {edgy::api::link{}}}, {"j", {}}};
    h.by_name->at("k")[0].delete_ = false;
    h.rows = {{{"b", 2}, {"a", 1}}};
    auto const text = restschema::serialize(h);
    CHECK(text ==
          R"({"link":{"delete":true},"empty":null,"tags":{"":"class","a\"\n\\":"Upper Case","z":"delete"},)"
          R"("by_name":{"j":[],"k":[{"delete":false}]},"rows":[{"a":1,"b":2}]})");
    CHECK(boost::json::serialize(restschema::to_json(h)) == text); // the DOM encoder, the same order
    auto back = both<edgy::api::holder>(text);
    REQUIRE_MESSAGE(back.has_value(), back.error().what());
    CHECK(back->tags == h.tags);
    CHECK(restschema::serialize(*back) == text);

    // What JSON cannot hold is refused with the entry's path, key or value.
    h.tags = {{"bad\xff", edgy_kind::class_}};
    auto bad_key = restschema::try_serialize(h);
    REQUIRE_FALSE(bad_key.has_value());
    CHECK(bad_key.error().problems.at(0).path == "tags[\"bad\xff\"]"); // the byte as it is
    CHECK_THROWS_AS(restschema::to_json(h), restschema::exception);
    h.tags = {{"ok", edgy_kind::class_}};
    h.by_name->at("k")[0].linux_ = std::nan("");
    auto bad_value = restschema::try_serialize(h);
    REQUIRE_FALSE(bad_value.has_value());
    CHECK(bad_value.error().message == "by_name.k[0].linux: is not a finite number (JSON has none)");
}

TEST_CASE("codec: problems inside maps name the key, quoted as other keys are")
{
    CHECK(problems_both<edgy::api::holder>(
              holder_json(R"("tags": {"ok": "class", "a.b": 5, "n": null}, "by_name": {"k": [{"href": 1}]},)"
                          R"( "rows": [{"x": "s"}])")) ==
          "by_name.k[0].href: expected string, found integer\n"
          "by_name.k[0]: exactly one of href, delete must be set, found 0\n"
          "rows[0].x: expected integer, found string\n"
          "tags.n: expected string, found null\n"
          "tags[\"a.b\"]: expected string, found integer\n");
    CHECK(problems_both<edgy::api::holder>(holder_json(R"("tags": ["class"], "rows": [1])")) ==
          "rows[0]: expected object, found integer\n"
          "tags: expected object, found array\n");
    CHECK(problems_both<edgy::api::holder>(holder_json(R"("tags": {"": 1}, "by_name": {"": {"q": 1}})")) ==
          "by_name[\"\"]: expected array, found object\n"
          "tags[\"\"]: expected string, found integer\n");
    // An enum value the schema does not list, in a map: unrecognized, or refused where asked.
    auto u = both<edgy::api::holder>(holder_json(R"("tags": {"a": "new-kind"})"));
    REQUIRE(u.has_value());
    CHECK(u->tags->at("a") == edgy_kind::unrecognized);
    CHECK(problems_both<edgy::api::holder>(holder_json(R"("tags": {"a": "new-kind"})"),
                                           {.accept_unrecognized = false}) ==
          "tags.a: expected one of class|1st|in-progress|delete|Upper Case, found \"new-kind\"\n");
}

TEST_CASE("codec: a map key given twice takes its last value, on both paths, as a repeated member does")
{
    auto r = both<edgy::api::holder>(holder_json(
        R"("tags": {"a": "class", "b": "1st", "a": "delete"}, "by_name": {"k": [{"href": "https://x/"}], "k": [{"delete": true}]})"));
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(*r->tags == std::map<std::string, edgy_kind>{{"a", edgy_kind::delete_}, {"b", edgy_kind::f_1st}});
    auto const& k = r->by_name->at("k");
    REQUIRE(k.size() == 1); // replaced, not merged
    CHECK(k[0].delete_ == true);
    CHECK_FALSE(k[0].href.has_value());
    // an earlier bad value of the key does not count: only the last one is read
    CHECK(both<edgy::api::holder>(holder_json(R"("tags": {"a": 5, "a": "class"})")).has_value());
}

TEST_CASE("codec: maps count toward max_depth, and unknown keys around them are still skipped")
{
    std::string const deep = std::string(200, '[') + std::string(200, ']');
    auto too = restschema::try_parse<edgy::api::holder>(
        holder_json(R"("by_name": {"k": [{"delete": true, "_private": )" + deep + "}]}"));
    REQUIRE_FALSE(too.has_value());
    CHECK(too.error().message.find("nested deeper than 128 levels") != std::string::npos);
    // rows[0] is at depth 3: {"rows": [{ ... }]}
    CHECK(restschema::try_parse<edgy::api::holder>(holder_json(R"("rows": [{"a": 1}])"), {.max_depth = 3})
              .has_value());
    CHECK_FALSE(
        restschema::try_parse<edgy::api::holder>(holder_json(R"("rows": [{"a": {}}])"), {.max_depth = 3})
            .has_value());

    auto const text =
        R"({"link": {"delete": true, "zzz": {"a": [1]}}, "empty": null, "unknown": {"q": [{}]},)"
        R"( "tags": {"q": "class"}})";
    auto r = both<edgy::api::holder>(text);
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->tags->at("q") == edgy_kind::class_);
    // strict: the unknown members are refused, a map's keys never are
    CHECK(problems_both<edgy::api::holder>(text, {.strict = true}) ==
          "link.zzz: unknown field\nunknown: unknown field\n");
}

TEST_CASE("codec: sensitive members inside maps are redacted in logged bodies")
{
    edgy::api::holder h;
    h.link.delete_ = true;
    h.empty = restschema::null;
    h.by_name = std::map<std::string, std::vector<edgy::api::link>>{{"k", {edgy::api::link{}}}};
    h.by_name->at("k")[0].delete_ = true;
    h.by_name->at("k")[0].private_ = boost::json::value{{"pin", 1234}};
    std::string logged;
    REQUIRE(restschema::detail::encode_text(restschema::detail::runtime_type_of<edgy::api::holder>, &h,
                                            logged, true)
                .has_value());
    CHECK(logged ==
          R"({"link":{"delete":true},"empty":null,"by_name":{"k":[{"delete":true,"_private":"***"}]}})");
    CHECK(restschema::serialize(h).find("1234") != std::string::npos); // sent as it is
}

TEST_CASE("validate: values inside maps are validated, at paths naming their keys")
{
    edgy::api::holder h;
    h.link.delete_ = true;
    h.empty = restschema::null;
    h.tags = {{"a.b", static_cast<edgy_kind>(99)}, {"ok", edgy_kind::class_}};
    h.by_name = std::map<std::string, std::vector<edgy::api::link>>{{"k", {edgy::api::link{}}}};
    h.by_name->at("k")[0].href = "not a uri";
    h.by_name->at("k")[0].mail = "nope";
    h.rows = {{{"bad\xfe", 1}}};
    restschema::version_context const ctx{edgy::api::service::versions, edgy::api::service::default_version};
    std::string got;
    for (auto const& p : restschema::validate(h, ctx))
        got += p.path + ": " + p.message + "\n";
    CHECK(got == "tags[\"a.b\"]: is not a value of Kind\n"
                 "by_name.k[0].href: is not a valid URI: \"not a uri\"\n"
                 "by_name.k[0].mail: is not a valid email: \"nope\"\n"
                 "rows[0][\"bad\xfe\"]: key is not valid UTF-8 (byte 0xfe at offset 3)\n");
}

} // namespace test_codec
