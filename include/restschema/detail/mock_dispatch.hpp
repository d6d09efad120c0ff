// restschema/detail/mock_dispatch.hpp - from an HTTP request to an endpoint's answer,
// driven by the generated endpoint descriptors alone.
//
// Included by restschema/mock.hpp (after mock_options is defined).
#pragma once

#include <restschema/codec.hpp>
#include <restschema/detail/mock_fault.hpp>
#include <restschema/detail/mock_http.hpp>
#include <restschema/detail/mock_state.hpp>
#include <restschema/detail/params.hpp>
#include <restschema/detail/path_template.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/error_table.hpp>
#include <restschema/validate.hpp>

#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/mp11/algorithm.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace restschema::detail {

using mock_path_values = std::map<std::string, std::string, std::less<>>;
using mock_query = std::vector<std::pair<std::string, std::string>>;

template <class Endpoints, class F>
void mock_for_each_endpoint(F&& f)
{
    boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, Endpoints>>(f);
}

template <class E>
bool mock_uses_auth(std::string_view id)
{
    for (auto const& a : E::auth)
        if (a == id)
            return true;
    return false;
}

template <class E>
auto const* mock_row_by_name(std::string_view name)
{
    for (auto const& row : E::errors)
        if (row.name == name)
            return &row;
    return static_cast<error_row<typename E::error> const*>(nullptr);
}

template <class E>
auto const* mock_row_by_status(int status)
{
    for (auto const& row : E::errors)
        if (row.status == status)
            return &row;
    return static_cast<error_row<typename E::error> const*>(nullptr);
}

template <class E>
std::string mock_row_names()
{
    std::string names;
    for (auto const& row : E::errors)
        names += (names.empty() ? "" : ", ") + std::string(row.name);
    return names;
}

/// The service's documented error: its envelope when it has one, else
/// `{"error": "<row message>", "details": "..."}`.
template <class E>
mock_response mock_row_response(error_row<typename E::error> const& row, std::string_view details)
{
    using S = typename E::service;
    boost::json::object o;
    if constexpr (S::has_error_envelope) {
        auto const& env = S::envelope;
        if (!env.code.empty() && row.code != no_code)
            o[env.code] = row.code;
        if (!env.message.empty())
            o[env.message] = row.message;
        if (!env.details.empty() && !details.empty())
            o[env.details] = details;
    } else {
        o["error"] = row.message;
        if (!details.empty())
            o["details"] = details;
    }
    return mock_json_response(row.status, o);
}

/// The first row with `status`, or the mock's own plain error when the table has none.
template <class E>
mock_response mock_status_error(int status, std::string_view fallback, std::string_view details)
{
    if (auto const* row = mock_row_by_status<E>(status))
        return mock_row_response<E>(*row, details);
    return mock_plain_error(status, fallback, details);
}

/// The row of an enum value, or the mock's own plain error with `status`.
template <class E>
mock_response mock_value_error(typename E::error value, int status, std::string_view details)
{
    if (auto const* row = error_row_of<E>(value))
        return mock_row_response<E>(*row, details);
    return mock_plain_error(status, status == 401 ? "Unauthorized" : "Not Found", details);
}

inline std::string mock_join(std::vector<problem> const& problems)
{
    std::string s;
    for (auto const& p : problems) {
        if (!s.empty())
            s += "; ";
        if (!p.path.empty())
            s += p.path + ": ";
        s += p.message;
    }
    return s;
}

/// What a parameter of type V looks like, for "expected ..." messages.
template <class V>
std::string mock_type_name()
{
    if constexpr (std::is_same_v<V, bool>)
        return "true or false";
    else if constexpr (std::is_integral_v<V>)
        return "an integer";
    else if constexpr (std::is_floating_point_v<V>)
        return "a number";
    else if constexpr (schema_enum<V>) {
        std::string s = "one of ";
        for (std::size_t i = 0; i < enum_info<V>::wire_names.size(); ++i)
            s += (i ? "|" : "") + std::string(enum_info<V>::wire_names[i]);
        return s;
    } else if constexpr (is_vector<V>::value)
        return mock_type_name<typename V::value_type>();
    else if constexpr (std::is_same_v<V, boost::json::value>)
        return "JSON";
    else
        return "text";
}

template <class Request>
std::string mock_param_type(location in, std::string_view wire)
{
    std::string out = "a valid value";
    for_each_field<Request>([&](auto d, field_meta const& m) {
        if (m.in == in && m.wire == wire)
            out = mock_type_name<
                value_of_t<std::remove_cvref_t<decltype(std::declval<Request&>().*d.pointer)>>>();
    });
    return out;
}

/// Sets a text parameter, reporting a value that does not parse by name.
template <class Request>
void mock_set_param(Request& r, location in, std::string_view wire, std::string_view text,
                    std::vector<problem>& problems)
{
    if (!set_param(r, in, wire, text))
        problems.push_back({std::string(wire), "expected " + mock_param_type<Request>(in, wire) +
                                                   ", found \"" + printable(text, 64) + "\""});
}

/// Splits and decodes a query string; a malformed escape is a problem.
inline mock_query mock_parse_query(std::string_view q, std::vector<problem>& problems)
{
    mock_query out;
    while (!q.empty()) {
        auto const amp = q.find('&');
        auto const piece = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
        if (piece.empty())
            continue;
        auto const eq = piece.find('=');
        auto k = percent_decode(piece.substr(0, eq), true);
        auto v =
            percent_decode(eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1), true);
        if (!k || !v) {
            problems.push_back({"query", "malformed percent-escape in \"" + printable(piece, 64) + "\""});
            continue;
        }
        out.emplace_back(std::move(*k), std::move(*v));
    }
    return out;
}

/// Names of the query keys and path placeholders of E that carry secrets.
template <class E>
bool mock_is_secret(location in, std::string_view name)
{
    for (auto const& s : E::service::auth)
        if (s.kind == auth_kind::api_key && s.in == in && s.name == name && mock_uses_auth<E>(s.id))
            return true;
    for (auto const& f : type_info<typename E::request>::fields)
        if (f.in == in && f.wire == name && f.sensitive)
            return true;
    return false;
}

/// The target as it may be logged: credential path segments and query
/// values replaced by "***".
template <class E>
std::string mock_log_target(mock_path_values const& m, std::string_view raw_query)
{
    std::string const stars = encode_segment(std::string(redacted));
    auto path = expand_path(E::path, [&](std::string_view name) -> std::optional<std::string> {
        auto it = m.find(name);
        if (it == m.end())
            return std::nullopt;
        return mock_is_secret<E>(location::path, name) ? std::string(redacted) : it->second;
    });
    std::string out = scrub(path.value_or("?"), {stars});
    std::string_view q = raw_query;
    bool first = true;
    while (!q.empty()) {
        auto const amp = q.find('&');
        auto const piece = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
        auto const eq = piece.find('=');
        auto const key = percent_decode(piece.substr(0, eq), true);
        out += first ? '?' : '&';
        first = false;
        if (eq != std::string_view::npos && (!key || mock_is_secret<E>(location::query, *key))) {
            out += piece.substr(0, eq);
            out += "=***";
        } else {
            out += piece;
        }
    }
    return printable(out, 512);
}

/// The router of one mock: every endpoint of Endpoints, their state and the per-run fault.
template <class Endpoints, class Options>
class mock_router {
  public:
    explicit mock_router(Options const& opt) : opt_(opt) {}

    /// Seeds the collections; throws restschema::exception on a bad seed file or fault spec.
    void init()
    {
        std::string why;
        mock_for_each_endpoint<Endpoints>([&](auto id) {
            using E = typename decltype(id)::type;
            if (!why.empty() || E::mock_collection.empty() ||
                store_.collections.contains(std::string_view(E::mock_collection)))
                return;
            auto seed = default_seed<E>(why);
            if (seed && !seed->empty())
                store_.collections[std::string(E::mock_collection)] = std::move(*seed);
        });
        if (why.empty() && !opt_.seed_file.empty())
            why = load_seed_file(opt_.seed_file);
        if (!why.empty())
            throw exception(make_error(error_kind::validation, why));
        if (!opt_.fault.empty())
            set_fault(opt_.fault);
    }

    /// Sets (or with "" clears) the per-run fault; throws on an invalid spec.
    void set_fault(std::string_view spec)
    {
        mock_fault f;
        auto why = parse_mock_fault(spec, true, f);
        if (why.empty() && !f.error.empty()) {
            bool known = false;
            std::string names;
            mock_for_each_endpoint<Endpoints>([&](auto id) {
                using E = typename decltype(id)::type;
                known = known || mock_row_by_name<E>(f.error) != nullptr;
                for (auto const& row : E::errors)
                    if (names.find(row.name) == std::string::npos)
                        names += (names.empty() ? "" : ", ") + std::string(row.name);
            });
            if (!known)
                why = "error=" + f.error + " names no error row of any endpoint (rows: " + names + ")";
        }
        if (!why.empty())
            throw exception(make_error(error_kind::validation,
                                       "invalid fault spec \"" + printable(spec, 200) + "\": " + why));
        std::lock_guard lock(fault_mutex_);
        run_fault_ = std::move(f);
        remaining_ = run_fault_.times;
    }

    mock_reply handle(mock_request& req)
    {
        std::string_view const target = req.target();
        auto const qpos = target.find('?');
        std::string_view const path = target.substr(0, qpos);
        std::string_view const query =
            qpos == std::string_view::npos ? std::string_view() : target.substr(qpos + 1);
        std::string_view const method = req.method_string();

        std::optional<mock_reply> out;
        std::function<mock_reply()> fallback;
        std::string allow, log405;
        mock_for_each_endpoint<Endpoints>([&](auto id) {
            using E = typename decltype(id)::type;
            using S = typename E::service;
            if (out)
                return;
            auto m = match_path(E::path, path);
            if (!m)
                return;
            if (method != E::method) {
                if ((", " + allow + ",").find(", " + std::string(E::method) + ",") == std::string::npos)
                    allow += (allow.empty() ? "" : ", ") + std::string(E::method);
                if (log405.empty())
                    log405 = mock_log_target<E>(*m, query);
                return;
            }
            auto const v = m->find("version");
            if (v == m->end() || version_index(S::versions, v->second) >= 0)
                out = serve<E>(req, *m, query);
            else if (!fallback)
                fallback = [this, &req, mm = std::move(*m), query] { return serve<E>(req, mm, query); };
        });
        if (out)
            return std::move(*out);
        if (fallback)
            return fallback();
        mock_reply r;
        if (!allow.empty()) {
            r.res = mock_plain_error(405, "Method Not Allowed",
                                     printable(method, 20) +
                                         " is not allowed on this path (allowed: " + allow + ")");
            r.res.set(mock_http::field::allow, allow);
            r.log_target = log405;
        } else {
            r.res = mock_plain_error(404, "Not Found", "no endpoint of this mock matches the path");
            r.log_target = printable(target, 200);
        }
        return r;
    }

  private:
    Options const& opt_;
    mock_store store_;
    std::mutex fault_mutex_;
    mock_fault run_fault_;
    std::int64_t remaining_ = 0;

    /// The records an endpoint starts with: its mock seed, else its response example.
    template <class E>
    std::optional<boost::json::array> default_seed(std::string& why)
    {
        std::string err;
        auto seed =
            mock_parse_json(E::mock_seed_json.empty() ? std::string_view("[]") : E::mock_seed_json, err);
        if (!seed || !seed->is_array()) {
            why = std::string(E::service::name) + "." + std::string(E::id) +
                  ": mock seed is not a JSON array " + err;
            return std::nullopt;
        }
        if (!seed->as_array().empty())
            return std::move(seed->as_array());
        if (E::response_example_json.empty())
            return boost::json::array();
        auto ex = mock_parse_json(E::response_example_json, err);
        if (!ex)
            return boost::json::array();
        boost::json::value* v = &*ex;
        if (!E::response_envelope.empty())
            if (auto* o = v->if_object())
                if (auto* inner = o->if_contains(E::response_envelope))
                    v = inner;
        if (auto* a = v->if_array())
            return std::move(*a);
        if (v->is_object() && v->as_object().contains(E::mock_key))
            return boost::json::array{std::move(*v)};
        return boost::json::array();
    }

    /// Reads the seed file and checks each record against every endpoint of its collection.
    std::string load_seed_file(std::string const& file)
    {
        std::map<std::string, boost::json::array, std::less<>> seeds;
        if (auto why = mock_read_seed_file(file, seeds); !why.empty())
            return why;
        for (auto& entry : seeds) {
            // Named references, not a structured binding: lambdas below use
            // them, which clang before 16 does not allow for bindings.
            auto const& name = entry.first;
            auto& records = entry.second;
            bool known = false;
            std::string why, names;
            mock_for_each_endpoint<Endpoints>([&](auto id) {
                using E = typename decltype(id)::type;
                if (E::mock_collection.empty())
                    return;
                if (names.find(E::mock_collection) == std::string::npos)
                    names += (names.empty() ? "" : ", ") + std::string(E::mock_collection);
                if (E::mock_collection != name || !why.empty())
                    return;
                known = true;
                for (std::size_t i = 0; i < records.size() && why.empty(); ++i) {
                    std::string const where =
                        "seed file \"" + file + "\": " + name + "[" + std::to_string(i) + "]";
                    auto const& rec = records[i].as_object();
                    if (!E::mock_key.empty() && !mock_key_text(rec.if_contains(E::mock_key)))
                        why = where + ": missing the key field \"" + std::string(E::mock_key) + "\"";
                    else if (auto const bad = check_response<E>(rec); !bad.empty())
                        why = where + ": not a valid " + std::string(E::id) + " response: " + bad;
                }
            });
            if (!why.empty())
                return why;
            if (!known)
                return "seed file \"" + file + "\": unknown collection \"" + printable(name, 100) +
                       "\" (collections: " + names + ")";
            store_.collections[name] = std::move(records);
        }
        return {};
    }

    /// "" when `record` decodes as E's response type, else the problems.
    template <class E>
    static std::string check_response(boost::json::value const& record)
    {
        using R = typename E::response;
        if constexpr (std::is_same_v<R, boost::json::value>) {
            return {};
        } else {
            auto r = try_from_json<R>(record);
            return r ? std::string() : mock_join(r.error().problems);
        }
    }

    /// The per-run fault, if it applies to E; counts `times` down.
    template <class E>
    void take_run_fault(mock_fault& out)
    {
        std::lock_guard lock(fault_mutex_);
        if (run_fault_.empty())
            return;
        if (!run_fault_.error.empty() && !mock_row_by_name<E>(run_fault_.error))
            return; // a row of another endpoint
        out = run_fault_;
        if (run_fault_.times > 0 && --remaining_ <= 0)
            run_fault_ = mock_fault{};
    }

    template <class E>
    mock_reply serve(mock_request& req, mock_path_values const& m, std::string_view query)
    {
        mock_reply reply;
        reply.log_target = mock_log_target<E>(m, query);
        mock_fault f;
        if (auto it = req.find("X-Restschema-Mock-Fault"); it != req.end()) {
            auto why = parse_mock_fault(it->value(), false, f);
            if (why.empty() && !f.error.empty() && !mock_row_by_name<E>(f.error))
                why = "error=" + f.error + " is not an error row of " + std::string(E::service::name) + "." +
                      std::string(E::id) + " (rows: " + mock_row_names<E>() + ")";
            if (!why.empty()) {
                reply.res = mock_plain_error(400, "invalid X-Restschema-Mock-Fault", why);
                return reply;
            }
        } else {
            take_run_fault<E>(f);
        }
        if (!f.empty())
            reply.log_note = "fault: " + printable(f.text, 200);
        reply.latency = f.latency;
        reply.drop = f.drop;
        if (!f.error.empty()) {
            reply.res =
                mock_row_response<E>(*mock_row_by_name<E>(f.error), "injected by the mock's fault spec");
        } else if (f.status != 0) {
            reply.res = mock_response{static_cast<mock_http::status>(f.status), 11};
            reply.res.set(mock_http::field::server, "restschema-mock");
            reply.res.set(mock_http::field::content_type, "application/json");
            if (f.status != 204 && f.status != 304)
                reply.res.body() = "{}";
            reply.res.prepare_payload();
        } else {
            reply.res = answer<E>(req, m, query);
            auto& body = reply.res.body();
            if (f.body_bytes > body.size() && reply.res.result_int() / 100 == 2 && !body.empty()) {
                body.append(f.body_bytes - body.size(), ' '); // JSON allows trailing whitespace
                reply.res.prepare_payload();
            }
        }
        if (!f.retry_after.empty())
            reply.res.set(mock_http::field::retry_after, f.retry_after);
        return reply;
    }

    /// "" when the credentials E needs are present and acceptable, else why not.
    /// `body` is null in the first pass (everything but body credentials).
    template <class E>
    std::string check_auth(mock_request const& req, mock_path_values const& m, mock_query const& query,
                           boost::json::object const* body)
    {
        for (auto const& scheme : E::service::auth) {
            if (!mock_uses_auth<E>(scheme.id))
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
                auto const h = mock_trim(req[mock_http::field::authorization]);
                if (h.empty())
                    return "missing Authorization header (expected " + std::string(want) + " credentials)";
                auto const sp = h.find(' ');
                if (sp == std::string_view::npos || !boost::beast::iequals(h.substr(0, sp), want))
                    return "the Authorization header must use the " + std::string(want) + " scheme";
                auto const token = mock_trim(h.substr(sp + 1));
                if (token.empty() || token.find(' ') != std::string_view::npos)
                    return "the Authorization header has no well-formed " + std::string(want) +
                           " credentials";
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
                    given = std::string(mock_trim(req[scheme.name]));
                    what = "header " + std::string(scheme.name);
                    break;
                case location::body:
                    if (auto t = mock_key_text(body->if_contains(scheme.name)))
                        given = *t;
                    what = "body field " + std::string(scheme.name);
                    break;
                }
                if (given.empty())
                    return "missing " + what + " (auth scheme " + std::string(scheme.id) + ")";
                break;
            }
            }
            auto const it = opt_.credentials.find(scheme.id);
            if (it != opt_.credentials.end() && !it->second.empty() && it->second != given)
                return "the " + what + " credential (auth scheme " + std::string(scheme.id) +
                       ") is not the one this mock accepts";
        }
        return {};
    }

    template <class E>
    mock_response answer(mock_request const& req, mock_path_values const& m, std::string_view raw_query)
    {
        using S = typename E::service;
        using Req = typename E::request;
        auto bad_request = [](std::string_view details) {
            return mock_status_error<E>(400, "Bad Request", details);
        };

        // The API version.
        std::string version(S::default_version);
        if (auto it = m.find("version"); it != m.end())
            version = it->second;
        if (version_index(S::versions, version) < 0) {
            std::string known;
            for (auto const& v : S::versions)
                known += (known.empty() ? "" : ", ") + std::string(v);
            return bad_request("unknown API version \"" + printable(version, 40) + "\" (known: " + known +
                               ")");
        }

        // Constant path parts, e.g. the format suffix: this mock speaks what the schema fixes.
        for (auto const& c : E::constants) {
            if (c.in != location::path)
                continue;
            if (auto it = m.find(c.name); it != m.end() && it->second != c.value)
                return mock_plain_error(406, "Not Acceptable",
                                        "this mock answers only " + std::string(c.name) + " " +
                                            std::string(c.value) + ", not \"" + printable(it->second, 40) +
                                            "\"");
        }

        std::vector<problem> problems;
        auto const query = mock_parse_query(raw_query, problems);

        // Credentials in the path, the query and the headers.
        if (auto why = check_auth<E>(req, m, query, nullptr); !why.empty())
            return mock_status_error<E>(401, "Unauthorized", why);

        // Constant headers (Content-Type): when sent, they must be what the schema says.
        for (auto const& c : E::constants) {
            if (c.in != location::header)
                continue;
            auto const h = mock_trim(req[c.name]);
            auto const media = mock_trim(h.substr(0, h.find(';')));
            if (!h.empty() && !boost::beast::iequals(media, c.value))
                problems.push_back({std::string(c.name), "expected \"" + std::string(c.value) +
                                                             "\", found \"" + printable(h, 64) + "\""});
        }

        // The body: JSON syntax first.
        bool has_body_fields = false;
        for (auto const& f : type_info<Req>::fields)
            has_body_fields = has_body_fields || f.in == location::body;
        for (auto const& s : S::auth)
            has_body_fields = has_body_fields || (s.kind == auth_kind::api_key && s.in == location::body &&
                                                  mock_uses_auth<E>(s.id));
        boost::json::value body = boost::json::object();
        if (auto const text = mock_trim(req.body()); !text.empty()) {
            std::string why;
            auto jv = mock_parse_json(req.body(), why);
            if (!jv)
                return bad_request("malformed JSON body: " + why);
            body = std::move(*jv);
        }
        if (has_body_fields && !body.is_object())
            return bad_request("the request body must be a JSON object, found " +
                               std::string(kind_name(body.kind())));
        if (body.is_object())
            if (auto why = check_auth<E>(req, m, query, &body.as_object()); !why.empty())
                return mock_status_error<E>(401, "Unauthorized", why);

        // Types of the body fields, then path, query and header parameters.
        Req r{};
        if (has_body_fields) {
            auto decoded = try_from_json<Req>(body);
            if (decoded)
                r = std::move(*decoded);
            else {
                auto err = decoded.error(); // a copy: iterate one object
                for (auto& p : err.problems)
                    problems.push_back(std::move(p));
            }
        }
        auto is_auth_or_const = [](location in, std::string_view name) {
            for (auto const& s : S::auth)
                if (s.kind == auth_kind::api_key && s.in == in && s.name == name && mock_uses_auth<E>(s.id))
                    return true;
            for (auto const& c : E::constants)
                if (c.in == in && c.name == name)
                    return true;
            return false;
        };
        for (auto const& [k, v] : m)
            if (k != "version" && !is_auth_or_const(location::path, k))
                mock_set_param(r, location::path, k, v, problems);
        for (auto const& [k, v] : query)
            if (!is_auth_or_const(location::query, k))
                mock_set_param(r, location::query, k, v, problems);
        for (auto const& f : type_info<Req>::fields)
            if (f.in == location::header && !is_auth_or_const(location::header, f.wire))
                if (auto it = req.find(f.wire); it != req.end())
                    mock_set_param(r, location::header, f.wire, it->value(), problems);

        // Required fields, formats, enums, version bounds: the client's own validator.
        if (problems.empty())
            if (auto v = validate_request<E>(r, version); !v)
                problems = v.error().problems;
        if (!problems.empty())
            return bad_request(mock_join(problems));

        if (!opt_.stateful || E::mock_collection.empty())
            return example<E>();
        return stateful<E>(r, m);
    }

    /// Deterministic mode: the schema's response example.
    template <class E>
    static mock_response example()
    {
        std::string why;
        auto jv = mock_parse_json(
            E::response_example_json.empty() ? std::string_view("{}") : E::response_example_json, why);
        return success<E>(jv ? *jv : boost::json::value(boost::json::object()));
    }

    template <class E>
    static mock_response success(boost::json::value const& v)
    {
        if (E::success_status == 204) {
            mock_response res{mock_http::status::no_content, 11};
            res.set(mock_http::field::server, "restschema-mock");
            res.prepare_payload();
            return res;
        }
        return mock_json_response(E::success_status, v);
    }

    /// A record as E answers it (inside the response envelope), after checking
    /// that it decodes as the generated response type.
    template <class E>
    static mock_response respond(boost::json::value const& record)
    {
        if (auto bad = check_response<E>(record); !bad.empty())
            return mock_plain_error(500, "Internal Server Error",
                                    "the stored record is not a valid " + std::string(E::id) +
                                        " response: " + bad);
        if (E::response_envelope.empty())
            return success<E>(record);
        boost::json::object o;
        o[E::response_envelope] = record;
        return success<E>(o);
    }

    /// The text of the request member with wire name `wire`, when it has one.
    template <class Req>
    static std::optional<std::string> member_text(Req const& r, std::string_view wire)
    {
        std::optional<std::string> out;
        for_each_field<Req>([&](auto d, field_meta const& f) {
            if (f.wire != wire)
                return;
            auto const* v = value_ptr(r.*d.pointer);
            using V = std::remove_cvref_t<decltype(*v)>;
            if constexpr (is_text_param_v<V>)
                if (v)
                    out = param_text(*v);
        });
        return out;
    }

    /// The request's body fields as JSON, without credentials and the owner secret.
    template <class E>
    static boost::json::object update_of(typename E::request const& r)
    {
        auto jv = to_json(r);
        boost::json::object update = jv.is_object() ? std::move(jv.as_object()) : boost::json::object();
        for (auto const& s : E::service::auth)
            if (s.kind == auth_kind::api_key && s.in == location::body)
                update.erase(s.name);
        if (!E::mock_owner_secret.empty())
            update.erase(E::mock_owner_secret);
        return update;
    }

    template <class E>
    mock_response stateful(typename E::request const& r, mock_path_values const& m)
    {
        std::string_view const method = E::method;
        std::lock_guard lock(store_.mutex);
        auto& coll = store_.collections[std::string(E::mock_collection)];
        auto const key = E::mock_key.empty() ? m.end() : m.find(E::mock_key);
        if (key == m.end()) {
            // A collection-level endpoint.
            if (method == "POST") {
                boost::json::value rec = update_of<E>(r);
                auto& o = rec.as_object();
                if (!E::mock_key.empty() && !mock_key_text(o.if_contains(E::mock_key)))
                    o[E::mock_key] = mock_next_id(coll, E::mock_key);
                if (!E::mock_owner_secret.empty())
                    if (auto s = member_text(r, E::mock_owner_secret))
                        o[E::mock_owner_secret] = *s;
                auto res = respond<E>(rec);
                if (res.result_int() / 100 == 2)
                    coll.push_back(std::move(rec));
                return res;
            }
            if (method == "GET")
                return success<E>(coll);
            return example<E>();
        }

        auto const at = mock_find(coll, E::mock_key, key->second);
        if (!at) {
            std::string const details =
                "no record with " + std::string(E::mock_key) + " \"" + printable(key->second, 64) + "\"";
            if constexpr (E::has_mock_not_found)
                return mock_value_error<E>(E::mock_not_found, 404, details);
            else
                return mock_plain_error(404, "Not Found", details);
        }
        auto& record = coll[*at].as_object();
        if (!E::mock_owner_secret.empty()) {
            auto const given = member_text(r, E::mock_owner_secret);
            auto const stored = mock_key_text(record.if_contains(E::mock_owner_secret));
            if (!given || !stored || *given != *stored)
                return mock_value_error<E>(E::mock_owner_secret_error, 401,
                                           std::string(E::mock_owner_secret) +
                                               " does not match the record's");
        }
        if (method == "PUT" || method == "PATCH") {
            std::vector<std::string_view> fields;
            for (auto const& f : type_info<typename E::request>::fields)
                if (f.in == location::body && f.wire != E::mock_owner_secret)
                    fields.push_back(f.wire);
            auto update = update_of<E>(r);
            update.erase(E::mock_key);
            boost::json::object next = record;
            mock_apply_update(next, update, E::update, fields);
            auto res = respond<E>(next);
            if (res.result_int() / 100 == 2)
                record = std::move(next);
            return res;
        }
        if (method == "DELETE") {
            boost::json::value gone = std::move(record);
            coll.erase(coll.begin() + static_cast<std::ptrdiff_t>(*at));
            return respond<E>(gone);
        }
        return respond<E>(record);
    }
};

} // namespace restschema::detail
