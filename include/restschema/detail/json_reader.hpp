// restschema/detail/json_reader.hpp - a JSON tokenizer over text held whole in memory.
//
// The codec's decoders read a body that is already in memory, so the reader
// needs none of a streaming parser's machinery (suspending in the middle of a
// token, parts of strings and numbers, comments, options chosen at run time):
// it is one loop over the text with an explicit stack, instantiated once per
// handler. Boost.JSON 1.81's basic_parser, which the codec used before,
// instantiates eight variants of its parse functions and cost about two
// seconds of compile time in every header-only translation unit that decodes.
//
// The grammar is RFC 8259's, exactly: no comments, no trailing commas, no
// leading zeros, no NaN or Infinity, strings valid UTF-8 with no unescaped
// control characters, \u escapes in well-formed UTF-16 surrogate pairs.
// Numbers are read as Boost.JSON reads them: an integer literal as int64 if
// it fits, else as uint64 if it fits, else as a double; doubles are correctly
// rounded (std::from_chars), and a literal beyond the double range reads as
// an infinity or as zero.
//
// The handler gets whole tokens. A string or key without escapes is a view
// into the text; one with escapes is a view into the reader's buffer, valid
// until the next token. Each callback returns false to stop the reader.
//
//     bool object_begin();  bool object_end(std::size_t members);
//     bool array_begin();   bool array_end(std::size_t elements);
//     bool key(std::string_view);     bool string(std::string_view);
//     bool int64(std::int64_t);       bool uint64(std::uint64_t);
//     bool number(double, bool integer_literal);  // integer_literal: beyond 64 bits
//     bool boolean(bool);             bool null();
#pragma once

#include <restschema/detail/text.hpp>
#include <restschema/detail/utf8.hpp>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace restschema::detail {

/// Why the reader stopped before the end of the text.
enum class json_fault : unsigned char {
    none,
    incomplete,        ///< the text ends inside a value
    extra_data,        ///< something follows the value
    too_deep,          ///< more nested arrays and objects than allowed
    exponent_overflow, ///< an exponent beyond 2^31
    bad_escape,        ///< a backslash that starts no escape of JSON's
    bad_hex,           ///< a \u escape with a character that is not a hex digit
    lone_surrogate,    ///< a \u escape of half a UTF-16 surrogate pair
    unexpected,        ///< a character that cannot stand where it is
    stopped,           ///< the handler returned false
};

struct json_read_result {
    std::size_t offset = 0; ///< where the reader stopped: the end, or the fault
    json_fault fault = json_fault::none;
};

namespace json_chars {

/// 1 for the bytes that a string holds as they are (printable ASCII but
/// the quote and the backslash); everything else ends the fast scan.
inline constexpr auto plain = [] {
    std::array<unsigned char, 256> t{};
    for (std::size_t c = 0x20; c < 0x80; ++c)
        t[c] = 1;
    t[std::size_t('"')] = t[std::size_t('\\')] = 0;
    return t;
}();

inline constexpr bool is_space(char c) noexcept
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}
inline constexpr bool is_digit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

inline void append_utf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

/// The double of a number literal that std::from_chars found out of range:
/// an infinity when its magnitude is too large, zero when too small (or when
/// it is zero: libstdc++ 12 says `0e400` is out of range).
inline double out_of_range(std::string_view literal) noexcept
{
    bool const negative = !literal.empty() && literal.front() == '-';
    // The decimal exponent of the first significant digit: digits before
    // the point count up, zeros after it count down, and the exponent adds.
    long long magnitude = 0;
    bool significant = false, fraction = false;
    std::size_t i = negative ? 1 : 0;
    for (; i < literal.size() && literal[i] != 'e' && literal[i] != 'E'; ++i) {
        char const c = literal[i];
        if (c == '.') {
            fraction = true;
        } else if (!significant && c == '0') {
            magnitude -= fraction ? 1 : 0;
        } else {
            significant = true;
            if (!fraction)
                ++magnitude;
        }
    }
    long long exponent = 0;
    if (i < literal.size()) {
        bool const minus = i + 1 < literal.size() && literal[i + 1] == '-';
        for (++i; i < literal.size(); ++i)
            if (is_digit(literal[i]) && exponent < (1LL << 40))
                exponent = exponent * 10 + (literal[i] - '0');
        exponent = minus ? -exponent : exponent;
    }
    double const huge = std::numeric_limits<double>::infinity();
    double const value = significant && magnitude + exponent > 0 ? huge : 0.0;
    return negative ? -value : value;
}

} // namespace json_chars

/// Reads one JSON text into a handler. One reader may read many texts.
template <class Handler>
class json_reader {
  public:
    json_reader(Handler& h, std::size_t max_depth) : h_(h), max_depth_(max_depth) {}

    json_read_result read(std::string_view text)
    {
        begin_ = text.data();
        p_ = begin_;
        end_ = begin_ + text.size();
        stack_.clear();
        fault_ = json_fault::none;
        if (!document())
            return {static_cast<std::size_t>(p_ - begin_), fault_};
        return {text.size(), json_fault::none};
    }

  private:
    Handler& h_;
    std::size_t max_depth_;
    char const* begin_ = nullptr;
    char const* p_ = nullptr;
    char const* end_ = nullptr;
    json_fault fault_ = json_fault::none;
    /// One entry per open container: (values so far) * 2 + (1 for an object).
    std::vector<std::size_t> stack_;
    std::string buf_; ///< a string with escapes, unescaped

    bool fail(json_fault f, char const* at) noexcept
    {
        fault_ = f;
        p_ = at;
        return false;
    }

    bool stop() noexcept { return fail(json_fault::stopped, p_); }

    void skip_space() noexcept
    {
        while (p_ != end_ && json_chars::is_space(*p_))
            ++p_;
    }

    bool document()
    {
        for (;;) {
            // A value.
            skip_space();
            if (p_ == end_)
                return fail(json_fault::incomplete, p_);
            switch (*p_) {
            case '{':
            case '[': {
                bool const object = *p_ == '{';
                if (stack_.size() >= max_depth_)
                    return fail(json_fault::too_deep, p_);
                if (!(object ? h_.object_begin() : h_.array_begin()))
                    return stop();
                ++p_;
                skip_space();
                if (p_ != end_ && *p_ == (object ? '}' : ']')) {
                    ++p_;
                    if (!(object ? h_.object_end(0) : h_.array_end(0)))
                        return stop();
                    break; // an empty container is a whole value
                }
                stack_.push_back(object ? 1 : 0);
                if (object && !key())
                    return false;
                continue; // the first member's value, or the first element
            }
            case '"': {
                std::string_view s;
                if (!string(s))
                    return false;
                if (!h_.string(s))
                    return stop();
                break;
            }
            case 't':
                if (!literal("true") || !h_.boolean(true))
                    return fault_ == json_fault::none ? stop() : false;
                break;
            case 'f':
                if (!literal("false") || !h_.boolean(false))
                    return fault_ == json_fault::none ? stop() : false;
                break;
            case 'n':
                if (!literal("null") || !h_.null())
                    return fault_ == json_fault::none ? stop() : false;
                break;
            default:
                if (*p_ == '-' || json_chars::is_digit(*p_)) {
                    if (!number())
                        return false;
                    break;
                }
                return fail(json_fault::unexpected, p_);
            }
            // After a value: a comma, the end of its container, or the end.
            for (;;) {
                skip_space();
                if (stack_.empty()) {
                    if (p_ != end_)
                        return fail(json_fault::extra_data, p_);
                    return true;
                }
                if (p_ == end_)
                    return fail(json_fault::incomplete, p_);
                auto& top = stack_.back();
                top += 2;
                bool const object = top & 1;
                if (*p_ == ',') {
                    ++p_;
                    if (object && !key())
                        return false;
                    break; // the next value
                }
                if (*p_ != (object ? '}' : ']'))
                    return fail(json_fault::unexpected, p_);
                ++p_;
                std::size_t const n = top >> 1;
                stack_.pop_back();
                if (!(object ? h_.object_end(n) : h_.array_end(n)))
                    return stop();
            }
        }
    }

    /// A key and its colon; the reader then stands before the value.
    bool key()
    {
        skip_space();
        if (p_ == end_)
            return fail(json_fault::incomplete, p_);
        if (*p_ != '"')
            return fail(json_fault::unexpected, p_);
        std::string_view k;
        if (!string(k))
            return false;
        if (!h_.key(k))
            return stop();
        skip_space();
        if (p_ == end_)
            return fail(json_fault::incomplete, p_);
        if (*p_ != ':')
            return fail(json_fault::unexpected, p_);
        ++p_;
        return true;
    }

    bool literal(std::string_view word) noexcept
    {
        auto const left = static_cast<std::size_t>(end_ - p_);
        auto const n = word.size() < left ? word.size() : left;
        for (std::size_t i = 0; i < n; ++i)
            if (p_[i] != word[i])
                return fail(json_fault::unexpected, p_);
        if (n < word.size())
            return fail(json_fault::incomplete, end_);
        p_ += n;
        return true;
    }

    /// Moves past what a string holds as it is (printable ASCII, valid UTF-8)
    /// up to a quote or a backslash; false at anything else.
    bool skip_plain()
    {
        for (;;) {
            while (p_ != end_ && json_chars::plain[static_cast<unsigned char>(*p_)])
                ++p_;
            if (p_ == end_)
                return fail(json_fault::incomplete, p_);
            auto const c = static_cast<unsigned char>(*p_);
            if (c == '"' || c == '\\')
                return true;
            if (c < 0x80)
                return fail(json_fault::unexpected, p_); // a control character
            auto const len = utf8_sequence(reinterpret_cast<unsigned char const*>(p_),
                                           static_cast<std::size_t>(end_ - p_));
            if (len == 0)
                return fail(json_fault::unexpected, p_);
            p_ += len;
        }
    }

    /// A string from its opening quote; `out` views the text, or buf_ when
    /// the string has escapes.
    bool string(std::string_view& out)
    {
        char const* run = ++p_;
        if (!skip_plain())
            return false;
        if (*p_ == '"') {
            out = std::string_view(run, static_cast<std::size_t>(p_ - run));
            ++p_;
            return true;
        }
        buf_.assign(run, p_);
        for (;;) { // at a backslash
            if (!escape())
                return false;
            run = p_;
            if (!skip_plain())
                return false;
            buf_.append(run, p_);
            if (*p_ == '"') {
                out = buf_;
                ++p_;
                return true;
            }
        }
    }

    /// One escape, from its backslash, appended to buf_.
    bool escape()
    {
        if (end_ - p_ < 2)
            return fail(json_fault::incomplete, end_);
        char const e = p_[1];
        char c = 0;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            c = e;
            break;
        case 'b':
            c = '\b';
            break;
        case 'f':
            c = '\f';
            break;
        case 'n':
            c = '\n';
            break;
        case 'r':
            c = '\r';
            break;
        case 't':
            c = '\t';
            break;
        case 'u':
            return unicode();
        default:
            return fail(json_fault::bad_escape, p_);
        }
        buf_ += c;
        p_ += 2;
        return true;
    }

    /// Four hex digits after `\u` at p_; p_ moves past them.
    bool hex4(std::uint32_t& unit)
    {
        p_ += 2;
        unit = 0;
        for (int i = 0; i < 4; ++i, ++p_) {
            if (p_ == end_)
                return fail(json_fault::incomplete, p_);
            int const v = hex_value(*p_);
            if (v < 0)
                return fail(json_fault::bad_hex, p_);
            unit = unit * 16 + static_cast<std::uint32_t>(v);
        }
        return true;
    }

    /// A \u escape, with the low half that must follow a high surrogate.
    bool unicode()
    {
        std::uint32_t cp = 0;
        if (!hex4(cp))
            return false;
        if (cp >= 0xdc00 && cp <= 0xdfff)
            return fail(json_fault::lone_surrogate, p_ - 6);
        if (cp >= 0xd800 && cp <= 0xdbff) {
            if (p_ == end_ || (end_ - p_ == 1 && *p_ == '\\'))
                return fail(json_fault::incomplete, end_);
            if (p_[0] != '\\' || p_[1] != 'u')
                return fail(json_fault::lone_surrogate, p_);
            std::uint32_t low = 0;
            if (!hex4(low))
                return false;
            if (low < 0xdc00 || low > 0xdfff)
                return fail(json_fault::lone_surrogate, p_ - 6);
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        json_chars::append_utf8(buf_, cp);
        return true;
    }

    bool number()
    {
        char const* const first = p_;
        bool const negative = *p_ == '-';
        if (negative)
            ++p_;
        if (p_ == end_)
            return fail(json_fault::incomplete, p_);
        std::uint64_t u = 0;
        bool fits = true; // the integer part fits 64 bits
        if (*p_ == '0') {
            ++p_;
        } else if (json_chars::is_digit(*p_)) {
            for (; p_ != end_ && json_chars::is_digit(*p_); ++p_) {
                auto const d = static_cast<unsigned>(*p_ - '0');
                if (u > (std::numeric_limits<std::uint64_t>::max() - d) / 10)
                    fits = false;
                else
                    u = u * 10 + d;
            }
        } else {
            return fail(json_fault::unexpected, p_);
        }
        bool integer = true;
        if (p_ != end_ && *p_ == '.') {
            integer = false;
            ++p_;
            if (p_ == end_)
                return fail(json_fault::incomplete, p_);
            if (!json_chars::is_digit(*p_))
                return fail(json_fault::unexpected, p_);
            while (p_ != end_ && json_chars::is_digit(*p_))
                ++p_;
        }
        if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
            integer = false;
            ++p_;
            if (p_ != end_ && (*p_ == '+' || *p_ == '-'))
                ++p_;
            if (p_ == end_)
                return fail(json_fault::incomplete, p_);
            if (!json_chars::is_digit(*p_))
                return fail(json_fault::unexpected, p_);
            std::uint64_t exponent = 0;
            for (; p_ != end_ && json_chars::is_digit(*p_); ++p_) {
                exponent = exponent * 10 + static_cast<unsigned>(*p_ - '0');
                if (exponent > 2147483647u)
                    return fail(json_fault::exponent_overflow, first);
            }
        }
        if (integer && fits) {
            if (!negative) {
                if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    return h_.int64(static_cast<std::int64_t>(u)) || stop();
                return h_.uint64(u) || stop();
            }
            if (u <= std::uint64_t(1) << 63)
                return h_.int64(static_cast<std::int64_t>(0 - u)) || stop();
        }
        std::string_view const literal(first, static_cast<std::size_t>(p_ - first));
        double d = 0;
        auto const r = std::from_chars(first, p_, d);
        if (r.ec == std::errc::result_out_of_range)
            d = json_chars::out_of_range(literal);
        return h_.number(d, integer) || stop();
    }
};

} // namespace restschema::detail
