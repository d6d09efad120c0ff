// restschema/impl/otlp.ipp - to_otlp_json(); compiled by restschema/src.hpp or inline.
#pragma once

#include <restschema/error.hpp>
#include <restschema/otlp.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace restschema {
namespace detail::otlp {

inline std::string random_hex(std::size_t digits)
{
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string s;
    while (s.size() < digits) {
        auto v = rng();
        for (int i = 0; i < 16 && s.size() < digits; ++i, v >>= 4)
            s += hex[v & 15];
    }
    if (s.find_first_not_of('0') == std::string::npos)
        s.back() = '1'; // all zeros is the invalid id
    return s;
}

inline bool valid_id(std::string_view id, std::size_t digits)
{
    return id.size() == digits && id.find_first_not_of("0123456789abcdef") == std::string_view::npos &&
           id.find_first_not_of('0') != std::string_view::npos;
}

inline std::string unix_nanos(std::chrono::system_clock::time_point t)
{
    auto const ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    return std::to_string(ns < 0 ? 0 : ns); // OTLP/JSON writes 64-bit integers as strings
}

inline boost::json::object attribute(std::string_view key, std::string_view value)
{
    return {{"key", key}, {"value", {{"stringValue", value}}}};
}

inline boost::json::object attribute(std::string_view key, std::int64_t value)
{
    return {{"key", key}, {"value", {{"intValue", std::to_string(value)}}}};
}

/// error.type: the error kind's name.
inline std::string_view error_type(error_kind k)
{
    switch (k) {
    case error_kind::transport:
        return "transport";
    case error_kind::timeout:
        return "timeout";
    case error_kind::tls:
        return "tls";
    case error_kind::validation:
        return "validation";
    case error_kind::api:
        return "api";
    case error_kind::decode:
        return "decode";
    case error_kind::cancelled:
        return "cancelled";
    case error_kind::proxy:
        return "proxy";
    case error_kind::credentials:
        return "credentials";
    }
    return "error";
}

struct span_writer {
    std::string trace_id;
    boost::json::array spans;

    std::string add(std::string_view name, int kind, std::string_view parent,
                    std::chrono::system_clock::time_point start, std::chrono::nanoseconds duration,
                    boost::json::array attributes, int status_code = 0, std::string_view status_message = {})
    {
        auto id = random_hex(16);
        boost::json::object s{
            {"traceId", trace_id},
            {"spanId", id},
            {"name", name},
            {"kind", kind},
            {"startTimeUnixNano", unix_nanos(start)},
            {"endTimeUnixNano",
             unix_nanos(start + std::chrono::duration_cast<std::chrono::system_clock::duration>(duration))},
            {"attributes", std::move(attributes)},
        };
        if (!parent.empty())
            s["parentSpanId"] = parent;
        boost::json::object status{{"code", status_code}};
        if (!status_message.empty())
            status["message"] = status_message;
        s["status"] = std::move(status);
        spans.push_back(std::move(s));
        return id;
    }
};

} // namespace detail::otlp

RESTSCHEMA_DECL std::string to_otlp_json(call_trace const& t, otlp_options const& options)
{
    namespace o = detail::otlp;
    constexpr int internal = 1, client = 3; // SpanKind
    constexpr int ok = 1, failed = 2;       // StatusCode
    bool const join = o::valid_id(options.trace_id, 32) && o::valid_id(options.parent_span_id, 16);
    o::span_writer w{join ? options.trace_id : o::random_hex(32), {}};

    std::string const url =
        t.scheme + "://" + (t.server.find(':') != std::string::npos ? "[" + t.server + "]" : t.server) +
        ((t.scheme == "https" && t.port == "443") || (t.scheme == "http" && t.port == "80") ? std::string()
                                                                                            : ":" + t.port) +
        t.target;
    std::int64_t const port = [&] {
        std::int64_t p = 0;
        for (char c : t.port)
            p = (c >= '0' && c <= '9' && p < 65536) ? p * 10 + (c - '0') : p;
        return p;
    }();

    boost::json::array call_attrs{
        o::attribute("restschema.endpoint", t.endpoint), o::attribute("http.request.method", t.method),
        o::attribute("server.address", t.server), o::attribute("server.port", port),
        o::attribute("restschema.attempts", static_cast<std::int64_t>(t.attempts.size()))};
    if (t.status)
        call_attrs.push_back(o::attribute("http.response.status_code", t.status));
    if (t.error)
        call_attrs.push_back(o::attribute("error.type", o::error_type(*t.error)));
    auto const call_span =
        w.add(t.endpoint, internal, join ? std::string_view(options.parent_span_id) : std::string_view(),
              t.start, t.duration, std::move(call_attrs), t.error ? failed : ok,
              t.error ? std::string_view(t.error_message) : std::string_view());

    for (auto const& a : t.attempts) {
        boost::json::array attrs{
            o::attribute("http.request.method", t.method),
            o::attribute("url.full", url),
            o::attribute("server.address", t.server),
            o::attribute("server.port", port),
            o::attribute("restschema.endpoint", t.endpoint),
            o::attribute("restschema.connection_reused", a.reused_connection ? "true" : "false"),
            o::attribute("http.request.size", static_cast<std::int64_t>(a.bytes_sent)),
            o::attribute("http.response.size", static_cast<std::int64_t>(a.bytes_received))};
        if (a.attempt > 1)
            attrs.push_back(o::attribute("http.request.resend_count", a.attempt - 1));
        if (a.status)
            attrs.push_back(o::attribute("http.response.status_code", a.status));
        if (!t.proxy.empty())
            attrs.push_back(o::attribute("restschema.proxy", t.proxy));
        if (a.error)
            attrs.push_back(o::attribute("error.type", o::error_type(*a.error)));
        auto const attempt_span =
            w.add(t.method, client, call_span, a.start, a.duration, std::move(attrs), a.error ? failed : ok,
                  a.error ? std::string_view(a.error_message) : std::string_view());
        // The phases follow one another from the attempt's start.
        auto at = a.start;
        auto phase = [&](std::string_view name, std::chrono::nanoseconds d) {
            if (d.count() <= 0)
                return;
            w.add(name, internal, attempt_span, at, d, {});
            at += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
        };
        auto const& p = a.phases;
        phase("token", p.token);
        phase("resolve", p.resolve);
        phase("connect", p.connect);
        phase("proxy", p.proxy);
        phase("tls", p.tls);
        phase("send", p.send);
        phase("wait", p.wait);
        phase("receive", p.receive);
    }

    boost::json::object scope{{"name", "restschema"}, {"version", "0.1"}};
    boost::json::object request{
        {"resourceSpans",
         boost::json::array{boost::json::object{
             {"resource", boost::json::object{{"attributes", boost::json::array{o::attribute(
                                                                 "service.name", options.service_name)}}}},
             {"scopeSpans", boost::json::array{boost::json::object{{"scope", std::move(scope)},
                                                                   {"spans", std::move(w.spans)}}}}}}}};
    return boost::json::serialize(request);
}

} // namespace restschema
