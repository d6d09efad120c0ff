// restschema/transport/detail/response_parser.hpp - an HTTP/1.1 response parser (RFC 9112), not a template.
//
// The transport reads a response into a buffer and gives it here; nothing
// else in the client parses HTTP. It replaces Beast's basic_parser, whose
// instantiation was a fifth of the transport's object code and build time,
// and keeps Beast's public error codes (boost::beast::http::error) as the
// error::cause of a malformed response, with a message of its own that says
// what was wrong and where.
//
// What it reads: a status line "HTTP/1.x NNN reason"; header fields (names as
// sent, obsolete line folding replaced by a space, RFC 9112 5.2); a body
// framed by Transfer-Encoding: chunked (extensions and trailer fields read
// and dropped), by Content-Length, or by the end of the connection; no body
// for 1xx, 204, 304 or the answer to HEAD. Lines end in CRLF or a bare LF
// (RFC 9112 2.2 lets a recipient accept it); a bare CR is an error. Limits
// on the header section and the body are errors the moment they are passed.
#pragma once

#include <restschema/detail/redact.hpp>
#include <restschema/detail/text.hpp>

#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace restschema::transport::detail {

/// A response as read: status, header fields in order, and the body (dechunked).
struct http_response {
    int status = 0;
    int version = 11; ///< 10 or 11
    std::vector<std::pair<std::string, std::string>> fields;
    std::string body;

    /// The value of the first field named `name` (ASCII case-insensitive), or null.
    [[nodiscard]] std::string const* find(std::string_view name) const noexcept
    {
        for (auto const& [k, v] : fields)
            if (restschema::detail::iequals_ascii(k, name))
                return &v;
        return nullptr;
    }
};

class response_parser {
  public:
    struct limits {
        std::size_t header = 64 * 1024; ///< the status line and the header fields, in bytes
        std::size_t body = 8 * 1024 * 1024;
        bool no_body = false; ///< the answer to a HEAD request: never a body
    };

    explicit response_parser(limits l) noexcept : limits_(l) {}

    /// Reads what it can of `data`: returns the bytes used, which the caller
    /// drops before the next put(). It stops at the end of the message and
    /// uses nothing of a header section that has not fully arrived. On a
    /// fault, `ec` is set and why() says what.
    std::size_t put(std::string_view data, boost::system::error_code& ec);

    /// The peer closed the connection: ends a body delimited by the close;
    /// anything else unfinished is boost::beast::http::error::partial_message.
    void put_eof(boost::system::error_code& ec);

    [[nodiscard]] bool is_done() const noexcept { return state_ == state::done; }
    /// At least one byte of the response has arrived.
    [[nodiscard]] bool got_some() const noexcept { return got_some_; }
    /// The connection can carry another request after this response.
    [[nodiscard]] bool keep_alive() const noexcept { return keep_alive_; }
    /// The body ends when the connection does.
    [[nodiscard]] bool need_eof() const noexcept { return framing_ == framing::close; }
    [[nodiscard]] http_response& get() noexcept { return response_; }
    [[nodiscard]] http_response const& get() const noexcept { return response_; }
    /// What was wrong, for an error message: "the status line ... (byte 0)".
    [[nodiscard]] std::string const& why() const noexcept { return why_; }

  private:
    enum class state { header, body, chunk_size, chunk_data, chunk_end, trailer, done, failed };
    enum class framing { none, length, chunked, close };

    std::size_t fail(boost::system::error_code& ec, boost::beast::http::error e, std::string why,
                     std::size_t at);
    std::size_t parse_header(std::string_view data, boost::system::error_code& ec);
    std::size_t parse_body(std::string_view data, std::size_t offset, boost::system::error_code& ec);
    bool take_body(std::string_view bytes, boost::system::error_code& ec, std::size_t at);

    limits limits_;
    http_response response_;
    state state_ = state::header;
    framing framing_ = framing::none;
    bool got_some_ = false;
    bool keep_alive_ = false;
    std::uint64_t remaining_ = 0; ///< of the Content-Length body or of the current chunk
    std::size_t consumed_ = 0;    ///< bytes of the message used so far (for "byte N" in why())
    std::size_t trailer_size_ = 0;
    std::string why_;
    boost::system::error_code error_;
};

namespace http_syntax {

/// tchar of RFC 9110 5.6.2: the characters of a field name.
constexpr bool is_tchar(unsigned char c) noexcept
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

/// A character a field value, a reason phrase or a chunk extension may hold:
/// VCHAR, SP, HTAB and obs-text.
constexpr bool is_text(unsigned char c) noexcept
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/// The length of the field name that begins a field line ("name: value"):
/// the tchars before the colon, or npos when the line does not begin so
/// (no colon, an empty name, a space or another character before it).
constexpr std::size_t field_name_size(std::string_view line) noexcept
{
    std::size_t n = 0;
    while (n < line.size() && is_tchar(static_cast<unsigned char>(line[n])))
        ++n;
    return n > 0 && n < line.size() && line[n] == ':' ? n : std::string_view::npos;
}

/// The line that starts at `from`: its text without the line end, and where
/// the next one starts; next == npos when the line end has not arrived.
/// `bad_cr` is set for a CR that is not followed by LF.
struct line {
    std::string_view text;
    std::size_t next = std::string_view::npos;
    bool bad_cr = false;
};

inline line line_at(std::string_view data, std::size_t from) noexcept
{
    auto const lf = data.find('\n', from);
    if (lf == std::string_view::npos) {
        // A CR already followed by something else is wrong now, not later.
        auto const cr = data.find('\r', from);
        line l;
        l.bad_cr = cr != std::string_view::npos && cr + 1 < data.size();
        return l;
    }
    auto text = data.substr(from, lf - from);
    if (!text.empty() && text.back() == '\r')
        text.remove_suffix(1);
    line l{text, lf + 1};
    l.bad_cr = text.find('\r') != std::string_view::npos;
    return l;
}

/// The elements of a comma-separated list, trimmed, empty ones skipped.
template <class F>
void for_each_element(std::string_view list, F&& f)
{
    while (!list.empty()) {
        auto const comma = list.find(',');
        auto const element = restschema::detail::trim_space(list.substr(0, comma));
        if (!element.empty())
            f(element);
        if (comma == std::string_view::npos)
            break;
        list.remove_prefix(comma + 1);
    }
}

/// A Content-Length value: digits, or a list of the same digits (RFC 9110 8.6).
inline bool content_length(std::string_view value, std::uint64_t& out) noexcept
{
    bool seen = false, ok = true;
    for_each_element(value, [&](std::string_view e) {
        std::uint64_t v = 0;
        for (char c : e) {
            if (c < '0' || c > '9' || v > (UINT64_MAX - 9) / 10) {
                ok = false;
                return;
            }
            v = v * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (seen && v != out)
            ok = false;
        out = v;
        seen = true;
    });
    return ok && seen;
}

} // namespace http_syntax

inline std::size_t response_parser::fail(boost::system::error_code& ec, boost::beast::http::error e,
                                         std::string why, std::size_t at)
{
    state_ = state::failed;
    ec = error_ = e;
    why_ = std::move(why) + " (byte " + std::to_string(consumed_ + at) + " of the response)";
    return 0;
}

inline std::size_t response_parser::put(std::string_view data, boost::system::error_code& ec)
{
    ec = {};
    if (state_ == state::failed) {
        ec = error_; // a failed parser reads nothing more
        return 0;
    }
    if (data.empty() || state_ == state::done)
        return 0;
    got_some_ = true;
    std::size_t used = 0;
    if (state_ == state::header) {
        used = parse_header(data, ec);
        if (ec || state_ == state::header)
            return used;
        consumed_ += used;
    }
    auto const more = parse_body(data, used, ec);
    consumed_ += more;
    return used + more;
}

inline std::size_t response_parser::parse_header(std::string_view data, boost::system::error_code& ec)
{
    namespace http = boost::beast::http;
    using namespace http_syntax;
    auto printable = [](std::string_view s) { return "\"" + restschema::detail::printable(s, 60) + "\""; };

    // Wrong from the first bytes: do not wait for more of it. (The message
    // quotes up to the first wrong byte: the same however the bytes arrive.)
    constexpr std::string_view prefix = "HTTP/1.";
    for (std::size_t i = 0; i < prefix.size() && i < data.size(); ++i)
        if (data[i] != prefix[i])
            return fail(ec, http::error::bad_version,
                        "the response does not begin with HTTP/1.x: it begins " +
                            printable(data.substr(0, i + 1)),
                        i);

    // Nothing is used until the whole header section has arrived: find its end first.
    std::size_t end = 0;
    for (std::size_t at = 0;;) {
        auto const l = line_at(data, at);
        if (l.bad_cr)
            return fail(ec, at == 0 ? http::error::bad_version : http::error::bad_value,
                        "a bare CR (not followed by LF) in the header section", data.find('\r', at));
        if (l.next == std::string_view::npos) {
            if (data.size() > limits_.header)
                return fail(ec, http::error::header_limit,
                            "the header section exceeds " + std::to_string(limits_.header) + " bytes",
                            limits_.header);
            return 0; // more is needed
        }
        if (l.next > limits_.header)
            return fail(ec, http::error::header_limit,
                        "the header section exceeds " + std::to_string(limits_.header) + " bytes",
                        limits_.header);
        at = l.next;
        if (l.text.empty()) { // not the first line: that begins with HTTP/1.
            end = at;
            break;
        }
    }

    // The status line: HTTP/1.x SP 3DIGIT [SP reason]
    auto status_line = line_at(data, 0);
    auto const s = status_line.text;
    if (s.size() < 12 || s.substr(0, 7) != "HTTP/1." || s[7] < '0' || s[7] > '9' || s[8] != ' ')
        return fail(ec, http::error::bad_version,
                    "the status line does not begin with HTTP/1.x and a space: " + printable(s), 0);
    response_.version = s[7] == '0' ? 10 : 11;
    auto const code = s.substr(9, 3);
    if (code.find_first_not_of("0123456789") != std::string_view::npos || code[0] == '0' ||
        (s.size() > 12 && s[12] != ' '))
        return fail(ec, http::error::bad_status, "the status code is not three digits: " + printable(s), 9);
    response_.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    for (std::size_t i = 12; i < s.size(); ++i)
        if (!is_text(static_cast<unsigned char>(s[i])))
            return fail(ec, http::error::bad_reason, "a control character in the reason phrase", i);

    // The header fields.
    bool close = false, keep_alive_token = false, chunked = false, has_length = false, has_te = false;
    std::uint64_t length = 0;
    for (std::size_t at = status_line.next; at < end;) {
        auto const l = line_at(data, at);
        auto const text = l.text;
        auto const line_start = at;
        at = l.next;
        if (text.empty())
            break;
        if (text[0] == ' ' || text[0] == '\t') { // obs-fold: part of the previous value
            if (response_.fields.empty())
                return fail(ec, http::error::bad_obs_fold,
                            "a header line begins with white space before any field", line_start);
            auto const more = restschema::detail::trim_space(text);
            for (std::size_t i = 0; i < more.size(); ++i)
                if (!is_text(static_cast<unsigned char>(more[i])))
                    return fail(ec, http::error::bad_value, "a control character in a header field value",
                                line_start);
            auto& value = response_.fields.back().second;
            if (!more.empty())
                value.append(value.empty() ? "" : " ").append(more);
            continue;
        }
        auto const colon = field_name_size(text);
        if (colon == std::string_view::npos)
            return fail(ec, http::error::bad_field,
                        "a header line is not \"name: value\" (a name is a token, with no space "
                        "before the colon): " +
                            printable(text),
                        line_start);
        auto const name = text.substr(0, colon);
        auto const value = restschema::detail::trim_space(text.substr(colon + 1));
        for (std::size_t i = 0; i < value.size(); ++i)
            if (!is_text(static_cast<unsigned char>(value[i])))
                return fail(ec, http::error::bad_value,
                            "a control character in the value of header field " + printable(name),
                            line_start + colon + 1);
        using restschema::detail::iequals_ascii;
        if (iequals_ascii(name, "Content-Length")) {
            std::uint64_t n = 0;
            if (!http_syntax::content_length(value, n) || (has_length && n != length))
                return fail(ec, http::error::bad_content_length,
                            "Content-Length is not one non-negative integer: " + printable(value),
                            line_start + colon + 1);
            has_length = true;
            length = n;
        } else if (iequals_ascii(name, "Transfer-Encoding")) {
            // Codings are tokens; chunked must be the last, and only once
            // (RFC 9112 6.1): framing that two parsers could read two ways is refused.
            bool after_chunked = false, not_token = false;
            for_each_element(value, [&](std::string_view coding) {
                auto const name_only = restschema::detail::trim_space(coding.substr(0, coding.find(';')));
                for (char c : name_only)
                    not_token = not_token || !is_tchar(static_cast<unsigned char>(c));
                not_token = not_token || name_only.empty();
                after_chunked = after_chunked || chunked;
                chunked = chunked || iequals_ascii(name_only, "chunked");
            });
            if (not_token || after_chunked)
                return fail(ec, http::error::bad_transfer_encoding,
                            "Transfer-Encoding " + printable(value) +
                                (not_token ? " is not a list of codings" : " has a coding after chunked"),
                            line_start + colon + 1);
            has_te = true;
        } else if (iequals_ascii(name, "Connection")) {
            for_each_element(value, [&](std::string_view option) {
                close = close || iequals_ascii(option, "close");
                keep_alive_token = keep_alive_token || iequals_ascii(option, "keep-alive");
            });
        }
        response_.fields.emplace_back(std::string(name), std::string(value));
    }

    keep_alive_ = !close && (response_.version == 11 || keep_alive_token);
    int const status = response_.status;
    if (limits_.no_body || status < 200 || status == 204 || status == 304) {
        framing_ = framing::none;
    } else if (has_te) {
        // Transfer-Encoding overrides Content-Length, and such a response (or
        // one in HTTP/1.0) may be a smuggling attempt: the connection is not
        // used again (RFC 9112 6.1, 6.3).
        if (has_length || response_.version == 10)
            keep_alive_ = false;
        framing_ = chunked ? framing::chunked : framing::close;
    } else if (has_length) {
        if (length > limits_.body)
            return fail(ec, http::error::body_limit,
                        "Content-Length " + std::to_string(length) + " exceeds the body limit of " +
                            std::to_string(limits_.body) + " bytes",
                        end);
        framing_ = framing::length;
        remaining_ = length;
        response_.body.reserve(static_cast<std::size_t>(length));
    } else {
        framing_ = framing::close;
    }
    if (framing_ == framing::close)
        keep_alive_ = false;
    switch (framing_) {
    case framing::none:
        state_ = state::done;
        break;
    case framing::length:
        state_ = remaining_ == 0 ? state::done : state::body;
        break;
    case framing::chunked:
        state_ = state::chunk_size;
        break;
    case framing::close:
        state_ = state::body;
        break;
    }
    return end;
}

inline bool response_parser::take_body(std::string_view bytes, boost::system::error_code& ec, std::size_t at)
{
    if (bytes.size() > limits_.body - response_.body.size()) {
        fail(ec, boost::beast::http::error::body_limit,
             "the body exceeds the limit of " + std::to_string(limits_.body) + " bytes", at);
        return false;
    }
    response_.body.append(bytes);
    return true;
}

inline std::size_t response_parser::parse_body(std::string_view data, std::size_t at,
                                               boost::system::error_code& ec)
{
    namespace http = boost::beast::http;
    std::size_t const start = at;
    auto fault = [&](http::error e, std::string why, std::size_t where) {
        fail(ec, e, std::move(why), where - start);
        return std::size_t{0};
    };
    while (at < data.size() && !ec) {
        auto const rest = data.substr(at);
        switch (state_) {
        case state::body: {
            auto n = rest.size();
            if (framing_ == framing::length && n > remaining_)
                n = static_cast<std::size_t>(remaining_);
            if (!take_body(rest.substr(0, n), ec, at - start))
                return 0;
            at += n;
            if (framing_ == framing::length && (remaining_ -= n) == 0)
                state_ = state::done;
            break;
        }
        case state::chunk_size: {
            // chunk-size [ BWS ; chunk-ext ] CRLF: the line is read whole.
            auto const l = http_syntax::line_at(data, at);
            if (l.bad_cr || (l.next == std::string_view::npos && rest.size() > 4096) ||
                (l.next != std::string_view::npos && l.text.size() > 4096))
                return fault(http::error::bad_chunk, "a chunk size line that is not \"HEX[;ext]\" CRLF", at);
            if (l.next == std::string_view::npos)
                return at - start;
            std::uint64_t size = 0;
            std::size_t i = 0;
            for (; i < l.text.size(); ++i) {
                int const d = restschema::detail::hex_value(l.text[i]);
                if (d < 0)
                    break;
                if (size > (UINT64_MAX >> 4))
                    return fault(http::error::bad_chunk, "a chunk size that overflows 64 bits", at);
                size = (size << 4) | static_cast<std::uint64_t>(d);
            }
            auto ext = l.text.substr(i);
            while (!ext.empty() && (ext.front() == ' ' || ext.front() == '\t'))
                ext.remove_prefix(1);
            if (i == 0 || (!ext.empty() && ext.front() != ';'))
                return fault(http::error::bad_chunk,
                             "a chunk size that is not hexadecimal: \"" +
                                 restschema::detail::printable(l.text, 40) + "\"",
                             at);
            for (char c : ext)
                if (!http_syntax::is_text(static_cast<unsigned char>(c)))
                    return fault(http::error::bad_chunk_extension, "a control character in a chunk extension",
                                 at);
            if (size > limits_.body - response_.body.size())
                return fault(http::error::body_limit,
                             "the body exceeds the limit of " + std::to_string(limits_.body) + " bytes", at);
            at = l.next;
            remaining_ = size;
            state_ = size == 0 ? state::trailer : state::chunk_data;
            break;
        }
        case state::chunk_data: {
            auto const n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, rest.size()));
            if (!take_body(rest.substr(0, n), ec, at - start))
                return 0;
            at += n;
            if ((remaining_ -= n) == 0)
                state_ = state::chunk_end;
            break;
        }
        case state::chunk_end: {
            // The CRLF after a chunk's data.
            if (rest[0] == '\n') {
                ++at;
            } else if (rest[0] == '\r') {
                if (rest.size() < 2)
                    return at - start;
                if (rest[1] != '\n')
                    return fault(http::error::bad_chunk, "chunk data longer than its size", at);
                at += 2;
            } else {
                return fault(http::error::bad_chunk, "chunk data longer than its size", at);
            }
            state_ = state::chunk_size;
            break;
        }
        case state::trailer: {
            // Trailer fields, read and dropped, up to an empty line.
            auto const l = http_syntax::line_at(data, at);
            if (l.bad_cr)
                return fault(http::error::bad_value, "a bare CR in the trailer section", at);
            if (l.next == std::string_view::npos) {
                if (trailer_size_ + rest.size() > limits_.header)
                    return fault(http::error::header_limit,
                                 "the trailer section exceeds " + std::to_string(limits_.header) + " bytes",
                                 at);
                return at - start;
            }
            trailer_size_ += l.next - at;
            if (trailer_size_ > limits_.header)
                return fault(http::error::header_limit,
                             "the trailer section exceeds " + std::to_string(limits_.header) + " bytes", at);
            if (!l.text.empty() && http_syntax::field_name_size(l.text) == std::string_view::npos)
                return fault(http::error::bad_field, "a trailer line is not \"name: value\"", at);
            at = l.next;
            if (l.text.empty())
                state_ = state::done;
            break;
        }
        case state::header:
        case state::done:
        case state::failed:
            return at - start;
        }
    }
    return ec ? 0 : at - start;
}

inline void response_parser::put_eof(boost::system::error_code& ec)
{
    ec = {};
    if (state_ == state::done)
        return;
    if (state_ == state::body && framing_ == framing::close) {
        state_ = state::done;
        return;
    }
    if (state_ != state::failed) {
        state_ = state::failed;
        error_ = boost::beast::http::error::partial_message;
        why_ = got_some_ ? "the connection ended before the response did (byte " + std::to_string(consumed_) +
                               " of the response)"
                         : "the connection ended before any response";
    }
    ec = error_;
}

} // namespace restschema::transport::detail
