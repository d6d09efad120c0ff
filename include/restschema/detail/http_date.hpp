// restschema/detail/http_date.hpp - Retry-After in both of its forms.
#pragma once

#include <chrono>
#include <ctime>
#include <optional>
#include <string_view>

namespace restschema::detail {

/// Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the form RFC 9110
/// requires senders to use. Returns seconds since the epoch.
inline std::optional<std::int64_t> parse_imf_fixdate(std::string_view s)
{
    static constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    // "Sun, 06 Nov 1994 08:49:37 GMT" is exactly 29 characters.
    if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
        s[19] != ':' || s[22] != ':' || s[25] != ' ' || s.substr(26) != "GMT")
        return std::nullopt;
    auto num = [&](std::size_t pos, std::size_t n) -> int {
        int v = 0;
        for (std::size_t i = pos; i < pos + n; ++i) {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    int month = -1;
    for (int i = 0; i < 12; ++i)
        if (s.substr(8, 3) == months[i])
            month = i;
    int const day = num(5, 2), year = num(12, 4), h = num(17, 2), m = num(20, 2), sec = num(23, 2);
    if (month < 0 || day < 1 || day > 31 || year < 1970 || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 ||
        sec > 60)
        return std::nullopt;
    using namespace std::chrono;
    auto const ymd =
        year_month_day{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month + 1)},
                       std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok())
        return std::nullopt;
    auto const days = sys_days{ymd}.time_since_epoch().count();
    return static_cast<std::int64_t>(days) * 86400 + h * 3600 + m * 60 + sec;
}

/// The delay a Retry-After value asks for: delta-seconds or an HTTP-date
/// (relative to `now`, a date in the past meaning "now"). nullopt when malformed.
inline std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view v,
                                                                  std::chrono::system_clock::time_point now)
{
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
        v.remove_suffix(1);
    if (v.empty())
        return std::nullopt;
    if (v.find_first_not_of("0123456789") == std::string_view::npos) {
        if (v.size() > 9) // more than ~30 years: treat as "very long"
            return std::chrono::hours(24 * 365);
        std::int64_t secs = 0;
        for (char c : v)
            secs = secs * 10 + (c - '0');
        return std::chrono::seconds(secs);
    }
    auto const when = parse_imf_fixdate(v);
    if (!when)
        return std::nullopt;
    // Far dates are "very long", like large delta-seconds; and a time_point
    // of system_clock (nanoseconds) cannot hold dates beyond the year 2262.
    auto const now_secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    if (*when - now_secs > std::int64_t(365) * 86400)
        return std::chrono::hours(24 * 365);
    auto const at = std::chrono::system_clock::time_point(std::chrono::seconds(*when));
    if (at <= now)
        return std::chrono::milliseconds(0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(at - now);
}

} // namespace restschema::detail
