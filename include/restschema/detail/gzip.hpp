// restschema/detail/gzip.hpp - gzip bodies: inflating bounded (the client),
// deflating and reading Accept-Encoding (the mock).
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

namespace restschema::detail {

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

/// `text` as one gzip member (zlib's default level). Empty when zlib fails,
/// which for an in-memory deflate means it ran out of memory.
inline std::string gzip(std::string_view text)
{
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    struct end_guard {
        z_stream* z;
        ~end_guard() { deflateEnd(z); }
    } guard{&z};
    std::string out(deflateBound(&z, static_cast<uLong>(text.size())), '\0');
    z.next_in = reinterpret_cast<unsigned char*>(const_cast<char*>(text.data())); // not written through
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<unsigned char*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    if (text.size() > UINT_MAX || deflate(&z, Z_FINISH) != Z_STREAM_END)
        return {};
    out.resize(z.total_out);
    return out;
}

/// Whether an Accept-Encoding value (RFC 9110, 12.5.3) accepts gzip: a
/// `gzip` or `x-gzip` coding, or `*`, whose q-value is not 0. An explicit
/// `gzip;q=0` wins over `*`.
inline bool accepts_gzip(std::string_view value)
{
    auto trim = [](std::string_view v) {
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
            v.remove_prefix(1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
            v.remove_suffix(1);
        return v;
    };
    auto lower_eq = [](std::string_view a, std::string_view b) {
        if (a.size() != b.size())
            return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            char c = a[i];
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
            if (c != b[i])
                return false;
        }
        return true;
    };
    // -1: not named, 0: refused, 1: accepted.
    int named = -1, star = -1;
    while (!value.empty()) {
        auto const comma = value.find(',');
        auto item = trim(value.substr(0, comma));
        value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
        auto const semi = item.find(';');
        auto const coding = trim(item.substr(0, semi));
        bool zero = false;
        if (semi != std::string_view::npos) {
            auto params = trim(item.substr(semi + 1));
            if (params.size() >= 2 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=') {
                auto q = trim(params.substr(2));
                zero = !q.empty() && q.find_first_not_of("0.") == std::string_view::npos;
            }
        }
        if (lower_eq(coding, "gzip") || lower_eq(coding, "x-gzip"))
            named = zero ? 0 : 1;
        else if (coding == "*")
            star = zero ? 0 : 1;
    }
    return named == 1 || (named == -1 && star == 1);
}

} // namespace restschema::detail
