// restschema/detail/runtime_type.hpp - a described C++ type as constexpr data.
//
// runtime_type_of<T> describes, as plain data, what the codec and the
// validator know about T from its C++ type: the JSON kind, an integer's
// range, an enum's wire names, a list's items and, for a described struct,
// each member with its field_meta, its type and whether it is a
// std::optional, a restschema::nullable or a plain value. Code that must
// handle many types (the mock server serves a thousand endpoints) walks
// this data at run time instead of instantiating a function per type; see
// runtime_check.hpp, which does what try_from_json and validate do.
//
// Instantiating runtime_type_of<T> emits no code: only constant data.
#pragma once

#include <restschema/detail/type_traits.hpp>

#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace restschema::detail {

/// What a value is in JSON, as the codec reads and writes it.
enum class value_kind : unsigned char {
    string,
    boolean,
    integer,     ///< any integral type but bool; `min`, `max` give its range
    number,      ///< double or float (`single`)
    json,        ///< boost::json::value: anything
    enumeration, ///< a schema enum: one of `enum_names`
    array,       ///< std::vector of `element`
    object,      ///< a described struct: `members`
};

/// How a member holds its value.
enum class holder : unsigned char {
    plain,    ///< T: always present
    optional, ///< std::optional<T>: absent, or a value (JSON null reads as absent)
    nullable, ///< restschema::nullable<T>: absent, null or a value
};

struct runtime_member;

struct runtime_type {
    value_kind kind = value_kind::json;
    std::string_view name{}; ///< type_info / enum_info name ("" for the others)
    std::int64_t min = 0;    ///< integer: the range of the C++ type, clamped to int64
    std::int64_t max = 0;
    bool single = false;                                ///< number: a float
    std::span<std::string_view const> enum_names{};     ///< enumeration
    runtime_type const* element = nullptr;              ///< array
    std::span<runtime_member const> members{};          ///< object, in declaration order
    std::span<std::string_view const> exactly_one_of{}; ///< object
};

struct runtime_member {
    field_meta const* meta;
    runtime_type const* type; ///< the value's type, without the holder
    holder held;
};

template <class T>
struct runtime_type_for;

/// The description of T (a type the codec handles, without optional / nullable).
template <class T>
inline constexpr runtime_type const& runtime_type_of = runtime_type_for<T>::value;

template <class M>
inline constexpr holder holder_of = is_optional<M>::value   ? holder::optional
                                    : is_nullable<M>::value ? holder::nullable
                                                            : holder::plain;

template <class T, template <class...> class L, class... D>
constexpr std::array<runtime_member, sizeof...(D)> make_runtime_members(L<D...>)
{
    return {{runtime_member{
        &field_of<T>(D::name),
        &runtime_type_of<value_of_t<std::remove_cvref_t<decltype(std::declval<T const&>().*D::pointer)>>>,
        holder_of<std::remove_cvref_t<decltype(std::declval<T const&>().*D::pointer)>>}...}};
}

template <class T>
inline constexpr auto runtime_members_of = make_runtime_members<T>(members_of<T>{});

template <class T>
struct runtime_type_for {
    static constexpr runtime_type make()
    {
        runtime_type t;
        if constexpr (std::is_same_v<T, std::string>) {
            t.kind = value_kind::string;
        } else if constexpr (std::is_same_v<T, bool>) {
            t.kind = value_kind::boolean;
        } else if constexpr (std::is_integral_v<T>) {
            using L = std::numeric_limits<T>;
            using I = std::int64_t;
            t.kind = value_kind::integer;
            t.min = static_cast<I>(L::min());
            t.max = std::cmp_greater(L::max(), std::numeric_limits<I>::max()) ? std::numeric_limits<I>::max()
                                                                              : static_cast<I>(L::max());
        } else if constexpr (std::is_floating_point_v<T>) {
            t.kind = value_kind::number;
            t.single = sizeof(T) < sizeof(double);
        } else if constexpr (std::is_same_v<T, boost::json::value>) {
            t.kind = value_kind::json;
        } else if constexpr (schema_enum<T>) {
            t.kind = value_kind::enumeration;
            t.name = enum_info<T>::name;
            t.enum_names = enum_info<T>::wire_names;
        } else if constexpr (is_vector<T>::value) {
            static_assert(!is_optional<typename T::value_type>::value &&
                              !is_nullable<typename T::value_type>::value,
                          "restschema: list items cannot be optional or nullable");
            t.kind = value_kind::array;
            t.element = &runtime_type_of<typename T::value_type>;
        } else {
            static_assert(schema_type<T>, "restschema: not a schema type (no type_info)");
            t.kind = value_kind::object;
            t.name = type_info<T>::name;
            t.members = runtime_members_of<T>;
            t.exactly_one_of = type_info<T>::exactly_one_of;
        }
        return t;
    }
    static constexpr runtime_type value = make();
};

/// What a text parameter of this type looks like, for "expected ..." messages.
inline std::string param_type_name(runtime_type const& t)
{
    switch (t.kind) {
    case value_kind::boolean:
        return "true or false";
    case value_kind::integer:
        return "an integer";
    case value_kind::number:
        return "a number";
    case value_kind::enumeration: {
        std::string s = "one of ";
        for (std::size_t i = 0; i < t.enum_names.size(); ++i)
            s += (i ? "|" : "") + std::string(t.enum_names[i]);
        return s;
    }
    case value_kind::array:
        return param_type_name(*t.element);
    case value_kind::json:
        return "JSON";
    case value_kind::string:
    case value_kind::object:
        break;
    }
    return "text";
}

} // namespace restschema::detail
