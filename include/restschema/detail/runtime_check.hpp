// restschema/detail/runtime_check.hpp - decoding and validation driven by runtime_type data.
//
// For the mock server, which serves many endpoints without code per type.
// Decoding is the codec's own, through a value made from the runtime_type;
// validation does what validate() does, with the same problems, paths and
// order, on the JSON that to_json() writes for the decoded value.
//
// tests/test_mock.cpp checks that validation agrees on the schemas' types.
#pragma once

#include <restschema/detail/formats.hpp>
#include <restschema/detail/json_path.hpp>
#include <restschema/detail/text.hpp> // location_name
#include <restschema/detail/redact.hpp>
#include <restschema/detail/runtime_type.hpp>
#include <restschema/detail/utf8.hpp>
#include <restschema/impl/codec.hpp>
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
    case value_kind::map:
        return boost::json::object();
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
    return t.kind != value_kind::array && t.kind != value_kind::object && t.kind != value_kind::map;
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
    case value_kind::map:
        break;
    }
    return std::nullopt;
}

/// What decoding a JSON value as the type `t` gives: its problems or, when
/// it decodes, what to_json writes for the decoded value (unknown keys
/// dropped, a null optional left out, `accept:` conversions applied, a plain
/// member the input lacks at its default). The codec itself does it, through
/// a value made from `t` alone: no code per type. Values a schema enum does
/// not list are refused (requests and seeds must be valid).
struct runtime_decoded {
    std::vector<problem> problems;
    boost::json::value json;
};

namespace runtime {

inline decode_options request_options()
{
    decode_options opt;
    opt.accept_unrecognized = false;
    return opt;
}

inline runtime_decoded finish(runtime_type const& t, void const* value, result<void> decoded)
{
    runtime_decoded out;
    if (!decoded) {
        out.problems = std::move(decoded.error().problems);
        if (out.problems.empty()) // a fault of the whole value (invalid JSON, say)
            out.problems.push_back({"", std::move(decoded.error().message)});
        return out;
    }
    try {
        out.json = encode_dom(t, value);
    } catch (exception const& e) {
        out.problems = e.error().problems;
    }
    return out;
}

} // namespace runtime

/// Decodes a DOM (seed records, examples).
inline runtime_decoded runtime_decode(boost::json::value const& jv, runtime_type const& t)
{
    typed_value v(t);
    return runtime::finish(t, v.get(), decode_dom(t, v.get(), jv, runtime::request_options()));
}

/// Decodes text with the direct path, as the client does (request bodies).
inline runtime_decoded runtime_decode_text(std::string_view text, runtime_type const& t)
{
    auto const opt = runtime::request_options();
    typed_value v(t);
    return runtime::finish(t, v.get(), decode_text(t, v.get(), text, opt));
}

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
            if (auto why = utf8_problem(s); !why.empty())
                report(std::move(why));
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
        case value_kind::map:
            if (auto const* obj = v.if_object())
                for (auto const& kv : *obj) {
                    auto const n = path_.size();
                    push_key(path_, kv.key());
                    check(kv.value(), *t.element, m);
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
    return runtime_decode(jv, t).problems;
}

} // namespace restschema::detail
