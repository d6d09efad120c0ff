// restschema/binding/impl/request.ipp - laying a bound request out as HTTP (not a template).
#pragma once

#include <restschema/binding/auth.hpp>
#include <restschema/binding/impl/request.hpp>
#include <restschema/detail/formats.hpp>
#include <restschema/detail/path_template.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/detail/text.hpp>

#include <restschema/impl/codec.ipp> // append_string

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <random>

namespace restschema::binding::detail {

namespace params {

using restschema::detail::runtime_type;
using restschema::detail::value_kind;

/// Types that a path, query or header parameter can have.
inline bool is_text(runtime_type const& t) noexcept
{
    return t.kind != value_kind::array && t.kind != value_kind::object && t.kind != value_kind::map;
}

/// The text form of a scalar parameter value.
inline std::string text_of(runtime_type const& t, void const* v)
{
    switch (t.kind) {
    case value_kind::string:
        return *static_cast<std::string const*>(v);
    case value_kind::boolean:
        return *static_cast<bool const*>(v) ? "true" : "false";
    case value_kind::integer: {
        bool negative = false;
        auto const bits = restschema::detail::load_integer(t, v, negative);
        return negative ? std::to_string(static_cast<std::int64_t>(bits)) : std::to_string(bits);
    }
    case value_kind::number:
        return boost::json::serialize(boost::json::value(
            t.single ? static_cast<double>(*static_cast<float const*>(v)) : *static_cast<double const*>(v)));
    case value_kind::enumeration: {
        bool negative = false;
        auto const i = restschema::detail::load_integer(t, v, negative);
        return !negative && i < t.enum_names.size() ? std::string(t.enum_names[i]) : std::string();
    }
    case value_kind::json:
        return boost::json::serialize(*static_cast<boost::json::value const*>(v));
    case value_kind::array:
    case value_kind::object:
    case value_kind::map:
        break;
    }
    return {};
}

/// A random (version 4) UUID: one idempotency key per call.
inline std::string new_idempotency_key()
{
    thread_local std::mt19937_64 gen{[] {
        std::random_device rd;
        return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    }()};
    std::uint64_t hi = gen(), lo = gen();
    hi = (hi & ~0xF000ULL) | 0x4000ULL;             // version 4
    lo = (lo & ~(0xC0ULL << 56)) | (0x80ULL << 56); // RFC 4122 variant
    char buf[37];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                  static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                  static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
    return buf;
}

} // namespace params

RESTSCHEMA_DECL result<wire_request> bind_value(endpoint_wire const& ep,
                                                restschema::detail::runtime_type const& t,
                                                void const* request, bind_context const& ctx)
{
    using restschema::detail::value_kind;
    std::vector<problem> problems;
    if (auto v = restschema::detail::validate_request_value(ep.checks, t, request, ctx.api_version); !v) {
        problems = std::move(v.error().problems);
        if (problems.empty()) // a fault of the whole request, such as an unknown API version
            problems.push_back({"api_version", std::move(v.error().message)});
    }

    // Path, query and header parameters as text (a list parameter gives one
    // query key per item), and the values of sensitive members to scrub.
    std::vector<param_value> params;
    std::vector<std::string> sensitive;
    bool has_body = false;
    for (auto const& rm : t.members) {
        field_meta const& m = *rm.meta;
        has_body = has_body || m.in == location::body;
        auto const* v = restschema::detail::member_value_ptr(rm, request);
        if (!v)
            continue;
        auto const& vt = *rm.type;
        if (m.in != location::body) {
            if (vt.kind == value_kind::array) {
                if (params::is_text(*vt.element))
                    for (std::size_t i = 0, n = vt.vec->size(v); i < n; ++i)
                        params.push_back(
                            {m.in, m.wire, params::text_of(*vt.element, vt.vec->at(v, i)), m.sensitive});
            } else if (params::is_text(vt)) {
                params.push_back({m.in, m.wire, params::text_of(vt, v), m.sensitive});
            }
        }
        if (m.sensitive && params::is_text(vt))
            sensitive.push_back(params::text_of(vt, v));
    }
    // The API version, where the service sends it ({version} in a path is filled by assemble()).
    if (ep.version_in == version_location::header)
        params.push_back({location::header, ep.version_name, std::string(ctx.api_version), false});
    else if (ep.version_in == version_location::query)
        params.push_back({location::query, ep.version_name, std::string(ctx.api_version), false});
    // One idempotency key per call, unless the caller set that header: the
    // session sends this same request, key included, on every retry.
    if (!ep.idempotency_key.empty()) {
        bool given = false;
        for (auto const& p : params)
            given = given || (p.in == location::header &&
                              restschema::detail::iequals_ascii(p.wire, ep.idempotency_key));
        if (!given)
            params.push_back({location::header, ep.idempotency_key, params::new_idempotency_key(), false});
    }
    // The body is encoded by assemble(), through the request type's runtime description.
    auto const* body_type = has_body && problems.empty() ? &t : nullptr;
    return assemble(ep, ctx, std::move(problems), std::move(params), std::move(sensitive), body_type,
                    request);
}

RESTSCHEMA_DECL result<wire_request> assemble(endpoint_wire const& ep, bind_context const& ctx,
                                              std::vector<problem> problems, std::vector<param_value> params,
                                              std::vector<std::string> sensitive_values,
                                              restschema::detail::runtime_type const* body_type,
                                              void const* request)
{
    using restschema::detail::redacted;
    wire_request w;
    w.endpoint = ep.id;
    w.method = ep.method;
    w.idempotent = ep.idempotent;
    w.idempotency_key = ep.idempotency_key;

    std::map<std::string, std::string, std::less<>> path_values, redacted_path_values;
    std::vector<std::pair<std::string, std::string>> query, redacted_query;
    std::vector<std::pair<std::string, std::string>> body_credentials;

    // Credentials, as the endpoint's auth schemes say. Problems with them come
    // first: a missing credential is the most likely mistake.
    std::vector<problem> auth_problems;
    for (auto const& scheme : ep.service_auth) {
        bool used = false;
        for (auto const& id : ep.auth)
            used = used || id == scheme.id;
        if (!used)
            continue;
        std::string const* value = nullptr;
        if (ctx.credentials)
            if (auto it = ctx.credentials->find(scheme.id);
                it != ctx.credentials->end() && !it->second.empty())
                value = &it->second;
        std::string const key = "credentials." + std::string(scheme.id);
        std::shared_ptr<token_source> source;
        if (ctx.token_sources)
            if (auto it = ctx.token_sources->find(scheme.id); it != ctx.token_sources->end())
                source = it->second;
        if (source) {
            if (value)
                auth_problems.push_back({key, "auth scheme \"" + std::string(scheme.id) +
                                                  "\" has both a credential and a token source; set one"});
            else if (scheme.kind == auth_kind::api_key &&
                     (scheme.in == location::path || scheme.in == location::body))
                auth_problems.push_back(
                    {key, "auth scheme \"" + std::string(scheme.id) + "\" puts its credential in the " +
                              (scheme.in == location::path ? "path" : "body") +
                              "; a token source can give credentials for a header or the query only"});
            else
                w.pending_credentials.push_back({scheme, std::move(source)});
            continue;
        }
        if (!value) {
            auth_problems.push_back({key, "missing credential for auth scheme \"" + std::string(scheme.id) +
                                              "\" (set client_options::credentials[\"" +
                                              std::string(scheme.id) + "\"])"});
            continue;
        }
        if (restschema::detail::has_control_char(*value)) {
            auth_problems.push_back(
                {key, "credential contains a control character (CR, LF, ...); value not shown"});
            continue;
        }
        auto placed = place_credential(scheme, *value);
        for (auto& s : placed.secrets)
            w.secrets.push_back(std::move(s));
        switch (placed.in) {
        case location::header:
            w.headers.emplace_back(std::move(placed.name), std::move(placed.value));
            break;
        case location::path:
            // The form expand_path writes it in, so that scrubbing finds it.
            w.secrets.push_back(restschema::detail::encode_segment(
                placed.value, restschema::detail::segment_escapes(ep.path, placed.name)));
            redacted_path_values[placed.name] = std::string(redacted);
            path_values[std::move(placed.name)] = std::move(placed.value);
            break;
        case location::query:
            w.secrets.push_back(restschema::detail::encode_query(placed.value));
            redacted_query.emplace_back(placed.name, std::string(redacted));
            query.emplace_back(std::move(placed.name), std::move(placed.value));
            break;
        case location::body:
            body_credentials.emplace_back(std::move(placed.name), std::move(placed.value));
            break;
        }
    }
    if (!auth_problems.empty())
        problems.insert(problems.begin(), std::make_move_iterator(auth_problems.begin()),
                        std::make_move_iterator(auth_problems.end()));

    // The response format: one the endpoint speaks, and one this program reads.
    bool spoken = false;
    std::string spoken_list;
    for (auto f : ep.formats) {
        spoken = spoken || f == ctx.format.kind;
        spoken_list += (spoken_list.empty() ? "" : ", ") + std::string(body_format_name(f));
    }
    if (!spoken || ctx.format.kind == body_format::form)
        problems.push_back({"format", "this endpoint answers " + spoken_list + ", not " +
                                          std::string(body_format_name(ctx.format.kind)) +
                                          " (client_options::format, call_options::format)"});
    else if (ctx.format.kind == body_format::xml && !ctx.format.decode_xml)
        problems.push_back({"format", "XML responses are read by restschema::xml_format: include "
                                      "<restschema/xml.hpp> and set format = restschema::xml_format"});
    if (!problems.empty()) {
        auto const n = problems.size();
        return restschema::detail::make_error(error_kind::validation,
                                              std::string(ep.id) + ": " + std::to_string(n) + " problem" +
                                                  (n == 1 ? "" : "s") + " in the request; nothing was sent",
                                              std::move(problems));
    }
    for (auto& s : sensitive_values)
        if (!s.empty())
            w.secrets.push_back(std::move(s));

    w.format = ctx.format;
    w.max_body_size = ctx.max_body_size;
    w.headers.insert(w.headers.begin(),
                     {"Accept", ctx.format.kind == body_format::xml ? std::string("application/xml")
                                                                    : std::string(ep.accept)});
    if (ep.format_in == format_selection::path) {
        // Rails' (.:format): the suffix names the format.
        path_values[std::string(ep.format_param)] = std::string(body_format_name(ctx.format.kind));
        redacted_path_values[std::string(ep.format_param)] = std::string(body_format_name(ctx.format.kind));
    }
    for (auto const& c : ep.constants) {
        if (c.in == location::path) {
            path_values[std::string(c.name)] = std::string(c.value);
            redacted_path_values[std::string(c.name)] = std::string(c.value);
        } else if (c.in == location::query) {
            query.emplace_back(std::string(c.name), std::string(c.value));
            redacted_query.push_back(query.back());
        } else if (c.in == location::header && !restschema::detail::iequals_ascii(c.name, "Accept")) {
            // Accept is the endpoint's (above): one header, never two.
            w.headers.emplace_back(std::string(c.name), std::string(c.value));
        }
    }
    for (auto& p : params) {
        switch (p.in) {
        case location::path:
            redacted_path_values[std::string(p.wire)] = p.sensitive ? std::string(redacted) : p.text;
            path_values[std::string(p.wire)] = std::move(p.text);
            break;
        case location::query:
            redacted_query.emplace_back(std::string(p.wire), p.sensitive ? std::string(redacted) : p.text);
            query.emplace_back(std::string(p.wire), std::move(p.text));
            break;
        case location::header:
            w.headers.emplace_back(std::string(p.wire), std::move(p.text));
            break;
        case location::body:
            break;
        }
    }
    path_values["version"] = std::string(ctx.api_version);
    redacted_path_values["version"] = std::string(ctx.api_version);

    auto lookup_in = [](auto const& values) {
        return [&values](std::string_view name) -> std::optional<std::string> {
            auto it = values.find(name);
            if (it == values.end())
                return std::nullopt;
            return it->second;
        };
    };
    std::string missing;
    auto target = restschema::detail::expand_path(ep.path, lookup_in(path_values), &missing);
    if (!target)
        return restschema::detail::make_error(
            error_kind::validation, std::string(ep.id) + ": no value for path placeholder {" + missing + "}");
    // encode_segment turns "***" into "%2A%2A%2A"; show it as "***".
    auto redacted_path = restschema::detail::scrub(
        restschema::detail::expand_path(ep.path, lookup_in(redacted_path_values)).value_or(""),
        {restschema::detail::encode_segment(std::string(redacted))});
    auto add_query = [](std::string& t, auto const& q) {
        for (std::size_t i = 0; i < q.size(); ++i)
            t += (i ? "&" : "?") + restschema::detail::encode_query(q[i].first) + "=" +
                 restschema::detail::encode_query(q[i].second);
    };
    w.target = std::string(ctx.prefix) + *target;
    add_query(w.target, query);
    w.redacted_target = std::string(ctx.prefix) + redacted_path;
    add_query(w.redacted_target, redacted_query);

    if (!body_type && body_credentials.empty())
        return w;
    for (auto const& [k, v] : body_credentials)
        w.secrets.push_back(v);
    bool has_type = false;
    for (auto const& [k, v] : w.headers)
        has_type = has_type || restschema::detail::iequals_ascii(k, "Content-Type");
    if (!has_type)
        w.headers.emplace_back("Content-Type", std::string(ep.request_media_type));
    if (ep.request_format == body_format::form) {
        // key=value pairs, percent-encoded: body parameters, then body credentials.
        auto form = [&](bool redact) {
            std::string out;
            auto add = [&out](std::string_view k, std::string_view v) {
                if (!out.empty())
                    out += '&';
                out += restschema::detail::encode_query(k);
                out += '=';
                out += restschema::detail::encode_query(v);
            };
            if (body_type)
                for (auto const& rm : body_type->members) {
                    if (rm.meta->in != location::body)
                        continue;
                    auto const* v = restschema::detail::member_value_ptr(rm, request);
                    if (!v || !params::is_text(*rm.type))
                        continue; // check refuses lists and objects in form bodies
                    add(rm.meta->wire,
                        redact && rm.meta->sensitive ? std::string(redacted) : params::text_of(*rm.type, v));
                }
            for (auto const& [k, v] : body_credentials)
                add(k, redact ? std::string_view(redacted) : std::string_view(v));
            return out;
        };
        w.body = form(false);
        if (ctx.redacted_body)
            w.redacted_body = restschema::detail::scrub(form(true), w.secrets);
        return w;
    }
    // The JSON body: body parameters, then body credentials.
    // Appends `"key":"value"` members before the closing brace of `object`.
    auto add_members = [&](std::string& object, bool redact) {
        for (auto const& [k, v] : body_credentials) {
            object.pop_back(); // '}'
            if (object.size() > 1)
                object += ',';
            restschema::detail::codec::append_string(object, k);
            object += ':';
            restschema::detail::codec::append_string(object, redact ? std::string_view(redacted) : v);
            object += '}';
        }
    };
    w.body = "{}";
    if (body_type) {
        w.body.clear();
        if (auto r = restschema::detail::encode_text(*body_type, request, w.body); !r)
            return r.error(); // validation refuses all of it first
    }
    add_members(w.body, false);
    if (!ctx.redacted_body)
        return w;
    // The logged body: credentials and sensitive fields (at any depth) replaced.
    w.redacted_body = "{}";
    if (body_type) {
        w.redacted_body.clear();
        (void)restschema::detail::encode_text(*body_type, request, w.redacted_body, true);
    }
    add_members(w.redacted_body, true);
    w.redacted_body = restschema::detail::scrub(std::move(w.redacted_body), w.secrets);
    return w;
}

} // namespace restschema::binding::detail

namespace restschema::binding {

RESTSCHEMA_DECL result<void> apply_call_options(wire_request& w, call_options const& opts)
{
    namespace rd = restschema::detail;
    std::vector<problem> problems;
    auto set = [&w](std::string_view name, std::string value) {
        for (auto& [k, v] : w.headers)
            if (rd::iequals_ascii(k, name)) {
                v = std::move(value);
                return;
            }
        w.headers.emplace_back(std::string(name), std::move(value));
    };
    for (auto const& h : opts.headers) {
        static constexpr std::string_view owned[] = {"Host", "Content-Length", "Transfer-Encoding",
                                                     "Connection"};
        bool const token = !h.name.empty() && std::all_of(h.name.begin(), h.name.end(), [](unsigned char c) {
            return std::isalnum(c) ||
                   std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
        });
        if (!token)
            problems.push_back({"header " + rd::printable(h.name, 64), "not a valid header name"});
        else if (std::any_of(std::begin(owned), std::end(owned),
                             [&](std::string_view o) { return rd::iequals_ascii(o, h.name); }))
            problems.push_back({"header " + h.name, "set by the transport, not by a call"});
        else if (rd::has_control_char(h.value))
            problems.push_back({"header " + h.name, "control characters are not allowed in a header value"});
    }
    if (!opts.idempotency_key.empty()) {
        if (w.idempotency_key.empty())
            problems.push_back(
                {"idempotency_key", std::string(w.endpoint) + " has no idempotency key header"});
        else if (rd::has_control_char(opts.idempotency_key))
            problems.push_back({"idempotency_key", "control characters are not allowed in a header value"});
    }
    if (!problems.empty()) {
        auto const n = problems.size();
        return rd::make_error(error_kind::validation,
                              std::string(w.endpoint) + ": " + std::to_string(n) + " problem" +
                                  (n == 1 ? "" : "s") + " in the call options; nothing was sent",
                              std::move(problems));
    }
    for (auto const& h : opts.headers) {
        if (h.sensitive && !h.value.empty())
            w.secrets.push_back(h.value);
        set(h.name, h.value);
        // The call's header replaces a credential of a token source too: not fetched.
        std::erase_if(w.pending_credentials, [&](pending_credential const& p) {
            auto const& sc = p.scheme;
            auto const name = sc.kind == auth_kind::api_key ? sc.name : std::string_view("Authorization");
            return (sc.kind != auth_kind::api_key || sc.in == location::header) &&
                   rd::iequals_ascii(name, h.name);
        });
    }
    if (!opts.idempotency_key.empty())
        set(w.idempotency_key, opts.idempotency_key);
    if (opts.connect_timeout)
        w.connect_timeout = opts.connect_timeout;
    if (opts.request_timeout)
        w.request_timeout = opts.request_timeout;
    if (opts.retry) {
        w.retry = opts.retry;
        w.retry->max_attempts = std::max(w.retry->max_attempts, 1);
    }
    return {};
}

namespace detail {

/// Points `w` at `link`, a URI reference from the response to the request at
/// `from`, resolved as RFC 3986 says; for follow_link and follow_redirect.
/// `what` names the link in errors ("the next-page link").
inline result<void> retarget(wire_request& w, std::string_view link, restschema::detail::base_url const& base,
                             page_location const& from, std::string const& what, bool as_get)
{
    namespace rd = restschema::detail;
    auto fail = [&](char const* why) -> result<void> {
        return rd::make_error(error_kind::decode, what + " \"" +
                                                      rd::scrub(rd::printable(link, 256), w.secrets) +
                                                      "\" of " + std::string(w.endpoint) + " " + why);
    };
    for (unsigned char c : link)
        if (c <= ' ' || c == 0x7f)
            return fail("contains a space or control character");
    if (auto const hash = link.find('#'); hash != std::string_view::npos)
        link = link.substr(0, hash);
    if (link.empty())
        return fail("is empty");

    std::optional<rd::base_url> there = from.origin;
    std::string target;
    auto const scheme_end = link.find("://");
    auto const first_delim = link.find_first_of("/?");
    if (scheme_end != std::string_view::npos && scheme_end < first_delim) {
        // Absolute: its own scheme, host and port.
        auto const path_at = link.find_first_of("/?", scheme_end + 3);
        auto const authority_end = path_at == std::string_view::npos ? link.size() : path_at;
        std::string why;
        auto u = rd::parse_base_url(link.substr(0, authority_end), &why);
        if (!u)
            return fail(("is not a usable URL (" + why + ")").c_str());
        there = std::move(*u);
        target = std::string(link.substr(authority_end));
    } else if (link.starts_with("//")) {
        return fail("is scheme-relative, which the client does not follow");
    } else if (link.front() == '/') {
        target = std::string(link);
    } else {
        // Relative to the current request: a query alone, or a path beside it.
        std::string_view current = from.target;
        auto const q = current.find('?');
        auto const path = current.substr(0, q);
        if (link.front() == '?')
            target = std::string(path) + std::string(link);
        else
            target = std::string(path.substr(0, path.rfind('/') + 1)) + std::string(link);
    }
    if (target.empty() || target.front() == '?')
        target.insert(0, "/");

    if (there) {
        bool const same =
            there->tls == base.tls && rd::iequals_ascii(there->host, base.host) && there->port == base.port;
        if (!same) {
            // Another origin: the request's credentials stay home, and a URL
            // that carries one is not followed there at all.
            if (rd::scrub(target, w.secrets) != target)
                return fail("leads to another origin with a credential in its URL; not followed");
            std::erase_if(w.headers, [&](auto const& h) {
                return rd::iequals_ascii(h.first, "Authorization") ||
                       rd::scrub(h.second, w.secrets) != h.second;
            });
            w.pending_credentials.clear();
            there->prefix.clear();
            w.origin = std::move(*there);
        } else {
            w.origin.reset();
        }
    }
    if (as_get) {
        w.method = "GET";
        w.body.clear();
        w.redacted_body.clear();
        std::erase_if(w.headers, [](auto const& h) { return rd::iequals_ascii(h.first, "Content-Type"); });
    }
    w.target = std::move(target);
    w.redacted_target = rd::scrub(w.target, w.secrets);
    return {};
}

} // namespace detail

RESTSCHEMA_DECL result<void> follow_link(wire_request& w, std::string_view link,
                                         restschema::detail::base_url const& base, page_location const& from)
{
    return detail::retarget(w, link, base, from, "the next-page link", true);
}

RESTSCHEMA_DECL result<void> follow_redirect(wire_request& w, std::string_view location,
                                             restschema::detail::base_url const& base,
                                             page_location const& from, int status)
{
    return detail::retarget(w, location, base, from, "the redirect (HTTP " + std::to_string(status) + ") to",
                            false);
}

} // namespace restschema::binding
