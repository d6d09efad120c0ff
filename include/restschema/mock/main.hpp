// restschema/mock/main.hpp - the main() of a mock executable.
#pragma once

#include <restschema/detail/text.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/mock/server.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdint>
#include <iostream>
#include <set>
#include <string>
#include <string_view>

namespace restschema::mock {

/// The --help text of a mock executable serving `endpoints`.
inline std::string usage(endpoint_list endpoints, std::string_view prog)
{
    std::string schemes;
    for (auto const* ep : endpoints)
        for (auto const& a : ep->service->auth)
            if (schemes.find(" " + std::string(a.id) + " ") == std::string::npos &&
                schemes.find(" " + std::string(a.id) + ",") == std::string::npos)
                schemes += " " + std::string(a.id) + " (" + std::string(ep->service->name) + "),";
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
           "  --token-endpoint PATH  also be an OAuth2 token endpoint (client credentials) at PATH;\n"
           "                         bearer schemes without --credential then accept only its tokens\n"
           "  --token-client ID:SECRET  the one client the token endpoint accepts (default: any)\n"
           "  --token-lifetime SECONDS  lifetime of each token issued (default 3600)\n"
           "  --gzip-min-size BYTES  gzip response bodies of at least BYTES when the request\n"
           "                         accepts gzip (default 1024)\n"
           "  --no-gzip              never gzip a response\n"
           "  --help                 show this text\n"
           "auth scheme ids:" +
           schemes + "\n";
}

/// The main() of a mock executable serving `endpoints`: parses the flags,
/// serves until SIGINT or SIGTERM. Exit status 0 after a clean stop, 1 when
/// it cannot start, 2 for bad flags.
inline int run(endpoint_list endpoints, int argc, char** argv)
{
    using restschema::detail::printable;
    std::string_view const prog = argc > 0 && argv[0] ? std::string_view(argv[0]) : "restschema-mock";
    auto usage_error = [&](std::string const& msg) {
        std::cerr << prog << ": " << msg << "\n" << usage(endpoints, prog);
        return 2;
    };
    options opt;
    opt.port = 8080;
    std::set<std::string, std::less<>> known_schemes;
    for (auto const* ep : endpoints)
        for (auto const& a : ep->service->auth)
            known_schemes.insert(std::string(a.id));
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
            std::cout << usage(endpoints, prog);
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
            if (!need_value() || !restschema::detail::parse_uint(value, 0, 65535, port))
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
                return usage_error("--credential: unknown auth scheme \"" + printable(scheme, 64) + "\"");
            opt.credentials[scheme] = value.substr(eq + 1);
        } else if (arg == "--token-endpoint") {
            if (!need_value() || !value.starts_with("/") || value.find_first_of("?# ") != std::string::npos)
                return usage_error("--token-endpoint needs a path such as /oauth/token");
            opt.token_endpoint.path = value;
        } else if (arg == "--token-client") {
            auto const colon = need_value() ? value.find(':') : std::string::npos;
            if (colon == std::string::npos || colon == 0)
                return usage_error("--token-client needs ID:SECRET");
            opt.token_endpoint.client_id = value.substr(0, colon);
            opt.token_endpoint.client_secret = value.substr(colon + 1);
        } else if (arg == "--token-lifetime") {
            std::int64_t secs = 0;
            if (!need_value() || !restschema::detail::parse_uint(value, 1, 100'000'000, secs))
                return usage_error("--token-lifetime needs a number of seconds (1 or more)");
            opt.token_endpoint.lifetime = std::chrono::seconds(secs);
        } else if (arg == "--no-gzip") {
            if (has_value)
                return usage_error("--no-gzip takes no value");
            opt.gzip_min_size = SIZE_MAX;
        } else if (arg == "--gzip-min-size") {
            std::int64_t bytes = 0;
            if (!need_value() || !restschema::detail::parse_uint(value, 0, INT64_MAX, bytes))
                return usage_error("--gzip-min-size needs a number of bytes");
            opt.gzip_min_size = static_cast<std::size_t>(bytes);
        } else if (arg == "--fault") {
            if (!need_value())
                return usage_error("--fault needs a spec");
            opt.fault = value;
        } else {
            return usage_error("unknown option \"" + printable(arg, 64) + "\"");
        }
    }

    if (opt.token_endpoint.path.empty() &&
        (!opt.token_endpoint.client_id.empty() || opt.token_endpoint.lifetime != std::chrono::seconds(3600)))
        return usage_error("--token-client and --token-lifetime need --token-endpoint");
    if (!opt.fault.empty()) {
        try {
            router probe(endpoints, opt);
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

    basic_server server(endpoints, opt);
    try {
        server.start();
    } catch (std::exception const& e) {
        std::cerr << prog << ": cannot start: " << e.what() << std::endl;
        return 1;
    }
    std::cout << "restschema-mock listening on " << server.base_url() << std::endl;
    for (auto const& line : basic_server::describe(endpoints))
        std::cout << "  " << line << "\n";
    if (!opt.token_endpoint.path.empty())
        std::cout << "  POST " << opt.token_endpoint.path << "  OAuth2 token endpoint (client credentials)\n";
    std::cout << "  mode: " << (opt.stateful ? "stateful" : "deterministic") << std::endl;
    signals_ioc.run();
    server.stop();
    std::cerr << prog << ": stopped (signal " << stop_signal << ")" << std::endl;
    return 0;
}

/// The main() of a mock executable for the endpoint descriptors in Endpoints:
///   int main(int argc, char** argv) { return restschema::mock::main<restschema::gen::all_endpoints>(argc,
///   argv); }
template <class Endpoints>
int main(int argc, char** argv)
{
    return run(endpoints_of<Endpoints>, argc, argv);
}

} // namespace restschema::mock
