// restschema/error_table.hpp - from an HTTP error response to the endpoint's error row.
//
// Each endpoint descriptor carries its error table (the service's shared rows,
// then its own): HTTP status, the API's numeric code, the documented message
// and whether a retry may help. These functions map a response onto it.
#pragma once

#include <restschema/error.hpp>
#include <restschema/meta.hpp>

#include <restschema/detail/config.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace boost::json {
class value;
}

namespace restschema {

namespace detail {
/// The rule of find_error_row over any sequence of rows (typed or views).
template <class Rows>
constexpr auto find_row(Rows const& rows, int status, std::optional<std::int64_t> code) -> decltype(&rows[0])
{
    for (auto const& row : rows)
        if (row.status == status && code && row.code == *code)
            return &row;
    if (!code)
        for (auto const& row : rows)
            if (row.status == status && row.code == no_code)
                return &row;
    return nullptr;
}
} // namespace detail

/// The row for (status, code): the row with that status and code; when the
/// response carried no code, the row with that status and no code; otherwise
/// nullptr (the outcome is kept as `unknown`, with its raw status and code).
template <class Endpoint>
[[nodiscard]] constexpr error_row<typename Endpoint::error> const*
find_error_row(int status, std::optional<std::int64_t> code)
{
    return detail::find_row(Endpoint::errors, status, code);
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

/// One row of an error table with its enum value as int: the table as code
/// that is not a template sees it.
struct error_row_view {
    int value;
    int status;
    std::int64_t code;
    std::string_view name;
    std::string_view message;
    bool retryable;
};

/// An endpoint's error table and its service's error envelope (null when none).
struct error_table_view {
    std::string_view endpoint;
    std::span<error_row_view const> rows;
    error_envelope const* envelope = nullptr;
};

namespace detail {
/// How much of an error body an error keeps.
inline constexpr std::size_t max_kept_body = 4096;
/// An error code in JSON: an integer, or a string of digits (some APIs quote their codes).
RESTSCHEMA_DECL std::optional<std::int64_t> json_code(boost::json::value const* v);
/// A JSON member as text: a string as is, anything else serialized, null as "".
RESTSCHEMA_DECL std::string json_text(boost::json::value const* v);

template <class Endpoint>
inline constexpr auto error_rows_of = [] {
    std::array<error_row_view, Endpoint::errors.size()> rows{};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto const& r = Endpoint::errors[i];
        rows[i] = {static_cast<int>(r.value), r.status, r.code, r.name, r.message, r.retryable};
    }
    return rows;
}();
} // namespace detail

/// The error table of Endpoint as a view.
template <class Endpoint>
[[nodiscard]] constexpr error_table_view error_table_of() noexcept
{
    using service = typename Endpoint::service;
    error_envelope const* envelope = nullptr;
    if constexpr (service::has_error_envelope)
        envelope = &service::envelope;
    return {Endpoint::id, detail::error_rows_of<Endpoint>, envelope};
}

/// Builds the api error of a response with a non-success status. The body is
/// read through the error envelope when there is one; a body that is not
/// JSON is kept as text (capped) in `error::body`.
RESTSCHEMA_DECL error make_api_error(error_table_view const& table, int status, std::string_view body);

/// The same for a generated endpoint.
template <class Endpoint>
[[nodiscard]] error make_api_error(int status, std::string_view body)
{
    return make_api_error(error_table_of<Endpoint>(), status, body);
}

} // namespace restschema

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/impl/error_table.ipp>
#endif
