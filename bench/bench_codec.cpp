// Decoding and encoding the Safe Shepherd user: restschema's generic codec
// against Boost.JSON alone (the floor), against Boost.JSON's value_to /
// value_from of plain described structs, and against the hand-written
// nlohmann::json code a team would otherwise write for the same struct.
//
// Groups, in the order they run (docs/performance.md reads them side by side):
//  - decoding one user (1,027 bytes): try_parse (direct, no DOM), the DOM
//    path, boost::json::parse alone, parse + value_to, nlohmann by hand, and
//    the tokenizer alone: Boost.JSON's basic_parser and restschema's
//    json_reader (which try_parse drives), each with a handler that does nothing;
//  - encoding one user: restschema::serialize (direct), to_json + serialize
//    (the DOM path), serialize(value_from(plain struct)), serializing a DOM
//    that is already built;
//  - decoding a list of 10,000 users (about 10 MB), in MB/s.
// Peak memory of the large decode: bench_memory.cpp.
#include "codec_alternatives.hpp"

#include <restschema/codec.hpp>
#include <restschema/detail/json_reader.hpp>
#include <restschema/validate.hpp>

#include <restschema/gen/safeshepherd.extras.hpp>

#include <benchmark/benchmark.h>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace {

namespace rb = restschema_bench;

std::string const& user_text = rb::user_text();

/// Skips the benchmark unless every approach reads the same data.
bool same_data(benchmark::State& state)
{
    static std::string const why = rb::check_same_data();
    if (!why.empty())
        state.SkipWithError(why.c_str());
    return why.empty();
}

void set_bytes(benchmark::State& state, std::string const& text)
{
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(text.size()));
}

/// A basic_parser handler that does nothing: what tokenizing the text costs.
struct null_handler {
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    bool on_document_begin(boost::system::error_code&) { return true; }
    bool on_document_end(boost::system::error_code&) { return true; }
    bool on_object_begin(boost::system::error_code&) { return true; }
    bool on_object_end(std::size_t, boost::system::error_code&) { return true; }
    bool on_array_begin(boost::system::error_code&) { return true; }
    bool on_array_end(std::size_t, boost::system::error_code&) { return true; }
    bool on_key_part(boost::json::string_view, std::size_t, boost::system::error_code&) { return true; }
    bool on_key(boost::json::string_view, std::size_t, boost::system::error_code&) { return true; }
    bool on_string_part(boost::json::string_view, std::size_t, boost::system::error_code&) { return true; }
    bool on_string(boost::json::string_view, std::size_t, boost::system::error_code&) { return true; }
    bool on_number_part(boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_int64(std::int64_t, boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_uint64(std::uint64_t, boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_double(double, boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_bool(bool, boost::system::error_code&) { return true; }
    bool on_null(boost::system::error_code&) { return true; }
    bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }
};

void null_parse(benchmark::State& state, std::string const& text)
{
    for (auto _ : state) {
        boost::json::basic_parser<null_handler> p(boost::json::parse_options{});
        boost::system::error_code ec;
        auto const n = p.write_some(false, text.data(), text.size(), ec);
        if (ec || n != text.size())
            state.SkipWithError("basic_parser failed");
        benchmark::DoNotOptimize(n);
    }
    set_bytes(state, text);
}

/// A json_reader handler that does nothing.
struct null_reader_handler {
    bool object_begin() { return true; }
    bool object_end(std::size_t) { return true; }
    bool array_begin() { return true; }
    bool array_end(std::size_t) { return true; }
    bool key(std::string_view) { return true; }
    bool string(std::string_view) { return true; }
    bool int64(std::int64_t) { return true; }
    bool uint64(std::uint64_t) { return true; }
    bool number(double, bool) { return true; }
    bool boolean(bool) { return true; }
    bool null() { return true; }
};

void null_read(benchmark::State& state, std::string const& text)
{
    null_reader_handler h;
    restschema::detail::json_reader<null_reader_handler> reader(h, 128);
    for (auto _ : state) {
        auto const r = reader.read(text);
        if (r.fault != restschema::detail::json_fault::none)
            state.SkipWithError("json_reader failed");
        benchmark::DoNotOptimize(r);
    }
    set_bytes(state, text);
}

// ---- 1. decoding one user -----------------------------------------------------

void decode_user_restschema(benchmark::State& state)
{
    if (!same_data(state))
        return;
    for (auto _ : state) {
        auto r = restschema::try_parse<safeshepherd::user>(user_text);
        if (!r)
            state.SkipWithError("decode failed");
        benchmark::DoNotOptimize(r);
    }
    set_bytes(state, user_text);
}
BENCHMARK(decode_user_restschema);

void decode_user_restschema_dom(benchmark::State& state)
{
    for (auto _ : state) {
        auto r = restschema::try_from_json<safeshepherd::user>(boost::json::parse(user_text));
        if (!r)
            state.SkipWithError("decode failed");
        benchmark::DoNotOptimize(r);
    }
    set_bytes(state, user_text);
}
BENCHMARK(decode_user_restschema_dom);

void parse_only_boost_json(benchmark::State& state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(boost::json::parse(user_text));
    set_bytes(state, user_text);
}
BENCHMARK(parse_only_boost_json);

void decode_user_boost_json_value_to(benchmark::State& state)
{
    if (!same_data(state))
        return;
    for (auto _ : state) {
        auto u = boost::json::value_to<rb::plain::user>(boost::json::parse(user_text));
        benchmark::DoNotOptimize(u);
    }
    set_bytes(state, user_text);
}
BENCHMARK(decode_user_boost_json_value_to);

void decode_user_nlohmann_by_hand(benchmark::State& state)
{
    for (auto _ : state) {
        auto u = rb::hand::decode(nlohmann::json::parse(user_text));
        benchmark::DoNotOptimize(u);
    }
    set_bytes(state, user_text);
}
BENCHMARK(decode_user_nlohmann_by_hand);

void parse_only_null_handler(benchmark::State& state)
{
    null_parse(state, user_text);
}
BENCHMARK(parse_only_null_handler);

void read_only_null_handler(benchmark::State& state)
{
    null_read(state, user_text);
}
BENCHMARK(read_only_null_handler);

// ---- 2. encoding one user -----------------------------------------------------

void encode_user_restschema_direct(benchmark::State& state)
{
    if (!same_data(state))
        return;
    auto const u = restschema::try_parse<safeshepherd::user>(user_text).value();
    for (auto _ : state)
        benchmark::DoNotOptimize(restschema::serialize(u));
    set_bytes(state, user_text);
}
BENCHMARK(encode_user_restschema_direct);

/// The DOM path: to_json + boost::json::serialize.
void encode_user_restschema(benchmark::State& state)
{
    auto const u = restschema::try_parse<safeshepherd::user>(user_text).value();
    for (auto _ : state)
        benchmark::DoNotOptimize(boost::json::serialize(restschema::to_json(u)));
    set_bytes(state, user_text);
}
BENCHMARK(encode_user_restschema);

void encode_user_boost_json_value_from(benchmark::State& state)
{
    if (!same_data(state))
        return;
    auto const u = boost::json::value_to<rb::plain::user>(boost::json::parse(user_text));
    for (auto _ : state)
        benchmark::DoNotOptimize(boost::json::serialize(boost::json::value_from(u)));
    set_bytes(state, user_text);
}
BENCHMARK(encode_user_boost_json_value_from);

void serialize_only_boost_json(benchmark::State& state)
{
    auto const jv = boost::json::parse(user_text);
    for (auto _ : state)
        benchmark::DoNotOptimize(boost::json::serialize(jv));
    set_bytes(state, user_text);
}
BENCHMARK(serialize_only_boost_json);

// ---- 3. decoding 10,000 users (about 10 MB) -----------------------------------

/// Skips the benchmark unless the large text decodes to 10,000 users with ids 1..10,000.
bool large_ok(benchmark::State& state)
{
    static bool const ok = [] {
        auto const r = rb::decode_list_restschema(rb::large_text());
        if (!r || r->size() != rb::large_count)
            return false;
        for (std::size_t i = 0; i < r->size(); ++i)
            if ((*r)[i].id != static_cast<std::int64_t>(i + 1))
                return false;
        auto const p = rb::decode_list_value_to(rb::large_text());
        auto const h = rb::hand::decode_list(rb::large_text());
        return p.size() == rb::large_count && h.size() == rb::large_count &&
               p.back().id == static_cast<std::int64_t>(rb::large_count) &&
               restschema::serialize(h.back()) == restschema::serialize(r->back());
    }();
    if (!ok)
        state.SkipWithError("the approaches do not read the same 10,000 users");
    return ok;
}

void decode_10k_users_restschema(benchmark::State& state)
{
    if (!same_data(state) || !large_ok(state))
        return;
    auto const& text = rb::large_text();
    for (auto _ : state) {
        auto r = rb::decode_list_restschema(text);
        if (!r)
            state.SkipWithError("decode failed");
        benchmark::DoNotOptimize(r);
    }
    set_bytes(state, text);
}
BENCHMARK(decode_10k_users_restschema)->Unit(benchmark::kMillisecond);

void parse_only_10k_users_boost_json(benchmark::State& state)
{
    auto const& text = rb::large_text();
    for (auto _ : state)
        benchmark::DoNotOptimize(boost::json::parse(text));
    set_bytes(state, text);
}
BENCHMARK(parse_only_10k_users_boost_json)->Unit(benchmark::kMillisecond);

void decode_10k_users_boost_json_value_to(benchmark::State& state)
{
    if (!same_data(state) || !large_ok(state))
        return;
    auto const& text = rb::large_text();
    for (auto _ : state) {
        auto v = rb::decode_list_value_to(text);
        benchmark::DoNotOptimize(v);
    }
    set_bytes(state, text);
}
BENCHMARK(decode_10k_users_boost_json_value_to)->Unit(benchmark::kMillisecond);

void decode_10k_users_nlohmann_by_hand(benchmark::State& state)
{
    if (!same_data(state) || !large_ok(state))
        return;
    auto const& text = rb::large_text();
    for (auto _ : state) {
        auto v = rb::hand::decode_list(text);
        benchmark::DoNotOptimize(v);
    }
    set_bytes(state, text);
}
BENCHMARK(decode_10k_users_nlohmann_by_hand)->Unit(benchmark::kMillisecond);

void parse_only_10k_users_null_handler(benchmark::State& state)
{
    null_parse(state, rb::large_text());
}
BENCHMARK(parse_only_10k_users_null_handler)->Unit(benchmark::kMillisecond);

void read_only_10k_users_null_handler(benchmark::State& state)
{
    null_read(state, rb::large_text());
}
BENCHMARK(read_only_10k_users_null_handler)->Unit(benchmark::kMillisecond);

// ---- requests -------------------------------------------------------------------

void validate_update_user_request(benchmark::State& state)
{
    safeshepherd::update_user_request r;
    r.integration_name = "acme";
    r.id = 12;
    r.secret = "TOP SECRET";
    for (std::int64_t id : {123, 124, 125})
        r.emails.update(safeshepherd::email_id{id}, {.address = "tommy@example.com"});
    for (auto _ : state)
        benchmark::DoNotOptimize(restschema::validate_request<safeshepherd::update_user>(r, "v2"));
}
BENCHMARK(validate_update_user_request);

} // namespace
