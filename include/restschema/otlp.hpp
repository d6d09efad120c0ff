// restschema/otlp.hpp - a call's trace as OpenTelemetry spans, one JSON line.
//
//   std::ofstream spans("spans.jsonl", std::ios::app);
//   restschema::client_options o;
//   o.trace = [&](restschema::call_trace const& t) { spans << restschema::to_otlp_json(t) << '\n'; };
//
// Each line is an OTLP/JSON ExportTraceServiceRequest (the JSON mapping of
// the OpenTelemetry protocol), the format an OpenTelemetry Collector reads
// from a file (its otlpjsonfile receiver) or from POST /v1/traces. A call is
// one span of kind INTERNAL named after the endpoint; each attempt is a
// CLIENT span under it, named after the method, with the HTTP semantic
// conventions' attributes (http.request.method, url.full, server.address,
// server.port, http.response.status_code, http.request.resend_count,
// error.type); each phase of an attempt that took time (resolve, connect,
// proxy, tls, send, wait, receive) is an INTERNAL span under the attempt.
// The trace carries nothing secret (restschema/trace.hpp), so neither does this.
#pragma once

#include <restschema/detail/config.hpp>
#include <restschema/trace.hpp>

#include <string>

namespace restschema {

struct otlp_options {
    std::string service_name = "restschema-client"; ///< the resource's service.name
    /// The trace to join: 32 lower-case hex digits, with parent_span_id (16)
    /// the span the call's span goes under. Empty: a new trace, the call's
    /// span its root. Ids that are not hex of the right length are replaced
    /// by new ones.
    std::string trace_id{};
    std::string parent_span_id{};
};

/// One line of OTLP/JSON (no trailing newline) holding the call's spans.
[[nodiscard]] std::string to_otlp_json(call_trace const& trace, otlp_options const& options = {});

} // namespace restschema

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/impl/otlp.ipp>
#endif
