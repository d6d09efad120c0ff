// restschema/impl/validate.hpp - template bodies of restschema/validate.hpp.
//
// Both templates are one line: they hand the value's runtime description to
// validate_value() / validate_request_value(), compiled once for every type
// (impl/validate.ipp). A request type costs its constant tables, not a
// validator of its own.
#pragma once

#include <restschema/validate.hpp>

#include <restschema/detail/config.hpp>
#include <restschema/detail/runtime_type.hpp>

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

/// What validate_request() checks of an endpoint besides its request's members.
struct endpoint_checks {
    std::span<std::string_view const> versions; ///< the service's versions, oldest first
    std::string_view service;
    std::string_view id;
    std::string_view min_version; ///< "" when unbounded
    std::string_view max_version; ///< "" when unbounded
    /// Update semantics: a blank body string is the value that truncates
    /// (formats do not apply to it), and lists merged by `item_key` take one
    /// operation per item, a deletion (`item_destroy`) with nothing else.
    bool blank_truncates = false;
    std::string_view item_key;     ///< "" when lists are not merged by key
    std::string_view item_destroy; ///< "" when items cannot be deleted
};

template <class Endpoint>
inline constexpr endpoint_checks endpoint_checks_of{
    Endpoint::service::versions,
    Endpoint::service::name,
    Endpoint::id,
    Endpoint::min_version,
    Endpoint::max_version,
    Endpoint::update.present && Endpoint::update.blank_truncates,
    Endpoint::update.present && Endpoint::update.lists_append ? Endpoint::update.item_key : std::string_view(),
    Endpoint::update.present && Endpoint::update.lists_append ? Endpoint::update.item_destroy : std::string_view(),
};

/// validate(), reading the value through its runtime description: one
/// function for every type (impl/validate.ipp), not one per type.
RESTSCHEMA_DECL std::vector<problem> validate_value(runtime_type const& t, void const* value,
                                                    version_context const& ctx, bool blank_truncates = false);

/// validate_request(), for a request described by `t`.
RESTSCHEMA_DECL result<void> validate_request_value(endpoint_checks const& ep, runtime_type const& t,
                                                    void const* request, std::string_view version);

} // namespace detail

template <class T>
std::vector<problem> validate(T const& value, version_context const& ctx)
{
    return detail::validate_value(detail::runtime_type_of<T>, &value, ctx);
}

template <class Endpoint>
result<void> validate_request(typename Endpoint::request const& request, std::string_view version)
{
    return detail::validate_request_value(detail::endpoint_checks_of<Endpoint>,
                                          detail::runtime_type_of<typename Endpoint::request>, &request,
                                          version);
}

} // namespace restschema

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/impl/validate.ipp>
#endif
