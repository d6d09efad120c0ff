// restschema/impl/oauth2.ipp - the client-credentials source: token requests, caching, sharing (not a
// template).
#pragma once

#include <restschema/binding/base64.hpp>
#include <restschema/binding/request.hpp>
#include <restschema/detail/formats.hpp>
#include <restschema/detail/path_template.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/detail/text.hpp>
#include <restschema/detail/url.hpp>
#include <restschema/error.hpp>
#include <restschema/oauth2.hpp>
#include <restschema/transport/session.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>

namespace restschema::oauth2 {

namespace detail {

/// What a token response says, or why it is not one (RFC 6749, 5.1 and 5.2).
struct token_answer {
    std::string token;
    std::optional<std::chrono::seconds> lifetime; ///< expires_in; unset: not given
    std::string problem;                          ///< "" when token is set
};

/// "invalid_client: Client authentication failed" from an RFC 6749 5.2 body, or "".
inline std::string oauth_error_of(std::string_view body)
{
    boost::system::error_code ec;
    auto const jv = boost::json::parse(body, ec);
    auto const* obj = ec ? nullptr : jv.if_object();
    if (!obj)
        return {};
    auto text = [&](char const* key) -> std::string {
        if (auto const* v = obj->if_contains(key); v && v->is_string())
            return restschema::detail::printable(std::string_view(v->get_string()), 200);
        return {};
    };
    auto out = text("error");
    if (auto d = text("error_description"); !d.empty())
        out += (out.empty() ? "" : ": ") + d;
    return out;
}

inline token_answer read_token_answer(std::string_view body)
{
    token_answer a;
    boost::system::error_code ec;
    auto const jv = boost::json::parse(body, ec);
    if (ec) {
        a.problem = "answered a body that is not JSON (" + ec.message() + ")";
        return a;
    }
    auto const* obj = jv.if_object();
    if (!obj) {
        a.problem = "answered JSON that is not an object";
        return a;
    }
    auto const* tok = obj->if_contains("access_token");
    if (!tok || !tok->is_string() || tok->get_string().empty()) {
        a.problem =
            tok ? "answered an access_token that is not a non-empty string" : "answered no access_token";
        return a;
    }
    std::string_view const t(tok->get_string());
    if (restschema::detail::has_control_char(t) || t.find(' ') != std::string_view::npos) {
        a.problem = "answered an access_token with a space or control character (value not shown)";
        return a;
    }
    if (auto const* type = obj->if_contains("token_type")) {
        if (!type->is_string() || !restschema::detail::iequals_ascii(type->get_string(), "bearer")) {
            a.problem =
                "answered token_type " +
                (type->is_string()
                     ? "\"" + restschema::detail::printable(std::string_view(type->get_string()), 40) + "\""
                     : std::string("that is not a string")) +
                "; this source gives Bearer tokens only";
            return a;
        }
    }
    if (auto const* exp = obj->if_contains("expires_in"); exp && !exp->is_null()) {
        // A number of seconds; some servers send it as a string of digits.
        std::optional<double> secs;
        if (exp->is_int64())
            secs = static_cast<double>(exp->get_int64());
        else if (exp->is_uint64())
            secs = static_cast<double>(exp->get_uint64());
        else if (exp->is_double())
            secs = exp->get_double();
        else if (exp->is_string()) {
            std::string_view const s(exp->get_string());
            if (!s.empty() && s.size() <= 12 && s.find_first_not_of("0123456789") == std::string_view::npos)
                secs = std::stod(std::string(s));
        }
        if (!secs || !std::isfinite(*secs) || *secs < 0 || *secs > 1e9) {
            a.problem = "answered an expires_in that is not a number of seconds";
            return a;
        }
        a.lifetime = std::chrono::seconds(static_cast<std::int64_t>(*secs));
    }
    a.token = std::string(t);
    return a;
}

class client_credentials_source final : public token_source,
                                        public std::enable_shared_from_this<client_credentials_source> {
  public:
    explicit client_credentials_source(client_credentials_options o) : o_(std::move(o))
    {
        namespace rd = restschema::detail;
        std::string why;
        auto const url = rd::parse_base_url(o_.token_url, &why);
        if (!url)
            problem_ = "token_url: " + why;
        else if (o_.client_id.empty())
            problem_ = "client_id is empty";
        else if (rd::has_control_char(o_.client_id) || rd::has_control_char(o_.client_secret) ||
                 rd::has_control_char(o_.scope))
            problem_ = "client_id, client_secret or scope contains a control character";
        if (!problem_.empty()) {
            problem_ = "OAuth2 client credentials: " + problem_;
            return;
        }
        display_ = (url->tls ? "https://" : "http://") + url->host_header() + url->prefix;
        target_ = url->prefix.empty() ? "/" : url->prefix;

        // The form, and every form of the secret that text could carry.
        auto add = [this](std::string_view k, std::string_view v) {
            if (!form_.empty())
                form_ += '&';
            form_ += rd::encode_query(k) + "=" + rd::encode_query(v);
        };
        add("grant_type", "client_credentials");
        if (!o_.scope.empty())
            add("scope", o_.scope);
        for (auto const& [k, v] : o_.extra_parameters)
            add(k, v);
        if (!o_.client_secret.empty()) {
            secrets_.push_back(o_.client_secret);
            secrets_.push_back(rd::encode_query(o_.client_secret));
        }
        if (o_.authentication == client_authentication::body) {
            add("client_id", o_.client_id);
            if (!o_.client_secret.empty())
                add("client_secret", o_.client_secret);
        } else {
            auto const pair = rd::encode_query(o_.client_id) + ":" + rd::encode_query(o_.client_secret);
            auto b64 = binding::base64_encode(pair);
            authorization_ = "Basic " + b64;
            secrets_.push_back(std::move(b64));
        }

        auto http = std::move(o_.http);
        http.base_url = o_.token_url;
        http.credentials.clear();
        http.token_sources.clear();
        http.log = {};
        http.trace = {};
        // Token requests are rare, and a pooled socket would belong to the
        // io_context of whichever call asked (maybe gone by the next one).
        http.max_idle_connections = 0;
        session_ =
            std::make_shared<transport::session>(boost::asio::any_io_executor(), std::move(http), "", "");
        if (auto const* e = session_->setup_error())
            problem_ = "OAuth2 client credentials: " + e->message;
    }

    void async_get(token_request const& request, boost::asio::any_io_executor const& ex,
                   token_callback done) override
    {
        std::unique_lock lock(mutex_);
        if (!problem_.empty()) {
            lock.unlock();
            return done.fail(problem_);
        }
        auto const now = std::chrono::steady_clock::now();
        if (!token_.empty() && !request.rejected.empty() && request.rejected == token_)
            token_.clear(); // the service refused it: fetch another
        if (!token_.empty() && now < renew_at_) {
            auto token = token_;
            lock.unlock();
            return done(std::move(token));
        }
        waiting_.push_back(std::move(done));
        if (fetching_)
            return; // one token request serves every call that asks meanwhile
        fetching_ = true;
        lock.unlock();
        fetch(ex);
    }

  private:
    /// Answers the waiters whatever happens, even if the request is
    /// destroyed unanswered (its executor stopped).
    struct fetch_guard {
        std::shared_ptr<client_credentials_source> self;
        bool answered = false;
        ~fetch_guard()
        {
            if (self && !answered)
                self->answer({}, {},
                             "the token request to " + self->display_ +
                                 " was abandoned (the executor of the call that asked stopped)");
        }
    };

    void fetch(boost::asio::any_io_executor const& ex)
    {
        binding::wire_request w;
        w.endpoint = "oauth2 token request";
        w.method = "POST";
        w.target = target_;
        w.redacted_target = target_;
        w.headers = {{"Accept", "application/json"}, {"Content-Type", "application/x-www-form-urlencoded"}};
        if (!authorization_.empty())
            w.headers.emplace_back("Authorization", authorization_);
        w.body = form_;
        w.redacted_body = restschema::detail::scrub(form_, secrets_);
        w.secrets = secrets_;
        w.idempotent = true;                          // a token request changes nothing: retried like a GET
        auto guard = std::make_shared<fetch_guard>(); // made in place: a copy's destructor would answer
        guard->self = shared_from_this();
        session_->async_call_on(ex, std::move(w), error_table_view{"oauth2 token request", {}, nullptr},
                                [guard](transport::outcome o) mutable {
                                    guard->answered = true;
                                    guard->self->fetched(std::move(o));
                                });
    }

    void fetched(transport::outcome o)
    {
        namespace rd = restschema::detail;
        auto const where = "the OAuth2 token endpoint " + display_;
        if (!o) {
            auto const& e = o.error();
            std::string why;
            if (e.kind == error_kind::api) {
                auto oauth = oauth_error_of(e.whole_body);
                why = where + " refused the token request: HTTP " + std::to_string(e.http_status) +
                      (oauth.empty() ? "" : ", " + oauth);
            } else {
                why = "could not get a token from " + where + ": " + e.message;
            }
            return answer({}, {}, rd::scrub(std::move(why), secrets_));
        }
        auto a = read_token_answer(o->body);
        if (!a.problem.empty())
            return answer(
                {}, {},
                rd::scrub(where + " " + a.problem + " (HTTP " + std::to_string(o->status) + ")", secrets_));
        answer(std::move(a.token), a.lifetime, {});
    }

    void answer(std::string token, std::optional<std::chrono::seconds> lifetime, std::string problem)
    {
        std::vector<token_callback> waiting;
        {
            std::lock_guard lock(mutex_);
            fetching_ = false;
            waiting.swap(waiting_);
            if (problem.empty()) {
                token_ = token;
                auto const now = std::chrono::steady_clock::now();
                if (!lifetime) {
                    renew_at_ = std::chrono::steady_clock::time_point::max(); // until a 401 refuses it
                } else {
                    auto const margin = std::min<std::chrono::seconds>(o_.refresh_before, *lifetime / 2);
                    renew_at_ = now + (*lifetime - margin);
                }
            }
        }
        for (auto& w : waiting) {
            if (problem.empty())
                w(token);
            else
                w.fail(problem);
        }
    }

    client_credentials_options o_;
    std::string problem_; // the options cannot work: every request fails with it
    std::string display_, target_, form_, authorization_;
    std::vector<std::string> secrets_;
    std::shared_ptr<transport::session> session_;

    std::mutex mutex_;
    std::string token_;
    std::chrono::steady_clock::time_point renew_at_{};
    bool fetching_ = false;
    std::vector<token_callback> waiting_;
};

} // namespace detail

RESTSCHEMA_DECL std::shared_ptr<token_source> client_credentials(client_credentials_options options)
{
    return std::make_shared<detail::client_credentials_source>(std::move(options));
}

} // namespace restschema::oauth2
