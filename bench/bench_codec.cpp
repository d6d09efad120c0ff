// Decoding and encoding the Safe Shepherd user: restschema's generic codec
// against Boost.JSON alone (the floor) and against the hand-written
// nlohmann::json code a team would otherwise write for the same struct.
#include <restschema/codec.hpp>
#include <restschema/validate.hpp>

#include <restschema/gen/safeshepherd.extras.hpp>

#include <benchmark/benchmark.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace {

std::string const user_text = [] {
    auto jv = boost::json::parse(restschema::endpoint_docs<safeshepherd::update_user>::response_example_json);
    return boost::json::serialize(jv.at("user"));
}();

// ---- the hand-written alternative: what restschema replaces -------------------

template <class T>
void opt(nlohmann::json const& j, char const* key, std::optional<T>& out)
{
    if (auto it = j.find(key); it != j.end() && !it->is_null())
        out = it->get<T>();
}
template <class T>
void nul(nlohmann::json const& j, char const* key, restschema::nullable<T>& out)
{
    if (auto it = j.find(key); it != j.end())
        out =
            it->is_null() ? restschema::nullable<T>(restschema::null) : restschema::nullable<T>(it->get<T>());
}
void opt_id(nlohmann::json const& j, std::optional<std::int64_t>& out)
{
    if (auto it = j.find("id"); it != j.end())
        out = it->is_string() ? std::stoll(it->get<std::string>()) : it->get<std::int64_t>();
}
template <class T, class F>
void list(nlohmann::json const& j, char const* key, std::optional<std::vector<T>>& out, F&& item)
{
    if (auto it = j.find(key); it != j.end() && it->is_array()) {
        out.emplace();
        for (auto const& e : *it)
            item(e, out->emplace_back());
    }
}

safeshepherd::user hand_decode(nlohmann::json const& j)
{
    safeshepherd::user u;
    u.id = j.at("id").get<std::int64_t>();
    if (auto it = j.find("secret"); it != j.end())
        u.secret = it->is_string() ? it->get<std::string>() : std::to_string(it->get<std::int64_t>());
    nul(j, "birth_date", u.birth_date);
    opt(j, "first_name", u.first_name);
    opt(j, "middle_name", u.middle_name);
    opt(j, "last_name", u.last_name);
    list(j, "aliases", u.aliases, [](auto const& e, safeshepherd::alias& a) {
        opt_id(e, a.id);
        opt(e, "first_name", a.first_name);
        opt(e, "last_name", a.last_name);
        if (auto it = e.find("alias_type"); it != e.end())
            a.alias_type =
                *it == "maiden" ? safeshepherd::alias_type::maiden : safeshepherd::alias_type::nickname;
        opt(e, "_destroy", a.destroy);
    });
    list(j, "emails", u.emails, [](auto const& e, safeshepherd::email& m) {
        opt_id(e, m.id);
        opt(e, "address", m.address);
        opt(e, "_destroy", m.destroy);
    });
    list(j, "phone_numbers", u.phone_numbers, [](auto const& e, safeshepherd::phone_number& p) {
        opt_id(e, p.id);
        opt(e, "number", p.number);
        opt(e, "_destroy", p.destroy);
    });
    list(j, "addresses", u.addresses, [](auto const& e, safeshepherd::address& a) {
        opt_id(e, a.id);
        opt(e, "address1", a.address1);
        nul(e, "address2", a.address2);
        opt(e, "city", a.city);
        opt(e, "state", a.state);
        opt(e, "zip", a.zip);
        opt(e, "country", a.country);
        opt(e, "_destroy", a.destroy);
    });
    list(j, "records", u.records, [](auto const& e, safeshepherd::record& r) {
        r.id = e.at("id").template get<std::int64_t>();
        opt(e, "name", r.name);
        opt(e, "site", r.site);
        opt(e, "status", r.status);
        nul(e, "age", r.age);
        nul(e, "href", r.href);
        opt(e, "relations", r.relations);
        opt(e, "aliases", r.aliases);
        opt(e, "locations", r.locations);
        opt(e, "reference_id", r.reference_id);
    });
    list(j, "links", u.links, [](auto const& e, safeshepherd::link& l) {
        opt(e, "url", l.url);
        opt(e, "title", l.title);
        opt(e, "contains", l.contains);
    });
    list(j, "service_history", u.service_history, [](auto const& e, safeshepherd::service_event& s) {
        opt(e, "activated_service_on", s.activated_service_on);
        opt(e, "deactivated_service_on", s.deactivated_service_on);
    });
    opt(j, "is_scanning", u.is_scanning);
    opt(j, "identification_on_file", u.identification_on_file);
    return u;
}

// ---- benchmarks ---------------------------------------------------------------

void parse_only_boost_json(benchmark::State& state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(boost::json::parse(user_text));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * user_text.size()));
}
BENCHMARK(parse_only_boost_json);

void decode_user_restschema(benchmark::State& state)
{
    for (auto _ : state) {
        auto r = restschema::try_parse<safeshepherd::user>(user_text);
        if (!r)
            state.SkipWithError("decode failed");
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * user_text.size()));
}
BENCHMARK(decode_user_restschema);

void decode_user_nlohmann_by_hand(benchmark::State& state)
{
    for (auto _ : state) {
        auto u = hand_decode(nlohmann::json::parse(user_text));
        benchmark::DoNotOptimize(u);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * user_text.size()));
}
BENCHMARK(decode_user_nlohmann_by_hand);

void encode_user_restschema(benchmark::State& state)
{
    auto const u = restschema::try_parse<safeshepherd::user>(user_text).value();
    for (auto _ : state)
        benchmark::DoNotOptimize(boost::json::serialize(restschema::to_json(u)));
}
BENCHMARK(encode_user_restschema);

void validate_update_user_request(benchmark::State& state)
{
    safeshepherd::update_user_request r;
    r.integration_name = "acme";
    r.id = 12;
    r.secret = "TOP SECRET";
    safeshepherd::email e;
    e.id = 123;
    e.address = "tommy@example.com";
    r.emails = std::vector{e, e, e};
    for (auto _ : state)
        benchmark::DoNotOptimize(restschema::validate_request<safeshepherd::update_user>(r, "v2"));
}
BENCHMARK(validate_update_user_request);

} // namespace
