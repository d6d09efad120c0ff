// Fuzz target: everything restschema reads from a peer or a user as text.
// The first byte picks the parser; the rest is its input. Each must return
// an error, never crash, hang or read out of bounds.
#include <restschema/codec.hpp>
#include <restschema/error_table.hpp>

#include <restschema/detail/http_date.hpp>
#include <restschema/detail/path_template.hpp>
#include <restschema/detail/url.hpp>
#include <restschema/transport/detail/response_parser.hpp>
#include <restschema/gen/attestr.hpp>
#include <restschema/gen/safeshepherd.hpp>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace http = boost::beast::http;
using restschema::transport::detail::response_parser;

/// The transport's response parser over `wire`, fed as two reads split at
/// `split`, then the end of the connection.
struct parsed {
    response_parser parser{response_parser::limits{8 * 1024, 64 * 1024, false}};
    boost::system::error_code ec;
    std::size_t used = 0;
};

parsed parse_response(std::string_view wire, std::size_t split)
{
    parsed p;
    std::string pending(wire.substr(0, split));
    auto const first = p.parser.put(pending, p.ec);
    pending.erase(0, first);
    p.used = first;
    if (!p.ec) {
        pending.append(wire.substr(split));
        auto const second = p.parser.put(pending, p.ec);
        p.used += second;
    }
    if (!p.ec && !p.parser.is_done())
        p.parser.put_eof(p.ec);
    return p;
}

/// The response parser: where a read ends does not change what it reads,
/// and what it accepts that Beast's parser accepts too reads the same.
void check_response_parser(std::string_view wire, std::size_t split)
{
    auto const whole = parse_response(wire, wire.size());
    auto const two = parse_response(wire, split % (wire.size() + 1));
    if (whole.ec != two.ec || whole.parser.is_done() != two.parser.is_done() ||
        whole.parser.get().status != two.parser.get().status ||
        whole.parser.get().body != two.parser.get().body ||
        whole.parser.get().fields != two.parser.get().fields || whole.parser.why() != two.parser.why() ||
        (!whole.ec && whole.used != two.used))
        __builtin_trap();
    if (whole.ec && whole.parser.why().empty())
        __builtin_trap(); // every fault says what it is

    http::response_parser<http::string_body> beast;
    beast.header_limit(8 * 1024);
    beast.body_limit(64 * 1024);
    beast.eager(true);
    boost::system::error_code bec;
    std::size_t used = 0;
    while (used < wire.size() && !beast.is_done()) {
        auto const n = beast.put(boost::asio::buffer(wire.data() + used, wire.size() - used), bec);
        used += n;
        if (bec || n == 0)
            break;
    }
    if (!bec && !beast.is_done() && beast.got_some())
        beast.put_eof(bec);
    if (whole.ec || bec || !beast.is_done() || !whole.parser.is_done())
        return; // the two may differ in what they accept (bare LF, obs-fold, lists)
    auto const& r = whole.parser.get();
    if (r.find("Transfer-Encoding") && r.find("Content-Length"))
        return; // RFC 9112 6.3: Transfer-Encoding wins; Beast 1.81 lets Content-Length win over a non-chunked
                // one
    if (static_cast<int>(beast.get().result_int()) != whole.parser.get().status ||
        beast.get().body() != whole.parser.get().body || used != whole.used)
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0)
        return 0;
    std::string_view const text(reinterpret_cast<char const*>(data + 1), size - 1);
    switch (data[0] % 8) {
    case 0: { // a response body for the Safe Shepherd user, lenient and strict
        (void)restschema::try_parse<safeshepherd::user>(text);
        (void)restschema::try_parse<safeshepherd::user>(text, {.strict = true});
        break;
    }
    case 1: { // a request body as the mock server decodes it
        auto r =
            restschema::try_parse<safeshepherd::update_user_request>(text, {.accept_unrecognized = false});
        if (r.has_value())
            (void)restschema::to_json(*r);
        break;
    }
    case 2: // an error body against the Attestr table
        (void)restschema::make_api_error<attestr::update_profile>(400 + static_cast<int>(size % 200), text);
        break;
    case 3: // a request path against both templates
        (void)restschema::detail::match_path(safeshepherd::update_user::path, text);
        (void)restschema::detail::match_path(attestr::update_profile::path, text);
        break;
    case 4: // Retry-After
        (void)restschema::detail::parse_retry_after(text, std::chrono::system_clock::time_point{});
        break;
    case 5: { // a base URL
        std::string why;
        (void)restschema::detail::parse_base_url(text, &why);
        break;
    }
    case 6: // percent-decoding and encoding round trip
        if (auto d = restschema::detail::percent_decode(text))
            if (restschema::detail::percent_decode(restschema::detail::encode_segment(*d)) != d)
                __builtin_trap();
        break;
    case 7: // an HTTP response, split into two reads where its last byte says
        check_response_parser(text, size > 1 ? data[size - 1] * 7u : 0);
        break;
    }
    return 0;
}

/// Seeds for the replay driver and the libFuzzer corpus.
std::vector<std::string> restschema_fuzz_seeds()
{
    return {
        R"({"id":12,"secret":"TOP SECRET","birth_date":null,"aliases":[{"id":"123","alias_type":"maiden"}],)"
        R"("addresses":[{"id":1,"address2":null,"zip":"91101"}],"records":[{"id":318,"reference_id":"000560228488"}],)"
        R"("service_history":[{"activated_service_on":"2012/05/27 00:46:39 +0000"}]})",
        R"({"secret":"s","api_secret":"x","middle_name":"","phone_numbers":[{"id":124,"_destroy":true}]})",
        R"({"code":4291,"message":"Maximum account rate limit exceeded","details":"x"})",
        "/api/acme/key%2F1/v2/users/12.json",
        "/api/v1/public/factx/PRF-7d4c1e20",
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 3988 08:49:37 GMT", // regression: overflowed system_clock (UBSan)
        "120",
        "https://[::1]:8443/prefix/",
        "a%2Fb%25c..%2E",
        "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nLink: <https://a/?p=2>; rel=\"next\"\r\n\r\n{\"a\":1}",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=1\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\nT: "
        "1\r\n\r\n",
        "HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\n\r\nclosed by the end",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
    };
}
extern int const restschema_fuzz_selectors;
int const restschema_fuzz_selectors = 8;
