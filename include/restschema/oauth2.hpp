// restschema/oauth2.hpp - an OAuth2 client-credentials token source (RFC 6749, 4.4).
//
//   restschema::oauth2::client_credentials_options cc;
//   cc.token_url = "https://auth.example.com/oauth/token";
//   cc.client_id = "app-7";
//   cc.client_secret = secret_from_the_environment();
//   cc.scope = "notes profile";
//   restschema::client_options o;
//   o.token_sources["token"] = restschema::oauth2::client_credentials(std::move(cc));
//
// The source POSTs a form-urlencoded token request (grant_type=client_credentials,
// the scope and any extra parameters), authenticating the client with HTTP
// Basic (RFC 6749, 2.3.1) or with client_id/client_secret in the body. It
// keeps the token until `refresh_before` its expiry (expires_in), shares
// one token request among the calls that ask meanwhile, and drops the token
// when a service refuses it (401), so the client's one retry gets a new one.
// Any failure (the endpoint unreachable, an OAuth2 error such as
// invalid_client, a body that is not a token response) fails the call that
// asked with error_kind::credentials; nothing secret is in its message.
#pragma once

#include <restschema/client_options.hpp>
#include <restschema/detail/config.hpp>
#include <restschema/token.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace restschema::oauth2 {

/// How the client authenticates to the token endpoint (RFC 6749, 2.3.1).
enum class client_authentication {
    basic, ///< Authorization: Basic base64(urlencode(id):urlencode(secret)), as the RFC recommends
    body,  ///< client_id and client_secret as form parameters
};

struct client_credentials_options {
    std::string token_url;     ///< "https://auth.example.com/oauth/token"
    std::string client_id;     ///< required
    std::string client_secret; ///< never in logs, errors or traces
    std::string scope{};       ///< space-separated scopes; empty: none sent
    /// More form parameters, as some providers need ("audience", "resource").
    std::vector<std::pair<std::string, std::string>> extra_parameters{};
    client_authentication authentication = client_authentication::basic;
    /// A token is renewed this long before it expires (at most half its lifetime).
    std::chrono::seconds refresh_before{60};
    /// Timeouts, retries, TLS, proxy and the body limit of the token
    /// requests; base_url, credentials, token_sources, log and trace are not
    /// used (a token request is never logged: it carries the secret).
    client_options http{};
};

/// The source, to put in client_options::token_sources. Options that cannot
/// work (a bad token_url, no client_id) fail every request for a token with
/// error_kind::credentials naming the problem.
RESTSCHEMA_DECL std::shared_ptr<token_source> client_credentials(client_credentials_options options);

} // namespace restschema::oauth2

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/impl/oauth2.ipp>
#endif
