// restschema/error_table.hpp - from an HTTP error response to the endpoint's error row.
//
// Each endpoint descriptor carries its error table (the service's shared rows,
// then its own): HTTP status, the API's numeric code, the documented message
// and whether a retry may help. These functions map a response onto it.
#pragma once

#include <restschema/error.hpp>
#include <restschema/meta.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace restschema {

/// The row for (status, code): the row with that status and code; when the
/// response carried no code, the row with that status and no code; otherwise
/// nullptr (the outcome is kept as `unknown`, with its raw status and code).
template <class Endpoint>
[[nodiscard]] constexpr error_row<typename Endpoint::error> const*
find_error_row(int status, std::optional<std::int64_t> code)
{
    for (auto const& row : Endpoint::errors)
        if (row.status == status && code && row.code == *code)
            return &row;
    if (!code)
        for (auto const& row : Endpoint::errors)
            if (row.status == status && row.code == no_code)
                return &row;
    return nullptr;
}

/// The row of an enum value, or nullptr for `unknown`.
template <class Endpoint>
[[nodiscard]] constexpr error_row<typename Endpoint::error> const* error_row_of(typename Endpoint::error e)
{
    for (auto const& row : Endpoint::errors)
        if (row.value == e)
            return &row;
    return nullptr;
}

/// Builds the api error of a response with a non-success status. The body is
/// read through the service's error envelope when it has one; a body that is
/// not JSON is kept as text (capped) in `error::body`.
template <class Endpoint>
[[nodiscard]] error make_api_error(int status, std::string_view body);

} // namespace restschema

#include <restschema/impl/error_table.hpp>
