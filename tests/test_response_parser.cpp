// The transport's HTTP/1.1 response parser (transport/detail/response_parser.hpp):
// framing, keep-alive, limits and every fault it names. The client's tests
// (test_client.cpp) drive it through a socket; these feed it bytes directly,
// split at every place a read could end.
#include <restschema/transport/detail/response_parser.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

// Every name of this file is in namespace test_response_parser: the sanitizer
// builds compile the test files several to a translation unit (scripts/sanitize).
namespace test_response_parser {

namespace {

namespace http = boost::beast::http;
using restschema::transport::detail::response_parser;

struct outcome {
    explicit outcome(response_parser::limits l) : parser(l) {}
    response_parser parser;
    boost::system::error_code ec;
    std::string left; ///< bytes not used (after the message, or unread on a fault)
};

response_parser::limits limit(std::size_t header, std::size_t body, bool no_body = false)
{
    response_parser::limits l;
    l.header = header;
    l.body = body;
    l.no_body = no_body;
    return l;
}

constexpr std::size_t any = 1 << 20;

/// Feeds `wire` as reads of `step` bytes would bring it (the caller keeps
/// what put() did not use, as the transport does), then the end of the
/// connection when `eof`.
void feed(outcome& o, std::string_view wire, std::size_t step, bool eof)
{
    std::string pending;
    for (std::size_t at = 0; at < wire.size() && !o.ec; at += step) {
        pending.append(wire.substr(at, step));
        if (!o.parser.is_done())
            pending.erase(0, o.parser.put(pending, o.ec));
    }
    if (eof && !o.ec && !o.parser.is_done())
        o.parser.put_eof(o.ec);
    o.left = pending;
}

outcome parse(std::string_view wire, response_parser::limits l = {}, std::size_t step = 0, bool eof = false)
{
    outcome o(l);
    feed(o, wire, step ? step : wire.size(), eof);
    return o;
}

/// Parses `wire` whole and split at every size of read: each must give the same response.
outcome parse_every_split(std::string_view wire, bool eof = false)
{
    auto whole = parse(wire, {}, 0, eof);
    for (std::size_t step = 1; step < wire.size(); ++step) {
        auto split = parse(wire, {}, step, eof);
        INFO("reads of ", step, " bytes");
        REQUIRE(split.ec == whole.ec);
        CHECK(split.parser.is_done() == whole.parser.is_done());
        CHECK(split.parser.get().status == whole.parser.get().status);
        CHECK(split.parser.get().body == whole.parser.get().body);
        CHECK(split.parser.get().fields == whole.parser.get().fields);
        CHECK(split.left == whole.left);
    }
    return whole;
}

} // namespace

TEST_CASE("response parser: a Content-Length body, read in pieces of every size")
{
    auto o = parse_every_split("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
                               "X-Empty:\r\n\r\n{\"a\":1}");
    REQUIRE_MESSAGE(!o.ec, o.parser.why());
    REQUIRE(o.parser.is_done());
    auto const& r = o.parser.get();
    CHECK(r.status == 200);
    CHECK(r.version == 11);
    CHECK(r.body == "{\"a\":1}");
    REQUIRE(r.fields.size() == 3);
    CHECK(r.fields[0].first == "Content-Type"); // names as sent
    CHECK(r.fields[2].second.empty());
    REQUIRE(r.find("content-type") != nullptr);
    CHECK(*r.find("content-type") == "application/json");
    CHECK(r.find("Link") == nullptr);
    CHECK(o.parser.keep_alive());
    CHECK_FALSE(o.parser.need_eof());
}

TEST_CASE("response parser: a chunked body with extensions and trailers, read in pieces of every size")
{
    auto o = parse_every_split("HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                               "4;name=\"v\"\r\n{\"a\"\r\nA \r\n:[1,2,3,4]\r\n0\r\nX-Checksum: 9\r\n\r\n"
                               "HTTP/1.1 204"); // the next response stays unread
    REQUIRE_MESSAGE(!o.ec, o.parser.why());
    REQUIRE(o.parser.is_done());
    CHECK(o.parser.get().status == 201);
    CHECK(o.parser.get().body == "{\"a\":[1,2,3,4]");
    CHECK(o.parser.get().find("X-Checksum") == nullptr); // trailers are read and dropped
    CHECK(o.left == "HTTP/1.1 204");
    CHECK(o.parser.keep_alive());
}

TEST_CASE("response parser: a body delimited by the connection's end needs the EOF, and ends the connection")
{
    auto o = parse_every_split("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it", true);
    REQUIRE_MESSAGE(!o.ec, o.parser.why());
    REQUIRE(o.parser.is_done());
    CHECK(o.parser.get().body == "all of it");
    CHECK(o.parser.need_eof());
    CHECK_FALSE(o.parser.keep_alive());

    auto open = parse("HTTP/1.1 200 OK\r\n\r\nsome");
    CHECK_FALSE(open.ec);
    CHECK_FALSE(open.parser.is_done());
}

TEST_CASE("response parser: 1xx, 204, 304 and the answer to HEAD have no body, whatever their fields say")
{
    for (std::string_view head :
         {"HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 204 No Content\r\nContent-Length: 4\r\n\r\n",
          "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"}) {
        auto o = parse(std::string(head) + "next");
        INFO(head);
        REQUIRE_MESSAGE(!o.ec, o.parser.why());
        CHECK(o.parser.is_done());
        CHECK(o.parser.get().body.empty());
        CHECK(o.left == "next");
    }
    auto head = parse("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", limit(any, any, true));
    CHECK(head.parser.is_done());
    CHECK(head.parser.keep_alive());
}

TEST_CASE("response parser: keep-alive by version and Connection; ambiguous framing ends the connection")
{
    CHECK_FALSE(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").parser.keep_alive());
    CHECK(
        parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").parser.keep_alive());
    CHECK_FALSE(
        parse("HTTP/1.1 200 OK\r\nConnection: foo, close\r\nContent-Length: 0\r\n\r\n").parser.keep_alive());
    // Transfer-Encoding wins over Content-Length (RFC 9112 6.3), and the connection is not reused.
    auto both = parse(
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
    REQUIRE_MESSAGE(!both.ec, both.parser.why());
    CHECK(both.parser.get().body == "ok");
    CHECK_FALSE(both.parser.keep_alive());
}

TEST_CASE("response parser: obsolete line folding, bare LF line ends and a list of equal Content-Lengths")
{
    auto o = parse("HTTP/1.1 200 OK\nX-Folded: one\r\n   two\n\ttwo-b\r\nContent-Length: 2, 2\n\nok");
    REQUIRE_MESSAGE(!o.ec, o.parser.why());
    REQUIRE(o.parser.get().find("X-Folded") != nullptr);
    CHECK(*o.parser.get().find("X-Folded") == "one two two-b");
    CHECK(o.parser.get().body == "ok");
    auto no_reason = parse("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n");
    REQUIRE_MESSAGE(!no_reason.ec, no_reason.parser.why());
    CHECK(no_reason.parser.get().status == 404);
}

TEST_CASE("response parser: each malformed response is an error that names the fault and its byte")
{
    struct bad {
        std::string_view wire;
        http::error expected;
        std::string_view says;
    };
    bad const cases[] = {
        {"HTTX/9.9 200 OK\r\n\r\n", http::error::bad_version,
         "does not begin with HTTP/1.x: it begins \"HTTX\""},
        {"SSH-2.0-OpenSSH", http::error::bad_version, "it begins \"S\""}, // at once, no waiting
        {"HTTP/1.A 200 OK\r\n\r\n", http::error::bad_version, "does not begin with HTTP/1.x and a space"},
        {"\r\nHTTP/1.1 200 OK\r\n\r\n", http::error::bad_version, "does not begin with HTTP/1.x"},
        {"HTTP/1.1 2000 OK\r\n\r\n", http::error::bad_status, "not three digits"},
        {"HTTP/1.1 099 Low\r\n\r\n", http::error::bad_status, "not three digits"},
        {"HTTP/1.1 200 O\x01K\r\n\r\n", http::error::bad_reason, "reason phrase"},
        {"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", http::error::bad_field, "is not \"name: value\""},
        {"HTTP/1.1 200 OK\r\nName : x\r\n\r\n", http::error::bad_field, "no space before the colon"},
        {"HTTP/1.1 200 OK\r\n folded: first\r\n\r\n", http::error::bad_obs_fold, "before any field"},
        {"HTTP/1.1 200 OK\r\nX: a\x7f b\r\n\r\n", http::error::bad_value, "control character"},
        {"HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", http::error::bad_value, "bare CR"},
        {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", http::error::bad_content_length, "Content-Length"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", http::error::bad_content_length,
         "Content-Length"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", http::error::bad_content_length,
         "Content-Length"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", http::error::bad_transfer_encoding,
         "after chunked"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked}\r\n\r\n", http::error::bad_transfer_encoding,
         "not a list of codings"}, // Beast 1.81 reads it as chunked
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", http::error::bad_chunk,
         "not hexadecimal"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", http::error::bad_chunk,
         "longer than its size"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11111111111111111\r\n", http::error::bad_chunk,
         "overflows"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;a\x01\r\nx\r\n0\r\n\r\n",
         http::error::bad_chunk_extension, "chunk extension"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nno colon\r\n\r\n", http::error::bad_field,
         "trailer line"},
    };
    for (auto const& c : cases) {
        INFO(restschema::detail::printable(c.wire));
        auto o = parse(c.wire);
        CHECK(o.ec == c.expected);
        CHECK_MESSAGE(o.parser.why().find(c.says) != std::string::npos, o.parser.why());
        CHECK(o.parser.why().find("(byte ") != std::string::npos);
        CHECK_FALSE(o.parser.is_done());
        // A failed parser stays failed.
        boost::system::error_code again;
        CHECK(o.parser.put("HTTP/1.1 200 OK\r\n\r\n", again) == 0);
        CHECK(again == c.expected);
    }
}

TEST_CASE("response parser: the header and body limits are errors as soon as they are passed")
{
    std::string const big_header = "HTTP/1.1 200 OK\r\nX: " + std::string(300, 'a');
    auto h = parse(big_header, limit(256, any));
    CHECK(h.ec == http::error::header_limit); // before the line has ended
    auto h2 = parse(big_header + "\r\n\r\n", limit(256, any));
    CHECK(h2.ec == http::error::header_limit);

    auto declared = parse("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", limit(any, 10));
    CHECK(declared.ec == http::error::body_limit); // before any of the body
    CHECK(declared.parser.why().find("Content-Length 11 exceeds the body limit of 10 bytes") !=
          std::string::npos);
    auto chunk = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n", limit(any, 10));
    CHECK_FALSE(chunk.ec);
    auto chunks =
        parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\n", limit(any, 10));
    CHECK(chunks.ec == http::error::body_limit);
    auto closed = parse("HTTP/1.1 200 OK\r\n\r\n" + std::string(11, 'x'), limit(any, 10));
    CHECK(closed.ec == http::error::body_limit);
    auto trailer =
        parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " + std::string(300, 'a'),
              limit(256, any));
    CHECK(trailer.ec == http::error::header_limit);
}

TEST_CASE("response parser: the connection ending early is a partial message; before any byte it says so")
{
    for (std::string_view wire :
         {"HTTP/1.1 200 OK\r\nContent-Le", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab",
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"}) {
        INFO(wire);
        auto o = parse(wire, {}, 0, true);
        CHECK(o.ec == http::error::partial_message);
        CHECK(o.parser.why().find("ended before the response did") != std::string::npos);
    }
    response_parser nothing{response_parser::limits{}};
    boost::system::error_code ec;
    nothing.put_eof(ec);
    CHECK(ec == http::error::partial_message);
    CHECK_FALSE(nothing.got_some());
    CHECK(nothing.why() == "the connection ended before any response");
}

} // namespace test_response_parser
