// restschema/detail/json_path.hpp - the JSON paths that problems name (`user.addresses[0].zip`).
//
// One spelling for the codec, validation and the mock's checks, so that a
// value is named alike wherever it fails: a map's keys are written as
// members are, quoted when they could be misread (`labels["a.b"]`).
#pragma once

#include <restschema/detail/redact.hpp> // printable

#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>

namespace restschema::detail {

/// `.key`, or `["key"]` when the key holds anything but letters, digits, `_` and `-`.
inline void push_key(std::string& path, std::string_view key)
{
    bool plain = !key.empty();
    for (char c : key)
        plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          c == '_' || c == '-');
    if (plain) {
        if (!path.empty())
            path += '.';
        path += key;
        return;
    }
    path += "[\"";
    for (char c : printable(key, 64))
        path += (c == '"' || c == '\\') ? std::string{'\\', c} : std::string(1, c);
    path += "\"]";
}

inline void push_index(std::string& path, std::size_t i)
{
    char buf[24];
    auto const r = std::to_chars(buf, buf + sizeof buf, i);
    path += '[';
    path.append(buf, r.ptr);
    path += ']';
}

} // namespace restschema::detail
