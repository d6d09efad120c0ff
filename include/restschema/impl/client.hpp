// restschema/impl/client.hpp - template bodies of restschema/client.hpp: bind, send, decode.
#pragma once

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <stdexcept>

namespace restschema {

template <class Service>
client<Service>::client(client_options options)
    : session_(std::make_shared<transport::session>(boost::asio::any_io_executor(), std::move(options),
                                                    Service::base_url, Service::default_version))
{
}

template <class Service>
client<Service>::client(boost::asio::any_io_executor ex, client_options options)
    : session_(std::make_shared<transport::session>(std::move(ex), std::move(options), Service::base_url,
                                                    Service::default_version))
{
}

template <class Service>
client_options const& client<Service>::options() const noexcept
{
    return session_->options();
}

template <class Service>
boost::asio::any_io_executor client<Service>::get_executor() const noexcept
{
    return session_->executor();
}

namespace detail {
/// The request laid out for the wire, or why not (setup or validation).
template <class Endpoint>
result<binding::wire_request> bind_for(transport::session const& s, typename Endpoint::request const& request,
                                       call_options const& opts)
{
    if (auto const* e = s.setup_error())
        return *e;
    auto ctx = s.bind_context();
    if (opts.format)
        ctx.format = *opts.format;
    auto w = binding::bind<Endpoint>(request, ctx);
    if (w)
        if (auto applied = binding::apply_call_options(*w, opts); !applied)
            return std::move(applied.error());
    return w;
}
} // namespace detail

namespace detail {
/// The two ways to read a success: the decoded body, or the whole reply.
template <class Endpoint>
struct read_value {
    result<typename Endpoint::response> operator()(binding::wire_response& w,
                                                   std::vector<std::string> const& secrets,
                                                   binding::body_reading const& how) const
    {
        return binding::decode_response<Endpoint>(w, secrets, how);
    }
};
template <class Endpoint>
struct read_reply {
    result<reply<Endpoint>> operator()(binding::wire_response& w, std::vector<std::string> const& secrets,
                                       binding::body_reading const& how) const
    {
        return binding::decode_reply<Endpoint>(std::move(w), secrets, how);
    }
};
} // namespace detail

template <class Service>
template <class Endpoint, class R, class Read>
result<R> client<Service>::sync_send(result<binding::wire_request> wire, Read read)
{
    static_assert(std::is_same_v<typename Endpoint::service, Service>,
                  "this endpoint belongs to another service");
    if (!wire)
        return std::move(wire.error());
    binding::body_reading const how{wire->format, wire->max_body_size};
    auto out = session_->call(*wire, error_table_of<Endpoint>());
    if (!out) {
        auto e = std::move(out.error());
        binding::detail::read_xml_error(e, error_table_of<Endpoint>(), how, wire->secrets);
        return e;
    }
    return read(*out, wire->secrets, how);
}

template <class Service>
template <class Endpoint>
result<binding::wire_request> client<Service>::bind_page(typename Endpoint::request const& request,
                                                         call_options const& opts, std::string_view link,
                                                         binding::page_location& at) const
{
    auto wire = detail::bind_for<Endpoint>(*session_, request, opts);
    if (!wire)
        return wire;
    if (!link.empty())
        if (auto followed = binding::follow_link(*wire, link, session_->base_url(), at); !followed)
            return std::move(followed.error());
    at.origin = wire->origin;
    at.target = wire->target;
    return wire;
}

template <class Service>
template <class Endpoint>
result<typename Endpoint::response> client<Service>::try_call(typename Endpoint::request const& request,
                                                              call_options const& opts)
{
    return sync_send<Endpoint, typename Endpoint::response>(
        detail::bind_for<Endpoint>(*session_, request, opts), detail::read_value<Endpoint>{});
}

template <class Service>
template <class Endpoint>
result<reply<Endpoint>> client<Service>::try_call_reply(typename Endpoint::request const& request,
                                                        call_options const& opts)
{
    return sync_send<Endpoint, reply<Endpoint>>(detail::bind_for<Endpoint>(*session_, request, opts),
                                                detail::read_reply<Endpoint>{});
}

template <class Service>
template <class Endpoint, class Token>
auto client<Service>::async_call(typename Endpoint::request request, call_options opts, Token&& token)
{
    return async_start<Endpoint, typename Endpoint::response>(
        detail::bind_for<Endpoint>(*session_, request, opts), detail::read_value<Endpoint>{},
        std::forward<Token>(token));
}

template <class Service>
template <class Endpoint, class Token>
auto client<Service>::async_call_reply(typename Endpoint::request request, call_options opts, Token&& token)
{
    return async_start<Endpoint, reply<Endpoint>>(detail::bind_for<Endpoint>(*session_, request, opts),
                                                  detail::read_reply<Endpoint>{}, std::forward<Token>(token));
}

template <class Service>
template <class Endpoint, class R, class Decode, class Token>
auto client<Service>::async_start(result<binding::wire_request> bound, Decode decode, Token&& token)
{
    static_assert(std::is_same_v<typename Endpoint::service, Service>,
                  "this endpoint belongs to another service");
    return boost::asio::async_initiate<Token, void(result<R>)>(
        [s = session_, decode](auto handler, result<binding::wire_request> wire) {
            auto ex = s->executor();
            if (!ex)
                throw std::logic_error(
                    "restschema::client: async_call needs a client constructed with an executor");
            // The handler's executor stays busy until the handler has run.
            auto work = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler, ex));
            if (!wire) {
                // Never completes inside the initiating call.
                auto hex = work.get_executor();
                boost::asio::post(hex,
                                  [h = std::move(handler), e = wire.error(), w = std::move(work)]() mutable {
                                      std::move(h)(result<R>(std::move(e)));
                                  });
                return;
            }
            auto secrets = wire->secrets;
            binding::body_reading const how{wire->format, wire->max_body_size};
            // Per-operation cancellation: a connected slot (bind_cancellation_slot,
            // awaitable operators) can end the call in flight.
            auto slot = boost::asio::get_associated_cancellation_slot(handler);
            std::shared_ptr<transport::cancellation> cancel;
            if (slot.is_connected()) {
                cancel = std::make_shared<transport::cancellation>();
                slot.assign([c = cancel](boost::asio::cancellation_type type) {
                    if (type != boost::asio::cancellation_type::none)
                        c->request();
                });
            }
            s->async_call(
                std::move(*wire), error_table_of<Endpoint>(),
                [h = std::move(handler), w = std::move(work), secrets = std::move(secrets), decode, how,
                 slot](transport::outcome o) mutable {
                    if (slot.is_connected())
                        slot.clear();
                    auto r = o ? decode(*o, secrets, how) : [&] {
                        auto e = o.error();
                        binding::detail::read_xml_error(e, error_table_of<Endpoint>(), how, secrets);
                        return result<R>(std::move(e));
                    }();
                    auto hex = w.get_executor();
                    boost::asio::dispatch(hex, [h = std::move(h), r = std::move(r),
                                                w = std::move(w)]() mutable { std::move(h)(std::move(r)); });
                },
                std::move(cancel));
        },
        token, std::move(bound));
}

} // namespace restschema
