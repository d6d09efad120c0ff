// restschema/detail/type_traits.hpp - classification of the C++ types that generated code uses.
#pragma once

#include <restschema/edits.hpp>
#include <restschema/meta.hpp>
#include <restschema/nullable.hpp>

#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace restschema::detail {

template <class T>
struct is_optional : std::false_type {
};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {
};

// The members of update requests behave as optionals: list_edits as an
// optional list (absent until the first operation), clearable as an
// optional string.
template <class T>
struct is_optional<clearable<T>> : std::true_type {
};
template <class I>
struct is_optional<list_edits<I>> : std::true_type {
};

template <class T>
struct is_vector : std::false_type {
};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {
};

/// A schema `map<string, T>`: std::map keyed by std::string (any comparator, allocator).
template <class T>
struct is_string_map : std::false_type {
};
template <class V, class C, class A>
struct is_string_map<std::map<std::string, V, C, A>> : std::true_type {
};

/// Strips std::optional / nullable: the type of the value when there is one.
template <class T>
struct value_of {
    using type = T;
};
template <class T>
struct value_of<std::optional<T>> {
    using type = T;
};
template <class T>
struct value_of<nullable<T>> {
    using type = T;
};
template <class T>
struct value_of<clearable<T>> {
    using type = T;
};
template <class I>
struct value_of<list_edits<I>> {
    using type = std::vector<I>;
};
template <class T>
using value_of_t = typename value_of<T>::type;

inline constexpr unsigned member_mods = boost::describe::mod_public | boost::describe::mod_inherited;

template <class T>
using members_of = boost::describe::describe_members<T, member_mods>;

/// Calls f(descriptor, meta) for every described member of T, inherited ones included.
template <class T, class F>
constexpr void for_each_field(F&& f)
{
    boost::mp11::mp_for_each<members_of<T>>([&](auto d) {
        constexpr field_meta const& m = field_of<T>(decltype(d)::name);
        f(d, m);
    });
}

/// Whether a member holds something to send (absent optionals and nullables do not).
template <class M>
constexpr bool is_present(M const& m) noexcept
{
    if constexpr (is_optional<M>::value)
        return m.has_value();
    else if constexpr (is_nullable<M>::value)
        return m.is_present();
    else
        return true;
}

/// Pointer to the value inside a member, or nullptr when absent or null.
template <class M>
constexpr auto value_ptr(M const& m) noexcept -> value_of_t<M> const*
{
    if constexpr (is_optional<M>::value)
        return m ? &*m : nullptr;
    else if constexpr (is_nullable<M>::value)
        return m.has_value() ? &*m : nullptr;
    else
        return &m;
}

inline char const* kind_name(boost::json::kind k) noexcept
{
    switch (k) {
    case boost::json::kind::null:
        return "null";
    case boost::json::kind::bool_:
        return "boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
        return "integer";
    case boost::json::kind::double_:
        return "number";
    case boost::json::kind::string:
        return "string";
    case boost::json::kind::array:
        return "array";
    case boost::json::kind::object:
        return "object";
    }
    return "?";
}

} // namespace restschema::detail
