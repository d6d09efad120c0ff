// restschema/transport/detail/connection.hpp - one kept-alive connection, plain or TLS.
#pragma once

#include <restschema/transport/detail/tls_engine.hpp>

#include <boost/asio/ip/tcp.hpp>

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <sys/socket.h>

namespace restschema::transport::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using io_executor = asio::any_io_executor;

/// A connection and what outlives one response on it: bytes read past the
/// response (there should be none) and when it went idle. The call using it
/// starts and closes its operations under the call's mutex, so a timer can
/// close it safely on a threaded io_context.
struct connection {
    connection(io_executor s, tls_context* tls)
        : executor(s), plain(s), tls(tls ? std::make_unique<tls_engine>(tls->native_handle()) : nullptr)
    {
    }

    io_executor executor;
    asio::execution_context* context = nullptr; ///< the io_context it belongs to (pool key)
    std::string origin;                         ///< "https://host:port" it is connected to (pool key)
    tcp::socket plain;                          ///< the TCP connection (TLS runs over it when `tls` is set)
    std::unique_ptr<tls_engine> tls;
    std::string pending; ///< bytes received (plaintext) and not yet parsed
    std::chrono::steady_clock::time_point idle_since{};

    tcp::socket& socket() { return plain; }

    /// A pooled connection that the server closed while it was idle reads as
    /// EOF (or has stray bytes) without blocking: such a connection is not reused.
    bool still_open()
    {
        auto& sock = socket();
        if (!sock.is_open() || !pending.empty() || (tls && tls->output_pending()))
            return false;
        char c;
        auto const n = ::recv(sock.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
};

} // namespace restschema::transport::detail
