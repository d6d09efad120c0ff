// restschema/pagination.hpp - how an endpoint pages, as generated descriptors state it.
//
// A paginated endpoint's descriptor has a nested `pagination` struct:
//
//   struct pagination {
//       static constexpr restschema::page_style style = restschema::page_style::cursor;
//       using items = restschema::member_path<&note_page::items>;   // the page's items
//       using next = restschema::member_path<&note_page::next_cursor>; // cursor style
//       using cursor = restschema::member_path<&list_notes_request::cursor>;
//   };
//
// (page style: `page`, optional `per_page`, `total_pages`, `total_items` and
// `static constexpr std::int64_t first`). restschema/pages.hpp walks the pages.
// This header is small: generated endpoint headers include it.
#pragma once

#include <restschema/nullable.hpp>

#include <optional>
#include <type_traits>

namespace restschema {

/// How the next page is found.
enum class page_style : unsigned char {
    link,   ///< the response's `Link: <...>; rel="next"` header (RFC 8288)
    cursor, ///< a cursor or next token in the body, sent back in a request parameter
    page,   ///< page numbers in a request parameter, with or without a total
};

namespace detail {
template <class T>
constexpr T* deref(T& x) noexcept
{
    return &x;
}
template <class T>
constexpr T* deref(std::optional<T>& x) noexcept
{
    return x ? &*x : nullptr;
}
template <class T>
constexpr T const* deref(std::optional<T> const& x) noexcept
{
    return x ? &*x : nullptr;
}
template <class T>
constexpr T* deref(nullable<T>& x) noexcept
{
    return x.has_value() ? &*x : nullptr;
}
template <class T>
constexpr T const* deref(nullable<T> const& x) noexcept
{
    return x.has_value() ? &*x : nullptr;
}

template <auto M, auto... Rest, class T>
constexpr auto* find_member(T& object) noexcept
{
    auto* p = deref(object.*M);
    if constexpr (sizeof...(Rest) == 0) {
        return p;
    } else {
        using found = decltype(find_member<Rest...>(*p));
        return p ? find_member<Rest...>(*p) : found(nullptr);
    }
}
} // namespace detail

/// A path of members from a struct to a value inside it, through optional
/// and nullable members. `member_path<>` is the object itself.
template <auto... Members>
struct member_path {
    static constexpr bool empty = sizeof...(Members) == 0;

    /// The value at the path (const when `object` is), or nullptr when a
    /// member on the way is absent or null.
    template <class T>
    static constexpr auto* find(T& object) noexcept
    {
        if constexpr (empty)
            return &object;
        else
            return detail::find_member<Members...>(object);
    }

    /// Sets the one member of the path (request parameters).
    template <class T, class V>
    requires(sizeof...(Members) == 1) static constexpr void assign(T& object, V&& value)
    {
        ((object.*Members = std::forward<V>(value)), ...);
    }
};

} // namespace restschema
