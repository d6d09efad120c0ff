// A small HTTP proxy for client tests: CONNECT tunnels (for HTTPS) and
// absolute-form requests (for plain HTTP), optionally asking for Basic
// credentials or refusing every CONNECT. It records what it was asked, so a
// test can check what the client sent to the proxy and what reached the
// service. Thread per connection, blocking sockets; loopback only.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>

namespace test {

class connect_proxy {
  public:
    struct settings {
        std::string authorization{}; ///< required Proxy-Authorization value ("Basic ..."); empty: none
        int refuse_connect = 0;      ///< answer every CONNECT with this status (e.g. 403); 0: tunnel
        std::string raw_answer{};    ///< answer every CONNECT with these bytes instead
    };

    connect_proxy() : connect_proxy(settings{}) {}
    explicit connect_proxy(settings s) : settings_(std::move(s))
    {
        namespace asio = boost::asio;
        acceptor_.open(tcp::v4());
        acceptor_.set_option(tcp::acceptor::reuse_address(true));
        acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        thread_ = std::thread([this] { accept_loop(); });
    }

    ~connect_proxy()
    {
        stopping_ = true;
        boost::system::error_code ec;
        {
            tcp::socket wake(io_); // accept() is not interrupted by close() on Linux
            wake.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
        }
        thread_.join();
        // Shut down (never close) what workers may be blocked on: close() would
        // race with their reads; the sockets close when the workers are done.
        {
            std::lock_guard lock(mutex_);
            for (auto& s : sockets_)
                s->shutdown(tcp::socket::shutdown_both, ec);
        }
        for (auto& t : workers_)
            t.join();
    }

    std::string url(std::string const& userinfo = "") const
    {
        return "http://" + (userinfo.empty() ? "" : userinfo + "@") + "127.0.0.1:" + std::to_string(port_);
    }
    /// The request line of every request the proxy received ("CONNECT h:p HTTP/1.1", "GET http://...
    /// HTTP/1.1").
    std::vector<std::string> request_lines() const
    {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    /// The Proxy-Authorization value of each request ("" when absent).
    std::vector<std::string> authorizations() const
    {
        std::lock_guard lock(mutex_);
        return auths_;
    }
    int connections() const { return connections_; }

  private:
    using tcp = boost::asio::ip::tcp;

    settings settings_;
    boost::asio::io_context io_;
    tcp::acceptor acceptor_{io_};
    unsigned short port_ = 0;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<tcp::socket>> sockets_;
    std::vector<std::thread> workers_;
    std::vector<std::string> lines_, auths_;

    std::shared_ptr<tcp::socket> track(std::shared_ptr<tcp::socket> s)
    {
        std::lock_guard lock(mutex_);
        sockets_.push_back(s);
        return s;
    }

    void accept_loop()
    {
        for (;;) {
            auto sock = std::make_shared<tcp::socket>(io_);
            boost::system::error_code ec;
            acceptor_.accept(*sock, ec);
            if (stopping_ || ec)
                return;
            ++connections_;
            track(sock);
            std::lock_guard lock(mutex_);
            workers_.emplace_back([this, sock] { serve(sock); });
        }
    }

    /// Copies bytes both ways until either side closes.
    static void pump(tcp::socket& a, tcp::socket& b)
    {
        char buf[16 * 1024];
        pollfd fds[2] = {{a.native_handle(), POLLIN, 0}, {b.native_handle(), POLLIN, 0}};
        for (;;) {
            if (::poll(fds, 2, 30'000) <= 0)
                return;
            for (int i = 0; i < 2; ++i) {
                if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                    continue;
                auto& from = i == 0 ? a : b;
                auto& to = i == 0 ? b : a;
                boost::system::error_code ec;
                auto const n = from.read_some(boost::asio::buffer(buf), ec);
                if (ec || n == 0)
                    return;
                boost::asio::write(to, boost::asio::buffer(buf, n), ec);
                if (ec)
                    return;
            }
        }
    }

    static void answer(tcp::socket& s, int status, std::string const& reason, std::string const& extra = "")
    {
        std::string const body = "proxy says " + std::to_string(status) + "\n";
        std::string const raw =
            "HTTP/1.1 " + std::to_string(status) + " " + reason +
            "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
            extra + "\r\n" + body;
        boost::system::error_code ec;
        boost::asio::write(s, boost::asio::buffer(raw), ec);
    }

    std::shared_ptr<tcp::socket> upstream(std::string const& host, std::string const& port)
    {
        auto up = track(std::make_shared<tcp::socket>(io_));
        boost::system::error_code ec;
        tcp::resolver resolver(io_);
        auto const eps = resolver.resolve(host, port, ec);
        if (ec || eps.empty())
            return nullptr;
        up->connect(eps.begin()->endpoint(), ec);
        return ec ? nullptr : up;
    }

    void serve(std::shared_ptr<tcp::socket> client)
    {
        namespace http = boost::beast::http;
        boost::beast::flat_buffer buffer;
        std::shared_ptr<tcp::socket> up; // absolute-form requests: one upstream per client connection
        std::string up_authority;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(16 * 1024);
            boost::system::error_code ec;
            http::read_header(*client, buffer, parser, ec);
            if (ec)
                return;
            auto& req = parser.get();
            std::string const target(req.target());
            std::string const auth(req[http::field::proxy_authorization]);
            {
                std::lock_guard lock(mutex_);
                lines_.push_back(std::string(req.method_string()) + " " + target + " HTTP/1.1");
                auths_.push_back(auth);
            }
            if (!settings_.authorization.empty() && auth != settings_.authorization) {
                answer(*client, 407, "Proxy Authentication Required",
                       "Proxy-Authenticate: Basic realm=\"test\"\r\nConnection: close\r\n");
                return;
            }
            if (req.method() == http::verb::connect) {
                if (!settings_.raw_answer.empty()) {
                    boost::asio::write(*client, boost::asio::buffer(settings_.raw_answer), ec);
                    return;
                }
                if (settings_.refuse_connect) {
                    answer(*client, settings_.refuse_connect, "Forbidden", "Connection: close\r\n");
                    return;
                }
                auto const colon = target.rfind(':');
                auto tunnel = colon == std::string::npos
                                  ? nullptr
                                  : upstream(target.substr(0, colon), target.substr(colon + 1));
                if (!tunnel) {
                    answer(*client, 502, "Bad Gateway", "Connection: close\r\n");
                    return;
                }
                static constexpr char ok[] = "HTTP/1.1 200 Connection established\r\n\r\n";
                boost::asio::write(*client, boost::asio::buffer(ok, sizeof ok - 1), ec);
                if (buffer.size() > 0) // nothing should follow CONNECT before the answer; forward it anyway
                    boost::asio::write(*tunnel, buffer.data(), ec);
                pump(*client, *tunnel);
                return;
            }
            // Absolute form: "GET http://host:port/path HTTP/1.1" -> origin form upstream.
            if (!target.starts_with("http://")) {
                answer(*client, 400, "Bad Request", "Connection: close\r\n");
                return;
            }
            auto const slash = target.find('/', 7);
            auto const authority =
                target.substr(7, slash == std::string::npos ? std::string::npos : slash - 7);
            if (!up || up_authority != authority) {
                auto const colon = authority.rfind(':');
                up = upstream(authority.substr(0, colon),
                              colon == std::string::npos ? "80" : authority.substr(colon + 1));
                up_authority = authority;
                if (!up) {
                    answer(*client, 502, "Bad Gateway", "Connection: close\r\n");
                    return;
                }
            }
            http::read(*client, buffer, parser, ec);
            if (ec)
                return;
            auto forwarded = parser.release();
            forwarded.target(slash == std::string::npos ? "/" : target.substr(slash));
            forwarded.erase(http::field::proxy_authorization);
            http::write(*up, forwarded, ec);
            boost::beast::flat_buffer up_buffer;
            http::response<http::string_body> res;
            if (!ec)
                http::read(*up, up_buffer, res, ec);
            if (ec) {
                answer(*client, 502, "Bad Gateway", "Connection: close\r\n");
                return;
            }
            http::write(*client, res, ec);
            if (ec || !res.keep_alive())
                return;
        }
    }
};

} // namespace test
