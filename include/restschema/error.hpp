// restschema/error.hpp - the one error type of restschema.
//
// Every failure (transport, timeout, TLS, request validation, an API error
// from the service's error table, a response that does not decode) is a
// restschema::error. Its kind is also a boost::system::error_code with the
// category "restschema", so it composes with Asio-style code.
#pragma once

#include <restschema/detail/text.hpp> // iequals_ascii

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <boost/system/system_error.hpp>
#include <boost/assert/source_location.hpp>
#include <boost/throw_exception.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace restschema {

/// What went wrong, coarsely: the value to switch on first.
enum class error_kind : int {
    transport = 1, ///< resolve/connect/read/write failed, or the peer closed the connection
    timeout,       ///< the connect or the whole-request deadline expired
    tls,           ///< TLS handshake or certificate verification failed
    validation,    ///< the request was invalid; nothing was sent
    api,           ///< the service answered with an error status
    decode,        ///< the response was not what the schema describes (or too large)
    cancelled,     ///< the caller cancelled the call (Asio per-operation cancellation)
    proxy,         ///< the HTTP proxy refused the tunnel or asked for credentials (its status in http_status)
    credentials,   ///< a token source gave no usable credential (an OAuth2 token endpoint refused or failed)
};

/// The error category of error_kind values ("restschema").
class error_category_impl : public boost::system::error_category {
  public:
    constexpr error_category_impl() noexcept : boost::system::error_category(0x7e57c4e3a11b0001ULL) {}
    char const* name() const noexcept override { return "restschema"; }
    std::string message(int ev) const override
    {
        switch (static_cast<error_kind>(ev)) {
        case error_kind::transport:
            return "transport error";
        case error_kind::timeout:
            return "timed out";
        case error_kind::tls:
            return "TLS error";
        case error_kind::validation:
            return "invalid request";
        case error_kind::api:
            return "API error";
        case error_kind::decode:
            return "response could not be decoded";
        case error_kind::cancelled:
            return "cancelled";
        case error_kind::proxy:
            return "proxy error";
        case error_kind::credentials:
            return "no credential from the token source";
        }
        return "unknown restschema error";
    }
};

inline boost::system::error_category const& error_category() noexcept
{
    static constexpr error_category_impl instance;
    return instance;
}

inline boost::system::error_code make_error_code(error_kind k) noexcept
{
    return {static_cast<int>(k), error_category()};
}

/// One problem found by validation or decoding: where, and what.
struct problem {
    std::string path{};    ///< JSON path or parameter name, e.g. "user.addresses[0].zip"
    std::string message{}; ///< e.g. "expected string, found number"
};

/// The error of every restschema operation.
class error {
  public:
    error_kind kind = error_kind::transport;
    /// One line for people. Secrets are never part of it.
    std::string message{};
    /// Validation and decode problems, each with its place.
    std::vector<problem> problems{};
    /// The underlying Asio / Beast / OpenSSL error, when there is one.
    boost::system::error_code cause{};

    // --- api errors (kind == error_kind::api) ---
    int http_status = 0;
    /// The service's own numeric code, when the response carried one.
    std::optional<std::int64_t> api_code{};
    /// The endpoint's error enum value as int; 0 is `unknown` (a code not in the table).
    int table_value = 0;
    /// The row's name in the schema ("api_daily_limit"), or "unknown".
    std::string table_name{};
    /// The row's documented message.
    std::string table_message{};
    /// What the server said (envelope message and details), and its raw body (capped).
    std::string server_message{};
    std::string server_details{};
    std::string body{}; ///< the first 4 KiB of the body, for messages and logs
    /// The whole error body (secrets scrubbed, bounded by max_body_size):
    /// restschema::error_body_of<Service>(e) decodes the service's envelope from it.
    std::string whole_body{};
    /// Whether the schema allows retrying this outcome.
    bool retryable = false;
    /// Retry-After from the response, when it had one.
    std::optional<std::chrono::milliseconds> retry_after{};
    /// How many attempts were made (1 when not retried).
    int attempts = 1;
    /// In a walk over pages (restschema/pages.hpp): the page (1 = the first)
    /// whose call or whose next-page information failed; 0 outside a walk.
    std::size_t page = 0;
    /// The response's header fields (api errors), in order, secrets of the
    /// request masked: an ETag on a 304, rate-limit headers on a 429.
    std::vector<std::pair<std::string, std::string>> headers{};

    /// The first response header named `name` (case-insensitive), or nullptr.
    [[nodiscard]] std::string const* header(std::string_view name) const noexcept
    {
        for (auto const& [k, v] : headers)
            if (detail::iequals_ascii(k, name))
                return &v;
        return nullptr;
    }

    /// The kind as an error_code in the "restschema" category.
    [[nodiscard]] boost::system::error_code code() const noexcept { return make_error_code(kind); }

    /// The endpoint's error enum, e.g. `e.api_error<attestr::update_profile_error>()`;
    /// `E::unknown` for non-api errors and codes missing from the table.
    template <class E>
    requires std::is_enum_v<E>
    [[nodiscard]] E api_error() const noexcept
    {
        return static_cast<E>(kind == error_kind::api ? table_value : 0);
    }

    /// Full text: kind, message, problems. Never contains secrets.
    [[nodiscard]] std::string what() const
    {
        std::string s = error_category().message(static_cast<int>(kind));
        if (!message.empty()) {
            s += ": ";
            s += message;
        }
        for (std::size_t i = 0; i < problems.size(); ++i) {
            auto const& p = problems[i];
            std::string line = p.path.empty() ? p.message : p.path + ": " + p.message;
            // The message often is the first problem already ("user.id: expected
            // integer, found string (and 2 more)"): do not print it twice.
            if (i == 0 && message.find(line) != std::string::npos)
                continue;
            s += "\n  ";
            s += line;
        }
        return s;
    }
};

/// Thrown by the throwing forms of restschema calls. code() is the kind in
/// the "restschema" category; what() is error::what(), nothing appended.
class exception : public boost::system::system_error {
  public:
    explicit exception(restschema::error e)
        : system_error(e.code(), e.message), error_(std::move(e)), what_(error_.what())
    {
    }
    [[nodiscard]] restschema::error const& error() const noexcept { return error_; }
    [[nodiscard]] char const* what() const noexcept override { return what_.c_str(); }

  private:
    restschema::error error_;
    std::string what_;
};

/// Lets boost::system::result<T, restschema::error>::value() throw restschema::exception.
[[noreturn]] inline void throw_exception_from_error(error const& e, boost::source_location const& loc)
{
    boost::throw_exception(exception(e), loc);
}

/// The non-throwing return type of restschema operations.
template <class T>
using result = boost::system::result<T, error>;

namespace detail {
inline error make_error(error_kind k, std::string message, std::vector<problem> problems = {})
{
    error e;
    e.kind = k;
    e.message = std::move(message);
    e.problems = std::move(problems);
    return e;
}
} // namespace detail

} // namespace restschema

namespace boost::system {
template <>
struct is_error_code_enum<restschema::error_kind> : std::true_type {
};
} // namespace boost::system
