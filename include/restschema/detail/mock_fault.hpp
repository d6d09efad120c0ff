// restschema/detail/mock_fault.hpp - the fault-injection spec of restschema-mock.
//
// Included by restschema/mock.hpp; the grammar is documented there.
#pragma once

#include <restschema/detail/http_date.hpp>

#include <chrono>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace restschema::detail {

/// How a faulty answer ends the connection.
enum class mock_drop : unsigned char {
    none,
    before_response, ///< close without answering
    mid_response,    ///< send the status line, the headers and part of the body, then close
};

/// One parsed fault spec. Empty members mean "not asked for".
struct mock_fault {
    std::string error;       ///< name of the error row to answer
    std::string retry_after; ///< Retry-After value to add
    int status = 0;          ///< a bare status to answer
    std::chrono::milliseconds latency{0};
    mock_drop drop = mock_drop::none;
    std::int64_t times = 0; ///< per-run only: how many matching requests get it (0 = every one)
    std::size_t body_bytes = 0;
    std::string text; ///< the spec as given (for the access log)

    [[nodiscard]] bool empty() const noexcept
    {
        return error.empty() && retry_after.empty() && status == 0 && latency.count() == 0 &&
               drop == mock_drop::none && body_bytes == 0;
    }
};

inline std::string_view mock_trim(std::string_view s) noexcept
{
    auto const space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

/// Parses a non-negative decimal integer within [lo, hi].
inline bool mock_parse_uint(std::string_view s, std::int64_t lo, std::int64_t hi, std::int64_t& out) noexcept
{
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string_view::npos)
        return false;
    std::int64_t v = 0;
    auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < lo || v > hi)
        return false;
    out = v;
    return true;
}

/// Parses `key=value;key=value`. Returns "" on success, else what is wrong.
/// Row names are checked by the caller (they depend on the endpoint).
/// `per_run` allows `times=`, which a per-request header cannot carry.
inline std::string parse_mock_fault(std::string_view spec, bool per_run, mock_fault& out)
{
    out = mock_fault{};
    out.text = std::string(mock_trim(spec));
    unsigned seen = 0;
    std::string_view rest = spec;
    while (!rest.empty()) {
        auto const semi = rest.find(';');
        auto part = mock_trim(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
        if (part.empty())
            continue;
        auto const eq = part.find('=');
        if (eq == std::string_view::npos)
            return "fault \"" + std::string(part) + "\" is not key=value";
        auto const key = mock_trim(part.substr(0, eq));
        auto const value = mock_trim(part.substr(eq + 1));
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
            if (!mock_parse_uint(value, 0, 999'999'999, n) && !parse_imf_fixdate(value))
                return "retry_after=" + std::string(value) +
                       " is neither seconds nor an HTTP-date (e.g. Sun, 06 Nov 1994 08:49:37 GMT)";
            out.retry_after = std::string(value);
        } else if (key == "status") {
            if (!mock_parse_uint(value, 200, 599, n))
                return "status=" + std::string(value) + " is not a final HTTP status (200-599)";
            out.status = static_cast<int>(n);
        } else if (key == "latency") {
            if (!mock_parse_uint(value, 0, 600'000, n))
                return "latency=" + std::string(value) + " is not a delay in milliseconds (0-600000)";
            out.latency = std::chrono::milliseconds(n);
        } else if (key == "drop") {
            if (value == "mid-response")
                out.drop = mock_drop::mid_response;
            else if (value == "before-response")
                out.drop = mock_drop::before_response;
            else
                return "drop=" + std::string(value) + " is not one of mid-response, before-response";
        } else if (key == "times") {
            if (!per_run)
                return "times= is a per-run setting (--fault / set_fault), not for one request";
            if (!mock_parse_uint(value, 1, 1'000'000'000, n))
                return "times=" + std::string(value) + " is not a positive count";
            out.times = n;
        } else if (key == "body_bytes") {
            if (!mock_parse_uint(value, 0, 64 * 1024 * 1024, n))
                return "body_bytes=" + std::string(value) + " is not a size in bytes (0-67108864)";
            out.body_bytes = static_cast<std::size_t>(n);
        }
    }
    if (!out.error.empty() && out.status != 0)
        return "error= and status= cannot be combined";
    return {};
}

} // namespace restschema::detail
