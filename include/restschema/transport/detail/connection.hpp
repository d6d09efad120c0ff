// restschema/transport/detail/connection.hpp - one kept-alive connection, plain or TLS.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/strand.hpp>

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <sys/socket.h>

namespace restschema::transport::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using strand = asio::strand<asio::any_io_executor>;

/// A connection and what outlives one response on it: bytes read past the
/// response (there should be none) and when it went idle. Every operation on
/// it runs on its strand, so a timer can close it safely on a threaded
/// io_context.
struct connection {
    connection(strand s, asio::ssl::context* tls_context)
        : executor(s), plain(s),
          tls(tls_context ? std::make_unique<asio::ssl::stream<tcp::socket>>(s, *tls_context) : nullptr)
    {
    }

    strand executor;
    asio::execution_context* context = nullptr; ///< the io_context it belongs to (pool key)
    std::string origin;                         ///< "https://host:port" it is connected to (pool key)
    tcp::socket plain;                          ///< unused when `tls` is set
    std::unique_ptr<asio::ssl::stream<tcp::socket>> tls;
    std::string pending; ///< bytes received and not yet parsed
    std::chrono::steady_clock::time_point idle_since{};

    tcp::socket& socket() { return tls ? tls->next_layer() : plain; }

    /// A pooled connection that the server closed while it was idle reads as
    /// EOF (or has stray bytes) without blocking: such a connection is not reused.
    bool still_open()
    {
        auto& sock = socket();
        if (!sock.is_open() || !pending.empty())
            return false;
        char c;
        auto const n = ::recv(sock.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }

    /// Calls f with the stream to read and write: the TLS stream or the socket.
    template <class F>
    decltype(auto) with_stream(F&& f)
    {
        if (tls)
            return f(*tls);
        return f(plain);
    }
};

} // namespace restschema::transport::detail
