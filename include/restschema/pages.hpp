// restschema/pages.hpp - walking the pages of a paginated endpoint.
//
//   auto pages = api.pages(req, {.max_pages = 50});      // restschema::pager
//   for (auto& page : pages) {                            // result<page<E>>&
//       if (!page) { report(page.error()); break; }       // error().page: which page
//       for (auto& note : page->items()) use(note);
//   }
//
//   // asynchronous, with any completion token (here a coroutine):
//   while (!pages.done()) {
//       auto page = co_await pages.async_next(asio::use_awaitable);
//       ...
//   }
//
// The schema says how the endpoint pages (`pagination:` of the endpoint,
// docs/schema-format.md): a `Link: <...>; rel="next"` header, a cursor in
// the body sent back in a request parameter, or page numbers. The walk
// ends after the last page, at a limit of page_limits, or after an error:
// the error is the walk's last element, never thrown, and says on which
// page it happened (error::page). A cursor or a link that repeats ends the
// walk with an error instead of a loop. Credentials are never sent to a
// next link on another origin.
#pragma once

#include <restschema/client.hpp>
#include <restschema/detail/link_header.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/pagination.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include <cstdint>
#include <iterator>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace restschema {

/// An endpoint whose schema says how it pages.
template <class E>
concept paginated_endpoint = endpoint_descriptor<E> && requires
{
    typename E::pagination;
    {
        E::pagination::style
        } -> std::convertible_to<page_style>;
    typename E::pagination::items;
};

/// The items list of a page of E: a std::vector of the item type.
template <class E>
using page_items_t =
    std::remove_pointer_t<decltype(E::pagination::items::find(std::declval<typename E::response&>()))>;

/// One page of a walk: the whole reply (status, value, headers) and its number.
template <class E>
struct page : reply<E> {
    std::size_t number = 0; ///< 1 for the first page of the walk

    /// The items of this page (cut to page_limits::max_items on the last one).
    [[nodiscard]] std::span<typename page_items_t<E>::value_type> items() noexcept
    {
        if (auto* v = E::pagination::items::find(this->value))
            return {v->data(), v->size()};
        return {};
    }
    [[nodiscard]] std::span<typename page_items_t<E>::value_type const> items() const noexcept
    {
        if (auto const* v = E::pagination::items::find(this->value))
            return {v->data(), v->size()};
        return {};
    }
};

/// A walk over the pages of endpoint E, from a first request. Not copyable
/// while a page is being fetched: keep it alive and in place until
/// async_next completes. A pager is used by one thread at a time.
template <class Service, class E>
class pager {
    static_assert(paginated_endpoint<E>, "this endpoint has no `pagination:` in its schema");
    using rules = typename E::pagination;

  public:
    using value_type = result<page<E>>;

    pager(client<Service>& api, typename E::request first, page_limits limits, call_options opts)
        : api_(&api), request_(std::move(first)), limits_(limits), opts_(std::move(opts))
    {
        if constexpr (rules::style == page_style::cursor) {
            if (auto const* c = rules::cursor::find(request_))
                seen_.insert(key_of(*c));
        }
        if constexpr (rules::style == page_style::page) {
            if (auto const* n = rules::page::find(request_))
                page_number_ = static_cast<std::int64_t>(*n);
            else
                page_number_ = first_page();
        }
    }

    /// True once the walk is over: after the last page, a limit or an error.
    [[nodiscard]] bool done() const noexcept { return done_; }
    /// Pages fetched so far (errors included).
    [[nodiscard]] std::size_t pages() const noexcept { return pages_; }
    /// Items delivered so far.
    [[nodiscard]] std::size_t items() const noexcept { return items_; }

    /// Fetches the next page. After done(), an error of kind validation.
    value_type next()
    {
        if (auto e = refuse())
            return std::move(*e);
        std::string link = next_link_;
        return advance(api_->template sync_send<E, reply<E>>(
            api_->template bind_page<E>(request_, opts_, link, at_), read_page{&links_}));
    }

    /// Starts fetching the next page; completes with `void(result<page<E>>)`
    /// (callbacks, use_future, use_awaitable). The handler's cancellation
    /// slot reaches the call in flight.
    template <class Token>
    auto async_next(Token&& token)
    {
        return boost::asio::async_initiate<Token, void(value_type)>(
            [this](auto handler) {
                auto const ex = boost::asio::get_associated_executor(handler, api_->get_executor());
                if (auto e = refuse()) {
                    boost::asio::post(ex, [h = std::move(handler), e = std::move(*e)]() mutable {
                        std::move(h)(value_type(std::move(e)));
                    });
                    return;
                }
                auto slot = boost::asio::get_associated_cancellation_slot(handler);
                auto done = [this, h = std::move(handler)](result<reply<E>> r) mutable {
                    std::move(h)(advance(std::move(r)));
                };
                api_->template async_start<E, reply<E>>(
                    api_->template bind_page<E>(request_, opts_, next_link_, at_), read_page{&links_},
                    boost::asio::bind_cancellation_slot(slot,
                                                        boost::asio::bind_executor(ex, std::move(done))));
            },
            token);
    }

    /// Input iterator: each element is the result of one page.
    class iterator {
      public:
        using value_type = pager::value_type;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        explicit iterator(pager* p) : p_(p) {}
        value_type& operator*() const { return *p_->current_; }
        value_type* operator->() const { return &*p_->current_; }
        iterator& operator++()
        {
            p_->step();
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(iterator const& i, std::default_sentinel_t) noexcept { return i.at_end(); }

      private:
        pager* p_ = nullptr;
        bool at_end() const noexcept { return !p_ || !p_->current_; }
    };

    /// The walk as a range: begin() fetches the first page (once).
    iterator begin()
    {
        if (!started_) {
            started_ = true;
            step();
        }
        return iterator(this);
    }
    std::default_sentinel_t end() const noexcept { return {}; }

  private:
    /// Reads a page as a reply, keeping its Link fields unmasked in *links.
    struct read_page {
        std::string* links;
        result<reply<E>> operator()(binding::wire_response& w, std::vector<std::string> const& secrets,
                                    binding::body_reading const& how) const
        {
            *links = std::move(w.links);
            return detail::read_reply<E>{}(w, secrets, how);
        }
    };

    client<Service>* api_;
    typename E::request request_;
    page_limits limits_;
    call_options opts_;
    bool done_ = false;
    bool started_ = false;
    std::size_t pages_ = 0;
    std::size_t items_ = 0;
    std::int64_t page_number_ = 0;      // page style: the page asked for next
    std::string next_link_;             // link style: the next page's link, "" for the first
    std::string links_;                 // link style: the last page's Link fields, unmasked
    binding::page_location at_{};       // link style: where the last page came from
    std::set<std::string> seen_;        // cursors and links seen: a repeat ends the walk
    std::optional<error> pending_;      // what stops the walk after the page just delivered
    std::optional<value_type> current_; // the range's element

    static constexpr std::int64_t first_page()
    {
        if constexpr (requires { rules::first; })
            return rules::first;
        else
            return 1;
    }

    template <class V>
    static std::string key_of(V const& v)
    {
        if constexpr (std::is_convertible_v<V const&, std::string_view>)
            return std::string(v);
        else
            return std::to_string(v);
    }

    void step()
    {
        if (done_)
            current_.reset();
        else
            current_.emplace(next());
    }

    /// Why no page can be fetched now, or nothing.
    std::optional<error> refuse()
    {
        if (pending_) {
            done_ = true;
            auto e = std::move(*pending_);
            pending_.reset();
            return e;
        }
        if (done_)
            return detail::make_error(error_kind::validation,
                                      "the walk over the pages of " + std::string(E::id) + " has ended");
        return std::nullopt;
    }

    /// An error that stops the walk after page `number`, delivered by the next call.
    void stop_with(std::size_t number, std::string message)
    {
        auto e = detail::make_error(error_kind::decode, "page " + std::to_string(number) + " of " +
                                                            std::string(E::id) + ": " + std::move(message));
        e.page = number;
        pending_ = std::move(e);
    }

    /// Turns the outcome of a page's call into the page, and finds the next one.
    value_type advance(result<reply<E>> r)
    {
        auto const number = ++pages_;
        if (!r) {
            done_ = true;
            auto e = std::move(r.error());
            e.page = number;
            e.message = "page " + std::to_string(number) + " of " + std::string(E::id) + ": " + e.message;
            return e;
        }
        if constexpr (rules::style == page_style::link) {
            // A next link that leads back to a page of this walk: the walk
            // ends here instead of looping (the URL is not shown: it may
            // carry what the server put there).
            auto key = (at_.origin ? (at_.origin->tls ? "https://" : "http://") + at_.origin->host_header()
                                   : std::string()) +
                       at_.target;
            if (!seen_.insert(std::move(key)).second) {
                done_ = true;
                auto e = detail::make_error(
                    error_kind::decode, "page " + std::to_string(number) + " of " + std::string(E::id) +
                                            ": its next link leads to a page of this walk again (a loop)");
                e.page = number;
                return e;
            }
        }
        page<E> p{std::move(*r), number};
        std::size_t n = 0;
        if (auto* list = rules::items::find(p.value)) {
            if (limits_.max_items && list->size() >= limits_.max_items - items_) {
                list->erase(list->begin() + static_cast<std::ptrdiff_t>(limits_.max_items - items_),
                            list->end());
                done_ = true;
            }
            n = list->size();
        }
        items_ += n;
        if (limits_.max_pages && pages_ >= limits_.max_pages)
            done_ = true;
        if (!done_)
            find_next(p, n, number);
        return p;
    }

    void find_next(page<E> const& p, std::size_t n, std::size_t number)
    {
        if constexpr (rules::style == page_style::link) {
            // The fields as sent, not raw_headers: those have secrets masked,
            // and a link that carries the API key must be followed with it.
            auto const next = detail::parse_next_link(links_);
            if (!next.error.empty())
                return stop_with(number, "its Link header is malformed: " + next.error);
            if (!next.target)
                return void(done_ = true);
            next_link_ = *next.target;
        } else if constexpr (rules::style == page_style::cursor) {
            auto const* c = rules::next::find(p.value);
            if (!c)
                return void(done_ = true);
            auto key = key_of(*c);
            if (key.empty())
                return void(done_ = true);
            if (!seen_.insert(key).second)
                return stop_with(number, "its next cursor \"" + detail::printable(key, 64) +
                                             "\" was seen before (the walk would loop)");
            rules::cursor::assign(request_, *c);
        } else {
            if (n == 0)
                return void(done_ = true);
            if constexpr (requires { typename rules::total_pages; })
                if (auto const* t = rules::total_pages::find(p.value); t && page_number_ >= *t)
                    return void(done_ = true);
            if constexpr (requires { typename rules::total_items; })
                if (auto const* t = rules::total_items::find(p.value);
                    t && static_cast<std::int64_t>(items_) >= *t)
                    return void(done_ = true);
            if constexpr (requires { typename rules::per_page; })
                if (auto const* per = rules::per_page::find(request_);
                    per && static_cast<std::int64_t>(n) < static_cast<std::int64_t>(*per))
                    return void(done_ = true);
            ++page_number_;
            rules::page::assign(request_, page_number_);
        }
    }
};

template <class Service>
template <class Endpoint>
pager<Service, Endpoint> client<Service>::pages(typename Endpoint::request request, page_limits limits,
                                                call_options opts)
{
    return pager<Service, Endpoint>(*this, std::move(request), limits, std::move(opts));
}

} // namespace restschema
