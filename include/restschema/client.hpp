// restschema/client.hpp - one generic Boost.Beast client for every described endpoint.
//
//   restschema::client<attestr::service> api({.credentials = {{"basic_token", token}}});
//   attestr::update_profile_request req;
//   req.profile_id = "PRF-1"; req.tag = "EMP-1"; req.name = "Asha";
//   auto r = api.try_call(req);            // restschema::result<boost::json::value>
//   if (!r && r.error().api_error<attestr::update_profile_error>() ==
//   attestr::update_profile_error::api_daily_limit) ...
//
// Requests are built from the generated endpoint descriptor alone: path
// template, parameter locations, constants, auth schemes and the error table.
// The request is validated first; nothing is sent for an invalid request.
#pragma once

#include <restschema/codec.hpp>
#include <restschema/error.hpp>
#include <restschema/error_table.hpp>
#include <restschema/meta.hpp>
#include <restschema/validate.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace restschema {

/// When and how often to try again. Only idempotent methods (GET, HEAD, PUT,
/// DELETE, OPTIONS) are retried: on 429 and 5xx whose error row is retryable
/// (or that match no row), and on a connection lost before any byte of the response.
struct retry_policy {
    int max_attempts = 3;                           ///< attempts in all, the first included (1 = no retries)
    std::chrono::milliseconds initial_backoff{200}; ///< the first delay, and the floor of every delay
    std::chrono::milliseconds max_backoff{10'000};  ///< the cap of every computed delay
    double multiplier = 2.0;                        ///< growth per attempt
    bool jitter = true;                             ///< randomise each delay within [delay/2, delay]
    bool honor_retry_after = true;                  ///< wait what Retry-After says (seconds or HTTP-date)
    /// A Retry-After longer than this is not waited for: the error is returned
    /// with `retry_after` set, so the caller can schedule the retry itself.
    std::chrono::milliseconds max_retry_after{30'000};
    bool retry_on_timeout = false; ///< also retry an attempt that timed out
};

/// HTTPS settings. Verification is on unless turned off explicitly.
struct tls_options {
    bool verify_peer = true;   ///< verify the certificate chain and the host name
    std::string ca_file{};     ///< PEM file of trusted CAs, used in addition to the system's
    bool use_system_ca = true; ///< trust the system's CA store (set_default_verify_paths)
};

/// What the logging hook sees. Credentials and sensitive fields are
/// already replaced by "***" in the target, the headers and the body.
struct log_record {
    enum class kind { request, response, retry } what = kind::request;
    std::string_view endpoint{};
    std::string method{};
    std::string target{};
    int attempt = 1;
    int status = 0; ///< response only
    std::vector<std::pair<std::string, std::string>> headers{};
    std::string body{};                   ///< capped at 4 KiB
    std::chrono::milliseconds elapsed{0}; ///< response and retry: time of this attempt / delay
};

struct client_options {
    /// Where the service lives, e.g. "https://api.attestr.com" or "http://127.0.0.1:8080/prefix".
    /// Empty: the schema's base_url.
    std::string base_url{};
    /// API version to speak ("v1"). Empty: the newest version of the schema.
    std::string api_version{};
    /// Credentials by auth scheme id from the schema ("basic_token", "api_key", ...).
    std::map<std::string, std::string, std::less<>> credentials{};
    std::chrono::milliseconds connect_timeout{10'000}; ///< resolve + TCP connect + TLS handshake
    std::chrono::milliseconds request_timeout{
        30'000}; ///< one attempt: send the request, read the whole response
    retry_policy retry;
    tls_options tls;
    std::size_t max_body_size = 4 * 1024 * 1024;    ///< a larger response body is an error
    std::size_t max_idle_connections = 8;           ///< kept open per client for reuse
    std::chrono::milliseconds idle_timeout{30'000}; ///< an idle connection older than this is not reused
    std::string user_agent = "restschema/0.1";
    /// Called for every request, response and retry; off when empty. Redacted.
    std::function<void(log_record const&)> log{};
};

namespace detail {
class session;
}

/// A client for one service (a generated `<api>::service` descriptor).
/// Thread safety: calls may be made from several threads. Synchronous calls
/// on one client run one at a time (they share its private io_context); for
/// concurrency use async_call or one client per thread. Connections are
/// pooled per client and never shared by two requests at once. Destroy the
/// client before the io_context of its executor.
template <class Service>
class client {
  public:
    using service_type = Service;

    /// A client for synchronous calls; it runs its own io_context inside call().
    explicit client(client_options options = {});

    /// A client for asynchronous calls, whose operations run on `ex`
    /// (synchronous calls remain available and use a private io_context).
    explicit client(boost::asio::any_io_executor ex, client_options options = {});

    /// Calls Endpoint. Returns the decoded response or the error; never throws
    /// for a failed call.
    template <class Endpoint>
    [[nodiscard]] result<typename Endpoint::response> try_call(typename Endpoint::request const& request);

    /// Calls the endpoint of a generated request type.
    template <class Request, class Endpoint = typename endpoint_of<Request>::type>
    [[nodiscard]] result<typename Endpoint::response> try_call(Request const& request)
    {
        return try_call<Endpoint>(request);
    }

    /// Calls Endpoint; throws restschema::exception on failure.
    template <class Endpoint>
    typename Endpoint::response call(typename Endpoint::request const& request)
    {
        return try_call<Endpoint>(request).value();
    }

    template <class Request, class Endpoint = typename endpoint_of<Request>::type>
    typename Endpoint::response call(Request const& request)
    {
        return try_call<Endpoint>(request).value();
    }

    /// Starts a call; completes with `void(restschema::result<Response>)`.
    /// Works with callbacks, asio::use_future and asio::use_awaitable.
    template <class Endpoint, class Token>
    auto async_call(typename Endpoint::request request, Token&& token);

    template <class Request, class Token, class Endpoint = typename endpoint_of<Request>::type>
    auto async_call(Request request, Token&& token)
    {
        return async_call<Endpoint>(std::move(request), std::forward<Token>(token));
    }

    /// The options in effect (base_url and api_version filled in).
    [[nodiscard]] client_options const& options() const noexcept;

    /// The executor of asynchronous calls.
    [[nodiscard]] boost::asio::any_io_executor get_executor() const noexcept;

  private:
    std::shared_ptr<detail::session> session_;
};

} // namespace restschema

#include <restschema/impl/client.hpp>
