// restschema/transport/session.hpp - the client's transport: not a template, compiled once.
//
// A session holds what a client keeps between calls: its options, the TLS
// context and the connection pool. It sends a bound request (a
// binding::wire_request) and runs the whole call: connect or reuse a
// connection, TLS, write, read under timeouts, retry by the policy, and map
// an error status onto the endpoint's error table. It knows no endpoint type:
// binding and decoding happen above it, in restschema::client.
#pragma once

#include <restschema/binding/request.hpp>
#include <restschema/binding/response.hpp>
#include <restschema/client_options.hpp>
#include <restschema/detail/config.hpp>
#include <restschema/error.hpp>
#include <restschema/error_table.hpp>
#include <restschema/transport/callback.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <mutex>
#include <string_view>

namespace restschema::transport {

/// The HTTP outcome of a call after its retries: a response of the 2xx family, or the error.
using outcome = result<binding::wire_response>;

/// Lets the caller end an asynchronous call in flight: the client connects
/// it to the completion handler's cancellation slot. Thread-safe; a request
/// that comes before the call has started cancels it as it starts, one that
/// comes after the call ended does nothing.
class cancellation {
  public:
    /// What a call in flight does when cancelled (the transport's call).
    struct target {
        virtual void cancel() = 0;

      protected:
        ~target() = default;
    };

    /// Cancels the call: it completes with error_kind::cancelled (unless it
    /// has completed already), closing its connection; nothing is retried.
    RESTSCHEMA_DECL void request();
    /// Connects the call; cancels it at once when a request came first.
    RESTSCHEMA_DECL void attach(std::weak_ptr<target> t);

  private:
    std::mutex mutex_;
    bool requested_ = false;
    std::weak_ptr<target> target_;
};

class session {
  public:
    /// `ex` runs asynchronous calls (may be empty: synchronous calls only).
    /// Empty base_url and api_version in `options` take the schema's defaults.
    RESTSCHEMA_DECL session(boost::asio::any_io_executor ex, client_options options,
                            std::string_view default_base_url, std::string_view default_version);
    RESTSCHEMA_DECL ~session();
    session(session const&) = delete;
    session& operator=(session const&) = delete;

    /// The options in effect (base_url and api_version filled in).
    [[nodiscard]] RESTSCHEMA_DECL client_options const& options() const noexcept;
    [[nodiscard]] RESTSCHEMA_DECL boost::asio::any_io_executor const& executor() const noexcept;
    /// What binding needs: version, base URL prefix, credentials.
    [[nodiscard]] RESTSCHEMA_DECL binding::bind_context bind_context() const noexcept;
    /// The base URL, parsed (empty host when setup_error() says why).
    [[nodiscard]] RESTSCHEMA_DECL restschema::detail::base_url const& base_url() const noexcept;
    /// Why the options cannot work (a bad base URL, an unreadable CA file), or null.
    [[nodiscard]] RESTSCHEMA_DECL error const* setup_error() const noexcept;

    /// Runs a call to the end on the session's private io_context. Calls from
    /// several threads run one at a time.
    [[nodiscard]] RESTSCHEMA_DECL outcome call(binding::wire_request const& request,
                                               error_table_view const& errors);

    /// Starts a call on the session's executor; `done` runs once, on an
    /// executor of the session, when the call ends. `cancel`, when given,
    /// can end it early.
    RESTSCHEMA_DECL void async_call(binding::wire_request request, error_table_view const& errors,
                                    callback<void(outcome)> done,
                                    std::shared_ptr<cancellation> cancel = nullptr);
    /// The same on `ex` (with sessions that have no executor of their own:
    /// a token source's request runs on the executor of the call asking).
    RESTSCHEMA_DECL void async_call_on(boost::asio::any_io_executor ex, binding::wire_request request,
                                       error_table_view const& errors, callback<void(outcome)> done,
                                       std::shared_ptr<cancellation> cancel = nullptr);

    struct state;

  private:
    std::shared_ptr<state> state_;
};

} // namespace restschema::transport

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#include <restschema/transport/impl/session.ipp>
#endif
