// restschema/validate.hpp - checks a request before anything is sent.
//
// Required parameters, formats (email, E.164, dates...), enum values, API
// version bounds and control characters in path, query and header values.
// A field that the chosen API version does not have is an error naming the
// field and its bounds; it is never dropped silently.
#pragma once

#include <restschema/error.hpp>
#include <restschema/meta.hpp>

#include <span>
#include <string_view>
#include <vector>

namespace restschema {

/// The API version a request is checked against.
struct version_context {
    std::span<std::string_view const> versions; ///< the service's versions, oldest first
    std::string_view version;                   ///< the version in use
};

/// Collects every problem of a described value (nested types included),
/// with its path, e.g. `aliases[0].alias_type: ...`.
template <class T>
[[nodiscard]] std::vector<problem> validate(T const& value, version_context const& ctx);

/// Validates a request for Endpoint at `version`: the endpoint's own version
/// bounds, then every parameter. An error of kind validation lists each problem.
template <class Endpoint>
[[nodiscard]] result<void> validate_request(typename Endpoint::request const& request,
                                            std::string_view version);

} // namespace restschema

// Compiled once (RESTSCHEMA_SEPARATE_COMPILATION), the definitions are
// instantiated for every generated type by the generated sources; include
// <restschema/impl/validate.hpp> yourself to use them with other types.
#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/impl/validate.hpp>
#endif
