// Without libFuzzer (g++ builds, CI): feed the fuzz target its seed corpus
// and a fixed number of deterministic mutations of it, so every build checks
// that no input crashes a parser. With clang, build with RESTSCHEMA_BUILD_FUZZ
// for coverage-guided fuzzing instead.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size);

int main(int argc, char** argv)
{
    std::vector<std::string> seeds = {
        R"({"id":12,"secret":"TOP SECRET","birth_date":null,"aliases":[{"id":"123","alias_type":"maiden"}],)"
        R"("addresses":[{"id":1,"address2":null,"zip":"91101"}],"records":[{"id":318,"reference_id":"000560228488"}],)"
        R"("service_history":[{"activated_service_on":"2012/05/27 00:46:39 +0000"}]})",
        R"({"secret":"s","api_secret":"x","middle_name":"","phone_numbers":[{"id":124,"_destroy":true}]})",
        R"({"code":4291,"message":"Maximum account rate limit exceeded","details":"x"})",
        "/api/acme/key%2F1/v2/users/12.json",
        "/api/v1/public/factx/PRF-7d4c1e20",
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "120",
        "https://[::1]:8443/prefix/",
        "a%2Fb%25c..%2E",
    };
    long const rounds = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 20000;
    std::mt19937 rng(12345);
    long runs = 0;
    for (long i = 0; i < rounds; ++i) {
        std::string s = seeds[static_cast<std::size_t>(i) % seeds.size()];
        int const edits = 1 + static_cast<int>(rng() % 8);
        for (int e = 0; e < edits && !s.empty(); ++e) {
            std::size_t const pos = rng() % s.size();
            switch (rng() % 4) {
            case 0: s[pos] = static_cast<char>(rng() % 256); break;
            case 1: s.erase(pos, 1 + rng() % 4); break;
            case 2: s.insert(pos, 1, "{}[]\":,0-.e%/\\n\x00\xff"[rng() % 16]); break;
            case 3: s.insert(pos, s.substr(rng() % s.size(), rng() % 16)); break;
            }
        }
        for (std::uint8_t selector = 0; selector < 7; ++selector) {
            std::string input(1, static_cast<char>(selector));
            input += s;
            LLVMFuzzerTestOneInput(reinterpret_cast<std::uint8_t const*>(input.data()), input.size());
            ++runs;
        }
    }
    std::printf("fuzz replay: %ld inputs, no crash\n", runs);
    return 0;
}
