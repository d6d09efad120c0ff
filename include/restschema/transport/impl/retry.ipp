// restschema/transport/impl/retry.ipp - the retry policy (not a template).
#pragma once

#include <restschema/transport/retry.hpp>

#include <algorithm>
#include <cstdint>

namespace restschema::transport {

RESTSCHEMA_DECL std::chrono::milliseconds backoff(retry_policy const& r, int attempt, double unit)
{
    double d = static_cast<double>(r.initial_backoff.count());
    for (int i = 1; i < attempt; ++i)
        d *= r.multiplier;
    d = std::min(d, static_cast<double>(r.max_backoff.count()));
    if (r.jitter)
        d = d / 2 + (d / 2) * std::clamp(unit, 0.0, 1.0);
    auto const ms = std::chrono::milliseconds(static_cast<std::int64_t>(d));
    return std::clamp(ms, r.initial_backoff, std::max(r.initial_backoff, r.max_backoff));
}

RESTSCHEMA_DECL retry_decision decide_retry(retry_policy const& policy, bool idempotent, error const& failure,
                                            bool before_response)
{
    retry_decision d;
    if (!idempotent)
        return d;
    switch (failure.kind) {
    case error_kind::transport:
        d.retry = before_response;
        break;
    case error_kind::timeout:
        d.retry = policy.retry_on_timeout;
        break;
    case error_kind::api:
        d.retry = failure.retryable && (failure.http_status == 429 || failure.http_status >= 500);
        if (d.retry && failure.retry_after && policy.honor_retry_after) {
            if (*failure.retry_after > policy.max_retry_after)
                d.retry = false; // too long to wait here; the caller sees retry_after
            else
                d.wait = *failure.retry_after;
        }
        break;
    case error_kind::proxy:
        // The proxy could not reach the service (or is overloaded): like a failed connect.
        d.retry = before_response &&
                  (failure.http_status == 502 || failure.http_status == 503 || failure.http_status == 504);
        break;
    default:
        break;
    }
    return d;
}

} // namespace restschema::transport
