// restschema/detail/json_text.hpp - JSON text into a DOM, with the codec's syntax errors.
#pragma once

#include <restschema/impl/codec.hpp> // parse_json_text

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace restschema::detail {

/// Parses JSON text as the codec does (exact doubles, its depth limit); on
/// failure returns nullopt and sets `why` to what and where:
/// "invalid JSON at line 1, column 7 (byte 6): unexpected character '}'".
inline std::optional<boost::json::value> parse_json(std::string_view text, std::string& why)
{
    auto r = parse_json_text(text, {});
    if (!r) {
        why = std::move(r.error().message);
        return std::nullopt;
    }
    return std::move(*r);
}

} // namespace restschema::detail
