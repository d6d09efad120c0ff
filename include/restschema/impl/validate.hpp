// restschema/impl/validate.hpp - template bodies of restschema/validate.hpp.
#pragma once

#include <restschema/validate.hpp>

#include <restschema/detail/formats.hpp>
#include <restschema/detail/redact.hpp> // printable(): values are echoed with control characters escaped
#include <restschema/detail/text.hpp>   // location_name
#include <restschema/detail/type_traits.hpp>
#include <restschema/detail/utf8.hpp>

#include <cmath>

#include <string>

namespace restschema {
namespace detail {

/// Position of a version in the service's list, or -1.
inline int version_index(std::span<std::string_view const> versions, std::string_view v) noexcept
{
    for (std::size_t i = 0; i < versions.size(); ++i)
        if (versions[i] == v)
            return static_cast<int>(i);
    return -1;
}

inline std::string bounds_text(std::string_view min, std::string_view max)
{
    if (!min.empty() && !max.empty())
        return std::string(min) + ".." + std::string(max);
    if (!min.empty())
        return std::string(min) + " and later";
    return "up to " + std::string(max);
}

/// "" when a type without `exactly_one_of` or exactly one of its members was
/// set, otherwise the problem.
inline std::string exactly_one_problem(std::span<std::string_view const> names, std::size_t found)
{
    if (names.empty() || found == 1)
        return {};
    std::string list;
    for (auto const& w : names)
        list += (list.empty() ? "" : ", ") + std::string(w);
    return "exactly one of " + list + " must be set, found " + std::to_string(found);
}

/// "" when `version` is within [min, max], otherwise why not.
inline std::string check_bounds(version_context const& ctx, std::string_view min, std::string_view max)
{
    if (min.empty() && max.empty())
        return {};
    int const v = version_index(ctx.versions, ctx.version);
    int const lo = min.empty() ? 0 : version_index(ctx.versions, min);
    int const hi = max.empty() ? static_cast<int>(ctx.versions.size()) - 1 : version_index(ctx.versions, max);
    if (v >= lo && v <= hi)
        return {};
    return "exists in API versions " + bounds_text(min, max) + ", not in " + std::string(ctx.version);
}

class validator {
  public:
    explicit validator(version_context const& ctx) : ctx_(ctx) {}
    std::vector<problem> problems;

    template <class T>
    void check(T const& v, field_meta const* m)
    {
        if constexpr (std::is_same_v<T, std::string>) {
            if (m && m->in != location::body && has_control_char(v))
                report("contains a control character (CR, LF, ...), which is not allowed in a " +
                       std::string(m->in == location::header ? "header" : "URL"));
            if (m && !matches_format(m->fmt, v))
                report("is not a valid " + std::string(format_name(m->fmt)) +
                       (m->sensitive ? std::string() : ": \"" + detail::printable(v, 64) + "\""));
            if (m && m->in == location::path && v.empty())
                report("must not be empty (it is a path segment)");
            if (auto why = utf8_problem(v); !why.empty())
                report(std::move(why));
        } else if constexpr (std::is_floating_point_v<T>) {
            if (!std::isfinite(v))
                report(std::string(not_finite_problem));
        } else if constexpr (schema_enum<T>) {
            if (static_cast<std::size_t>(v) >= enum_info<T>::wire_names.size())
                report("is not a value of " + std::string(enum_info<T>::name));
        } else if constexpr (is_vector<T>::value) {
            for (std::size_t i = 0; i < v.size(); ++i) {
                auto const n = path_.size();
                path_ += '[' + std::to_string(i) + ']';
                check(v[i], m);
                path_.resize(n);
            }
        } else if constexpr (schema_type<T>) {
            check_object(v);
        }
        // integers, booleans and free-form JSON carry no further constraints
    }

    /// One member of an object: a function of the member's type, shared by
    /// every struct that has a member of that type.
    template <class M>
    void check_member(M const& member, field_meta const& m, std::span<std::string_view const> exactly_one_of,
                      std::size_t& one_of)
    {
        auto const n = path_.size();
        if (!path_.empty())
            path_ += '.';
        path_ += m.wire;
        if (!is_present(member)) {
            if (m.required)
                report(m.in == location::body ? "is required"
                                              : "is a required " + location_name(m.in) + " parameter");
        } else {
            for (auto const& w : exactly_one_of)
                one_of += (w == m.wire);
            if (auto why = check_bounds(ctx_, m.min_version, m.max_version); !why.empty())
                report(why);
            if (auto const* p = value_ptr(member))
                check(*p, &m);
            else if (!m.nullable)
                report("must not be null");
        }
        path_.resize(n);
    }

    template <class T>
    void check_object(T const& v)
    {
        std::size_t one_of = 0;
        for_each_field<T>([&](auto d, field_meta const& m) {
            check_member(v.*d.pointer, m, type_info<T>::exactly_one_of, one_of);
        });
        if (auto why = exactly_one_problem(type_info<T>::exactly_one_of, one_of); !why.empty())
            report(std::move(why));
    }

  private:
    version_context const& ctx_;
    std::string path_;

    void report(std::string msg) { problems.push_back({path_, std::move(msg)}); }
};

} // namespace detail

template <class T>
std::vector<problem> validate(T const& value, version_context const& ctx)
{
    detail::validator v(ctx);
    v.check(value, nullptr);
    return std::move(v.problems);
}

template <class Endpoint>
result<void> validate_request(typename Endpoint::request const& request, std::string_view version)
{
    using service = typename Endpoint::service;
    version_context const ctx{service::versions, version};
    if (detail::version_index(service::versions, version) < 0) {
        std::string known;
        for (auto const& v : service::versions)
            known += (known.empty() ? "" : ", ") + std::string(v);
        return detail::make_error(error_kind::validation, "unknown API version \"" + std::string(version) +
                                                              "\" for " + std::string(service::name) +
                                                              " (known: " + known + ")");
    }
    std::vector<problem> problems;
    if (auto why = detail::check_bounds(ctx, Endpoint::min_version, Endpoint::max_version); !why.empty())
        problems.push_back({std::string(Endpoint::id), "endpoint " + why});
    auto more = validate(request, ctx);
    problems.insert(problems.end(), more.begin(), more.end());
    if (problems.empty())
        return {};
    std::string msg = std::string(Endpoint::id) + ": " + std::to_string(problems.size()) + " problem" +
                      (problems.size() == 1 ? "" : "s") + " in the request";
    return detail::make_error(error_kind::validation, std::move(msg), std::move(problems));
}

} // namespace restschema
