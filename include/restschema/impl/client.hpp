// restschema/impl/client.hpp - template bodies of restschema/client.hpp.
#pragma once

#include <restschema/detail/formats.hpp>
#include <restschema/detail/http_date.hpp>
#include <restschema/detail/params.hpp>
#include <restschema/detail/path_template.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/detail/url.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <mutex>
#include <optional>
#include <random>
#include <sys/socket.h>

namespace restschema {
namespace detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

inline bool is_idempotent(std::string_view method) noexcept
{
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS";
}

/// One kept-alive connection, plain or TLS.
struct connection {
    asio::execution_context* context = nullptr;
    std::unique_ptr<beast::tcp_stream> plain;
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
    beast::flat_buffer buffer;
    std::chrono::steady_clock::time_point idle_since;

    beast::tcp_stream& tcp() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

    /// A pooled connection that the server closed while it was idle reads as
    /// EOF (or has stray bytes) without blocking: such a connection is not reused.
    bool still_open()
    {
        auto& sock = tcp().socket();
        if (!sock.is_open() || buffer.size() != 0)
            return false;
        char c;
        ssize_t const n = ::recv(sock.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
};

/// A request ready to send (and to send again on retry).
struct prepared {
    http::request<http::string_body> req;
    std::string redacted_target;
    std::string redacted_body;
    std::vector<std::string> secrets;
};

/// The non-template state of a client: options, TLS context, connection pool.
class session : public std::enable_shared_from_this<session> {
  public:
    session(asio::any_io_executor ex, client_options opt, std::string_view default_base,
            std::string_view default_version)
        : executor_(std::move(ex)), options_(std::move(opt)), ssl_(asio::ssl::context::tls_client)
    {
        if (options_.base_url.empty())
            options_.base_url = std::string(default_base);
        if (options_.api_version.empty())
            options_.api_version = std::string(default_version);
        std::string why;
        if (auto u = parse_base_url(options_.base_url, &why))
            url_ = std::move(*u);
        else
            setup_error_ = make_error(error_kind::validation, "client_options::base_url: " + why);
        if (options_.retry.max_attempts < 1)
            options_.retry.max_attempts = 1;
        setup_tls();
        for (auto const& [id, value] : options_.credentials)
            if (!value.empty())
                secrets_.push_back(value);
    }

    client_options const& options() const noexcept { return options_; }
    asio::any_io_executor executor() const noexcept { return executor_; }
    asio::io_context& sync_context() { return sync_ctx_; }
    std::mutex& sync_mutex() { return sync_mutex_; }

    template <class Endpoint>
    asio::awaitable<result<typename Endpoint::response>> run(typename Endpoint::request request);

  private:
    asio::any_io_executor executor_;
    client_options options_;
    asio::ssl::context ssl_;
    base_url url_;
    std::optional<error> setup_error_;
    std::vector<std::string> secrets_;
    // Declared before the pool: pooled sockets of synchronous calls belong to
    // it and must be closed before it is destroyed.
    asio::io_context sync_ctx_;
    std::mutex sync_mutex_; // one synchronous call at a time runs sync_ctx_
    std::mutex pool_mutex_;
    std::vector<std::unique_ptr<connection>> pool_;
    std::mutex rng_mutex_;
    std::minstd_rand rng_{std::random_device{}()};

    void setup_tls()
    {
        boost::system::error_code ec;
        if (options_.tls.verify_peer) {
            ssl_.set_verify_mode(asio::ssl::verify_peer, ec);
            if (options_.tls.use_system_ca)
                ssl_.set_default_verify_paths(ec);
            if (!options_.tls.ca_file.empty()) {
                ssl_.load_verify_file(options_.tls.ca_file, ec);
                if (ec) {
                    auto e = make_error(error_kind::tls, "cannot load CA file \"" +
                                                             printable(options_.tls.ca_file) +
                                                             "\": " + ec.message());
                    e.cause = ec;
                    setup_error_ = std::move(e);
                }
            }
        } else {
            ssl_.set_verify_mode(asio::ssl::verify_none, ec);
        }
    }

    std::string scrub_text(std::string s) const { return scrub(std::move(s), secrets_); }

    // ------------------------------------------------------------ building

    template <class Endpoint>
    result<prepared> prepare(typename Endpoint::request const& request) const;

    // ------------------------------------------------------------ pool

    std::unique_ptr<connection> take(asio::execution_context* ctx)
    {
        std::lock_guard lock(pool_mutex_);
        auto const now = std::chrono::steady_clock::now();
        for (auto it = pool_.begin(); it != pool_.end();) {
            auto& c = *it;
            if (c->context != ctx) {
                ++it;
                continue;
            }
            auto conn = std::move(c);
            it = pool_.erase(it);
            if (now - conn->idle_since < options_.idle_timeout && conn->still_open())
                return conn;
            // stale: dropped here, closing it
        }
        return nullptr;
    }

    void give_back(std::unique_ptr<connection> c)
    {
        c->idle_since = std::chrono::steady_clock::now();
        std::lock_guard lock(pool_mutex_);
        if (pool_.size() >= options_.max_idle_connections)
            pool_.erase(pool_.begin());
        pool_.push_back(std::move(c));
    }

    // ------------------------------------------------------------ one attempt

    struct attempt_result {
        std::optional<error> failure; ///< transport / timeout / tls / decode(size) failure
        bool before_response = false; ///< failed before any byte of the response
        http::response<http::string_body> response;
    };

    asio::awaitable<result<std::unique_ptr<connection>>> connect(asio::execution_context* ctx);
    asio::awaitable<attempt_result> attempt(prepared const& p,
                                            std::chrono::steady_clock::time_point deadline);

    std::chrono::milliseconds backoff(int attempt)
    {
        auto const& r = options_.retry;
        double d = static_cast<double>(r.initial_backoff.count());
        for (int i = 1; i < attempt; ++i)
            d *= r.multiplier;
        d = std::min(d, static_cast<double>(r.max_backoff.count()));
        if (r.jitter) {
            std::lock_guard lock(rng_mutex_);
            d = std::uniform_real_distribution<double>(d / 2, d)(rng_);
        }
        auto ms = std::chrono::milliseconds(static_cast<std::int64_t>(d));
        return std::clamp(ms, r.initial_backoff, std::max(r.initial_backoff, r.max_backoff));
    }

    void log(log_record const& r) const
    {
        if (options_.log)
            options_.log(r);
    }

    template <class Endpoint>
    static log_record record_of(log_record::kind what, prepared const& p, int attempt)
    {
        log_record r;
        r.what = what;
        r.endpoint = Endpoint::id;
        r.method = std::string(p.req.method_string());
        r.target = p.redacted_target;
        r.attempt = attempt;
        return r;
    }

    static error transport_error(char const* what, boost::system::error_code ec, std::string const& where)
    {
        error e;
        e.cause = ec;
        if (ec == beast::error::timeout) {
            e.kind = error_kind::timeout;
            e.message = std::string(what) + " " + where + " timed out";
        } else {
            e.kind = error_kind::transport;
            e.message = std::string(what) + " " + where + " failed: " + ec.message();
        }
        return e;
    }
};

template <class Endpoint>
result<prepared> session::prepare(typename Endpoint::request const& request) const
{
    using service = typename Endpoint::service;
    std::vector<problem> problems;
    std::vector<std::string> secrets = secrets_;

    // Credentials, as the endpoint's auth schemes say.
    auto credential = [&](std::string_view id) -> std::string const* {
        auto it = options_.credentials.find(id);
        if (it == options_.credentials.end() || it->second.empty()) {
            problems.push_back({"credentials." + std::string(id),
                                "missing credential for auth scheme \"" + std::string(id) +
                                    "\" (set client_options::credentials[\"" + std::string(id) + "\"])"});
            return nullptr;
        }
        if (has_control_char(it->second)) {
            problems.push_back({"credentials." + std::string(id),
                                "credential contains a control character (CR, LF, ...); value not shown"});
            return nullptr;
        }
        return &it->second;
    };

    prepared p;
    std::map<std::string, std::string, std::less<>> path_values, redacted_path_values;
    std::vector<std::pair<std::string, std::string>> headers, query, redacted_query;
    boost::json::object body_extra;

    for (auto const& scheme : service::auth) {
        bool used = false;
        for (auto const& id : Endpoint::auth)
            used = used || id == scheme.id;
        if (!used)
            continue;
        auto const* value = credential(scheme.id);
        if (!value)
            continue;
        switch (scheme.kind) {
        case auth_kind::http_basic_token:
            headers.emplace_back("Authorization", "Basic " + *value);
            break;
        case auth_kind::http_basic: {
            std::string enc(beast::detail::base64::encoded_size(value->size()), '\0');
            enc.resize(beast::detail::base64::encode(enc.data(), value->data(), value->size()));
            secrets.push_back(enc);
            headers.emplace_back("Authorization", "Basic " + enc);
            break;
        }
        case auth_kind::bearer:
            headers.emplace_back("Authorization", "Bearer " + *value);
            break;
        case auth_kind::api_key:
            switch (scheme.in) {
            case location::path:
                path_values[std::string(scheme.name)] = *value;
                redacted_path_values[std::string(scheme.name)] = std::string(redacted);
                secrets.push_back(encode_segment(*value));
                break;
            case location::query:
                query.emplace_back(std::string(scheme.name), *value);
                redacted_query.emplace_back(std::string(scheme.name), std::string(redacted));
                secrets.push_back(encode_query(*value));
                break;
            case location::header:
                headers.emplace_back(std::string(scheme.name), *value);
                break;
            case location::body:
                body_extra[scheme.name] = boost::json::string_view(*value);
                break;
            }
            break;
        }
    }

    // Validation: required parameters, formats, enums, versions, control characters.
    if (auto v = validate_request<Endpoint>(request, options_.api_version); !v)
        for (auto& pr : v.error().problems)
            problems.push_back(std::move(pr));
    if (!problems.empty()) {
        auto n = problems.size();
        return make_error(error_kind::validation,
                          std::string(Endpoint::id) + ": " + std::to_string(n) + " problem" +
                              (n == 1 ? "" : "s") + " in the request; nothing was sent",
                          std::move(problems));
    }

    // Sensitive request fields (and body credentials) are secrets too.
    for_each_field<typename Endpoint::request>([&](auto d, field_meta const& m) {
        if (!m.sensitive)
            return;
        auto const* v = value_ptr(request.*d.pointer);
        if constexpr (is_text_param_v<std::remove_cvref_t<decltype(*v)>>)
            if (v && !param_text(*v).empty())
                secrets.push_back(param_text(*v));
    });
    for (auto const& [k, v] : body_extra)
        if (auto const* s = v.if_string())
            secrets.emplace_back(s->data(), s->size());

    for (auto const& c : Endpoint::constants) {
        if (c.in == location::path) {
            path_values[std::string(c.name)] = std::string(c.value);
            redacted_path_values[std::string(c.name)] = std::string(c.value);
        } else if (c.in == location::query)
            query.emplace_back(std::string(c.name), std::string(c.value)),
                redacted_query.push_back(query.back());
        else if (c.in == location::header)
            headers.emplace_back(std::string(c.name), std::string(c.value));
    }
    for_each_param(request, location::path, [&](field_meta const& m, std::string text) {
        redacted_path_values[std::string(m.wire)] = m.sensitive ? std::string(redacted) : text;
        path_values[std::string(m.wire)] = std::move(text);
    });
    for_each_param(request, location::query, [&](field_meta const& m, std::string text) {
        redacted_query.emplace_back(std::string(m.wire), m.sensitive ? std::string(redacted) : text);
        query.emplace_back(std::string(m.wire), std::move(text));
    });
    for_each_param(request, location::header, [&](field_meta const& m, std::string text) {
        headers.emplace_back(std::string(m.wire), text);
    });
    path_values["version"] = options_.api_version;
    redacted_path_values["version"] = options_.api_version;

    auto lookup_in = [](auto const& values) {
        return [&values](std::string_view name) -> std::optional<std::string> {
            auto it = values.find(name);
            if (it == values.end())
                return std::nullopt;
            return it->second;
        };
    };
    std::string missing;
    auto target = expand_path(Endpoint::path, lookup_in(path_values), &missing);
    if (!target)
        return make_error(error_kind::validation,
                          std::string(Endpoint::id) + ": no value for path placeholder {" + missing + "}");
    // encode_segment turns "***" into "%2A%2A%2A"; show it as "***".
    auto redacted_target = scrub(expand_path(Endpoint::path, lookup_in(redacted_path_values)).value_or(""),
                                 {encode_segment(std::string(redacted))});
    auto add_query = [](std::string& t, auto const& q) {
        for (std::size_t i = 0; i < q.size(); ++i)
            t += (i ? "&" : "?") + encode_query(q[i].first) + "=" + encode_query(q[i].second);
    };
    std::string full = url_.prefix + *target;
    add_query(full, query);
    p.redacted_target = url_.prefix + redacted_target;
    add_query(p.redacted_target, redacted_query);

    auto verb = http::string_to_verb(Endpoint::method);
    p.req = http::request<http::string_body>(verb, full, 11);
    p.req.set(http::field::host, url_.host_header());
    p.req.set(http::field::user_agent, options_.user_agent);
    p.req.set(http::field::accept, "application/json");
    for (auto const& [k, v] : headers)
        p.req.set(k, v);

    // The JSON body: body parameters, then body credentials.
    bool has_body = !body_extra.empty();
    for (auto const& f : type_info<typename Endpoint::request>::fields)
        has_body = has_body || f.in == location::body;
    if (has_body) {
        auto body = to_json(request);
        auto& obj = body.as_object();
        for (auto const& [k, v] : body_extra)
            obj[k] = v;
        p.req.body() = boost::json::serialize(body);
        if (p.req.find(http::field::content_type) == p.req.end())
            p.req.set(http::field::content_type, "application/json");
        // The logged body: credentials and sensitive fields replaced.
        for (auto const& [k, v] : body_extra)
            obj[k] = redacted;
        for (auto const& f : type_info<typename Endpoint::request>::fields)
            if (f.sensitive && obj.contains(f.wire))
                obj[f.wire] = redacted;
        p.redacted_body = scrub(boost::json::serialize(body), secrets);
    }
    p.req.keep_alive(true);
    p.req.prepare_payload();
    p.secrets = std::move(secrets);
    return p;
}

inline asio::awaitable<result<std::unique_ptr<connection>>> session::connect(asio::execution_context* ctx)
{
    auto ex = co_await asio::this_coro::executor;
    std::string const where = url_.host_header();
    boost::system::error_code ec;

    // Look up the host, under the connect timeout (the resolver has none of its own).
    tcp::resolver resolver(ex);
    auto expired = std::make_shared<bool>(false);
    asio::steady_timer timer(ex, options_.connect_timeout);
    timer.async_wait([&resolver, expired](boost::system::error_code tec) {
        if (!tec) {
            *expired = true;
            resolver.cancel();
        }
    });
    auto endpoints =
        co_await resolver.async_resolve(url_.host, url_.port, asio::redirect_error(asio::use_awaitable, ec));
    timer.cancel();
    if (ec)
        co_return transport_error("resolving", *expired ? beast::error::timeout : ec, where);

    auto conn = std::make_unique<connection>();
    conn->context = ctx;
    if (url_.tls)
        conn->secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ex, ssl_);
    else
        conn->plain = std::make_unique<beast::tcp_stream>(ex);

    // Connect, with TCP_NODELAY: requests are small and latency matters.
    conn->tcp().expires_after(options_.connect_timeout);
    co_await conn->tcp().async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return transport_error("connecting to", ec, where);
    conn->tcp().socket().set_option(tcp::no_delay(true), ec);

    if (url_.tls) {
        auto* ssl = conn->secure->native_handle();
        // SNI, and the name the certificate must carry.
        if (!SSL_set_tlsext_host_name(ssl, url_.host.c_str()))
            co_return make_error(error_kind::tls, "cannot set SNI host name for " + where);
        if (options_.tls.verify_peer)
            conn->secure->set_verify_callback(asio::ssl::host_name_verification(url_.host));
        co_await conn->secure->async_handshake(asio::ssl::stream_base::client,
                                               asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (ec == beast::error::timeout)
                co_return transport_error("TLS handshake with", ec, where);
            error e;
            e.kind = error_kind::tls;
            e.cause = ec;
            e.message = "TLS handshake with " + where + " failed: " + ec.message();
            if (long const v = SSL_get_verify_result(ssl); v != X509_V_OK)
                e.message += std::string(" (certificate: ") + X509_verify_cert_error_string(v) + ")";
            co_return e;
        }
    }
    co_return conn;
}

inline asio::awaitable<session::attempt_result>
session::attempt(prepared const& p, std::chrono::steady_clock::time_point deadline)
{
    auto ex = co_await asio::this_coro::executor;
    auto* ctx = &asio::query(ex, asio::execution::context);
    attempt_result out;
    boost::system::error_code ec;

    // A reused connection may have been closed by the server a moment ago; the
    // request is then sent once more on a new connection, which is safe
    // because the server saw none of it.
    for (int round = 0; round < 2; ++round) {
        auto conn = round == 0 ? take(ctx) : nullptr;
        bool const reused = conn != nullptr;
        if (!conn) {
            auto c = co_await connect(ctx);
            if (!c) {
                out.failure = c.error();
                out.before_response = true;
                co_return out;
            }
            conn = std::move(*c);
        }
        auto write_read = [&](auto& stream) -> asio::awaitable<void> {
            auto const now = std::chrono::steady_clock::now();
            conn->tcp().expires_after(deadline > now ? deadline - now : std::chrono::milliseconds(1));
            co_await http::async_write(stream, p.req, asio::redirect_error(asio::use_awaitable, ec));
            if (ec)
                co_return;
            http::response_parser<http::string_body> parser;
            parser.header_limit(64 * 1024);
            parser.body_limit(options_.max_body_size);
            co_await http::async_read(stream, conn->buffer, parser,
                                      asio::redirect_error(asio::use_awaitable, ec));
            out.before_response = !parser.got_some() && conn->buffer.size() == 0;
            if (!ec)
                out.response = parser.release();
        };
        if (conn->secure)
            co_await write_read(*conn->secure);
        else
            co_await write_read(*conn->plain);

        if (!ec) {
            if (out.response.keep_alive() && out.response.need_eof() == false)
                give_back(std::move(conn));
            co_return out;
        }
        bool const stale = reused && out.before_response && ec != beast::error::timeout;
        if (stale)
            continue;
        std::string const where = std::string(p.req.method_string()) + " " + p.redacted_target;
        if (ec == http::error::body_limit) {
            out.failure =
                make_error(error_kind::decode, "response body of " + where + " exceeds the limit of " +
                                                   std::to_string(options_.max_body_size) + " bytes");
            out.failure->cause = ec;
        } else if (ec == beast::error::timeout) {
            out.failure = transport_error("request", ec, where);
        } else if (out.before_response) {
            out.failure = transport_error("request", ec, where);
            out.failure->message += " (connection lost before any response)";
        } else {
            out.failure = transport_error("reading the response of", ec, where);
            out.failure->message += " (connection lost mid-response)";
        }
        co_return out;
    }
    co_return out;
}

template <class Endpoint>
asio::awaitable<result<typename Endpoint::response>> session::run(typename Endpoint::request request)
{
    using response_t = typename Endpoint::response;
    if (setup_error_)
        co_return *setup_error_;
    auto prep = prepare<Endpoint>(request);
    if (!prep)
        co_return prep.error();
    auto const& p = *prep;
    auto const& policy = options_.retry;
    bool const idempotent = is_idempotent(Endpoint::method);
    auto ex = co_await asio::this_coro::executor;

    for (int attempt_no = 1;; ++attempt_no) {
        auto const started = std::chrono::steady_clock::now();
        if (options_.log) {
            auto r = record_of<Endpoint>(log_record::kind::request, p, attempt_no);
            for (auto const& f : p.req) {
                auto const name = std::string(f.name_string());
                bool const secret_header = f.name() == http::field::authorization ||
                                           scrub(std::string(f.value()), p.secrets) != std::string(f.value());
                r.headers.emplace_back(name, secret_header ? std::string(redacted) : std::string(f.value()));
            }
            r.body = p.redacted_body.substr(0, 4096);
            log(r);
        }
        auto res = co_await attempt(p, started + options_.request_timeout);
        auto const elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);

        std::optional<error> failure;
        bool retry = false;
        std::optional<std::chrono::milliseconds> wait;
        if (res.failure) {
            failure = std::move(res.failure);
            failure->message = scrub(std::move(failure->message), p.secrets);
            retry = idempotent && ((failure->kind == error_kind::transport && res.before_response) ||
                                   (failure->kind == error_kind::timeout && policy.retry_on_timeout));
        } else {
            auto& resp = res.response;
            int const status = static_cast<int>(resp.result_int());
            if (options_.log) {
                auto r = record_of<Endpoint>(log_record::kind::response, p, attempt_no);
                r.status = status;
                r.elapsed = elapsed;
                for (auto const& f : resp)
                    r.headers.emplace_back(std::string(f.name_string()),
                                           scrub(std::string(f.value()), p.secrets));
                r.body = scrub(resp.body().substr(0, 4096), p.secrets);
                log(r);
            }
            if (status == Endpoint::success_status || (status >= 200 && status < 300)) {
                // Success: decode (the envelope first, when the schema has one).
                boost::json::value jv;
                if (!resp.body().empty()) {
                    boost::system::error_code jec;
                    jv = boost::json::parse(resp.body(), jec);
                    if (jec) {
                        auto e =
                            make_error(error_kind::decode, std::string(Endpoint::id) +
                                                               ": response is not JSON: " + jec.message());
                        e.http_status = status;
                        e.body = scrub(resp.body().substr(0, max_kept_body), p.secrets);
                        co_return e;
                    }
                }
                boost::json::value const* payload = &jv;
                if (!Endpoint::response_envelope.empty()) {
                    auto const* obj = jv.if_object();
                    payload = obj ? obj->if_contains(Endpoint::response_envelope) : nullptr;
                    if (!payload) {
                        auto e = make_error(error_kind::decode,
                                            std::string(Endpoint::id) + ": response has no \"" +
                                                std::string(Endpoint::response_envelope) + "\" member");
                        e.http_status = status;
                        co_return e;
                    }
                }
                auto decoded = try_from_json<response_t>(*payload, {.path = Endpoint::response_envelope});
                if (!decoded) {
                    auto e = decoded.error();
                    e.message = std::string(Endpoint::id) + ": " + scrub(e.message, p.secrets);
                    for (auto& pr : e.problems)
                        pr.message = scrub(std::move(pr.message), p.secrets);
                    e.http_status = status;
                    co_return e;
                }
                co_return std::move(*decoded);
            }
            auto e = make_api_error<Endpoint>(status, resp.body());
            e.message = scrub(std::move(e.message), p.secrets);
            e.server_message = scrub(std::move(e.server_message), p.secrets);
            e.server_details = scrub(std::move(e.server_details), p.secrets);
            e.body = scrub(std::move(e.body), p.secrets);
            if (auto it = resp.find(http::field::retry_after); it != resp.end())
                e.retry_after = parse_retry_after(it->value(), std::chrono::system_clock::now());
            retry = idempotent && e.retryable && (status == 429 || status >= 500);
            if (retry && e.retry_after && policy.honor_retry_after) {
                if (*e.retry_after > policy.max_retry_after)
                    retry = false; // too long to wait here; the caller sees retry_after
                else
                    wait = *e.retry_after;
            }
            failure = std::move(e);
        }

        failure->attempts = attempt_no;
        if (!retry || attempt_no >= policy.max_attempts)
            co_return std::move(*failure);

        auto const delay = wait ? *wait : backoff(attempt_no);
        if (options_.log) {
            auto r = record_of<Endpoint>(log_record::kind::retry, p, attempt_no);
            r.status = failure->http_status;
            r.elapsed = delay;
            r.body = failure->message;
            log(r);
        }
        asio::steady_timer timer(ex, delay);
        boost::system::error_code tec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, tec));
    }
}

} // namespace detail

template <class Service>
client<Service>::client(client_options options)
    : session_(std::make_shared<detail::session>(boost::asio::any_io_executor(), std::move(options),
                                                 Service::base_url, Service::default_version))
{
}

template <class Service>
client<Service>::client(boost::asio::any_io_executor ex, client_options options)
    : session_(std::make_shared<detail::session>(std::move(ex), std::move(options), Service::base_url,
                                                 Service::default_version))
{
}

template <class Service>
client_options const& client<Service>::options() const noexcept
{
    return session_->options();
}

template <class Service>
boost::asio::any_io_executor client<Service>::get_executor() const noexcept
{
    return session_->executor();
}

template <class Service>
template <class Endpoint>
result<typename Endpoint::response> client<Service>::try_call(typename Endpoint::request const& request)
{
    static_assert(std::is_same_v<typename Endpoint::service, Service>,
                  "this endpoint belongs to another service");
    using response_t = typename Endpoint::response;
    std::lock_guard lock(session_->sync_mutex());
    auto& ioc = session_->sync_context();
    std::optional<result<response_t>> out;
    boost::asio::co_spawn(
        ioc, session_->template run<Endpoint>(request), [&out](std::exception_ptr ep, result<response_t> r) {
            if (ep) {
                try {
                    std::rethrow_exception(ep);
                } catch (std::exception const& x) {
                    r = detail::make_error(error_kind::transport, std::string("internal error: ") + x.what());
                }
            }
            out = std::move(r);
        });
    ioc.restart();
    ioc.run();
    return std::move(*out);
}

template <class Service>
template <class Endpoint, class Token>
auto client<Service>::async_call(typename Endpoint::request request, Token&& token)
{
    static_assert(std::is_same_v<typename Endpoint::service, Service>,
                  "this endpoint belongs to another service");
    using response_t = typename Endpoint::response;
    return boost::asio::async_initiate<Token, void(result<response_t>)>(
        [s = session_](auto handler, typename Endpoint::request req) {
            auto ex = s->executor();
            if (!ex)
                throw std::logic_error(
                    "restschema::client: async_call needs a client constructed with an executor");
            boost::asio::co_spawn(
                ex, s->template run<Endpoint>(std::move(req)),
                [s, h = std::move(handler)](std::exception_ptr ep, result<response_t> r) mutable {
                    if (ep) {
                        try {
                            std::rethrow_exception(ep);
                        } catch (std::exception const& x) {
                            r = detail::make_error(error_kind::transport,
                                                   std::string("internal error: ") + x.what());
                        }
                    }
                    auto hex = boost::asio::get_associated_executor(h, s->executor());
                    boost::asio::dispatch(
                        hex, [h = std::move(h), r = std::move(r)]() mutable { std::move(h)(std::move(r)); });
                });
        },
        token, std::move(request));
}

} // namespace restschema
