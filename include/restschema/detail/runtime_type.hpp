// restschema/detail/runtime_type.hpp - a described C++ type as constexpr data.
//
// runtime_type_of<T> describes, as plain data, what the codec and the
// validator know about T from its C++ type: the JSON kind, an integer's
// range, an enum's wire names, a list's items and, for a described struct,
// each member with its field_meta, its type and whether it is a
// std::optional, a restschema::nullable or a plain value. Code that must
// handle many types (the mock server serves a thousand endpoints) walks
// this data at run time instead of instantiating a function per type: the
// codec (impl/codec.ipp) reads and writes typed values through it, and the
// mock's runtime_check.hpp validates JSON with it.
//
// Instantiating runtime_type_of<T> emits constant data and, to reach typed
// storage, a few one-line functions per type: a member's address, a
// std::vector's size/element/append, a std::map's size/insert/walk, an
// optional's or nullable's state.
#pragma once

#include <restschema/detail/type_traits.hpp>

#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <new>
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
    map,         ///< std::map from std::string to `element`: a JSON object with any keys
};

/// How a member holds its value.
enum class holder : unsigned char {
    plain,    ///< T: always present
    optional, ///< std::optional<T>: absent, or a value (JSON null reads as absent)
    nullable, ///< restschema::nullable<T>: absent, null or a value
};

struct runtime_member;

/// Storage of a value of the type: to make one where only the runtime_type is known.
struct value_ops {
    std::size_t size;
    std::size_t align;
    void (*construct)(void* p); ///< value-initializes
    void (*destroy)(void* p) noexcept;
};

/// Typed access to a std::vector<E> (E described by runtime_type::element).
struct vector_ops {
    std::size_t (*size)(void const* v);
    void const* (*at)(void const* v, std::size_t i);
    void* (*append)(void* v); ///< appends a value-initialized element and returns it
};

/// Typed access to a std::map<std::string, V> (V described by runtime_type::element).
struct map_ops {
    std::size_t (*size)(void const* m);
    /// The value for `key`: value-initialized and inserted (`*fresh` true), or
    /// the one the map has already (`*fresh` false). `stored` is set to the
    /// map's copy of the key, which lives as long as the entry (std::map nodes
    /// do not move).
    void* (*insert)(void* m, std::string_view key, std::string_view* stored, bool* fresh);
    /// Calls `f(ctx, key, value)` for each entry in key order, up to the first
    /// call that returns false; false when one did.
    bool (*each)(void const* m, void* ctx, bool (*f)(void* ctx, std::string_view key, void const* value));
};

/// The three states a member can be in (`present` is a value).
enum class held_state : unsigned char { absent, null, present };

/// Typed access to a std::optional<V> or restschema::nullable<V> member.
struct holder_ops {
    held_state (*state)(void const* m);
    void const* (*get)(void const* m); ///< the value, or nullptr when absent or null
    void* (*emplace)(void* m);         ///< a value-initialized value, returned
    void (*set_null)(void* m);         ///< null (nullable) or absent (optional)
};

struct runtime_type {
    value_kind kind = value_kind::json;
    std::string_view name{}; ///< type_info / enum_info name ("" for the others)
    std::int64_t min = 0;    ///< integer: the range of the C++ type, clamped to int64
    std::int64_t max = 0;
    unsigned char size = 0;        ///< integer, enumeration: bytes of the C++ type
    bool is_signed = false;        ///< integer, enumeration: a signed C++ type
    bool single = false;           ///< number: a float
    bool has_unrecognized = false; ///< enumeration: index enum_names.size() exists
    bool check_at_end = false; ///< object: has required members or exactly_one_of, checked after its last key
    vector_ops const* vec = nullptr;                    ///< array
    map_ops const* map = nullptr;                       ///< map
    value_ops const* storage = nullptr;                 ///< every kind
    std::span<std::string_view const> enum_names{};     ///< enumeration
    runtime_type const* element = nullptr;              ///< array: the items; map: the values
    std::span<runtime_member const> members{};          ///< object, in declaration order
    std::span<std::string_view const> exactly_one_of{}; ///< object
};

struct runtime_member {
    field_meta const* meta;
    runtime_type const* type; ///< the value's type, without the holder
    holder held;
    void* (*at)(void* object); ///< the member (the holder, for optional and nullable)
    holder_ops const* ops;     ///< nullptr for plain members
};

/// The member's value when it has one (nullptr when absent or null).
inline void const* member_value_ptr(runtime_member const& m, void const* object) noexcept
{
    void const* p = m.at(const_cast<void*>(object));
    return m.ops ? m.ops->get(p) : p;
}

/// absent, null or present.
inline held_state member_state(runtime_member const& m, void const* object) noexcept
{
    return m.ops ? m.ops->state(m.at(const_cast<void*>(object))) : held_state::present;
}

template <class T>
struct runtime_type_for;

/// The description of T (a type the codec handles, without optional / nullable).
template <class T>
inline constexpr runtime_type const& runtime_type_of = runtime_type_for<T>::value;

template <class T>
inline constexpr value_ops value_ops_of{
    sizeof(T),
    alignof(T),
    [](void* p) { ::new (p) T(); },
    [](void* p) noexcept { static_cast<T*>(p)->~T(); },
};

template <class V>
inline constexpr vector_ops vector_ops_of{
    [](void const* v) { return static_cast<V const*>(v)->size(); },
    [](void const* v, std::size_t i) -> void const* { return &(*static_cast<V const*>(v))[i]; },
    [](void* v) -> void* { return &static_cast<V*>(v)->emplace_back(); },
};

template <class M>
inline constexpr map_ops map_ops_of{
    [](void const* m) { return static_cast<M const*>(m)->size(); },
    [](void* m, std::string_view key, std::string_view* stored, bool* fresh) -> void* {
        auto const [it, inserted] = static_cast<M*>(m)->try_emplace(std::string(key));
        *stored = it->first;
        *fresh = inserted;
        return &it->second;
    },
    [](void const* m, void* ctx, bool (*f)(void*, std::string_view, void const*)) {
        for (auto const& [k, v] : *static_cast<M const*>(m))
            if (!f(ctx, k, &v))
                return false;
        return true;
    },
};

template <class M>
inline constexpr holder_ops holder_ops_of{
    [](void const* m) {
        auto const& h = *static_cast<M const*>(m);
        if constexpr (is_optional<M>::value)
            return h.has_value() ? held_state::present : held_state::absent;
        else
            return h.has_value() ? held_state::present : h.is_null() ? held_state::null : held_state::absent;
    },
    [](void const* m) -> void const* { return value_ptr(*static_cast<M const*>(m)); },
    [](void* m) -> void* { return &static_cast<M*>(m)->emplace(); },
    [](void* m) {
        if constexpr (is_optional<M>::value)
            static_cast<M*>(m)->reset();
        else
            *static_cast<M*>(m) = null;
    },
};

template <class T, class D>
void* member_at(void* object) noexcept
{
    return &(static_cast<T*>(object)->*D::pointer);
}

template <class M>
constexpr holder_ops const* holder_ops_for() noexcept
{
    if constexpr (is_optional<M>::value || is_nullable<M>::value)
        return &holder_ops_of<M>;
    else
        return nullptr;
}

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
        holder_of<std::remove_cvref_t<decltype(std::declval<T const&>().*D::pointer)>>, &member_at<T, D>,
        holder_ops_for<std::remove_cvref_t<decltype(std::declval<T const&>().*D::pointer)>>()}...}};
}

template <class T>
inline constexpr auto runtime_members_of = make_runtime_members<T>(members_of<T>{});

template <class T>
struct runtime_type_for {
    static constexpr runtime_type make()
    {
        runtime_type t;
        t.storage = &value_ops_of<T>;
        if constexpr (std::is_same_v<T, std::string>) {
            t.kind = value_kind::string;
        } else if constexpr (std::is_same_v<T, bool>) {
            t.kind = value_kind::boolean;
        } else if constexpr (std::is_integral_v<T>) {
            using L = std::numeric_limits<T>;
            using I = std::int64_t;
            t.kind = value_kind::integer;
            t.size = sizeof(T);
            t.is_signed = std::is_signed_v<T>;
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
            using U = std::underlying_type_t<T>;
            t.size = sizeof(U);
            t.is_signed = std::is_signed_v<U>;
            t.has_unrecognized = has_unrecognized<T>;
            if constexpr (has_unrecognized<T>)
                static_assert(
                    static_cast<std::size_t>(enum_info<T>::unrecognized) == enum_info<T>::wire_names.size(),
                    "restschema: enum_info<E>::unrecognized must be the value after the listed ones");
        } else if constexpr (is_vector<T>::value) {
            static_assert(!is_optional<typename T::value_type>::value &&
                              !is_nullable<typename T::value_type>::value,
                          "restschema: list items cannot be optional or nullable");
            t.kind = value_kind::array;
            t.element = &runtime_type_of<typename T::value_type>;
            t.vec = &vector_ops_of<T>;
        } else if constexpr (is_string_map<T>::value) {
            static_assert(!is_optional<typename T::mapped_type>::value &&
                              !is_nullable<typename T::mapped_type>::value,
                          "restschema: map values cannot be optional or nullable");
            t.kind = value_kind::map;
            t.element = &runtime_type_of<typename T::mapped_type>;
            t.map = &map_ops_of<T>;
        } else {
            static_assert(schema_type<T>, "restschema: not a schema type (no type_info)");
            t.kind = value_kind::object;
            t.name = type_info<T>::name;
            t.members = runtime_members_of<T>;
            t.exactly_one_of = type_info<T>::exactly_one_of;
            t.check_at_end = !t.exactly_one_of.empty();
            for (auto const& m : t.members)
                t.check_at_end = t.check_at_end || (m.meta->in == location::body && m.meta->required &&
                                                    m.held != holder::optional);
        }
        return t;
    }
    static constexpr runtime_type value = make();
};

/// Writes an integer or enum of type t (`size` bytes, either signedness).
inline void store_integer(runtime_type const& t, void* p, std::int64_t v) noexcept
{
    // Conversion to the unsigned type of the same width gives the bits of
    // either signedness; memcpy writes them into an integer or an enum alike.
    switch (t.size) {
    case 1: {
        auto const x = static_cast<std::uint8_t>(v);
        std::memcpy(p, &x, 1);
        break;
    }
    case 2: {
        auto const x = static_cast<std::uint16_t>(v);
        std::memcpy(p, &x, 2);
        break;
    }
    case 4: {
        auto const x = static_cast<std::uint32_t>(v);
        std::memcpy(p, &x, 4);
        break;
    }
    default: {
        auto const x = static_cast<std::uint64_t>(v);
        std::memcpy(p, &x, 8);
        break;
    }
    }
}

/// The value of an integer or enum of type t; `negative` tells the two
/// halves of the result apart (uint64 values above INT64_MAX stay unsigned).
inline std::uint64_t load_integer(runtime_type const& t, void const* p, bool& negative) noexcept
{
    std::uint64_t bits = 0;
    std::int64_t s = 0;
    switch (t.size) {
    case 1: {
        std::uint8_t x;
        std::memcpy(&x, p, 1);
        bits = x, s = static_cast<std::int8_t>(x);
        break;
    }
    case 2: {
        std::uint16_t x;
        std::memcpy(&x, p, 2);
        bits = x, s = static_cast<std::int16_t>(x);
        break;
    }
    case 4: {
        std::uint32_t x;
        std::memcpy(&x, p, 4);
        bits = x, s = static_cast<std::int32_t>(x);
        break;
    }
    default: {
        std::memcpy(&bits, p, 8);
        s = static_cast<std::int64_t>(bits);
        break;
    }
    }
    negative = t.is_signed && s < 0;
    return t.is_signed ? static_cast<std::uint64_t>(s) : bits;
}

/// A value-initialized value of a type known only by its runtime_type.
class typed_value {
  public:
    explicit typed_value(runtime_type const& t)
        : t_(t), p_(::operator new(t.storage->size, std::align_val_t(t.storage->align)))
    {
        try {
            t.storage->construct(p_);
        } catch (...) {
            ::operator delete(p_, std::align_val_t(t_.storage->align));
            throw;
        }
    }
    typed_value(typed_value const&) = delete;
    typed_value& operator=(typed_value const&) = delete;
    ~typed_value()
    {
        t_.storage->destroy(p_);
        ::operator delete(p_, std::align_val_t(t_.storage->align));
    }

    [[nodiscard]] void* get() const noexcept { return p_; }

  private:
    runtime_type const& t_;
    void* p_;
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
    case value_kind::map:
        break;
    }
    return "text";
}

} // namespace restschema::detail
