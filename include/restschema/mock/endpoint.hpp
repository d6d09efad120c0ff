// restschema/mock/endpoint.hpp - what the mock server knows of an endpoint, as constant data.
//
// The mock serves every endpoint through one runtime description built from
// its generated descriptor (restschema/meta.hpp): wire contract, error rows,
// update semantics, the schema's `mock:` block (restschema::endpoint_mock<E>),
// the response example (restschema::endpoint_docs<E>) and the request and
// response types as runtime_type data. Building it instantiates no function
// per endpoint: adding an endpoint to a mock costs a few constants, and the
// request handling (router.hpp) is the same code for all of them.
#pragma once

#include <restschema/detail/runtime_type.hpp>
#include <restschema/meta.hpp>
#include <restschema/pagination.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace restschema::mock {

/// A service: the parts of its descriptor the mock reads.
struct service_entry {
    std::string_view name;
    std::span<std::string_view const> versions; ///< oldest first
    std::string_view default_version;
    std::span<auth_scheme const> auth;
    bool has_error_envelope = false;
    error_envelope envelope{};
    version_location version_in = version_location::path;
    std::string_view version_name;
};

/// One row of an endpoint's error table, its enum value as an int.
struct error_entry {
    int value;
    int status;
    std::int64_t code;
    std::string_view name;
    std::string_view message;
};

/// An endpoint as the mock serves it.
struct endpoint {
    service_entry const* service;
    std::string_view id;
    std::string_view method;
    std::string_view path;
    std::span<std::string_view const> auth; ///< ids of the service's auth schemes it uses
    std::span<const_param const> constants;
    int success_status = 200;
    std::string_view response_envelope;
    std::string_view min_version;
    std::string_view max_version;
    std::span<error_entry const> errors;
    update_semantics update;
    restschema::detail::runtime_type const* request;
    restschema::detail::runtime_type const* response;

    // The schema's `mock:` block ("" / -1 when it has none).
    std::string_view collection{};
    std::string_view key{};
    int not_found = -1;    ///< error value answered for an unknown record; -1: a plain 404
    int invalid = -1;      ///< error value answered for a request that fails validation; -1: a 400 row
    int unauthorized = -1; ///< error value answered for missing or wrong credentials; -1: a 401 row
    std::string_view owner_secret{};
    int owner_secret_error = -1;
    std::string_view seed_json{}; ///< a JSON array
    std::string_view response_example_json{};

    // Media types (restschema/meta.hpp): what the mock reads and answers.
    body_format request_format = body_format::json;
    std::string_view request_media_type = "application/json";
    std::string_view response_media_type = "application/json";
    std::string_view error_media_type = "application/json";
    /// The response formats it answers in (XML as Rails' to_xml writes it),
    /// how the client picks one, and the path placeholder that names it.
    std::span<body_format const> formats = json_only;
    format_selection format_in = format_selection::accept;
    std::string_view format_param = "format";
    /// The declared response headers and their examples, a JSON object (name -> example or null).
    std::string_view response_headers_json = "{}";
    bool has_not_modified = false; ///< a 304 row: conditional GETs (If-None-Match) are answered

    // Pagination (the schema's `pagination:`): a GET of the collection answers
    // one page. Paths are the schema's dotted wire paths.
    bool paginated = false;
    page_style paging = page_style::link;
    std::string_view page_items{};      ///< "" when the response is the list
    std::string_view page_next{};       ///< cursor: where the next cursor goes
    std::string_view page_cursor{};     ///< cursor: the parameter that brings it back
    bool page_cursor_integer = false;   ///< cursor: an integer (else a string)
    std::string_view page_param{};      ///< page (and link): the page number parameter
    std::string_view page_size_param{}; ///< the page size parameter, "" when none
    std::int64_t first_page = 1;
    std::string_view page_total_pages{};
    std::string_view page_total_items{};
    std::int64_t page_size = 10;                            ///< when the request sets none
    restschema::detail::runtime_type const* item = nullptr; ///< a record of the collection

    /// The row with this name, or nullptr.
    [[nodiscard]] constexpr error_entry const* row(std::string_view name) const noexcept
    {
        for (auto const& r : errors)
            if (r.name == name)
                return &r;
        return nullptr;
    }

    /// The first row with this status, or nullptr.
    [[nodiscard]] constexpr error_entry const* row_by_status(int status) const noexcept
    {
        for (auto const& r : errors)
            if (r.status == status)
                return &r;
        return nullptr;
    }

    /// The row of an error value, or nullptr (for -1 and `unknown`).
    [[nodiscard]] constexpr error_entry const* row_by_value(int value) const noexcept
    {
        for (auto const& r : errors)
            if (value >= 0 && r.value == value)
                return &r;
        return nullptr;
    }

    /// Whether the endpoint uses the service's auth scheme `id`.
    [[nodiscard]] constexpr bool uses_auth(std::string_view scheme) const noexcept
    {
        for (auto const& a : auth)
            if (a == scheme)
                return true;
        return false;
    }
};

/// The endpoints of one mock, in the order of its list.
using endpoint_list = std::span<endpoint const* const>;

namespace detail {

template <class S>
inline constexpr service_entry service_entry_of{
    S::name,     S::versions,        S::default_version,   S::auth, S::has_error_envelope,
    S::envelope, version_in_of<S>(), version_name_of<S>(),
};

template <class E>
inline constexpr auto error_entries_of = [] {
    std::array<error_entry, std::tuple_size_v<std::remove_cv_t<decltype(E::errors)>>> out{};
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto const& r = E::errors[i];
        out[i] = {static_cast<int>(r.value), r.status, r.code, r.name, r.message};
    }
    return out;
}();

template <class E>
constexpr endpoint make_endpoint()
{
    endpoint e{&service_entry_of<typename E::service>,
               E::id,
               E::method,
               E::path,
               E::auth,
               E::constants,
               E::success_status,
               E::response_envelope,
               E::min_version,
               E::max_version,
               error_entries_of<E>,
               E::update,
               &restschema::detail::runtime_type_of<typename E::request>,
               &restschema::detail::runtime_type_of<typename E::response>};
    // Mock data and the response example come from the generated extras header.
    static_assert(
        requires { sizeof(endpoint_mock<E>) + sizeof(endpoint_docs<E>); },
        "restschema mock: no endpoint_mock<E> / endpoint_docs<E> for an endpoint: include the generated "
        "extras header (restschema/gen/all.extras.hpp or restschema/gen/<service>.extras.hpp)");
    {
        using M = endpoint_mock<E>;
        e.collection = M::collection;
        e.key = M::key;
        e.not_found = M::has_not_found ? static_cast<int>(M::not_found) : -1;
        if constexpr (requires { M::has_invalid; })
            e.invalid = M::has_invalid ? static_cast<int>(M::invalid) : -1;
        if constexpr (requires { M::has_unauthorized; })
            e.unauthorized = M::has_unauthorized ? static_cast<int>(M::unauthorized) : -1;
        e.owner_secret = M::owner_secret;
        e.owner_secret_error = static_cast<int>(M::owner_secret_error);
        e.seed_json = M::seed_json;
    }
    if constexpr (requires { typename E::pagination; }) {
        using M = endpoint_mock<E>;
        using list = std::remove_pointer_t<decltype(E::pagination::items::find(
            std::declval<typename E::response&>()))>;
        e.paginated = true;
        e.paging = E::pagination::style;
        e.page_items = M::page_items;
        e.page_next = M::page_next;
        e.page_cursor = M::page_cursor;
        e.page_cursor_integer = M::page_cursor_integer;
        e.page_param = M::page_param;
        e.page_size_param = M::page_size_param;
        e.first_page = M::first_page;
        e.page_total_pages = M::page_total_pages;
        e.page_total_items = M::page_total_items;
        e.page_size = M::page_size;
        e.item = &restschema::detail::runtime_type_of<typename list::value_type>;
    }
    e.response_example_json = endpoint_docs<E>::response_example_json;
    e.request_format = request_format_of<E>();
    e.request_media_type = request_media_type_of<E>();
    e.response_media_type = response_media_type_of<E>();
    e.error_media_type = error_media_type_of<E>();
    e.formats = response_formats_of<E>();
    e.format_in = format_in_of<E>();
    e.format_param = format_param_of<E>();
    if constexpr (requires { endpoint_docs<E>::response_headers_json; })
        e.response_headers_json = endpoint_docs<E>::response_headers_json;
    for (auto const& r : E::errors)
        e.has_not_modified = e.has_not_modified || r.status == 304;
    return e;
}

} // namespace detail

/// The mock's description of the endpoint descriptor E (constant data).
template <class E>
inline constexpr endpoint endpoint_of = detail::make_endpoint<E>();

namespace detail {

template <class List>
struct endpoint_table;

template <template <class...> class L, class... E>
struct endpoint_table<L<E...>> {
    static constexpr std::array<endpoint const*, sizeof...(E)> value{&endpoint_of<E>...};
};

} // namespace detail

/// The descriptions of every endpoint of a type list (e.g. restschema::gen::all_endpoints).
template <class Endpoints>
inline constexpr endpoint_list endpoints_of{detail::endpoint_table<Endpoints>::value};

} // namespace restschema::mock
