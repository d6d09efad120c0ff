// restschema/impl/validate.ipp - validation through runtime descriptions (not a template).
//
// Walks a value as its runtime_type describes it, in declaration order, and
// reports what the old per-type validator reported, with the same paths,
// messages and order: required members, null where not nullable, version
// bounds, formats, control characters in path, query and header values,
// UTF-8, finite numbers, enum values and exactly_one_of.
#pragma once

#include <restschema/detail/formats.hpp>
#include <restschema/detail/json_path.hpp>
#include <restschema/detail/redact.hpp> // printable(): values are echoed with control characters escaped
#include <restschema/detail/text.hpp>   // location_name
#include <restschema/detail/utf8.hpp>
#include <restschema/impl/validate.hpp>

#include <cmath>
#include <optional>
#include <string>
#include <utility>

namespace restschema::detail {
namespace validation {

class walker {
  public:
    walker(version_context const& ctx, bool blank_truncates) : ctx_(ctx), blank_truncates_(blank_truncates) {}
    std::vector<problem> problems;

    /// A value; `m` is the member that holds it (or the list that does), if any.
    void check(runtime_type const& t, void const* v, field_meta const* m)
    {
        switch (t.kind) {
        case value_kind::string:
            check_string(*static_cast<std::string const*>(v), m);
            break;
        case value_kind::number: {
            double const d = t.single ? static_cast<double>(*static_cast<float const*>(v))
                                      : *static_cast<double const*>(v);
            if (!std::isfinite(d))
                report(std::string(not_finite_problem));
            break;
        }
        case value_kind::enumeration: {
            bool negative = false;
            if (auto const i = load_integer(t, v, negative); negative || i >= t.enum_names.size())
                report("is not a value of " + std::string(t.name));
            break;
        }
        case value_kind::array: {
            auto const n = t.vec->size(v);
            for (std::size_t i = 0; i < n; ++i) {
                auto const len = path_.size();
                path_ += '[' + std::to_string(i) + ']';
                check(*t.element, t.vec->at(v, i), m);
                path_.resize(len);
            }
            break;
        }
        case value_kind::object:
            check_object(t, v);
            break;
        case value_kind::map: {
            // Each value is checked as the member's own (its format, its
            // location), at `labels.a` or `labels["a.b"]`.
            struct walk {
                walker& w;
                runtime_type const& item;
                field_meta const* m;
            } c{*this, *t.element, m};
            t.map->each(v, &c, [](void* ctx, std::string_view key, void const* value) {
                auto& c = *static_cast<walk*>(ctx);
                auto const len = c.w.path_.size();
                push_key(c.w.path_, key);
                if (auto why = utf8_problem(key); !why.empty())
                    c.w.report("key " + std::move(why));
                c.w.check(c.item, value, c.m);
                c.w.path_.resize(len);
                return true;
            });
            break;
        }
        case value_kind::integer: // the C++ type holds only values in range
        case value_kind::boolean:
        case value_kind::json: // free-form: no further constraints
            break;
        }
    }

  private:
    version_context const& ctx_;
    bool blank_truncates_;
    std::string path_;

    void report(std::string msg) { problems.push_back({path_, std::move(msg)}); }

    void check_string(std::string const& v, field_meta const* m)
    {
        if (m && m->in != location::body && has_control_char(v))
            report("contains a control character (CR, LF, ...), which is not allowed in a " +
                   std::string(m->in == location::header ? "header" : "URL"));
        bool const truncation = blank_truncates_ && v.empty() && m && m->in == location::body;
        if (m && !truncation && !matches_format(m->fmt, v))
            report("is not a valid " + std::string(format_name(m->fmt)) +
                   (m->sensitive ? std::string() : ": \"" + printable(v, 64) + "\""));
        if (m && m->in == location::path && v.empty())
            report("must not be empty (it is a path segment)");
        if (auto why = utf8_problem(v); !why.empty())
            report(std::move(why));
    }

    void check_object(runtime_type const& t, void const* object)
    {
        std::size_t one_of = 0;
        for (auto const& rm : t.members) {
            field_meta const& m = *rm.meta;
            auto const len = path_.size();
            if (!path_.empty())
                path_ += '.';
            path_ += m.wire;
            if (member_state(rm, object) == held_state::absent) {
                if (m.required)
                    report(m.in == location::body ? "is required"
                                                  : "is a required " + location_name(m.in) + " parameter");
            } else {
                for (auto const& w : t.exactly_one_of)
                    one_of += (w == m.wire);
                if (auto why = check_bounds(ctx_, m.min_version, m.max_version); !why.empty())
                    report(std::move(why));
                if (auto const* p = member_value_ptr(rm, object))
                    check(*rm.type, p, &m);
                else if (!m.nullable)
                    report("must not be null");
            }
            path_.resize(len);
        }
        if (auto why = exactly_one_problem(t.exactly_one_of, one_of); !why.empty())
            report(std::move(why));
    }
};

/// The key of a list item as text ("" when it has none).
inline std::optional<std::string> key_text(runtime_member const& m, void const* item)
{
    auto const* v = member_value_ptr(m, item);
    if (!v)
        return std::nullopt;
    if (m.type->kind == value_kind::string)
        return "\"" + printable(*static_cast<std::string const*>(v), 64) + "\"";
    if (m.type->kind == value_kind::integer) {
        bool negative = false;
        auto const bits = load_integer(*m.type, v, negative);
        return negative ? std::to_string(static_cast<std::int64_t>(bits)) : std::to_string(bits);
    }
    return std::nullopt;
}

inline runtime_member const* member_named(runtime_type const& t, std::string_view wire) noexcept
{
    for (auto const& m : t.members)
        if (m.meta->wire == wire)
            return &m;
    return nullptr;
}

/// Lists merged by key: one operation per item, a deletion names its item
/// and sends nothing else (restschema/edits.hpp builds only such lists; a
/// list made from raw wire items is checked the same way).
inline void check_list_operations(endpoint_checks const& ep, runtime_type const& t, void const* request,
                                  std::vector<problem>& problems)
{
    for (auto const& rm : t.members) {
        auto const& lt = *rm.type;
        if (rm.meta->in != location::body || lt.kind != value_kind::array ||
            lt.element->kind != value_kind::object)
            continue;
        auto const* list = member_value_ptr(rm, request);
        auto const* key = member_named(*lt.element, ep.item_key);
        if (!list || !key)
            continue;
        auto const* flag = ep.item_destroy.empty() ? nullptr : member_named(*lt.element, ep.item_destroy);
        std::vector<std::pair<std::string, std::size_t>> seen;
        for (std::size_t i = 0, n = lt.vec->size(list); i < n; ++i) {
            void const* item = lt.vec->at(list, i);
            std::string const path = std::string(rm.meta->wire) + '[' + std::to_string(i) + ']';
            auto const id = key_text(*key, item);
            void const* f = flag ? member_value_ptr(*flag, item) : nullptr;
            bool const destroys =
                f && flag->type->kind == value_kind::boolean && *static_cast<bool const*>(f);
            if (destroys && !id)
                problems.push_back({path, "has " + std::string(ep.item_destroy) + " true but no " +
                                              std::string(ep.item_key) + ": a deletion names its item"});
            if (destroys && id)
                for (auto const& other : lt.element->members)
                    if (&other != key && &other != flag && member_state(other, item) != held_state::absent)
                        problems.push_back({path, "deletes item " + *id + " and also sets " +
                                                      std::string(other.meta->wire) +
                                                      ": a deleted item sends nothing else"});
            if (!id)
                continue;
            for (auto const& [earlier, at] : seen)
                if (earlier == *id) {
                    problems.push_back({path, "item " + *id + " already has an operation at " +
                                                  std::string(rm.meta->wire) + '[' + std::to_string(at) +
                                                  "]: one operation per item in a request"});
                    break;
                }
            seen.emplace_back(*id, i);
        }
    }
}

} // namespace validation

RESTSCHEMA_DECL std::vector<problem> validate_value(runtime_type const& t, void const* value,
                                                    version_context const& ctx, bool blank_truncates)
{
    validation::walker w(ctx, blank_truncates);
    w.check(t, value, nullptr);
    return std::move(w.problems);
}

RESTSCHEMA_DECL result<void> validate_request_value(endpoint_checks const& ep, runtime_type const& t,
                                                    void const* request, std::string_view version)
{
    version_context const ctx{ep.versions, version};
    if (version_index(ep.versions, version) < 0) {
        std::string known;
        for (auto const& v : ep.versions)
            known += (known.empty() ? "" : ", ") + std::string(v);
        return make_error(error_kind::validation, "unknown API version \"" + std::string(version) +
                                                      "\" for " + std::string(ep.service) +
                                                      " (known: " + known + ")");
    }
    std::vector<problem> problems;
    if (auto why = check_bounds(ctx, ep.min_version, ep.max_version); !why.empty())
        problems.push_back({std::string(ep.id), "endpoint " + why});
    auto more = validate_value(t, request, ctx, ep.blank_truncates);
    problems.insert(problems.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
    if (!ep.item_key.empty())
        validation::check_list_operations(ep, t, request, problems);
    if (problems.empty())
        return {};
    std::string msg = std::string(ep.id) + ": " + std::to_string(problems.size()) + " problem" +
                      (problems.size() == 1 ? "" : "s") + " in the request";
    return make_error(error_kind::validation, std::move(msg), std::move(problems));
}

} // namespace restschema::detail
