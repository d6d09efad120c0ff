// restschema/binding/impl/response.ipp - unwrapping a success response (not a template).
#pragma once

#include <restschema/binding/impl/response.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/error_table.hpp>

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

} // namespace restschema::binding::detail
