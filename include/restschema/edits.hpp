// restschema/edits.hpp - typed operations of update endpoints that merge lists.
//
// An endpoint whose schema declares update semantics with an item key and a
// destroy flag (Safe Shepherd: `item_key: id`, `item_destroy: _destroy`)
// reads each list of its request as a sequence of operations: an item
// without an id is appended, an item with an id updates that item, and
// `_destroy: true` deletes it. The generated request holds such a list as a
// list_edits<Item>, which offers exactly these operations:
//
//   req.phone_numbers.append({.number = "3128881212"});
//   req.phone_numbers.update(safeshepherd::phone_number_id{123}, {.number = "2153331212"});
//   req.phone_numbers.destroy(restschema::id_of(user.phone_numbers->at(1)).value());
//   req.middle_name = restschema::clear; // a blank string truncates: sends ""
//
// A new item has no id and a deleted one sends nothing else, by
// construction: append() and update() take the item's fields without the
// key and the flag (`<item>_fields`), destroy() takes an id only. Ids are
// typed by the list's item type, so an alias id does not fit a list of
// phone numbers. Two operations on one id in one request are refused by
// validation before anything is sent; an id the server does not know is
// the server's error. The operations encode to the wire form one item per
// operation, in the order written; list_edits::from_wire() and wire() keep
// the raw form reachable.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace restschema {

/// What list_edits needs of an item type; generated for every item type of
/// a list that update semantics merge:
///   using fields = ...;     // the item without its key and destroy flag
///   using id_type = ...;    // the key's C++ type (std::int64_t, std::string)
///   static constexpr std::string_view name;                 // schema type name
///   static Item make(fields&& f);                            // an item with f's members
///   static void set_id(Item& i, id_type v);
///   static void set_destroy(Item& i);                        // the flag, true
///   static std::optional<id_type> id(Item const& i);         // the key, if set
template <class Item>
struct list_item;

namespace detail {
template <class T>
inline constexpr bool always_false = false;
}

/// The id of an item of lists of Item: built from a plain value
/// explicitly, or taken from a decoded item with id_of().
template <class Item>
class item_id {
  public:
    using value_type = typename list_item<Item>::id_type;

    constexpr explicit item_id(value_type v) : value_(std::move(v)) {}

    [[nodiscard]] constexpr value_type const& value() const noexcept { return value_; }

    friend constexpr bool operator==(item_id const&, item_id const&) = default;

  private:
    value_type value_;
};

/// The id of a decoded item (empty when the item has none).
template <class Item>
[[nodiscard]] std::optional<item_id<Item>> id_of(Item const& item)
{
    if (auto v = list_item<Item>::id(item))
        return item_id<Item>(std::move(*v));
    return std::nullopt;
}

/// The value of restschema::clear.
struct clear_t {
    explicit constexpr clear_t() = default;
};

/// Sets a clearable field to the blank value that truncates it on the server.
inline constexpr clear_t clear{};

/// A string field that a blank value truncates: a std::optional<T> that
/// also takes restschema::clear (sent as "").
template <class T = std::string>
class clearable : public std::optional<T> {
  public:
    using std::optional<T>::optional;
    using std::optional<T>::operator=;

    constexpr clearable() noexcept = default;
    constexpr clearable(clear_t) : std::optional<T>(std::in_place) {}

    clearable& operator=(clear_t)
    {
        this->emplace();
        return *this;
    }

    /// Set to the blank value (by restschema::clear or by assigning it).
    [[nodiscard]] bool is_clear() const noexcept { return this->has_value() && (**this) == T{}; }
};

/// The operations on one list of an update request, kept in the order
/// written. Absent (nothing sent) until the first operation.
template <class Item>
class list_edits {
  public:
    using item = Item;
    using fields = typename list_item<Item>::fields;
    using id = item_id<Item>;

    list_edits() = default;

    /// Appends a new item (sent without an id).
    list_edits& append(fields f)
    {
        push(list_item<Item>::make(std::move(f)));
        return *this;
    }

    /// Updates the item with this id: only the fields set are sent.
    list_edits& update(id const& which, fields f)
    {
        Item i = list_item<Item>::make(std::move(f));
        list_item<Item>::set_id(i, which.value());
        push(std::move(i));
        return *this;
    }

    /// Deletes the item with this id; nothing else is sent.
    list_edits& destroy(id const& which)
    {
        static_assert(list_item<Item>::can_destroy,
                      "restschema: the update semantics of this list have no item_destroy flag: its items "
                      "cannot be deleted by a request");
        Item i{};
        list_item<Item>::set_id(i, which.value());
        list_item<Item>::set_destroy(i);
        push(std::move(i));
        return *this;
    }

    // Misuse, with a message instead of a page of overload candidates.
    template <class T>
    requires(!std::is_convertible_v<T&&, fields>) list_edits& append(T&&)
    {
        static_assert(detail::always_false<T>,
                      "restschema: append() takes the item's fields (<item>_fields), which have no id: a new "
                      "item has none. To change an existing item use update(id, fields); to delete one, "
                      "destroy(id); to send raw wire items, list_edits::from_wire().");
        return *this;
    }
    template <class T>
    requires(!std::is_same_v<std::remove_cvref_t<T>, id>) list_edits& update(T&&, fields)
    {
        static_assert(detail::always_false<T>,
                      "restschema: update() takes the id type of this list's items (<item>_id): build one "
                      "from a plain value with <item>_id{value}, or take it from a decoded item with "
                      "restschema::id_of(item). An id of another list's items does not fit.");
        return *this;
    }
    template <class T>
    requires(!std::is_same_v<std::remove_cvref_t<T>, id>) list_edits& destroy(T&&)
    {
        static_assert(detail::always_false<T>,
                      "restschema: destroy() takes the id type of this list's items (<item>_id) and nothing "
                      "else: build one from a plain value with <item>_id{value}, or take it from a decoded "
                      "item with restschema::id_of(item). An id of another list's items does not fit.");
        return *this;
    }

    /// The raw wire form: one item per operation, in order.
    [[nodiscard]] static list_edits from_wire(std::vector<Item> items)
    {
        list_edits e;
        e.items_ = std::move(items);
        e.present_ = true;
        return e;
    }
    [[nodiscard]] std::vector<Item> const& wire() const noexcept { return items_; }

    [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
    [[nodiscard]] bool empty() const noexcept { return items_.empty(); }

    // The interface of std::optional<std::vector<Item>> that the codec,
    // validation and the mock read (an absent list is not sent).
    [[nodiscard]] bool has_value() const noexcept { return present_; }
    explicit operator bool() const noexcept { return present_; }
    [[nodiscard]] std::vector<Item> const& operator*() const noexcept { return items_; }
    [[nodiscard]] std::vector<Item>& operator*() noexcept { return items_; }
    std::vector<Item>& emplace()
    {
        items_.clear();
        present_ = true;
        return items_;
    }
    void reset() noexcept
    {
        items_.clear();
        present_ = false;
    }

    friend bool operator==(list_edits const&, list_edits const&) = default;

  private:
    std::vector<Item> items_;
    bool present_ = false;

    void push(Item i)
    {
        items_.push_back(std::move(i));
        present_ = true;
    }
};

} // namespace restschema
