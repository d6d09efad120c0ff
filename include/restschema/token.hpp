// restschema/token.hpp - credentials fetched when a call needs them (rotating tokens, OAuth2).
//
//   restschema::client_options o;
//   o.token_sources["token"] = restschema::token_from([&](restschema::token_request const& r) {
//       return vault.current_token(r.rejected); // a fresh one when r.rejected is set
//   });
//
// A scheme with a token source asks it before every attempt of a call that
// needs the credential, instead of reading client_options::credentials. When
// the service answers 401, the client asks once more, naming the token it
// refused (token_request::rejected), and sends the request again, once: a
// second 401 is the call's error, never a loop. The token is placed where
// the scheme says (a header or the query; a token for the path or the body
// is a validation error) and is masked like any credential in logs, errors
// and traces. restschema/oauth2.hpp ships a client-credentials source.
#pragma once

#include <restschema/transport/callback.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace restschema {

/// What a token source is asked for.
struct token_request {
    std::string_view scheme{}; ///< the auth scheme id, the key in client_options::token_sources
    /// Not empty: the service refused this token (HTTP 401). Give another
    /// one; giving it again makes the call fail with that 401.
    std::string_view rejected{};
};

/// Where a token source answers, exactly once, from any thread: with the
/// token, or with why there is none. Move-only. Dropped without an answer
/// (a source that loses it), the call fails with error_kind::credentials
/// instead of waiting for ever; an answer after the first is ignored.
class token_callback {
  public:
    /// What the transport gives: the token, or "" and the problem.
    using function = transport::callback<void(std::string token, std::string problem)>;

    token_callback() = default;
    explicit token_callback(function f) : f_(std::move(f)) {}
    token_callback(token_callback&& o) noexcept = default;
    token_callback& operator=(token_callback&& o) noexcept
    {
        if (this != &o) {
            abandon();
            f_ = std::move(o.f_);
        }
        return *this;
    }
    token_callback(token_callback const&) = delete;
    token_callback& operator=(token_callback const&) = delete;
    ~token_callback() { abandon(); }

    /// The token: sent as the scheme says ("Bearer <token>" for bearer).
    void operator()(std::string token)
    {
        if (f_)
            f_(std::move(token), {});
    }
    /// No token: the call fails with error_kind::credentials and `problem`
    /// in its message (write no secret in it).
    void fail(std::string problem)
    {
        if (f_)
            f_({}, problem.empty() ? std::string("the token source failed") : std::move(problem));
    }
    /// Still waiting for its answer.
    explicit operator bool() const noexcept { return static_cast<bool>(f_); }

  private:
    void abandon()
    {
        if (f_)
            f_({}, "the token source dropped the request without answering");
    }
    function f_;
};

/// Gives credentials on demand. Implementations must be thread-safe: calls
/// from several threads and clients may ask at once.
class token_source {
  public:
    virtual ~token_source() = default;
    /// Answers `done` once, now or later. `ex` is the executor of the call
    /// that asks (a synchronous call's own, run until the call ends):
    /// asynchronous work of the source may run on it.
    virtual void async_get(token_request const& request, boost::asio::any_io_executor const& ex,
                           token_callback done) = 0;
};

namespace detail {
class sync_token_source final : public token_source {
  public:
    explicit sync_token_source(std::function<std::string(token_request const&)> get) : get_(std::move(get)) {}
    void async_get(token_request const& request, boost::asio::any_io_executor const&,
                   token_callback done) override
    {
        std::string token;
        try {
            token = get_(request);
        } catch (std::exception const& x) {
            return done.fail(std::string("the token source threw: ") + x.what());
        } catch (...) {
            return done.fail("the token source threw an exception that is not a std::exception");
        }
        if (token.empty())
            return done.fail("the token source gave an empty token");
        done(std::move(token));
    }

  private:
    std::function<std::string(token_request const&)> get_;
};

class async_token_source final : public token_source {
  public:
    explicit async_token_source(std::function<void(token_request const&, token_callback)> start)
        : start_(std::move(start))
    {
    }
    void async_get(token_request const& request, boost::asio::any_io_executor const&,
                   token_callback done) override
    {
        try {
            start_(request, std::move(done));
        } catch (...) {
            // `done` went into the throwing call: destroyed unanswered, it
            // has failed the call already.
        }
    }

  private:
    std::function<void(token_request const&, token_callback)> start_;
};
} // namespace detail

/// A source that calls `get` for each token, on the thread of the call that
/// asks: keep it quick (cache in it). It may throw; an exception or an
/// empty string fails the call with error_kind::credentials.
inline std::shared_ptr<token_source> token_from(std::function<std::string(token_request const&)> get)
{
    return std::make_shared<detail::sync_token_source>(std::move(get));
}

/// A source that starts fetching a token and answers `done` later, from any
/// thread (a vault client, a refresh running elsewhere).
inline std::shared_ptr<token_source>
token_from_async(std::function<void(token_request const&, token_callback)> start)
{
    return std::make_shared<detail::async_token_source>(std::move(start));
}

} // namespace restschema
