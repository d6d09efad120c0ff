// Calls one endpoint of each published description, imported at build time
// (CMakeLists.txt), through restschema's client, against every server run.sh
// started: Stoplight Prism serving the original description, and restschema's
// mock built for a subset of the service. Exit status 0 when every check passes.
//
//   REAL_GITHUB_URLS, REAL_RCLONE_URLS   "name=url" pairs separated by spaces
//                                        (prism=http://127.0.0.1:4010 mock=http://...)
//   REAL_RELEASE_EXAMPLE                 a file holding the example response of
//                                        GitHub's "Update a release", taken from the
//                                        original description by run.sh
//
// Each response body is read back from the client's log hook (the body as
// received, inflated) and compared with what the typed response encodes to:
// a field the import lost, mistyped or renamed shows as a difference.
#include <restschema/client.hpp>
#include <restschema/codec.hpp>
#include <restschema/gen/github/repos_update_release.hpp>
#include <restschema/gen/rclone/operations_list.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

namespace json = boost::json;

int failures = 0;

void check(bool ok, std::string_view where, std::string const& what)
{
    std::cout << (ok ? "  ok      " : "  FAILED  ") << where << ": " << what << '\n';
    if (!ok)
        ++failures;
}

std::string env(char const* name)
{
    char const* v = std::getenv(name);
    if (!v || !*v)
        throw std::runtime_error(std::string(name) + " is not set (run.sh sets it)");
    return v;
}

/// "prism=http://a mock=http://b" -> {{"prism", "http://a"}, {"mock", "http://b"}}
std::vector<std::pair<std::string, std::string>> servers(char const* var)
{
    std::vector<std::pair<std::string, std::string>> out;
    std::istringstream in(env(var));
    std::string item;
    while (in >> item) {
        auto const eq = item.find('=');
        if (eq == std::string::npos)
            throw std::runtime_error(std::string(var) + ": '" + item + "' is not name=url");
        out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    }
    if (out.empty())
        throw std::runtime_error(std::string(var) + " names no server");
    return out;
}

json::value parse_or_null(std::string_view text)
{
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    return ec ? json::value(nullptr) : v;
}

/// The last request and response the client logged.
struct wire_log {
    int requests = 0;
    std::string request_body;
    std::string response_body;

    restschema::client_options options(std::string const& base_url)
    {
        restschema::client_options o;
        o.base_url = base_url;
        o.request_timeout = std::chrono::seconds(20);
        o.retry.max_attempts = 1;
        o.log = [this](restschema::log_record const& r) {
            if (r.what == restschema::log_record::kind::request) {
                ++requests;
                request_body = r.body;
            } else if (r.what == restschema::log_record::kind::response) {
                response_body = r.body;
            }
        };
        return o;
    }
    /// The response body as JSON; fails the check when it was capped by the log (4 KiB) or is not JSON.
    json::value response(std::string const& where)
    {
        check(response_body.size() < 4096, where, "the response body fits the log hook's 4 KiB");
        auto v = parse_or_null(response_body);
        check(!v.is_null(), where, "the response body is JSON");
        return v;
    }
};

/// JSON equality where a number equals a number of another kind with the
/// same value (0 and 0.0: a `number` field decodes to double and encodes as such).
bool same_json(json::value const& a, json::value const& b)
{
    if (a.is_number() && b.is_number() && a.kind() != b.kind())
        return a.to_number<double>() == b.to_number<double>();
    if (a.is_object() && b.is_object()) {
        auto const &x = a.as_object(), &y = b.as_object();
        if (x.size() != y.size())
            return false;
        for (auto const& [k, v] : x) {
            auto const* w = y.if_contains(k);
            if (!w || !same_json(v, *w))
                return false;
        }
        return true;
    }
    if (a.is_array() && b.is_array()) {
        auto const &x = a.as_array(), &y = b.as_array();
        if (x.size() != y.size())
            return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (!same_json(x[i], y[i]))
                return false;
        return true;
    }
    return a == b;
}

std::string show(json::value const& v)
{
    auto s = json::serialize(v);
    return s.size() > 300 ? s.substr(0, 300) + "..." : s;
}

// ------------------------------------------------------------------ GitHub
void call_github(std::string const& name, std::string const& url, json::value const& example)
{
    std::string const where = "github/" + name + " repos_update_release";
    std::cout << where << " at " << url << '\n';
    wire_log log;
    restschema::client<github::service> api(log.options(url));

    github::repos_update_release_request req;
    req.owner = "octocat";
    req.repo = "Hello-World";
    req.release_id = 1;
    req.tag_name = "v1.0.0";
    req.name = "v1.0.0";
    req.body = "Description of the release";
    req.draft = false;
    req.prerelease = false;
    req.make_latest = github::repos_create_release_make_latest::true_;

    auto r = api.try_call_reply(req);
    check(r.has_value(), where,
          r ? "200, decoded as github::release" : "the call failed: " + std::string(r.error().what()));
    if (r) {
        auto const sent = parse_or_null(log.request_body);
        check(sent == json::parse(
                          R"({"tag_name": "v1.0.0", "name": "v1.0.0", "body": "Description of the release",
                                      "draft": false, "prerelease": false, "make_latest": "true"})"),
              where, "the body sent holds the 6 fields set, and only them: " + log.request_body);
        auto const body = log.response(where);
        auto const typed = restschema::to_json(r->value);
        check(same_json(typed, body), where,
              "the typed response encodes to the body received (" +
                  std::to_string(body.is_object() ? body.as_object().size() : 0) +
                  " fields); typed: " + show(typed));
        check(body == example, where, "the body is the description's example");
        auto const& rel = r->value;
        auto const& ex = example.as_object();
        check(rel.id == ex.at("id").to_number<std::int64_t>() &&
                  rel.tag_name == ex.at("tag_name").as_string() &&
                  rel.html_url == ex.at("html_url").as_string() &&
                  rel.created_at == std::string_view(ex.at("created_at").as_string()),
              where, "id, tag_name, html_url, created_at as in the example");
        check(rel.author.login == ex.at("author").at("login").as_string(), where,
              "author.login = " + rel.author.login);
        check(rel.assets.size() == ex.at("assets").as_array().size() && !rel.assets.empty() &&
                  rel.assets[0].size == ex.at("assets").at(0).at("size").to_number<std::int64_t>() &&
                  rel.assets[0].uploader.login ==
                      ex.at("assets").at(0).at("uploader").at("login").as_string(),
              where, std::to_string(rel.assets.size()) + " asset(s), size and uploader as in the example");
    }

    // An error the description documents, mapped to its row: Prism answers the
    // status asked for with Prefer, the mock the row asked for with its fault header.
    restschema::call_options opts;
    if (name == "prism")
        opts.headers = {{"Prefer", "code=404"}};
    else
        opts.headers = {{"X-Restschema-Mock-Fault", "error=not_found"}};
    auto e = api.try_call(req, opts);
    check(!e && e.error().kind == restschema::error_kind::api && e.error().http_status == 404 &&
              e.error().api_error<github::repos_update_release_error>() ==
                  github::repos_update_release_error::not_found,
          where, e ? "an error was expected" : "404 -> not_found: " + std::string(e.error().what()));
    if (!e) {
        auto eb = restschema::error_body_of<github::service>(e.error());
        check(eb.has_value() && eb->message.value_or("") == e.error().server_message, where,
              "the error body decodes as the basic-error envelope, message '" + e.error().server_message +
                  "'");
    }

    // A required path parameter left out: refused before anything is sent.
    auto bad = req;
    bad.owner.reset();
    int const before = log.requests;
    auto v = api.try_call(bad);
    check(!v && v.error().kind == restschema::error_kind::validation && log.requests == before, where,
          v ? "a validation error was expected" : "owner missing -> " + std::string(v.error().what()));
}

// ------------------------------------------------------------------ Rclone
void call_rclone(std::string const& name, std::string const& url)
{
    std::string const where = "rclone/" + name + " operations_list";
    std::cout << where << " at " << url << '\n';
    wire_log log;
    restschema::client<rclone::service> api(log.options(url));

    rclone::operations_list_request req;
    req.fs = "drive:";
    req.remote = "photos/2024";
    req.recurse = true;
    req.hash_types = std::vector<std::string>{"md5", "sha1"};

    auto r = api.try_call_reply(req);
    check(r.has_value(), where,
          r ? "200, decoded as list<OperationsListResponseItem>"
            : "the call failed: " + std::string(r.error().what()));
    if (r) {
        auto const body = log.response(where);
        auto const* list = body.is_object() ? body.as_object().if_contains("list") : nullptr;
        check(list && list->is_array() && !list->as_array().empty(), where,
              "the body is the envelope {\"list\": [...]} with entries: " + show(body));
        if (list) {
            auto const typed = restschema::to_json(r->value);
            check(same_json(typed, *list), where,
                  "the typed entries encode to the list received (" + std::to_string(r->value.size()) +
                      " entries); typed: " + show(typed));
        }
        if (!r->value.empty()) {
            auto const& item = r->value.front();
            check(!item.path.empty() && item.hashes.has_value(), where,
                  "entry 1: Path '" + item.path + "', " +
                      std::to_string(item.hashes ? item.hashes->size() : 0) + " hash(es)");
        }
    }

    // A request the description refuses: Prism validates its Prefer control
    // header against Rclone's own Prefer parameter (enum: respond-async), the
    // mock validates it the same way, and both answer with an error of the 4XX
    // range, which has no row (ranges cannot be represented): kind api, row
    // unknown, the body decoded through Rclone's error envelope (RcError).
    restschema::call_options opts;
    opts.headers = {{"Prefer", "code=400"}};
    auto e = api.try_call(req, opts);
    check(!e && e.error().kind == restschema::error_kind::api && e.error().http_status >= 400 &&
              e.error().http_status < 500 &&
              e.error().api_error<rclone::operations_list_error>() == rclone::operations_list_error::unknown,
          where,
          e ? "an error was expected"
            : std::to_string(e.error().http_status) + " -> unknown: " + std::string(e.error().what()));
    // Prism answers the description's RcError; restschema's mock fills only the
    // envelope's message role (RcError's status, path and input have no role
    // in the format), so its body is checked for the message alone.
    if (!e && name != "prism") {
        auto const body = parse_or_null(e.error().whole_body);
        check(body.is_object() && body.as_object().if_contains("error") &&
                  body.at("error") == json::value(e.error().server_message) &&
                  !e.error().server_message.empty(),
              where, "the error's message is in RcError's 'error' member: " + e.error().whole_body);
    } else if (!e) {
        auto eb = restschema::error_body_of<rclone::service>(e.error());
        check(eb.has_value() && eb->error == e.error().server_message, where,
              eb ? "the error body decodes as RcError, error '" + eb->error + "', status " +
                       std::to_string(eb->status)
                 : "the error body does not decode as RcError: " + std::string(eb.error().what()) + ": " +
                       e.error().body);
    }
}

} // namespace

int main()
{
    try {
        std::ifstream in(env("REAL_RELEASE_EXAMPLE"));
        std::stringstream text;
        text << in.rdbuf();
        auto const example = parse_or_null(text.str());
        if (!example.is_object())
            throw std::runtime_error("REAL_RELEASE_EXAMPLE: not a JSON object");
        for (auto const& [name, url] : servers("REAL_GITHUB_URLS"))
            call_github(name, url, example);
        for (auto const& [name, url] : servers("REAL_RCLONE_URLS"))
            call_rclone(name, url);
    } catch (std::exception const& e) {
        std::cout << "real_calls: " << e.what() << '\n';
        return 2;
    }
    std::cout << (failures ? "real_calls: " + std::to_string(failures) + " check(s) FAILED\n"
                           : std::string("real_calls: every check passed\n"));
    return failures ? 1 : 0;
}
