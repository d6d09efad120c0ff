// restschema/detail/json_text.hpp - parsing JSON text with a position in the error.
#pragma once

#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace restschema::detail {

/// "line L, column C" (1-based) of a byte offset, for error messages.
inline std::string line_col(std::string_view text, std::size_t offset)
{
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n')
            ++line, col = 1;
        else
            ++col;
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

/// Parses JSON text; on failure returns nullopt and sets `why` to what and
/// where: "syntax error at line 1, column 7 (byte 6)".
inline std::optional<boost::json::value> parse_json(std::string_view text, std::string& why)
{
    boost::json::parser p;
    boost::system::error_code ec;
    auto const n = p.write(text.data(), text.size(), ec);
    if (ec) {
        why = ec.message() + " at " + line_col(text, n) + " (byte " + std::to_string(n) + ")";
        return std::nullopt;
    }
    return p.release();
}

} // namespace restschema::detail
