// restschema/mock.hpp - a schema-driven mock HTTP server for generated endpoints.
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
// alone: method and path template, auth schemes, parameters (decoded with the
// codec, checked with validate_request, exactly as the client checks them),
// error table, update semantics and `mock:` block. Invalid requests get the
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

#include <restschema/error.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace restschema {

/// Resource limits of one mock connection.
struct mock_limits {
    std::size_t header_bytes = 8 * 1024;            ///< a larger request head is answered 431
    std::size_t body_bytes = 1024 * 1024;           ///< a larger request body is answered 413
    std::chrono::milliseconds idle_timeout{30'000}; ///< an idle connection is closed after this
};

struct mock_options {
    std::string host = "127.0.0.1"; ///< address to listen on
    unsigned short port = 0;        ///< 0: an ephemeral port (see mock_server::port())
    bool stateful = true;           ///< false: answer every valid request with the response example
    std::string seed_file;          ///< optional `{"<collection>": [records...]}` file
    /// Accepted credential per auth scheme id ("basic_token", "api_key", ...).
    /// A scheme without an entry accepts any well-formed, non-empty value.
    std::map<std::string, std::string, std::less<>> credentials;
    std::string fault; ///< per-run fault spec (see above); "" for none
    mock_limits limits;
    /// Receives each access-log line (without newline); empty: written to stderr.
    std::function<void(std::string_view)> access_log;
};

} // namespace restschema

#include <restschema/detail/mock_dispatch.hpp>

#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <set>
#include <iostream>
#include <mutex>

namespace restschema {

/// An in-process mock server for the endpoint descriptors in Endpoints
/// (a boost::mp11::mp_list, e.g. restschema::gen::all_endpoints).
template <class Endpoints>
class mock_server {
  public:
    explicit mock_server(mock_options options = {})
        : options_(std::move(options)),
          router_(std::make_unique<detail::mock_router<Endpoints, mock_options>>(options_))
    {
    }
    mock_server(mock_server const&) = delete;
    mock_server& operator=(mock_server const&) = delete;
    ~mock_server() { stop(); }

    /// Seeds the records, binds and serves on a background thread. Throws
    /// restschema::exception when the seed file or fault spec is invalid or
    /// the address cannot be bound (the message says which and why).
    void start()
    {
        if (http_)
            throw exception(
                detail::make_error(error_kind::validation, "mock_server::start: already started"));
        router_->init();
        detail::mock_http_config cfg;
        cfg.header_limit = options_.limits.header_bytes;
        cfg.body_limit = options_.limits.body_bytes;
        cfg.idle_timeout = options_.limits.idle_timeout;
        cfg.handler = [r = router_.get()](detail::mock_request& req) { return r->handle(req); };
        if (options_.access_log) {
            cfg.log = [sink = options_.access_log](std::string const& line) { sink(line); };
        } else {
            cfg.log = [](std::string const& line) {
                static std::mutex m;
                std::lock_guard lock(m);
                std::cerr << line << std::endl;
            };
        }
        auto http = std::make_unique<detail::mock_http_server>(std::move(cfg));
        http->listen(options_.host, options_.port);
        http->run();
        http_ = std::move(http);
    }

    /// The port it listens on (the ephemeral one when options.port was 0); 0 before start().
    [[nodiscard]] unsigned short port() const noexcept { return http_ ? http_->port() : 0; }

    /// "http://127.0.0.1:PORT" (the listening host; a wildcard host reads as loopback).
    [[nodiscard]] std::string base_url() const
    {
        std::string host = options_.host;
        if (host.empty() || host == "0.0.0.0")
            host = "127.0.0.1";
        else if (host == "::")
            host = "::1";
        if (host.find(':') != std::string::npos)
            host = "[" + host + "]";
        return "http://" + host + ":" + std::to_string(port());
    }

    /// Stops serving and joins the server thread (also done by the destructor).
    void stop()
    {
        if (http_) {
            http_->stop();
            http_.reset();
        }
    }

    /// Sets the per-run fault ("" clears it); thread-safe, takes effect for
    /// the next request. Throws restschema::exception for an invalid spec.
    void set_fault(std::string spec) { router_->set_fault(spec); }

    [[nodiscard]] mock_options const& options() const noexcept { return options_; }

    /// One line per served endpoint: "PUT /api/{version}/public/factx/{profileId}  attestr.update_profile".
    [[nodiscard]] static std::vector<std::string> endpoints()
    {
        std::vector<std::string> out;
        detail::mock_for_each_endpoint<Endpoints>([&](auto id) {
            using E = typename decltype(id)::type;
            out.push_back(std::string(E::method) + " " + std::string(E::path) + "  " +
                          std::string(E::service::name) + "." + std::string(E::id));
        });
        return out;
    }

  private:
    mock_options options_;
    std::unique_ptr<detail::mock_router<Endpoints, mock_options>> router_;
    std::unique_ptr<detail::mock_http_server> http_;
};

namespace detail {

template <class Endpoints>
std::string mock_usage(std::string_view prog)
{
    std::string schemes;
    mock_for_each_endpoint<Endpoints>([&](auto id) {
        using E = typename decltype(id)::type;
        for (auto const& a : E::service::auth)
            if (schemes.find(" " + std::string(a.id) + " ") == std::string::npos &&
                schemes.find(" " + std::string(a.id) + ",") == std::string::npos)
                schemes += " " + std::string(a.id) + " (" + std::string(E::service::name) + "),";
    });
    if (!schemes.empty())
        schemes.pop_back();
    return "usage: " + std::string(prog) +
           " [options]\n"
           "Serves every generated endpoint from its schema.\n"
           "  --host HOST            address to listen on (default 127.0.0.1)\n"
           "  --port PORT            port to listen on (default 8080; 0 = any free port)\n"
           "  --seed FILE            initial records: {\"<collection>\": [records...]}\n"
           "  --deterministic        answer every valid request with the schema's response example\n"
           "  --credential ID=VALUE  accept only VALUE for auth scheme ID (repeatable);\n"
           "                         without it any well-formed non-empty credential is accepted\n"
           "  --fault SPEC           inject faults: ';'-separated key=value pairs, keys:\n"
           "                         error=<row name>, status=<code>, retry_after=<seconds|HTTP-date>,\n"
           "                         latency=<ms>, drop=before-response|mid-response, body_bytes=<n>,\n"
           "                         times=<n>; per request: header X-Restschema-Mock-Fault: <spec>\n"
           "  --help                 show this text\n"
           "auth scheme ids:" +
           schemes + "\n";
}

} // namespace detail

/// The main() of a mock executable for Endpoints: parses the flags, serves
/// until SIGINT or SIGTERM. Exit status 0 after a clean stop, 1 when it
/// cannot start, 2 for bad flags.
template <class Endpoints>
int mock_main(int argc, char** argv)
{
    std::string_view const prog = argc > 0 && argv[0] ? std::string_view(argv[0]) : "restschema-mock";
    auto usage_error = [&](std::string const& msg) {
        std::cerr << prog << ": " << msg << "\n" << detail::mock_usage<Endpoints>(prog);
        return 2;
    };
    mock_options opt;
    opt.port = 8080;
    std::set<std::string, std::less<>> known_schemes;
    detail::mock_for_each_endpoint<Endpoints>([&](auto id) {
        using E = typename decltype(id)::type;
        for (auto const& a : E::service::auth)
            known_schemes.insert(std::string(a.id));
    });
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i] ? argv[i] : "";
        std::string value;
        bool has_value = false;
        if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
            value = std::string(arg.substr(eq + 1));
            arg = arg.substr(0, eq);
            has_value = true;
        }
        auto need_value = [&]() -> bool {
            if (has_value)
                return true;
            if (i + 1 >= argc)
                return false;
            value = argv[++i];
            return true;
        };
        if (arg == "--help" || arg == "-h") {
            std::cout << detail::mock_usage<Endpoints>(prog);
            return 0;
        } else if (arg == "--deterministic") {
            if (has_value)
                return usage_error("--deterministic takes no value");
            opt.stateful = false;
        } else if (arg == "--host") {
            if (!need_value() || value.empty())
                return usage_error("--host needs an address");
            opt.host = value;
        } else if (arg == "--port") {
            std::int64_t port = 0;
            if (!need_value() || !detail::mock_parse_uint(value, 0, 65535, port))
                return usage_error("--port needs a port number (0-65535)");
            opt.port = static_cast<unsigned short>(port);
        } else if (arg == "--seed") {
            if (!need_value() || value.empty())
                return usage_error("--seed needs a file");
            opt.seed_file = value;
        } else if (arg == "--credential") {
            if (!need_value())
                return usage_error("--credential needs ID=VALUE");
            auto const eq = value.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == value.size())
                return usage_error("--credential needs ID=VALUE");
            auto const scheme = value.substr(0, eq);
            if (!known_schemes.contains(scheme))
                return usage_error("--credential: unknown auth scheme \"" + detail::printable(scheme, 64) +
                                   "\"");
            opt.credentials[scheme] = value.substr(eq + 1);
        } else if (arg == "--fault") {
            if (!need_value())
                return usage_error("--fault needs a spec");
            opt.fault = value;
        } else {
            return usage_error("unknown option \"" + detail::printable(arg, 64) + "\"");
        }
    }

    if (!opt.fault.empty()) {
        try {
            detail::mock_router<Endpoints, mock_options> probe(opt);
            probe.set_fault(opt.fault);
        } catch (exception const& e) {
            return usage_error("--fault: " + e.error().message);
        }
    }

    // Signals are routed to this thread's io_context; set up before the server thread starts.
    boost::asio::io_context signals_ioc(1);
    boost::asio::signal_set signals(signals_ioc, SIGINT, SIGTERM);
    int stop_signal = 0;
    signals.async_wait([&](boost::system::error_code const& ec, int sig) {
        if (!ec)
            stop_signal = sig;
    });

    mock_server<Endpoints> server(opt);
    try {
        server.start();
    } catch (std::exception const& e) {
        std::cerr << prog << ": cannot start: " << e.what() << std::endl;
        return 1;
    }
    std::cout << "restschema-mock listening on " << server.base_url() << std::endl;
    for (auto const& line : server.endpoints())
        std::cout << "  " << line << "\n";
    std::cout << "  mode: " << (opt.stateful ? "stateful" : "deterministic") << std::endl;
    signals_ioc.run();
    server.stop();
    std::cerr << prog << ": stopped (signal " << stop_signal << ")" << std::endl;
    return 0;
}

} // namespace restschema
