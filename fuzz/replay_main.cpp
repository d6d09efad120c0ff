// Without libFuzzer (g++ builds, ctest): feed a fuzz target its seeds and a
// fixed number of deterministic mutations of them, so every build checks that
// no input crashes a parser or splits the decoders. With clang, build with
// RESTSCHEMA_BUILD_FUZZ for coverage-guided fuzzing (scripts/fuzz); `replay
// --write-corpus DIR` writes the seeds as its starting corpus.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size);
// Defined by each target: its seeds and how many values its first byte picks from.
std::vector<std::string> restschema_fuzz_seeds();
extern int const restschema_fuzz_selectors;

int main(int argc, char** argv)
{
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
        std::printf("fuzz corpus: %d files in %s\n", n, argv[2]);
        return 0;
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
    std::printf("fuzz replay: %ld inputs, no crash\n", runs);
    return 0;
}
