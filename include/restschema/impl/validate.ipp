// restschema/impl/validate.ipp - validation through runtime descriptions (not a template).
//
// Walks a value as its runtime_type describes it, in declaration order, and
// reports what the old per-type validator reported, with the same paths,
// messages and order: required members, null where not nullable, version
// bounds, formats, control characters in path, query and header values,
// UTF-8, finite numbers, enum values and exactly_one_of.
#pragma once

#include <restschema/detail/formats.hpp>
#include <restschema/detail/redact.hpp> // printable(): values are echoed with control characters escaped
#include <restschema/detail/text.hpp>   // location_name
#include <restschema/detail/utf8.hpp>
#include <restschema/impl/validate.hpp>

#include <cmath>
#include <string>

namespace restschema::detail {
namespace validation {

class walker {
  public:
    explicit walker(version_context const& ctx) : ctx_(ctx) {}
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
        case value_kind::integer: // the C++ type holds only values in range
        case value_kind::boolean:
        case value_kind::json: // free-form: no further constraints
            break;
        }
    }

  private:
    version_context const& ctx_;
    std::string path_;

    void report(std::string msg) { problems.push_back({path_, std::move(msg)}); }

    void check_string(std::string const& v, field_meta const* m)
    {
        if (m && m->in != location::body && has_control_char(v))
            report("contains a control character (CR, LF, ...), which is not allowed in a " +
                   std::string(m->in == location::header ? "header" : "URL"));
        if (m && !matches_format(m->fmt, v))
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

} // namespace validation

RESTSCHEMA_DECL std::vector<problem> validate_value(runtime_type const& t, void const* value,
                                                    version_context const& ctx)
{
    validation::walker w(ctx);
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
    auto more = validate_value(t, request, ctx);
    problems.insert(problems.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
    if (problems.empty())
        return {};
    std::string msg = std::string(ep.id) + ": " + std::to_string(problems.size()) + " problem" +
                      (problems.size() == 1 ? "" : "s") + " in the request";
    return make_error(error_kind::validation, std::move(msg), std::move(problems));
}

} // namespace restschema::detail
