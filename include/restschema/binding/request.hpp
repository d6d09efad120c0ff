// restschema/binding/request.hpp - from a generated request struct to HTTP, and the other way.
//
// bind<Endpoint>() is the only endpoint-dependent step before the wire: it
// validates the request and lays it out as method, target, headers and body,
// with a redacted twin of the target and the body for logs. The transport
// below it is not a template.
#pragma once

#include <restschema/client_options.hpp>
#include <restschema/detail/config.hpp>
#include <restschema/detail/url.hpp>
#include <restschema/error.hpp>
#include <restschema/meta.hpp>
#include <restschema/token.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace restschema::binding {

/// A credential that a token source gives when the request is sent
/// (client_options::token_sources): the transport asks for it before each
/// attempt and places it as `scheme` says (a header or the query).
struct pending_credential {
    auth_scheme scheme;
    std::shared_ptr<token_source> source;
};

/// A request ready for the wire (and to be sent again on retry).
struct wire_request {
    std::string_view endpoint;   ///< the endpoint id, for logs and messages
    std::string_view method;     ///< "PUT"
    std::string target;          ///< origin-form: base URL prefix, path, query
    std::string redacted_target; ///< the same with credentials and sensitive values as "***"
    std::vector<std::pair<std::string, std::string>> headers; ///< Accept, auth, parameters, Content-Type
    std::string body;                                         ///< "" when the request has none
    std::string redacted_body;                                ///< when bind_context::redacted_body
    std::vector<std::string> secrets;                         ///< every form of every secret in the request
    bool idempotent = false;          ///< may be retried (GET, HEAD, PUT, DELETE, OPTIONS)
    std::string_view idempotency_key; ///< the endpoint's idempotency key header, "" when none
    // Per-call overrides of client_options (call_options); unset: the client's.
    std::optional<std::chrono::milliseconds> connect_timeout{};
    std::optional<std::chrono::milliseconds> request_timeout{};
    std::optional<retry_policy> retry{};
    /// Where to send it when not to the client's base URL (a next-page link
    /// to another origin); unset: the base URL's scheme, host and port.
    std::optional<restschema::detail::base_url> origin{};
    /// Credentials still to fetch; target, redacted_target, headers and
    /// secrets hold everything else.
    std::vector<pending_credential> pending_credentials{};
    /// The response format asked for (Accept, or the path's format
    /// placeholder) and how to read it; the size bound of an XML body.
    response_format format{};
    std::size_t max_body_size = std::size_t(-1);
};

/// What binding takes from the client besides the request.
struct bind_context {
    std::string_view api_version{};
    std::string_view prefix{}; ///< the base URL's path prefix, without a trailing '/'
    std::map<std::string, std::string, std::less<>> const* credentials = nullptr;
    std::map<std::string, std::shared_ptr<token_source>, std::less<>> const* token_sources = nullptr;
    /// Also write wire_request::redacted_body (a second serialization): only a log hook reads it.
    bool redacted_body = true;
    /// The response format to ask for: client_options::format, or the call's.
    response_format format{};
    std::size_t max_body_size = std::size_t(-1); ///< client_options::max_body_size
};

/// Validates `request` and lays it out for the wire. An invalid request
/// (missing credential, required member unset, bad format, version bounds,
/// control characters) is an error of kind validation and nothing is built.
template <class Endpoint>
[[nodiscard]] result<wire_request> bind(typename Endpoint::request const& request, bind_context const& ctx);

/// Applies one call's options to a bound request: its headers (checked like
/// parameters; the transport's own are refused), its idempotency key, its
/// timeouts and retry policy. A header or key that cannot be sent is an
/// error of kind validation.
RESTSCHEMA_DECL result<void> apply_call_options(wire_request& w, call_options const& opts);

/// Where a page came from: its origin (unset: the client's base URL) and
/// its origin-form target. Relative next-page links resolve against it.
struct page_location {
    std::optional<restschema::detail::base_url> origin{};
    std::string target{};
};

/// Points a bound GET at `link`, a URI reference from the response at `from`
/// (a next-page `Link`), resolved as RFC 3986 says. Credentials go to the
/// client's own origin (`base`: scheme, host and port) only: for any other,
/// Authorization and every header that carries a secret are dropped. A link
/// that is not a usable http(s) URL is an error of kind decode naming it
/// (secrets masked).
RESTSCHEMA_DECL result<void> follow_link(wire_request& w, std::string_view link,
                                         restschema::detail::base_url const& base, page_location const& from);

/// Points a bound request at `location`, the Location of a redirect
/// (`status` 3xx) answering the request at `from`, keeping its method, body
/// and headers. Across origins the same rule as follow_link holds for
/// credentials, and a location that carries one in its URL is refused.
RESTSCHEMA_DECL result<void> follow_redirect(wire_request& w, std::string_view location,
                                             restschema::detail::base_url const& base,
                                             page_location const& from, int status);

} // namespace restschema::binding

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/binding/impl/request.hpp>
#endif
