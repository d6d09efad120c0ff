// Fuzz target: the XML decoder (restschema/xml.hpp), Expat and the walk that
// turns Rails' to_xml into the JSON value of the same data.
//
// For every input and a type and options picked by its first byte:
//  - try_parse_xml<T> never crashes, hangs or reads out of bounds, and a
//    failure always says why (a non-empty message);
//  - a value that decodes serializes to JSON that the JSON decoder reads back
//    to the same bytes: XML yields only values JSON could carry.
// Any difference is a bug: __builtin_trap() stops the run on it.
#include <restschema/xml.hpp>

#include <restschema/gen/edgy.extras.hpp>
#include <restschema/gen/safeshepherd.extras.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

template <class T>
void check(std::string_view text, restschema::decode_options const& opt, std::size_t max_size)
{
    auto const decoded = restschema::try_parse_xml<T>(text, opt, max_size);
    if (!decoded) {
        if (decoded.error().message.empty())
            __builtin_trap();
        return;
    }
    auto const a = restschema::try_serialize(*decoded);
    if (!a)
        return; // e.g. an enum value read as `unrecognized`, which is never sent
    auto const again = restschema::try_parse<T>(*a);
    if (!again)
        __builtin_trap();
    auto const b = restschema::try_serialize(*again);
    if (!b || *b != *a)
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0)
        return 0;
    std::string_view const text(reinterpret_cast<char const*>(data + 1), size - 1);
    auto const pick = data[0];
    restschema::decode_options opt;
    opt.strict = (pick & 0x10) != 0;
    opt.max_problems = (pick & 0x20) ? 1 : 32;
    opt.max_depth = (pick & 0x40) ? 8 : 128;
    std::size_t const max_size = (pick & 0x80) ? 256 : restschema::default_max_xml_size;
    switch (pick % 4) {
    case 0: // a Safe Shepherd response body, its root the envelope
        opt.envelope = "user";
        opt.path = "user";
        check<safeshepherd::user>(text, opt, max_size);
        break;
    case 1: // nested types, lists of lists, maps, odd enum values
        check<edgy::api::holder>(text, opt, max_size);
        break;
    case 2: // exactly_one_of, numbers, accepted kinds, free-form JSON
        check<edgy::api::link>(text, opt, max_size);
        break;
    case 3: // free-form JSON at the root
        check<boost::json::value>(text, opt, max_size);
        break;
    }
    return 0;
}

/// Seeds for the replay driver and the libFuzzer corpus: Rails-shaped XML.
std::vector<std::string> restschema_fuzz_seeds()
{
    return {
        R"(<?xml version="1.0" encoding="UTF-8"?>
<user>
  <id type="integer">12</id>
  <secret>TOP SECRET</secret>
  <birth-date nil="true"/>
  <first-name>Tommy</first-name>
  <aliases type="array">
    <alias><id type="integer">123</id><first-name>Tom</first-name><alias-type>nickname</alias-type></alias>
  </aliases>
  <phone-numbers type="array">
    <phone-number><id type="integer">123</id><number>3128881212</number></phone-number>
  </phone-numbers>
  <records type="array">
    <record><id type="integer">318</id><age nil="true"/><relations type="array"><relation>Maria &amp; Jesse</relation></relations><reference-id>000560228488</reference-id></record>
  </records>
  <service-history type="array">
    <service-history><activated-service-on type="dateTime">2012-05-27T00:46:39+00:00</activated-service-on></service-history>
    <service-history><deactivated-service-on type="datetime">2012-05-30T00:46:39Z</deactivated-service-on></service-history>
  </service-history>
  <is-scanning type="boolean">false</is-scanning>
</user>)",
        R"(<hash><user><id type="integer">1</id><unknown><a>&#233;&lt;</a></unknown></user></hash>)",
        R"(<holder><link><delete type="boolean">true</delete></link><kinds type="array"><kind>1st</kind></kinds>)"
        R"(<grid type="array"><grid type="array"><grid type="integer">1</grid></grid></grid><tags><a>x</a></tags></holder>)",
        R"(<link><href>https://e.example/</href><x type="float">1.25</x><errno>42</errno></link>)",
        R"(<objects type="array"><object><n type="decimal">-1.5e3</n></object><object nil="true"/></objects>)",
        R"(<!DOCTYPE u [<!ENTITY x "y">]><u>&x;</u>)",
    };
}
extern int const restschema_fuzz_selectors;
int const restschema_fuzz_selectors = 256;
