// Compile-cost floor of issue 9 (see bench/compile_cost.py): the minimal
// hand-rolled asynchronous client, C++20 coroutines over Boost.Beast, for
// one PUT with a JSON body over TLS (beast::ssl_stream<beast::tcp_stream>,
// SNI and certificate verification) or plain TCP (beast::tcp_stream), each
// step under a timeout (expires_after), the answer parsed with Boost.JSON.
//
// It compiles and links; it is not run by the benchmarks.
//   floor_async https|http HOST PORT TARGET TOKEN
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <openssl/ssl.h>

#include <chrono>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = boost::asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

struct target_info {
    std::string host;
    std::string port;
    std::string target;
    std::string token;
};

/// Writes the PUT and reads the answer on a connected (and, for TLS, handshaken) stream.
template <class Stream>
asio::awaitable<json::value> exchange(Stream& stream, target_info const& t, std::string body)
{
    http::request<http::string_body> req{http::verb::put, t.target, 11};
    req.set(http::field::host, t.host);
    req.set(http::field::user_agent, "floor-async/1");
    req.set(http::field::content_type, "application/json");
    req.set(http::field::accept, "application/json");
    req.set(http::field::authorization, "Basic " + t.token);
    req.body() = std::move(body);
    req.prepare_payload();

    beast::get_lowest_layer(stream).expires_after(30s); // the request: write and read it all
    co_await http::async_write(stream, req, asio::use_awaitable);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(4 * 1024 * 1024);
    co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
    auto const& res = parser.get();
    if (res.result_int() / 100 != 2)
        throw std::runtime_error("HTTP " + std::to_string(res.result_int()) + ": " + res.body());
    co_return json::parse(res.body());
}

asio::awaitable<json::value> put_https(ssl::context& ctx, target_info t, std::string body)
{
    auto ex = co_await asio::this_coro::executor;
    tcp::resolver resolver(ex);
    auto const endpoints = co_await resolver.async_resolve(t.host, t.port, asio::use_awaitable);

    beast::ssl_stream<beast::tcp_stream> stream(ex, ctx);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), t.host.c_str()) ||
        !SSL_set1_host(stream.native_handle(), t.host.c_str()))
        throw std::runtime_error("cannot set the TLS host name");

    beast::get_lowest_layer(stream).expires_after(10s); // connect and handshake
    co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
    beast::get_lowest_layer(stream).socket().set_option(tcp::no_delay(true));
    co_await stream.async_handshake(ssl::stream_base::client, asio::use_awaitable);

    json::value answer = co_await exchange(stream, t, std::move(body));

    beast::get_lowest_layer(stream).expires_after(5s);
    auto [ec] = co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
    (void)ec; // a peer that just closes is common; not an error for us
    co_return answer;
}

asio::awaitable<json::value> put_http(target_info t, std::string body)
{
    auto ex = co_await asio::this_coro::executor;
    tcp::resolver resolver(ex);
    auto const endpoints = co_await resolver.async_resolve(t.host, t.port, asio::use_awaitable);

    beast::tcp_stream stream(ex);
    stream.expires_after(10s);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    stream.socket().set_option(tcp::no_delay(true));

    json::value answer = co_await exchange(stream, t, std::move(body));

    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    co_return answer;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 6 || (std::string(argv[1]) != "https" && std::string(argv[1]) != "http")) {
        std::cerr << "usage: floor_async https|http HOST PORT TARGET TOKEN\n";
        return 2;
    }
    bool const tls = std::string(argv[1]) == "https";
    target_info t{argv[2], argv[3], argv[4], argv[5]};
    json::object body;
    body["tag"] = "EMP-1042";
    body["name"] = "Asha Verma";
    body["mobile"] = "+919876543210";

    asio::io_context ioc;
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(ssl::verify_peer);

    int status = 1;
    auto done = [&](std::exception_ptr error, json::value answer) {
        try {
            if (error)
                std::rethrow_exception(error);
            std::cout << json::serialize(answer) << '\n';
            status = 0;
        } catch (std::exception const& e) {
            std::cerr << "error: " << e.what() << '\n';
        }
    };
    if (tls)
        asio::co_spawn(ioc, put_https(ctx, std::move(t), json::serialize(body)), done);
    else
        asio::co_spawn(ioc, put_http(std::move(t), json::serialize(body)), done);
    ioc.run();
    return status;
}
