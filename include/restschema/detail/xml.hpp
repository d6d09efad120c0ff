// restschema/detail/xml.hpp - XML bodies read by Expat, as Rails' to_xml writes them.
//
// Included by <restschema/xml.hpp> only: a program that never reads XML never
// sees Expat, in either build mode. Everything here is non-template and
// walks a type's runtime description (detail/runtime_type.hpp), so one copy
// serves every generated type.
//
// Reading is two steps. Expat parses the text into a small element tree,
// with these bounds: the text is at most `max_size` bytes and valid UTF-8,
// elements nest at most decode_options::max_depth deep, and a DOCTYPE or
// any entity declaration stops the parser (so no entity is expanded beyond
// the predefined five and the character references, and external entities
// are never read). Then the tree becomes the boost::json::value that the
// JSON of the same data would be, following Rails' conventions and the
// target type: an element per field (dasherized or underscored names both
// match a field's wire name), `type="integer|float|decimal|boolean|array|
// datetime|date"` attributes (ActiveSupport writes `dateTime`), `nil="true"` for null, arrays as repeated
// children of any name; datetimes in ISO 8601 become the field's own form
// (rails_time "YYYY/MM/DD HH:MM:SS +ZZZZ", unix_time seconds). The codec's
// decode_dom then checks and decodes that value, so the checks and their
// messages are the JSON path's.
#pragma once

#include <restschema/codec.hpp>
#include <restschema/detail/formats.hpp>
#include <restschema/detail/runtime_type.hpp>
#include <restschema/detail/redact.hpp> // printable
#include <restschema/detail/utf8.hpp>
#include <restschema/impl/codec.hpp>

#include <boost/json/value.hpp>

#include <expat.h>

#include <charconv>
#include <climits>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace restschema::detail::xml {

/// One element: its name, the two attributes Rails' reader knows, its text
/// and its children, and where it starts.
struct node {
    std::string name;
    std::string type; ///< the `type` attribute, "" when absent
    bool nil = false; ///< nil="true"
    std::string text; ///< character data directly inside it
    std::vector<node> children;
    unsigned long line = 0, column = 0;
};

/// "line 3, column 7".
inline std::string place(unsigned long line, unsigned long column)
{
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/// "line 3, column 7" of byte `offset` of `text` (columns count bytes).
inline std::string place_of_offset(std::string_view text, std::size_t offset)
{
    unsigned long line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n')
            line++, col = 1;
        else
            ++col;
    }
    return place(line, col);
}

/// The parser's state, shared with the Expat callbacks.
struct reader {
    XML_Parser parser = nullptr;
    std::size_t max_depth = 128;
    std::vector<node> stack; ///< open elements, the innermost last
    node root;
    bool have_root = false;
    std::string failure; ///< why a callback stopped the parser

    std::string element_path() const
    {
        std::string p;
        for (auto const& n : stack)
            p += (p.empty() ? "" : "/") + n.name;
        return p.empty() ? std::string("the document") : "<" + p + ">";
    }
    std::string here() const
    {
        return place(XML_GetCurrentLineNumber(parser), XML_GetCurrentColumnNumber(parser) + 1);
    }
    void stop(std::string why)
    {
        if (failure.empty())
            failure = std::move(why);
        XML_StopParser(parser, XML_FALSE);
    }

    static void XMLCALL on_start(void* self, XML_Char const* name, XML_Char const** attrs)
    {
        auto& r = *static_cast<reader*>(self);
        if (r.stack.size() >= r.max_depth) {
            r.stop("XML nested deeper than " + std::to_string(r.max_depth) +
                   " elements (decode_options::max_depth) in " + r.element_path() + " at " + r.here());
            return;
        }
        node n;
        n.name = name;
        n.line = XML_GetCurrentLineNumber(r.parser);
        n.column = XML_GetCurrentColumnNumber(r.parser) + 1;
        for (auto a = attrs; *a; a += 2) {
            std::string_view const k = a[0], v = a[1];
            if (k == "type")
                n.type = v;
            else if (k == "nil")
                n.nil = v == "true";
        }
        r.stack.push_back(std::move(n));
    }
    static void XMLCALL on_end(void* self, XML_Char const*)
    {
        auto& r = *static_cast<reader*>(self);
        if (r.stack.empty())
            return;
        node n = std::move(r.stack.back());
        r.stack.pop_back();
        if (r.stack.empty()) {
            r.root = std::move(n);
            r.have_root = true;
        } else {
            r.stack.back().children.push_back(std::move(n));
        }
    }
    static void XMLCALL on_text(void* self, XML_Char const* s, int len)
    {
        auto& r = *static_cast<reader*>(self);
        if (!r.stack.empty())
            r.stack.back().text.append(s, static_cast<std::size_t>(len));
    }
    static void XMLCALL on_doctype(void* self, XML_Char const* name, XML_Char const*, XML_Char const*, int)
    {
        auto& r = *static_cast<reader*>(self);
        r.stop(std::string("XML DOCTYPE declarations are refused (<!DOCTYPE ") + name + "> at " + r.here() +
               "): entities are not expanded beyond the predefined five");
    }
    static void XMLCALL on_entity(void* self, XML_Char const* name, int, XML_Char const*, int,
                                  XML_Char const*, XML_Char const*, XML_Char const*, XML_Char const*)
    {
        auto& r = *static_cast<reader*>(self);
        r.stop(std::string("XML entity declarations are refused (<!ENTITY ") + name + "> at " + r.here() +
               ")");
    }
};

/// Parses `text` into its root element. Errors (kind decode) say what and
/// where: the element path and the line and column.
inline result<node> parse(std::string_view text, std::size_t max_size, std::size_t max_depth)
{
    if (text.size() > max_size || text.size() > static_cast<std::size_t>(INT_MAX))
        return make_error(error_kind::decode, "XML body of " + std::to_string(text.size()) +
                                                  " bytes is larger than the limit of " +
                                                  std::to_string(max_size) + " bytes");
    if (auto at = invalid_utf8_at(text); at != std::string_view::npos) {
        static constexpr char hex[] = "0123456789abcdef";
        auto const c = static_cast<unsigned char>(text[at]);
        return make_error(error_kind::decode, std::string("XML is not valid UTF-8: byte 0x") + hex[c >> 4] +
                                                  hex[c & 15] + " at " + place_of_offset(text, at) +
                                                  " (byte " + std::to_string(at) + ")");
    }
    reader r;
    r.max_depth = max_depth;
    // UTF-8 whatever the document declares; no namespace processing (names are taken as written).
    r.parser = XML_ParserCreate("UTF-8");
    if (!r.parser)
        return make_error(error_kind::decode, "XML parser could not be created (out of memory)");
    struct closer {
        XML_Parser p;
        ~closer() { XML_ParserFree(p); }
    } const guard{r.parser};
    XML_SetUserData(r.parser, &r);
    XML_SetElementHandler(r.parser, &reader::on_start, &reader::on_end);
    XML_SetCharacterDataHandler(r.parser, &reader::on_text);
    XML_SetStartDoctypeDeclHandler(r.parser, &reader::on_doctype);
    XML_SetEntityDeclHandler(r.parser, &reader::on_entity);
    XML_SetParamEntityParsing(r.parser, XML_PARAM_ENTITY_PARSING_NEVER);
    auto const status = XML_Parse(r.parser, text.data(), static_cast<int>(text.size()), XML_TRUE);
    if (!r.failure.empty())
        return make_error(error_kind::decode, std::move(r.failure));
    if (status != XML_STATUS_OK)
        return make_error(
            error_kind::decode,
            std::string("invalid XML: ") + XML_ErrorString(XML_GetErrorCode(r.parser)) + " at " +
                place(XML_GetCurrentLineNumber(r.parser), XML_GetCurrentColumnNumber(r.parser) + 1) +
                (r.stack.empty() ? std::string() : " in " + r.element_path()));
    if (!r.have_root)
        return make_error(error_kind::decode, "XML has no root element");
    return std::move(r.root);
}

/// Whether an element name stands for a wire name: equal, with '-' and '_' alike
/// (Rails dasherizes by default; a schema may declare underscored names).
inline bool same_name(std::string_view element, std::string_view wire) noexcept
{
    if (element.size() != wire.size())
        return false;
    for (std::size_t i = 0; i < element.size(); ++i) {
        char a = element[i], b = wire[i];
        if (a == '-')
            a = '_';
        if (b == '-')
            b = '_';
        if (a != b)
            return false;
    }
    return true;
}

inline bool is_blank(std::string_view s) noexcept
{
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept
{
    y -= m <= 2;
    std::int64_t const era = (y >= 0 ? y : y - 399) / 400;
    auto const yoe = static_cast<unsigned>(y - era * 400);
    unsigned const doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// An ISO 8601 date-time as Rails' xmlschema writes it, "2012-05-27T00:46:39Z"
/// or "...+02:00" (optional fraction): its parts, offset in minutes.
struct iso_time {
    std::string_view date, time; ///< "2012-05-27", "00:46:39"
    int offset_minutes = 0;
    bool fraction = false;
};

inline bool parse_iso(std::string_view s, iso_time& out) noexcept
{
    if (!is_date_time(s))
        return false;
    out.date = s.substr(0, 10);
    out.time = s.substr(11, 8);
    std::size_t i = 19;
    if (i < s.size() && s[i] == '.') {
        out.fraction = true;
        ++i;
        while (i < s.size() && is_digit(s[i]))
            ++i;
    }
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z'))
        out.offset_minutes = 0;
    else if (i + 6 == s.size())
        out.offset_minutes = (s[i] == '-' ? -1 : 1) * (num_at(s, i + 1, 2) * 60 + num_at(s, i + 4, 2));
    else
        return false;
    return true;
}

/// Turns the element tree into the JSON value of the same data, guided by
/// the target type; problems carry the JSON path the decoder would report.
class converter {
  public:
    converter(decode_options const& opt) : opt_(opt) {}

    std::vector<problem> problems;
    std::map<std::string, std::string, std::less<>> places; ///< JSON path -> "line L, column C"

    boost::json::value value(runtime_type const* t, field_meta const* meta, node const& n,
                             std::string const& path)
    {
        places.emplace(path, place(n.line, n.column));
        if (n.nil)
            return nullptr;
        auto const kind = t ? t->kind : value_kind::json;
        std::string_view const ty = n.type;
        if (ty == "array" || (ty.empty() && kind == value_kind::array && is_blank(n.text))) {
            boost::json::array a;
            a.reserve(n.children.size());
            auto const* item = kind == value_kind::array ? t->element : nullptr;
            for (std::size_t i = 0; i < n.children.size(); ++i)
                a.push_back(value(item, nullptr, n.children[i], path + "[" + std::to_string(i) + "]"));
            text_beside_children(n, path);
            return a;
        }
        if (!n.children.empty() ||
            (ty.empty() && is_blank(n.text) && (kind == value_kind::object || kind == value_kind::map)))
            return object(t, n, path);
        return scalar(t, meta, n, path);
    }

  private:
    decode_options const& opt_;

    void add(std::string const& path, node const& n, std::string message)
    {
        problems.push_back({path, std::move(message) + " (XML " + place(n.line, n.column) + ")"});
    }

    void text_beside_children(node const& n, std::string const& path)
    {
        if (!n.children.empty() && !is_blank(n.text))
            add(path, n, "element <" + n.name + "> has both text and child elements");
    }

    static std::string child_path(std::string const& path, std::string_view key)
    {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }

    boost::json::value object(runtime_type const* t, node const& n, std::string const& path)
    {
        boost::json::object o;
        text_beside_children(n, path);
        for (auto const& c : n.children) {
            runtime_member const* m = nullptr;
            if (t && t->kind == value_kind::object)
                for (auto const& cand : t->members)
                    if (same_name(c.name, cand.meta->wire)) {
                        m = &cand;
                        break;
                    }
            if (m) {
                auto const key = m->meta->wire;
                o[key] = value(m->type, m->meta, c, child_path(path, key));
            } else if (t && t->kind == value_kind::map) {
                o[c.name] = value(t->element, nullptr, c, child_path(path, c.name));
            } else {
                // Not in the schema: kept under its underscored name, so that
                // decoding skips it as it skips an unknown JSON key (or, strict, names it).
                std::string key = c.name;
                for (auto& ch : key)
                    if (ch == '-')
                        ch = '_';
                auto v = value(nullptr, nullptr, c, child_path(path, key));
                o[key] = std::move(v);
            }
        }
        return o;
    }

    boost::json::value integer_of(std::string_view s, node const& n, std::string const& path, bool report)
    {
        std::int64_t i = 0;
        if (auto r = std::from_chars(s.data(), s.data() + s.size(), i);
            r.ec == std::errc{} && r.ptr == s.data() + s.size())
            return i;
        std::uint64_t u = 0;
        if (auto r = std::from_chars(s.data(), s.data() + s.size(), u);
            r.ec == std::errc{} && r.ptr == s.data() + s.size())
            return u;
        if (report)
            add(path, n, "expected an integer, found \"" + printable(s, 64) + "\"");
        return boost::json::string(s);
    }

    boost::json::value number_of(std::string_view s, node const& n, std::string const& path, bool report)
    {
        auto jv = integer_of(s, n, path, false);
        if (!jv.is_string())
            return jv;
        double d = 0;
        if (auto r = std::from_chars(s.data(), s.data() + s.size(), d);
            r.ec == std::errc{} && r.ptr == s.data() + s.size() && d - d == 0)
            return d;
        if (report)
            add(path, n, "expected a number, found \"" + printable(s, 64) + "\"");
        return boost::json::string(s);
    }

    boost::json::value boolean_of(std::string_view s, node const& n, std::string const& path, bool report)
    {
        if (s == "true" || s == "1")
            return true;
        if (s == "false" || s == "0")
            return false;
        if (report)
            add(path, n, "expected true or false, found \"" + printable(s, 64) + "\"");
        return boost::json::string(s);
    }

    static std::string two(int v)
    {
        return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
    }

    /// An ISO 8601 time in the field's format, when it has one of its own.
    boost::json::value time_of(std::string_view s, field_meta const* meta, node const& n,
                               std::string const& path)
    {
        iso_time t;
        if (!meta || (meta->fmt != format::rails_time && meta->fmt != format::unix_time) || !parse_iso(s, t))
            return boost::json::string(s);
        if (meta->fmt == format::rails_time) {
            if (t.fraction) {
                add(path, n,
                    "\"" + printable(s, 64) + "\" has fractional seconds, which rails_time cannot carry");
                return boost::json::string(s);
            }
            int const off = t.offset_minutes < 0 ? -t.offset_minutes : t.offset_minutes;
            std::string out(t.date);
            out[4] = out[7] = '/';
            out += ' ';
            out += t.time;
            out += t.offset_minutes < 0 ? " -" : " +";
            out += two(off / 60) + two(off % 60);
            return boost::json::string(out);
        }
        auto const days = days_from_civil(num_at(t.date, 0, 4), static_cast<unsigned>(num_at(t.date, 5, 2)),
                                          static_cast<unsigned>(num_at(t.date, 8, 2)));
        return days * 86400 + num_at(t.time, 0, 2) * 3600 + num_at(t.time, 3, 2) * 60 + num_at(t.time, 6, 2) -
               std::int64_t(t.offset_minutes) * 60;
    }

    boost::json::value scalar(runtime_type const* t, field_meta const* meta, node const& n,
                              std::string const& path)
    {
        std::string_view const ty = n.type;
        std::string_view const s = n.text;
        if (ty == "integer")
            return integer_of(s, n, path, true);
        if (ty == "float" || ty == "decimal" || ty == "double")
            return number_of(s, n, path, true);
        if (ty == "boolean")
            return boolean_of(s, n, path, true);
        if (ty == "datetime" || ty == "dateTime" || ty == "date")
            return time_of(s, meta, n, path);
        if (!ty.empty() && ty != "string" && ty != "symbol") {
            add(path, n,
                "type=\"" + printable(ty, 32) +
                    "\" is not one restschema reads (integer, float, "
                    "decimal, boolean, array, datetime, date, string)");
            return boost::json::string(s);
        }
        auto const kind = t ? t->kind : value_kind::json;
        // Untyped: the schema says what the text is; text that is not one
        // stays a string, for the decoder to report as JSON would be.
        if (ty.empty()) {
            if (kind == value_kind::integer)
                return integer_of(s, n, path, false);
            if (kind == value_kind::number)
                return number_of(s, n, path, false);
            if (kind == value_kind::boolean)
                return boolean_of(s, n, path, false);
        }
        return time_of(s, meta, n, path);
    }
};

/// Reads XML `text` into `*out` (described by `t`, value-initialized). With
/// opt.envelope the root element is the envelope (`<user>`), or holds it as
/// a child (`<hash><user>`).
inline result<void> decode(runtime_type const& t, void* out, std::string_view text, decode_options const& opt,
                           std::size_t max_size)
{
    auto root = parse(text, max_size, opt.max_depth);
    if (!root)
        return root.error();
    node const* payload = &*root;
    if (!opt.envelope.empty() && !same_name(root->name, opt.envelope)) {
        payload = nullptr;
        for (auto const& c : root->children)
            if (same_name(c.name, opt.envelope))
                payload = &c;
        if (!payload)
            return make_error(error_kind::decode, "expected XML root element <" + std::string(opt.envelope) +
                                                      ">, found <" + root->name + "> at " +
                                                      place(root->line, root->column));
    }
    converter conv(opt);
    auto jv = conv.value(&t, nullptr, *payload, std::string(opt.path));
    if (!conv.problems.empty()) {
        auto const n = conv.problems.size();
        auto const& p = conv.problems.front();
        std::string msg = (p.path.empty() ? p.message : p.path + ": " + p.message) +
                          (n > 1 ? " (and " + std::to_string(n - 1) + " more)" : std::string());
        if (conv.problems.size() > opt.max_problems)
            conv.problems.resize(opt.max_problems);
        return make_error(error_kind::decode, std::move(msg), std::move(conv.problems));
    }
    auto decoded = decode_dom(t, out, jv, opt);
    if (decoded)
        return {};
    // Name the XML place of each problem, as far as the JSON path leads.
    auto e = std::move(decoded).error();
    auto where = [&](std::string const& path) -> std::string {
        for (std::string p = path;;) {
            if (auto it = conv.places.find(p); it != conv.places.end())
                return " (XML " + it->second + ")";
            auto const cut = p.find_last_of(".[");
            if (cut == std::string::npos)
                return {};
            p.resize(cut);
        }
    };
    if (!e.problems.empty()) {
        auto const& f = e.problems.front();
        auto const first = f.path.empty() ? f.message : f.path + ": " + f.message;
        if (e.message.starts_with(first))
            e.message.insert(first.size(), where(f.path));
    }
    for (auto& pr : e.problems)
        pr.message += where(pr.path);
    return e;
}

} // namespace restschema::detail::xml
