// Compile-cost floor of issue 9 (see bench/compile_cost.py): the minimal
// hand-rolled synchronous client a competent engineer writes for one HTTPS
// PUT with a JSON body. Resolve, connect, TLS handshake with SNI and
// certificate verification (chain and host name), write the request, read
// the response under a deadline, parse the body with Boost.JSON.
//
// Blocking Asio operations have no timeout of their own: Asio waits in
// poll() without one, so SO_RCVTIMEO/SO_SNDTIMEO do not help. A watchdog
// thread shuts the socket down when the deadline passes, which makes the
// blocked connect, handshake, read or write fail.
//
// It compiles and links; it is not run by the benchmarks.
//   floor_sync HOST PORT TARGET TOKEN
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = boost::asio::ip::tcp;

namespace {

/// Shuts down the watched socket when `limit` has passed, unless destroyed first.
class watchdog {
  public:
    explicit watchdog(std::chrono::steady_clock::duration limit)
        : thread_([this, limit](std::stop_token stop) {
              std::unique_lock lock(mutex_);
              if (!wake_.wait_for(lock, stop, limit, [&] { return stop.stop_requested(); })) {
                  expired_ = true;
                  if (fd_ >= 0)
                      ::shutdown(fd_, SHUT_RDWR);
              }
          })
    {
    }

    /// Watches `fd` from now on (-1: none). A socket watched after the deadline is shut down at once.
    void watch(int fd)
    {
        std::lock_guard lock(mutex_);
        fd_ = fd;
        if (expired_ && fd_ >= 0)
            ::shutdown(fd_, SHUT_RDWR);
    }

    [[nodiscard]] bool expired() const
    {
        std::lock_guard lock(mutex_);
        return expired_;
    }

  private:
    mutable std::mutex mutex_;
    std::condition_variable_any wake_;
    int fd_ = -1;
    bool expired_ = false;
    std::jthread thread_; // last: it starts once the members it uses exist
};

struct call_failed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// PUT `body` to https://host:port/target; returns the parsed JSON of a 2xx answer.
json::value put_json(std::string const& host, std::string const& port, std::string const& target,
                     std::string const& token, std::string const& body)
{
    asio::io_context ioc;
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(ssl::verify_peer);

    ssl::stream<tcp::socket> stream(ioc, ctx);
    // SNI, and the host name the certificate must carry (checked by OpenSSL in the handshake).
    if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()) ||
        !SSL_set1_host(stream.native_handle(), host.c_str()))
        throw call_failed("cannot set the TLS host name");

    watchdog deadline(std::chrono::seconds(30)); // the whole call: connect, handshake, write, read
    auto& socket = stream.next_layer();
    boost::system::error_code ec;
    tcp::resolver resolver(ioc);
    for (auto const& entry : resolver.resolve(host, port)) {
        deadline.watch(-1);
        socket.close(ec);
        socket.open(entry.endpoint().protocol());
        deadline.watch(socket.native_handle());
        socket.connect(entry.endpoint(), ec);
        if (!ec)
            break;
    }
    if (ec || !socket.is_open())
        throw call_failed(deadline.expired() ? "connect timed out" : "connect failed: " + ec.message());
    socket.set_option(tcp::no_delay(true));

    try {
        stream.handshake(ssl::stream_base::client);

        http::request<http::string_body> req{http::verb::put, target, 11};
        req.set(http::field::host, host);
        req.set(http::field::user_agent, "floor-sync/1");
        req.set(http::field::content_type, "application/json");
        req.set(http::field::accept, "application/json");
        req.set(http::field::authorization, "Basic " + token);
        req.body() = body;
        req.prepare_payload();
        http::write(stream, req);

        boost::beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(4 * 1024 * 1024);
        http::read(stream, buffer, parser);
        auto const& res = parser.get();

        stream.shutdown(ec); // a peer that just closes is common; not an error for us
        deadline.watch(-1);

        if (res.result_int() / 100 != 2)
            throw call_failed("HTTP " + std::to_string(res.result_int()) + ": " + res.body());
        return json::parse(res.body());
    } catch (boost::system::system_error const& e) {
        throw call_failed(deadline.expired() ? std::string("timed out") : std::string(e.what()));
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 5) {
        std::cerr << "usage: floor_sync HOST PORT TARGET TOKEN\n";
        return 2;
    }
    json::object body;
    body["tag"] = "EMP-1042";
    body["name"] = "Asha Verma";
    body["mobile"] = "+919876543210";
    try {
        json::value const answer = put_json(argv[1], argv[2], argv[3], argv[4], json::serialize(body));
        std::cout << json::serialize(answer) << '\n';
        return 0;
    } catch (std::exception const& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
}
