// The README's "A call, in full", as one translation unit: the client of one
// service and one generated endpoint. bench/compile_cost.py measures it
// header-only and with -DRESTSCHEMA_SEPARATE_COMPILATION (the compiled-once
// mode, where this file sees only declarations).
#include <restschema/client.hpp>
#include <restschema/gen/attestr.hpp> // generated from schemas/attestr/

#include <cstdlib>
#include <iostream>

namespace {

void schedule_tomorrow()
{
    std::cout << "daily limit reached; trying again tomorrow\n";
}

} // namespace

int main()
{
    char const* token = std::getenv("ATTESTR_TOKEN");
    restschema::client<attestr::service> api({
        .credentials = {{"basic_token", token ? token : ""}},
    });

    attestr::update_profile_request req;
    req.profile_id = "PRF-7d4c1e20";
    req.tag = "EMP-1042";
    req.name = "Asha Verma";
    req.mobile = "+919876543210"; // checked: E.164

    auto r = api.try_call(req); // restschema::result<boost::json::value>
    if (!r) {
        auto const& e = r.error(); // kind: transport, timeout, tls, validation, api, decode
        switch (e.api_error<attestr::update_profile_error>()) {
        case attestr::update_profile_error::api_daily_limit:
        case attestr::update_profile_error::account_daily_limit:
            schedule_tomorrow();
            break;
        default:
            break;
        }
        std::cerr << e.what() << '\n'; // never contains the token
        return 1;
    }
    return 0;
}
