// restschema/mock.hpp - a schema-driven mock HTTP server for generated endpoints:
// the umbrella header of the mock component (restschema/mock/, namespace
// restschema::mock, CMake target restschema::mock).
//
//   restschema::mock_server<restschema::gen::all_endpoints> mock({.credentials = {{"basic_token", "tok"}}});
//   mock.start();                        // ephemeral loopback port, background thread
//   client_options o; o.base_url = mock.base_url();
//   ...
//   mock.set_fault("error=api_rate_limit;retry_after=1;times=2");
//
// and a whole mock executable is one line:
//
//   int main(int argc, char** argv) { return restschema::mock_main<restschema::gen::all_endpoints>(argc,
//   argv); }
//
// Every endpoint of the list is served through its generated descriptor
// alone: method and path template, auth schemes, parameters (decoded and
// checked with the codec's and validate_request's rules and messages, as the
// client checks them), error table, update semantics and `mock:` block. The
// descriptors become constant tables (restschema/mock/endpoint.hpp) read by
// one non-template router, so an endpoint adds data, not code, to a mock.
// The mock data and examples come from restschema::endpoint_mock<E> and
// restschema::endpoint_docs<E>: include the generated extras headers. Invalid requests get the
// service's documented error, chosen from its error table:
//
//   credentials missing, malformed or not the configured ones -> the first row with status 401
//   malformed JSON, wrong types, missing fields, bad formats   -> the first row with status 400
//   unknown record                                              -> the row of `mock.not_found`
//   owner secret mismatch                                       -> the row of `mock.owner_secret.error`
//
// with the service's error envelope as body (`{"code":4001,"message":"<row
// message>","details":"<what exactly was wrong>"}`), or `{"error":"<row
// message>","details":"..."}` for services without one. An unknown path is
// 404, a known path with another method 405 (with Allow), a format suffix
// other than the schema's constant (`.xml`) 406; these bodies are
// `{"error":...,"details":...}` too. Request heads over limits.header_bytes
// get 431, bodies over limits.body_bytes 413, malformed HTTP 400; the
// connection is then closed and the server keeps serving the others.
//
// Stateful mode (the default) keeps records in memory per `mock.collection`,
// keyed by the record field `mock.key` (compared as text: path "12" matches
// 12). They start as `mock.seed`, else the response example (without its
// envelope), else what a seed file gives: `{"<collection>": [records...]}`.
// PUT and PATCH apply the request's body fields following the schema's
// update semantics (absent fields ignored, a blank string truncates, list
// items with the item key update that item, with the destroy flag delete it,
// without a key are appended with the next integer id); without stated
// semantics the fields present replace the stored ones. Credentials and the
// owner secret are never stored. The answer is the new record, in the
// response envelope, with the endpoint's success status. Deterministic mode
// (stateful = false, --deterministic) answers every valid request with the
// schema's response example.
//
// Fault injection. A fault spec is `;`-separated `key=value` pairs:
//
//   error=<row name>        answer that row of the endpoint's error table (e.g. api_rate_limit -> 429/4292)
//   status=<code>           answer a bare status (200-599) with the body `{}` (e.g. 503)
//   retry_after=<value>     add `Retry-After: <value>`: delta-seconds or an HTTP-date
//   latency=<ms>            wait this long before answering (other connections are not held up)
//   drop=before-response    close the connection without answering
//   drop=mid-response       send the status line, the headers (Content-Length larger than what
//                           follows) and part of the body, then close
//   body_bytes=<n>          pad a success body with trailing whitespace to at least n bytes
//   times=<n>               per-run only: the next n requests it applies to get it, then it clears
//
// Per request, send the header `X-Restschema-Mock-Fault: <spec>`; per run,
// set mock_options::fault / `--fault <spec>` or call set_fault() at any time.
// A per-run `error=` applies only to endpoints that have that row. An
// unknown key, a bad value or an unknown row name is a 400 naming the
// problem (header) or a startup error (flag, options, set_fault throws).
//
// Access log: one line per request (method, target, status, duration) to
// the sink (default stderr). Path segments and query values that carry
// credentials or sensitive parameters are replaced by "***"; headers and
// bodies are never logged; unmatched targets are logged as sent, cut at 200
// characters, with control characters escaped.
#pragma once

#include <restschema/mock/endpoint.hpp>
#include <restschema/mock/fault.hpp>
#include <restschema/mock/http.hpp>
#include <restschema/mock/main.hpp>
#include <restschema/mock/options.hpp>
#include <restschema/mock/router.hpp>
#include <restschema/mock/server.hpp>
#include <restschema/mock/state.hpp>

namespace restschema {

// The names before the mock had a namespace of its own.
using mock_limits = mock::limits;
using mock_options = mock::options;
template <class Endpoints>
using mock_server = mock::server<Endpoints>;

/// The main() of a mock executable for Endpoints (see mock::main).
template <class Endpoints>
int mock_main(int argc, char** argv)
{
    return mock::main<Endpoints>(argc, argv);
}

} // namespace restschema
