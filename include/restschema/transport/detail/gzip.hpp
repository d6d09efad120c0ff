// restschema/transport/detail/gzip.hpp - inflating a gzip response body, bounded.
//
// zlib does the work. What is ours: the bound (a small body that inflates
// past the limit stops there, it is not allocated), several gzip members in
// a row (RFC 1952 allows them), and a message for each way a stream is bad.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstddef>
#include <string>
#include <string_view>

namespace restschema::transport::detail {

/// Inflates the gzip stream `in` into `out`. Returns "" on success, else
/// what is wrong with it; `out` then holds what was inflated so far, never
/// more than `limit` bytes (plus one chunk).
inline std::string gunzip(std::string_view in, std::size_t limit, std::string& out)
{
    out.clear();
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) // 16: a gzip wrapper, not zlib's
        return "zlib could not be initialised";
    struct end_guard {
        z_stream* z;
        ~end_guard() { inflateEnd(z); }
    } guard{&z};

    std::array<unsigned char, 16 * 1024> chunk;
    auto const* next = reinterpret_cast<unsigned char const*>(in.data());
    std::size_t left = in.size();
    auto refill = [&] {
        auto const n = std::min<std::size_t>(left, UINT_MAX);
        z.next_in = const_cast<unsigned char*>(next); // zlib does not write through it
        z.avail_in = static_cast<uInt>(n);
        next += n;
        left -= n;
    };
    for (;;) {
        if (z.avail_in == 0 && left > 0)
            refill();
        z.next_out = chunk.data();
        z.avail_out = static_cast<uInt>(chunk.size());
        int const rc = inflate(&z, Z_NO_FLUSH);
        out.append(reinterpret_cast<char const*>(chunk.data()), chunk.size() - z.avail_out);
        if (out.size() > limit)
            return "inflates to more than the limit of " + std::to_string(limit) + " bytes";
        if (rc == Z_STREAM_END) {
            if (z.avail_in == 0 && left == 0)
                return "";
            // Another member may follow; anything else is garbage.
            if (z.avail_in == 0)
                refill();
            if (z.next_in[0] != 0x1f)
                return "has data after the end of the gzip stream";
            inflateReset(&z);
            continue;
        }
        if (rc == Z_DATA_ERROR)
            return std::string("is not a valid gzip stream (") + (z.msg ? z.msg : "data error") + ")";
        if (rc == Z_MEM_ERROR)
            return "could not be inflated: out of memory";
        if (rc == Z_NEED_DICT)
            return "is not a valid gzip stream (it asks for a preset dictionary)";
        // All input used and room left for output, yet no end: the input
        // ended inside a member.
        bool const starved = z.avail_in == 0 && left == 0 && (rc == Z_BUF_ERROR || z.avail_out != 0);
        if (starved)
            return "is truncated (the gzip stream ends early)";
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return "could not be inflated (zlib error " + std::to_string(rc) + ")";
    }
}

} // namespace restschema::transport::detail
