// Decodes one generated type, without the client: the cost of the codec for
// one described struct (a Boost.JSON parse plus the generated decoding).
// bench/compile_cost.py measures it header-only and with
// -DRESTSCHEMA_SEPARATE_COMPILATION.
#include <restschema/codec.hpp>
#include <restschema/gen/safeshepherd.hpp>

#include <iostream>
#include <iterator>
#include <string>

int main()
{
    std::string const text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    auto user = restschema::try_parse<safeshepherd::user>(text);
    if (!user) {
        std::cerr << user.error().what() << '\n';
        return 1;
    }
    std::cout << user->id << '\n';
    return 0;
}
