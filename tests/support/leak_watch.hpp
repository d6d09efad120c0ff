// Everything a client let out where a user could see it, as one text to
// search for secrets: each log record's target, headers and body, and the
// records themselves. Tests add what else they watch (errors, traces).
#pragma once

#include <restschema/client_options.hpp>

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace test {

struct leak_watch {
    std::string text;
    std::vector<restschema::log_record> records;
    std::mutex m; ///< held by the hooks: calls may log from the client's threads

    /// Takes over `o.log`.
    void attach(restschema::client_options& o)
    {
        o.log = [this](restschema::log_record const& r) {
            std::lock_guard lock(m);
            text += r.target + "\n" + r.body + "\n";
            for (auto const& [k, v] : r.headers)
                text += k + ": " + v + "\n";
            records.push_back(r);
        };
    }

    /// True when `secret` shows anywhere in what was logged.
    bool shows(std::string_view secret)
    {
        std::lock_guard lock(m);
        return text.find(secret) != std::string::npos;
    }
};

} // namespace test
