// XML responses (issue 16): Rails' to_xml read into the generated types, and
// hostile XML refused with a clear error.
#include <restschema/client.hpp>
#include <restschema/mock.hpp>
#include <restschema/xml.hpp>

#include <restschema/gen/safeshepherd.extras.hpp>

#include "support/leak_watch.hpp"
#include "support/scripted_server.hpp"

#include <doctest/doctest.h>

#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

// Every name of this file is in namespace test_xml: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_xml {

namespace {

std::string read_fixture(char const* name)
{
    std::ifstream in(std::string(RESTSCHEMA_XML_FIXTURE_DIR) + "/" + name, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing " << name << ": the ctest set-up makes it with ruby-activesupport");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// "2012/05/27 00:46:39 +0000" as seconds since the epoch (the instant).
std::optional<std::int64_t> rails_instant(std::optional<std::string> const& s)
{
    if (!s)
        return std::nullopt;
    std::tm tm{};
    int off = 0;
    char sign = '+';
    if (std::sscanf(s->c_str(), "%d/%d/%d %d:%d:%d %c%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                    &tm.tm_min, &tm.tm_sec, &sign, &off) != 8)
        return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    auto const secs = static_cast<std::int64_t>(timegm(&tm));
    auto const off_s = (off / 100 * 3600 + off % 100 * 60) * (sign == '-' ? -1 : 1);
    return secs - off_s;
}

template <class T>
void same_list(std::optional<std::vector<T>> const& a, std::optional<std::vector<T>> const& b)
{
    REQUIRE(a.has_value() == b.has_value());
    if (a)
        CHECK(*a == *b);
}

void same_user(safeshepherd::user const& x, safeshepherd::user const& j)
{
    CHECK(x.id == j.id);
    CHECK(x.secret == j.secret);
    CHECK(x.birth_date.is_null() == j.birth_date.is_null());
    CHECK(x.birth_date.is_absent() == j.birth_date.is_absent());
    CHECK(x.first_name == j.first_name);
    CHECK(x.middle_name == j.middle_name);
    CHECK(x.last_name == j.last_name);
    CHECK(x.is_scanning == j.is_scanning);
    CHECK(x.identification_on_file == j.identification_on_file);

    REQUIRE(x.aliases->size() == j.aliases->size());
    for (std::size_t i = 0; i < j.aliases->size(); ++i) {
        auto const &a = (*x.aliases)[i], &b = (*j.aliases)[i];
        CHECK(a.id == b.id);
        CHECK(a.first_name == b.first_name);
        CHECK(a.last_name == b.last_name);
        CHECK(a.alias_type.has_value() == b.alias_type.has_value());
    }
    REQUIRE(x.emails->size() == j.emails->size());
    for (std::size_t i = 0; i < j.emails->size(); ++i) {
        CHECK((*x.emails)[i].id == (*j.emails)[i].id);
        CHECK((*x.emails)[i].address == (*j.emails)[i].address);
    }
    REQUIRE(x.phone_numbers->size() == j.phone_numbers->size());
    for (std::size_t i = 0; i < j.phone_numbers->size(); ++i) {
        CHECK((*x.phone_numbers)[i].id == (*j.phone_numbers)[i].id);
        CHECK((*x.phone_numbers)[i].number == (*j.phone_numbers)[i].number);
    }
    REQUIRE(x.addresses->size() == j.addresses->size());
    for (std::size_t i = 0; i < j.addresses->size(); ++i) {
        auto const &a = (*x.addresses)[i], &b = (*j.addresses)[i];
        CHECK(a.id == b.id);
        CHECK(a.address1 == b.address1);
        CHECK(a.address2.is_null() == b.address2.is_null());
        CHECK(a.city == b.city);
        CHECK(a.state == b.state);
        CHECK(a.zip == b.zip);
        CHECK(a.country == b.country);
    }
    REQUIRE(x.records->size() == j.records->size());
    for (std::size_t i = 0; i < j.records->size(); ++i) {
        auto const &a = (*x.records)[i], &b = (*j.records)[i];
        CHECK(a.id == b.id);
        CHECK(a.name == b.name);
        CHECK(a.site == b.site);
        CHECK(a.status == b.status);
        CHECK(a.age.is_null() == b.age.is_null());
        CHECK(a.href.is_null() == b.href.is_null());
        same_list(a.relations, b.relations);
        same_list(a.aliases, b.aliases);
        same_list(a.locations, b.locations);
        CHECK(a.reference_id == b.reference_id);
    }
    REQUIRE(x.links->size() == j.links->size());
    for (std::size_t i = 0; i < j.links->size(); ++i) {
        auto const &a = (*x.links)[i], &b = (*j.links)[i];
        CHECK(a.url == b.url);
        CHECK(a.title == b.title);
        same_list(a.contains, b.contains);
    }
    REQUIRE(x.service_history->size() == j.service_history->size());
    for (std::size_t i = 0; i < j.service_history->size(); ++i) {
        auto const &a = (*x.service_history)[i], &b = (*j.service_history)[i];
        // Times as instants: the XML has ISO 8601, the JSON the legacy Rails form.
        CHECK(rails_instant(a.activated_service_on) == rails_instant(b.activated_service_on));
        CHECK(rails_instant(a.deactivated_service_on) == rails_instant(b.deactivated_service_on));
        CHECK(a.activated_service_on.has_value() == b.activated_service_on.has_value());
        CHECK(a.deactivated_service_on.has_value() == b.deactivated_service_on.has_value());
    }
}

restschema::error xml_error(std::string_view text, restschema::decode_options opt = {},
                            std::size_t max = restschema::default_max_xml_size)
{
    auto r = restschema::try_parse_xml<safeshepherd::user>(text, opt, max);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == restschema::error_kind::decode);
    return r.error();
}

} // namespace

TEST_CASE("xml: Rails' to_xml of the Safe Shepherd example decodes equal to its JSON")
{
    auto const json = read_fixture("safeshepherd_user.json");
    auto const xml = read_fixture("safeshepherd_user.xml");
    // The fixture is ActiveSupport's: dasherized names, typed, nil and arrays as Rails writes them.
    REQUIRE(xml.find("<phone-numbers type=\"array\">") != std::string::npos);
    REQUIRE(xml.find("<birth-date nil=\"true\"/>") != std::string::npos);
    REQUIRE(xml.find("2012-05-27T00:46:39") != std::string::npos);

    auto from_json = restschema::try_parse<safeshepherd::user>(json, {.path = "user", .envelope = "user"});
    REQUIRE_MESSAGE(from_json.has_value(), from_json.error().message);
    auto from_xml = restschema::try_parse_xml<safeshepherd::user>(xml, {.path = "user", .envelope = "user"});
    REQUIRE_MESSAGE(from_xml.has_value(), from_xml.error().message);
    same_user(*from_xml, *from_json);
    // Not vacuous: the example has data in every list.
    CHECK(from_xml->phone_numbers->size() == 2);
    CHECK((*from_xml->records)[0].locations->size() == 3);
    CHECK((*from_xml->service_history)[1].deactivated_service_on == "2012/05/30 00:46:39 +0000");
    CHECK(from_xml->birth_date.is_null());
}

TEST_CASE("xml: conventions: underscored names, offsets, typed values, envelope as a child")
{
    auto r = restschema::try_parse_xml<safeshepherd::user>(R"(<?xml version="1.0"?>
<hash><user>
  <id type="integer">7</id>
  <first_name>Ann &amp; &lt;Bo&gt; &#233;</first_name>
  <secret type="integer">42</secret>
  <birth-date type="datetime">1946-09-22T00:00:00Z</birth-date>
  <unknown-thing><deep>x</deep></unknown-thing>
  <is-scanning type="boolean">true</is-scanning>
  <emails type="array"/>
  <service-history type="array">
    <service-history><activated-service-on type="dateTime">2012-05-27T02:46:39+02:00</activated-service-on></service-history>
  </service-history>
</user></hash>)",
                                                           {.path = "user", .envelope = "user"});
    REQUIRE_MESSAGE(r.has_value(), r.error().message);
    CHECK(r->id == 7);
    CHECK(r->first_name == "Ann & <Bo> \xc3\xa9");
    CHECK(r->secret == "42"); // accept: [integer], as from JSON
    CHECK(r->birth_date.value() == -734572800);
    CHECK(r->is_scanning == true);
    CHECK(r->emails->empty());
    CHECK((*r->service_history)[0].activated_service_on == "2012/05/27 02:46:39 +0200");
    CHECK(rails_instant((*r->service_history)[0].activated_service_on) == 1338079599);
}

TEST_CASE("xml: a value of the wrong type is the JSON decoder's error, with its XML place")
{
    auto e = xml_error("<user>\n  <id type=\"integer\">12</id>\n  <is-scanning>maybe</is-scanning>\n</user>",
                       {.path = "user", .envelope = "user"});
    CHECK(e.message.find("user.is_scanning: expected boolean, found string") != std::string::npos);
    CHECK(e.message.find("line 3, column 3") != std::string::npos);
    auto bad_int = xml_error("<user><id type=\"integer\">twelve</id></user>", {.envelope = "user"});
    CHECK(bad_int.message.find("id: expected an integer, found \"twelve\"") != std::string::npos);
    auto root = xml_error("<person><id>1</id></person>", {.envelope = "user"});
    CHECK(root.message.find("expected XML root element <user>, found <person>") != std::string::npos);
}

TEST_CASE("xml: hostile XML is refused with a clear error")
{
    SUBCASE("entity expansion (billion laughs)")
    {
        std::string doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n";
        for (int i = 1; i < 10; ++i)
            doc += " <!ENTITY lol" + std::to_string(i) + " \"" + [&] {
                std::string s;
                for (int k = 0; k < 10; ++k)
                    s += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
                return s;
            }() + "\">\n";
        doc += "]>\n<user><first-name>&lol9;</first-name></user>";
        auto e = xml_error(doc);
        CHECK(e.message.find("DOCTYPE declarations are refused") != std::string::npos);
        CHECK(e.message.find("line 2") != std::string::npos);
        // Expanded, &lol9; would be 3 GB of "lol": the process stays far below.
        rusage ru{};
        getrusage(RUSAGE_SELF, &ru);
        CHECK(ru.ru_maxrss < 512L * 1024); // KiB
    }
    SUBCASE("DOCTYPE with an external entity")
    {
        auto e = xml_error("<?xml version=\"1.0\"?><!DOCTYPE u [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                           "<user><first-name>&x;</first-name></user>");
        CHECK(e.message.find("DOCTYPE declarations are refused (<!DOCTYPE u>") != std::string::npos);
        CHECK(e.message.find("passwd") == std::string::npos);
    }
    SUBCASE("an undeclared entity")
    {
        auto e = xml_error("<user><first-name>&x;</first-name></user>");
        CHECK(e.message.find("invalid XML: undefined entity at line 1") != std::string::npos);
    }
    SUBCASE("deep nesting")
    {
        std::string doc;
        for (int i = 0; i < 100000; ++i)
            doc += "<a>";
        auto e = xml_error(doc);
        CHECK(e.message.find("XML nested deeper than 128 elements") != std::string::npos);
        auto e2 = xml_error("<user><a><b><c/></b></a></user>", {.max_depth = 3});
        CHECK(e2.message.find(
                  "nested deeper than 3 elements (decode_options::max_depth) in <user/a/b> at line 1, "
                  "column 13") != std::string::npos);
    }
    SUBCASE("a huge text node")
    {
        std::string doc = "<user><first-name>" + std::string(5 * 1024 * 1024, 'a') + "</first-name></user>";
        auto e = xml_error(doc);
        CHECK(e.message.find("larger than the limit of 4194304 bytes") != std::string::npos);
        rusage ru{};
        getrusage(RUSAGE_SELF, &ru);
        CHECK(ru.ru_maxrss < 512L * 1024); // KiB: the text and a copy or two, not more
        auto small =
            xml_error("<user><first-name>" + std::string(2000, 'a') + "</first-name></user>", {}, 1024);
        CHECK(small.message.find("larger than the limit of 1024 bytes") != std::string::npos);
    }
    SUBCASE("invalid UTF-8")
    {
        auto e = xml_error("<user>\n<first-name>\xc3\x28</first-name></user>");
        CHECK(e.message == "XML is not valid UTF-8: byte 0xc3 at line 2, column 13 (byte 19)");
        auto overlong = xml_error("<user><first-name>\xc0\xaf</first-name></user>");
        CHECK(overlong.message.find("not valid UTF-8: byte 0xc0") != std::string::npos);
    }
    SUBCASE("not XML at all, and truncated")
    {
        CHECK(xml_error("{\"user\": {}}")
                  .message.find("invalid XML: not well-formed (invalid token) at line 1, column 1") !=
              std::string::npos);
        CHECK(xml_error("<user><id>1</id>").message.find("in <user>") != std::string::npos);
        CHECK(xml_error("").message.find("invalid XML: ") != std::string::npos);
    }
}

namespace {

/// The seed mock, and a client that logs what it sends and receives.
struct xml_fixture {
    restschema::mock_server<safeshepherd::endpoints> mock{options()};
    std::vector<restschema::log_record> log;

    xml_fixture() { mock.start(); }

    static restschema::mock_options options()
    {
        restschema::mock_options o;
        o.credentials = {{"api_key", "key-xml"}, {"api_secret", "sec-xml"}};
        return o;
    }

    restschema::client_options client()
    {
        restschema::client_options o;
        o.base_url = mock.base_url();
        o.credentials = {{"api_key", "key-xml"}, {"api_secret", "sec-xml"}};
        o.retry.max_attempts = 1;
        o.log = [this](restschema::log_record const& r) { log.push_back(r); };
        return o;
    }

    static safeshepherd::update_user_request request(std::string secret = "TOP SECRET")
    {
        safeshepherd::update_user_request u;
        u.integration_name = "acme";
        u.id = 12;
        u.secret = std::move(secret);
        u.first_name = "Thomas";
        return u;
    }

    std::string header(restschema::log_record const& r, std::string_view name) const
    {
        for (auto const& [k, v] : r.headers)
            if (restschema::detail::iequals_ascii(k, name))
                return v;
        return {};
    }
};

} // namespace

TEST_CASE("xml: client_options::format asks .xml, the mock answers XML, the client decodes it")
{
    xml_fixture f;
    auto o = f.client();
    o.format = restschema::xml_format;
    restschema::client<safeshepherd::service> api(o);
    auto r = api.try_call(xml_fixture::request());
    REQUIRE_MESSAGE(r.has_value(), r.error().what());
    CHECK(r->first_name == "Thomas");
    CHECK(r->last_name == "Jones");
    REQUIRE(r->service_history);
    CHECK((*r->service_history)[0].activated_service_on == "2012/05/27 00:46:39 +0000");
    CHECK(r->birth_date.is_null());

    REQUIRE(f.log.size() == 2);
    auto const& req = f.log[0];
    CHECK(req.target.find("/users/12.xml") != std::string::npos);
    CHECK(req.target.find("key-xml") == std::string::npos); // the api_key in the path stays redacted
    CHECK(f.header(req, "Accept") == "application/xml");
    // The request body stays JSON (the schema's decision).
    CHECK(f.header(req, "Content-Type") == "application/json");
    CHECK(f.header(f.log[1], "Content-Type").starts_with("application/xml"));
    CHECK(f.log[1].body.find("<phone-numbers type=\"array\">") != std::string::npos);
    CHECK(f.log[1].body.find("<activated-service-on type=\"dateTime\">2012-05-27T00:46:39+00:00") !=
          std::string::npos);
}

TEST_CASE("xml: call_options::format picks the format of one call; JSON stays the default")
{
    xml_fixture f;
    restschema::client<safeshepherd::service> api(f.client());
    auto j = api.try_call(xml_fixture::request());
    REQUIRE_MESSAGE(j.has_value(), j.error().what());
    auto x = api.try_call(xml_fixture::request(), {.format = restschema::xml_format});
    REQUIRE_MESSAGE(x.has_value(), x.error().what());
    CHECK(x->first_name == j->first_name);
    CHECK(x->phone_numbers->size() == j->phone_numbers->size());
    REQUIRE(f.log.size() == 4);
    CHECK(f.log[0].target.find("/users/12.json") != std::string::npos);
    CHECK(f.header(f.log[1], "Content-Type").starts_with("application/json"));
    CHECK(f.log[2].target.find("/users/12.xml") != std::string::npos);
    CHECK(f.header(f.log[3], "Content-Type").starts_with("application/xml"));
}

TEST_CASE("xml: error bodies come in XML too and are read like JSON ones")
{
    xml_fixture f;
    restschema::client<safeshepherd::service> api(f.client());
    auto r = api.try_call(xml_fixture::request("wrong secret"), {.format = restschema::xml_format});
    REQUIRE_FALSE(r.has_value());
    auto const& e = r.error();
    CHECK(e.kind == restschema::error_kind::api);
    CHECK(e.http_status == 401);
    CHECK(e.table_name == "unauthorized");
    CHECK(e.whole_body.find("<hash>") != std::string::npos);
    // The server's message, read from <error> as from JSON's "error".
    CHECK_FALSE(e.server_message.empty());
    CHECK(e.server_message == e.table_message);
}

TEST_CASE("xml: credentials echoed in an XML error body are *** in the error, its whole body and the log")
{
    test::scripted_server server;
    std::string const body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hash>\n"
                             "  <error>api_secret sec-xml does not match api_key key-xml</error>\n</hash>\n";
    server.push(
        "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/xml; charset=utf-8\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\nX-Echo: sec-xml\r\n\r\n" + body);
    test::leak_watch watch;
    restschema::client_options o;
    o.base_url = server.url();
    o.credentials = {{"api_key", "key-xml"}, {"api_secret", "sec-xml"}};
    o.retry.max_attempts = 1;
    o.format = restschema::xml_format;
    watch.attach(o);
    restschema::client<safeshepherd::service> api(o);
    auto r = api.try_call(xml_fixture::request());
    REQUIRE_FALSE(r.has_value());
    auto const& e = r.error();
    CHECK(e.kind == restschema::error_kind::api);
    CHECK(e.http_status == 401);
    CHECK_MESSAGE(e.server_message == "api_secret *** does not match api_key ***", e.server_message);
    for (auto const* text : {&e.message, &e.server_message, &e.server_details, &e.body, &e.whole_body}) {
        CHECK(text->find("sec-xml") == std::string::npos);
        CHECK(text->find("key-xml") == std::string::npos);
    }
    CHECK(e.what().find("sec-xml") == std::string::npos);
    REQUIRE(watch.records.size() == 2);
    CHECK(watch.records[1].body.find("<error>api_secret *** does not match api_key ***</error>") !=
          std::string::npos);
    CHECK_MESSAGE(!watch.shows("key-xml"), watch.text);
    CHECK_MESSAGE(!watch.shows("sec-xml"), watch.text);
}

TEST_CASE("xml: an XML call is refused before sending when it cannot be made")
{
    xml_fixture f;
    restschema::client<safeshepherd::service> api(f.client());
    // XML without the reader (a response_format made by hand).
    auto r = api.try_call(xml_fixture::request(),
                          {.format = restschema::response_format{restschema::body_format::xml}});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == restschema::error_kind::validation);
    CHECK(r.error().message.find("update_user: 1 problem in the request") != std::string::npos);
    REQUIRE(r.error().problems.size() == 1);
    CHECK(r.error().problems[0].message.find("restschema::xml_format") != std::string::npos);
    auto form = api.try_call(xml_fixture::request(),
                             {.format = restschema::response_format{restschema::body_format::form}});
    REQUIRE_FALSE(form.has_value());
    CHECK(form.error().problems[0].message ==
          "this endpoint answers json, xml, not form (client_options::format, call_options::format)");
    CHECK(f.log.empty()); // nothing was sent
}

} // namespace test_xml
