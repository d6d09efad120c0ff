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
#include <string_view>

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
