// restschema/mock/fault.hpp - the fault-injection spec of the mock server.
//
// The grammar is documented at the top of restschema/mock.hpp and in docs/mock-server.md.
#pragma once

#include <restschema/detail/http_date.hpp>
#include <restschema/detail/text.hpp>

#include <chrono>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace restschema::mock {

/// How a faulty answer ends the connection.
enum class drop_kind : unsigned char {
    none,
    before_response, ///< close without answering
    mid_response,    ///< send the status line, the headers and part of the body, then close
};

/// One parsed fault spec. Empty members mean "not asked for".
struct fault {
    std::string error;       ///< name of the error row to answer
    std::string retry_after; ///< Retry-After value to add
    int status = 0;          ///< a bare status to answer
    std::chrono::milliseconds latency{0};
    drop_kind drop = drop_kind::none;
    std::int64_t times = 0; ///< per-run only: how many matching requests get it (0 = every one)
    std::size_t body_bytes = 0;
    std::string text; ///< the spec as given (for the access log)

    [[nodiscard]] bool empty() const noexcept
    {
        return error.empty() && retry_after.empty() && status == 0 && latency.count() == 0 &&
               drop == drop_kind::none && body_bytes == 0;
    }
};

/// Parses `key=value;key=value`. Returns "" on success, else what is wrong.
/// Row names are checked by the caller (they depend on the endpoint).
/// `per_run` allows `times=`, which a per-request header cannot carry.
inline std::string parse_fault(std::string_view spec, bool per_run, fault& out)
{
    out = fault{};
    out.text = std::string(restschema::detail::trim_space(spec));
    unsigned seen = 0;
    std::string_view rest = spec;
    while (!rest.empty()) {
        auto const semi = rest.find(';');
        auto part = restschema::detail::trim_space(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
        if (part.empty())
            continue;
        auto const eq = part.find('=');
        if (eq == std::string_view::npos)
            return "fault \"" + std::string(part) + "\" is not key=value";
        auto const key = restschema::detail::trim_space(part.substr(0, eq));
        auto const value = restschema::detail::trim_space(part.substr(eq + 1));
        static constexpr std::string_view keys[] = {"error", "retry_after", "status",    "latency",
                                                    "drop",  "times",       "body_bytes"};
        unsigned bit = 0;
        for (unsigned i = 0; i < std::size(keys); ++i)
            if (keys[i] == key)
                bit = 1u << i;
        if (!bit)
            return "unknown fault key \"" + std::string(key) +
                   "\" (known: error, retry_after, status, latency, drop, times, body_bytes)";
        if (seen & bit)
            return "fault key \"" + std::string(key) + "\" given twice";
        seen |= bit;
        std::int64_t n = 0;
        if (key == "error") {
            if (value.empty())
                return "error= needs the name of an error row";
            out.error = std::string(value);
        } else if (key == "retry_after") {
            if (!restschema::detail::parse_uint(value, 0, 999'999'999, n) &&
                !restschema::detail::parse_imf_fixdate(value))
                return "retry_after=" + std::string(value) +
                       " is neither seconds nor an HTTP-date (e.g. Sun, 06 Nov 1994 08:49:37 GMT)";
            out.retry_after = std::string(value);
        } else if (key == "status") {
            if (!restschema::detail::parse_uint(value, 200, 599, n))
                return "status=" + std::string(value) + " is not a final HTTP status (200-599)";
            out.status = static_cast<int>(n);
        } else if (key == "latency") {
            if (!restschema::detail::parse_uint(value, 0, 600'000, n))
                return "latency=" + std::string(value) + " is not a delay in milliseconds (0-600000)";
            out.latency = std::chrono::milliseconds(n);
        } else if (key == "drop") {
            if (value == "mid-response")
                out.drop = drop_kind::mid_response;
            else if (value == "before-response")
                out.drop = drop_kind::before_response;
            else
                return "drop=" + std::string(value) + " is not one of mid-response, before-response";
        } else if (key == "times") {
            if (!per_run)
                return "times= is a per-run setting (--fault / set_fault), not for one request";
            if (!restschema::detail::parse_uint(value, 1, 1'000'000'000, n))
                return "times=" + std::string(value) + " is not a positive count";
            out.times = n;
        } else if (key == "body_bytes") {
            if (!restschema::detail::parse_uint(value, 0, 64 * 1024 * 1024, n))
                return "body_bytes=" + std::string(value) + " is not a size in bytes (0-67108864)";
            out.body_bytes = static_cast<std::size_t>(n);
        }
    }
    if (!out.error.empty() && out.status != 0)
        return "error= and status= cannot be combined";
    return {};
}

} // namespace restschema::mock
