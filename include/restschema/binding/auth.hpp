// restschema/binding/auth.hpp - credentials by auth scheme, on both sides of the wire.
//
// The client places a credential where its scheme says (place_credential);
// the mock server finds the one a request presents (read_authorization for
// the Authorization header kinds, credential_place for the text of a
// message). One definition of each scheme's wire form, shared by both.
#pragma once

#include <restschema/binding/base64.hpp>
#include <restschema/detail/text.hpp>
#include <restschema/meta.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace restschema::binding {

/// Where and how one credential travels in a request.
struct credential_placement {
    location in = location::header;
    std::string name;  ///< header, query, path placeholder or body field name
    std::string value; ///< the wire value ("Basic dXNlcjpwdw==", "Bearer tok", or the key itself)
    /// Forms of the secret that may appear in text (the raw value, its base64):
    /// scrubbed from logs and error messages.
    std::vector<std::string> secrets;
};

/// The placement of `credential` for `scheme`.
inline credential_placement place_credential(auth_scheme const& scheme, std::string_view credential)
{
    credential_placement p;
    p.secrets.emplace_back(credential);
    switch (scheme.kind) {
    case auth_kind::http_basic_token:
        p.name = "Authorization";
        p.value = "Basic " + std::string(credential);
        break;
    case auth_kind::http_basic: {
        auto enc = base64_encode(credential);
        p.name = "Authorization";
        p.value = "Basic " + enc;
        p.secrets.push_back(std::move(enc));
        break;
    }
    case auth_kind::bearer:
        p.name = "Authorization";
        p.value = "Bearer " + std::string(credential);
        break;
    case auth_kind::api_key:
        p.in = scheme.in;
        p.name = std::string(scheme.name);
        p.value = std::string(credential);
        break;
    }
    return p;
}

/// How a message names the place of a scheme's credential:
/// "Authorization", "header X-Api-Key", "query parameter key",
/// "path segment {key}", "body field key".
inline std::string credential_place(auth_scheme const& scheme)
{
    if (scheme.kind != auth_kind::api_key)
        return "Authorization";
    switch (scheme.in) {
    case location::path:
        return "path segment {" + std::string(scheme.name) + "}";
    case location::query:
        return "query parameter " + std::string(scheme.name);
    case location::header:
        return "header " + std::string(scheme.name);
    case location::body:
        return "body field " + std::string(scheme.name);
    }
    return std::string(scheme.name);
}

/// What an Authorization header presents for an http_basic_token, http_basic
/// or bearer scheme: the credential as the client was given it (for
/// http_basic the decoded "user:password"), or why the header does not fit.
struct presented_credential {
    std::string credential; ///< empty when `problem` is set
    std::string problem;    ///< "" when the header fits the scheme
};

inline presented_credential read_authorization(auth_scheme const& scheme, std::string_view header)
{
    using restschema::detail::iequals_ascii;
    auto const trim = restschema::detail::trim_space;
    std::string_view const want = scheme.kind == auth_kind::bearer ? "Bearer" : "Basic";
    header = trim(header);
    if (header.empty())
        return {{}, "missing Authorization header (expected " + std::string(want) + " credentials)"};
    auto const sp = header.find(' ');
    if (sp == std::string_view::npos || !iequals_ascii(header.substr(0, sp), want))
        return {{}, "the Authorization header must use the " + std::string(want) + " scheme"};
    auto const token = trim(header.substr(sp + 1));
    if (token.empty() || token.find(' ') != std::string_view::npos)
        return {{}, "the Authorization header has no well-formed " + std::string(want) + " credentials"};
    if (scheme.kind == auth_kind::http_basic) {
        auto dec = base64_decode(token);
        if (!dec || dec->find(':') == std::string::npos)
            return {{}, "the Basic credentials are not base64 of user:password"};
        return {std::move(*dec), {}};
    }
    return {std::string(token), {}};
}

} // namespace restschema::binding
