// restschema/transport/detail/tls_engine.hpp - TLS over a socket the transport drives itself.
//
// OpenSSL reads and writes through a BIO pair; this class moves the bytes
// between that pair and two buffers, and says after each TLS operation what
// the socket has to do next: write the output, read more input, or nothing.
// The transport (call_op) does that socket I/O with the same two Asio
// operations it uses for plain TCP, so a TLS connection adds no Asio
// operation types: asio::ssl::stream's composed operations were about a
// sixth of the transport's object code and build time. Not a template.
//
// The error codes are Asio's public ones: OpenSSL's errors in
// asio::error::get_ssl_category(), a close_notify as asio::error::eof, and a
// connection that ends without one as asio::ssl::error::stream_truncated.
#pragma once

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/system/error_code.hpp>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <array>
#include <climits>
#include <cstddef>
#include <new>
#include <string>
#include <string_view>
#include <utility>

namespace restschema::transport::detail {

/// An OpenSSL error as an error_code, as Asio reports it: a system error in
/// the system category, anything else in asio::error::get_ssl_category().
inline boost::system::error_code ssl_error_code(unsigned long e)
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    if (ERR_SYSTEM_ERROR(e))
        return {static_cast<int>(ERR_GET_REASON(e)), boost::asio::error::get_system_category()};
#endif
    if (e == 0)
        return boost::asio::ssl::error::unspecified_system_error;
    return {static_cast<int>(e), boost::asio::error::get_ssl_category()};
}

/// The client side's TLS settings (an SSL_CTX), shared by every connection of
/// a session: TLS 1.2 or later, no compression, the peer verified or not, the
/// CAs trusted.
class tls_context {
  public:
    /// Throws std::bad_alloc when OpenSSL cannot allocate.
    tls_context() : ctx_(::SSL_CTX_new(::TLS_client_method()))
    {
        if (!ctx_)
            throw std::bad_alloc();
        ::SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
        ::SSL_CTX_set_options(ctx_, SSL_OP_NO_COMPRESSION);
    }
    ~tls_context() { ::SSL_CTX_free(ctx_); }
    tls_context(tls_context const&) = delete;
    tls_context& operator=(tls_context const&) = delete;

    [[nodiscard]] SSL_CTX* native_handle() const noexcept { return ctx_; }

    /// Checks the peer's certificate chain (and, per connection, its name) or not.
    void verify_peer(bool on) noexcept
    {
        ::SSL_CTX_set_verify(ctx_, on ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
    }

    /// Trusts the system's CAs.
    boost::system::error_code use_system_ca()
    {
        ::ERR_clear_error();
        if (::SSL_CTX_set_default_verify_paths(ctx_) != 1)
            return ssl_error_code(::ERR_get_error());
        return {};
    }

    /// Trusts the CAs of a PEM file.
    boost::system::error_code load_ca_file(std::string const& path)
    {
        ::ERR_clear_error();
        if (::SSL_CTX_load_verify_locations(ctx_, path.c_str(), nullptr) != 1)
            return ssl_error_code(::ERR_get_error());
        return {};
    }

  private:
    SSL_CTX* ctx_;
};

class tls_engine {
  public:
    enum class operation { handshake, read, write };

    /// What the socket does next for the operation in progress.
    enum class next {
        done,             ///< the operation has ended (ec, bytes)
        flush_then_done,  ///< write output() to the socket; then it has ended
        flush_then_retry, ///< write output() to the socket; then perform() again
        read_then_retry,  ///< read from the socket into input_space(); then perform() again
    };

    struct outcome {
        next what = next::done;
        boost::system::error_code ec;
        std::size_t bytes = 0; ///< read or written, for read and write
    };

    /// A client engine on `ctx`. Throws std::bad_alloc when OpenSSL cannot allocate.
    explicit tls_engine(SSL_CTX* ctx)
    {
        ssl_ = ::SSL_new(ctx);
        BIO* inner = nullptr;
        if (!ssl_ || !::BIO_new_bio_pair(&inner, buffer_size, &outer_, buffer_size)) {
            if (ssl_)
                ::SSL_free(ssl_);
            throw std::bad_alloc();
        }
        ::SSL_set_bio(ssl_, inner, inner); // the SSL owns the inner half
        ::SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                                 SSL_MODE_RELEASE_BUFFERS);
        ::SSL_set_connect_state(ssl_);
    }

    ~tls_engine()
    {
        ::SSL_free(ssl_);
        ::BIO_free(outer_);
    }

    tls_engine(tls_engine const&) = delete;
    tls_engine& operator=(tls_engine const&) = delete;

    [[nodiscard]] SSL* native_handle() const noexcept { return ssl_; }

    /// Sends SNI and checks the certificate's name (or IP address) when
    /// `verify`; returns false when OpenSSL refuses the name.
    bool set_server(std::string const& host, bool verify)
    {
        // The base URL's host, brackets already taken off an IPv6 address.
        boost::system::error_code not_ip;
        (void)boost::asio::ip::make_address(host, not_ip);
        bool const ip = !not_ip;
        // RFC 6066 3: SNI names a host by its DNS name, never by an address.
        if (!ip && !::SSL_set_tlsext_host_name(ssl_, host.c_str()))
            return false;
        if (!verify)
            return true;
        auto* param = ::SSL_get0_param(ssl_);
        if (ip)
            return ::X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
        ::X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        return ::X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) == 1;
    }

    /// Runs the operation as far as the bytes at hand allow. For read,
    /// `data` is where the plaintext goes; for write, the plaintext to send.
    outcome perform(operation op, void* data, std::size_t size)
    {
        for (;;) {
            push_input();
            auto o = perform_once(op, data, size);
            // Input read earlier that the BIO had no room for goes in first:
            // OpenSSL has drained the BIO, so it has room now.
            if (o.what != next::read_then_retry || in_begin_ == in_end_)
                return o;
        }
    }

    /// Output to write to the socket (empty when there is none).
    [[nodiscard]] std::string_view output()
    {
        if (out_begin_ == out_end_) {
            out_begin_ = out_end_ = 0;
            int const n = ::BIO_read(outer_, out_.data(), static_cast<int>(out_.size()));
            if (n > 0)
                out_end_ = static_cast<std::size_t>(n);
        }
        return {out_.data() + out_begin_, out_end_ - out_begin_};
    }

    /// `n` bytes of output() were written.
    void output_sent(std::size_t n) noexcept { out_begin_ += n; }

    /// Output left to write, in the buffer or in the BIO.
    [[nodiscard]] bool output_pending() const noexcept
    {
        return out_begin_ < out_end_ || ::BIO_ctrl_pending(outer_) > 0;
    }

    /// Where a read from the socket puts what it brings.
    [[nodiscard]] std::pair<char*, std::size_t> input_space() noexcept
    {
        if (in_begin_ == in_end_)
            in_begin_ = in_end_ = 0;
        return {in_.data() + in_end_, in_.size() - in_end_};
    }

    /// A read from the socket brought `n` bytes into input_space().
    void input_received(std::size_t n) noexcept { in_end_ += n; }

    /// What the socket's end of stream means here: after the peer's
    /// close_notify an orderly end, before it a truncation (an attacker
    /// may have cut the stream).
    [[nodiscard]] boost::system::error_code end_of_stream() const noexcept
    {
        if (::SSL_get_shutdown(ssl_) & SSL_RECEIVED_SHUTDOWN)
            return boost::asio::error::eof;
        return boost::asio::ssl::error::stream_truncated;
    }

  private:
    outcome perform_once(operation op, void* data, std::size_t size)
    {
        auto const output_before = ::BIO_ctrl_pending(outer_);
        ::ERR_clear_error();
        int const n = size > INT_MAX ? INT_MAX : static_cast<int>(size);
        int result = 0;
        switch (op) {
        case operation::handshake:
            result = ::SSL_do_handshake(ssl_);
            break;
        case operation::read:
            result = ::SSL_read(ssl_, data, n);
            break;
        case operation::write:
            result = ::SSL_write(ssl_, data, n);
            break;
        }
        int const ssl_error = ::SSL_get_error(ssl_, result);
        unsigned long const sys_error = ::ERR_get_error();
        bool const more_output = ::BIO_ctrl_pending(outer_) > output_before;

        outcome o;
        if (result > 0 && op != operation::handshake)
            o.bytes = static_cast<std::size_t>(result);
        if (ssl_error == SSL_ERROR_SSL || ssl_error == SSL_ERROR_SYSCALL) {
            // An alert to the peer may be waiting: send it, then fail.
            o.ec = ssl_error_code(sys_error);
            o.what = more_output ? next::flush_then_done : next::done;
        } else if (ssl_error == SSL_ERROR_WANT_WRITE) {
            o.what = next::flush_then_retry;
        } else if (more_output) {
            o.what = result > 0 ? next::flush_then_done : next::flush_then_retry;
        } else if (ssl_error == SSL_ERROR_WANT_READ) {
            o.what = next::read_then_retry;
        } else if (ssl_error == SSL_ERROR_ZERO_RETURN) {
            o.ec = boost::asio::error::eof; // the peer's close_notify
        } else if (ssl_error != SSL_ERROR_NONE) {
            o.ec = boost::asio::ssl::error::unexpected_result;
        }
        return o;
    }

    static constexpr std::size_t buffer_size = 17 * 1024; // a TLS record and then some

    /// Moves what the socket brought into OpenSSL, as far as the BIO has room.
    void push_input() noexcept
    {
        while (in_begin_ < in_end_) {
            int const n = ::BIO_write(outer_, in_.data() + in_begin_, static_cast<int>(in_end_ - in_begin_));
            if (n <= 0)
                break;
            in_begin_ += static_cast<std::size_t>(n);
        }
    }

    SSL* ssl_ = nullptr;
    BIO* outer_ = nullptr;
    std::array<char, buffer_size> in_{};
    std::size_t in_begin_ = 0, in_end_ = 0;
    std::array<char, buffer_size> out_{};
    std::size_t out_begin_ = 0, out_end_ = 0;
};

} // namespace restschema::transport::detail
