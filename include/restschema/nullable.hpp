// restschema/nullable.hpp - a field with three states: absent, null, or a value.
//
// JSON APIs distinguish "not sent" (leave unchanged) from "sent as null" (clear
// it) from a value. std::optional has two states, so schema fields marked
// `nullable: true` use restschema::nullable<T>.
#pragma once

#include <compare>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

namespace restschema {

/// Tag for an explicit JSON null: `field = restschema::null;`.
struct null_t {
    friend constexpr bool operator==(null_t, null_t) noexcept = default;
};
inline constexpr null_t null{};

/// Tag for "not sent": `field = restschema::absent;` (the default state).
struct absent_t {
    friend constexpr bool operator==(absent_t, absent_t) noexcept = default;
};
inline constexpr absent_t absent{};

/// Absent (not sent), null (sent as JSON null) or a value.
template <class T>
class nullable {
  public:
    using value_type = T;

    constexpr nullable() noexcept = default;
    constexpr nullable(absent_t) noexcept {}
    constexpr nullable(null_t) noexcept : state_(std::in_place_index<1>) {}
    template <class U = T>
    requires std::is_constructible_v<T, U&&> &&(!std::is_same_v<std::remove_cvref_t<U>, nullable>)&&(
        !std::is_same_v<std::remove_cvref_t<U>, null_t>)&&(!std::is_same_v<std::remove_cvref_t<U>,
                                                                           absent_t>)constexpr nullable(U&& v)
        : state_(std::in_place_index<2>, std::forward<U>(v))
    {
    }

    [[nodiscard]] constexpr bool is_absent() const noexcept { return state_.index() == 0; }
    [[nodiscard]] constexpr bool is_null() const noexcept { return state_.index() == 1; }
    [[nodiscard]] constexpr bool has_value() const noexcept { return state_.index() == 2; }
    /// True when the field is sent (null or a value).
    [[nodiscard]] constexpr bool is_present() const noexcept { return state_.index() != 0; }

    /// The value; throws std::bad_variant_access when absent or null.
    [[nodiscard]] constexpr T& value() & { return std::get<2>(state_); }
    [[nodiscard]] constexpr T const& value() const& { return std::get<2>(state_); }
    [[nodiscard]] constexpr T* operator->() { return &std::get<2>(state_); }
    [[nodiscard]] constexpr T const* operator->() const { return &std::get<2>(state_); }
    [[nodiscard]] constexpr T& operator*() & { return std::get<2>(state_); }
    [[nodiscard]] constexpr T const& operator*() const& { return std::get<2>(state_); }

    template <class U>
    [[nodiscard]] constexpr T value_or(U&& fallback) const
    {
        return has_value() ? std::get<2>(state_) : static_cast<T>(std::forward<U>(fallback));
    }

    template <class... Args>
    constexpr T& emplace(Args&&... args)
    {
        return state_.template emplace<2>(std::forward<Args>(args)...);
    }
    constexpr void reset() noexcept { state_.template emplace<0>(); }

    friend constexpr bool operator==(nullable const&, nullable const&) = default;
    friend constexpr bool operator==(nullable const& n, null_t) noexcept { return n.is_null(); }
    friend constexpr bool operator==(nullable const& n, absent_t) noexcept { return n.is_absent(); }

  private:
    std::variant<absent_t, null_t, T> state_;
};

template <class T>
struct is_nullable : std::false_type {
};
template <class T>
struct is_nullable<nullable<T>> : std::true_type {
};

} // namespace restschema
