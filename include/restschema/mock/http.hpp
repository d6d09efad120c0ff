// restschema/mock/http.hpp - the HTTP side of the mock server: listening,
// connections, limits, timeouts, injected latency and dropped connections.
//
// Nothing here knows endpoints: every parsed request goes to a handler that
// returns the reply (see router.hpp).
#pragma once

#include <restschema/mock/fault.hpp>
#include <restschema/detail/gzip.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

namespace restschema::mock {

namespace http = boost::beast::http;

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

/// What the handler decided for one request.
struct reply {
    response res;
    std::chrono::milliseconds latency{0};
    drop_kind drop = drop_kind::none;
    std::string log_target; ///< the target as it may be logged (secrets replaced)
    std::string log_note;   ///< appended to the access-log line, e.g. "fault: status=503"
};

/// A JSON response (`content_type`: application/json or a +json type the schema names).
inline response json_response(int status, boost::json::value const& body,
                              std::string_view content_type = "application/json")
{
    response res{static_cast<http::status>(status), 11};
    res.set(http::field::server, "restschema-mock");
    res.set(http::field::content_type, content_type);
    res.body() = boost::json::serialize(body);
    res.prepare_payload();
    return res;
}

/// `{"error": "...", "details": "..."}`: the mock's own answers (404, 405, 406, ...).
inline response plain_error(int status, std::string_view error, std::string_view details)
{
    boost::json::object o;
    o["error"] = error;
    if (!details.empty())
        o["details"] = details;
    return json_response(status, o);
}

namespace detail {

namespace asio = boost::asio;
namespace beast = boost::beast;

/// The version to answer a request of `request_version` with: HTTP/1.0 (and
/// older) as 1.0, so that its keep-alive is spelled out; anything newer as
/// 1.1, the highest the mock speaks.
constexpr unsigned response_version(unsigned request_version) noexcept
{
    return request_version < 11 ? 10 : 11;
}

/// Why a request head that Beast's parser let through is still refused
/// (empty when it is not): the framings a proxy in front and the mock could
/// read differently, so that the rest of the body is taken as a second
/// request (request smuggling). Beast 1.81 refuses Content-Length after
/// Transfer-Encoding: chunked, Transfer-Encoding after Content-Length, a
/// repeated chunked and differing Content-Lengths, but not
/// "Transfer-Encoding: gzip" and then a Content-Length, nor a final coding
/// other than chunked (the body is then read as no body at all). Identical
/// repeated Content-Lengths (RFC 9110, 8.6) leave nothing to disagree on and
/// are accepted, as Beast does.
template <class Fields>
std::string smuggling_shape(http::header<true, Fields> const& h)
{
    auto const te = h.count(http::field::transfer_encoding);
    if (te == 0)
        return {};
    if (h.count(http::field::content_length) != 0)
        return "both Content-Length and Transfer-Encoding";
    if (h.version() < 11)
        return "Transfer-Encoding in an HTTP/1.0 request";
    if (te > 1)
        return "more than one Transfer-Encoding field";
    auto const value = h[http::field::transfer_encoding];
    if (!beast::iequals(value, "chunked"))
        return "Transfer-Encoding \"" + restschema::detail::printable(value, 100) +
               "\" (only \"chunked\" is accepted)";
    return {};
}

struct http_config {
    std::size_t header_limit = 8 * 1024;
    std::size_t body_limit = 1024 * 1024;
    std::chrono::milliseconds idle_timeout{30'000};
    std::size_t gzip_min_size = SIZE_MAX;
    std::function<reply(request&)> handler;
    std::function<void(std::string const&)> log;
};

// The steps of serving one request that do not touch the socket, shared by
// http_server's sessions and the fuzz target fuzz/fuzz_mock.cpp (which feeds
// raw bytes through Beast's parser and these, without a socket).

/// A parser for one request, with the configured limits.
inline void limit(http::request_parser<http::string_body>& parser, http_config const& cfg)
{
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(cfg.header_limit, UINT32_MAX)));
    parser.body_limit(cfg.body_limit);
}

/// The answer to a request that could not be read (`ec`: a malformed head or
/// body, a limit) or whose framing is ambiguous (`smuggling`, from
/// smuggling_shape): 400, 413 or 431, to be followed by closing the
/// connection. Nothing (nullopt) when the connection just ended: end of
/// stream, a partial message, a timeout or a reset.
inline std::optional<response> unreadable_request(boost::system::error_code ec, std::string const& smuggling,
                                                  http::request_parser<http::string_body> const& parser,
                                                  http_config const& cfg)
{
    int status = 0;
    char const* what = nullptr;
    if (!smuggling.empty()) {
        status = 400;
        what = "Bad Request";
    } else if (ec == http::error::header_limit) {
        status = 431;
        what = "Request Header Fields Too Large";
    } else if (ec == http::error::body_limit) {
        status = 413;
        what = "Content Too Large";
    } else if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message) {
        status = 400;
        what = "Bad Request";
    }
    if (!status)
        return std::nullopt;
    std::string details;
    if (status == 431)
        details = "the request head is larger than " + std::to_string(cfg.header_limit) + " bytes";
    else if (status == 413)
        details = "the request body is larger than " + std::to_string(cfg.body_limit) + " bytes";
    else if (!smuggling.empty())
        details = "ambiguous request framing: " + smuggling;
    else
        details = "malformed HTTP request: " + ec.message();
    auto res = plain_error(status, what, details);
    if (parser.is_header_done())
        res.version(response_version(parser.get().version()));
    // Closed after the answer: where a request ends is uncertain.
    res.keep_alive(false);
    return res;
}

/// The handler's reply to a request that was read; a handler that throws
/// is answered 500 with what it said.
inline reply handle_request(http_config const& cfg, request& req)
{
    try {
        return cfg.handler(req);
    } catch (std::exception const& e) {
        reply out;
        out.res = plain_error(500, "Internal Server Error",
                              std::string("the mock failed to handle the request: ") + e.what());
        out.log_target = restschema::detail::printable(req.target(), 200);
        return out;
    }
}

/// The handler's response made ready to send: in the request's version,
/// and its keep-alive said in that version's terms (an HTTP/1.0 client,
/// ApacheBench's -k, that asked for keep-alive waits for the close unless
/// the answer is HTTP/1.0 with "Connection: keep-alive"; HTTP/1.1 keeps the
/// connection unless either side says "Connection: close"); a large enough
/// body gzip-encoded when the request accepts gzip. The answer to a HEAD
/// request is the head alone, its Content-Length that of the body it would
/// have (RFC 9110, 9.3.2): a body after it would be read as the next answer.
inline void finish_response(request const& req, response& res, bool keep_alive, http_config const& cfg)
{
    res.version(response_version(req.version()));
    res.keep_alive(keep_alive);
    if (res.body().size() >= cfg.gzip_min_size && res.count(http::field::content_encoding) == 0 &&
        restschema::detail::accepts_gzip(req[http::field::accept_encoding])) {
        auto packed = restschema::detail::gzip(res.body());
        if (!packed.empty()) { // else zlib failed: the body goes as it is
            res.body() = std::move(packed);
            res.set(http::field::content_encoding, "gzip");
            res.set(http::field::vary, "Accept-Encoding");
            res.prepare_payload();
        }
    }
    if (req.method() == http::verb::head)
        res.body().clear(); // Content-Length stays as prepare_payload set it
}

/// Listens on one address and serves connections on one background thread.
class http_server {
  public:
    explicit http_server(http_config cfg) : cfg_(std::move(cfg)) {}
    http_server(http_server const&) = delete;
    http_server& operator=(http_server const&) = delete;
    ~http_server() { stop(); }

    /// Binds and listens; throws restschema::exception when it cannot.
    void listen(std::string const& host, unsigned short port)
    {
        ioc_.emplace(1);
        boost::system::error_code ec;
        std::string const where =
            (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
        auto addr = asio::ip::make_address(host, ec);
        if (ec) {
            asio::ip::tcp::resolver resolver(*ioc_);
            auto results = resolver.resolve(host, std::to_string(port), ec);
            if (ec || results.empty())
                fail("cannot listen on " + where + ": cannot resolve host \"" +
                         restschema::detail::printable(host, 100) +
                         "\": " + (ec ? ec.message() : std::string("no address")),
                     ec);
            addr = results.begin()->endpoint().address();
        }
        asio::ip::tcp::endpoint ep(addr, port);
        acceptor_.emplace(*ioc_);
        if (acceptor_->open(ep.protocol(), ec); ec)
            fail("cannot listen on " + where + ": open: " + ec.message(), ec);
        acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
        if (acceptor_->bind(ep, ec); ec)
            fail("cannot listen on " + where + ": bind: " + ec.message(), ec);
        if (acceptor_->listen(asio::socket_base::max_listen_connections, ec); ec)
            fail("cannot listen on " + where + ": listen: " + ec.message(), ec);
        port_ = acceptor_->local_endpoint().port();
    }

    /// Starts serving on a background thread.
    void run()
    {
        asio::co_spawn(*ioc_, accept_loop(), [](std::exception_ptr) {});
        thread_ = std::thread([this] {
            for (;;) {
                try {
                    ioc_->run();
                    return;
                } catch (...) {
                    // A handler threw past every guard: keep serving the others.
                }
            }
        });
    }

    /// Stops serving, joins the thread and closes every connection.
    void stop()
    {
        if (ioc_)
            ioc_->stop();
        if (thread_.joinable())
            thread_.join();
        acceptor_.reset();
        ioc_.reset(); // destroys the pending connections
    }

    [[nodiscard]] unsigned short port() const noexcept { return port_; }

  private:
    http_config cfg_;
    std::optional<asio::io_context> ioc_;
    std::optional<asio::ip::tcp::acceptor> acceptor_;
    std::thread thread_;
    unsigned short port_ = 0;

    [[noreturn]] void fail(std::string message, boost::system::error_code ec)
    {
        acceptor_.reset();
        auto e = restschema::detail::make_error(error_kind::transport, std::move(message));
        e.cause = ec;
        throw exception(std::move(e));
    }

    void log(std::string const& line) const
    {
        if (cfg_.log)
            cfg_.log(line);
    }

    asio::awaitable<void> accept_loop()
    {
        auto ex = co_await asio::this_coro::executor;
        for (;;) {
            auto [ec, sock] = co_await acceptor_->async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec == asio::error::operation_aborted || !acceptor_->is_open())
                co_return;
            if (ec) {
                // Out of descriptors and the like: wait a little rather than spin.
                asio::steady_timer t(ex, std::chrono::milliseconds(50));
                co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
            asio::co_spawn(ex, session(std::move(sock)), [](std::exception_ptr) {});
        }
    }

    static std::string elapsed_ms(std::chrono::steady_clock::time_point since)
    {
        auto const d = std::chrono::steady_clock::now() - since;
        return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + "ms";
    }

    /// Reads and discards what the peer still sends (briefly), so that an early
    /// error answer is not lost to a TCP reset when the socket is closed.
    static asio::awaitable<void> linger(beast::tcp_stream& stream)
    {
        boost::system::error_code ec;
        stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
        stream.expires_after(std::chrono::seconds(2));
        std::size_t total = 0;
        char buf[16384];
        while (total < 64 * 1024 * 1024) {
            auto [rec, n] =
                co_await stream.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
            if (rec)
                break;
            total += n;
        }
    }

    static void close(beast::tcp_stream& stream)
    {
        boost::system::error_code ec;
        stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
        stream.socket().close(ec);
    }

    asio::awaitable<void> session(asio::ip::tcp::socket sock)
    {
        using namespace std::chrono;
        beast::tcp_stream stream(std::move(sock));
        beast::flat_buffer buffer;
        try {
            for (;;) {
                http::request_parser<http::string_body> parser;
                limit(parser, cfg_);
                stream.expires_after(cfg_.idle_timeout);
                auto [ec, n] = co_await http::async_read_header(stream, buffer, parser,
                                                                asio::as_tuple(asio::use_awaitable));
                (void)n;
                std::string smuggling;
                if (!ec)
                    smuggling = smuggling_shape(parser.get().base());
                if (!ec && smuggling.empty() && !parser.is_done()) {
                    // A client that waits for "100 Continue" before sending its body (curl does);
                    // never to an HTTP/1.0 client, which cannot know 1xx answers (RFC 9110, 15.2).
                    if (parser.get().version() >= 11 &&
                        beast::iequals(parser.get()[http::field::expect], "100-continue")) {
                        static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
                        auto [cec, cn] = co_await asio::async_write(stream, asio::buffer(cont),
                                                                    asio::as_tuple(asio::use_awaitable));
                        (void)cn;
                        if (cec)
                            break;
                    }
                    auto [bec, bn] = co_await http::async_read(stream, buffer, parser,
                                                               asio::as_tuple(asio::use_awaitable));
                    (void)bn;
                    ec = bec;
                }
                auto const started = steady_clock::now();
                if (ec || !smuggling.empty()) {
                    if (auto res = unreadable_request(ec, smuggling, parser, cfg_)) {
                        stream.expires_after(seconds(5));
                        co_await http::async_write(stream, *res, asio::as_tuple(asio::use_awaitable));
                        std::string method = "-", target = "-";
                        if (parser.is_header_done()) {
                            method = restschema::detail::printable(parser.get().method_string(), 20);
                            target = restschema::detail::printable(parser.get().target(), 200);
                        }
                        log(method + " " + target + " " + std::to_string(res->result_int()) + " " +
                            elapsed_ms(started) + " (" + (smuggling.empty() ? ec.message() : smuggling) +
                            ")");
                        co_await linger(stream);
                    }
                    break; // end of stream, timeout, reset, or answered above
                }

                auto req = parser.release();
                bool const keep_alive = req.keep_alive();
                reply out = handle_request(cfg_, req);
                if (out.latency.count() > 0) {
                    asio::steady_timer t(stream.get_executor(), out.latency);
                    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
                }
                std::string line =
                    restschema::detail::printable(req.method_string(), 20) + " " + out.log_target + " ";
                std::string const note = out.log_note.empty() ? "" : " (" + out.log_note + ")";
                if (out.drop == drop_kind::before_response) {
                    log(line + "- " + elapsed_ms(started) + " (dropped before the response)" + note);
                    close(stream);
                    co_return;
                }
                finish_response(req, out.res, keep_alive, cfg_);
                if (out.drop == drop_kind::mid_response) {
                    auto& res = out.res;
                    std::string const body = res.body();
                    std::size_t const send_body = body.size() / 2;
                    // A Content-Length larger than what is sent.
                    res.content_length(std::max<std::size_t>(body.size(), send_body + 64));
                    res.body().clear();
                    std::ostringstream head;
                    head << res.base();
                    std::string raw = head.str() + body.substr(0, send_body);
                    stream.expires_after(seconds(30));
                    co_await asio::async_write(stream, asio::buffer(raw),
                                               asio::as_tuple(asio::use_awaitable));
                    log(line + std::to_string(res.result_int()) + " " + elapsed_ms(started) +
                        " (dropped mid-response)" + note);
                    close(stream);
                    co_return;
                }
                stream.expires_after(seconds(30));
                auto [wec, wn] =
                    co_await http::async_write(stream, out.res, asio::as_tuple(asio::use_awaitable));
                (void)wn;
                log(line + std::to_string(out.res.result_int()) + " " + elapsed_ms(started) + note);
                if (wec || !keep_alive)
                    break;
            }
        } catch (...) {
            // A broken connection must not bring the server down.
        }
        close(stream);
    }
};

} // namespace detail
} // namespace restschema::mock
