// A tiny HTTP/1.1 (and HTTPS) server for client tests: each request gets the
// next scripted reply, so a test controls exact bytes, delays and closes.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct scripted_reply {
    std::string raw{};                         ///< the whole HTTP response, as bytes
    std::chrono::milliseconds delay{0};        ///< wait before answering
    std::size_t send_only = std::string::npos; ///< send only this many bytes, then close
    bool close_without_reply = false;          ///< read the request, then close
    bool close_after = false;                  ///< close the connection after this reply
    bool hold = false; ///< after send_only bytes, keep the connection open, silent, until the server stops
};

/// An HTTP response with a JSON body.
inline std::string reply(int status, std::string const& body = "{}", std::string const& extra_headers = "",
                         bool keep_alive = true)
{
    return "HTTP/1.1 " + std::to_string(status) +
           " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
           (keep_alive ? "" : "Connection: close\r\n") + extra_headers + "\r\n" + body;
}

class scripted_server {
  public:
    /// Plain HTTP, or HTTPS with the given PEM certificate chain and key.
    explicit scripted_server(std::string cert_file = "", std::string key_file = "")
        : ssl_(asio::ssl::context::tls_server), tls_(!cert_file.empty())
    {
        if (tls_) {
            ssl_.use_certificate_chain_file(cert_file);
            ssl_.use_private_key_file(key_file, asio::ssl::context::pem);
        }
        acceptor_.open(tcp::v4());
        acceptor_.set_option(tcp::acceptor::reuse_address(true));
        acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        accept_thread_ = std::thread([this] { accept_loop(); });
    }

    ~scripted_server()
    {
        stopping_ = true;
        boost::system::error_code ec;
        // A blocking accept() is not interrupted by close() from another
        // thread on Linux: wake it with a connection of our own.
        {
            tcp::socket wake(io_);
            wake.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
        }
        if (accept_thread_.joinable())
            accept_thread_.join();
        acceptor_.close(ec);
        {
            // Shut down only, to wake a worker blocked reading: each worker closes
            // its own socket, under the same lock (an Asio socket object is not
            // safe to close from one thread while another uses it; TSan saw it).
            std::lock_guard lock(mutex_);
            for (auto& s : sockets_)
                s->shutdown(tcp::socket::shutdown_both, ec);
        }
        for (auto& t : workers_)
            if (t.joinable())
                t.join();
    }

    unsigned short port() const { return port_; }
    std::string url() const
    {
        return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
    }

    void push(scripted_reply r)
    {
        std::lock_guard lock(mutex_);
        script_.push_back(std::move(r));
    }
    void push(std::string raw) { push(scripted_reply{std::move(raw)}); }

    /// The reply once the script is used up (default: a 500 saying so).
    void set_default(std::string raw)
    {
        std::lock_guard lock(mutex_);
        default_ = std::move(raw);
    }

    /// Every request received so far, as raw text (headers and body).
    std::vector<std::string> requests() const
    {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    int connections() const { return connections_; }
    /// Benchmarks turn recording off so memory stays flat.
    void record_requests(bool on) { record_ = on; }

  private:
    asio::io_context io_;
    asio::ssl::context ssl_;
    bool tls_;
    tcp::acceptor acceptor_{io_};
    unsigned short port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    std::atomic<bool> record_{true};
    mutable std::mutex mutex_;
    std::deque<scripted_reply> script_;
    std::string default_;
    std::vector<std::string> requests_{};
    std::vector<std::shared_ptr<tcp::socket>> sockets_{};
    std::thread accept_thread_;
    std::vector<std::thread> workers_{};

    void accept_loop()
    {
        while (!stopping_) {
            auto sock = std::make_shared<tcp::socket>(io_);
            boost::system::error_code ec;
            acceptor_.accept(*sock, ec);
            if (ec || stopping_)
                return;
            ++connections_;
            std::lock_guard lock(mutex_);
            sockets_.push_back(sock);
            workers_.emplace_back([this, sock] { serve(sock); });
        }
    }

    template <class Stream>
    void serve_stream(Stream& stream)
    {
        boost::beast::flat_buffer buffer;
        for (;;) {
            boost::system::error_code ec;
            http::request<http::string_body> req;
            http::read(stream, buffer, req, ec);
            if (ec)
                return;
            scripted_reply r;
            {
                std::lock_guard lock(mutex_);
                if (record_) {
                    std::ostringstream os;
                    os << req;
                    requests_.push_back(os.str());
                }
                if (script_.empty()) {
                    r.raw = default_.empty() ? reply(500, R"({"error":"no scripted reply left"})") : default_;
                } else {
                    r = std::move(script_.front());
                    script_.pop_front();
                }
            }
            if (r.delay.count())
                std::this_thread::sleep_for(r.delay);
            if (r.close_without_reply)
                return;
            auto const n = std::min(r.send_only, r.raw.size());
            asio::write(stream, asio::buffer(r.raw.data(), n), ec);
            if (r.hold) {
                while (!stopping_)
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                return;
            }
            if (ec || n < r.raw.size() || r.close_after)
                return;
        }
    }

    void serve(std::shared_ptr<tcp::socket> sock)
    {
        boost::system::error_code ec;
        if (tls_) {
            asio::ssl::stream<tcp::socket&> stream(*sock, ssl_);
            stream.handshake(asio::ssl::stream_base::server, ec);
            if (!ec)
                serve_stream(stream);
        } else {
            serve_stream(*sock);
        }
        std::lock_guard lock(mutex_);
        sock->shutdown(tcp::socket::shutdown_both, ec);
        sock->close(ec);
    }
};

} // namespace test
