// restschema/mock/server.hpp - an in-process mock server.
#pragma once

#include <restschema/error.hpp>
#include <restschema/mock/endpoint.hpp>
#include <restschema/mock/http.hpp>
#include <restschema/mock/options.hpp>
#include <restschema/mock/router.hpp>

#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace restschema::mock {

/// A mock server for a list of endpoint descriptions (see server<Endpoints>).
class basic_server {
  public:
    basic_server(endpoint_list endpoints, options opt = {})
        : options_(std::move(opt)), router_(std::make_unique<router>(endpoints, options_))
    {
    }
    basic_server(basic_server const&) = delete;
    basic_server& operator=(basic_server const&) = delete;
    ~basic_server() { stop(); }

    /// Seeds the records, binds and serves on a background thread. Throws
    /// restschema::exception when the seed file or fault spec is invalid or
    /// the address cannot be bound (the message says which and why).
    void start()
    {
        if (http_)
            throw exception(restschema::detail::make_error(error_kind::validation,
                                                           "mock_server::start: already started"));
        router_->init();
        detail::http_config cfg;
        cfg.header_limit = options_.limits.header_bytes;
        cfg.body_limit = options_.limits.body_bytes;
        cfg.idle_timeout = options_.limits.idle_timeout;
        cfg.gzip_min_size = options_.gzip_min_size;
        cfg.handler = [r = router_.get()](request& req) { return r->handle(req); };
        if (options_.access_log) {
            cfg.log = [sink = options_.access_log](std::string const& line) { sink(line); };
        } else {
            cfg.log = [](std::string const& line) {
                static std::mutex m;
                std::lock_guard lock(m);
                std::cerr << line << std::endl;
            };
        }
        auto http = std::make_unique<detail::http_server>(std::move(cfg));
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

    /// The tokens issued by the token endpoint (options.token_endpoint) stop
    /// being accepted, as when an authorization server revokes them.
    void revoke_tokens() { router_->tokens().revoke_all(); }

    [[nodiscard]] mock::options const& options() const noexcept { return options_; }

    /// One line per served endpoint: "PUT /api/{version}/public/factx/{profileId}  attestr.update_profile".
    [[nodiscard]] static std::vector<std::string> describe(endpoint_list endpoints)
    {
        std::vector<std::string> out;
        for (auto const* ep : endpoints)
            out.push_back(std::string(ep->method) + " " + std::string(ep->path) + "  " +
                          std::string(ep->service->name) + "." + std::string(ep->id));
        return out;
    }

  private:
    mock::options options_;
    std::unique_ptr<router> router_;
    std::unique_ptr<detail::http_server> http_;
};

/// An in-process mock server for the endpoint descriptors in Endpoints
/// (a boost::mp11::mp_list, e.g. restschema::gen::all_endpoints).
template <class Endpoints>
class server : public basic_server {
  public:
    explicit server(mock::options opt = {}) : basic_server(endpoints_of<Endpoints>, std::move(opt)) {}

    /// One line per served endpoint: "PUT /api/{version}/public/factx/{profileId}  attestr.update_profile".
    [[nodiscard]] static std::vector<std::string> endpoints() { return describe(endpoints_of<Endpoints>); }
};

} // namespace restschema::mock
