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

/// The mock as an OAuth2 token endpoint (restschema/mock/token_endpoint.hpp).
struct token_endpoint_options {
    std::string path{}; ///< e.g. "/oauth/token"; empty: off
    /// The one client accepted; empty id: any client with a non-empty id.
    std::string client_id{};
    std::string client_secret{};
    std::chrono::seconds lifetime{3600}; ///< of each token issued (expires_in)
};

struct options {
    std::string host = "127.0.0.1"; ///< address to listen on
    unsigned short port = 0;        ///< 0: an ephemeral port (see server::port())
    bool stateful = true;           ///< false: answer every valid request with the response example
    std::string seed_file;          ///< optional `{"<collection>": [records...]}` file
    /// Accepted credential per auth scheme id ("basic_token", "api_key", ...).
    /// A scheme without an entry accepts any well-formed, non-empty value.
    std::map<std::string, std::string, std::less<>> credentials;
    /// Off unless its path is set; on, bearer schemes without an entry in
    /// `credentials` accept only the tokens it issued, until they expire.
    token_endpoint_options token_endpoint{};
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
