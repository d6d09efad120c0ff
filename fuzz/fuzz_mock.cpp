// Fuzz target: the mock server's request handling, from raw bytes.
//
// The input is what a peer sends on one connection: one request or several
// pipelined. It goes through what a mock session does with it, without a
// socket: Beast's request parser with the mock's limits, the framing checks
// (smuggling_shape, unreadable_request), the router of every endpoint in
// schemas/ and tests/schemas/special (and the OAuth2 token endpoint), and
// finish_response. For every input:
//  - nothing crashes, hangs or reads out of bounds (ASan, UBSan);
//  - every answer is well-formed HTTP: a status of 100-599 in the request's
//    HTTP version, and its bytes parse back as exactly one response (to a
//    HEAD request: without a body), with the keep-alive the request asked for;
//  - a request with bad framing (a malformed head or chunk, a bad or
//    repeated Content-Length, an ambiguous Transfer-Encoding) is answered
//    400 and ends the connection.
// The first byte picks the variant: stateful or deterministic mode, the
// token endpoint on or off, and whether the bytes arrive at once or in
// small pieces (the parser's incremental paths).
#include <restschema/binding/auth.hpp>
#include <restschema/detail/path_template.hpp>
#include <restschema/codec.hpp>
#include <restschema/mock/http.hpp>
#include <restschema/mock/router.hpp>

#include <restschema/gen/all.extras.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace mock = restschema::mock;

/// The peer's bytes as a synchronous stream, `chunk` bytes per read (0: all at once).
struct input_stream {
    std::string_view rest;
    std::size_t chunk = 0;

    template <class MutableBuffers>
    std::size_t read_some(MutableBuffers const& buffers, boost::system::error_code& ec)
    {
        if (rest.empty()) {
            ec = asio::error::eof;
            return 0;
        }
        ec = {};
        std::size_t const n = asio::buffer_copy(
            buffers, asio::buffer(rest.data(), chunk ? std::min(chunk, rest.size()) : rest.size()));
        rest.remove_prefix(n);
        return n;
    }
    template <class MutableBuffers>
    std::size_t read_some(MutableBuffers const& buffers)
    {
        boost::system::error_code ec;
        auto const n = read_some(buffers, ec);
        if (ec)
            throw boost::system::system_error(ec);
        return n;
    }
};

/// Collects what is written (a SyncWriteStream).
struct output_stream {
    std::string* out;

    template <class ConstBuffers>
    std::size_t write_some(ConstBuffers const& buffers, boost::system::error_code& ec)
    {
        ec = {};
        std::size_t n = 0;
        for (auto b : beast::buffers_range_ref(buffers)) {
            out->append(static_cast<char const*>(b.data()), b.size());
            n += b.size();
        }
        return n;
    }
    template <class ConstBuffers>
    std::size_t write_some(ConstBuffers const& buffers)
    {
        boost::system::error_code ec;
        return write_some(buffers, ec);
    }
};

/// Says what broke (and the bytes concerned), then stops the run.
[[noreturn]] void fail(char const* why, std::string_view bytes = {})
{
    std::fprintf(stderr, "fuzz_mock: %s\n%.*s\n", why,
                 static_cast<int>(std::min<std::size_t>(bytes.size(), 2000)), bytes.data());
    __builtin_trap();
}

/// The framings that must be answered 400: Beast's parse errors of a request,
/// listed here rather than taken from unreadable_request, which is checked.
bool is_bad_framing(boost::system::error_code ec)
{
    using e = http::error;
    for (auto bad : {e::bad_line_ending, e::bad_method, e::bad_target, e::bad_version, e::bad_field,
                     e::bad_value, e::bad_content_length, e::bad_transfer_encoding, e::bad_chunk,
                     e::bad_chunk_extension, e::bad_obs_fold, e::multiple_content_length})
        if (ec == bad)
            return true;
    return false;
}

/// The response as sent, parsed back: exactly one well-formed response.
void check_wire(mock::response const& res, unsigned version, bool head_request)
{
    if (res.result_int() < 100 || res.result_int() > 599)
        fail("a status outside 100-599");
    if (res.version() != version)
        fail("an answer in another HTTP version than the request's");
    std::string wire;
    output_stream sink{&wire};
    boost::system::error_code ec;
    http::write(sink, res, ec);
    if (ec)
        fail("the answer cannot be serialized", ec.message());
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.header_limit(1024 * 1024);
    parser.body_limit(boost::none);
    if (head_request)
        parser.skip(true);
    std::size_t used = 0;
    while (!ec && !parser.is_done() && used < wire.size())
        used += parser.put(asio::buffer(wire.data() + used, wire.size() - used), ec);
    if (ec == http::error::need_more)
        ec = {};
    if (!ec && !parser.is_done())
        parser.put_eof(ec); // a body that ends with the connection
    if (ec || !parser.is_done())
        fail("the answer does not parse as an HTTP response", wire);
    if (used != wire.size())
        fail(head_request ? "bytes after the answer to a HEAD request (a body?)" : "bytes after the answer",
             wire);
    if (parser.get().result_int() != res.result_int())
        fail("the answer parses with another status", wire);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0)
        return 0;
    unsigned const variant = data[0] % 16u;
    mock::options opt;
    opt.stateful = (variant & 1) == 0;
    if (variant & 2)
        opt.token_endpoint.path = "/oauth/token";
    opt.limits.header_bytes = 4096;
    opt.limits.body_bytes = 64 * 1024;
    mock::router router(mock::endpoints_of<restschema::gen::all_endpoints>, opt);
    router.init();
    mock::detail::http_config cfg;
    cfg.header_limit = opt.limits.header_bytes;
    cfg.body_limit = opt.limits.body_bytes;
    cfg.gzip_min_size = opt.gzip_min_size;
    cfg.handler = [&router](mock::request& req) { return router.handle(req); };

    // Pieces of at least 2 bytes: with assertions on (the sanitizer builds), Beast 1.81
    // asserts n >= 5 in parse_chunk_header where a valid final chunk resumes with 4
    // ("0\r\n" and one byte of the empty trailer); a wrong assertion, not a parse
    // error: Beast removed it (boostorg/beast pull request 2861).
    input_stream in{std::string_view(reinterpret_cast<char const*>(data + 1), size - 1),
                    (variant & 4) ? ((variant & 8) ? 5u : 2u) : 0u};
    beast::flat_buffer buffer;
    for (int n = 0; n < 64; ++n) { // as a session: one request after the other, until one ends it
        http::request_parser<http::string_body> parser;
        mock::detail::limit(parser, cfg);
        boost::system::error_code ec;
        http::read_header(in, buffer, parser, ec);
        std::string smuggling;
        if (!ec)
            smuggling = mock::detail::smuggling_shape(parser.get().base());
        if (!ec && smuggling.empty() && !parser.is_done())
            http::read(in, buffer, parser, ec);
        if (ec || !smuggling.empty()) {
            auto const res = mock::detail::unreadable_request(ec, smuggling, parser, cfg);
            if ((is_bad_framing(ec) || !smuggling.empty()) && (!res || res->result_int() != 400))
                fail("bad framing not answered 400", ec.message() + " " + smuggling);
            if (res) {
                if (res->keep_alive())
                    fail("an unreadable request's answer keeps the connection");
                check_wire(*res,
                           parser.is_header_done() ? mock::detail::response_version(parser.get().version())
                                                   : 11,
                           false);
            }
            break; // the session closes the connection
        }
        auto req = parser.release();
        bool const keep_alive = req.keep_alive();
        auto out = mock::detail::handle_request(cfg, req);
        if (out.drop != mock::drop_kind::none)
            break; // an injected fault: no answer, or a cut one, then the close
        mock::detail::finish_response(req, out.res, keep_alive, cfg);
        if (out.res.keep_alive() != keep_alive)
            fail("an answer with another keep-alive than the request's");
        check_wire(out.res, mock::detail::response_version(req.version()), req.method() == http::verb::head);
        if (!keep_alive)
            break;
    }
    return 0;
}

namespace {

/// A raw HTTP/1.1 request for `ep` from its schema's examples: the
/// request example as the body, a credential for each of its auth schemes
/// where the scheme puts it, the path expanded with the service's default
/// version and, for the other placeholders, the key of the record the mock
/// starts with (the response example's), so that the request reaches it.
std::string example_request(mock::endpoint const& ep, std::string_view request_example)
{
    std::map<std::string, std::string, std::less<>> path_values;
    std::string headers, query;
    for (auto const& scheme : ep.service->auth) {
        if (!ep.uses_auth(scheme.id))
            continue;
        auto const p = restschema::binding::place_credential(scheme, "fuzz-credential-1");
        if (p.in == restschema::location::header)
            headers += p.name + ": " + p.value + "\r\n";
        else if (p.in == restschema::location::query)
            query += (query.empty() ? "?" : "&") + p.name + "=" + p.value;
        else if (p.in == restschema::location::path)
            path_values[p.name] = p.value;
    }
    std::string key = "1";
    boost::system::error_code ec;
    auto const example = boost::json::parse(ep.response_example_json, ec);
    boost::json::value const* record = &example;
    if (!ec && !ep.response_envelope.empty() && example.is_object())
        if (auto const* inner = example.as_object().if_contains(ep.response_envelope))
            record = inner;
    if (!ec && !ep.key.empty() && record->is_object())
        if (auto const* k = record->as_object().if_contains(ep.key))
            key = k->is_string() ? std::string(k->as_string()) : boost::json::serialize(*k);
    auto const path =
        restschema::detail::expand_path(ep.path, [&](std::string_view name) -> std::optional<std::string> {
            if (auto it = path_values.find(name); it != path_values.end())
                return it->second;
            if (name == "version")
                return std::string(ep.service->default_version);
            return key;
        });
    if (!path)
        return {};
    std::string raw =
        std::string(ep.method) + " " + *path + query + " HTTP/1.1\r\nHost: mock.test\r\n" + headers;
    if (ep.method == "GET" || ep.method == "DELETE" || ep.method == "HEAD")
        return raw + "\r\n";
    return raw + "Content-Type: " + std::string(ep.request_media_type) +
           "\r\nContent-Length: " + std::to_string(request_example.size()) + "\r\n\r\n" +
           std::string(request_example);
}

} // namespace

/// Seeds for the replay driver and the libFuzzer corpus: a valid request for
/// each endpoint from its schema's example, all of them pipelined, and the
/// framings and features a session handles.
std::vector<std::string> restschema_fuzz_seeds()
{
    std::vector<std::string> seeds;
    auto const endpoints = mock::endpoints_of<restschema::gen::all_endpoints>;
    std::size_t i = 0;
    boost::mp11::mp_for_each<
        boost::mp11::mp_transform<boost::mp11::mp_identity, restschema::gen::all_endpoints>>([&](auto id) {
        using endpoint = typename decltype(id)::type;
        auto raw =
            example_request(*endpoints[i++], restschema::endpoint_docs<endpoint>::request_example_json);
        if (!raw.empty())
            seeds.push_back(std::move(raw));
    });
    std::string all;
    for (auto const& s : seeds)
        all += s;
    std::string const first = seeds.empty() ? std::string() : seeds.front();
    seeds.push_back(all);
    seeds.insert(
        seeds.end(),
        {
            // HTTP/1.0 with and without keep-alive, and a GET of a path no endpoint has
            "GET /api/v1/public/factx/PRF-1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
            "GET /nowhere HTTP/1.0\r\n\r\n",
            // HEAD and OPTIONS (405 with Allow), Connection: close
            "HEAD /api/v1/public/factx/PRF-1 HTTP/1.1\r\nHost: h\r\n\r\n"
            "OPTIONS /api/v1/public/factx/PRF-1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
            // a chunked body, with a chunk extension and a trailer
            "PUT /api/v1/public/factx/PRF-1 HTTP/1.1\r\nHost: h\r\nAuthorization: Basic dG9r\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            "4;x=y\r\n{\"ta\r\n9\r\ng\":\"E-1\"}\r\n0\r\nX-T: 1\r\n\r\n",
            // Expect: 100-continue; gzip asked for and a padded body
            "PUT /api/v1/public/factx/PRF-1 HTTP/1.1\r\nHost: h\r\nAuthorization: Basic dG9r\r\n"
            "Expect: 100-continue\r\nAccept-Encoding: gzip\r\nX-Restschema-Mock-Fault: body_bytes=2000\r\n"
            "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
            // faults per request: an error row, a status with Retry-After, a bad spec, a drop
            "PUT /api/v1/public/factx/PRF-1 HTTP/1.1\r\nHost: h\r\nAuthorization: Basic dG9r\r\n"
            "X-Restschema-Mock-Fault: error=api_rate_limit\r\nContent-Length: 2\r\n\r\n{}"
            "PUT /api/v1/public/factx/PRF-1 HTTP/1.1\r\nHost: h\r\nAuthorization: Basic dG9r\r\n"
            "X-Restschema-Mock-Fault: status=503;retry_after=5\r\nContent-Length: 2\r\n\r\n{}"
            "PUT /api/v1/public/factx/PRF-1 HTTP/1.1\r\nHost: h\r\nX-Restschema-Mock-Fault: times=2\r\n\r\n"
            "PUT /api/v1/public/factx/PRF-1 HTTP/1.1\r\nHost: h\r\nX-Restschema-Mock-Fault: "
            "drop=mid-response\r\n\r\n",
            // the token endpoint: client credentials in Basic and in the body
            "POST /oauth/token HTTP/1.1\r\nHost: h\r\nAuthorization: Basic aWQ6c2VjcmV0\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 29\r\n\r\n"
            "grant_type=client_credentials"
            "POST /oauth/token HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 64\r\n\r\ngrant_type=client_credentials&client_id=id&client_secret=secret",
            // framings refused with 400: both lengths, two lengths, a TE of 1.0, a coding, a bad chunk
            "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
            "POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc",
            "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            // a head past the limit, a request line that is not one
            "GET /" + std::string(5000, 'a') + " HTTP/1.1\r\n\r\n",
            "G\x01T / HTTP/1.1\r\n\r\n",
        });
    if (!first.empty())
        seeds.push_back(first + first.substr(0, first.size() / 2)); // a second request cut short
    return seeds;
}
extern int const restschema_fuzz_selectors;
int const restschema_fuzz_selectors = 16;
