// restschema/mock/auth.hpp - whether a request presents the credentials its endpoint needs.
#pragma once

#include <restschema/detail/parse.hpp>
#include <restschema/mock/endpoint.hpp>
#include <restschema/mock/http.hpp>
#include <restschema/mock/state.hpp> // key_text

#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/core/string.hpp>
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
/// pass (everything but body credentials).
inline std::string check_auth(endpoint const& ep,
                              std::map<std::string, std::string, std::less<>> const& accepted,
                              request const& req, path_values const& m,
                              std::vector<std::pair<std::string, std::string>> const& query,
                              boost::json::object const* body)
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
            std::string_view const want = scheme.kind == auth_kind::bearer ? "Bearer" : "Basic";
            auto const h = trim_space(req[http::field::authorization]);
            if (h.empty())
                return "missing Authorization header (expected " + std::string(want) + " credentials)";
            auto const sp = h.find(' ');
            if (sp == std::string_view::npos || !boost::beast::iequals(h.substr(0, sp), want))
                return "the Authorization header must use the " + std::string(want) + " scheme";
            auto const token = trim_space(h.substr(sp + 1));
            if (token.empty() || token.find(' ') != std::string_view::npos)
                return "the Authorization header has no well-formed " + std::string(want) + " credentials";
            if (scheme.kind == auth_kind::http_basic) {
                namespace b64 = boost::beast::detail::base64;
                std::string dec(b64::decoded_size(token.size()), '\0');
                auto const [w, r] = b64::decode(dec.data(), token.data(), token.size());
                dec.resize(w);
                if (r != token.size() || dec.find(':') == std::string::npos)
                    return "the Basic credentials are not base64 of user:password";
                given = std::move(dec);
            } else {
                given = std::string(token);
            }
            what = "Authorization";
            break;
        }
        case auth_kind::api_key: {
            if ((scheme.in == location::body) != (body != nullptr))
                continue;
            switch (scheme.in) {
            case location::path:
                if (auto it = m.find(scheme.name); it != m.end())
                    given = it->second;
                what = "path segment {" + std::string(scheme.name) + "}";
                break;
            case location::query:
                for (auto const& [k, v] : query)
                    if (k == scheme.name)
                        given = v;
                what = "query parameter " + std::string(scheme.name);
                break;
            case location::header:
                given = std::string(trim_space(req[scheme.name]));
                what = "header " + std::string(scheme.name);
                break;
            case location::body:
                if (auto t = key_text(body->if_contains(scheme.name)))
                    given = *t;
                what = "body field " + std::string(scheme.name);
                break;
            }
            if (given.empty())
                return "missing " + what + " (auth scheme " + std::string(scheme.id) + ")";
            break;
        }
        }
        auto const it = accepted.find(scheme.id);
        if (it != accepted.end() && !it->second.empty() && it->second != given)
            return "the " + what + " credential (auth scheme " + std::string(scheme.id) +
                   ") is not the one this mock accepts";
    }
    return {};
}

} // namespace restschema::mock
