// restschema/mock/router.hpp - from an HTTP request to an endpoint's answer.
//
// One router serves a list of endpoint descriptions (endpoint.hpp): it
// matches method and path, checks version, credentials and parameters
// against the description, keeps the records and applies faults. Nothing
// here is a template: the same code serves every endpoint.
#pragma once

#include <restschema/detail/json_text.hpp>
#include <restschema/detail/text.hpp>
#include <restschema/detail/path_template.hpp>
#include <restschema/detail/query.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/detail/runtime_check.hpp>
#include <restschema/detail/xml_write.hpp> // XML answers: writing needs no XML library
#include <restschema/error.hpp>
#include <restschema/mock/auth.hpp>
#include <restschema/mock/endpoint.hpp>
#include <restschema/mock/fault.hpp>
#include <restschema/mock/http.hpp>
#include <restschema/mock/options.hpp>
#include <restschema/mock/state.hpp>

#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>

#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace restschema::mock {

namespace detail {

namespace rd = restschema::detail;

/// The service's documented error: its envelope when it has one, else
/// `{"error": "<row message>", "details": "..."}`.
inline response row_response(endpoint const& ep, error_entry const& row, std::string_view details)
{
    if (row.status < 200 || row.status == 204 || row.status == 205 || row.status == 304) {
        // HTTP gives these statuses no body (RFC 9110): the status is the answer.
        response res{static_cast<http::status>(row.status), 11};
        res.set(http::field::server, "restschema-mock");
        res.prepare_payload();
        return res;
    }
    boost::json::object o;
    bool withheld = false;
    if (ep.service->has_error_envelope) {
        auto const& env = ep.service->envelope;
        if (!env.code.empty() && row.code != no_code)
            o[env.code] = row.code;
        if (!env.message.empty() && !row.message.empty())
            o[env.message] = row.message;
        // Diagnostics go into the details field only where free text fits
        // it; a details field with a format (a URI) keeps them out.
        if (!env.details.empty() && !details.empty() && !env.details_has_format)
            o[env.details] = details;
        else
            withheld = !details.empty();
    } else {
        o["error"] = row.message;
        if (!details.empty())
            o["details"] = details;
    }
    auto res = json_response(row.status, o, ep.error_media_type);
    if (withheld) // not in the API's body: in a header of the mock's own
        res.set("X-Restschema-Mock-Details", rd::printable(details, 1024)); // control characters escaped
    return res;
}

/// The first row with `status`, or the mock's own plain error when the table has none.
inline response status_error(endpoint const& ep, int status, std::string_view fallback,
                             std::string_view details)
{
    if (auto const* row = ep.row_by_status(status))
        return row_response(ep, *row, details);
    return plain_error(status, fallback, details);
}

/// The row of an error value, or the mock's own plain error with `status`.
inline response value_error(endpoint const& ep, int value, int status, std::string_view details)
{
    if (auto const* row = ep.row_by_value(value))
        return row_response(ep, *row, details);
    return plain_error(status,
                       status == 401   ? "Unauthorized"
                       : status == 400 ? "Bad Request"
                                       : "Not Found",
                       details);
}

/// Whether an Accept header admits `media_type`: its ranges (`type/sub`,
/// `type/*`, `*/*`, parameters aside) other than those with q=0. No header
/// accepts anything (RFC 9110, 12.5.1).
inline bool accepts(std::string_view accept, std::string_view media_type)
{
    accept = rd::trim_space(accept);
    if (accept.empty())
        return true;
    auto const slash = media_type.find('/');
    auto const type = media_type.substr(0, slash);
    while (!accept.empty()) {
        auto const comma = accept.find(',');
        auto item = accept.substr(0, comma);
        accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
        auto const semi = item.find(';');
        auto const range = rd::trim_space(item.substr(0, semi));
        if (semi != std::string_view::npos) {
            // "q=0" (or 0.0, 0.000) refuses the range.
            auto params = item.substr(semi + 1);
            auto const q = params.find("q=");
            if (q != std::string_view::npos) {
                auto const v = rd::trim_space(params.substr(q + 2, params.find(';', q) - q - 2));
                if (!v.empty() && v.find_first_not_of("0.") == std::string_view::npos)
                    continue;
            }
        }
        if (range == "*/*" || boost::beast::iequals(range, media_type))
            return true;
        if (range.size() == type.size() + 2 && range.ends_with("/*") &&
            boost::beast::iequals(range.substr(0, type.size()), type))
            return true;
    }
    return false;
}

/// Whether the endpoint answers in format `f`.
inline bool speaks(endpoint const& ep, body_format f)
{
    for (auto g : ep.formats)
        if (g == f)
            return true;
    return false;
}

/// "json, xml".
inline std::string format_list(endpoint const& ep)
{
    std::string out;
    for (auto g : ep.formats)
        out += (out.empty() ? "" : ", ") + std::string(body_format_name(g));
    return out;
}

/// The format the request asks for: its path suffix (format_selection::path;
/// none: the default), or its Accept header (XML when it accepts
/// application/xml and not the JSON type). Unset: a suffix the endpoint
/// does not speak.
inline std::optional<body_format> asked_format(endpoint const& ep, request const& req, path_values const& m)
{
    if (ep.formats.size() < 2)
        return ep.formats.front();
    if (ep.format_in == format_selection::path) {
        auto it = m.find(ep.format_param);
        if (it == m.end())
            return ep.formats.front();
        for (auto g : ep.formats)
            if (it->second == body_format_name(g))
                return g;
        return std::nullopt;
    }
    auto const a = req.find(http::field::accept);
    if (a != req.end() && speaks(ep, body_format::xml) && accepts(a->value(), "application/xml") &&
        !accepts(a->value(), ep.response_media_type))
        return body_format::xml;
    return ep.formats.front();
}

/// Turns a JSON answer into XML, as Rails' to_xml writes it: a success body
/// rooted at its envelope (`<user>`) and guided by the response type, any
/// other JSON body (errors) rooted at <hash>, as Rails renders a hash.
inline void as_xml(endpoint const& ep, response& res)
{
    auto const ct = res[http::field::content_type];
    if (res.body().empty() || !(ct.starts_with("application/json") || ct.ends_with("+json")))
        return;
    boost::system::error_code ec;
    auto jv = boost::json::parse(res.body(), ec);
    if (ec)
        return;
    bool const success = res.result_int() / 100 == 2;
    std::string body;
    if (success && !ep.response_envelope.empty() && jv.is_object() &&
        jv.as_object().contains(ep.response_envelope))
        body = restschema::detail::xml::write(jv.as_object().at(ep.response_envelope), ep.response_envelope,
                                              ep.response);
    else if (success && ep.response_envelope.empty())
        body = restschema::detail::xml::write(jv, jv.is_array() ? "objects" : "hash", ep.response);
    else
        body = restschema::detail::xml::write(jv, jv.is_array() ? "objects" : "hash");
    res.set(http::field::content_type, "application/xml; charset=utf-8");
    res.body() = std::move(body);
    res.prepare_payload();
}

/// A strong entity tag of a body (FNV-1a, 64 bits): equal bodies, equal tags.
inline std::string entity_tag(std::string_view body)
{
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : body)
        h = (h ^ c) * 1099511628211ULL;
    char buf[19];
    std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
    return buf;
}

/// Whether If-None-Match lists `tag` (weak comparison, RFC 9110 13.1.2) or is "*".
inline bool none_match_hit(std::string_view header, std::string_view tag)
{
    auto strip_weak = [](std::string_view t) { return t.starts_with("W/") ? t.substr(2) : t; };
    tag = strip_weak(tag);
    while (!header.empty()) {
        auto const comma = header.find(',');
        auto const item = rd::trim_space(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        if (item == "*" || strip_weak(item) == tag)
            return true;
    }
    return false;
}

/// The declared response headers of a success: an ETag computed from the
/// body, the others from their examples. A GET whose If-None-Match matches
/// the ETag is answered with the endpoint's 304 row (no body).
inline void finish_success(endpoint const& ep, request const& req, response& res)
{
    if (ep.response_headers_json == "{}")
        return; // most endpoints declare none: nothing to parse per request
    std::string why;
    auto declared = rd::parse_json(ep.response_headers_json, why);
    if (!declared || !declared->is_object())
        return;
    for (auto const& [name, example] : declared->as_object()) {
        std::string_view const n(name.data(), name.size());
        if (boost::beast::iequals(n, "ETag"))
            res.set(n, entity_tag(res.body()));
        else if (example.is_string())
            res.set(n, std::string_view(example.as_string()));
        else if (!example.is_null())
            res.set(n, boost::json::serialize(example));
    }
    auto const etag = res.find(http::field::etag);
    auto const inm = req.find(http::field::if_none_match);
    if (ep.has_not_modified && etag != res.end() && inm != req.end() && ep.method == "GET" &&
        none_match_hit(inm->value(), etag->value())) {
        std::string const tag(etag->value());
        res = row_response(ep, *ep.row_by_status(304), {});
        res.set(http::field::etag, tag);
    }
}

inline std::string row_names(endpoint const& ep)
{
    std::string names;
    for (auto const& row : ep.errors)
        names += (names.empty() ? "" : ", ") + std::string(row.name);
    return names;
}

inline std::string join(std::vector<problem> const& problems)
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

/// Whether the query key or path placeholder `name` of ep carries a secret.
inline bool is_secret(endpoint const& ep, location in, std::string_view name)
{
    for (auto const& s : ep.service->auth)
        if (s.kind == auth_kind::api_key && s.in == in && s.name == name && ep.uses_auth(s.id))
            return true;
    for (auto const& m : ep.request->members)
        if (m.meta->in == in && m.meta->wire == name && m.meta->sensitive)
            return true;
    return false;
}

/// The target as it may be logged: credential path segments and query
/// values replaced by "***".
inline std::string log_target(endpoint const& ep, path_values const& m, std::string_view raw_query)
{
    std::string const stars = rd::encode_segment(std::string(rd::redacted));
    auto path = rd::expand_path(ep.path, [&](std::string_view name) -> std::optional<std::string> {
        auto it = m.find(name);
        if (it == m.end())
            return std::nullopt;
        return is_secret(ep, location::path, name) ? std::string(rd::redacted) : it->second;
    });
    std::string out = rd::scrub(path.value_or("?"), {stars});
    std::string_view q = raw_query;
    bool first = true;
    while (!q.empty()) {
        auto const amp = q.find('&');
        auto const piece = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
        auto const eq = piece.find('=');
        auto const key = rd::percent_decode(piece.substr(0, eq), true);
        out += first ? '?' : '&';
        first = false;
        if (eq != std::string_view::npos && (!key || is_secret(ep, location::query, *key))) {
            out += piece.substr(0, eq);
            out += "=***";
        } else {
            out += piece;
        }
    }
    return rd::printable(out, 512);
}

/// The members of a request as decoded JSON, by index of the request type's members.
using request_values = std::vector<std::optional<boost::json::value>>;

/// Sets a text parameter, reporting a value that does not parse by name (set_param).
inline void set_param(endpoint const& ep, request_values& values, location in, std::string_view wire,
                      std::string_view text, std::vector<problem>& problems)
{
    bool ok = true;
    rd::runtime_type const* type = nullptr;
    auto const& members = ep.request->members;
    for (std::size_t i = 0; i < members.size(); ++i) {
        auto const& m = members[i];
        if (m.meta->in != in || m.meta->wire != wire)
            continue;
        type = m.type;
        if (m.type->kind == rd::value_kind::array) {
            if (!rd::is_text_param(*m.type->element))
                continue;
            auto item = rd::parse_param(text, *m.type->element);
            ok = item.has_value();
            if (ok) {
                if (!values[i] || !values[i]->is_array())
                    values[i] = boost::json::array();
                values[i]->as_array().push_back(std::move(*item));
            }
        } else if (rd::is_text_param(*m.type)) {
            auto v = rd::parse_param(text, *m.type);
            ok = v.has_value();
            if (ok)
                values[i] = std::move(*v);
        }
    }
    if (!ok)
        problems.push_back({std::string(wire), "expected " + rd::param_type_name(*type) + ", found \"" +
                                                   rd::printable(text, 64) + "\""});
}

/// The text of the request member with wire name `wire`, when it has one.
inline std::optional<std::string> member_text(endpoint const& ep, request_values const& values,
                                              std::string_view wire)
{
    std::optional<std::string> out;
    auto const& members = ep.request->members;
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (members[i].meta->wire != wire || !values[i] || !rd::is_text_param(*members[i].type))
            continue;
        bool null = false;
        if (auto const* v = rd::member_value(members[i], &*values[i], null))
            out = rd::param_text(*v, *members[i].type);
    }
    return out;
}

/// The request's body fields as JSON, without credentials and the owner secret.
inline boost::json::object update_of(endpoint const& ep, request_values const& values)
{
    boost::json::object update;
    auto const& members = ep.request->members;
    for (std::size_t i = 0; i < members.size(); ++i)
        if (members[i].meta->in == location::body && values[i])
            update[members[i].meta->wire] = *values[i];
    for (auto const& s : ep.service->auth)
        if (s.kind == auth_kind::api_key && s.in == location::body)
            update.erase(s.name);
    if (!ep.owner_secret.empty())
        update.erase(ep.owner_secret);
    return update;
}

} // namespace detail

/// The request handling of one mock: its endpoints, their records and the per-run fault.
class router {
  public:
    router(endpoint_list endpoints, options const& opt)
        : endpoints_(endpoints), opt_(opt), tokens_(opt.token_endpoint)
    {
    }

    /// The OAuth2 token endpoint of options::token_endpoint (off when its path is empty).
    token_issuer& tokens() noexcept { return tokens_; }

    [[nodiscard]] endpoint_list endpoints() const noexcept { return endpoints_; }

    /// Seeds the collections; throws restschema::exception on a bad seed file or fault spec.
    void init()
    {
        std::string why;
        for (auto const* ep : endpoints_) {
            if (!why.empty() || ep->collection.empty() || store_.collections.contains(ep->collection))
                continue;
            auto seed = default_seed(*ep, why);
            if (seed && !seed->empty())
                store_.collections[std::string(ep->collection)] = std::move(*seed);
        }
        if (why.empty() && !opt_.seed_file.empty())
            why = load_seed_file(opt_.seed_file);
        if (!why.empty())
            throw exception(restschema::detail::make_error(error_kind::validation, why));
        if (!opt_.fault.empty())
            set_fault(opt_.fault);
    }

    /// Sets (or with "" clears) the per-run fault; throws on an invalid spec.
    void set_fault(std::string_view spec)
    {
        fault f;
        auto why = parse_fault(spec, true, f);
        if (why.empty() && !f.error.empty()) {
            bool known = false;
            std::string names;
            for (auto const* ep : endpoints_) {
                known = known || ep->row(f.error) != nullptr;
                for (auto const& row : ep->errors)
                    if (names.find(row.name) == std::string::npos)
                        names += (names.empty() ? "" : ", ") + std::string(row.name);
            }
            if (!known)
                why = "error=" + f.error + " names no error row of any endpoint (rows: " + names + ")";
        }
        if (!why.empty())
            throw exception(restschema::detail::make_error(
                error_kind::validation,
                "invalid fault spec \"" + restschema::detail::printable(spec, 200) + "\": " + why));
        std::lock_guard lock(fault_mutex_);
        run_fault_ = std::move(f);
        remaining_ = run_fault_.times;
    }

    /// The answer to one request.
    reply handle(request& req)
    {
        namespace rd = restschema::detail;
        std::string_view const target = req.target();
        auto const qpos = target.find('?');
        std::string_view const path = target.substr(0, qpos);
        std::string_view const query =
            qpos == std::string_view::npos ? std::string_view() : target.substr(qpos + 1);
        std::string_view const method = req.method_string();
        if (auto r = tokens_.handle(req, path))
            return std::move(*r);

        endpoint const* fallback = nullptr;
        path_values fallback_values;
        std::string allow, log405;
        for (auto const* ep : endpoints_) {
            auto m = rd::match_path(ep->path, path);
            if (!m)
                continue;
            if (method != ep->method) {
                if ((", " + allow + ",").find(", " + std::string(ep->method) + ",") == std::string::npos)
                    allow += (allow.empty() ? "" : ", ") + std::string(ep->method);
                if (log405.empty())
                    log405 = detail::log_target(*ep, *m, query);
                continue;
            }
            auto const v = m->find("version");
            if (v == m->end() || rd::version_index(ep->service->versions, v->second) >= 0)
                return serve(*ep, req, *m, query);
            if (!fallback) {
                fallback = ep;
                fallback_values = std::move(*m);
            }
        }
        if (fallback)
            return serve(*fallback, req, fallback_values, query);
        reply r;
        if (!allow.empty()) {
            r.res = plain_error(405, "Method Not Allowed",
                                rd::printable(method, 20) +
                                    " is not allowed on this path (allowed: " + allow + ")");
            r.res.set(http::field::allow, allow);
            r.log_target = log405;
        } else {
            r.res = plain_error(404, "Not Found", "no endpoint of this mock matches the path");
            r.log_target = rd::printable(target, 200);
        }
        return r;
    }

  private:
    endpoint_list endpoints_;
    options const& opt_;
    token_issuer tokens_;
    store store_;
    std::mutex fault_mutex_;
    fault run_fault_;
    std::int64_t remaining_ = 0;

    /// The records an endpoint starts with: its mock seed, else its response example.
    static std::optional<boost::json::array> default_seed(endpoint const& ep, std::string& why)
    {
        std::string err;
        auto seed =
            restschema::detail::parse_json(ep.seed_json.empty() ? std::string_view("[]") : ep.seed_json, err);
        if (!seed || !seed->is_array()) {
            why = std::string(ep.service->name) + "." + std::string(ep.id) +
                  ": mock seed is not a JSON array " + err;
            return std::nullopt;
        }
        if (!seed->as_array().empty())
            return std::move(seed->as_array());
        if (ep.response_example_json.empty())
            return boost::json::array();
        auto ex = restschema::detail::parse_json(ep.response_example_json, err);
        if (!ex)
            return boost::json::array();
        boost::json::value* v = &*ex;
        if (!ep.response_envelope.empty())
            if (auto* o = v->if_object())
                if (auto* inner = o->if_contains(ep.response_envelope))
                    v = inner;
        if (ep.paginated && !ep.page_items.empty()) {
            // A page's example: its items are the records.
            std::string_view path = ep.page_items;
            while (v && v->is_object()) {
                auto const dot = path.find('.');
                v = v->as_object().if_contains(path.substr(0, dot));
                if (dot == std::string_view::npos)
                    break;
                path.remove_prefix(dot + 1);
            }
            if (v && v->is_array())
                return std::move(v->as_array());
            return boost::json::array();
        }
        if (auto* a = v->if_array())
            return std::move(*a);
        if (v->is_object() && v->as_object().contains(ep.key))
            return boost::json::array{std::move(*v)};
        return boost::json::array();
    }

    /// Reads the seed file and checks each record against every endpoint of its collection.
    std::string load_seed_file(std::string const& file)
    {
        std::map<std::string, boost::json::array, std::less<>> seeds;
        if (auto why = read_seed_file(file, seeds); !why.empty())
            return why;
        for (auto& [name, records] : seeds) {
            bool known = false;
            std::string why, names;
            for (auto const* ep : endpoints_) {
                if (ep->collection.empty())
                    continue;
                if (names.find(ep->collection) == std::string::npos)
                    names += (names.empty() ? "" : ", ") + std::string(ep->collection);
                if (ep->collection != name || !why.empty())
                    continue;
                known = true;
                for (std::size_t i = 0; i < records.size() && why.empty(); ++i) {
                    std::string const where =
                        "seed file \"" + file + "\": " + name + "[" + std::to_string(i) + "]";
                    auto const& rec = records[i].as_object();
                    if (!ep->key.empty() && !key_text(rec.if_contains(ep->key)))
                        why = where + ": missing the key field \"" + std::string(ep->key) + "\"";
                    else if (auto const bad = check_record(*ep, rec); !bad.empty())
                        why = where + ": not a valid " + std::string(ep->id) + " response: " + bad;
                }
            }
            if (!why.empty())
                return why;
            if (!known)
                return "seed file \"" + file + "\": unknown collection \"" +
                       restschema::detail::printable(name, 100) + "\" (collections: " + names + ")";
            store_.collections[name] = std::move(records);
        }
        return {};
    }

    /// "" when `record` decodes as ep's response type, else the problems.
    static std::string check_response(endpoint const& ep, boost::json::value const& record)
    {
        return detail::join(restschema::detail::runtime_decode_problems(record, *ep.response));
    }

    /// "" when `record` is a valid record of ep's collection: an item of a
    /// paginated list, else a response.
    static std::string check_record(endpoint const& ep, boost::json::value const& record)
    {
        return detail::join(
            restschema::detail::runtime_decode_problems(record, ep.item ? *ep.item : *ep.response));
    }

    /// The value at a dotted path of `o`, creating objects on the way; null when one is not an object.
    static boost::json::value* at_path(boost::json::object& o, std::string_view path)
    {
        boost::json::object* cur = &o;
        for (;;) {
            auto const dot = path.find('.');
            auto& v = (*cur)[path.substr(0, dot)];
            if (dot == std::string_view::npos)
                return &v;
            if (v.is_null())
                v = boost::json::object();
            if (!v.is_object())
                return nullptr;
            cur = &v.as_object();
            path.remove_prefix(dot + 1);
        }
    }

    /// A GET of a paginated collection: one page, as the schema says it pages.
    response list_page(endpoint const& ep, detail::request_values const& values,
                       boost::json::array const& coll, std::string_view target)
    {
        namespace rd = restschema::detail;
        auto bad = [&](std::string const& why) { return detail::status_error(ep, 400, "Bad Request", why); };
        auto number = [&](std::string_view name, std::int64_t& out) -> std::string {
            if (name.empty())
                return {};
            auto const t = detail::member_text(ep, values, name);
            if (!t)
                return {};
            if (!rd::parse_uint(*t, 0, 1'000'000'000, out))
                return std::string(name) + " \"" + rd::printable(*t, 40) +
                       "\" is not a page number this mock knows";
            return {};
        };
        std::int64_t size = ep.page_size;
        std::int64_t given = 0;
        if (auto why = number(ep.page_size_param, given); !why.empty())
            return bad(why);
        if (given > 0)
            size = std::min<std::int64_t>(given, 1000);
        auto const n = static_cast<std::int64_t>(coll.size());
        std::int64_t start = 0;
        std::int64_t page = ep.first_page;
        std::string_view const page_name = ep.page_param.empty() ? std::string_view("page") : ep.page_param;
        if (ep.paging == page_style::cursor) {
            if (auto c = detail::member_text(ep, values, ep.page_cursor)) {
                // The cursors this mock hands out: "c<offset>" (or the offset, for an integer cursor).
                std::string_view t = *c;
                if (t.starts_with("c"))
                    t.remove_prefix(1);
                if (!rd::parse_uint(t, 0, n, start))
                    return bad(std::string(ep.page_cursor) + " \"" + rd::printable(*c, 40) +
                               "\" is not a cursor this mock gave out");
            }
        } else {
            std::int64_t asked = 0;
            if (ep.paging == page_style::link && ep.page_param.empty()) {
                // No page parameter in the schema: the mock's own, in its links.
                if (auto const q = target.find('?'); q != std::string_view::npos) {
                    std::vector<problem> ignored;
                    for (auto const& [k, v] : rd::parse_query(target.substr(q + 1), ignored))
                        if (k == page_name && !rd::parse_uint(v, 0, 1'000'000'000, asked))
                            return bad("page \"" + rd::printable(v, 40) + "\" is not a page number");
                }
            } else if (auto why = number(ep.page_param, asked); !why.empty()) {
                return bad(why);
            }
            if (asked != 0 || detail::member_text(ep, values, ep.page_param))
                page = asked;
            if (page < ep.first_page)
                return bad(std::string(page_name) + " " + std::to_string(page) +
                           " is before the first page, " + std::to_string(ep.first_page));
            start = std::min(n, (page - ep.first_page) * size);
        }
        auto const end = std::min(n, start + size);
        boost::json::array slice(coll.begin() + start, coll.begin() + end);
        bool const more = end < n;

        boost::json::value body;
        if (ep.page_items.empty()) {
            body = std::move(slice);
        } else {
            // The response example's other fields, then the page's.
            auto rec = singleton_record(ep);
            auto& o = rec.as_object();
            if (auto* v = at_path(o, ep.page_items))
                *v = std::move(slice);
            if (ep.paging == page_style::cursor) {
                if (auto* v = at_path(o, ep.page_next)) {
                    if (more && ep.page_cursor_integer)
                        *v = end;
                    else if (more)
                        *v = "c" + std::to_string(end);
                    else
                        *v = nullptr;
                }
                // The last page: no next cursor, absent where the type allows it, else null.
                if (!more) {
                    auto const dot = ep.page_next.rfind('.');
                    auto* parent = &o;
                    if (dot != std::string_view::npos)
                        if (auto* p = at_path(o, ep.page_next.substr(0, dot)); p && p->is_object())
                            parent = &p->as_object();
                    auto const leaf =
                        dot == std::string_view::npos ? ep.page_next : ep.page_next.substr(dot + 1);
                    auto kept = (*parent)[leaf];
                    parent->erase(leaf);
                    if (!check_response(ep, rec).empty())
                        (*parent)[leaf] = kept;
                }
            }
            auto const pages = std::max<std::int64_t>(1, (n + size - 1) / size);
            if (!ep.page_total_pages.empty())
                if (auto* v = at_path(o, ep.page_total_pages))
                    *v = pages;
            if (!ep.page_total_items.empty())
                if (auto* v = at_path(o, ep.page_total_items))
                    *v = n;
            body = std::move(rec);
        }
        auto res = respond(ep, body);
        if (ep.paging == page_style::link && more && res.result_int() / 100 == 2) {
            // A relative link (RFC 8288 allows a URI reference): the request's
            // path and query with the next page number.
            auto const q = target.find('?');
            std::string link(target.substr(0, q));
            std::string query;
            if (q != std::string_view::npos) {
                std::string_view rest = target.substr(q + 1);
                while (!rest.empty()) {
                    auto const amp = rest.find('&');
                    auto const piece = rest.substr(0, amp);
                    if (piece.substr(0, piece.find('=')) != page_name)
                        query += (query.empty() ? "" : "&") + std::string(piece);
                    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
                }
            }
            query += (query.empty() ? "" : "&") + std::string(page_name) + "=" + std::to_string(page + 1);
            res.set(http::field::link, "<" + link + "?" + query + ">; rel=\"next\"");
        }
        return res;
    }

    /// The per-run fault, if it applies to ep; counts `times` down.
    void take_run_fault(endpoint const& ep, fault& out)
    {
        std::lock_guard lock(fault_mutex_);
        if (run_fault_.empty())
            return;
        if (!run_fault_.error.empty() && !ep.row(run_fault_.error))
            return; // a row of another endpoint
        out = run_fault_;
        if (run_fault_.times > 0 && --remaining_ <= 0)
            run_fault_ = fault{};
    }

    reply serve(endpoint const& ep, request& req, path_values const& m, std::string_view query)
    {
        reply out;
        out.log_target = detail::log_target(ep, m, query);
        fault f;
        if (auto it = req.find("X-Restschema-Mock-Fault"); it != req.end()) {
            auto why = parse_fault(it->value(), false, f);
            if (why.empty() && !f.error.empty() && !ep.row(f.error))
                why = "error=" + f.error + " is not an error row of " + std::string(ep.service->name) + "." +
                      std::string(ep.id) + " (rows: " + detail::row_names(ep) + ")";
            if (!why.empty()) {
                out.res = plain_error(400, "invalid X-Restschema-Mock-Fault", why);
                return out;
            }
        } else {
            take_run_fault(ep, f);
        }
        if (!f.empty())
            out.log_note = "fault: " + restschema::detail::printable(f.text, 200);
        out.latency = f.latency;
        out.drop = f.drop;
        // The response format: the path's suffix or Accept, as the schema says.
        auto const format = detail::asked_format(ep, req, m);
        if (!format) {
            out.res =
                plain_error(406, "Not Acceptable",
                            "this endpoint answers " + detail::format_list(ep) + ", not \"" +
                                restschema::detail::printable(m.find(ep.format_param)->second, 40) + "\"");
            return out;
        }
        out = serve_in(ep, req, m, query, f, std::move(out));
        if (*format == body_format::xml)
            detail::as_xml(ep, out.res);
        return out;
    }

    reply serve_in(endpoint const& ep, request& req, path_values const& m, std::string_view query, fault& f,
                   reply out)
    {
        if (!f.error.empty()) {
            out.res = detail::row_response(ep, *ep.row(f.error), "injected by the mock's fault spec");
        } else if (f.status != 0) {
            out.res = response{static_cast<http::status>(f.status), 11};
            out.res.set(http::field::server, "restschema-mock");
            out.res.set(http::field::content_type, "application/json");
            if (f.status != 204 && f.status != 304)
                out.res.body() = "{}";
            out.res.prepare_payload();
        } else {
            out.res = answer(ep, req, m, query);
            if (out.res.result_int() / 100 == 2)
                detail::finish_success(ep, req, out.res);
            auto& body = out.res.body();
            if (f.body_bytes > body.size() && out.res.result_int() / 100 == 2 && !body.empty()) {
                body.append(f.body_bytes - body.size(), ' '); // JSON allows trailing whitespace
                out.res.prepare_payload();
            }
        }
        if (!f.retry_after.empty())
            out.res.set(http::field::retry_after, f.retry_after);
        return out;
    }

    response answer(endpoint const& ep, request const& req, path_values const& m, std::string_view raw_query)
    {
        namespace rd = restschema::detail;
        auto const& service = *ep.service;
        // Validation and auth failures: the rows the schema names for them
        // (mock.invalid, mock.unauthorized), else the first 400 / 401 row.
        auto bad_request = [&](std::string_view details) {
            if (ep.invalid >= 0)
                return detail::value_error(ep, ep.invalid, 400, details);
            return detail::status_error(ep, 400, "Bad Request", details);
        };

        // The query, once: the version may travel there. A malformed query is
        // one of the problems reported after the version and constant checks.
        std::vector<problem> problems;
        auto const query = rd::parse_query(raw_query, problems);

        // The API version, where the service sends it; its default when absent.
        std::string version(service.default_version);
        if (auto it = m.find("version"); it != m.end() && service.version_in == version_location::path)
            version = it->second;
        if (service.version_in == version_location::header)
            if (auto it = req.find(service.version_name); it != req.end())
                version = std::string(it->value());
        if (service.version_in == version_location::query)
            for (auto const& [k, v] : query)
                if (k == service.version_name)
                    version = v;
        if (rd::version_index(service.versions, version) < 0) {
            std::string known;
            for (auto const& v : service.versions)
                known += (known.empty() ? "" : ", ") + std::string(v);
            return bad_request("unknown API version \"" + rd::printable(version, 40) + "\" (known: " + known +
                               ")");
        }

        // Constant path parts, e.g. the format suffix: this mock speaks what the schema fixes.
        for (auto const& c : ep.constants) {
            if (c.in != location::path)
                continue;
            if (auto it = m.find(c.name); it != m.end() && it->second != c.value)
                return plain_error(406, "Not Acceptable",
                                   "this mock answers only " + std::string(c.name) + " " +
                                       std::string(c.value) + ", not \"" + rd::printable(it->second, 40) +
                                       "\"");
        }

        // Credentials in the path, the query and the headers.
        auto unauthorized = [&](std::string_view why) {
            if (ep.unauthorized >= 0)
                return detail::value_error(ep, ep.unauthorized, 401, why);
            return detail::status_error(ep, 401, "Unauthorized", why);
        };
        if (auto why = check_auth(ep, opt_.credentials, req, m, query, nullptr, &tokens_); !why.empty())
            return unauthorized(why);

        // Media types: the client must accept what this endpoint answers.
        if (auto it = req.find(http::field::accept);
            it != req.end() && !detail::accepts(it->value(), ep.response_media_type) &&
            !(detail::speaks(ep, body_format::xml) && detail::accepts(it->value(), "application/xml")))
            return plain_error(406, "Not Acceptable",
                               "this endpoint answers " + std::string(ep.response_media_type) +
                                   (detail::speaks(ep, body_format::xml) ? " or application/xml" : "") +
                                   ", which Accept \"" + rd::printable(it->value(), 64) + "\" refuses");
        // A body of another media type is a problem of the request, answered
        // like the others: with the API's own validation row.
        if (!rd::trim_space(req.body()).empty()) {
            auto const h = rd::trim_space(req[http::field::content_type]);
            auto const media = rd::trim_space(h.substr(0, h.find(';')));
            if (!boost::beast::iequals(media, ep.request_media_type))
                return bad_request("Content-Type: this endpoint reads " + std::string(ep.request_media_type) +
                                   " bodies, not \"" + rd::printable(h, 64) + "\"");
        }

        // Constant headers: when sent, they must be what the schema says.
        for (auto const& c : ep.constants) {
            if (c.in != location::header)
                continue;
            auto const h = rd::trim_space(req[c.name]);
            auto const media = rd::trim_space(h.substr(0, h.find(';')));
            if (!h.empty() && !boost::beast::iequals(media, c.value))
                problems.push_back({std::string(c.name), "expected \"" + std::string(c.value) +
                                                             "\", found \"" + rd::printable(h, 64) + "\""});
        }

        // The body: JSON syntax first.
        auto const& members = ep.request->members;
        bool has_body_fields = false;
        for (auto const& f : members)
            has_body_fields = has_body_fields || f.meta->in == location::body;
        for (auto const& s : service.auth)
            has_body_fields = has_body_fields ||
                              (s.kind == auth_kind::api_key && s.in == location::body && ep.uses_auth(s.id));
        boost::json::value body = boost::json::object();
        bool const form = ep.request_format == body_format::form;
        if (form) {
            // key=value pairs: every value a string here; typed below by set_param.
            for (auto& [k, v] : rd::parse_query(req.body(), problems))
                body.as_object()[k] = v;
        } else if (auto const text = rd::trim_space(req.body()); !text.empty()) {
            std::string why;
            auto jv = rd::parse_json(req.body(), why);
            if (!jv)
                return bad_request("malformed JSON body: " + why);
            body = std::move(*jv);
        }
        if (has_body_fields && !body.is_object())
            return bad_request("the request body must be a JSON object, found " +
                               std::string(rd::kind_name(body.kind())));
        if (body.is_object())
            if (auto why = check_auth(ep, opt_.credentials, req, m, query, &body.as_object(), &tokens_);
                !why.empty())
                return unauthorized(why);

        auto is_auth_or_const = [&](location in, std::string_view name) {
            if (in == location::query && service.version_in == version_location::query &&
                name == service.version_name)
                return true; // read above
            for (auto const& s : service.auth)
                if (s.kind == auth_kind::api_key && s.in == in && s.name == name && ep.uses_auth(s.id))
                    return true;
            for (auto const& c : ep.constants)
                if (c.in == in && c.name == name)
                    return true;
            return false;
        };
        // Types of the body fields, then path, query and header parameters. A
        // value-initialized request first: plain members at their defaults.
        detail::request_values values(members.size());
        for (std::size_t i = 0; i < members.size(); ++i)
            if (members[i].held == rd::holder::plain)
                values[i] = rd::default_json(*members[i].type);
        if (has_body_fields && form) {
            for (auto const& [k, v] : body.as_object())
                if (!is_auth_or_const(location::body, k))
                    detail::set_param(ep, values, location::body, k, v.as_string(), problems);
        } else if (has_body_fields) {
            auto const text = rd::trim_space(req.body());
            auto decoded = rd::runtime_decode_text(text.empty() ? std::string_view("{}") : text, *ep.request);
            if (decoded.problems.empty()) {
                auto const& o = decoded.json.as_object();
                for (std::size_t i = 0; i < members.size(); ++i)
                    if (members[i].meta->in == location::body) {
                        if (auto const* v = o.if_contains(members[i].meta->wire))
                            values[i] = *v;
                        else
                            values[i].reset();
                    }
            } else {
                for (auto& p : decoded.problems)
                    problems.push_back(std::move(p));
            }
        }

        for (auto const& [k, v] : m)
            if (k != "version" && !is_auth_or_const(location::path, k))
                detail::set_param(ep, values, location::path, k, v, problems);
        for (auto const& [k, v] : query)
            if (!is_auth_or_const(location::query, k))
                detail::set_param(ep, values, location::query, k, v, problems);
        for (auto const& f : members)
            if (f.meta->in == location::header && !is_auth_or_const(location::header, f.meta->wire))
                if (auto it = req.find(f.meta->wire); it != req.end())
                    detail::set_param(ep, values, location::header, f.meta->wire, it->value(), problems);

        // Required fields, formats, enums, version bounds: what validate_request checks.
        if (problems.empty()) {
            version_context const ctx{service.versions, version};
            if (auto why = rd::check_bounds(ctx, ep.min_version, ep.max_version); !why.empty())
                problems.push_back({std::string(ep.id), "endpoint " + why});
            std::vector<boost::json::value const*> present(members.size(), nullptr);
            for (std::size_t i = 0; i < members.size(); ++i)
                if (values[i])
                    present[i] = &*values[i];
            rd::runtime_validator validator(ctx);
            validator.check_members(*ep.request, present);
            for (auto& p : validator.problems)
                problems.push_back(std::move(p));
        }
        if (!problems.empty())
            return bad_request(detail::join(problems));

        if (!opt_.stateful || ep.collection.empty())
            return example(ep);
        return stateful(ep, values, m, req.target());
    }

    /// Deterministic mode: the schema's response example.
    static response example(endpoint const& ep)
    {
        std::string why;
        auto jv = restschema::detail::parse_json(
            ep.response_example_json.empty() ? std::string_view("{}") : ep.response_example_json, why);
        return success(ep, jv ? *jv : boost::json::value(boost::json::object()));
    }

    static response success(endpoint const& ep, boost::json::value const& v)
    {
        if (ep.success_status == 204) {
            response res{http::status::no_content, 11};
            res.set(http::field::server, "restschema-mock");
            res.prepare_payload();
            return res;
        }
        return json_response(ep.success_status, v, ep.response_media_type);
    }

    /// A record as ep answers it (inside the response envelope), after checking
    /// that it decodes as the response type.
    static response respond(endpoint const& ep, boost::json::value const& record)
    {
        if (auto bad = check_response(ep, record); !bad.empty())
            return plain_error(500, "Internal Server Error",
                               "the stored record is not a valid " + std::string(ep.id) +
                                   " response: " + bad);
        if (ep.response_envelope.empty())
            return success(ep, record);
        boost::json::object o;
        o[ep.response_envelope] = record;
        return success(ep, o);
    }

    response stateful(endpoint const& ep, detail::request_values const& values, path_values const& m,
                      std::string_view target)
    {
        std::string_view const method = ep.method;
        std::lock_guard lock(store_.mutex);
        auto& coll = store_.collections[std::string(ep.collection)];
        if (ep.paginated)
            return list_page(ep, values, coll, target);
        if (ep.key.empty()) {
            // A singleton resource (no id in its path): one record, made
            // from the response example (or the seed) on first use.
            if (coll.empty())
                coll.push_back(singleton_record(ep));
            return on_record(ep, values, coll, 0);
        }
        auto const key = m.find(ep.key);
        if (key == m.end()) {
            // A collection-level endpoint.
            if (method == "POST") {
                boost::json::value rec = detail::update_of(ep, values);
                auto& o = rec.as_object();
                if (!ep.key.empty() && !key_text(o.if_contains(ep.key)))
                    o[ep.key] = next_id(coll, ep.key);
                if (!ep.owner_secret.empty())
                    if (auto s = detail::member_text(ep, values, ep.owner_secret))
                        o[ep.owner_secret] = *s;
                auto res = respond(ep, rec);
                if (res.result_int() / 100 == 2)
                    coll.push_back(std::move(rec));
                return res;
            }
            if (method == "GET")
                return success(ep, coll);
            return example(ep);
        }

        auto const at = find_record(coll, ep.key, key->second);
        if (!at) {
            std::string const details = "no record with " + std::string(ep.key) + " \"" +
                                        restschema::detail::printable(key->second, 64) + "\"";
            if (ep.not_found >= 0)
                return detail::value_error(ep, ep.not_found, 404, details);
            return plain_error(404, "Not Found", details);
        }
        return on_record(ep, values, coll, *at);
    }

    /// The response example without its envelope: the first state of a singleton.
    static boost::json::value singleton_record(endpoint const& ep)
    {
        std::string why;
        auto jv = restschema::detail::parse_json(
            ep.response_example_json.empty() ? std::string_view("{}") : ep.response_example_json, why);
        boost::json::value rec = jv ? *jv : boost::json::value(boost::json::object());
        if (auto const* o = rec.if_object(); o && !ep.response_envelope.empty())
            if (auto const* inner = o->if_contains(ep.response_envelope))
                rec = *inner;
        if (!rec.is_object())
            rec = boost::json::object();
        return rec;
    }

    /// GET, PUT, PATCH or DELETE of one stored record (the caller holds the lock).
    response on_record(endpoint const& ep, detail::request_values const& values, boost::json::array& coll,
                       std::size_t at)
    {
        std::string_view const method = ep.method;
        auto& record = coll[at].as_object();
        if (!ep.owner_secret.empty()) {
            auto const given = detail::member_text(ep, values, ep.owner_secret);
            auto const stored = key_text(record.if_contains(ep.owner_secret));
            if (!given || !stored || *given != *stored)
                return detail::value_error(ep, ep.owner_secret_error, 401,
                                           std::string(ep.owner_secret) + " does not match the record's");
        }
        if (method == "PUT" || method == "PATCH") {
            std::vector<std::string_view> fields;
            for (auto const& f : ep.request->members)
                if (f.meta->in == location::body && f.meta->wire != ep.owner_secret)
                    fields.push_back(f.meta->wire);
            auto update = detail::update_of(ep, values);
            if (!ep.key.empty())
                update.erase(ep.key);
            boost::json::object next = record;
            if (auto why = apply_update(next, update, ep.update, fields); !why.empty())
                return ep.row_by_status(422) ? detail::status_error(ep, 422, "Unprocessable Entity", why)
                                             : detail::status_error(ep, 400, "Bad Request", why);
            auto res = respond(ep, next);
            if (res.result_int() / 100 == 2)
                record = std::move(next);
            return res;
        }
        if (method == "DELETE") {
            boost::json::value gone = std::move(record);
            coll.erase(coll.begin() + static_cast<std::ptrdiff_t>(at));
            return respond(ep, gone);
        }
        return respond(ep, record);
    }
};

} // namespace restschema::mock
