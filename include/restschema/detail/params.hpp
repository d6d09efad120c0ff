// restschema/detail/params.hpp - request members that travel as text (path, query, header).
#pragma once

#include <restschema/detail/type_traits.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

namespace restschema::detail {

/// Types a path, query or header parameter can have.
template <class V>
inline constexpr bool is_text_param_v = std::is_same_v<V, std::string> || std::is_arithmetic_v<V> ||
                                        schema_enum<V> || std::is_same_v<V, boost::json::value>;

/// The text form of a scalar parameter value.
template <class V>
std::string param_text(V const& v)
{
    if constexpr (std::is_same_v<V, std::string>)
        return v;
    else if constexpr (std::is_same_v<V, bool>)
        return v ? "true" : "false";
    else if constexpr (std::is_integral_v<V>)
        return std::to_string(v);
    else if constexpr (std::is_floating_point_v<V>)
        return boost::json::serialize(boost::json::value(static_cast<double>(v)));
    else if constexpr (schema_enum<V>) {
        auto const i = static_cast<std::size_t>(v);
        return i < enum_info<V>::wire_names.size() ? std::string(enum_info<V>::wire_names[i]) : std::string();
    } else if constexpr (std::is_same_v<V, boost::json::value>)
        return boost::json::serialize(v);
    else
        static_assert(sizeof(V) == 0, "restschema: this type cannot be a path, query or header parameter");
}

/// Parses a parameter from text; false when the text is not a V.
template <class V>
bool param_parse(std::string_view s, V& out)
{
    if constexpr (std::is_same_v<V, std::string>) {
        out.assign(s);
        return true;
    } else if constexpr (std::is_same_v<V, bool>) {
        if (s == "true" || s == "1")
            return out = true, true;
        if (s == "false" || s == "0")
            return out = false, true;
        return false;
    } else if constexpr (std::is_integral_v<V>) {
        auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
    } else if constexpr (std::is_floating_point_v<V>) {
        auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
    } else if constexpr (schema_enum<V>) {
        auto const& names = enum_info<V>::wire_names;
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == s)
                return out = static_cast<V>(i), true;
        return false;
    } else if constexpr (std::is_same_v<V, boost::json::value>) {
        boost::system::error_code ec;
        out = boost::json::parse(s, ec);
        return !ec;
    } else {
        return false;
    }
}

/// Calls f(meta, text) for each present parameter of `req` at location `in`
/// (a list parameter gives one call per item, as repeated query keys do).
template <class Request, class F>
void for_each_param(Request const& req, location in, F&& f)
{
    for_each_field<Request>([&](auto d, field_meta const& m) {
        if (m.in != in)
            return;
        auto const* v = value_ptr(req.*d.pointer);
        if (!v)
            return;
        using V = std::remove_cvref_t<decltype(*v)>;
        if constexpr (is_vector<V>::value) {
            if constexpr (is_text_param_v<typename V::value_type>)
                for (auto const& item : *v)
                    f(m, param_text(item));
        } else if constexpr (is_text_param_v<V>) {
            f(m, param_text(*v));
        }
    });
}

/// Sets the parameter with wire name `wire` at location `in` from text.
/// Returns false when there is such a parameter and the text does not parse.
template <class Request>
bool set_param(Request& req, location in, std::string_view wire, std::string_view text, bool* found = nullptr)
{
    bool ok = true;
    for_each_field<Request>([&](auto d, field_meta const& m) {
        if (m.in != in || m.wire != wire)
            return;
        if (found)
            *found = true;
        auto& member = req.*d.pointer;
        using M = std::remove_cvref_t<decltype(member)>;
        using V = value_of_t<M>;
        if constexpr (is_vector<V>::value) {
            if constexpr (!is_text_param_v<typename V::value_type>)
                return;
            typename V::value_type item{};
            ok = param_parse(text, item);
            if (ok) {
                if constexpr (std::is_same_v<M, V>)
                    member.push_back(std::move(item));
                else {
                    if (!is_present(member))
                        member = V{};
                    (*member).push_back(std::move(item));
                }
            }
        } else if constexpr (is_text_param_v<V>) {
            V value{};
            ok = param_parse(text, value);
            if (ok)
                member = std::move(value);
        }
    });
    return ok;
}

} // namespace restschema::detail
