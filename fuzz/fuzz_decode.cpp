// Fuzz target: the direct JSON decoder, differential against the DOM path.
//
// For every input and a type and options picked by its first byte:
//  - restschema's JSON reader (detail/json_reader.hpp, through
//    parse_json_text) and Boost.JSON's own parser (boost::json::parse) give
//    the same verdict on the text and the same value, doubles within one ULP
//    (Boost.JSON 1.81 reads some literals one ULP off; ours are exact);
//  - try_parse<T> (the reader straight into T) and parse_json_text +
//    try_from_json<T> (the DOM path, the oracle) both fail, or both succeed
//    with values that encode to the same bytes;
//  - a value that decodes re-encodes (try_serialize) and decodes again to the
//    same bytes.
// Any difference is a bug: __builtin_trap() stops the run on it.
#include <restschema/codec.hpp>
#include <restschema/impl/codec.hpp> // detail::parse_json_text

#include <restschema/gen/attestr.extras.hpp>
#include <restschema/gen/edgy.extras.hpp>
#include <restschema/gen/safeshepherd.extras.hpp>

#include <boost/json/parse.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

/// Within 16 ULPs (same sign), or ours 0 where Boost.JSON says NaN.
bool close(double ours, double theirs)
{
    if (ours == theirs)
        return true;
    if (std::isnan(theirs))
        return ours == 0;
    if (std::signbit(ours) != std::signbit(theirs) || std::isnan(ours))
        return false;
    std::uint64_t p = 0, q = 0;
    std::memcpy(&p, &ours, sizeof p);
    std::memcpy(&q, &theirs, sizeof q);
    return (p > q ? p - q : q - p) <= 16;
}

bool same_value(boost::json::value const& a, boost::json::value const& b)
{
    if (a.kind() != b.kind())
        return false;
    switch (a.kind()) {
    case boost::json::kind::double_: {
        // Ours are exact (std::from_chars); Boost.JSON 1.81 reads long
        // literals a few ULPs off, and a zero with a large exponent (0e999) as NaN.
        return close(a.get_double(), b.get_double());
    }
    case boost::json::kind::array: {
        auto const &p = a.get_array(), &q = b.get_array();
        if (p.size() != q.size())
            return false;
        for (std::size_t i = 0; i < p.size(); ++i)
            if (!same_value(p[i], q[i]))
                return false;
        return true;
    }
    case boost::json::kind::object: {
        auto const &p = a.get_object(), &q = b.get_object();
        if (p.size() != q.size())
            return false;
        for (auto i = p.begin(), j = q.begin(); i != p.end(); ++i, ++j)
            if (i->key() != j->key() || !same_value(i->value(), j->value()))
                return false;
        return true;
    }
    default:
        return a == b;
    }
}

/// The reader against Boost.JSON's parser: the same verdict and value.
void reader_against_boost(std::string_view text, std::size_t max_depth)
{
    restschema::decode_options opt;
    opt.max_depth = max_depth;
    auto const ours = restschema::detail::parse_json_text(text, opt);
    boost::json::parse_options po;
    po.max_depth = max_depth;
    boost::system::error_code ec;
    auto const theirs = boost::json::parse(text, ec, {}, po);
    if (ours.has_value() == bool(ec))
        __builtin_trap(); // one accepts what the other refuses
    if (ours && !same_value(*ours, theirs))
        __builtin_trap();
}

template <class T>
void differential(std::string_view text, restschema::decode_options const& opt)
{
    auto const direct = restschema::try_parse<T>(text, opt);

    // The DOM as boost::json::parse builds it, with the direct path's exact
    // doubles (Boost.JSON 1.81 reads some literals one ULP off).
    auto const parsed = restschema::detail::parse_json_text(text, opt);
    if (!parsed) {
        if (direct.has_value())
            __builtin_trap(); // the direct path accepted what the parser refuses
        return;
    }
    auto const& jv = *parsed;
    boost::json::value const* payload = &jv;
    if (!opt.envelope.empty()) {
        auto const* obj = jv.if_object();
        payload = obj ? obj->if_contains(opt.envelope) : nullptr;
        if (!payload) {
            if (direct.has_value())
                __builtin_trap();
            return;
        }
    }
    auto const dom = restschema::try_from_json<T>(*payload, opt);
    if (direct.has_value() != dom.has_value())
        __builtin_trap();
    if (!direct)
        return;
    auto const a = restschema::try_serialize(*direct);
    auto const b = restschema::try_serialize(*dom);
    if (a.has_value() != b.has_value() || (a && *a != *b))
        __builtin_trap();
    if (!a)
        return; // e.g. an enum value read as `unrecognized`, which is never sent
    restschema::decode_options again_opt = opt;
    again_opt.envelope = {};
    auto const again = restschema::try_parse<T>(*a, again_opt);
    if (!again)
        __builtin_trap();
    auto const c = restschema::try_serialize(*again);
    if (!c || *c != *a)
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
    opt.accept_unrecognized = (pick & 0x80) == 0;
    reader_against_boost(text, opt.max_depth);
    switch (pick % 8) {
    case 0: // a Safe Shepherd response body, in its envelope
        opt.envelope = "user";
        opt.path = "user";
        differential<safeshepherd::user>(text, opt);
        break;
    case 1: // a Safe Shepherd user without the envelope
        differential<safeshepherd::user>(text, opt);
        break;
    case 2: // a request body, as the mock decodes it
        differential<safeshepherd::update_user_request>(text, opt);
        break;
    case 3:
        differential<attestr::update_profile_request>(text, opt);
        break;
    case 4: // exactly_one_of, numbers, accepted kinds, free-form JSON
        differential<edgy::api::link>(text, opt);
        break;
    case 5: // nested types, lists of lists, maps (of enums, of lists, in a list), odd enum values
        differential<edgy::api::holder>(text, opt);
        break;
    case 6: // a list at the root, in an envelope
        opt.envelope = "links";
        differential<std::vector<edgy::api::link>>(text, opt);
        break;
    case 7: // free-form JSON at the root
        differential<boost::json::value>(text, opt);
        break;
    }
    return 0;
}

/// Seeds for the replay driver and the libFuzzer corpus: the schemas' examples.
std::vector<std::string> restschema_fuzz_seeds()
{
    using restschema::endpoint_docs;
    return {
        std::string(endpoint_docs<safeshepherd::update_user>::response_example_json),
        std::string(endpoint_docs<safeshepherd::update_user>::request_example_json),
        std::string(endpoint_docs<attestr::update_profile>::request_example_json),
        std::string(endpoint_docs<attestr::update_profile>::response_example_json),
        std::string(endpoint_docs<edgy::api::delete_>::request_example_json),
        std::string(endpoint_docs<edgy::api::list_links>::response_example_json),
        R"({"href":"https://e.example/","errno":"42","linux":"1.5","x":1.25,"_private":{"a":[1,2.5,"\u00e9"]}})",
        R"({"link":{"delete":true},"kinds":["1st","in-progress","Upper Case"],"grid":[[1,2],[3]],"empty":{}})",
        // maps: an empty key, a key that needs quoting, a repeated key, nested lists and types
        R"({"link":{"href":"https://e.example/"},"empty":null,"tags":{"":"class","a.b":"1st","":"delete"},)"
        R"("by_name":{"k":[{"delete":true,"_private":[1]}],"j":[]},"rows":[{"n":-1},{}]})",
        R"({"id":1,"id":"2","aliases":[{"alias_type":"cousin"}],"a.b":[[[[{}]]]]})",
        "-73e73", // regression: Boost.JSON 1.81 reads it 1 ULP off, so it did not round-trip
        // the reader's edges: escapes, surrogate pairs, UTF-8, the integer limits, doubles out of range
        R"([" \ud83d\ude00\u00e9\n\t\"\\\/\b\f\r", "é€😀", -0, -0.0, 0.5e+3, 1E-2,)"
        R"(18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809,)"
        R"( 1e400, -1e400, 1e-400, 123456789012345678901234567890, {"": [[], {}]}] )",
    };
}
extern int const restschema_fuzz_selectors;
int const restschema_fuzz_selectors = 256;
