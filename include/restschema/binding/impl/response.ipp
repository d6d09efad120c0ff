// restschema/binding/impl/response.ipp - unwrapping a success response (not a template).
#pragma once

#include <restschema/binding/impl/response.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/error_table.hpp>

#include <boost/json/parse.hpp>

namespace restschema::binding::detail {

RESTSCHEMA_DECL result<boost::json::value> unwrap(std::string_view endpoint, std::string_view envelope,
                                                  wire_response const& response,
                                                  std::vector<std::string> const& secrets)
{
    boost::json::value jv;
    if (!response.body.empty()) {
        boost::system::error_code ec;
        jv = boost::json::parse(response.body, ec);
        if (ec) {
            auto e = restschema::detail::make_error(
                error_kind::decode, std::string(endpoint) + ": response is not JSON: " + ec.message());
            e.http_status = response.status;
            e.body = restschema::detail::scrub(response.body.substr(0, restschema::detail::max_kept_body),
                                               secrets);
            return e;
        }
    }
    if (envelope.empty())
        return jv;
    auto* obj = jv.if_object();
    auto* payload = obj ? obj->if_contains(envelope) : nullptr;
    if (!payload) {
        auto e = restschema::detail::make_error(error_kind::decode, std::string(endpoint) +
                                                                        ": response has no \"" +
                                                                        std::string(envelope) + "\" member");
        e.http_status = response.status;
        return e;
    }
    return std::move(*payload);
}

RESTSCHEMA_DECL error decode_failed(error e, std::string_view endpoint, int status,
                                    std::vector<std::string> const& secrets)
{
    e.message = std::string(endpoint) + ": " + restschema::detail::scrub(std::move(e.message), secrets);
    for (auto& pr : e.problems)
        pr.message = restschema::detail::scrub(std::move(pr.message), secrets);
    e.http_status = status;
    return e;
}

} // namespace restschema::binding::detail
