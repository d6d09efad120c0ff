// restschema/binding/impl/response.ipp - unwrapping a success response (not a template).
#pragma once

#include <restschema/binding/impl/response.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/detail/runtime_check.hpp> // parse_param
#include <restschema/detail/text.hpp>
#include <restschema/error_table.hpp>

#include <boost/json/serialize.hpp>

namespace restschema::binding::detail {

RESTSCHEMA_DECL error decode_failed(error e, std::string_view endpoint, wire_response const& response,
                                    std::vector<std::string> const& secrets)
{
    bool const syntax = static_cast<bool>(e.cause); // only syntax errors carry a parser error
    e.message = std::string(endpoint) + (syntax ? ": response is not JSON: " : ": ") +
                restschema::detail::scrub(std::move(e.message), secrets);
    if (syntax)
        e.body =
            restschema::detail::scrub(response.body.substr(0, restschema::detail::max_kept_body), secrets);
    auto const status = response.status;
    for (auto& pr : e.problems)
        pr.message = restschema::detail::scrub(std::move(pr.message), secrets);
    e.http_status = status;
    return e;
}

RESTSCHEMA_DECL bool reads_as_xml(wire_response const& response, body_reading const& how)
{
    if (how.format.kind != body_format::xml || !how.format.decode_xml)
        return false;
    for (auto const& [k, v] : response.headers) {
        if (!restschema::detail::iequals_ascii(k, "Content-Type"))
            continue;
        auto const t = restschema::detail::trim_space(std::string_view(v).substr(0, v.find(';')));
        // application/json and the +json types: the server answered JSON.
        bool const json =
            restschema::detail::iequals_ascii(t, "application/json") ||
            (t.size() > 5 && restschema::detail::iequals_ascii(t.substr(t.size() - 5), "+json"));
        return !json;
    }
    return true;
}

RESTSCHEMA_DECL void read_xml_error(error& e, error_table_view const& table, body_reading const& how,
                                    std::vector<std::string> const& secrets)
{
    namespace rd = restschema::detail;
    if (e.kind != error_kind::api || how.format.kind != body_format::xml || !how.format.decode_xml)
        return;
    auto const body = rd::trim_space(e.whole_body);
    if (!body.starts_with('<'))
        return; // not XML (JSON, text): make_api_error has read it already
    boost::json::value jv;
    if (!how.format.decode_xml(rd::runtime_type_of<boost::json::value>, &jv, body, {}, how.max_size))
        return; // not well-formed: the error keeps its body, as for any other text
    auto redone = make_api_error(table, e.http_status, boost::json::serialize(jv));
    e.api_code = redone.api_code;
    e.server_message = rd::scrub(std::move(redone.server_message), secrets);
    e.server_details = rd::scrub(std::move(redone.server_details), secrets);
    e.table_value = redone.table_value;
    e.table_name = std::move(redone.table_name);
    e.table_message = std::move(redone.table_message);
    e.retryable = redone.retryable;
    e.message = rd::scrub(std::move(redone.message), secrets);
}

RESTSCHEMA_DECL result<void> decode_headers(restschema::detail::runtime_type const& t, void* out,
                                            wire_response const& response, std::string_view endpoint)
{
    namespace rd = restschema::detail;
    boost::json::object o;
    std::vector<problem> problems;
    for (auto const& m : t.members) {
        auto const wire = m.meta->wire;
        for (auto const& [k, v] : response.headers) {
            if (!rd::iequals_ascii(k, wire))
                continue;
            auto const text = rd::trim_space(v);
            if (auto jv = rd::parse_param(text, *m.type))
                o[wire] = std::move(*jv);
            else
                problems.push_back(
                    {"header " + std::string(wire), "expected " + rd::param_type_name(*m.type) +
                                                        ", found \"" + rd::printable(text, 64) + "\""});
            break;
        }
    }
    if (problems.empty()) {
        auto decoded = rd::decode_dom(t, out, boost::json::value(std::move(o)), {});
        if (decoded)
            return {};
        for (auto& p : decoded.error().problems)
            problems.push_back({"header " + p.path, std::move(p.message)});
        if (problems.empty())
            problems.push_back({"headers", std::move(decoded.error().message)});
    }
    auto e = rd::make_error(error_kind::decode,
                            std::string(endpoint) + ": response headers do not match the schema",
                            std::move(problems));
    e.http_status = response.status;
    return e;
}

} // namespace restschema::binding::detail
