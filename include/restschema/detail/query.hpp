// restschema/detail/query.hpp - reading a URL query string.
#pragma once

#include <restschema/detail/path_template.hpp> // percent_decode
#include <restschema/detail/redact.hpp>        // printable
#include <restschema/error.hpp>                // problem

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace restschema::detail {

using query_params = std::vector<std::pair<std::string, std::string>>;

/// Splits and decodes a query string (`+` is a space); a malformed escape is
/// a problem and its pair is left out.
inline query_params parse_query(std::string_view q, std::vector<problem>& problems)
{
    query_params out;
    while (!q.empty()) {
        auto const amp = q.find('&');
        auto const piece = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
        if (piece.empty())
            continue;
        auto const eq = piece.find('=');
        auto k = percent_decode(piece.substr(0, eq), true);
        auto v =
            percent_decode(eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1), true);
        if (!k || !v) {
            problems.push_back({"query", "malformed percent-escape in \"" + printable(piece, 64) + "\""});
            continue;
        }
        out.emplace_back(std::move(*k), std::move(*v));
    }
    return out;
}

} // namespace restschema::detail
