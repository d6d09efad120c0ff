// restschema/impl/error_table.ipp - from an error response to its row (not a template).
#pragma once

#include <restschema/error_table.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>

namespace restschema {
namespace detail {

RESTSCHEMA_DECL std::optional<std::int64_t> json_code(boost::json::value const* v)
{
    if (!v)
        return std::nullopt;
    if (v->is_int64())
        return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->get_uint64());
    if (auto const* s = v->if_string()) { // some APIs quote their codes
        std::int64_t n = 0;
        auto const [p, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
        if (ec == std::errc{} && p == s->data() + s->size() && !s->empty())
            return n;
    }
    return std::nullopt;
}

RESTSCHEMA_DECL std::string json_text(boost::json::value const* v)
{
    if (!v || v->is_null())
        return {};
    if (auto const* s = v->if_string())
        return std::string(s->data(), s->size());
    return boost::json::serialize(*v);
}

} // namespace detail

RESTSCHEMA_DECL error make_api_error(error_table_view const& table, int status, std::string_view body)
{
    error e;
    e.kind = error_kind::api;
    e.http_status = status;
    e.body = std::string(body.substr(0, detail::max_kept_body));
    e.whole_body = std::string(body);

    boost::system::error_code ec;
    auto const jv = boost::json::parse(body, ec);
    if (!ec) {
        if (auto const* obj = jv.if_object()) {
            if (auto const* env = table.envelope) {
                if (!env->code.empty())
                    e.api_code = detail::json_code(obj->if_contains(env->code));
                if (!env->message.empty())
                    e.server_message = detail::json_text(obj->if_contains(env->message));
                if (!env->details.empty())
                    e.server_details = detail::json_text(obj->if_contains(env->details));
            } else {
                // No documented envelope: take the usual suspects.
                for (auto key : {"message", "error", "errors"})
                    if (e.server_message.empty())
                        e.server_message = detail::json_text(obj->if_contains(key));
                e.server_details = detail::json_text(obj->if_contains("details"));
            }
        }
    }

    if (auto const* row = detail::find_row(table.rows, status, e.api_code)) {
        e.table_value = row->value;
        e.table_name = std::string(row->name);
        e.table_message = std::string(row->message);
        e.retryable = row->retryable;
    } else {
        e.table_value = 0;
        e.table_name = "unknown";
        // Undocumented outcomes: rate limits and server errors are worth another try.
        e.retryable = status == 429 || status >= 500;
    }

    e.message = std::string(table.endpoint) + ": HTTP " + std::to_string(status);
    if (e.api_code)
        e.message += ", code " + std::to_string(*e.api_code);
    e.message += " (" + e.table_name + ")";
    if (!e.table_message.empty())
        e.message += ": " + e.table_message;
    if (!e.server_message.empty() && e.server_message != e.table_message)
        e.message += "; server says: " + e.server_message;
    if (!e.server_details.empty())
        e.message += " (" + e.server_details + ")";
    return e;
}

} // namespace restschema
