// restschema/transport/impl/session.ipp - connecting, sending, receiving, retrying (not a template).
//
// One call is one call_op: a small state machine of completion handlers (no
// coroutines, no composed HTTP operations: they cost far more to compile than
// they save here). The request is serialized once; the response is read with
// async_read_some and fed to restschema's own response parser
// (detail/response_parser.hpp). Every handler of a call runs under the call's
// mutex (step locks it), whichever pooled connection it uses, so a timer or a
// cancellation can close the connection safely on a threaded io_context. (A
// mutex serializes them as a strand would; a strand's machinery was about a
// twentieth of the header-only client's build time.)
#pragma once

#include <restschema/detail/formats.hpp>
#include <restschema/detail/http_date.hpp>
#include <restschema/detail/path_template.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/detail/text.hpp>
#include <restschema/detail/url.hpp>
#include <restschema/transport/detail/connection.hpp>
#include <restschema/binding/auth.hpp>
#include <restschema/detail/gzip.hpp>
#include <restschema/token.hpp>
#include <restschema/transport/detail/proxy.hpp>
#include <restschema/transport/detail/response_parser.hpp>
#include <restschema/transport/retry.hpp>
#include <restschema/transport/session.hpp>
#include <restschema/trace.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <array>
#include <mutex>
#include <optional>
#include <random>
#include <vector>

namespace restschema::transport {

namespace detail {
namespace http = boost::beast::http;

/// Everything a session keeps between calls.
struct session_state {
    session_state(asio::any_io_executor ex, client_options opt, std::string_view default_base,
                  std::string_view default_version)
        : executor(std::move(ex)), options(std::move(opt))
    {
        if (options.base_url.empty())
            options.base_url = std::string(default_base);
        if (options.api_version.empty())
            options.api_version = std::string(default_version);
        std::string why;
        if (auto u = restschema::detail::parse_base_url(options.base_url, &why))
            url = std::move(*u);
        else
            setup_error =
                restschema::detail::make_error(error_kind::validation, "client_options::base_url: " + why);
        if (restschema::detail::has_control_char(options.user_agent))
            setup_error = restschema::detail::make_error(
                error_kind::validation, "client_options::user_agent contains a control character");
        if (options.retry.max_attempts < 1)
            options.retry.max_attempts = 1;
        proxy = make_proxy_config(options.proxy);
        if (!proxy.error.empty() && !setup_error)
            setup_error = restschema::detail::make_error(error_kind::validation, proxy.error);
        setup_tls();
    }

    asio::any_io_executor executor;
    client_options options;
    tls_context ssl;
    restschema::detail::base_url url;
    proxy_config proxy;
    std::optional<error> setup_error;
    // Declared before the pool: pooled sockets of synchronous calls belong to
    // it and must be closed before it is destroyed.
    asio::io_context sync_context;
    std::mutex sync_mutex; // one synchronous call at a time runs sync_context
    std::mutex pool_mutex;
    std::vector<std::unique_ptr<connection>> pool;
    std::mutex rng_mutex;
    std::minstd_rand rng{std::random_device{}()};

    void setup_tls()
    {
        ssl.verify_peer(options.tls.verify_peer);
        if (!options.tls.verify_peer)
            return;
        if (options.tls.use_system_ca)
            (void)ssl.use_system_ca(); // a machine without a CA store: verification then fails, saying why
        if (!options.tls.ca_file.empty()) {
            if (auto const ec = ssl.load_ca_file(options.tls.ca_file)) {
                auto e = restschema::detail::make_error(
                    error_kind::tls, "cannot load CA file \"" +
                                         restschema::detail::printable(options.tls.ca_file) +
                                         "\": " + ec.message());
                e.cause = ec;
                setup_error = std::move(e);
            }
        }
    }

    /// A pooled connection of this io_context that is still open, or null.
    std::unique_ptr<connection> take(asio::execution_context* ctx, std::string_view origin)
    {
        std::lock_guard lock(pool_mutex);
        auto const now = std::chrono::steady_clock::now();
        for (auto it = pool.begin(); it != pool.end();) {
            if ((*it)->context != ctx || (*it)->origin != origin) {
                ++it;
                continue;
            }
            auto conn = std::move(*it);
            it = pool.erase(it);
            if (now - conn->idle_since < options.idle_timeout && conn->still_open())
                return conn;
            // stale: dropped here, closing it
        }
        return nullptr;
    }

    void give_back(std::unique_ptr<connection> c)
    {
        c->idle_since = std::chrono::steady_clock::now();
        std::lock_guard lock(pool_mutex);
        if (options.max_idle_connections == 0)
            return;
        if (pool.size() >= options.max_idle_connections)
            pool.erase(pool.begin());
        pool.push_back(std::move(c));
    }

    double unit_random()
    {
        std::lock_guard lock(rng_mutex);
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    }

    void log(log_record const& r) const
    {
        if (options.log)
            options.log(r);
    }
};

/// "resolving api.example.com failed: ..." or "... timed out".
inline error transport_error(char const* what, boost::system::error_code ec, std::string const& where)
{
    error e;
    e.cause = ec;
    if (ec == asio::error::timed_out) {
        e.kind = error_kind::timeout;
        e.message = std::string(what) + " " + where + " timed out";
    } else {
        e.kind = error_kind::transport;
        e.message = std::string(what) + " " + where + " failed: " + ec.message();
    }
    return e;
}

class call_op;

/// The one completion handler type of every asynchronous operation of a
/// call: each operation kind is instantiated once, not once per lambda. It
/// runs the call's member function under the call's mutex.
struct step {
    std::shared_ptr<call_op> op;
    void (call_op::*fn)(boost::system::error_code, std::size_t);

    using executor_type = io_executor;
    executor_type get_executor() const noexcept;

    void operator()(boost::system::error_code ec, std::size_t n = 0) const;
    void operator()(boost::system::error_code ec, tcp::resolver::results_type results) const;
    void operator()() const { (*this)({}, 0); }
};

/// One call, all its attempts.
class call_op final : public std::enable_shared_from_this<call_op>, public cancellation::target {
    friend struct step;

  public:
    call_op(std::shared_ptr<session_state> s, asio::any_io_executor ex, binding::wire_request request,
            error_table_view errors, callback<void(outcome)> done)
        : s_(std::move(s)), executor_(ex), resolver_(executor_), req_(std::move(request)), errors_(errors),
          done_(std::move(done))
    {
        context_ = &asio::query(ex, asio::execution::context);
    }

    /// Runs start() on the call's executor.
    void launch() { asio::post(executor_, on(&call_op::start_step)); }

    /// From any thread: ends the call with error_kind::cancelled.
    void cancel() override { asio::post(executor_, on(&call_op::cancel_step)); }

  private:
    void start_step(boost::system::error_code, std::size_t)
    {
        if (s_->setup_error)
            return finish(*s_->setup_error); // never sent: not traced
        if (s_->options.trace)
            begin_trace();
        if (cancelled_)
            return finish(cancelled_error());
        proxy_ = s_->proxy.for_url(url());
        if (trace_ && proxy_)
            trace_->proxy = proxy_->display;
        if (req_.pending_credentials.empty()) {
            serialize(); // once: every attempt sends the same bytes
        } else {
            // Tokens are placed anew for each attempt, on what binding laid out.
            unplaced_ = {req_.target, req_.redacted_target, req_.headers.size(), req_.secrets.size()};
            tokens_.assign(req_.pending_credentials.size(), {});
        }
        next_attempt();
    }

    /// Ends what is in flight the way a timeout does: the pending operation
    /// completes with an error, and attempt_failed() turns it into the
    /// cancellation; the connection is closed, never pooled.
    void cancel_step(boost::system::error_code, std::size_t)
    {
        if (cancelled_ || !done_)
            return;
        cancelled_ = true;
        if (waiting_token_) {
            // Nothing of the network is in flight: the source's answer is ignored.
            waiting_token_ = false;
            ++token_wait_;
            return finish(cancelled_error());
        }
        boost::system::error_code ignored;
        resolver_.cancel();
        if (conn_)
            conn_->socket().close(ignored);
        if (wait_timer_)
            wait_timer_->cancel();
    }

    error cancelled_error() const
    {
        auto e = restschema::detail::make_error(error_kind::cancelled, where() + " was cancelled");
        e.cause = asio::error::operation_aborted;
        e.attempts = attempt_ > 0 ? attempt_ : 1;
        return e;
    }

    std::shared_ptr<session_state> s_;
    io_executor executor_;
    std::mutex mutex_; // held by every handler of the call (see step)
    asio::execution_context* context_ = nullptr;
    tcp::resolver resolver_;
    binding::wire_request req_;
    error_table_view errors_;
    callback<void(outcome)> done_;

    proxy_target const* proxy_ = nullptr; // the proxy of this request's origin, or null
    std::string tunnel_;                  // the CONNECT request, then the proxy's answer
    std::string wire_;                    // the serialized request
    std::vector<std::pair<std::string, std::string>> logged_headers_;
    std::unique_ptr<connection> conn_;
    enum class phase_kind { token, connecting, exchanging } phase_kind_ = phase_kind::connecting;
    std::optional<asio::steady_timer> timer_;
    std::optional<asio::steady_timer> wait_timer_;
    std::optional<response_parser> parser_;
    std::array<char, 16 * 1024> chunk_{};
    std::size_t written_ = 0;
    static constexpr int max_interim = 8; // 1xx responses skipped before the final one, at most
    int interim_ = 0;
    int redirects_ = 0;                                     // followed so far in this call
    std::optional<boost::system::error_code> write_failed_; // reading what came before it
    tcp::resolver::results_type endpoints_;
    tcp::resolver::results_type::const_iterator next_endpoint_;
    std::chrono::steady_clock::time_point started_{};
    int attempt_ = 0;
    bool reused_ = false;
    bool fresh_retry_ = false; // the request goes once more on a new connection
    bool expired_ = false;     // the timer of the current phase fired
    bool cancelled_ = false;   // the caller cancelled the call
    // Token sources (req_.pending_credentials): what binding laid out before
    // any token was placed, the token of each source for this attempt, and
    // the tokens a 401 refused (asked to be replaced, once per call).
    struct unplaced {
        std::string target, redacted_target;
        std::size_t headers = 0, secrets = 0;
    } unplaced_;
    std::vector<std::string> tokens_;
    std::vector<std::string> rejected_;
    std::size_t token_index_ = 0;
    unsigned token_wait_ = 0; // counts waits, so that a late answer is ignored
    bool waiting_token_ = false;
    int refresh_attempts_ = 0; // attempts made because a 401 refused a token: not counted by the policy
    unsigned phase_ = 0;       // counts armed and ended phases
    unsigned armed_phase_ = 0; // the phase the timer guards

    // Tracing (client_options::trace): the call so far, and where the
    // current attempt's time goes.
    using phase_field = std::chrono::nanoseconds attempt_phases::*;
    std::optional<call_trace> trace_;
    std::chrono::steady_clock::time_point call_started_{};
    std::chrono::steady_clock::time_point mark_{}; // when the current phase began
    phase_field timed_ = nullptr;                  // the current phase, if any
    bool attempt_open_ = false;

    void begin_trace()
    {
        call_started_ = std::chrono::steady_clock::now();
        call_trace t;
        t.endpoint = req_.endpoint;
        t.method = std::string(req_.method);
        t.scheme = url().tls ? "https" : "http";
        t.server = url().host;
        t.port = url().port;
        t.target = req_.redacted_target;
        t.start = std::chrono::system_clock::now();
        trace_ = std::move(t);
    }

    attempt_trace* traced_attempt() { return trace_ && attempt_open_ ? &trace_->attempts.back() : nullptr; }

    /// The current phase ends (its time is added to it) and `next` begins.
    void enter(phase_field next)
    {
        auto* a = traced_attempt();
        if (!a)
            return;
        auto const now = std::chrono::steady_clock::now();
        if (timed_)
            a->phases.*timed_ += now - mark_;
        mark_ = now;
        timed_ = next;
    }

    /// The attempt ends, with e or with a response.
    void end_attempt(error const* e)
    {
        auto* a = traced_attempt();
        if (!a)
            return;
        enter(nullptr);
        a->duration = std::chrono::steady_clock::now() - started_;
        if (e) {
            a->error = e->kind;
            a->error_message = e->message;
            if (!a->status && e->http_status && e->kind != error_kind::proxy)
                a->status = e->http_status;
        }
        attempt_open_ = false;
    }

    /// The call ends: the hook sees it once, before the caller does.
    void end_trace(outcome const& o)
    {
        if (!trace_)
            return;
        std::optional<error> const e = o ? std::nullopt : std::optional<error>(o.error());
        error const* failed = e ? &*e : nullptr;
        end_attempt(failed);
        auto t = std::move(*trace_);
        trace_.reset();
        t.duration = std::chrono::steady_clock::now() - call_started_;
        if (!failed) {
            t.status = o->status;
        } else {
            t.error = failed->kind;
            t.error_message = restschema::detail::scrub(failed->message, req_.secrets);
            t.status = !t.attempts.empty() ? t.attempts.back().status : 0;
        }
        s_->options.trace(t);
    }

    std::string where() const { return std::string(req_.method) + " " + req_.redacted_target; }

    /// The origin of this request: the client's base URL, or a next-page link's.
    restschema::detail::base_url const& url() const { return req_.origin ? *req_.origin : s_->url; }

    /// The pool key of that origin (and the proxy in between).
    std::string origin_key() const
    {
        return (url().tls ? "https://" : "http://") + url().host_header() +
               (proxy_ ? " via " + proxy_->display : std::string());
    }

    /// What a connection goes to, in errors: "api.example.com" or "proxy p:3128".
    std::string peer() const { return proxy_ ? "proxy " + proxy_->display : url().host_header(); }

    /// "host:port" of the service, as CONNECT names it.
    std::string authority() const
    {
        auto const& h = url().host;
        return (h.find(':') != std::string::npos ? "[" + h + "]" : h) + ":" + url().port;
    }

    void serialize()
    {
        auto const& o = s_->options;
        auto add = [&](std::string_view name, std::string_view value) {
            wire_.append(name).append(": ").append(value).append("\r\n");
            if (!o.log)
                return; // the redacted copy is for the log hook only
            bool const secret = restschema::detail::iequals_ascii(name, "Authorization") ||
                                restschema::detail::iequals_ascii(name, "Proxy-Authorization") ||
                                restschema::detail::scrub(std::string(value), req_.secrets) != value;
            logged_headers_.emplace_back(std::string(name), secret ? std::string(restschema::detail::redacted)
                                                                   : std::string(value));
        };
        // Through a proxy, plain HTTP names the whole URL (absolute form, RFC 9112 3.2.2).
        bool const absolute = proxy_ && !url().tls;
        wire_.append(req_.method).append(" ");
        if (absolute)
            wire_.append("http://").append(url().host_header());
        wire_.append(req_.target).append(" HTTP/1.1\r\n");
        add("Host", url().host_header());
        if (absolute && !proxy_->authorization.empty())
            add("Proxy-Authorization", proxy_->authorization);
        add("User-Agent", o.user_agent);
        bool own_encoding = false;
        for (auto const& [k, v] : req_.headers) {
            add(k, v);
            own_encoding = own_encoding || restschema::detail::iequals_ascii(k, "Accept-Encoding");
        }
        if (o.accept_gzip && !own_encoding)
            add("Accept-Encoding", "gzip");
        bool const body_method = req_.method == "POST" || req_.method == "PUT" || req_.method == "PATCH";
        if (!req_.body.empty() || body_method)
            add("Content-Length", std::to_string(req_.body.size()));
        wire_ += "\r\n";
        wire_ += req_.body;
    }

    log_record record(log_record::kind what) const
    {
        log_record r;
        r.what = what;
        r.endpoint = req_.endpoint;
        r.method = std::string(req_.method);
        r.target = req_.redacted_target;
        r.attempt = attempt_;
        return r;
    }

    // ------------------------------------------------------------ attempts

    void next_attempt()
    {
        ++attempt_;
        started_ = std::chrono::steady_clock::now();
        fresh_retry_ = false;
        if (trace_) {
            attempt_trace a;
            a.attempt = attempt_;
            a.start = std::chrono::system_clock::now();
            trace_->attempts.push_back(std::move(a));
            attempt_open_ = true;
            timed_ = nullptr;
            mark_ = started_;
        }
        if (!req_.pending_credentials.empty()) {
            token_index_ = 0;
            return ask_token();
        }
        attempt_ready();
    }

    /// The request of this attempt is complete: log it and send it.
    void attempt_ready()
    {
        if (s_->options.log) {
            auto r = record(log_record::kind::request);
            r.headers = logged_headers_;
            r.body = req_.redacted_body.substr(0, 4096);
            s_->log(r);
        }
        acquire();
    }

    // ------------------------------------------------------------ token sources

    /// Asks the source of pending credential token_index_, under the
    /// attempt's request timeout (a source that never answers ends the call).
    void ask_token()
    {
        auto const& p = req_.pending_credentials[token_index_];
        enter(&attempt_phases::token);
        waiting_token_ = true;
        auto const wait = ++token_wait_;
        arm(std::chrono::steady_clock::now() + req_.request_timeout.value_or(s_->options.request_timeout),
            phase_kind::token);
        token_request tr;
        tr.scheme = p.scheme.id;
        if (token_index_ < rejected_.size())
            tr.rejected = rejected_[token_index_];
        auto self = shared_from_this();
        token_callback done(token_callback::function([self, wait](std::string token, std::string problem) {
            auto ex = self->executor_;
            asio::post(ex, [self = std::move(self), wait, token = std::move(token),
                            problem = std::move(problem)]() mutable {
                std::lock_guard lock(self->mutex_);
                self->on_token(wait, std::move(token), std::move(problem));
            });
        }));
        // The source may answer inside async_get: the answer is posted, so it
        // never runs inside this handler.
        auto source = p.source;
        source->async_get(tr, executor_, std::move(done));
    }

    void on_token(unsigned wait, std::string token, std::string problem)
    {
        if (wait != token_wait_ || !waiting_token_ || !done_)
            return; // timed out or cancelled meanwhile
        waiting_token_ = false;
        disarm();
        auto const& scheme = req_.pending_credentials[token_index_].scheme;
        if (problem.empty() && restschema::detail::has_control_char(token))
            problem = "the token source gave a token with a control character (CR, LF, ...); value not shown";
        if (problem.empty() && token.empty())
            problem = "the token source gave an empty token";
        if (!problem.empty()) {
            std::vector<std::string> secrets = req_.secrets;
            if (!token.empty())
                secrets.push_back(token);
            auto e = restschema::detail::make_error(
                error_kind::credentials, std::string(req_.endpoint) + " (" + where() +
                                             "): no credential for auth scheme \"" + std::string(scheme.id) +
                                             "\": " + restschema::detail::scrub(std::move(problem), secrets));
            e.attempts = attempt_;
            end_attempt(&e);
            return finish(std::move(e));
        }
        tokens_[token_index_] = std::move(token);
        if (++token_index_ < req_.pending_credentials.size())
            return ask_token();
        place_tokens();
        attempt_ready();
    }

    /// Puts this attempt's tokens where their schemes say, on the request as
    /// binding left it, and serializes it.
    void place_tokens()
    {
        req_.target = unplaced_.target;
        req_.redacted_target = unplaced_.redacted_target;
        req_.headers.resize(unplaced_.headers);
        req_.secrets.resize(unplaced_.secrets);
        for (std::size_t i = 0; i < tokens_.size(); ++i) {
            auto placed = binding::place_credential(req_.pending_credentials[i].scheme, tokens_[i]);
            for (auto& secret : placed.secrets)
                req_.secrets.push_back(std::move(secret));
            if (placed.in == location::query) {
                auto const value = restschema::detail::encode_query(placed.value);
                req_.secrets.push_back(value);
                auto const name = restschema::detail::encode_query(placed.name);
                char const sep = req_.target.find('?') == std::string::npos ? '?' : '&';
                req_.target.append(1, sep).append(name).append("=").append(value);
                req_.redacted_target.append(1, sep).append(name).append("=").append(
                    restschema::detail::redacted);
            } else {
                req_.headers.emplace_back(std::move(placed.name), std::move(placed.value));
            }
        }
        wire_.clear();
        logged_headers_.clear();
        serialize();
    }

    void token_timed_out()
    {
        waiting_token_ = false;
        ++token_wait_;
        auto const& scheme = req_.pending_credentials[token_index_].scheme;
        auto const limit = req_.request_timeout.value_or(s_->options.request_timeout);
        auto e = restschema::detail::make_error(
            error_kind::timeout, std::string(req_.endpoint) + " (" + where() +
                                     "): the token source of auth scheme \"" + std::string(scheme.id) +
                                     "\" gave no token within " + std::to_string(limit.count()) + " ms");
        e.cause = asio::error::timed_out;
        e.attempts = attempt_;
        end_attempt(&e);
        finish(std::move(e));
    }

    void acquire_step(boost::system::error_code, std::size_t) { acquire(); }

    void acquire()
    {
        conn_ = fresh_retry_ ? nullptr : s_->take(context_, origin_key());
        reused_ = conn_ != nullptr;
        if (auto* a = traced_attempt())
            a->reused_connection = reused_;
        if (reused_)
            return send();
        resolve();
    }

    step on(void (call_op::*fn)(boost::system::error_code, std::size_t)) { return {shared_from_this(), fn}; }

    /// Arms the timer of a phase; when it fires, on_timer() cancels the phase.
    void arm(std::chrono::steady_clock::time_point at, phase_kind kind)
    {
        expired_ = false;
        phase_kind_ = kind;
        timer_.emplace(executor_);
        timer_->expires_at(at);
        armed_phase_ = ++phase_;
        timer_->async_wait(on(&call_op::on_timer));
    }

    void on_timer(boost::system::error_code ec, std::size_t)
    {
        // A timer that fired just as its phase ended must not cancel the next phase.
        if (ec || armed_phase_ != phase_)
            return;
        expired_ = true;
        if (phase_kind_ == phase_kind::token)
            return token_timed_out();
        boost::system::error_code ignored;
        if (phase_kind_ == phase_kind::connecting)
            resolver_.cancel();
        if (conn_)
            conn_->socket().close(ignored);
    }

    void disarm()
    {
        ++phase_;
        if (timer_)
            timer_->cancel();
    }

    // ------------------------------------------------------------ connecting

    void resolve()
    {
        // Look up the host, under the connect timeout (the resolver has none of its own).
        enter(&attempt_phases::resolve);
        arm(std::chrono::steady_clock::now() + req_.connect_timeout.value_or(s_->options.connect_timeout),
            phase_kind::connecting);
        resolver_.async_resolve(proxy_ ? proxy_->host : url().host, proxy_ ? proxy_->port : url().port,
                                on(nullptr));
    }

    void on_resolve(boost::system::error_code ec, tcp::resolver::results_type results)
    {
        if (ec || expired_)
            return attempt_failed(
                transport_error("resolving", expired_ ? asio::error::timed_out : ec, peer()), true);
        enter(&attempt_phases::connect);
        endpoints_ = std::move(results);
        next_endpoint_ = endpoints_.begin();
        conn_ = std::make_unique<connection>(executor_, url().tls ? &s_->ssl : nullptr);
        conn_->context = context_;
        conn_->origin = origin_key();
        connect_next(asio::error::host_not_found);
    }

    /// Tries the resolved addresses in order.
    void connect_next(boost::system::error_code last)
    {
        if (expired_ || cancelled_ || next_endpoint_ == endpoints_.end()) {
            disarm();
            return attempt_failed(
                transport_error("connecting to", expired_ ? asio::error::timed_out : last, peer()), true);
        }
        auto const ep = (next_endpoint_++)->endpoint();
        auto& sock = conn_->socket();
        boost::system::error_code ignored;
        sock.close(ignored);
        sock.async_connect(ep, on(&call_op::on_connect));
    }

    void on_connect(boost::system::error_code ec, std::size_t)
    {
        if (ec)
            return connect_next(ec);
        boost::system::error_code ignored;
        // Requests are small and latency matters.
        conn_->socket().set_option(tcp::no_delay(true), ignored);
        if (!conn_->tls) {
            disarm();
            return send();
        }
        if (proxy_)
            return start_tunnel();
        start_tls();
    }

    // ------------------------------------------------------------ a CONNECT tunnel

    void start_tunnel()
    {
        enter(&attempt_phases::proxy);
        tunnel_ = "CONNECT " + authority() + " HTTP/1.1\r\nHost: " + authority() + "\r\n";
        if (!proxy_->authorization.empty())
            tunnel_ += "Proxy-Authorization: " + proxy_->authorization + "\r\n";
        tunnel_ += "User-Agent: " + s_->options.user_agent + "\r\n\r\n";
        written_ = 0;
        on_tunnel_written({}, 0);
    }

    void on_tunnel_written(boost::system::error_code ec, std::size_t n)
    {
        if (ec || expired_)
            return tunnel_failed(ec);
        written_ += n;
        if (written_ < tunnel_.size())
            return conn_->socket().async_write_some(
                asio::const_buffer(tunnel_.data() + written_, tunnel_.size() - written_),
                on(&call_op::on_tunnel_written));
        tunnel_.clear();
        conn_->socket().async_read_some(asio::mutable_buffer(chunk_.data(), chunk_.size()),
                                        on(&call_op::on_tunnel_read));
    }

    void tunnel_failed(boost::system::error_code ec)
    {
        disarm();
        attempt_failed(transport_error(("CONNECT to " + authority() + " through").c_str(),
                                       expired_ ? asio::error::timed_out : ec, peer()),
                       true);
    }

    void proxy_refused(std::string why, int status = 0)
    {
        disarm();
        auto e = restschema::detail::make_error(error_kind::proxy, "the " + peer() + " " + std::move(why));
        e.http_status = status;
        attempt_failed(std::move(e), true);
    }

    /// The proxy's answer to CONNECT: a 2xx opens the tunnel (and nothing may
    /// follow it before TLS starts); anything else is the proxy's refusal.
    void on_tunnel_read(boost::system::error_code ec, std::size_t n)
    {
        if (ec || expired_)
            return tunnel_failed(ec ? ec : asio::error::timed_out);
        tunnel_.append(chunk_.data(), n);
        auto const end = tunnel_.find("\r\n\r\n");
        if (end == std::string::npos) {
            if (tunnel_.size() > 16 * 1024)
                return proxy_refused("answered CONNECT with a head larger than 16 KiB");
            return conn_->socket().async_read_some(asio::mutable_buffer(chunk_.data(), chunk_.size()),
                                                   on(&call_op::on_tunnel_read));
        }
        std::string_view const line = std::string_view(tunnel_).substr(0, tunnel_.find("\r\n"));
        // "HTTP/1.x NNN reason"
        bool const http = line.size() >= 12 && line.starts_with("HTTP/1.") && line[8] == ' ' &&
                          line.substr(9, 3).find_first_not_of("0123456789") == std::string_view::npos &&
                          (line.size() == 12 || line[12] == ' ');
        if (!http)
            return proxy_refused("answered CONNECT with something that is not HTTP: \"" +
                                 restschema::detail::printable(line, 60) + "\"");
        int const status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        auto const reason = restschema::detail::printable(line.size() > 13 ? line.substr(13) : "", 80);
        if (status / 100 == 2) {
            if (tunnel_.size() != end + 4)
                return proxy_refused("sent bytes after its answer to CONNECT, before TLS began", status);
            tunnel_.clear();
            return start_tls();
        }
        std::string why = "refused CONNECT to " + authority() + ": HTTP " + std::to_string(status) +
                          (reason.empty() ? "" : " " + reason);
        if (status == 407)
            why += proxy_->authorization.empty()
                       ? " (the proxy asks for credentials: give them in the proxy URL, "
                         "http://user:password@host:port)"
                       : " (the proxy refused the credentials of the proxy URL)";
        proxy_refused(std::move(why), status);
    }

    // ------------------------------------------------------------ TLS

    void start_tls()
    {
        enter(&attempt_phases::tls);
        // SNI, and the name the certificate must carry.
        if (!conn_->tls->set_server(url().host, s_->options.tls.verify_peer)) {
            disarm();
            return attempt_failed(
                restschema::detail::make_error(error_kind::tls,
                                               "cannot set the TLS host name for " + url().host_header()),
                true);
        }
        tls_start(tls_engine::operation::handshake, nullptr, 0, &call_op::on_handshake);
    }

    // TLS runs over the connection's socket: the engine says what the socket
    // does next, and these handlers do it, with the same two socket
    // operations as plain TCP. When the TLS operation ends, tls_then_ runs.
    using handler = void (call_op::*)(boost::system::error_code, std::size_t);
    tls_engine::operation tls_op_ = tls_engine::operation::handshake;
    void* tls_data_ = nullptr;
    std::size_t tls_size_ = 0;
    std::size_t tls_bytes_ = 0;           // read or written by the operation, once its output is flushed
    boost::system::error_code tls_error_; // of the operation whose output is being flushed
    bool tls_retry_ = false;              // perform the operation again once it is
    handler tls_then_ = nullptr;

    void tls_start(tls_engine::operation op, void const* data, std::size_t size, handler then)
    {
        tls_op_ = op;
        tls_data_ = const_cast<void*>(data); // written from, for write: SSL_write takes const void*
        tls_size_ = size;
        tls_then_ = then;
        tls_continue();
    }

    void tls_continue()
    {
        auto const o = conn_->tls->perform(tls_op_, tls_data_, tls_size_);
        tls_bytes_ = o.bytes;
        switch (o.what) {
        case tls_engine::next::done:
            return (this->*tls_then_)(o.ec, o.bytes);
        case tls_engine::next::flush_then_done:
        case tls_engine::next::flush_then_retry:
            tls_retry_ = o.what == tls_engine::next::flush_then_retry; // never with an error
            tls_error_ = o.ec;
            return tls_flush();
        case tls_engine::next::read_then_retry: {
            auto const [space, room] = conn_->tls->input_space();
            return conn_->socket().async_read_some(asio::mutable_buffer(space, room),
                                                   on(&call_op::on_tls_input));
        }
        }
    }

    void tls_flush()
    {
        auto const out = conn_->tls->output();
        conn_->socket().async_write_some(asio::const_buffer(out.data(), out.size()),
                                         on(&call_op::on_tls_output));
    }

    void on_tls_output(boost::system::error_code ec, std::size_t n)
    {
        if (ec)
            return (this->*tls_then_)(ec, 0);
        conn_->tls->output_sent(n);
        if (conn_->tls->output_pending())
            return tls_flush();
        if (tls_retry_)
            return tls_continue();
        (this->*tls_then_)(tls_error_, tls_bytes_);
    }

    void on_tls_input(boost::system::error_code ec, std::size_t n)
    {
        if (ec == asio::error::eof)
            ec = conn_->tls->end_of_stream();
        if (ec)
            return (this->*tls_then_)(ec, 0);
        conn_->tls->input_received(n);
        tls_continue();
    }

    void on_handshake(boost::system::error_code ec, std::size_t)
    {
        disarm();
        auto const where = url().host_header();
        if (expired_)
            return attempt_failed(transport_error("TLS handshake with", asio::error::timed_out, where), true);
        if (ec) {
            error e;
            e.kind = error_kind::tls;
            e.cause = ec;
            e.message = "TLS handshake with " + where + " failed: " + ec.message();
            if (long const v = SSL_get_verify_result(conn_->tls->native_handle()); v != X509_V_OK)
                e.message += std::string(" (certificate: ") + X509_verify_cert_error_string(v) + ")";
            return attempt_failed(std::move(e), true);
        }
        send();
    }

    // ------------------------------------------------------------ one exchange

    void send()
    {
        enter(&attempt_phases::send);
        // The request deadline covers writing the request and reading the whole response.
        arm(started_ + req_.request_timeout.value_or(s_->options.request_timeout), phase_kind::exchanging);
        new_parser();
        interim_ = 0;
        write_failed_.reset();
        written_ = 0;
        on_written({}, 0);
    }

    /// Writes the request with write_some: cheaper to compile than async_write.
    void on_written(boost::system::error_code ec, std::size_t n)
    {
        if (ec && !expired_ && !cancelled_ && !url().tls && !write_failed_) {
            // The server may have answered before reading the whole body (a
            // 413, a 401) and closed: that answer is the call's outcome, so
            // read what has arrived before reporting the failed write.
            // (Plain TCP only: a TLS stream is not used after a failed write.)
            write_failed_ = ec;
            return parse();
        }
        if (ec)
            return exchange_failed(ec);
        written_ += n;
        if (auto* a = traced_attempt())
            a->bytes_sent += n;
        if (written_ == wire_.size()) {
            enter(&attempt_phases::wait);
            return parse();
        }
        if (conn_->tls)
            return tls_start(tls_engine::operation::write, wire_.data() + written_, wire_.size() - written_,
                             &call_op::on_written);
        conn_->socket().async_write_some(asio::const_buffer(wire_.data() + written_, wire_.size() - written_),
                                         on(&call_op::on_written));
    }

    /// Gives the parser what has arrived: a parse error, or none (the
    /// response is complete, or more is needed).
    boost::system::error_code feed()
    {
        // put() reads all it can in one go: the header once it is whole, and the body.
        auto& pending = conn_->pending;
        boost::system::error_code ec;
        if (!pending.empty() && !parser_->is_done())
            pending.erase(0, parser_->put(pending, ec));
        return ec;
    }

    void new_parser()
    {
        parser_.emplace(response_parser::limits{64 * 1024, s_->options.max_body_size, req_.method == "HEAD"});
    }

    /// Parses what has arrived; reads more while the response is not complete.
    /// Interim responses (100 Continue, 103 Early Hints) are skipped: the
    /// final response follows them on the same connection (RFC 9110, 15.2).
    void parse()
    {
        for (;;) {
            if (auto ec = feed())
                return exchange_failed(ec);
            if (!parser_->is_done())
                break;
            auto const status = parser_->get().status;
            if (status < 100 || status >= 200)
                return received();
            if (status == 101 || ++interim_ > max_interim) {
                disarm();
                conn_.reset();
                auto e = restschema::detail::make_error(
                    error_kind::transport,
                    "the response of " + where() + " is not valid HTTP: " +
                        (status == 101
                             ? std::string("HTTP 101 Switching Protocols, which the request did not ask for")
                             : "more than " + std::to_string(max_interim) +
                                   " interim (1xx) responses before the final one"));
                return attempt_failed(std::move(e), false);
            }
            new_parser();
        }
        if (conn_->tls)
            return tls_start(tls_engine::operation::read, chunk_.data(), chunk_.size(), &call_op::on_read);
        conn_->socket().async_read_some(asio::mutable_buffer(chunk_.data(), chunk_.size()),
                                        on(&call_op::on_read));
    }

    void on_read(boost::system::error_code ec, std::size_t n)
    {
        if (n > 0) {
            conn_->pending.append(chunk_.data(), n);
            if (auto* a = traced_attempt()) {
                a->bytes_received += n;
                if (timed_ == &attempt_phases::wait)
                    enter(&attempt_phases::receive);
            }
        }
        if (!ec)
            return parse();
        if (ec != asio::error::eof && ec != asio::ssl::error::stream_truncated)
            return exchange_failed(ec);
        // The server closed: the end of a body delimited by the connection's end, or a loss.
        if (auto pec = feed())
            return exchange_failed(pec);
        if (!parser_->is_done() && parser_->got_some()) { // put_eof() wants a started message
            boost::system::error_code eof_ec;
            parser_->put_eof(eof_ec);
        }
        if (parser_->is_done() && !(parser_->get().status >= 100 && parser_->get().status < 200))
            return received(true);
        exchange_failed(ec);
    }

    void exchange_failed(boost::system::error_code ec)
    {
        disarm();
        if (write_failed_) {
            // Nothing complete came after the failed write: that write is the fault.
            ec = *write_failed_;
            write_failed_.reset();
        }
        bool const before_response =
            interim_ == 0 && (!parser_ || (!parser_->got_some() && conn_->pending.empty()));
        bool const timed_out = expired_;
        // A reused connection may have been closed by the server a moment ago;
        // the request then goes once more on a new connection, which is safe
        // because the server saw none of it.
        if (reused_ && before_response && !timed_out && !cancelled_ && !fresh_retry_) {
            conn_.reset();
            fresh_retry_ = true;
            return asio::post(executor_, on(&call_op::acquire_step));
        }
        conn_.reset();
        std::string const w = where();
        if (timed_out)
            return attempt_failed(transport_error("request", asio::error::timed_out, w), before_response);
        if (ec == http::error::body_limit) {
            auto e = restschema::detail::make_error(error_kind::decode,
                                                    "response body of " + w + " exceeds the limit of " +
                                                        std::to_string(s_->options.max_body_size) + " bytes");
            e.cause = ec;
            return attempt_failed(std::move(e), false);
        }
        if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
            // The peer answered, but not in HTTP: a protocol error, not a lost connection.
            auto e = restschema::detail::make_error(
                error_kind::transport,
                "the response of " + w + " is not valid HTTP: " +
                    (parser_ && !parser_->why().empty() ? parser_->why() : ec.message()));
            e.cause = ec;
            return attempt_failed(std::move(e), false);
        }
        if (before_response) {
            auto e = transport_error("request", ec, w);
            e.message += " (connection lost before any response)";
            return attempt_failed(std::move(e), true);
        }
        auto e = transport_error("reading the response of", ec, w);
        e.message += " (connection lost mid-response)";
        attempt_failed(std::move(e), false);
    }

    void received(bool closed = false)
    {
        disarm();
        auto& res = parser_->get();
        int const status = res.status;
        if (auto* a = traced_attempt())
            a->status = status;
        bool const reusable = !closed && !write_failed_ && parser_->keep_alive() && !parser_->need_eof() &&
                              conn_->pending.empty();
        if (status == 407 && proxy_ && !url().tls) {
            // The proxy's own answer, not the service's.
            conn_.reset();
            return proxy_refused(
                proxy_->authorization.empty()
                    ? "answered HTTP 407 Proxy Authentication Required (the proxy asks for credentials: give "
                      "them in the proxy URL, http://user:password@host:port)"
                    : "answered HTTP 407 Proxy Authentication Required (the proxy refused the credentials of "
                      "the proxy URL)",
                407);
        }
        std::optional<std::chrono::milliseconds> retry_after;
        if (auto const* v = res.find("Retry-After"))
            retry_after = restschema::detail::parse_retry_after(*v, std::chrono::system_clock::now());
        std::string body = std::move(res.body);
        std::optional<std::string> location; // as sent: the copy in headers is scrubbed
        if (auto const* v = res.find("Location"))
            location = *v;
        if (auto const* v = res.find("Content-Encoding"); v && !body.empty()) {
            if (auto e = inflate(*v, body, status)) {
                parser_.reset();
                if (reusable)
                    s_->give_back(std::move(conn_));
                return attempt_failed(std::move(*e), false);
            }
        }
        // The header fields, for typed response headers and the error (secrets masked).
        std::vector<std::pair<std::string, std::string>> headers;
        std::string links; // as sent, for the pager: see wire_response::links
        headers.reserve(res.fields.size());
        for (auto& [name, value] : res.fields) {
            if (restschema::detail::iequals_ascii(name, "Link"))
                links.append(links.empty() ? "" : ", ").append(value);
            headers.emplace_back(std::move(name), restschema::detail::scrub(std::move(value), req_.secrets));
        }
        if (s_->options.log) {
            auto r = record(log_record::kind::response);
            r.status = status;
            r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started_);
            r.headers = headers;
            r.body = restschema::detail::scrub(body.substr(0, 4096), req_.secrets);
            s_->log(r);
        }
        parser_.reset();
        if (reusable)
            s_->give_back(std::move(conn_));
        conn_.reset();

        if (status >= 200 && status < 300)
            return finish(
                binding::wire_response{status, std::move(body), std::move(headers), std::move(links)});
        std::string not_followed;
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
            not_followed = redirect(status, location);
            if (not_followed.empty())
                return; // the next hop is under way, or the call has ended
        }
        auto e = make_api_error(errors_, status, body);
        e.message += not_followed;
        auto const& secrets = req_.secrets;
        e.message = restschema::detail::scrub(std::move(e.message), secrets);
        e.server_message = restschema::detail::scrub(std::move(e.server_message), secrets);
        e.server_details = restschema::detail::scrub(std::move(e.server_details), secrets);
        // Scrubbed once, whole; the capped copy is its prefix (so a secret
        // across the cap is not left half-visible).
        e.whole_body = restschema::detail::scrub(std::move(e.whole_body), secrets);
        e.body = e.whole_body.substr(0, restschema::detail::max_kept_body);
        e.retry_after = retry_after;
        e.headers = std::move(headers);
        attempt_failed(std::move(e), false);
    }

    /// Follows a redirect: sends the request to its Location as the next
    /// attempt (not one of the retry policy's) and returns "". Otherwise
    /// returns why it was not followed, for the error the 3xx becomes.
    std::string redirect(int status, std::optional<std::string> const& location)
    {
        if (!location)
            return " (a redirect without a Location header)";
        // Scrubbed like every message when the error is made.
        std::string const to = " to \"" + restschema::detail::printable(*location, 256) + "\"";
        bool const same_method = status == 307 || status == 308;
        if (!same_method && req_.method != "GET" && req_.method != "HEAD")
            return to + ": not followed, since the " + std::string(req_.method) +
                   " would have to become a GET (RFC 9110 15.4); if the service moved, point base_url there";
        int const limit = s_->options.max_redirects;
        if (redirects_ >= limit)
            return to + (limit > 0 ? ": not followed, after " + std::to_string(limit) +
                                         " redirects (max_redirects; a loop?)"
                                   : ": not followed (max_redirects is 0)");
        bool const pending = !req_.pending_credentials.empty();
        binding::page_location const from{req_.origin, pending ? unplaced_.target : req_.target};
        if (pending) {
            req_.target = unplaced_.target;
            req_.redacted_target = unplaced_.redacted_target;
        }
        if (auto followed = binding::follow_redirect(req_, *location, s_->url, from, status); !followed) {
            auto e = followed.error();
            e.http_status = status;
            e.attempts = attempt_;
            end_attempt(&e);
            finish(std::move(e));
            return {};
        }
        ++redirects_;
        end_attempt(nullptr);
        proxy_ = s_->proxy.for_url(url());
        if (req_.pending_credentials.empty()) {
            wire_.clear();
            logged_headers_.clear();
            serialize();
        } else {
            unplaced_.target = req_.target;
            unplaced_.redacted_target = req_.redacted_target;
        }
        next_attempt();
        return {};
    }

    /// Inflates a gzip body in place, bounded by max_body_size; an encoding
    /// that is not gzip (nor identity) is an error too.
    std::optional<error> inflate(std::string_view coding, std::string& body, int status) const
    {
        coding = restschema::detail::trim_space(coding);
        if (coding.empty() || restschema::detail::iequals_ascii(coding, "identity"))
            return std::nullopt;
        auto fail = [&](std::string const& why) {
            return restschema::detail::make_error(
                error_kind::decode, "the response body (HTTP " + std::to_string(status) + ") of " +
                                        std::string(req_.endpoint) + " (" + where() + ") " + why);
        };
        if (!restschema::detail::iequals_ascii(coding, "gzip") &&
            !restschema::detail::iequals_ascii(coding, "x-gzip"))
            return fail("has Content-Encoding \"" + restschema::detail::printable(coding, 64) +
                        "\", which the client cannot decode (it inflates gzip only)");
        std::string plain;
        if (auto why = restschema::detail::gunzip(body, s_->options.max_body_size, plain); !why.empty())
            return fail(why);
        body = std::move(plain);
        return std::nullopt;
    }

    // ------------------------------------------------------------ retry or finish

    void attempt_failed(error e, bool before_response)
    {
        conn_.reset();
        if (cancelled_)
            return finish(cancelled_error());
        e.message = restschema::detail::scrub(std::move(e.message), req_.secrets);
        e.attempts = attempt_;
        end_attempt(&e);
        if (e.kind == error_kind::api && e.http_status == 401 && !req_.pending_credentials.empty()) {
            if (refresh_attempts_ == 0) {
                // The service refused a token: ask for fresh ones and send
                // again at once, once; this attempt is not the policy's.
                ++refresh_attempts_;
                rejected_ = tokens_;
                if (s_->options.log) {
                    auto r = record(log_record::kind::retry);
                    r.status = e.http_status;
                    r.body = e.message + " (asking the token source for a fresh token)";
                    s_->log(r);
                }
                return next_attempt();
            }
            e.message += " (with a fresh token from the token source, too)";
        }
        auto const& policy = req_.retry ? *req_.retry : s_->options.retry;
        auto const d = decide_retry(policy, req_.idempotent, e, before_response);
        // retryable means "this call would be retried" (attempts left aside):
        // never for a call that is not idempotent, whatever the error row says.
        if (!req_.idempotent)
            e.retryable = false;
        else if (e.kind != error_kind::api)
            e.retryable = d.retry;
        if (!d.retry || attempt_ - refresh_attempts_ - redirects_ >= policy.max_attempts)
            return finish(std::move(e));
        auto const delay = d.wait ? *d.wait : backoff(policy, attempt_, s_->unit_random());
        if (trace_ && !trace_->attempts.empty())
            trace_->attempts.back().backoff = delay;
        if (s_->options.log) {
            auto r = record(log_record::kind::retry);
            r.status = e.http_status;
            r.elapsed = delay;
            r.body = e.message;
            s_->log(r);
        }
        wait_timer_.emplace(executor_, delay);
        wait_timer_->async_wait(on(&call_op::retry_step));
    }

    void retry_step(boost::system::error_code, std::size_t)
    {
        if (cancelled_)
            return finish(cancelled_error());
        next_attempt();
    }

    void finish(outcome o)
    {
        // Nothing of this call stays pending: a timer left armed would keep
        // the io_context (and a synchronous call) busy until it fired.
        disarm();
        if (wait_timer_)
            wait_timer_->cancel();
        end_trace(o);
        if (done_)
            done_(std::move(o));
    }
};

inline step::executor_type step::get_executor() const noexcept
{
    return op->executor_;
}

inline void step::operator()(boost::system::error_code ec, std::size_t n) const
{
    std::lock_guard lock(op->mutex_);
    ((*op).*fn)(ec, n);
}

inline void step::operator()(boost::system::error_code ec, tcp::resolver::results_type results) const
{
    std::lock_guard lock(op->mutex_);
    op->on_resolve(ec, std::move(results));
}

} // namespace detail

struct session::state : detail::session_state {
    using session_state::session_state;
};

RESTSCHEMA_DECL session::session(boost::asio::any_io_executor ex, client_options options,
                                 std::string_view default_base_url, std::string_view default_version)
    : state_(std::make_shared<state>(std::move(ex), std::move(options), default_base_url, default_version))
{
}

RESTSCHEMA_DECL session::~session() = default;

RESTSCHEMA_DECL client_options const& session::options() const noexcept
{
    return state_->options;
}

RESTSCHEMA_DECL boost::asio::any_io_executor const& session::executor() const noexcept
{
    return state_->executor;
}

RESTSCHEMA_DECL binding::bind_context session::bind_context() const noexcept
{
    return {state_->options.api_version,
            state_->url.prefix,
            &state_->options.credentials,
            &state_->options.token_sources,
            static_cast<bool>(state_->options.log),
            state_->options.format,
            state_->options.max_body_size};
}

RESTSCHEMA_DECL restschema::detail::base_url const& session::base_url() const noexcept
{
    return state_->url;
}

RESTSCHEMA_DECL error const* session::setup_error() const noexcept
{
    return state_->setup_error ? &*state_->setup_error : nullptr;
}

RESTSCHEMA_DECL outcome session::call(binding::wire_request const& request, error_table_view const& errors)
{
    std::lock_guard lock(state_->sync_mutex);
    auto& ioc = state_->sync_context;
    std::optional<outcome> out;
    auto op = std::make_shared<detail::call_op>(state_, ioc.get_executor(), request, errors,
                                                [&out](outcome o) { out = std::move(o); });
    op->launch();
    op.reset();
    ioc.restart();
    try {
        ioc.run();
    } catch (std::exception const& x) {
        // A handler threw (out of memory, say): the connections of this
        // context may be mid-operation, so none of them is kept.
        {
            std::lock_guard pool_lock(state_->pool_mutex);
            std::erase_if(state_->pool, [&](auto const& c) { return c->context == &ioc; });
        }
        ioc.restart();
        ioc.poll();
        if (!out)
            out = restschema::detail::make_error(error_kind::transport,
                                                 std::string("internal error: ") + x.what());
    }
    if (!out)
        out = restschema::detail::make_error(error_kind::transport,
                                             "internal error: the call did not complete");
    return std::move(*out);
}

RESTSCHEMA_DECL void session::async_call(binding::wire_request request, error_table_view const& errors,
                                         callback<void(outcome)> done, std::shared_ptr<cancellation> cancel)
{
    if (!state_->executor)
        throw std::logic_error("restschema::client: async_call needs a client constructed with an executor");
    async_call_on(state_->executor, std::move(request), errors, std::move(done), std::move(cancel));
}

RESTSCHEMA_DECL void session::async_call_on(boost::asio::any_io_executor ex, binding::wire_request request,
                                            error_table_view const& errors, callback<void(outcome)> done,
                                            std::shared_ptr<cancellation> cancel)
{
    auto op =
        std::make_shared<detail::call_op>(state_, std::move(ex), std::move(request), errors, std::move(done));
    if (cancel)
        cancel->attach(op);
    op->launch();
}

RESTSCHEMA_DECL void cancellation::request()
{
    std::shared_ptr<target> t;
    {
        std::lock_guard lock(mutex_);
        requested_ = true;
        t = target_.lock();
    }
    if (t)
        t->cancel();
}

RESTSCHEMA_DECL void cancellation::attach(std::weak_ptr<target> t)
{
    std::shared_ptr<target> now;
    {
        std::lock_guard lock(mutex_);
        target_ = t;
        if (requested_)
            now = t.lock();
    }
    if (now)
        now->cancel();
}

} // namespace restschema::transport
