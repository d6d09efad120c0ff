// restschema/trace.hpp - where a call's time went, for a tracing hook.
//
//   restschema::client_options o;
//   o.trace = [](restschema::call_trace const& t) {
//       for (auto const& a : t.attempts)
//           std::cerr << t.endpoint << " attempt " << a.attempt << ": connect "
//                     << a.phases.connect.count() << " ns, waiting " << a.phases.wait.count() << " ns\n";
//   };
//
// The hook is called once per call, when the call has completed (with a
// response, an error or a cancellation), on the thread that completes it,
// before the caller sees the result. Nothing secret is in a trace: the target
// is the redacted one (API keys in paths as "***"), error messages are
// scrubbed of credentials, and no header or body is carried.
// restschema/otlp.hpp writes a trace as OpenTelemetry (OTLP/JSON) spans.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace restschema {

enum class error_kind : int; // restschema/error.hpp

/// The time one attempt spent in each phase, in the order they happen. A
/// phase the attempt did not go through is zero: a reused connection has
/// no resolve, connect, proxy or tls; a plain-HTTP service has no tls; a
/// call without token sources has no token.
struct attempt_phases {
    std::chrono::nanoseconds token{};   ///< waiting for the token sources (client_options::token_sources)
    std::chrono::nanoseconds resolve{}; ///< looking the host (or the proxy) up
    std::chrono::nanoseconds connect{}; ///< TCP connect, every address tried
    std::chrono::nanoseconds proxy{};   ///< the CONNECT exchange with an HTTPS proxy
    std::chrono::nanoseconds tls{};     ///< the TLS handshake
    std::chrono::nanoseconds send{};    ///< writing the request
    std::chrono::nanoseconds wait{};    ///< from the request written to the response's first bytes
    std::chrono::nanoseconds receive{}; ///< from the first bytes to the whole response
};

/// One attempt of a call: the request sent once (a retry is another attempt).
struct attempt_trace {
    int attempt = 1;                               ///< 1 for the first
    std::chrono::system_clock::time_point start{}; ///< when it began
    std::chrono::nanoseconds duration{};           ///< until its response or its error
    attempt_phases phases{};                       ///< what that time was spent on
    bool reused_connection = false;                ///< on a pooled connection (no connect phases)
    int status = 0;                                ///< the HTTP status; 0: no response
    std::size_t bytes_sent = 0;                    ///< request head and body, as written
    std::size_t bytes_received = 0;                ///< response head and body, as received (before inflating)
    std::optional<error_kind> error{};             ///< how the attempt failed; empty: it succeeded
    std::string error_message{};                   ///< scrubbed of secrets
    std::chrono::nanoseconds backoff{};            ///< waited after it before the next attempt
};

/// One call: all its attempts and how it ended.
struct call_trace {
    std::string_view endpoint{};                   ///< the endpoint id, e.g. "update_profile"
    std::string method{};                          ///< "PUT"
    std::string scheme{};                          ///< "https" or "http"
    std::string server{};                          ///< the service's host
    std::string port{};                            ///< and port ("443")
    std::string target{};                          ///< path and query, redacted
    std::string proxy{};                           ///< "host:port" of the proxy used; empty: direct
    std::chrono::system_clock::time_point start{}; ///< when the call began
    std::chrono::nanoseconds duration{};           ///< until it completed, back-offs included
    int status = 0;                                ///< the last response's HTTP status; 0: none
    std::optional<error_kind> error{};             ///< how the call failed; empty: it succeeded
    std::string error_message{};                   ///< scrubbed of secrets
    std::vector<attempt_trace> attempts{};         ///< in order; empty when cancelled before the first
};

} // namespace restschema
