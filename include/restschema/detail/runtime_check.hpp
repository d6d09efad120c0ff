// restschema/detail/runtime_check.hpp - decoding and validation driven by runtime_type data.
//
// The same checks as try_from_json<T> (non-strict) and validate(), with the
// same problems, paths and order, walking runtime_type_of<T> at run time
// instead of instantiating the codec for T. Values stay JSON: decoding gives
// what to_json() would write for the decoded T (unknown keys dropped, a null
// optional left out, `accept:` conversions applied, numbers as doubles, a
// plain member the input lacks at its default), and validation reads that.
//
// tests/test_mock.cpp checks that both agree on the schemas' types.
#pragma once

#include <restschema/detail/formats.hpp>
#include <restschema/detail/json_integer.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/detail/runtime_type.hpp>
#include <restschema/error.hpp>
#include <restschema/validate.hpp>
// detail::version_index, check_bounds, exactly_one_problem; in the compiled-once
// mode too, where validate.hpp only declares.
#include <restschema/impl/validate.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace restschema::detail {

/// What to_json writes for a value-initialized value of this type.
inline boost::json::value default_json(runtime_type const& t)
{
    switch (t.kind) {
    case value_kind::string:
        return boost::json::string();
    case value_kind::boolean:
        return false;
    case value_kind::integer:
        return std::int64_t(0);
    case value_kind::number:
        return 0.0;
    case value_kind::json:
        return nullptr;
    case value_kind::enumeration:
        return boost::json::string(t.enum_names.empty() ? std::string_view() : t.enum_names[0]);
    case value_kind::array:
        return boost::json::array();
    case value_kind::object: {
        boost::json::object o;
        for (auto const& m : t.members)
            if (m.meta->in == location::body && m.held == holder::plain)
                o[m.meta->wire] = default_json(*m.type);
        return o;
    }
    }
    return nullptr;
}

/// Whether values of this type travel as text in a path, query or header.
inline bool is_text_param(runtime_type const& t) noexcept
{
    return t.kind != value_kind::array && t.kind != value_kind::object;
}

/// The text form of a scalar value as to_json wrote it (param_text of the decoded value).
inline std::string param_text(boost::json::value const& v, runtime_type const& t)
{
    switch (t.kind) {
    case value_kind::string:
    case value_kind::enumeration:
        return v.is_string() ? std::string(v.get_string()) : std::string();
    case value_kind::boolean:
        return v.is_bool() && v.get_bool() ? "true" : "false";
    case value_kind::integer:
        return std::to_string(v.is_int64() ? v.get_int64() : 0);
    case value_kind::number:
        return boost::json::serialize(boost::json::value(v.is_number() ? v.to_number<double>() : 0.0));
    default:
        return boost::json::serialize(v);
    }
}

/// Parses a text parameter (param_parse); nullopt when the text is not such a value.
inline std::optional<boost::json::value> parse_param(std::string_view s, runtime_type const& t)
{
    switch (t.kind) {
    case value_kind::string:
        return boost::json::value(boost::json::string(s));
    case value_kind::boolean:
        if (s == "true" || s == "1")
            return boost::json::value(true);
        if (s == "false" || s == "0")
            return boost::json::value(false);
        return std::nullopt;
    case value_kind::integer: {
        std::int64_t v = 0;
        auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc{} || p != s.data() + s.size() || s.empty() || v < t.min || v > t.max)
            return std::nullopt;
        return boost::json::value(v);
    }
    case value_kind::number: {
        double v = 0;
        if (t.single) {
            float f = 0;
            auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), f);
            if (ec != std::errc{} || p != s.data() + s.size() || s.empty())
                return std::nullopt;
            v = f;
        } else {
            auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (ec != std::errc{} || p != s.data() + s.size() || s.empty())
                return std::nullopt;
        }
        return boost::json::value(v);
    }
    case value_kind::enumeration:
        for (auto const& n : t.enum_names)
            if (n == s)
                return boost::json::value(boost::json::string(n));
        return std::nullopt;
    case value_kind::json: {
        boost::system::error_code ec;
        auto jv = boost::json::parse(s, ec);
        if (ec)
            return std::nullopt;
        return jv;
    }
    case value_kind::array:
    case value_kind::object:
        break;
    }
    return std::nullopt;
}

/// Decodes as detail::decoder does (non-strict); `out` is what to_json would write.
class runtime_decoder {
  public:
    explicit runtime_decoder(std::size_t max_problems = 32) : max_(max_problems) {}

    std::vector<problem> problems;

    void decode(boost::json::value const& jv, runtime_type const& t, unsigned char accept,
                boost::json::value& out)
    {
        if (full())
            return;
        switch (t.kind) {
        case value_kind::string:
            return decode_string(jv, accept, out);
        case value_kind::boolean:
            if (jv.is_bool())
                out = jv.get_bool();
            else
                mismatch("boolean", jv);
            return;
        case value_kind::integer:
            return decode_integer(jv, t, accept, out);
        case value_kind::number:
            if (!jv.is_number())
                return mismatch("number", jv);
            out = t.single ? static_cast<double>(static_cast<float>(jv.to_number<double>()))
                           : jv.to_number<double>();
            return;
        case value_kind::json:
            out = jv;
            return;
        case value_kind::enumeration:
            return decode_enum(jv, t, out);
        case value_kind::array: {
            auto const* arr = jv.if_array();
            if (!arr)
                return mismatch("array", jv);
            auto& items = out.emplace_array();
            items.reserve(arr->size());
            for (std::size_t i = 0; i < arr->size(); ++i)
                items.emplace_back(default_json(*t.element));
            for (std::size_t i = 0; i < arr->size() && !full(); ++i) {
                auto const n = path_.size();
                path_ += '[';
                path_ += std::to_string(i);
                path_ += ']';
                decode((*arr)[i], *t.element, accept, items[i]);
                path_.resize(n);
            }
            return;
        }
        case value_kind::object:
            return decode_object(jv, t, out);
        }
    }

  private:
    std::size_t max_;
    std::string path_;

    bool full() const noexcept { return problems.size() >= max_; }

    void report(std::string message)
    {
        if (!full())
            problems.push_back({path_, std::move(message)});
    }

    void mismatch(char const* expected, boost::json::value const& jv)
    {
        report(std::string("expected ") + expected + ", found " + kind_name(jv.kind()));
    }

    void decode_string(boost::json::value const& jv, unsigned char accept, boost::json::value& out)
    {
        if (auto const* s = jv.if_string())
            out = *s;
        else if ((accept & (accept_integer | accept_number)) && (jv.is_int64() || jv.is_uint64()))
            out = jv.is_int64() ? std::to_string(jv.get_int64()) : std::to_string(jv.get_uint64());
        else if ((accept & accept_number) && jv.is_double())
            out = boost::json::serialize(jv);
        else if ((accept & accept_boolean) && jv.is_bool())
            out = jv.get_bool() ? "true" : "false";
        else
            mismatch("string", jv);
    }

    void decode_integer(boost::json::value const& jv, runtime_type const& t, unsigned char accept,
                        boost::json::value& out)
    {
        std::string why;
        auto const read = json_integer(jv, accept, why);
        if (!read)
            return report(std::move(why));
        std::int64_t const v = *read;
        if (v < t.min || v > t.max)
            return report("integer out of range");
        out = v;
    }

    void decode_enum(boost::json::value const& jv, runtime_type const& t, boost::json::value& out)
    {
        auto const* s = jv.if_string();
        if (!s)
            return mismatch("string", jv);
        for (auto const& n : t.enum_names)
            if (n == std::string_view(*s)) {
                out = boost::json::string(n);
                return;
            }
        std::string expected = "expected one of ";
        for (std::size_t i = 0; i < t.enum_names.size(); ++i) {
            expected += i ? "|" : "";
            expected += t.enum_names[i];
        }
        report(expected + ", found \"" + std::string(s->data(), s->size()) + "\"");
    }

    void decode_object(boost::json::value const& jv, runtime_type const& t, boost::json::value& out)
    {
        auto const* obj = jv.if_object();
        if (!obj)
            return mismatch("object", jv);
        auto& o = out.emplace_object();
        for (auto const& m : t.members) {
            if (m.meta->in != location::body)
                continue;
            auto const n = path_.size();
            if (!path_.empty())
                path_ += '.';
            path_ += m.meta->wire;
            if (auto const* item = obj->if_contains(m.meta->wire)) {
                if (item->is_null() && m.held == holder::optional) {
                    // a null optional reads as absent (when nothing is full yet)
                } else if (item->is_null() && m.held == holder::nullable) {
                    if (!full())
                        o[m.meta->wire] = nullptr;
                } else {
                    auto& slot = o[m.meta->wire];
                    slot = default_json(*m.type);
                    decode(*item, *m.type, m.meta->accept, slot);
                }
            } else if (m.meta->required && m.held != holder::optional) {
                report("missing required field");
            } else if (m.held == holder::plain) {
                o[m.meta->wire] = default_json(*m.type);
            }
            path_.resize(n);
        }
    }
};

/// The state of one member of a value being validated.
inline boost::json::value const* member_value(runtime_member const& m, boost::json::value const* v,
                                              bool& null)
{
    null = v && m.held == holder::nullable && v->is_null();
    return null ? nullptr : v;
}

/// Validates as detail::validator does, reading decoded JSON (see runtime_decoder).
class runtime_validator {
  public:
    explicit runtime_validator(version_context const& ctx) : ctx_(ctx) {}

    std::vector<problem> problems;

    /// `values[i]`: member i of `t` (nullptr when absent; JSON null for a null nullable).
    void check_members(runtime_type const& t, std::span<boost::json::value const* const> values)
    {
        std::size_t one_of = 0;
        for (std::size_t i = 0; i < t.members.size(); ++i) {
            auto const& m = t.members[i];
            auto const& meta = *m.meta;
            auto const n = path_.size();
            if (!path_.empty())
                path_ += '.';
            path_ += meta.wire;
            if (!values[i]) {
                if (meta.required)
                    report(meta.in == location::body
                               ? "is required"
                               : "is a required " + location_name(meta.in) + " parameter");
            } else {
                for (auto const& w : t.exactly_one_of)
                    one_of += (w == meta.wire);
                if (auto why = check_bounds(ctx_, meta.min_version, meta.max_version); !why.empty())
                    report(why);
                bool null = false;
                if (auto const* v = member_value(m, values[i], null))
                    check(*v, *m.type, &meta);
                else if (!meta.nullable)
                    report("must not be null");
            }
            path_.resize(n);
        }
        if (auto why = exactly_one_problem(t.exactly_one_of, one_of); !why.empty())
            report(std::move(why));
    }

  private:
    version_context const& ctx_;
    std::string path_;

    void report(std::string msg) { problems.push_back({path_, std::move(msg)}); }

    void check(boost::json::value const& v, runtime_type const& t, field_meta const* m)
    {
        switch (t.kind) {
        case value_kind::string: {
            auto const* js = v.if_string();
            std::string_view const s = js ? std::string_view(*js) : std::string_view();
            if (m && m->in != location::body && has_control_char(s))
                report("contains a control character (CR, LF, ...), which is not allowed in a " +
                       std::string(m->in == location::header ? "header" : "URL"));
            if (m && !matches_format(m->fmt, s))
                report("is not a valid " + std::string(format_name(m->fmt)) +
                       (m->sensitive ? std::string() : ": \"" + printable(s, 64) + "\""));
            if (m && m->in == location::path && s.empty())
                report("must not be empty (it is a path segment)");
            return;
        }
        case value_kind::array:
            if (auto const* arr = v.if_array())
                for (std::size_t i = 0; i < arr->size(); ++i) {
                    auto const n = path_.size();
                    path_ += '[' + std::to_string(i) + ']';
                    check((*arr)[i], *t.element, m);
                    path_.resize(n);
                }
            return;
        case value_kind::object: {
            auto const* obj = v.if_object();
            std::vector<boost::json::value const*> values(t.members.size(), nullptr);
            std::vector<boost::json::value> defaults(t.members.size());
            for (std::size_t i = 0; i < t.members.size(); ++i) {
                auto const& mm = t.members[i];
                if (mm.meta->in == location::body && obj)
                    values[i] = obj->if_contains(mm.meta->wire);
                if (!values[i] && mm.held == holder::plain) {
                    defaults[i] = default_json(*mm.type);
                    values[i] = &defaults[i];
                }
            }
            check_members(t, values);
            return;
        }
        default:
            return; // integers, numbers, booleans, enums (valid once decoded) and free-form JSON
        }
    }
};

/// The problems of decoding `jv` as `t` (none when it decodes).
inline std::vector<problem> runtime_decode_problems(boost::json::value const& jv, runtime_type const& t)
{
    runtime_decoder d;
    boost::json::value out;
    d.decode(jv, t, accept_none, out);
    return std::move(d.problems);
}

} // namespace restschema::detail
