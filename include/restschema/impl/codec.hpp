// restschema/impl/codec.hpp - template bodies of restschema/codec.hpp.
#pragma once

#include <restschema/detail/json_integer.hpp>
#include <restschema/detail/type_traits.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace restschema {
namespace detail {

// ---------------------------------------------------------------- encoding

template <class T>
void encode_into(boost::json::value& out, T const& v);

template <class M>
void encode_member(boost::json::object& obj, field_meta const& m, M const& member);

template <class T>
boost::json::value encode_value(T const& v)
{
    boost::json::value jv;
    encode_into(jv, v);
    return jv;
}

template <class T>
void encode_into(boost::json::value& out, T const& v)
{
    if constexpr (std::is_same_v<T, std::string>) {
        out = boost::json::string_view(v);
    } else if constexpr (std::is_same_v<T, bool>) {
        out = v;
    } else if constexpr (std::is_integral_v<T>) {
        out = static_cast<std::int64_t>(v);
    } else if constexpr (std::is_floating_point_v<T>) {
        out = static_cast<double>(v);
    } else if constexpr (std::is_same_v<T, boost::json::value>) {
        out = v;
    } else if constexpr (schema_enum<T>) {
        auto const i = static_cast<std::size_t>(v);
        auto const& names = enum_info<T>::wire_names;
        // An out-of-range value cannot be sent faithfully; validation reports it first.
        out = i < names.size() ? boost::json::string_view(names[i]) : boost::json::string_view("");
    } else if constexpr (is_vector<T>::value) {
        auto& arr = out.emplace_array();
        arr.reserve(v.size());
        for (auto const& e : v)
            encode_into(arr.emplace_back(nullptr), e);
    } else if constexpr (is_optional<T>::value) {
        if (v)
            encode_into(out, *v);
        else
            out = nullptr;
    } else if constexpr (is_nullable<T>::value) {
        if (v.has_value())
            encode_into(out, *v);
        else
            out = nullptr;
    } else {
        static_assert(schema_type<T>, "restschema: not a schema type (no type_info)");
        auto& obj = out.emplace_object();
        // The per-member step is a call to a function of the member's type, so
        // that its code is shared by every struct with a member of that type.
        for_each_field<T>([&](auto d, field_meta const& m) { encode_member(obj, m, v.*d.pointer); });
    }
}

template <class M>
void encode_member(boost::json::object& obj, field_meta const& m, M const& member)
{
    if (m.in != location::body || !is_present(member))
        return;
    encode_into(obj[m.wire], member);
}

// ---------------------------------------------------------------- decoding

class decoder {
  public:
    explicit decoder(decode_options const& opt) : opt_(opt), path_(opt.path) {}

    std::vector<problem> problems;

    template <class T>
    void decode(boost::json::value const& jv, T& out, unsigned char accept = accept_none)
    {
        if (full())
            return;
        if constexpr (std::is_same_v<T, std::string>) {
            decode_string(jv, out, accept);
        } else if constexpr (std::is_same_v<T, bool>) {
            if (jv.is_bool())
                out = jv.get_bool();
            else
                mismatch("boolean", jv);
        } else if constexpr (std::is_integral_v<T>) {
            decode_integer(jv, out, accept);
        } else if constexpr (std::is_floating_point_v<T>) {
            if (jv.is_number())
                out = static_cast<T>(jv.to_number<double>());
            else
                mismatch("number", jv);
        } else if constexpr (std::is_same_v<T, boost::json::value>) {
            out = jv;
        } else if constexpr (schema_enum<T>) {
            decode_enum(jv, out);
        } else if constexpr (is_vector<T>::value) {
            auto const* arr = jv.if_array();
            if (!arr)
                return mismatch("array", jv);
            out.clear();
            out.resize(arr->size());
            for (std::size_t i = 0; i < arr->size() && !full(); ++i) {
                auto const n = path_.size();
                path_ += '[';
                path_ += std::to_string(i);
                path_ += ']';
                decode((*arr)[i], out[i], accept);
                path_.resize(n);
            }
        } else if constexpr (is_optional<T>::value) {
            if (jv.is_null() && !opt_.strict) {
                out.reset();
                return;
            }
            decode(jv, out.emplace(), accept);
        } else if constexpr (is_nullable<T>::value) {
            if (jv.is_null()) {
                out = null;
                return;
            }
            decode(jv, out.emplace(), accept);
        } else {
            static_assert(schema_type<T>, "restschema: not a schema type (no type_info)");
            decode_object(jv, out);
        }
    }

  private:
    decode_options const& opt_;
    std::string path_;

    bool full() const noexcept { return problems.size() >= opt_.max_problems; }

    void report(std::string message)
    {
        if (!full())
            problems.push_back({path_, std::move(message)});
    }

    void mismatch(char const* expected, boost::json::value const& jv)
    {
        report(std::string("expected ") + expected + ", found " + kind_name(jv.kind()));
    }

    void decode_string(boost::json::value const& jv, std::string& out, unsigned char accept)
    {
        if (auto const* s = jv.if_string()) {
            out.assign(s->data(), s->size());
        } else if ((accept & (accept_integer | accept_number)) && (jv.is_int64() || jv.is_uint64())) {
            out = jv.is_int64() ? std::to_string(jv.get_int64()) : std::to_string(jv.get_uint64());
        } else if ((accept & accept_number) && jv.is_double()) {
            out = boost::json::serialize(jv);
        } else if ((accept & accept_boolean) && jv.is_bool()) {
            out = jv.get_bool() ? "true" : "false";
        } else {
            mismatch("string", jv);
        }
    }

    template <class I>
    void decode_integer(boost::json::value const& jv, I& out, unsigned char accept)
    {
        std::string why;
        auto const read = json_integer(jv, accept, why);
        if (!read)
            return report(std::move(why));
        std::int64_t const v = *read;
        if constexpr (!std::is_same_v<I, std::int64_t>) {
            if (v < std::numeric_limits<I>::min() || v > std::numeric_limits<I>::max())
                return report("integer out of range");
        }
        out = static_cast<I>(v);
    }

    template <class E>
    void decode_enum(boost::json::value const& jv, E& out)
    {
        auto const* s = jv.if_string();
        if (!s)
            return mismatch("string", jv);
        auto const& names = enum_info<E>::wire_names;
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (names[i] == std::string_view(*s)) {
                out = static_cast<E>(i);
                return;
            }
        }
        std::string expected = "expected one of ";
        for (std::size_t i = 0; i < names.size(); ++i) {
            expected += i ? "|" : "";
            expected += names[i];
        }
        report(expected + ", found \"" + std::string(s->data(), s->size()) + "\"");
    }

    /// One member of an object: a function of the member's type, shared by
    /// every struct that has a member of that type.
    template <class M>
    void decode_member(boost::json::object const& obj, field_meta const& m, M& member, std::size_t& matched)
    {
        if (m.in != location::body)
            return;
        auto const n = path_.size();
        if (!path_.empty())
            path_ += '.';
        path_ += m.wire;
        if (auto const* item = obj.if_contains(m.wire)) {
            ++matched;
            decode(*item, member, m.accept);
        } else if (m.required && !is_optional<M>::value) {
            report("missing required field");
        }
        path_.resize(n);
    }

    template <class T>
    void decode_object(boost::json::value const& jv, T& out)
    {
        auto const* obj = jv.if_object();
        if (!obj)
            return mismatch("object", jv);
        std::size_t matched = 0;
        for_each_field<T>(
            [&](auto d, field_meta const& m) { decode_member(*obj, m, out.*d.pointer, matched); });
        if (opt_.strict && matched != obj->size()) {
            for (auto const& kv : *obj) {
                bool known = false;
                for (auto const& m : type_info<T>::fields)
                    known = known || (m.in == location::body && m.wire == std::string_view(kv.key()));
                if (!known) {
                    auto const n = path_.size();
                    if (!path_.empty())
                        path_ += '.';
                    path_.append(kv.key().data(), kv.key().size());
                    report("unknown field");
                    path_.resize(n);
                }
            }
        }
    }
};

} // namespace detail

template <class T>
boost::json::value to_json(T const& value)
{
    return detail::encode_value(value);
}

template <class T>
result<T> try_from_json(boost::json::value const& jv, decode_options const& opt)
{
    T out{};
    detail::decoder d(opt);
    d.decode(jv, out);
    if (!d.problems.empty()) {
        auto n = d.problems.size();
        auto msg = d.problems.front().path.empty()
                       ? d.problems.front().message
                       : d.problems.front().path + ": " + d.problems.front().message;
        if (n > 1)
            msg += " (and " + std::to_string(n - 1) + " more)";
        return detail::make_error(error_kind::decode, std::move(msg), std::move(d.problems));
    }
    return out;
}

template <class T>
result<T> try_parse(std::string_view text, decode_options const& opt)
{
    boost::system::error_code ec;
    boost::json::value jv = boost::json::parse(text, ec);
    if (ec)
        return detail::make_error(error_kind::decode, "invalid JSON: " + ec.message());
    return try_from_json<T>(jv, opt);
}

} // namespace restschema
