// restschema/mock/token_endpoint.hpp - the mock as an OAuth2 token endpoint (client credentials).
//
// With options::token_endpoint.path set, the mock answers that path itself,
// before the schema's endpoints, as an RFC 6749 token endpoint for the
// client-credentials grant (4.4): a form-urlencoded POST, the client
// authenticated by HTTP Basic or by client_id/client_secret in the body
// (2.3.1). It issues random bearer tokens that live `lifetime`; bearer
// schemes without an accepted --credential then accept only those tokens,
// and not once they have expired or were revoked (revoke_all()). Errors are
// RFC 6749 5.2 bodies: invalid_request, invalid_client (401),
// unsupported_grant_type.
#pragma once

#include <restschema/binding/base64.hpp>
#include <restschema/detail/path_template.hpp>
#include <restschema/detail/text.hpp>
#include <restschema/mock/http.hpp>
#include <restschema/mock/options.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace restschema::mock {

class token_issuer {
  public:
    explicit token_issuer(token_endpoint_options const& o) : o_(o) {}

    [[nodiscard]] bool enabled() const noexcept { return !o_.path.empty(); }

    /// The answer when `path` is the token endpoint's, else nullopt.
    std::optional<reply> handle(request const& req, std::string_view path)
    {
        if (!enabled() || path != o_.path)
            return std::nullopt;
        reply r;
        r.log_target = o_.path;
        r.res = answer(req);
        r.res.set(http::field::cache_control, "no-store");
        r.res.set(http::field::pragma, "no-cache");
        return r;
    }

    /// "" when `token` was issued here and is still valid, else why not.
    std::string check(std::string_view token)
    {
        std::lock_guard lock(mutex_);
        auto const it = issued_.find(token);
        if (it == issued_.end())
            return "the bearer token was not issued by this mock's token endpoint (" + o_.path + ")";
        if (std::chrono::steady_clock::now() >= it->second)
            return "the bearer token has expired";
        return {};
    }

    /// Every token issued so far stops being accepted.
    void revoke_all()
    {
        std::lock_guard lock(mutex_);
        issued_.clear();
    }

  private:
    static response oauth_error(int status, std::string_view code, std::string_view description)
    {
        boost::json::object o;
        o["error"] = code;
        o["error_description"] = description;
        auto res = json_response(status, o);
        if (status == 401)
            res.set(http::field::www_authenticate, "Basic realm=\"restschema-mock\"");
        return res;
    }

    response answer(request const& req)
    {
        namespace rd = restschema::detail;
        if (req.method() != http::verb::post) {
            auto res = oauth_error(405, "invalid_request", "the token endpoint takes POST");
            res.set(http::field::allow, "POST");
            return res;
        }
        auto const type = rd::trim_space(req[http::field::content_type]);
        if (!rd::iequals_ascii(type.substr(0, type.find(';')), "application/x-www-form-urlencoded"))
            return oauth_error(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
        std::map<std::string, std::string, std::less<>> form;
        std::string_view body = req.body();
        while (!body.empty()) {
            auto const amp = body.find('&');
            auto const pair = body.substr(0, amp);
            body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
            if (pair.empty())
                continue;
            auto const eq = pair.find('=');
            auto k = rd::percent_decode(pair.substr(0, eq), true);
            auto v = rd::percent_decode(
                eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
            if (!k || !v)
                return oauth_error(400, "invalid_request", "the form has a malformed %-escape");
            if (form.contains(*k))
                return oauth_error(400, "invalid_request",
                                   "parameter " + rd::printable(*k, 40) + " is repeated");
            form.emplace(std::move(*k), std::move(*v));
        }
        auto const grant = form.find("grant_type");
        if (grant == form.end())
            return oauth_error(400, "invalid_request", "grant_type is missing");
        if (grant->second != "client_credentials")
            return oauth_error(400, "unsupported_grant_type",
                               "this mock issues tokens for grant_type=client_credentials only");

        std::string id, secret;
        bool const in_body = form.contains("client_id") || form.contains("client_secret");
        auto const authorization = rd::trim_space(req[http::field::authorization]);
        if (!authorization.empty()) {
            if (in_body)
                return oauth_error(400, "invalid_request",
                                   "the client is authenticated twice (Basic and body)");
            auto const sp = authorization.find(' ');
            auto const decoded =
                sp == std::string_view::npos || !rd::iequals_ascii(authorization.substr(0, sp), "Basic")
                    ? std::nullopt
                    : binding::base64_decode(rd::trim_space(authorization.substr(sp + 1)));
            auto const colon = decoded ? decoded->find(':') : std::string::npos;
            auto const i = colon == std::string::npos ? std::nullopt
                                                      : rd::percent_decode(decoded->substr(0, colon), true);
            auto const s = colon == std::string::npos ? std::nullopt
                                                      : rd::percent_decode(decoded->substr(colon + 1), true);
            if (!i || !s)
                return oauth_error(401, "invalid_client",
                                   "the Authorization header is not Basic client credentials");
            id = *i;
            secret = *s;
        } else {
            if (auto it = form.find("client_id"); it != form.end())
                id = it->second;
            if (auto it = form.find("client_secret"); it != form.end())
                secret = it->second;
        }
        if (id.empty())
            return oauth_error(401, "invalid_client", "no client credentials");
        if (!o_.client_id.empty() && (id != o_.client_id || secret != o_.client_secret))
            return oauth_error(401, "invalid_client", "unknown client or wrong secret");

        auto token = "mock-" + random_hex();
        {
            std::lock_guard lock(mutex_);
            auto const now = std::chrono::steady_clock::now();
            std::erase_if(issued_, [&](auto const& t) { return t.second <= now; });
            issued_.emplace(token, now + o_.lifetime);
        }
        boost::json::object o;
        o["access_token"] = token;
        o["token_type"] = "Bearer";
        o["expires_in"] = o_.lifetime.count();
        if (auto it = form.find("scope"); it != form.end() && !it->second.empty())
            o["scope"] = it->second;
        return json_response(200, o);
    }

    std::string random_hex()
    {
        std::lock_guard lock(mutex_);
        char buf[33];
        std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng_()),
                      static_cast<unsigned long long>(rng_()));
        return buf;
    }

    token_endpoint_options const& o_;
    std::mutex mutex_;
    std::map<std::string, std::chrono::steady_clock::time_point, std::less<>> issued_;
    std::mt19937_64 rng_{std::random_device{}()};
};

} // namespace restschema::mock
