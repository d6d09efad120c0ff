// Fuzz target: path templates and URLs, each with a property that must hold
// for every input (not only "no crash"). The first byte picks the check:
//  0. a request path matched against the schemas' templates: matching the
//     path that the matched values expand to gives the same values (the
//     match is a function of the values, not of how the path spelled them);
//  1. values expanded into a template whose placeholders are whole segments,
//     then matched: the same values back, whatever bytes they hold;
//  2. a base URL: if it parses, its host holds no delimiter, and printing it
//     again parses to the same parts;
//  3. a Link header: the rel="next" target is the text between one '<' and
//     its '>' in the header, without '>';
//  4. a next-page link, 5. a redirect Location (307, a PUT), followed from a
//     request that carries credentials: the new target is origin-form without
//     spaces or control characters; to another origin no Authorization, no
//     header or URL holding a secret; the logged target holds no secret;
//  6. percent-encoding: decoding what encode_segment / encode_query wrote
//     gives the text back, and encode_segment's output has no '/', '?', '#'.
#include <restschema/binding/request.hpp>
#include <restschema/detail/link_header.hpp>
#include <restschema/detail/path_template.hpp>
#include <restschema/detail/redact.hpp>
#include <restschema/detail/url.hpp>

#include <restschema/gen/attestr.hpp>
#include <restschema/gen/safeshepherd.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace rd = restschema::detail;

[[noreturn]] void fail()
{
    __builtin_trap();
}

std::array<std::string_view, 4> const templates{
    safeshepherd::update_user::path,
    attestr::update_profile::path,
    "/v1/things/{id}/parts/{part}",
    "/items[/{id}]",
};

/// The input split at NUL bytes: the values of check 1.
std::vector<std::string> split(std::string_view s)
{
    std::vector<std::string> out;
    for (;;) {
        auto const nul = s.find('\0');
        out.emplace_back(s.substr(0, nul));
        if (nul == std::string_view::npos)
            return out;
        s.remove_prefix(nul + 1);
    }
}

void match_again(std::string_view text)
{
    for (auto const t : templates) {
        auto const m = rd::match_path(t, text);
        if (!m)
            continue;
        std::string missing;
        auto const path = rd::expand_path(
            t,
            [&](std::string_view name) -> std::optional<std::string> {
                auto it = m->find(name);
                return it == m->end() ? std::nullopt : std::optional<std::string>(it->second);
            },
            &missing);
        if (!path)
            fail(); // every placeholder outside a group was matched
        auto const again = rd::match_path(t, *path);
        if (!again || *again != *m)
            fail();
    }
}

void expand_and_match(std::string_view text)
{
    auto const values = split(text);
    std::map<std::string, std::string, std::less<>> given{{"id", values[0]},
                                                          {"part", values.size() > 1 ? values[1] : "p"}};
    for (auto const& [k, v] : given)
        if (v.empty())
            return; // an empty segment is not a value
    std::string_view const t = templates[2];
    auto const path = rd::expand_path(t, [&](std::string_view name) -> std::optional<std::string> {
        return std::string(given.find(name)->second);
    });
    if (!path)
        fail();
    auto const m = rd::match_path(t, *path);
    if (!m || *m != given)
        fail();
}

void base_url(std::string_view text)
{
    std::string why;
    auto const u = rd::parse_base_url(text, &why);
    if (!u) {
        if (why.empty())
            fail(); // a refusal says why
        return;
    }
    if (u->host.empty() || u->host.find_first_of("/?#@") != std::string::npos)
        fail();
    auto const again =
        rd::parse_base_url((u->tls ? "https://" : "http://") + u->host_header() + u->prefix, &why);
    if (!again || again->tls != u->tls || again->host != u->host || again->port != u->port ||
        again->prefix != u->prefix)
        fail();
}

void link_header(std::string_view text)
{
    auto const next = rd::parse_next_link(text);
    if (!next.error.empty() && next.target)
        fail();
    if (next.target && (next.target->find('>') != std::string::npos ||
                        text.find("<" + *next.target + ">") == std::string::npos))
        fail();
}

void follow(std::string_view text, bool redirect)
{
    std::string const key = "K3Y-fuzz";
    restschema::binding::wire_request w;
    w.endpoint = "list_notes";
    w.method = redirect ? "PUT" : "GET";
    w.target = "/api/notes?page=1&api_key=" + key;
    w.secrets = {key, "tok-fuzz"};
    w.redacted_target = rd::scrub(w.target, w.secrets);
    w.headers = {{"Accept", "application/json"}, {"Authorization", "Bearer tok-fuzz"}, {"X-Key", key}};
    w.body = redirect ? "{}" : "";
    auto const base = *rd::parse_base_url("http://127.0.0.1:8080/api", nullptr);
    restschema::binding::page_location const from{std::nullopt, w.target};
    auto const r = redirect ? restschema::binding::follow_redirect(w, text, base, from, 307)
                            : restschema::binding::follow_link(w, text, base, from);
    if (!r) {
        auto const what = r.error().what();
        if (what.find(key) != std::string::npos || what.find("tok-fuzz") != std::string::npos)
            fail(); // the error quotes the link scrubbed
        return;
    }
    if (w.target.empty() || w.target.front() != '/')
        fail();
    for (unsigned char c : w.target)
        if (c <= ' ' || c == 0x7f)
            fail();
    if (w.redacted_target.find(key) != std::string::npos ||
        w.redacted_target.find("tok-fuzz") != std::string::npos)
        fail();
    bool const away =
        w.origin && !(w.origin->tls == base.tls && rd::iequals_ascii(w.origin->host, base.host) &&
                      w.origin->port == base.port);
    if (!away)
        return;
    if (rd::scrub(w.target, w.secrets) != w.target)
        fail();
    for (auto const& [name, value] : w.headers)
        if (rd::iequals_ascii(name, "Authorization") || rd::scrub(value, w.secrets) != value)
            fail();
}

void percent(std::string_view text)
{
    auto const seg = rd::encode_segment(text);
    if (seg.find_first_of("/?#") != std::string::npos || rd::percent_decode(seg) != std::string(text))
        fail();
    if (rd::percent_decode(rd::encode_query(text)) != std::string(text))
        fail();
    if (auto d = rd::percent_decode(text))
        if (rd::percent_decode(rd::encode_segment(*d)) != d)
            fail();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0)
        return 0;
    std::string_view const text(reinterpret_cast<char const*>(data + 1), size - 1);
    switch (data[0] % 7) {
    case 0:
        match_again(text);
        break;
    case 1:
        expand_and_match(text);
        break;
    case 2:
        base_url(text);
        break;
    case 3:
        link_header(text);
        break;
    case 4:
        follow(text, false);
        break;
    case 5:
        follow(text, true);
        break;
    case 6:
        percent(text);
        break;
    }
    return 0;
}

/// Seeds for the replay driver and the libFuzzer corpus: the schemas' own
/// paths and base URLs, and links as real APIs write them.
std::vector<std::string> restschema_fuzz_seeds()
{
    return {
        "/api/acme/key%2F1/v2/users/12.json",
        "/api/acme/K3Y/v2/users/12",
        "/api/v1/public/factx/PRF-7d4c1e20",
        "/v1/things/a%2Fb/parts/%2E%2E",
        "/items",
        "/items/7",
        std::string("a/b?c#d\0%2E", 11),
        std::string(safeshepherd::service::base_url),
        std::string(attestr::service::base_url),
        "https://[::1]:8443/prefix/",
        "http://127.0.0.1:8080/api",
        "<https://api.example/notes?page=2>; rel=\"next\", <https://api.example/notes?page=9>; rel=\"last\"",
        "</api/notes?page=2&api_key=K3Y-fuzz>; rel=\"next last\"",
        "<?page=3>; REL=Next",
        "http://127.0.0.1:8080/api/notes?page=2",
        "http://other.example:8080/notes?page=2",
        "//other.example/x",
        "notes?page=2#frag",
        "a%2Fb%25c..%2E",
    };
}
extern int const restschema_fuzz_selectors;
int const restschema_fuzz_selectors = 7;
