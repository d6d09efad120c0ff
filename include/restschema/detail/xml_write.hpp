// restschema/detail/xml_write.hpp - JSON data written as Rails' to_xml writes it.
//
// The mock answers XML with it (restschema-mock, for `.xml` or Accept:
// application/xml), so it needs no XML library: it only writes. The
// conventions are ActiveSupport's Hash#to_xml: an element per member,
// dasherized names, `type="integer|float|boolean|array"`, `nil="true"` for
// null, a list's items as children named by the singular of the list's name
// (`<phone-numbers type="array"><phone-number>`), and a rails_time string
// ("2012/05/27 00:46:39 +0000") as an ISO 8601 `type="dateTime"`, as Rails
// writes a time. The runtime type, when given, says which strings are times.
#pragma once

#include <restschema/detail/formats.hpp>
#include <restschema/detail/runtime_type.hpp>

#include <boost/json/value.hpp>

#include <array>
#include <cstdio>
#include <string>
#include <string_view>

namespace restschema::detail::xml {

/// The singular of a plural, as ActiveSupport's default inflections have it
/// for the words APIs use: "phone_numbers" -> "phone_number", "aliases" ->
/// "alias", "addresses" -> "address", "categories" -> "category";
/// uncountable and singular words stay ("service_history", "information").
inline std::string singularize(std::string_view word)
{
    std::string w(word);
    auto const cut = w.find_last_of("_-");
    std::string const head = cut == std::string::npos ? std::string() : w.substr(0, cut + 1);
    std::string last = cut == std::string::npos ? w : w.substr(cut + 1);
    auto ends = [&](std::string_view s) { return last.size() >= s.size() && last.ends_with(s); };
    static constexpr std::array<std::string_view, 10> uncountable{
        "equipment", "information", "rice", "money", "species", "series", "fish", "sheep", "jeans", "police"};
    for (auto u : uncountable)
        if (last == u)
            return w;
    if (ends("aliases") || ends("statuses"))
        last.resize(last.size() - 2);
    else if (ends("xes") || ends("ches") || ends("sses") || ends("shes"))
        last.resize(last.size() - 2);
    else if (ends("ies") && last.size() > 3 &&
             std::string_view("aeiouy").find(last[last.size() - 4]) == std::string_view::npos)
        last = last.substr(0, last.size() - 3) + "y";
    else if (ends("ss"))
        ;
    else if (ends("s"))
        last.pop_back();
    return head + last;
}

/// Rails' dasherize: underscores become dashes.
inline std::string dasherize(std::string_view name)
{
    std::string out(name);
    for (auto& c : out)
        if (c == '_')
            c = '-';
    return out;
}

/// `s` as XML character data (attribute-safe): & < > " ' escaped; control
/// characters as character references (which XML 1.0 refuses: a reader says so).
inline void append_escaped(std::string& out, std::string_view s)
{
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r')
                out += "&#" + std::to_string(static_cast<unsigned char>(c)) + ";";
            else
                out += c;
        }
    }
}

/// "2012/05/27 00:46:39 +0000" -> "2012-05-27T00:46:39+00:00".
inline std::string iso_of_rails_time(std::string_view s)
{
    std::string out(s.substr(0, 10));
    out[4] = out[7] = '-';
    out += 'T';
    out += s.substr(11, 8);
    out += s.substr(20, 3);
    out += ':';
    out += s.substr(23, 2);
    return out;
}

class writer {
  public:
    std::string out;

    void element(std::string const& name, boost::json::value const& v, runtime_type const* t,
                 field_meta const* meta, int indent)
    {
        std::string const pad(static_cast<std::size_t>(indent) * 2, ' ');
        out += pad;
        switch (v.kind()) {
        case boost::json::kind::null:
            out += "<" + name + " nil=\"true\"/>\n";
            return;
        case boost::json::kind::bool_:
            out +=
                "<" + name + " type=\"boolean\">" + (v.get_bool() ? "true" : "false") + "</" + name + ">\n";
            return;
        case boost::json::kind::int64:
            out += "<" + name + " type=\"integer\">" + std::to_string(v.get_int64()) + "</" + name + ">\n";
            return;
        case boost::json::kind::uint64:
            out += "<" + name + " type=\"integer\">" + std::to_string(v.get_uint64()) + "</" + name + ">\n";
            return;
        case boost::json::kind::double_: {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.17g", v.get_double());
            out += "<" + name + " type=\"float\">" + buf + "</" + name + ">\n";
            return;
        }
        case boost::json::kind::string: {
            std::string_view const s = v.get_string();
            if (meta && meta->fmt == format::rails_time && is_rails_time(s)) {
                out += "<" + name + " type=\"dateTime\">" + iso_of_rails_time(s) + "</" + name + ">\n";
                return;
            }
            out += "<" + name + ">";
            append_escaped(out, s);
            out += "</" + name + ">\n";
            return;
        }
        case boost::json::kind::array: {
            auto const& a = v.get_array();
            if (a.empty()) {
                out += "<" + name + " type=\"array\"/>\n";
                return;
            }
            out += "<" + name + " type=\"array\">\n";
            auto const item = singularize(name);
            auto const* et = t && t->kind == value_kind::array ? t->element : nullptr;
            for (auto const& e : a)
                element(item, e, et, nullptr, indent + 1);
            out += pad + "</" + name + ">\n";
            return;
        }
        case boost::json::kind::object: {
            out += "<" + name + ">\n";
            for (auto const& [k, m] : v.get_object()) {
                runtime_type const* mt = nullptr;
                field_meta const* mm = nullptr;
                if (t && t->kind == value_kind::object)
                    for (auto const& cand : t->members)
                        if (cand.meta->wire == k) {
                            mt = cand.type;
                            mm = cand.meta;
                        }
                if (t && t->kind == value_kind::map)
                    mt = t->element;
                element(dasherize(k), m, mt, mm, indent + 1);
            }
            out += pad + "</" + name + ">\n";
            return;
        }
        }
    }
};

/// The XML document of `v`, its root element `root` (Rails: the model's name,
/// "hash" for a hash, "objects" for a list), guided by `t` when given.
inline std::string write(boost::json::value const& v, std::string_view root, runtime_type const* t = nullptr)
{
    writer w;
    w.out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    w.element(dasherize(root), v, t, nullptr, 0);
    return std::move(w.out);
}

} // namespace restschema::detail::xml
