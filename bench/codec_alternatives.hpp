// What restschema's codec is measured against, shared by bench_codec.cpp
// and bench_memory.cpp:
//  - the texts: the Safe Shepherd user of the update_user response example,
//    and a list of 10,000 copies of it with distinct ids;
//  - plain Boost.Describe structs mirroring safeshepherd::user, converted by
//    Boost.JSON's value_to / value_from through one small generic tag_invoke
//    (Boost.JSON 1.81's own described-struct conversion requires every member
//    in the object and writes absent optionals as null, so it cannot read or
//    write this data);
//  - the hand-written nlohmann::json extraction a team would otherwise write.
#pragma once

#include <restschema/codec.hpp>

#include <restschema/gen/safeshepherd.extras.hpp>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <boost/mp11/algorithm.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace restschema_bench {

/// The "user" member of the update_user response example, serialized compactly.
inline std::string const& user_text()
{
    static std::string const text = [] {
        auto jv =
            boost::json::parse(restschema::endpoint_docs<safeshepherd::update_user>::response_example_json);
        return boost::json::serialize(jv.at("user"));
    }();
    return text;
}

/// A JSON list of `n` copies of user_text() with ids 1..n.
inline std::string users_text(std::size_t n)
{
    auto const& u = user_text();
    std::string_view const head = R"({"id":12,)";
    if (u.compare(0, head.size(), head) != 0)
        return {}; // the example changed: the caller's check fails
    std::string_view const rest = std::string_view(u).substr(head.size());
    std::string out;
    out.reserve(n * (u.size() + 8) + 2);
    out += '[';
    for (std::size_t i = 1; i <= n; ++i) {
        if (i > 1)
            out += ',';
        out += R"({"id":)";
        out += std::to_string(i);
        out += ',';
        out += rest;
    }
    out += ']';
    return out;
}

inline constexpr std::size_t large_count = 10'000;

inline std::string const& large_text()
{
    static std::string const text = users_text(large_count);
    return text;
}

// ---- plain described structs, Boost.JSON conversions --------------------------

namespace plain {

/// Absent (outer empty), JSON null (inner empty) or a value: what
/// restschema::nullable holds, in standard types.
template <class T>
using maybe_null = std::optional<std::optional<T>>;

enum class alias_type { nickname, maiden };
BOOST_DESCRIBE_ENUM(alias_type, nickname, maiden)

// Members are named as on the wire ("_destroy"), so that Boost.Describe's
// names are the keys.
struct alias {
    std::optional<std::int64_t> id;
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    std::optional<plain::alias_type> alias_type;
    std::optional<bool> _destroy;
};
BOOST_DESCRIBE_STRUCT(alias, (), (id, first_name, last_name, alias_type, _destroy))

struct email {
    std::optional<std::int64_t> id;
    std::optional<std::string> address;
    std::optional<bool> _destroy;
};
BOOST_DESCRIBE_STRUCT(email, (), (id, address, _destroy))

struct phone_number {
    std::optional<std::int64_t> id;
    std::optional<std::string> number;
    std::optional<bool> _destroy;
};
BOOST_DESCRIBE_STRUCT(phone_number, (), (id, number, _destroy))

struct address {
    std::optional<std::int64_t> id;
    std::optional<std::string> address1;
    maybe_null<std::string> address2;
    std::optional<std::string> city;
    std::optional<std::string> state;
    std::optional<std::string> zip;
    std::optional<std::string> country;
    std::optional<bool> _destroy;
};
BOOST_DESCRIBE_STRUCT(address, (), (id, address1, address2, city, state, zip, country, _destroy))

struct record {
    std::int64_t id{};
    std::optional<std::string> name;
    std::optional<std::string> site;
    std::optional<std::string> status;
    maybe_null<std::int64_t> age;
    maybe_null<std::string> href;
    std::optional<std::vector<std::string>> relations;
    std::optional<std::vector<std::string>> aliases;
    std::optional<std::vector<std::string>> locations;
    std::optional<std::string> reference_id;
};
BOOST_DESCRIBE_STRUCT(record, (),
                      (id, name, site, status, age, href, relations, aliases, locations, reference_id))

struct link {
    std::optional<std::string> url;
    std::optional<std::string> title;
    std::optional<std::vector<std::string>> contains;
};
BOOST_DESCRIBE_STRUCT(link, (), (url, title, contains))

struct service_event {
    std::optional<std::string> activated_service_on;
    std::optional<std::string> deactivated_service_on;
};
BOOST_DESCRIBE_STRUCT(service_event, (), (activated_service_on, deactivated_service_on))

struct user {
    std::int64_t id{};
    std::optional<std::string> secret;
    maybe_null<std::int64_t> birth_date;
    std::optional<std::string> first_name;
    std::optional<std::string> middle_name;
    std::optional<std::string> last_name;
    std::optional<std::vector<alias>> aliases;
    std::optional<std::vector<email>> emails;
    std::optional<std::vector<phone_number>> phone_numbers;
    std::optional<std::vector<address>> addresses;
    std::optional<std::vector<record>> records;
    std::optional<std::vector<link>> links;
    std::optional<std::vector<service_event>> service_history;
    std::optional<bool> is_scanning;
    std::optional<bool> identification_on_file;
};
BOOST_DESCRIBE_STRUCT(user, (),
                      (id, secret, birth_date, first_name, middle_name, last_name, aliases, emails,
                       phone_numbers, addresses, records, links, service_history, is_scanning,
                       identification_on_file))

template <class T>
concept described_struct = std::is_class_v<T> && boost::describe::has_describe_members<T>::value;

template <class M>
void read_member(boost::json::value const& v, M& m, boost::system::error_code& ec)
{
    auto r = boost::json::try_value_to<M>(v);
    if (r)
        m = std::move(*r);
    else
        ec = r.error();
}

template <class T>
void read_member(boost::json::value const& v, maybe_null<T>& m, boost::system::error_code& ec)
{
    if (v.is_null()) {
        m.emplace();
        return;
    }
    auto r = boost::json::try_value_to<T>(v);
    if (r)
        m.emplace(std::move(*r));
    else
        ec = r.error();
}

/// Object -> described struct: a missing key leaves the member empty, unknown keys are ignored.
template <described_struct T>
boost::json::result<T> tag_invoke(boost::json::try_value_to_tag<T>, boost::json::value const& jv)
{
    auto const* obj = jv.if_object();
    if (!obj)
        return boost::json::make_error_code(boost::json::error::not_object);
    T out{};
    boost::system::error_code ec;
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>([&](auto d) {
        if (ec)
            return;
        if (auto const* v = obj->if_contains(d.name))
            read_member(*v, out.*d.pointer, ec);
    });
    if (ec)
        return ec;
    return out;
}

template <class M>
void write_member(boost::json::object& o, char const* name, M const& m)
{
    o.emplace(name, boost::json::value_from(m, o.storage()));
}

template <class T>
void write_member(boost::json::object& o, char const* name, std::optional<T> const& m)
{
    if (m)
        o.emplace(name, boost::json::value_from(*m, o.storage()));
}

template <class T>
void write_member(boost::json::object& o, char const* name, maybe_null<T> const& m)
{
    if (!m)
        return;
    if (*m)
        o.emplace(name, boost::json::value_from(**m, o.storage()));
    else
        o.emplace(name, nullptr);
}

/// Described struct -> object, leaving absent members out (as restschema does).
template <described_struct T>
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, T const& t)
{
    auto& o = jv.emplace_object();
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto d) { write_member(o, d.name, t.*d.pointer); });
}

} // namespace plain

// ---- the hand-written nlohmann::json alternative ------------------------------

namespace hand {

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
inline void opt_id(nlohmann::json const& j, std::optional<std::int64_t>& out)
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

inline safeshepherd::user decode(nlohmann::json const& j)
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

/// A JSON list of users, parsed whole, then extracted by hand.
inline std::vector<safeshepherd::user> decode_list(std::string_view text)
{
    auto const j = nlohmann::json::parse(text);
    std::vector<safeshepherd::user> out;
    out.reserve(j.size());
    for (auto const& e : j)
        out.push_back(decode(e));
    return out;
}

} // namespace hand

// ---- the approaches, as the benchmarks and the memory program call them ------

inline restschema::result<std::vector<safeshepherd::user>> decode_list_restschema(std::string_view text)
{
    return restschema::try_parse<std::vector<safeshepherd::user>>(text);
}

inline std::vector<plain::user> decode_list_value_to(std::string_view text)
{
    return boost::json::value_to<std::vector<plain::user>>(boost::json::parse(text));
}

/// Every approach reads the same data: each decoded value, encoded again,
/// gives the input text back. Returns what differs, or "" when all agree.
inline std::string check_same_data()
{
    auto const& text = user_text();
    auto const direct = restschema::try_parse<safeshepherd::user>(text);
    if (!direct)
        return "restschema::try_parse failed: " + std::string(direct.error().what());
    if (restschema::serialize(*direct) != text)
        return "restschema::serialize(try_parse(text)) != text";
    auto const p = boost::json::value_to<plain::user>(boost::json::parse(text));
    if (boost::json::serialize(boost::json::value_from(p)) != text)
        return "serialize(value_from(value_to<plain::user>(parse(text)))) != text";
    if (restschema::serialize(hand::decode(nlohmann::json::parse(text))) != text)
        return "the nlohmann hand-written decode loses data";
    return {};
}

} // namespace restschema_bench
