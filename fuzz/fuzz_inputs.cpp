// Fuzz target: everything restschema reads from a peer or a user as text.
// The first byte picks the parser; the rest is its input. Each must return
// an error, never crash, hang or read out of bounds.
#include <restschema/codec.hpp>
#include <restschema/error_table.hpp>

#include <restschema/detail/http_date.hpp>
#include <restschema/detail/path_template.hpp>
#include <restschema/detail/url.hpp>
#include <restschema/gen/attestr.hpp>
#include <restschema/gen/safeshepherd.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0)
        return 0;
    std::string_view const text(reinterpret_cast<char const*>(data + 1), size - 1);
    switch (data[0] % 7) {
    case 0: { // a response body for the Safe Shepherd user, lenient and strict
        (void)restschema::try_parse<safeshepherd::user>(text);
        (void)restschema::try_parse<safeshepherd::user>(text, {.strict = true});
        break;
    }
    case 1: { // a request body as the mock server decodes it
        auto r =
            restschema::try_parse<safeshepherd::update_user_request>(text, {.accept_unrecognized = false});
        if (r.has_value())
            (void)restschema::to_json(*r);
        break;
    }
    case 2: // an error body against the Attestr table
        (void)restschema::make_api_error<attestr::update_profile>(400 + static_cast<int>(size % 200), text);
        break;
    case 3: // a request path against both templates
        (void)restschema::detail::match_path(safeshepherd::update_user::path, text);
        (void)restschema::detail::match_path(attestr::update_profile::path, text);
        break;
    case 4: // Retry-After
        (void)restschema::detail::parse_retry_after(text, std::chrono::system_clock::time_point{});
        break;
    case 5: { // a base URL
        std::string why;
        (void)restschema::detail::parse_base_url(text, &why);
        break;
    }
    case 6: // percent-decoding and encoding round trip
        if (auto d = restschema::detail::percent_decode(text))
            if (restschema::detail::percent_decode(restschema::detail::encode_segment(*d)) != d)
                __builtin_trap();
        break;
    }
    return 0;
}

/// Seeds for the replay driver and the libFuzzer corpus.
std::vector<std::string> restschema_fuzz_seeds()
{
    return {
        R"({"id":12,"secret":"TOP SECRET","birth_date":null,"aliases":[{"id":"123","alias_type":"maiden"}],)"
        R"("addresses":[{"id":1,"address2":null,"zip":"91101"}],"records":[{"id":318,"reference_id":"000560228488"}],)"
        R"("service_history":[{"activated_service_on":"2012/05/27 00:46:39 +0000"}]})",
        R"({"secret":"s","api_secret":"x","middle_name":"","phone_numbers":[{"id":124,"_destroy":true}]})",
        R"({"code":4291,"message":"Maximum account rate limit exceeded","details":"x"})",
        "/api/acme/key%2F1/v2/users/12.json",
        "/api/v1/public/factx/PRF-7d4c1e20",
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 3988 08:49:37 GMT", // regression: overflowed system_clock (UBSan)
        "120",
        "https://[::1]:8443/prefix/",
        "a%2Fb%25c..%2E",
    };
}
extern int const restschema_fuzz_selectors;
int const restschema_fuzz_selectors = 7;
