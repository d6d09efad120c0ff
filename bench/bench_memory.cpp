// Peak memory of decoding the 10,000-user list (about 10 MB), each approach
// in a process of its own:
//
//   restschema_bench_memory            runs every approach, one child process each, and prints a table
//   restschema_bench_memory <approach> runs one: text, parse_only, restschema, value_to, nlohmann
//
// A counting global operator new measures the heap (malloc_usable_size of
// every block, so allocator rounding is included, its own bookkeeping not):
//  - text:  what is live once the input text is built (the starting point);
//  - peak:  the most live at any time during the decode, above `text`;
//  - kept:  what is still live once the decode returns, above `text` (the
//           result: the DOM and parsers are gone);
// and getrusage's ru_maxrss gives the process's peak resident set, which
// also counts the program itself and the allocator's free lists.
#include "codec_alternatives.hpp"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

namespace {

std::size_t live = 0;
std::size_t peak = 0;

void* counted(void* p)
{
    if (!p)
        throw std::bad_alloc();
    live += malloc_usable_size(p);
    if (live > peak)
        peak = live;
    return p;
}

void uncounted(void* p) noexcept
{
    if (p) {
        live -= malloc_usable_size(p);
        std::free(p);
    }
}

} // namespace

void* operator new(std::size_t n)
{
    return counted(std::malloc(n ? n : 1));
}
void* operator new(std::size_t n, std::align_val_t a)
{
    auto const al = static_cast<std::size_t>(a);
    return counted(std::aligned_alloc(al, (n + al - 1) / al * al));
}
void* operator new[](std::size_t n)
{
    return operator new(n);
}
void* operator new[](std::size_t n, std::align_val_t a)
{
    return operator new(n, a);
}
void operator delete(void* p) noexcept
{
    uncounted(p);
}
void operator delete[](void* p) noexcept
{
    uncounted(p);
}
void operator delete(void* p, std::size_t) noexcept
{
    uncounted(p);
}
void operator delete[](void* p, std::size_t) noexcept
{
    uncounted(p);
}
void operator delete(void* p, std::align_val_t) noexcept
{
    uncounted(p);
}
void operator delete[](void* p, std::align_val_t) noexcept
{
    uncounted(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept
{
    uncounted(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept
{
    uncounted(p);
}

namespace {

namespace rb = restschema_bench;

char const* const approaches[] = {"text", "parse_only", "restschema", "value_to", "nlohmann"};

char const* what(std::string_view a)
{
    if (a == "text")
        return "building the input text only";
    if (a == "parse_only")
        return "`boost::json::parse` (DOM only)";
    if (a == "restschema")
        return "`restschema::try_parse<std::vector<safeshepherd::user>>`";
    if (a == "value_to")
        return "`boost::json::parse` + `value_to<std::vector<plain::user>>`";
    return "`nlohmann::json::parse` + hand-written extraction";
}

double mib(std::size_t bytes)
{
    return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

int run_one(std::string_view a)
{
    auto const& text = rb::large_text();
    auto const text_heap = live;
    std::size_t peak_above = 0, kept_above = 0, users = 0;
    // Each result stays alive until `kept_above` is read, and is freed at the end of its block.
    auto const base = live;
    peak = live;
    if (a == "text") {
        users = rb::large_count;
    } else if (a == "parse_only") {
        auto jv = boost::json::parse(text);
        users = jv.as_array().size();
        kept_above = live - base;
    } else if (a == "restschema") {
        auto r = rb::decode_list_restschema(text);
        users = r ? r->size() : 0;
        kept_above = live - base;
    } else if (a == "value_to") {
        auto v = rb::decode_list_value_to(text);
        users = v.size();
        kept_above = live - base;
    } else if (a == "nlohmann") {
        auto v = rb::hand::decode_list(text);
        users = v.size();
        kept_above = live - base;
    } else {
        std::fprintf(stderr, "unknown approach %.*s\n", static_cast<int>(a.size()), a.data());
        return 2;
    }
    peak_above = peak - base;
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("| %s | %zu | %.1f | %.1f | %.1f | %.1f | %.1f |\n", what(a), users, mib(text.size()),
                mib(text_heap), mib(peak_above), mib(kept_above), static_cast<double>(ru.ru_maxrss) / 1024.0);
    return users == rb::large_count ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc > 1)
        return run_one(argv[1]);
    std::printf(
        "| approach | users | text MiB | heap after text MiB | peak heap during decode MiB (above text) "
        "| kept MiB (the result) | ru_maxrss MiB |\n|---|---:|---:|---:|---:|---:|---:|\n");
    std::fflush(stdout);
    int status = 0;
    for (auto const* a : approaches) {
        // Our own path: "/proc/self/exe" would name the shell that std::system starts.
        char self[4096] = {};
        auto const len = readlink("/proc/self/exe", self, sizeof self - 1);
        if (len <= 0)
            return 2;
        std::string const run = std::string(self, static_cast<std::size_t>(len)) + " " + a;
        if (std::system(run.c_str()) != 0)
            status = 1;
        std::fflush(stdout);
    }
    return status;
}
