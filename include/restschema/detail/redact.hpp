// restschema/detail/redact.hpp - keeping secrets out of messages and logs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace restschema::detail {

inline constexpr std::string_view redacted = "***";

/// Replaces every occurrence of every secret (and of its percent-encoded
/// form, as it appears in a path) with "***". Secrets shorter than 4
/// characters are still replaced: a leak of a short secret is still a leak.
inline std::string scrub(std::string text, std::vector<std::string> const& secrets)
{
    for (auto const& s : secrets) {
        if (s.empty())
            continue;
        for (std::size_t pos = text.find(s); pos != std::string::npos;
             pos = text.find(s, pos + redacted.size()))
            text.replace(pos, s.size(), redacted);
    }
    return text;
}

/// Escapes control characters so that text from a peer cannot forge log lines.
inline std::string printable(std::string_view s, std::size_t max = 512)
{
    std::string out;
    for (char c : s.substr(0, max)) {
        auto const u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 15];
        } else {
            out += c;
        }
    }
    if (s.size() > max)
        out += "...";
    return out;
}

} // namespace restschema::detail
