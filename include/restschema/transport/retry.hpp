// restschema/transport/retry.hpp - when to try again, and after how long.
#pragma once

#include <restschema/client_options.hpp>
#include <restschema/detail/config.hpp>
#include <restschema/error.hpp>

#include <chrono>
#include <optional>

namespace restschema::transport {

/// The delay before attempt `attempt + 1` by exponential backoff, without
/// Retry-After: initial_backoff * multiplier^(attempt-1), capped by
/// max_backoff; with jitter, `unit` (uniform in [0, 1)) places it within
/// [delay/2, delay]. Never below initial_backoff.
[[nodiscard]] RESTSCHEMA_DECL std::chrono::milliseconds backoff(retry_policy const& policy, int attempt,
                                                                double unit);

/// Whether a failed attempt is tried again, and after what wait.
struct retry_decision {
    bool retry = false;
    /// What Retry-After asked for, when it is honoured; otherwise the backoff applies.
    std::optional<std::chrono::milliseconds> wait;
};

/// Only idempotent requests are retried: a transport failure before any byte
/// of the response, a timeout when retry_on_timeout, an api error whose row
/// is retryable with status 429 or 5xx. A Retry-After longer than
/// max_retry_after is not waited for (no retry; the caller sees retry_after).
[[nodiscard]] RESTSCHEMA_DECL retry_decision decide_retry(retry_policy const& policy, bool idempotent,
                                                          error const& failure, bool before_response);

} // namespace restschema::transport

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/transport/impl/retry.ipp>
#endif
