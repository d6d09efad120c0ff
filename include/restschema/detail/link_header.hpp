// restschema/detail/link_header.hpp - the rel="next" target of a Link header (RFC 8288).
#pragma once

#include <restschema/detail/text.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace restschema::detail {

/// What a Link header says about the next page.
struct next_link {
    std::optional<std::string> target{}; ///< the URI reference of rel="next", when there is one
    std::string error{};                 ///< why the header is malformed, "" when it is not
};

/// Finds rel="next" in a Link field value: `<uri>; rel="next", <uri>; rel=last`.
/// Relation types are compared case-insensitively and a rel may list several
/// ("next last"). Several Link headers are read as one value joined by ", ".
inline next_link parse_next_link(std::string_view v)
{
    next_link out;
    auto bad = [&](std::string why) {
        out.target.reset();
        out.error = std::move(why);
        return out;
    };
    auto skip_space = [&] {
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
            v.remove_prefix(1);
    };
    for (;;) {
        skip_space();
        while (!v.empty() && v.front() == ',') { // empty list elements are allowed
            v.remove_prefix(1);
            skip_space();
        }
        if (v.empty())
            return out;
        if (v.front() != '<')
            return bad("a link must start with '<'");
        auto const close = v.find('>');
        if (close == std::string_view::npos)
            return bad("a '<' has no closing '>'");
        auto const uri = v.substr(1, close - 1);
        v.remove_prefix(close + 1);
        bool is_next = false;
        // Parameters: ; name[=value | ="quoted"]
        for (;;) {
            skip_space();
            if (v.empty() || v.front() == ',')
                break;
            if (v.front() != ';')
                return bad("expected ';' or ',' after a link");
            v.remove_prefix(1);
            skip_space();
            auto const name_end = v.find_first_of("=;, \t");
            auto const name = trim_space(v.substr(0, name_end));
            if (name.empty())
                return bad("a link parameter has no name");
            v.remove_prefix(name_end == std::string_view::npos ? v.size() : name_end);
            skip_space();
            std::string value;
            if (!v.empty() && v.front() == '=') {
                v.remove_prefix(1);
                skip_space();
                if (!v.empty() && v.front() == '"') {
                    v.remove_prefix(1);
                    bool closed = false;
                    while (!v.empty()) {
                        char const c = v.front();
                        v.remove_prefix(1);
                        if (c == '\\' && !v.empty()) {
                            value += v.front();
                            v.remove_prefix(1);
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            value += c;
                        }
                    }
                    if (!closed)
                        return bad("a quoted parameter value is not closed");
                } else {
                    auto const end = v.find_first_of(";, \t");
                    value = std::string(v.substr(0, end));
                    v.remove_prefix(end == std::string_view::npos ? v.size() : end);
                }
            }
            if (iequals_ascii(name, "rel")) {
                std::string_view rels = value;
                while (!rels.empty()) {
                    auto const sp = rels.find_first_of(" \t");
                    if (iequals_ascii(rels.substr(0, sp), "next"))
                        is_next = true;
                    rels = sp == std::string_view::npos ? std::string_view() : trim_space(rels.substr(sp));
                }
            }
        }
        if (is_next && !out.target)
            out.target = std::string(uri);
    }
}

} // namespace restschema::detail
