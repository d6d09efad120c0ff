// restschema/transport/callback.hpp - a move-only, type-erased completion.
//
// What the transport calls when a call ends. Lighter to include than
// asio::any_completion_handler; the client turns it back into the caller's
// completion handler (its executor included) on its side of the boundary.
#pragma once

#include <memory>
#include <utility>

namespace restschema::transport {

template <class Signature>
class callback;

template <class... Args>
class callback<void(Args...)> {
  public:
    callback() = default;

    template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, callback>) callback(F f)
        : impl_(std::make_unique<holder<F>>(std::move(f)))
    {
    }

    explicit operator bool() const noexcept { return impl_ != nullptr; }

    /// Calls the target once; the callback is empty afterwards.
    void operator()(Args... args)
    {
        auto impl = std::move(impl_);
        impl->call(std::forward<Args>(args)...);
    }

  private:
    struct base {
        virtual ~base() = default;
        virtual void call(Args... args) = 0;
    };
    template <class F>
    struct holder final : base {
        explicit holder(F f) : fn(std::move(f)) {}
        void call(Args... args) override { std::move(fn)(std::forward<Args>(args)...); }
        F fn;
    };
    std::unique_ptr<base> impl_;
};

} // namespace restschema::transport
