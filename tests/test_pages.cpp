// Pagination (issue 14): the three styles of tests/schemas/dated against the
// mock, and against a scripted server for what goes wrong: an error mid-walk,
// a malformed Link header, a cursor or link that repeats, limits, a next link
// to another origin (no credentials), and the asynchronous walk.
#include <restschema/client.hpp>
#include <restschema/mock.hpp>
#include <restschema/pages.hpp>

#include <restschema/gen/dated.extras.hpp>

#include "support/leak_watch.hpp"
#include "support/scripted_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

// Every name of this file is in namespace test_pages: the sanitizer builds compile
// the test files several to a translation unit (a unity build, scripts/sanitize).
namespace test_pages {

namespace {

restschema::client_options options_for(std::string url)
{
    restschema::client_options co;
    co.base_url = std::move(url);
    co.credentials = {{"token", "tok-pages"}};
    co.retry.max_attempts = 1;
    return co;
}

/// The ids of every item of a walk, and the error that ended it (if one did).
template <class Pager>
std::vector<std::int64_t> walk(Pager& pages, std::optional<restschema::error>& failed)
{
    std::vector<std::int64_t> ids;
    for (auto& page : pages) {
        if (!page) {
            failed = page.error();
            break;
        }
        for (auto const& note : page->items())
            ids.push_back(note.id);
    }
    return ids;
}

std::vector<std::int64_t> all_seven{1, 2, 3, 4, 5, 6, 7};

std::string notes_json(std::initializer_list<int> ids)
{
    std::string s = "[";
    for (int id : ids)
        s += (s.size() > 1 ? "," : "") + std::string(R"({"id":)") + std::to_string(id) + R"(,"text":"n"})";
    return s + "]";
}

std::string head_of(std::string const& raw)
{
    return raw.substr(0, raw.find("\r\n\r\n"));
}

} // namespace

TEST_CASE("pages on the mock: cursor, page numbers with totals and Link headers each walk all seven notes")
{
    restschema::mock_options mo;
    mo.credentials = {{"token", "tok-pages"}};
    restschema::mock_server<dated::endpoints> mock(mo);
    mock.start();
    restschema::client<dated::service> api(options_for(mock.base_url()));

    SUBCASE("cursor")
    {
        auto pages = api.pages(dated::list_notes_request{}); // the mock pages by 3
        std::optional<restschema::error> failed;
        CHECK(walk(pages, failed) == all_seven);
        CHECK_FALSE(failed);
        CHECK(pages.pages() == 3);
        CHECK(pages.done());
    }
    SUBCASE("page numbers, stopping at meta.total_pages")
    {
        dated::list_note_pages_request req;
        req.per_page = 2;
        auto pages = api.pages(req);
        std::optional<restschema::error> failed;
        CHECK(walk(pages, failed) == all_seven);
        CHECK_FALSE(failed);
        CHECK(pages.pages() == 4); // 2+2+2+1, and no empty fifth page
    }
    SUBCASE("Link header, relative links")
    {
        auto pages = api.pages(dated::list_note_links_request{});
        std::optional<restschema::error> failed;
        CHECK(walk(pages, failed) == all_seven);
        CHECK_FALSE(failed);
        CHECK(pages.pages() == 3);
    }
    SUBCASE("limits: max_items cuts the last page, max_pages stops the walk; neither is an error")
    {
        auto by_items = api.pages(dated::list_notes_request{}, {.max_items = 5});
        std::optional<restschema::error> failed;
        CHECK(walk(by_items, failed) == std::vector<std::int64_t>{1, 2, 3, 4, 5});
        CHECK_FALSE(failed);
        CHECK(by_items.items() == 5);
        auto by_pages = api.pages(dated::list_note_links_request{}, {.max_pages = 2});
        CHECK(walk(by_pages, failed) == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6});
        CHECK_FALSE(failed);
        // After the end, next() says so instead of fetching.
        auto again = by_pages.next();
        REQUIRE_FALSE(again.has_value());
        CHECK(again.error().kind == restschema::error_kind::validation);
    }
    SUBCASE("a cursor the mock never gave out is the mock's 400, reported on page 1")
    {
        dated::list_notes_request req;
        req.cursor = "bogus";
        auto pages = api.pages(req);
        std::optional<restschema::error> failed;
        CHECK(walk(pages, failed).empty());
        REQUIRE(failed);
        CHECK(failed->kind == restschema::error_kind::api);
        CHECK(failed->http_status == 400);
        CHECK(failed->page == 1);
    }
}

TEST_CASE("pages: an error mid-walk is the walk's last element and names its page")
{
    test::scripted_server server;
    server.push(test::reply(200, R"({"items":)" + notes_json({1, 2}) + R"(,"next_cursor":"p2"})"));
    server.push(test::reply(503, R"({"message":"busy"})"));
    restschema::client<dated::service> api(options_for(server.url()));
    auto pages = api.pages(dated::list_notes_request{});
    std::optional<restschema::error> failed;
    CHECK(walk(pages, failed) == std::vector<std::int64_t>{1, 2});
    REQUIRE(failed);
    CHECK(failed->page == 2);
    CHECK(failed->http_status == 503);
    CHECK(failed->what().find("page 2 of list_notes") != std::string::npos);
    CHECK(pages.done());
    auto const reqs = server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(head_of(reqs[1]).find("GET /notes?cursor=p2 ") != std::string::npos);
}

TEST_CASE("pages: a cursor that repeats ends the walk with an error, not a loop")
{
    test::scripted_server server;
    server.push(test::reply(200, R"({"items":)" + notes_json({1}) + R"(,"next_cursor":"same"})"));
    server.push(test::reply(200, R"({"items":)" + notes_json({2}) + R"(,"next_cursor":"same"})"));
    server.set_default(test::reply(200, R"({"items":)" + notes_json({3}) + R"(,"next_cursor":"same"})"));
    restschema::client<dated::service> api(options_for(server.url()));
    auto pages = api.pages(dated::list_notes_request{});
    std::optional<restschema::error> failed;
    CHECK(walk(pages, failed) == std::vector<std::int64_t>{1, 2});
    REQUIRE(failed);
    CHECK(failed->kind == restschema::error_kind::decode);
    CHECK(failed->page == 2);
    CHECK(failed->what().find("\"same\" was seen before") != std::string::npos);
    CHECK(server.requests().size() == 2);
}

TEST_CASE("pages: a null, absent or empty next cursor ends the walk")
{
    for (auto const* last : {R"(,"next_cursor":null)", "", R"(,"next_cursor":"")"}) {
        CAPTURE(last);
        test::scripted_server server;
        server.push(test::reply(200, R"({"items":)" + notes_json({1}) + R"(,"next_cursor":"c1"})"));
        server.push(test::reply(200, R"({"items":)" + notes_json({2}) + last + "}"));
        restschema::client<dated::service> api(options_for(server.url()));
        auto pages = api.pages(dated::list_notes_request{});
        std::optional<restschema::error> failed;
        CHECK(walk(pages, failed) == std::vector<std::int64_t>{1, 2});
        CHECK_FALSE(failed);
        CHECK(server.requests().size() == 2);
    }
}

TEST_CASE("pages: a malformed Link header ends the walk with an error after the page it came with")
{
    for (auto const* link : {"</note-links?page=2; rel=\"next\"", "/note-links?page=2>; rel=\"next\"",
                             "</note-links?page=2>; rel=\"next", "</note-links?page=2> rel=next"}) {
        CAPTURE(link);
        test::scripted_server server;
        server.push(test::reply(200, notes_json({1, 2}), std::string("Link: ") + link + "\r\n"));
        restschema::client<dated::service> api(options_for(server.url()));
        auto pages = api.pages(dated::list_note_links_request{});
        std::optional<restschema::error> failed;
        CHECK(walk(pages, failed) == std::vector<std::int64_t>{1, 2});
        REQUIRE(failed);
        CHECK(failed->kind == restschema::error_kind::decode);
        CHECK(failed->page == 1);
        CHECK_MESSAGE(failed->what().find("Link header is malformed") != std::string::npos, failed->what());
        CHECK(server.requests().size() == 1);
    }
}

TEST_CASE("pages: Link with several relations, absolute same-origin URLs, and a link that loops")
{
    test::scripted_server server;
    auto const base = server.url();
    server.push(test::reply(200, notes_json({1}),
                            "Link: <" + base + "/note-links?page=2>; rel=\"next last\", <" + base +
                                "/note-links?page=1>; rel=\"first\"\r\n"));
    server.push(test::reply(200, notes_json({2}), "Link: <?page=3>; REL=Next\r\n"));
    server.push(test::reply(200, notes_json({3}), "Link: </note-links?page=2>; rel=\"next\"\r\n"));
    server.push(test::reply(200, notes_json({4}), "Link: </note-links?page=3>; rel=\"next\"\r\n"));
    restschema::client<dated::service> api(options_for(base));
    auto pages = api.pages(dated::list_note_links_request{});
    std::optional<restschema::error> failed;
    CHECK(walk(pages, failed) == std::vector<std::int64_t>{1, 2, 3});
    REQUIRE(failed);
    CHECK(failed->page == 4);
    CHECK(failed->what().find("a loop") != std::string::npos);
    auto const reqs = server.requests();
    REQUIRE(reqs.size() == 4);
    CHECK(head_of(reqs[1]).starts_with("GET /note-links?page=2 "));
    CHECK(head_of(reqs[2]).starts_with("GET /note-links?page=3 "));
    for (auto const& r : reqs)
        CHECK(head_of(r).find("Authorization: Bearer tok-pages") != std::string::npos);
}

TEST_CASE("pages: a next link to another origin is followed without credentials")
{
    test::scripted_server home;
    test::scripted_server other;
    home.push(
        test::reply(200, notes_json({1}), "Link: <" + other.url() + "/elsewhere?page=2>; rel=\"next\"\r\n"));
    other.push(test::reply(200, notes_json({2}), "Link: </elsewhere?page=3>; rel=\"next\"\r\n"));
    other.push(test::reply(200, notes_json({3})));
    restschema::client<dated::service> api(options_for(home.url()));
    auto pages = api.pages(dated::list_note_links_request{});
    std::optional<restschema::error> failed;
    CHECK(walk(pages, failed) == std::vector<std::int64_t>{1, 2, 3});
    CHECK_FALSE(failed);
    REQUIRE(home.requests().size() == 1);
    CHECK(head_of(home.requests()[0]).find("Authorization: Bearer tok-pages") != std::string::npos);
    auto const away = other.requests();
    REQUIRE(away.size() == 2);
    CHECK(head_of(away[0]).starts_with("GET /elsewhere?page=2 "));
    CHECK(head_of(away[1]).starts_with("GET /elsewhere?page=3 ")); // relative to the other origin
    for (auto const& r : away) {
        CHECK(r.find("tok-pages") == std::string::npos);
        CHECK(r.find("Authorization") == std::string::npos);
        CHECK(head_of(r).find("Host: 127.0.0.1:" + std::to_string(other.port())) != std::string::npos);
    }
}

TEST_CASE("pages: a credential in a next link is followed at home and shown as *** in the log and in errors")
{
    test::scripted_server server;
    server.push(test::reply(200, notes_json({1}),
                            "Link: </note-links?page=2&access_token=tok-pages>; rel=\"next\"\r\n"));
    server.push(test::reply(200, notes_json({2}),
                            "Link: </note-links?page=3&access_token=tok-pages&q=a b>; rel=\"next\"\r\n"));
    auto o = options_for(server.url());
    test::leak_watch watch;
    watch.attach(o);
    restschema::client<dated::service> api(o);
    auto pages = api.pages(dated::list_note_links_request{});
    std::optional<restschema::error> failed;
    CHECK(walk(pages, failed) == std::vector<std::int64_t>{1, 2});
    auto const reqs = server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK_MESSAGE(head_of(reqs[1]).starts_with("GET /note-links?page=2&access_token=tok-pages "),
                  head_of(reqs[1]));
    // The second link (a space in it) ends the walk; the error quotes it scrubbed.
    REQUIRE(failed);
    CHECK(failed->kind == restschema::error_kind::decode);
    CHECK_MESSAGE(failed->what().find("access_token=***") != std::string::npos, failed->what());
    CHECK(failed->what().find("tok-pages") == std::string::npos);
    REQUIRE(watch.records.size() == 4); // two requests, two responses
    CHECK(watch.records[2].target.find("access_token=***") != std::string::npos);
    CHECK_MESSAGE(!watch.shows("tok-pages"), watch.text);
}

TEST_CASE("pages: a next link that is not an http(s) URL is an error naming it")
{
    test::scripted_server server;
    server.push(test::reply(200, notes_json({1}), "Link: <ftp://files.example/x>; rel=\"next\"\r\n"));
    restschema::client<dated::service> api(options_for(server.url()));
    auto pages = api.pages(dated::list_note_links_request{});
    std::optional<restschema::error> failed;
    CHECK(walk(pages, failed) == std::vector<std::int64_t>{1});
    REQUIRE(failed);
    CHECK(failed->page == 2);
    CHECK_MESSAGE(failed->what().find("ftp://files.example/x") != std::string::npos, failed->what());
    CHECK(server.requests().size() == 1);
}

TEST_CASE("pages: the asynchronous walk in a coroutine, against the mock")
{
    restschema::mock_options mo;
    mo.credentials = {{"token", "tok-pages"}};
    restschema::mock_server<dated::endpoints> mock(mo);
    mock.start();
    boost::asio::io_context ioc;
    restschema::client<dated::service> api(ioc.get_executor(), options_for(mock.base_url()));
    std::vector<std::int64_t> ids;
    std::size_t pages_seen = 0;
    bool ok = true;
    boost::asio::co_spawn(
        ioc,
        [&]() -> boost::asio::awaitable<void> {
            auto pages = api.pages(dated::list_notes_request{});
            while (!pages.done()) {
                auto page = co_await pages.async_next(boost::asio::use_awaitable);
                if (!page) {
                    ok = false;
                    break;
                }
                ++pages_seen;
                for (auto const& n : page->items())
                    ids.push_back(n.id);
            }
        },
        boost::asio::detached);
    ioc.run();
    CHECK(ok);
    CHECK(ids == all_seven);
    CHECK(pages_seen == 3);
}

} // namespace test_pages
