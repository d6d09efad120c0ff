// restschema/client_options.hpp - what a client is told: where, who, how long, how often.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <restschema/error.hpp>
#include <restschema/meta.hpp>
#include <restschema/trace.hpp>

namespace restschema {

struct decode_options; // restschema/codec.hpp
namespace detail {
struct runtime_type; // restschema/detail/runtime_type.hpp
}

/// Reads an XML body into a value described by the runtime type, at most
/// `max_size` bytes (restschema/xml.hpp defines the one restschema has).
using xml_decoder = result<void> (*)(detail::runtime_type const& t, void* out, std::string_view text,
                                     decode_options const& opt, std::size_t max_size);

/// The format of the response bodies a client asks for and reads. JSON
/// needs nothing more; XML is restschema::xml_format from
/// <restschema/xml.hpp>, which brings the XML reader (Expat) into the
/// program: one that never names it does not link Expat.
struct response_format {
    body_format kind = body_format::json; ///< json or xml
    xml_decoder decode_xml = nullptr;     ///< set by restschema::xml_format
};

/// JSON responses, the default.
inline constexpr response_format json_format{};

class token_source; // restschema/token.hpp

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

/// An HTTP proxy between the client and the service: plain HTTP requests go
/// to it in absolute form, HTTPS through a CONNECT tunnel (TLS stays end to
/// end). See docs/client.md, "Proxies".
struct proxy_options {
    /// "http://[user:password@]host[:port]" (port 80 when not given; a URL
    /// without a scheme is taken as http://). User and password are
    /// percent-decoded and sent as Proxy-Authorization: Basic; they never
    /// reach logs or errors. Empty: from the environment when use_environment.
    std::string url{};
    /// Hosts reached directly, as in the NO_PROXY convention: a comma-separated
    /// list of host names (matching the host and its subdomains; a leading
    /// '.' or "*." is the same), IP addresses, CIDR ranges ("10.0.0.0/8"),
    /// each with an optional ":port"; "*" matches every host. Empty: from the
    /// environment when use_environment.
    std::string no_proxy{};
    /// Read https_proxy / HTTPS_PROXY (for https:// services), http_proxy /
    /// HTTP_PROXY (for http://) and no_proxy / NO_PROXY, lower case first,
    /// once, when the client is made. HTTP_PROXY in upper case is ignored when
    /// REQUEST_METHOD is set (a CGI program, where a request's "Proxy:" header
    /// would become HTTP_PROXY: "httpoxy"). false: only url and no_proxy count.
    bool use_environment = true;
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
    /// Credentials fetched when a call needs them, by auth scheme id: asked
    /// before every attempt, and once more after a 401 (restschema/token.hpp;
    /// restschema/oauth2.hpp for OAuth2 client credentials). A scheme has a
    /// credential or a token source, not both.
    std::map<std::string, std::shared_ptr<token_source>, std::less<>> token_sources{};
    std::chrono::milliseconds connect_timeout{10'000}; ///< resolve + TCP connect + TLS handshake
    std::chrono::milliseconds request_timeout{
        30'000}; ///< one attempt: send the request, read the whole response
    retry_policy retry{};
    tls_options tls{};
    proxy_options proxy{};
    std::size_t max_body_size = 4 * 1024 * 1024; ///< a larger response body is an error
    /// Redirects followed per call (RFC 9110 15.4). 307 and 308 are followed
    /// with the same method and body; 301, 302 and 303 only for GET and HEAD
    /// (any other method would have to become a GET: that response is the
    /// call's error, naming where it points). Across origins credentials are
    /// dropped. Past the limit (a loop), the last 3xx is the error. 0: every
    /// 3xx is returned as an error of kind api.
    int max_redirects = 5;
    /// Ask for gzip (`Accept-Encoding: gzip`) and inflate gzip responses.
    /// The inflated size is bounded by max_body_size too. An Accept-Encoding
    /// header of the call (call_options::headers) replaces the client's.
    bool accept_gzip = true;
    std::size_t max_idle_connections = 8;           ///< kept open per client for reuse
    std::chrono::milliseconds idle_timeout{30'000}; ///< an idle connection older than this is not reused
    std::string user_agent = "restschema/0.1";
    /// The response format to ask for (restschema::xml_format from
    /// <restschema/xml.hpp> for XML), as the endpoint's schema says it is
    /// chosen: a path suffix (`/users/12.xml`) or the Accept header. Asking
    /// an endpoint for a format its schema does not list is a validation
    /// error. Error bodies are read in the format the server sends.
    response_format format = json_format;
    /// Called for every request, response and retry; off when empty. Redacted.
    std::function<void(log_record const&)> log{};
    /// Called once per call that was started (not for one that fails before
    /// anything is sent: validation, a bad option), when it completes: its attempts, the
    /// time of each phase, sizes, statuses, errors; nothing secret. Off when
    /// empty. restschema/otlp.hpp writes it as OpenTelemetry spans.
    std::function<void(call_trace const&)> trace{};
};

/// One extra header of a call. A sensitive value is masked like a
/// credential in logs and error text.
struct call_header {
    std::string name{};
    std::string value{};
    bool sensitive = false;
};

/// What one call may set differently from the client's options. Unset
/// members keep client_options'.
struct call_options {
    std::optional<std::chrono::milliseconds> connect_timeout{}; ///< resolve + connect + TLS of this call
    std::optional<std::chrono::milliseconds> request_timeout{}; ///< each attempt of this call
    std::optional<retry_policy> retry{};                        ///< this call's retries
    /// Headers added to the request; one named like a header the client sets
    /// (Accept, a header parameter, Authorization) replaces it. Host,
    /// Content-Length, Transfer-Encoding and Connection are the transport's:
    /// naming one is a validation error.
    std::vector<call_header> headers{};
    /// The idempotency key of this call (endpoints with an `idempotency_key`
    /// header only), sent on every retry; empty: a new UUID per call.
    std::string idempotency_key{};
    /// The response format of this call; unset: client_options::format.
    std::optional<response_format> format{};
};

/// Bounds of a walk over pages (restschema/pages.hpp). Reaching one ends
/// the walk normally: it is not an error.
struct page_limits {
    std::size_t max_pages = 0; ///< pages fetched at most; 0: no limit
    std::size_t max_items = 0; ///< items delivered at most (the last page is cut); 0: no limit
};

} // namespace restschema
