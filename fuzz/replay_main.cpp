// Without libFuzzer (g++ builds, ctest): feed a fuzz target its regression
// inputs, its seeds and a fixed number of deterministic mutations of them, so
// every build checks that no input crashes a parser or splits the decoders.
// With clang, build with RESTSCHEMA_BUILD_FUZZ for coverage-guided fuzzing
// (scripts/fuzz).
//   replay [rounds]            the regressions, then `rounds` mutation rounds
//   replay --write-corpus DIR  the seeds (one file per seed and selector) and
//                              the regressions: libFuzzer's starting corpus
//   replay --run FILE...       these inputs as they are (e.g. a crash-* file)
// The regressions are the files of fuzz/regressions/<target>/ (the folder is
// RESTSCHEMA_FUZZ_REGRESSIONS): inputs that once failed, each named for what
// it guards, in libFuzzer's format (the first byte is the selector).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <algorithm>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size);
// Defined by each target: its seeds and how many values its first byte picks from.
std::vector<std::string> restschema_fuzz_seeds();
extern int const restschema_fuzz_selectors;

namespace {

std::string read_file(std::filesystem::path const& p)
{
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void run(std::string const& input)
{
    LLVMFuzzerTestOneInput(reinterpret_cast<std::uint8_t const*>(input.data()), input.size());
}

/// The regression inputs, sorted by name; none when the folder does not exist.
std::vector<std::filesystem::path> regressions()
{
    std::vector<std::filesystem::path> out;
#ifdef RESTSCHEMA_FUZZ_REGRESSIONS
    std::error_code ec;
    for (auto const& e : std::filesystem::directory_iterator(RESTSCHEMA_FUZZ_REGRESSIONS, ec))
        if (e.is_regular_file() && e.path().filename().string()[0] != '.')
            out.push_back(e.path());
#endif
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc > 1 && std::string(argv[1]) == "--run") {
        for (int i = 2; i < argc; ++i) {
            std::printf("fuzz replay: %s\n", argv[i]);
            std::fflush(stdout);
            run(read_file(argv[i]));
        }
        std::printf("fuzz replay: %d inputs, no crash\n", argc - 2);
        return 0;
    }
    if (argc > 2 && std::string(argv[1]) == "--write-corpus") {
        // The libFuzzer corpus: each seed under each selector, one file each.
        std::filesystem::create_directories(argv[2]);
        auto const seeds = restschema_fuzz_seeds();
        int n = 0;
        for (int selector = 0; selector < restschema_fuzz_selectors; ++selector)
            for (auto const& s : seeds) {
                std::ofstream f(std::filesystem::path(argv[2]) / ("seed-" + std::to_string(n++)),
                                std::ios::binary);
                f << static_cast<char>(selector) << s;
            }
        for (auto const& r : regressions())
            std::filesystem::copy_file(
                r, std::filesystem::path(argv[2]) / ("regression-" + r.filename().string()),
                std::filesystem::copy_options::overwrite_existing);
        std::printf("fuzz corpus: %d seed files and %zu regressions in %s\n", n, regressions().size(),
                    argv[2]);
        return 0;
    }
    auto const named = regressions();
    for (auto const& r : named) {
        std::printf("fuzz regression: %s\n", r.filename().string().c_str());
        std::fflush(stdout);
        run(read_file(r));
    }
    auto const seeds = restschema_fuzz_seeds();
    long const rounds = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 20000;
    std::mt19937 rng(12345);
    long runs = 0;
    for (long i = 0; i < rounds; ++i) {
        std::string s = seeds[static_cast<std::size_t>(i) % seeds.size()];
        int const edits = 1 + static_cast<int>(rng() % 8);
        for (int e = 0; e < edits && !s.empty(); ++e) {
            std::size_t const pos = rng() % s.size();
            switch (rng() % 4) {
            case 0:
                s[pos] = static_cast<char>(rng() % 256);
                break;
            case 1:
                s.erase(pos, 1 + rng() % 4);
                break;
            case 2:
                s.insert(pos, 1, "{}[]\":,0-.e%/\\n\x00\xff"[rng() % 16]);
                break;
            case 3:
                s.insert(pos, s.substr(rng() % s.size(), rng() % 16));
                break;
            }
        }
        // Every selector each round when there are few, else 8 picked at random.
        int const per_round = restschema_fuzz_selectors <= 8 ? restschema_fuzz_selectors : 8;
        for (int k = 0; k < per_round; ++k) {
            int const selector =
                restschema_fuzz_selectors <= 8 ? k : static_cast<int>(rng() % restschema_fuzz_selectors);
            std::string input(1, static_cast<char>(selector));
            input += s;
            LLVMFuzzerTestOneInput(reinterpret_cast<std::uint8_t const*>(input.data()), input.size());
            ++runs;
        }
    }
    std::printf("fuzz replay: %zu regressions and %ld inputs, no crash\n", named.size(), runs);
    return 0;
}
