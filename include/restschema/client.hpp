// restschema/client.hpp - one generic Boost.Beast client for every described endpoint.
//
//   restschema::client<attestr::service> api({.credentials = {{"basic_token", token}}});
//   attestr::update_profile_request req;
//   req.profile_id = "PRF-1"; req.tag = "EMP-1"; req.name = "Asha";
//   auto r = api.try_call(req);            // restschema::result<boost::json::value>
//   if (!r && r.error().api_error<attestr::update_profile_error>() ==
//   attestr::update_profile_error::api_daily_limit) ...
//
// A call is three layers, one concern each: binding (restschema/binding/:
// the request struct -> method, target, headers, body; the only step besides
// decoding that depends on the endpoint), the transport
// (restschema/transport/session.hpp: pool, connect, TLS, timeouts, retries,
// error rows; not a template) and decoding the response into the endpoint's
// type. The request is validated first; nothing is sent for an invalid
// request.
//
// Header-only by default. Compiled once: define RESTSCHEMA_SEPARATE_COMPILATION
// everywhere and include <restschema/src.hpp> in one file, or link the CMake
// target restschema::compiled (see restschema/detail/config.hpp).
#pragma once

#include <restschema/binding/request.hpp>
#include <restschema/binding/response.hpp>
#include <restschema/client_options.hpp>
#include <restschema/error.hpp>
#include <restschema/error_table.hpp>
#include <restschema/meta.hpp>
#include <restschema/reply.hpp>
#include <restschema/transport/session.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>

#include <memory>
#include <utility>

namespace restschema {

template <class Service, class Endpoint>
class pager;

/// A client for one service (a generated `<api>::service` descriptor).
/// Thread safety: calls may be made from several threads. Synchronous calls
/// on one client run one at a time (they share its private io_context); for
/// concurrency use async_call or one client per thread. Connections are
/// pooled per client and never shared by two requests at once. Destroy the
/// client before the io_context of its executor.
template <class Service>
class client {
  public:
    using service_type = Service;

    /// A client for synchronous calls; it runs its own io_context inside call().
    explicit client(client_options options = {});

    /// A client for asynchronous calls, whose operations run on `ex`
    /// (synchronous calls remain available and use a private io_context).
    explicit client(boost::asio::any_io_executor ex, client_options options = {});

    /// Calls Endpoint. Returns the decoded response or the error; never throws
    /// for a failed call. `opts` overrides the client's options for this call
    /// (timeouts, retries, extra headers, the idempotency key).
    template <class Endpoint>
    [[nodiscard]] result<typename Endpoint::response> try_call(typename Endpoint::request const& request,
                                                               call_options const& opts = {});

    /// Calls the endpoint of a generated request type.
    template <class Request, class Endpoint = typename endpoint_of<Request>::type>
    [[nodiscard]] result<typename Endpoint::response> try_call(Request const& request,
                                                               call_options const& opts = {})
    {
        return try_call<Endpoint>(request, opts);
    }

    /// Calls Endpoint; throws restschema::exception on failure.
    template <class Endpoint>
    typename Endpoint::response call(typename Endpoint::request const& request, call_options const& opts = {})
    {
        return try_call<Endpoint>(request, opts).value();
    }

    template <class Request, class Endpoint = typename endpoint_of<Request>::type>
    typename Endpoint::response call(Request const& request, call_options const& opts = {})
    {
        return try_call<Endpoint>(request, opts).value();
    }

    /// Starts a call; completes with `void(restschema::result<Response>)`.
    /// Works with callbacks, asio::use_future and asio::use_awaitable.
    template <class Endpoint, class Token>
    auto async_call(typename Endpoint::request request, call_options opts, Token&& token);

    template <class Endpoint, class Token>
    auto async_call(typename Endpoint::request request, Token&& token)
    {
        return async_call<Endpoint>(std::move(request), call_options{}, std::forward<Token>(token));
    }

    template <class Request, class Token, class Endpoint = typename endpoint_of<Request>::type>
    auto async_call(Request request, Token&& token)
    {
        return async_call<Endpoint>(std::move(request), call_options{}, std::forward<Token>(token));
    }

    template <class Request, class Token, class Endpoint = typename endpoint_of<Request>::type>
    auto async_call(Request request, call_options opts, Token&& token)
    {
        return async_call<Endpoint>(std::move(request), std::move(opts), std::forward<Token>(token));
    }

    /// Calls Endpoint and keeps the whole success response: status, decoded
    /// body, the headers the schema declares (typed) and all headers as
    /// received (restschema/reply.hpp). Errors as try_call; an api error keeps
    /// its headers too (error::header).
    template <class Endpoint>
    [[nodiscard]] result<reply<Endpoint>> try_call_reply(typename Endpoint::request const& request,
                                                         call_options const& opts = {});

    template <class Request, class Endpoint = typename endpoint_of<Request>::type>
    [[nodiscard]] result<reply<Endpoint>> try_call_reply(Request const& request,
                                                         call_options const& opts = {})
    {
        return try_call_reply<Endpoint>(request, opts);
    }

    /// try_call_reply that throws restschema::exception on failure.
    template <class Request, class Endpoint = typename endpoint_of<Request>::type>
    reply<Endpoint> call_reply(Request const& request, call_options const& opts = {})
    {
        return try_call_reply<Endpoint>(request, opts).value();
    }

    /// Starts a call; completes with `void(restschema::result<restschema::reply<Endpoint>>)`.
    template <class Endpoint, class Token>
    auto async_call_reply(typename Endpoint::request request, call_options opts, Token&& token);

    template <class Request, class Token, class Endpoint = typename endpoint_of<Request>::type>
    auto async_call_reply(Request request, Token&& token)
    {
        return async_call_reply<Endpoint>(std::move(request), call_options{}, std::forward<Token>(token));
    }

    template <class Request, class Token, class Endpoint = typename endpoint_of<Request>::type>
    auto async_call_reply(Request request, call_options opts, Token&& token)
    {
        return async_call_reply<Endpoint>(std::move(request), std::move(opts), std::forward<Token>(token));
    }

    /// The options in effect (base_url and api_version filled in).
    [[nodiscard]] client_options const& options() const noexcept;

    /// The executor of asynchronous calls.
    [[nodiscard]] boost::asio::any_io_executor get_executor() const noexcept;

    /// Walks the pages of a paginated endpoint (restschema/pages.hpp):
    /// `for (auto& page : api.pages<E>(req))` or `co_await p.async_next(token)`.
    /// Defined in restschema/pages.hpp.
    template <class Endpoint>
    pager<Service, Endpoint> pages(typename Endpoint::request request, page_limits limits = {},
                                   call_options opts = {});

    template <class Request, class Endpoint = typename endpoint_of<Request>::type>
    pager<Service, Endpoint> pages(Request request, page_limits limits = {}, call_options opts = {})
    {
        return pages<Endpoint>(std::move(request), limits, std::move(opts));
    }

  private:
    template <class S, class E>
    friend class pager;

    /// try_call and try_call_reply: send a bound request, then `read` the success.
    template <class Endpoint, class R, class Read>
    result<R> sync_send(result<binding::wire_request> wire, Read read);

    /// async_call and async_call_reply: send a bound request, then `decode` the outcome.
    template <class Endpoint, class R, class Decode, class Token>
    auto async_start(result<binding::wire_request> wire, Decode decode, Token&& token);

    /// A page's request: bound, then pointed at `link` (from the page at `at`)
    /// when there is one; `at` becomes where this page comes from.
    template <class Endpoint>
    result<binding::wire_request> bind_page(typename Endpoint::request const& request,
                                            call_options const& opts, std::string_view link,
                                            binding::page_location& at) const;

    std::shared_ptr<transport::session> session_;
};

} // namespace restschema

#include <restschema/impl/client.hpp>
