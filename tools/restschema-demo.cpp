// restschema-demo: both seed APIs end to end through the generic client.
//
// Without arguments it starts restschema's mock server in-process on a free
// loopback port; with --base-url it talks to a server you started yourself
// (for example `restschema-mock --port 8080`).
#include <restschema/client.hpp>
#include <restschema/mock.hpp>
#include <restschema/xml.hpp> // the Safe Shepherd call in XML (links Expat)

#include <restschema/gen/all.extras.hpp> // the mock reads endpoint_mock / endpoint_docs

#include <boost/describe/enum_to_string.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <vector>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace {

std::string env_or(char const* name, char const* fallback)
{
    char const* v = std::getenv(name);
    return v && *v ? v : fallback;
}

void heading(std::string_view text)
{
    std::cout << "\n== " << text << " ==\n";
}

// The in-process mock logs each request from its own thread, just after it
// has answered; the demo prints those lines after each call, in order.
struct mock_log {
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<std::string> lines;
    std::size_t shown = 0;

    void add(std::string_view line)
    {
        std::lock_guard lock(mutex);
        lines.emplace_back(line);
        cv.notify_all();
    }
    /// Prints the lines of `expected` more requests (waiting a moment for them).
    void show(std::size_t expected)
    {
        std::unique_lock lock(mutex);
        cv.wait_for(lock, std::chrono::seconds(2), [&] { return lines.size() >= shown + expected; });
        for (; shown < lines.size(); ++shown)
            std::cout << "  mock server log: " << lines[shown] << '\n';
    }
};

template <class T>
std::string show(std::optional<T> const& v)
{
    if (!v)
        return "(absent)";
    if constexpr (std::is_same_v<T, std::string>)
        return '"' + *v + '"';
    else
        return std::to_string(*v);
}

template <class T>
std::string show(restschema::nullable<T> const& v)
{
    if (v.is_absent())
        return "(absent)";
    if (v.is_null())
        return "null";
    if constexpr (std::is_same_v<T, std::string>)
        return '"' + *v + '"';
    else
        return std::to_string(*v);
}

void print_error(restschema::error const& e)
{
    std::cout << "  kind:          " << e.code().message() << " (" << e.code().category().name() << ':'
              << e.code().value() << ")\n";
    if (e.kind == restschema::error_kind::api) {
        std::cout << "  HTTP status:   " << e.http_status << '\n';
        std::cout << "  API code:      " << (e.api_code ? std::to_string(*e.api_code) : "(none)") << '\n';
        std::cout << "  error row:     " << e.table_name << " - " << e.table_message << '\n';
        std::cout << "  server says:   " << e.server_message;
        if (!e.server_details.empty())
            std::cout << " (" << e.server_details << ')';
        std::cout << "\n  retryable:     " << (e.retryable ? "yes" : "no") << '\n';
    }
    for (auto const& p : e.problems)
        std::cout << "  problem:       " << p.path << ": " << p.message << '\n';
}

int usage(std::ostream& os, int code)
{
    os << "usage: restschema-demo [--base-url URL]\n"
          "  Updates an Attestr profile and a Safe Shepherd user through restschema's generic client,\n"
          "  then shows a typed API error and a client-side validation error.\n"
          "  --base-url URL  talk to a running server (e.g. restschema-mock) instead of an in-process mock.\n"
          "  Credentials come from ATTESTR_TOKEN, SAFESHEPHERD_API_KEY, SAFESHEPHERD_API_SECRET (demo values "
          "otherwise).\n";
    return code;
}

} // namespace

int main(int argc, char** argv)
{
    std::string base_url;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--help" || a == "-h")
            return usage(std::cout, 0);
        if (a == "--base-url" && i + 1 < argc)
            base_url = argv[++i];
        else if (a.starts_with("--base-url="))
            base_url = std::string(a.substr(11));
        else {
            std::cerr << "restschema-demo: unknown argument '" << a << "'\n";
            return usage(std::cerr, 2);
        }
    }

    std::optional<restschema::mock_server<restschema::gen::all_endpoints>> mock;
    mock_log log;
    auto show_log = [&](std::size_t n) {
        if (mock)
            log.show(n);
    };
    if (base_url.empty()) {
        restschema::mock_options mo;
        mo.access_log = [&log](std::string_view line) { log.add(line); };
        mock.emplace(std::move(mo));
        mock->start();
        base_url = mock->base_url();
        std::cout << "Started restschema's mock server in-process at " << base_url << '\n';
    } else {
        std::cout << "Using the server at " << base_url << '\n';
    }

    try {
        // ---------------------------------------------------------- Attestr
        restschema::client_options ao;
        ao.base_url = base_url;
        ao.api_version = "v1";
        ao.credentials = {{"basic_token", env_or("ATTESTR_TOKEN", "demo-attestr-token")}};
        restschema::client<attestr::service> attestr_api(ao);

        heading("Attestr: PUT /api/v1/public/factx/{profileId} (Update Profile, all four fields)");
        attestr::update_profile_request profile;
        profile.profile_id = "PRF-7d4c1e20";
        profile.tag = "EMP-1042";
        profile.name = "Asha Verma";
        profile.email = "asha.verma@example.com";
        profile.mobile = "+919876543210";
        auto const updated = attestr_api.call(profile); // throws restschema::exception on failure
        show_log(1);
        std::cout << "  200 OK, profile now: " << boost::json::serialize(updated) << '\n';

        // ---------------------------------------------------------- Safe Shepherd
        restschema::client_options so;
        so.base_url = base_url;
        so.credentials = {{"api_key", env_or("SAFESHEPHERD_API_KEY", "demo-api-key")},
                          {"api_secret", env_or("SAFESHEPHERD_API_SECRET", "demo-api-secret")}};
        restschema::client<safeshepherd::service> ss_api(so);

        heading("Safe Shepherd: PUT /api/{integration_name}/{api_key}/v2/users/{id}.json (Update user "
                "information)");
        safeshepherd::update_user_request req;
        req.integration_name = "acme";
        req.id = 12;
        req.secret = "TOP SECRET";
        // The list operations of update semantics (restschema/edits.hpp):
        // a new item has no id, a deleted one sends nothing but its id.
        req.middle_name = restschema::clear; // a blank string truncates
        req.aliases.append(
            {.first_name = "Tommy", .last_name = "Lee", .alias_type = safeshepherd::alias_type::nickname});
        req.emails.update(safeshepherd::email_id{123}, {.address = "tommy.jones@example.com"});
        req.phone_numbers.destroy(safeshepherd::phone_number_id{124});
        std::cout << "  request: add alias \"Tommy Lee\" (nickname), email 123 -> tommy.jones@example.com,\n"
                     "           delete phone 124, clear middle_name (sent as \"\")\n";

        auto const r = ss_api.try_call(req);
        show_log(1);
        if (!r) {
            std::cout << "  unexpected error: " << r.error().what() << '\n';
            return 1;
        }
        auto const& user = *r;
        std::cout << "  200 OK, typed safeshepherd::user:\n";
        std::cout << "    id " << user.id << ", name " << show(user.first_name) << ' '
                  << show(user.middle_name) << ' ' << show(user.last_name) << ", birth_date "
                  << show(user.birth_date) << '\n';
        for (auto const& a : user.aliases.value_or(std::vector<safeshepherd::alias>{}))
            std::cout << "    alias " << show(a.id) << ": " << show(a.first_name) << ' ' << show(a.last_name)
                      << (a.alias_type
                              ? std::string(" (") + boost::describe::enum_to_string(*a.alias_type, "?") + ")"
                              : std::string())
                      << '\n';
        for (auto const& e : user.emails.value_or(std::vector<safeshepherd::email>{}))
            std::cout << "    email " << show(e.id) << ": " << show(e.address) << '\n';
        for (auto const& p : user.phone_numbers.value_or(std::vector<safeshepherd::phone_number>{}))
            std::cout << "    phone " << show(p.id) << ": " << show(p.number) << '\n';
        for (auto const& rec : user.records.value_or(std::vector<safeshepherd::record>{}))
            std::cout << "    record " << rec.id << " on " << show(rec.site) << ", reference_id "
                      << show(rec.reference_id) << '\n';
        for (auto const& ev : user.service_history.value_or(std::vector<safeshepherd::service_event>{}))
            std::cout << "    service " << (ev.activated_service_on ? "activated   " : "deactivated ")
                      << ev.activated_service_on.value_or(ev.deactivated_service_on.value_or("?")) << '\n';

        // ---------------------------------------------------------- the same API in XML
        heading("Safe Shepherd in XML: PUT .../users/{id}.xml, Rails' to_xml read into the same type");
        safeshepherd::update_user_request again;
        again.integration_name = "acme";
        again.id = 12;
        again.secret = "TOP SECRET";
        auto const x = ss_api.try_call(again, {.format = restschema::xml_format});
        show_log(1);
        if (!x) {
            std::cout << "  unexpected error: " << x.error().what() << '\n';
            return 1;
        }
        std::cout << "  200 OK (application/xml), typed safeshepherd::user: id " << x->id << ", name "
                  << show(x->first_name) << ' ' << show(x->last_name) << ", "
                  << x->phone_numbers.value_or(std::vector<safeshepherd::phone_number>{}).size()
                  << " phone numbers\n";
        for (auto const& ev : x->service_history.value_or(std::vector<safeshepherd::service_event>{}))
            std::cout << "    service " << (ev.activated_service_on ? "activated   " : "deactivated ")
                      << ev.activated_service_on.value_or(ev.deactivated_service_on.value_or("?"))
                      << "  (ISO 8601 on the wire)\n";

        // ---------------------------------------------------------- a typed API error
        heading("A typed API error from Attestr's error table (unknown profile id)");
        auto missing = profile;
        missing.profile_id = "PRF-does-not-exist";
        auto const err = attestr_api.try_call(missing);
        show_log(1);
        if (err) {
            std::cout << "  expected an error, got 200\n";
            return 1;
        }
        print_error(err.error());
        switch (err.error().api_error<attestr::update_profile_error>()) {
        case attestr::update_profile_error::invalid_profile_id:
            std::cout << "  -> switch: attestr::update_profile_error::invalid_profile_id\n";
            break;
        default:
            std::cout << "  -> switch: another error\n";
            break;
        }

        // ---------------------------------------------------------- a validation error
        heading("A client-side validation error (mobile not in E.164); nothing is sent");
        auto bad = profile;
        bad.mobile = "98765 43210";
        auto const invalid = attestr_api.try_call(bad);
        if (invalid) {
            std::cout << "  expected a validation error\n";
            return 1;
        }
        print_error(invalid.error());
        if (mock) {
            show_log(0);
            std::cout << "  (the mock server logged no request for it)\n";
        }
    } catch (restschema::exception const& e) {
        std::cout << "restschema-demo: " << e.what() << '\n';
        return 1;
    }
    std::cout << "\nDone.\n";
    return 0;
}
