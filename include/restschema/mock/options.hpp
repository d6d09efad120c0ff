// restschema/mock/options.hpp - what a mock server is told: address, mode, credentials, faults, limits.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace restschema::mock {

/// Resource limits of one mock connection.
struct limits {
    std::size_t header_bytes = 8 * 1024;            ///< a larger request head is answered 431
    std::size_t body_bytes = 1024 * 1024;           ///< a larger request body is answered 413
    std::chrono::milliseconds idle_timeout{30'000}; ///< an idle connection is closed after this
};

struct options {
    std::string host = "127.0.0.1"; ///< address to listen on
    unsigned short port = 0;        ///< 0: an ephemeral port (see server::port())
    bool stateful = true;           ///< false: answer every valid request with the response example
    std::string seed_file;          ///< optional `{"<collection>": [records...]}` file
    /// Accepted credential per auth scheme id ("basic_token", "api_key", ...).
    /// A scheme without an entry accepts any well-formed, non-empty value.
    std::map<std::string, std::string, std::less<>> credentials;
    std::string fault; ///< per-run fault spec (see restschema/mock.hpp); "" for none
    mock::limits limits;
    /// A response body of at least this many bytes is sent gzip-encoded when
    /// the request accepts gzip (Accept-Encoding), as most public APIs do;
    /// SIZE_MAX: never.
    std::size_t gzip_min_size = 1024;
    /// Receives each access-log line (without newline); empty: written to stderr.
    std::function<void(std::string_view)> access_log;
};

} // namespace restschema::mock
