// restschema/detail/mock_http.hpp - the HTTP side of restschema-mock: listening,
// connections, limits, timeouts, injected latency and dropped connections.
//
// Nothing here knows endpoints: every parsed request goes to a handler that
// returns the reply (see mock_dispatch.hpp).
#pragma once

#include <restschema/detail/mock_fault.hpp>
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
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

namespace restschema::detail {

namespace mock_asio = boost::asio;
namespace mock_beast = boost::beast;
namespace mock_http = boost::beast::http;

using mock_request = mock_http::request<mock_http::string_body>;
using mock_response = mock_http::response<mock_http::string_body>;

/// What the handler decided for one request.
struct mock_reply {
    mock_response res;
    std::chrono::milliseconds latency{0};
    mock_drop drop = mock_drop::none;
    std::string log_target; ///< the target as it may be logged (secrets replaced)
    std::string log_note;   ///< appended to the access-log line, e.g. "fault: status=503"
};

/// A JSON response.
inline mock_response mock_json_response(int status, boost::json::value const& body)
{
    mock_response res{static_cast<mock_http::status>(status), 11};
    res.set(mock_http::field::server, "restschema-mock");
    res.set(mock_http::field::content_type, "application/json");
    res.body() = boost::json::serialize(body);
    res.prepare_payload();
    return res;
}

/// `{"error": "...", "details": "..."}`: the mock's own answers (404, 405, 406, ...).
inline mock_response mock_plain_error(int status, std::string_view error, std::string_view details)
{
    boost::json::object o;
    o["error"] = error;
    if (!details.empty())
        o["details"] = details;
    return mock_json_response(status, o);
}

struct mock_http_config {
    std::size_t header_limit = 8 * 1024;
    std::size_t body_limit = 1024 * 1024;
    std::chrono::milliseconds idle_timeout{30'000};
    std::function<mock_reply(mock_request&)> handler;
    std::function<void(std::string const&)> log;
};

/// Listens on one address and serves connections on one background thread.
class mock_http_server {
  public:
    explicit mock_http_server(mock_http_config cfg) : cfg_(std::move(cfg)) {}
    mock_http_server(mock_http_server const&) = delete;
    mock_http_server& operator=(mock_http_server const&) = delete;
    ~mock_http_server() { stop(); }

    /// Binds and listens; throws restschema::exception when it cannot.
    void listen(std::string const& host, unsigned short port)
    {
        ioc_.emplace(1);
        boost::system::error_code ec;
        std::string const where =
            (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
        auto addr = mock_asio::ip::make_address(host, ec);
        if (ec) {
            mock_asio::ip::tcp::resolver resolver(*ioc_);
            auto results = resolver.resolve(host, std::to_string(port), ec);
            if (ec || results.empty())
                fail("cannot listen on " + where + ": cannot resolve host \"" + printable(host, 100) +
                         "\": " + (ec ? ec.message() : std::string("no address")),
                     ec);
            addr = results.begin()->endpoint().address();
        }
        mock_asio::ip::tcp::endpoint ep(addr, port);
        acceptor_.emplace(*ioc_);
        if (acceptor_->open(ep.protocol(), ec); ec)
            fail("cannot listen on " + where + ": open: " + ec.message(), ec);
        acceptor_->set_option(mock_asio::socket_base::reuse_address(true), ec);
        if (acceptor_->bind(ep, ec); ec)
            fail("cannot listen on " + where + ": bind: " + ec.message(), ec);
        if (acceptor_->listen(mock_asio::socket_base::max_listen_connections, ec); ec)
            fail("cannot listen on " + where + ": listen: " + ec.message(), ec);
        port_ = acceptor_->local_endpoint().port();
    }

    /// Starts serving on a background thread.
    void run()
    {
        mock_asio::co_spawn(*ioc_, accept_loop(), [](std::exception_ptr) {});
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
    mock_http_config cfg_;
    std::optional<mock_asio::io_context> ioc_;
    std::optional<mock_asio::ip::tcp::acceptor> acceptor_;
    std::thread thread_;
    unsigned short port_ = 0;

    [[noreturn]] void fail(std::string message, boost::system::error_code ec)
    {
        acceptor_.reset();
        auto e = make_error(error_kind::transport, std::move(message));
        e.cause = ec;
        throw exception(std::move(e));
    }

    void log(std::string const& line) const
    {
        if (cfg_.log)
            cfg_.log(line);
    }

    mock_asio::awaitable<void> accept_loop()
    {
        auto ex = co_await mock_asio::this_coro::executor;
        for (;;) {
            auto [ec, sock] = co_await acceptor_->async_accept(mock_asio::as_tuple(mock_asio::use_awaitable));
            if (ec == mock_asio::error::operation_aborted || !acceptor_->is_open())
                co_return;
            if (ec) {
                // Out of descriptors and the like: wait a little rather than spin.
                mock_asio::steady_timer t(ex, std::chrono::milliseconds(50));
                co_await t.async_wait(mock_asio::as_tuple(mock_asio::use_awaitable));
                continue;
            }
            mock_asio::co_spawn(ex, session(std::move(sock)), [](std::exception_ptr) {});
        }
    }

    static std::string elapsed_ms(std::chrono::steady_clock::time_point since)
    {
        auto const d = std::chrono::steady_clock::now() - since;
        return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + "ms";
    }

    /// Reads and discards what the peer still sends (briefly), so that an early
    /// error answer is not lost to a TCP reset when the socket is closed.
    static mock_asio::awaitable<void> linger(mock_beast::tcp_stream& stream)
    {
        boost::system::error_code ec;
        stream.socket().shutdown(mock_asio::ip::tcp::socket::shutdown_send, ec);
        stream.expires_after(std::chrono::seconds(2));
        std::size_t total = 0;
        char buf[16384];
        while (total < 64 * 1024 * 1024) {
            auto [rec, n] = co_await stream.async_read_some(mock_asio::buffer(buf),
                                                            mock_asio::as_tuple(mock_asio::use_awaitable));
            if (rec)
                break;
            total += n;
        }
    }

    static void close(mock_beast::tcp_stream& stream)
    {
        boost::system::error_code ec;
        stream.socket().shutdown(mock_asio::ip::tcp::socket::shutdown_both, ec);
        stream.socket().close(ec);
    }

    mock_asio::awaitable<void> session(mock_asio::ip::tcp::socket sock)
    {
        using namespace std::chrono;
        mock_beast::tcp_stream stream(std::move(sock));
        mock_beast::flat_buffer buffer;
        try {
            for (;;) {
                mock_http::request_parser<mock_http::string_body> parser;
                parser.header_limit(
                    static_cast<std::uint32_t>(std::min<std::size_t>(cfg_.header_limit, UINT32_MAX)));
                parser.body_limit(cfg_.body_limit);
                stream.expires_after(cfg_.idle_timeout);
                auto [ec, n] = co_await mock_http::async_read_header(
                    stream, buffer, parser, mock_asio::as_tuple(mock_asio::use_awaitable));
                (void)n;
                if (!ec && !parser.is_done()) {
                    // A client that waits for "100 Continue" before sending its body (curl does).
                    if (mock_beast::iequals(parser.get()[mock_http::field::expect], "100-continue")) {
                        static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
                        auto [cec, cn] = co_await mock_asio::async_write(
                            stream, mock_asio::buffer(cont), mock_asio::as_tuple(mock_asio::use_awaitable));
                        (void)cn;
                        if (cec)
                            break;
                    }
                    auto [bec, bn] = co_await mock_http::async_read(
                        stream, buffer, parser, mock_asio::as_tuple(mock_asio::use_awaitable));
                    (void)bn;
                    ec = bec;
                }
                auto const started = steady_clock::now();
                if (ec) {
                    int status = 0;
                    char const* what = nullptr;
                    if (ec == mock_http::error::header_limit) {
                        status = 431;
                        what = "Request Header Fields Too Large";
                    } else if (ec == mock_http::error::body_limit) {
                        status = 413;
                        what = "Content Too Large";
                    } else if (ec.category() ==
                                   mock_http::make_error_code(mock_http::error::end_of_stream).category() &&
                               ec != mock_http::error::end_of_stream &&
                               ec != mock_http::error::partial_message) {
                        status = 400;
                        what = "Bad Request";
                    }
                    if (status) {
                        std::string details;
                        if (status == 431)
                            details = "the request head is larger than " + std::to_string(cfg_.header_limit) +
                                      " bytes";
                        else if (status == 413)
                            details = "the request body is larger than " + std::to_string(cfg_.body_limit) +
                                      " bytes";
                        else
                            details = "malformed HTTP request: " + ec.message();
                        auto res = mock_plain_error(status, what, details);
                        res.keep_alive(false);
                        stream.expires_after(seconds(5));
                        co_await mock_http::async_write(stream, res,
                                                        mock_asio::as_tuple(mock_asio::use_awaitable));
                        std::string method = "-", target = "-";
                        if (parser.is_header_done()) {
                            method = printable(parser.get().method_string(), 20);
                            target = printable(parser.get().target(), 200);
                        }
                        log(method + " " + target + " " + std::to_string(status) + " " + elapsed_ms(started) +
                            " (" + ec.message() + ")");
                        co_await linger(stream);
                    }
                    break; // end of stream, timeout, reset, or answered above
                }

                auto req = parser.release();
                bool const keep_alive = req.keep_alive();
                mock_reply reply;
                try {
                    reply = cfg_.handler(req);
                } catch (std::exception const& e) {
                    reply = mock_reply{};
                    reply.res =
                        mock_plain_error(500, "Internal Server Error",
                                         std::string("the mock failed to handle the request: ") + e.what());
                    reply.log_target = printable(req.target(), 200);
                }
                if (reply.latency.count() > 0) {
                    mock_asio::steady_timer t(stream.get_executor(), reply.latency);
                    co_await t.async_wait(mock_asio::as_tuple(mock_asio::use_awaitable));
                }
                std::string line = printable(req.method_string(), 20) + " " + reply.log_target + " ";
                std::string const note = reply.log_note.empty() ? "" : " (" + reply.log_note + ")";
                if (reply.drop == mock_drop::before_response) {
                    log(line + "- " + elapsed_ms(started) + " (dropped before the response)" + note);
                    close(stream);
                    co_return;
                }
                reply.res.keep_alive(keep_alive);
                if (reply.drop == mock_drop::mid_response) {
                    auto& res = reply.res;
                    std::string const body = res.body();
                    std::size_t const send_body = body.size() / 2;
                    // A Content-Length larger than what is sent.
                    res.content_length(std::max<std::size_t>(body.size(), send_body + 64));
                    res.body().clear();
                    std::ostringstream head;
                    head << res.base();
                    std::string raw = head.str() + body.substr(0, send_body);
                    stream.expires_after(seconds(30));
                    co_await mock_asio::async_write(stream, mock_asio::buffer(raw),
                                                    mock_asio::as_tuple(mock_asio::use_awaitable));
                    log(line + std::to_string(res.result_int()) + " " + elapsed_ms(started) +
                        " (dropped mid-response)" + note);
                    close(stream);
                    co_return;
                }
                stream.expires_after(seconds(30));
                auto [wec, wn] = co_await mock_http::async_write(
                    stream, reply.res, mock_asio::as_tuple(mock_asio::use_awaitable));
                (void)wn;
                log(line + std::to_string(reply.res.result_int()) + " " + elapsed_ms(started) + note);
                if (wec || !keep_alive)
                    break;
            }
        } catch (...) {
            // A broken connection must not bring the server down.
        }
        close(stream);
    }
};

} // namespace restschema::detail
