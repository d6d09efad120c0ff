// restschema/mock/auth.hpp - whether a request presents the credentials its endpoint needs.
//
// The wire form of each auth scheme is restschema/binding/auth.hpp, shared
// with the client: the client places credentials with it, the mock reads them.
#pragma once

#include <restschema/binding/auth.hpp>
#include <restschema/detail/text.hpp>
#include <restschema/mock/endpoint.hpp>
#include <restschema/mock/http.hpp>
#include <restschema/mock/state.hpp> // key_text
#include <restschema/mock/token_endpoint.hpp>

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace restschema::mock {

/// Decoded values of a path's placeholders, by name.
using path_values = std::map<std::string, std::string, std::less<>>;

/// "" when the credentials `ep` needs are present and, for the schemes in
/// `accepted`, the accepted ones; else why not. `body` is null in the first
/// pass (everything but body credentials). With `issuer` on, a bearer
/// scheme without an accepted value takes only the tokens it issued.
inline std::string check_auth(endpoint const& ep,
                              std::map<std::string, std::string, std::less<>> const& accepted,
                              request const& req, path_values const& m,
                              std::vector<std::pair<std::string, std::string>> const& query,
                              boost::json::object const* body, token_issuer* issuer = nullptr)
{
    using restschema::detail::trim_space;
    for (auto const& scheme : ep.service->auth) {
        if (!ep.uses_auth(scheme.id))
            continue;
        std::string given;
        std::string what;
        switch (scheme.kind) {
        case auth_kind::http_basic_token:
        case auth_kind::http_basic:
        case auth_kind::bearer: {
            if (body)
                continue;
            auto presented = binding::read_authorization(scheme, req[http::field::authorization]);
            if (!presented.problem.empty())
                return presented.problem;
            given = std::move(presented.credential);
            what = binding::credential_place(scheme);
            break;
        }
        case auth_kind::api_key: {
            if ((scheme.in == location::body) != (body != nullptr))
                continue;
            switch (scheme.in) {
            case location::path:
                if (auto it = m.find(scheme.name); it != m.end())
                    given = it->second;
                break;
            case location::query:
                for (auto const& [k, v] : query)
                    if (k == scheme.name)
                        given = v;
                break;
            case location::header:
                given = std::string(trim_space(req[scheme.name]));
                break;
            case location::body:
                if (auto t = key_text(body->if_contains(scheme.name)))
                    given = *t;
                break;
            }
            what = binding::credential_place(scheme);
            if (given.empty())
                return "missing " + what + " (auth scheme " + std::string(scheme.id) + ")";
            break;
        }
        }
        auto const it = accepted.find(scheme.id);
        if (it != accepted.end() && !it->second.empty()) {
            if (it->second != given)
                return "the " + what + " credential (auth scheme " + std::string(scheme.id) +
                       ") is not the one this mock accepts";
        } else if (issuer && issuer->enabled() && scheme.kind == auth_kind::bearer) {
            if (auto why = issuer->check(given); !why.empty())
                return why + " (auth scheme " + std::string(scheme.id) + ")";
        }
    }
    return {};
}

} // namespace restschema::mock
