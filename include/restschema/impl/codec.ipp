// restschema/impl/codec.ipp - the codec, driven by runtime_type data (not a template).
//
// Two decoders share one set of rules (the functions in the first section):
//  - text_handler, driven by detail::json_reader, reads text straight
//    into typed storage: unknown keys are skipped without building anything,
//    `json` fields build a value for their own subtree only;
//  - dom_decoder reads a boost::json::value. It serves users who hold a DOM
//    and the tests, as the oracle of the direct path.
// Where a known key repeats, the last one wins in both: the direct path then
// reads the text a second time in its last_wins mode.
// Two encoders likewise: text (into the output string) and DOM.
#pragma once

#include <restschema/detail/json_path.hpp>
#include <restschema/detail/json_reader.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/detail/utf8.hpp>
#include <restschema/impl/codec.hpp>
#include <restschema/impl/validate.hpp> // exactly_one_problem

#include <boost/json/error.hpp>
#include <boost/json/value_stack.hpp>

#include <cctype>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace restschema::detail {
namespace codec {

// ---------------------------------------------------------------- shared rules

/// The shortest text that reads back as `d` (finite), with ".0" where it
/// would otherwise read as an integer: 0.1, 1.5, 100.0, 1e+300.
inline void append_number(std::string& out, double d)
{
    char buf[32];
    auto const r = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, r.ptr);
    if (std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)).find_first_of(".e") ==
        std::string_view::npos)
        out += ".0";
}

inline std::string number_text(double d)
{
    std::string s;
    if (std::isfinite(d))
        append_number(s, d);
    else
        s = std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    return s;
}

/// One JSON scalar as both decoders see it.
struct scalar {
    enum class kind : unsigned char { null, boolean, int64, uint64, number, string } k = kind::null;
    bool b = false;
    std::int64_t i = 0;
    std::uint64_t u = 0;
    double d = 0;
    std::string_view s{};
    bool big_integer = false; ///< number: an integer literal beyond 64 bits
};

inline char const* found_name(scalar const& v) noexcept
{
    switch (v.k) {
    case scalar::kind::null:
        return "null";
    case scalar::kind::boolean:
        return "boolean";
    case scalar::kind::int64:
    case scalar::kind::uint64:
        return "integer";
    case scalar::kind::number:
        return "number";
    case scalar::kind::string:
        return "string";
    }
    return "?";
}

inline scalar scalar_of(boost::json::value const& jv) noexcept
{
    scalar v;
    switch (jv.kind()) {
    case boost::json::kind::bool_:
        v.k = scalar::kind::boolean, v.b = jv.get_bool();
        break;
    case boost::json::kind::int64:
        v.k = scalar::kind::int64, v.i = jv.get_int64();
        break;
    case boost::json::kind::uint64:
        v.k = scalar::kind::uint64, v.u = jv.get_uint64();
        break;
    case boost::json::kind::double_:
        // The DOM keeps no literal: an integral double beyond int64 came from a
        // long integer literal or from one such as 1e19; both are out of range.
        v.k = scalar::kind::number, v.d = jv.get_double();
        v.big_integer = std::trunc(v.d) == v.d && std::abs(v.d) >= 9223372036854775808.0;
        break;
    case boost::json::kind::string:
        v.k = scalar::kind::string, v.s = jv.get_string();
        break;
    default:
        break;
    }
    return v;
}

inline boost::json::value json_of(scalar const& v)
{
    switch (v.k) {
    case scalar::kind::boolean:
        return v.b;
    case scalar::kind::int64:
        return v.i;
    case scalar::kind::uint64:
        return v.u;
    case scalar::kind::number:
        return v.d;
    case scalar::kind::string:
        return boost::json::string(v.s);
    case scalar::kind::null:
        break;
    }
    return nullptr;
}

inline char const* expected_name(runtime_type const& t) noexcept
{
    switch (t.kind) {
    case value_kind::string:
    case value_kind::enumeration:
        return "string";
    case value_kind::boolean:
        return "boolean";
    case value_kind::integer:
        return "integer";
    case value_kind::number:
        return "number";
    case value_kind::array:
        return "array";
    case value_kind::object:
    case value_kind::map:
        return "object";
    case value_kind::json:
        break;
    }
    return "JSON";
}

/// Collects problems: keeps the first `max`, counts them all.
class sink {
  public:
    explicit sink(std::size_t max) : max_(max) {}

    std::vector<problem> kept;
    std::size_t total = 0;

    void add(std::string const& path, std::string message)
    {
        ++total;
        if (kept.size() < max_)
            kept.push_back({path, std::move(message)});
    }

    /// Forgets the problems of the value at `path` and inside it ("" is the
    /// root: all), where a repeated key's last occurrence replaces the value.
    /// Exact only while nothing was cut: a sink that forgets keeps everything.
    void forget(std::string_view path)
    {
        auto const under = [path](problem const& p) {
            std::string_view const q = p.path;
            return path.empty() ||
                   (q.substr(0, path.size()) == path &&
                    (q.size() == path.size() || q[path.size()] == '.' || q[path.size()] == '['));
        };
        auto const before = kept.size();
        std::erase_if(kept, under);
        total -= before - kept.size();
    }

    /// Keeps the first `n` problems (counting them all still).
    void keep_at_most(std::size_t n)
    {
        if (kept.size() > n)
            kept.resize(n);
    }

    result<void> finish()
    {
        if (total == 0)
            return {};
        std::string msg;
        if (kept.empty()) {
            msg = std::to_string(total) + (total == 1 ? " problem" : " problems") +
                  " (none listed: decode_options::max_problems is 0)";
        } else {
            auto const& p = kept.front();
            msg = p.path.empty() ? p.message : p.path + ": " + p.message;
            if (total > kept.size())
                msg += " (" + std::to_string(total) + " problems in all; the first " +
                       std::to_string(kept.size()) + " are listed)";
            else if (total > 1)
                msg += " (and " + std::to_string(total - 1) + " more)";
        }
        return make_error(error_kind::decode, std::move(msg), std::move(kept));
    }

  private:
    std::size_t max_;
};

/// Where a value goes: its type, the member (or the value itself when
/// plain) and how the member holds it.
struct slot {
    runtime_type const* type = nullptr; ///< nullptr: skip the value
    void* at = nullptr;
    holder_ops const* ops = nullptr;
    holder held = holder::plain;
    unsigned char accept = accept_none;
};

inline void* emplace(slot const& s)
{
    return s.ops ? s.ops->emplace(s.at) : s.at;
}

/// The rules both decoders follow for a value that is not an array or object.
class rules {
  public:
    rules(decode_options const& opt, std::size_t keep) : opt(opt), problems(keep) {}
    rules(rules const&) = delete;
    rules& operator=(rules const&) = delete;
    virtual ~rules() = default;

    decode_options const& opt;
    sink problems;

    /// The path of the value being decoded, and of the object being finished:
    /// asked for only when there is a problem to report, so that the direct
    /// path keeps no path text while all goes well.
    virtual std::string where() const = 0;
    virtual std::string object_where() const = 0;

    void report(std::string message) { problems.add(where(), std::move(message)); }

    void mismatch(runtime_type const& t, char const* found)
    {
        report(std::string("expected ") + expected_name(t) + ", found " + found);
    }

    /// A JSON null: absent (an optional, unless strict), null (a nullable or
    /// free-form JSON), or not allowed.
    void put_null(slot const& s)
    {
        if (s.held == holder::nullable)
            return s.ops->set_null(s.at);
        if (s.held == holder::optional && !opt.strict)
            return;
        if (s.type->kind == value_kind::json)
            *static_cast<boost::json::value*>(emplace(s)) = nullptr;
        else
            mismatch(*s.type, "null");
    }

    void put(slot const& s, scalar const& v)
    {
        if (v.k == scalar::kind::null)
            return put_null(s);
        auto const& t = *s.type;
        switch (t.kind) {
        case value_kind::string:
            return put_string(s, v);
        case value_kind::boolean:
            if (v.k != scalar::kind::boolean)
                return mismatch(t, found_name(v));
            *static_cast<bool*>(emplace(s)) = v.b;
            return;
        case value_kind::integer:
            return put_integer(s, v);
        case value_kind::number: {
            double d = 0;
            if (v.k == scalar::kind::int64)
                d = static_cast<double>(v.i);
            else if (v.k == scalar::kind::uint64)
                d = static_cast<double>(v.u);
            else if (v.k == scalar::kind::number)
                d = v.d;
            else if (v.k == scalar::kind::string && (s.accept & accept_string)) {
                auto const* last = v.s.data() + v.s.size();
                auto const [p, ec] = std::from_chars(v.s.data(), last, d);
                if (ec != std::errc{} || p != last || v.s.empty() || !std::isfinite(d))
                    return report("expected number, found string \"" + printable(v.s, 64) +
                                  "\" that is not one");
            } else
                return mismatch(t, found_name(v));
            if (t.single) {
                auto const f = static_cast<float>(d);
                if (std::isinf(f))
                    return report("number out of range for a float: " + number_text(d));
                *static_cast<float*>(emplace(s)) = f;
            } else {
                *static_cast<double*>(emplace(s)) = d;
            }
            return;
        }
        case value_kind::enumeration:
            return put_enum(s, v);
        case value_kind::json:
            *static_cast<boost::json::value*>(emplace(s)) = json_of(v);
            return;
        case value_kind::array:
        case value_kind::object:
        case value_kind::map:
            return mismatch(t, found_name(v));
        }
    }

  private:
    void put_string(slot const& s, scalar const& v)
    {
        std::string text;
        if (v.k == scalar::kind::string) {
            static_cast<std::string*>(emplace(s))->assign(v.s.data(), v.s.size());
            return;
        }
        if ((s.accept & (accept_integer | accept_number)) && v.k == scalar::kind::int64)
            text = std::to_string(v.i);
        else if ((s.accept & (accept_integer | accept_number)) && v.k == scalar::kind::uint64)
            text = std::to_string(v.u);
        else if ((s.accept & accept_number) && v.k == scalar::kind::number)
            append_number(text, v.d);
        else if ((s.accept & accept_boolean) && v.k == scalar::kind::boolean)
            text = v.b ? "true" : "false";
        else
            return mismatch(*s.type, found_name(v));
        *static_cast<std::string*>(emplace(s)) = std::move(text);
    }

    std::string range_text(runtime_type const& t)
    {
        return "integer out of range (" + std::to_string(t.min) + ".." + std::to_string(t.max) + ")";
    }

    void put_integer(slot const& s, scalar const& v)
    {
        auto const& t = *s.type;
        std::int64_t value = 0;
        switch (v.k) {
        case scalar::kind::int64:
            value = v.i;
            break;
        case scalar::kind::uint64:
            if (v.u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                return report(range_text(t));
            value = static_cast<std::int64_t>(v.u);
            break;
        case scalar::kind::number:
            if (v.big_integer)
                return report(range_text(t));
            return report("expected integer, found number " + number_text(v.d));
        case scalar::kind::string: {
            if (!(s.accept & accept_string))
                return mismatch(t, "string");
            auto const* first = v.s.data();
            auto const* last = first + v.s.size();
            auto const [p, ec] = std::from_chars(first, last, value);
            if (ec == std::errc::result_out_of_range && p == last)
                return report(range_text(t));
            if (ec != std::errc{} || p != last || first == last)
                return report("expected integer, found string \"" + printable(v.s, 64) +
                              "\" that is not one");
            break;
        }
        default:
            return mismatch(t, found_name(v));
        }
        if (value < t.min || value > t.max)
            return report(range_text(t));
        store_integer(t, emplace(s), value);
    }

    void put_enum(slot const& s, scalar const& v)
    {
        auto const& t = *s.type;
        if (v.k != scalar::kind::string)
            return mismatch(t, found_name(v));
        for (std::size_t i = 0; i < t.enum_names.size(); ++i) {
            if (t.enum_names[i] == v.s) {
                store_integer(t, emplace(s), static_cast<std::int64_t>(i));
                return;
            }
        }
        if (t.has_unrecognized && opt.accept_unrecognized && !opt.strict) {
            store_integer(t, emplace(s), static_cast<std::int64_t>(t.enum_names.size()));
            return;
        }
        std::string expected = "expected one of ";
        for (std::size_t i = 0; i < t.enum_names.size(); ++i) {
            expected += i ? "|" : "";
            expected += t.enum_names[i];
        }
        report(expected + ", found \"" + printable(v.s, 64) + "\"");
    }

  public:
    /// After an object: required members it lacked, and `exactly_one_of`.
    /// `seen[i]`: member i's key was in the object.
    void finish_object(runtime_type const& t, void const* object, unsigned char const* seen)
    {
        std::size_t one_of = 0;
        for (std::size_t i = 0; i < t.members.size(); ++i) {
            auto const& m = t.members[i];
            if (m.meta->in != location::body)
                continue;
            if (!seen[i]) {
                if (m.meta->required && m.held != holder::optional) {
                    auto p = object_where();
                    push_key(p, m.meta->wire);
                    problems.add(p, "missing required field");
                }
                continue;
            }
            if (member_state(m, object) == held_state::absent)
                continue;
            for (auto const& w : t.exactly_one_of)
                one_of += (w == m.meta->wire);
        }
        if (auto why = exactly_one_problem(t.exactly_one_of, one_of); !why.empty())
            problems.add(object_where(), std::move(why));
    }
};

// ---------------------------------------------------------------- decoding a DOM

class dom_decoder : public rules {
  public:
    explicit dom_decoder(decode_options const& opt) : rules(opt, opt.max_problems), path(opt.path) {}

    std::string path;

    std::string where() const override { return path; }
    std::string object_where() const override { return path; }

    void value(boost::json::value const& jv, slot const& s)
    {
        auto const& t = *s.type;
        if (auto const* arr = jv.if_array()) {
            if (t.kind == value_kind::json)
                *static_cast<boost::json::value*>(emplace(s)) = jv;
            else if (t.kind != value_kind::array)
                mismatch(t, "array");
            else
                array(*arr, t, emplace(s), s.accept);
        } else if (auto const* obj = jv.if_object()) {
            if (t.kind == value_kind::json)
                *static_cast<boost::json::value*>(emplace(s)) = jv;
            else if (t.kind == value_kind::map)
                map(*obj, t, emplace(s), s.accept);
            else if (t.kind != value_kind::object)
                mismatch(t, "object");
            else
                object(*obj, t, emplace(s));
        } else {
            put(s, scalar_of(jv));
        }
    }

  private:
    void array(boost::json::array const& arr, runtime_type const& t, void* vec, unsigned char accept)
    {
        for (std::size_t i = 0; i < arr.size(); ++i) {
            auto const n = path.size();
            push_index(path, i);
            value(arr[i], slot{t.element, t.vec->append(vec), nullptr, holder::plain, accept});
            path.resize(n);
        }
    }

    /// Every key is an entry: nothing is unknown. The DOM holds a key once
    /// (the last of a repeated one).
    void map(boost::json::object const& obj, runtime_type const& t, void* out, unsigned char accept)
    {
        for (auto const& kv : obj) {
            std::string_view stored;
            auto const n = path.size();
            push_key(path, kv.key());
            bool fresh = true;
            void* v = t.map->insert(out, kv.key(), &stored, &fresh);
            value(kv.value(), slot{t.element, v, nullptr, holder::plain, accept});
            path.resize(n);
        }
    }

    void object(boost::json::object const& obj, runtime_type const& t, void* out)
    {
        std::vector<unsigned char> seen(t.members.size(), 0);
        std::size_t matched = 0;
        for (std::size_t i = 0; i < t.members.size(); ++i) {
            auto const& m = t.members[i];
            if (m.meta->in != location::body)
                continue;
            auto const* item = obj.if_contains(m.meta->wire);
            if (!item)
                continue;
            seen[i] = 1;
            ++matched;
            auto const n = path.size();
            push_key(path, m.meta->wire);
            value(*item, slot{m.type, m.at(out), m.ops, m.held, m.meta->accept});
            path.resize(n);
        }
        if (opt.strict && matched != obj.size()) {
            for (auto const& kv : obj) {
                bool known = false;
                for (auto const& m : t.members)
                    known =
                        known || (m.meta->in == location::body && m.meta->wire == std::string_view(kv.key()));
                if (!known) {
                    auto const n = path.size();
                    push_key(path, kv.key());
                    report("unknown field");
                    path.resize(n);
                }
            }
        }
        finish_object(t, out, seen.data());
    }
};

// ---------------------------------------------------------------- decoding text

/// "line L, column C" (1-based) of a byte offset, for error messages.
inline std::string line_col(std::string_view text, std::size_t offset)
{
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n')
            ++line, col = 1;
        else
            ++col;
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

/// "invalid JSON at line 1, column 9 (byte 8): unexpected character '}'".
inline error syntax_error(std::string_view text, std::size_t at, json_fault fault, decode_options const& opt)
{
    namespace je = boost::json;
    std::string what;
    je::error cause = je::error::syntax; // the nearest of Boost.JSON's codes, for error::cause
    switch (fault) {
    case json_fault::incomplete:
        what = "unexpected end of input", cause = je::error::incomplete;
        break;
    case json_fault::extra_data:
        what = "more data after the JSON value", cause = je::error::extra_data;
        break;
    case json_fault::too_deep:
        what = "nested deeper than " + std::to_string(opt.max_depth) + " levels (decode_options::max_depth)";
        cause = je::error::too_deep;
        break;
    case json_fault::exponent_overflow:
        what = "number exponent too large", cause = je::error::exponent_overflow;
        break;
    case json_fault::lone_surrogate:
        what = "invalid \\u escape: a lone UTF-16 surrogate", cause = je::error::illegal_leading_surrogate;
        break;
    case json_fault::bad_escape:
        what = "invalid escape \"" + printable(text.substr(at, 2), 8) +
               "\" (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)";
        break;
    case json_fault::bad_hex:
        what = "invalid \\u escape: expected a hex digit", cause = je::error::expected_hex_digit;
        break;
    default:
        if (at >= text.size()) {
            what = "unexpected end of input", cause = je::error::incomplete;
            break;
        }
        static constexpr char hex[] = "0123456789abcdef";
        auto const c = static_cast<unsigned char>(text[at]);
        std::string const byte = std::string("0x") + hex[c >> 4] + hex[c & 15];
        if (c >= 0x80)
            what = "invalid UTF-8 byte " + byte;
        else if (c < 0x20 || c == 0x7f)
            what = "unexpected control character " + byte + " (escape it inside a string)";
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            auto end = at;
            while (end < text.size() && end - at < 16 && std::isalnum(static_cast<unsigned char>(text[end])))
                ++end;
            what = "invalid literal \"" + std::string(text.substr(at, end - at)) +
                   "\" (JSON has true, false and null; strings are quoted)";
        } else
            what = std::string("unexpected character '") + static_cast<char>(c) + "'";
    }
    auto e = make_error(error_kind::decode, "invalid JSON at " + line_col(text, at) + " (byte " +
                                                std::to_string(at) + "): " + what);
    e.cause = cause;
    return e;
}

/// The json_reader handler of the direct path.
class text_handler : public rules {
  public:
    /// `last_wins`: a known key that repeats replaces what its earlier
    /// occurrences gave, their problems forgotten (the problems are all kept
    /// until the end, to forget exactly); otherwise the reader stops there.
    text_handler(runtime_type const& t, void* out, decode_options const& opt, bool last_wins)
        : rules(opt, last_wins ? std::size_t(-1) : opt.max_problems), root_{&t, out, nullptr, holder::plain,
                                                                            accept_none},
          last_wins_(last_wins)
    {
    }

    bool repeated = false; ///< a known key repeated, and not last_wins: the reader stopped

    std::string where() const override { return path_of(true); }
    std::string object_where() const override { return path_of(false); }

    bool object_begin()
    {
        if (nested())
            return true;
        if (stack_.empty() && !opt.envelope.empty()) {
            push(frame::envelope, nullptr, nullptr, accept_none);
            return true;
        }
        auto const s = next_slot();
        if (!s.type) {
            skip_ = 1;
        } else if (s.type->kind == value_kind::object) {
            auto const first = seen_.size();
            seen_.resize(first + s.type->members.size(), 0);
            push(frame::object, s.type, emplace(s), accept_none);
            stack_.back().seen = first;
        } else if (s.type->kind == value_kind::map) {
            push(frame::map, s.type, emplace(s), s.accept);
        } else if (s.type->kind == value_kind::json) {
            begin_capture(s);
        } else {
            mismatch(*s.type, "object");
            skip_ = 1;
        }
        return true;
    }

    bool object_end(std::size_t n)
    {
        if (skip_) {
            --skip_;
            return true;
        }
        if (capture_) {
            vs_->push_object(n);
            return --capture_ ? true : end_capture();
        }
        auto const& f = stack_.back();
        if (f.k == frame::envelope) {
            if (!envelope_seen_)
                problems.add({}, "expected an object with a \"" + std::string(opt.envelope) + "\" member");
        } else if (f.k == frame::object) {
            if (f.type->check_at_end)
                finish_object(*f.type, f.at, seen_.data() + f.seen);
            seen_.resize(f.seen);
        }
        stack_.pop_back();
        return true;
    }

    bool array_begin()
    {
        if (nested())
            return true;
        if (stack_.empty() && !opt.envelope.empty()) {
            not_envelope("array");
            skip_ = 1;
            return true;
        }
        auto const s = next_slot();
        if (!s.type) {
            skip_ = 1;
        } else if (s.type->kind == value_kind::array) {
            push(frame::array, s.type, emplace(s), s.accept);
        } else if (s.type->kind == value_kind::json) {
            begin_capture(s);
        } else {
            mismatch(*s.type, "array");
            skip_ = 1;
        }
        return true;
    }

    bool array_end(std::size_t n)
    {
        if (skip_) {
            --skip_;
            return true;
        }
        if (capture_) {
            vs_->push_array(n);
            return --capture_ ? true : end_capture();
        }
        stack_.pop_back();
        return true;
    }

    bool key(std::string_view key)
    {
        if (skip_)
            return true;
        if (capture_) {
            vs_->push_key(key);
            return true;
        }
        auto& f = stack_.back();
        pending_ = {};
        if (f.k == frame::object) { // the common case first
            // Servers mostly send keys in the schema's order: look where the
            // previous key matched first.
            auto const& members = f.type->members;
            auto const n = members.size();
            for (std::size_t k = 0, i = f.hint; k < n; ++k, ++i) {
                if (i == n)
                    i = 0;
                auto const& m = members[i];
                if (m.meta->wire.size() != key.size() || m.meta->wire != key || m.meta->in != location::body)
                    continue;
                if (seen_[f.seen + i]) {
                    if (!last_wins_)
                        return repeat();
                    auto p = object_where();
                    push_key(p, key);
                    problems.forget(p);
                    void* at = m.at(f.at);
                    if (m.ops)
                        m.ops->set_null(at); // absent or null: the last occurrence sets it
                    else
                        renew(*m.type, at);
                }
                seen_[f.seen + i] = 1;
                f.hint = i + 1;
                f.current = m.meta->wire;
                pending_ = slot{m.type, m.at(f.at), m.ops, m.held, m.meta->accept};
                break;
            }
            if (!pending_.type && opt.strict) {
                auto p = object_where();
                push_key(p, key);
                problems.add(p, "unknown field");
            }
        } else if (f.k == frame::map) {
            // A repeated key: the last one wins, as for a repeated member.
            std::string_view stored;
            bool fresh = true;
            void* v = f.type->map->insert(f.at, key, &stored, &fresh);
            if (!fresh) {
                if (!last_wins_)
                    return repeat();
                auto p = object_where();
                push_key(p, stored);
                problems.forget(p);
                renew(*f.type->element, v);
            }
            f.current = stored;
            pending_ = slot{f.type->element, v, nullptr, holder::plain, f.accept};
        } else { // the envelope
            if (key == opt.envelope) {
                if (envelope_seen_) {
                    if (!last_wins_)
                        return repeat();
                    problems.forget(opt.path);
                    renew(*root_.type, root_.at);
                }
                envelope_seen_ = true;
                pending_ = root_;
            }
        }
        return true;
    }

    bool string(std::string_view s)
    {
        if (skip_)
            return true;
        if (capture_) {
            vs_->push_string(s);
            return true;
        }
        scalar v;
        v.k = scalar::kind::string;
        v.s = s;
        scalar_value(v);
        return true;
    }

    bool int64(std::int64_t i)
    {
        if (capture_ && !skip_)
            vs_->push_int64(i);
        else
            scalar_value(scalar{scalar::kind::int64, false, i});
        return true;
    }

    bool uint64(std::uint64_t u)
    {
        if (capture_ && !skip_)
            vs_->push_uint64(u);
        else
            scalar_value(scalar{scalar::kind::uint64, false, 0, u});
        return true;
    }

    /// `integer_literal`: an integer that does not fit 64 bits, read as a double.
    bool number(double d, bool integer_literal)
    {
        if (skip_)
            return true;
        if (capture_) {
            vs_->push_double(d);
        } else {
            scalar v{scalar::kind::number, false, 0, 0, d};
            v.big_integer = integer_literal;
            scalar_value(v);
        }
        return true;
    }

    bool boolean(bool b)
    {
        if (capture_ && !skip_)
            vs_->push_bool(b);
        else
            scalar_value(scalar{scalar::kind::boolean, b});
        return true;
    }

    bool null()
    {
        if (capture_ && !skip_)
            vs_->push_null();
        else
            scalar_value(scalar{});
        return true;
    }

  private:
    struct frame {
        enum kind_t : unsigned char { object, array, envelope, map } k;
        runtime_type const* type;
        void* at;                 ///< object: the struct; array: the vector; map: the map
        unsigned char accept;     ///< array, map: `accept:` of its elements
        std::string_view key{};   ///< where this value is in its parent object or map; null data: nowhere
        std::size_t index = 0;    ///< where this value is in its parent array
        bool in_array = false;    ///< index, not key
        std::size_t seen = 0;     ///< object: where its members' flags start in seen_
        std::size_t hint = 0;     ///< object: the member after the last one matched
        std::string_view current; ///< object: the member being read; map: the key (the map's copy)
        std::size_t count = 0;    ///< array: elements so far
    };

    slot root_;
    std::vector<frame> stack_;
    std::vector<unsigned char> seen_;
    slot pending_;
    std::size_t skip_ = 0;    ///< depth inside a value being skipped
    std::size_t capture_ = 0; ///< depth inside a free-form JSON value being built
    std::optional<boost::json::value_stack> vs_;
    boost::json::value* capture_to_ = nullptr;
    bool envelope_seen_ = false;
    bool last_wins_ = false;

    /// The path of the value being read (`current`), or of the innermost object.
    std::string path_of(bool current) const
    {
        std::string p(opt.path);
        for (auto const& f : stack_) {
            if (f.in_array)
                push_index(p, f.index);
            else if (f.key.data()) // a map's key may be "" (`[""]`)
                push_key(p, f.key);
        }
        if (current && !stack_.empty()) {
            auto const& top = stack_.back();
            if (top.k == frame::array)
                push_index(p, top.count - 1);
            else if (top.k == frame::object || top.k == frame::map)
                push_key(p, top.current);
        }
        return p;
    }

    /// A new array or object frame, placed where the value being read is.
    void push(frame::kind_t k, runtime_type const* type, void* at, unsigned char accept)
    {
        frame f{};
        f.k = k;
        f.type = type;
        f.at = at;
        f.accept = accept;
        if (!stack_.empty()) {
            auto const& parent = stack_.back();
            if (parent.k == frame::array) {
                f.in_array = true;
                f.index = parent.count - 1;
            } else if (parent.k == frame::object || parent.k == frame::map) {
                f.key = parent.current;
            }
        }
        stack_.push_back(f);
    }

    bool nested()
    {
        if (skip_)
            ++skip_;
        else if (capture_)
            ++capture_;
        else
            return false;
        return true;
    }

    /// A value made value-initialized again.
    static void renew(runtime_type const& t, void* at)
    {
        t.storage->destroy(at);
        t.storage->construct(at);
    }

    bool repeat()
    {
        repeated = true;
        return false; // stops the reader; `repeated` says why
    }

    void not_envelope(char const* found)
    {
        problems.add({}, "expected an object with a \"" + std::string(opt.envelope) + "\" member, found " +
                             found);
    }

    /// Where the value that starts now goes (arrays: a new element).
    slot next_slot()
    {
        if (stack_.empty())
            return root_;
        auto& f = stack_.back();
        if (f.k == frame::array) {
            ++f.count;
            return slot{f.type->element, f.type->vec->append(f.at), nullptr, holder::plain, f.accept};
        }
        return pending_;
    }

    void scalar_value(scalar const& v)
    {
        if (skip_)
            return;
        if (stack_.empty() && !opt.envelope.empty())
            return not_envelope(found_name(v));
        auto const s = next_slot();
        if (s.type)
            put(s, v);
    }

    void begin_capture(slot const& s)
    {
        if (!vs_)
            vs_.emplace();
        vs_->reset();
        capture_to_ = static_cast<boost::json::value*>(emplace(s));
        capture_ = 1;
    }

    bool end_capture()
    {
        *capture_to_ = vs_->release();
        return true;
    }
};

} // namespace codec

namespace codec {

/// One pass of the reader with text_handler; false: a known key repeated
/// (only without last_wins).
inline result<bool> read_text(runtime_type const& t, void* out, std::string_view text,
                              decode_options const& opt, bool last_wins)
{
    codec::text_handler h(t, out, opt, last_wins);
    auto const r = json_reader<codec::text_handler>(h, opt.max_depth).read(text);
    if (h.repeated)
        return false;
    if (r.fault != json_fault::none)
        return codec::syntax_error(text, r.offset, r.fault, opt);
    h.problems.keep_at_most(opt.max_problems);
    if (auto done = h.problems.finish(); !done)
        return done.error();
    return true;
}

} // namespace codec

RESTSCHEMA_DECL result<void> decode_text(runtime_type const& t, void* out, std::string_view text,
                                         decode_options const& opt)
{
    auto const direct = codec::read_text(t, out, text, opt, false);
    if (!direct)
        return direct.error();
    if (*direct)
        return {};
    // A known key repeated: read again, the last occurrence winning. Rare, so
    // the common pass keeps no more problems than it reports.
    t.storage->destroy(out);
    t.storage->construct(out);
    if (auto again = codec::read_text(t, out, text, opt, true); !again)
        return again.error();
    return {};
}

RESTSCHEMA_DECL result<boost::json::value> parse_json_text(std::string_view text, decode_options const& opt)
{
    // The direct path into free-form JSON: one reader serves both.
    boost::json::value jv;
    decode_options o = opt;
    o.envelope = {};
    // free-form JSON has no typed keys to repeat: one pass
    if (auto r = codec::read_text(runtime_type_of<boost::json::value>, &jv, text, o, false); !r)
        return r.error();
    return jv;
}

RESTSCHEMA_DECL result<void> decode_dom(runtime_type const& t, void* out, boost::json::value const& jv,
                                        decode_options const& opt)
{
    codec::dom_decoder d(opt);
    d.value(jv, codec::slot{&t, out, nullptr, holder::plain, accept_none});
    return d.problems.finish();
}

// ---------------------------------------------------------------- encoding

namespace codec {

/// For each byte: 0 written as it is, 1 escaped, 2 starts a multi-byte sequence.
inline constexpr auto string_byte_class = [] {
    std::array<unsigned char, 256> t{};
    for (int c = 0; c < 0x20; ++c)
        t[c] = 1;
    t['"'] = t['\\'] = 1;
    for (int c = 0x80; c < 0x100; ++c)
        t[c] = 2;
    return t;
}();

/// Appends `s` as a JSON string (quotes and escapes) in one pass; false when
/// it is not UTF-8 (`out` is then left with part of it).
inline bool append_string(std::string& out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    auto const* p = reinterpret_cast<unsigned char const*>(s.data());
    std::size_t const n = s.size();
    out += '"';
    std::size_t run = 0; // start of the bytes written as they are
    std::size_t i = 0;
    while (i < n) {
        auto const kind = string_byte_class[p[i]];
        if (kind == 0) {
            ++i;
            continue;
        }
        if (kind == 2) {
            auto const len = utf8_sequence(p + i, n - i);
            if (!len)
                return false;
            i += len;
            continue;
        }
        out.append(s.data() + run, i - run);
        auto const c = p[i];
        run = ++i;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    out.append(s.data() + run, n - run);
    out += '"';
    return true;
}

/// What JSON cannot hold, found while encoding: the first one. Its path is
/// built on the way out of the failed value, so that encoding that succeeds
/// keeps none.
class encode_check {
  public:
    std::optional<problem> failed;

    bool fail(std::string message)
    {
        if (!failed)
            failed = problem{{}, std::move(message)};
        return false;
    }

    bool not_utf8(std::string_view s) { return fail(utf8_problem(s)); }

    bool not_finite(double) { return fail(std::string(not_finite_problem)); }

    bool not_listed(runtime_type const& t) { return fail("is not a value of " + std::string(t.name)); }

    /// The failed value was the member `key` of an object: prefix its path.
    bool in_key(std::string_view key)
    {
        std::string p;
        push_key(p, key);
        return prefix(std::move(p));
    }

    /// The failed value was element `i` of an array.
    bool in_index(std::size_t i)
    {
        std::string p;
        push_index(p, i);
        return prefix(std::move(p));
    }

    error to_error()
    {
        auto const& p = *failed;
        std::string msg = (p.path.empty() ? "" : p.path + ": ") + p.message;
        return make_error(error_kind::validation, std::move(msg), {std::move(*failed)});
    }

  private:
    bool prefix(std::string segment)
    {
        auto& path = failed->path;
        if (!path.empty() && path.front() != '[')
            segment += '.';
        path.insert(0, segment);
        return false;
    }
};

class text_encoder : public encode_check {
  public:
    text_encoder(std::string& out, bool redact) : out_(out), redact_(redact) {}

    bool value(runtime_type const& t, void const* p)
    {
        switch (t.kind) {
        case value_kind::string: {
            auto const& s = *static_cast<std::string const*>(p);
            return append_string(out_, s) || not_utf8(s);
        }
        case value_kind::boolean:
            out_ += *static_cast<bool const*>(p) ? "true" : "false";
            return true;
        case value_kind::integer: {
            bool negative = false;
            auto const bits = load_integer(t, p, negative);
            char buf[24];
            auto const r = negative ? std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(bits))
                                    : std::to_chars(buf, buf + sizeof buf, bits);
            out_.append(buf, r.ptr);
            return true;
        }
        case value_kind::number: {
            double const d = t.single ? *static_cast<float const*>(p) : *static_cast<double const*>(p);
            if (!std::isfinite(d))
                return not_finite(d);
            append_number(out_, d);
            return true;
        }
        case value_kind::enumeration: {
            bool negative = false;
            auto const i = load_integer(t, p, negative);
            if (negative || i >= t.enum_names.size())
                return not_listed(t);
            return append_string(out_, t.enum_names[i]);
        }
        case value_kind::json:
            return json(*static_cast<boost::json::value const*>(p));
        case value_kind::array: {
            out_ += '[';
            auto const n = t.vec->size(p);
            for (std::size_t i = 0; i < n; ++i) {
                if (i)
                    out_ += ',';
                if (!value(*t.element, t.vec->at(p, i)))
                    return in_index(i);
            }
            out_ += ']';
            return true;
        }
        case value_kind::object: {
            out_ += '{';
            bool first = true;
            for (auto const& m : t.members) {
                if (m.meta->in != location::body)
                    continue;
                auto const state = member_state(m, p);
                if (state == held_state::absent)
                    continue;
                if (!first)
                    out_ += ',';
                first = false;
                append_string(out_, m.meta->wire);
                out_ += ':';
                if (state == held_state::null) {
                    out_ += "null";
                } else if (redact_ && m.meta->sensitive) {
                    out_ += '"';
                    out_ += redacted;
                    out_ += '"';
                } else {
                    if (!value(*m.type, member_value_ptr(m, p)))
                        return in_key(m.meta->wire);
                }
            }
            out_ += '}';
            return true;
        }
        case value_kind::map:
            return map(t, p);
        }
        return true;
    }

  private:
    std::string& out_;
    bool redact_;

    /// Entries in the map's order (by key, for std::map); keys escaped as strings are.
    bool map(runtime_type const& t, void const* p)
    {
        struct walk {
            text_encoder& e;
            runtime_type const& item;
            bool first = true;
        } w{*this, *t.element};
        out_ += '{';
        bool const ok = t.map->each(p, &w, [](void* ctx, std::string_view key, void const* v) {
            auto& w = *static_cast<walk*>(ctx);
            if (!w.first)
                w.e.out_ += ',';
            w.first = false;
            if (!append_string(w.e.out_, key))
                return w.e.not_utf8(key), w.e.in_key(key);
            w.e.out_ += ':';
            return w.e.value(w.item, v) || w.e.in_key(key);
        });
        out_ += '}';
        return ok;
    }

    bool json(boost::json::value const& jv)
    {
        switch (jv.kind()) {
        case boost::json::kind::null:
            out_ += "null";
            return true;
        case boost::json::kind::bool_:
            out_ += jv.get_bool() ? "true" : "false";
            return true;
        case boost::json::kind::int64:
        case boost::json::kind::uint64: {
            char buf[24];
            auto const r = jv.is_int64() ? std::to_chars(buf, buf + sizeof buf, jv.get_int64())
                                         : std::to_chars(buf, buf + sizeof buf, jv.get_uint64());
            out_.append(buf, r.ptr);
            return true;
        }
        case boost::json::kind::double_:
            if (!std::isfinite(jv.get_double()))
                return not_finite(jv.get_double());
            append_number(out_, jv.get_double());
            return true;
        case boost::json::kind::string:
            return append_string(out_, jv.get_string()) || not_utf8(jv.get_string());
        case boost::json::kind::array: {
            out_ += '[';
            auto const& arr = jv.get_array();
            for (std::size_t i = 0; i < arr.size(); ++i) {
                if (i)
                    out_ += ',';
                if (!json(arr[i]))
                    return in_index(i);
            }
            out_ += ']';
            return true;
        }
        case boost::json::kind::object: {
            out_ += '{';
            bool first = true;
            for (auto const& kv : jv.get_object()) {
                if (!first)
                    out_ += ',';
                first = false;
                if (!append_string(out_, kv.key()))
                    return not_utf8(kv.key()), in_key(kv.key());
                out_ += ':';
                if (!json(kv.value()))
                    return in_key(kv.key());
            }
            out_ += '}';
            return true;
        }
        }
        return true;
    }
};

/// The DOM encoder: the same checks, its own walk (the oracle of the text encoder).
class dom_encoder : public encode_check {
  public:
    bool value(runtime_type const& t, void const* p, boost::json::value& out)
    {
        switch (t.kind) {
        case value_kind::string: {
            auto const& s = *static_cast<std::string const*>(p);
            if (invalid_utf8_at(s) != std::string_view::npos)
                return not_utf8(s);
            out = boost::json::string(s);
            return true;
        }
        case value_kind::boolean:
            out = *static_cast<bool const*>(p);
            return true;
        case value_kind::integer: {
            bool negative = false;
            auto const bits = load_integer(t, p, negative);
            if (negative || bits <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                out = static_cast<std::int64_t>(bits);
            else
                out = bits;
            return true;
        }
        case value_kind::number: {
            double const d = t.single ? *static_cast<float const*>(p) : *static_cast<double const*>(p);
            if (!std::isfinite(d))
                return not_finite(d);
            out = d;
            return true;
        }
        case value_kind::enumeration: {
            bool negative = false;
            auto const i = load_integer(t, p, negative);
            if (negative || i >= t.enum_names.size())
                return not_listed(t);
            out = boost::json::string(t.enum_names[i]);
            return true;
        }
        case value_kind::json:
            return json(*static_cast<boost::json::value const*>(p), out);
        case value_kind::array: {
            auto& arr = out.emplace_array();
            auto const n = t.vec->size(p);
            arr.reserve(n);
            for (std::size_t i = 0; i < n; ++i) {
                if (!value(*t.element, t.vec->at(p, i), arr.emplace_back(nullptr)))
                    return in_index(i);
            }
            return true;
        }
        case value_kind::object: {
            auto& obj = out.emplace_object();
            for (auto const& m : t.members) {
                if (m.meta->in != location::body)
                    continue;
                auto const state = member_state(m, p);
                if (state == held_state::absent)
                    continue;
                auto& item = obj[m.meta->wire];
                if (state == held_state::null)
                    continue; // JSON null
                if (!value(*m.type, member_value_ptr(m, p), item))
                    return in_key(m.meta->wire);
            }
            return true;
        }
        case value_kind::map: {
            struct walk {
                dom_encoder& e;
                runtime_type const& item;
                boost::json::object& obj;
            } w{*this, *t.element, out.emplace_object()};
            w.obj.reserve(t.map->size(p));
            return t.map->each(p, &w, [](void* ctx, std::string_view key, void const* v) {
                auto& w = *static_cast<walk*>(ctx);
                if (invalid_utf8_at(key) != std::string_view::npos)
                    return w.e.not_utf8(key), w.e.in_key(key);
                return w.e.value(w.item, v, w.obj[key]) || w.e.in_key(key);
            });
        }
        }
        return true;
    }

  private:
    bool json(boost::json::value const& jv, boost::json::value& out)
    {
        // Free-form JSON is copied; only what JSON text cannot hold is refused.
        if (jv.is_double() && !std::isfinite(jv.get_double()))
            return not_finite(jv.get_double());
        if (auto const* s = jv.if_string(); s && invalid_utf8_at(*s) != std::string_view::npos)
            return not_utf8(*s);
        if (auto const* arr = jv.if_array()) {
            auto& o = out.emplace_array();
            for (std::size_t i = 0; i < arr->size(); ++i) {
                if (!json((*arr)[i], o.emplace_back(nullptr)))
                    return in_index(i);
            }
            return true;
        }
        if (auto const* obj = jv.if_object()) {
            auto& o = out.emplace_object();
            for (auto const& kv : *obj) {
                if (invalid_utf8_at(kv.key()) != std::string_view::npos)
                    return not_utf8(kv.key()), in_key(kv.key());
                if (!json(kv.value(), o[kv.key()]))
                    return in_key(kv.key());
            }
            return true;
        }
        out = jv;
        return true;
    }
};

} // namespace codec

RESTSCHEMA_DECL result<void> encode_text(runtime_type const& t, void const* in, std::string& out, bool redact)
{
    if (out.capacity() - out.size() < 1024)
        out.reserve(out.size() + 1024);
    codec::text_encoder e(out, redact);
    if (!e.value(t, in))
        return e.to_error();
    return {};
}

RESTSCHEMA_DECL boost::json::value encode_dom(runtime_type const& t, void const* in)
{
    codec::dom_encoder e;
    boost::json::value out;
    if (!e.value(t, in, out))
        throw exception(e.to_error());
    return out;
}

} // namespace restschema::detail
