// A throw-away PKI for TLS tests, made by openssl at test time: a CA, a
// certificate for 127.0.0.1 ("good") and one for another host ("wrong").
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace test {

/// A CA, a certificate for 127.0.0.1 and one for another host, made by openssl.
struct test_pki {
    std::filesystem::path dir;
    test_pki()
    {
        dir = std::filesystem::temp_directory_path() / ("restschema-pki-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        auto const d = dir.string();
        std::ofstream(dir / "make.sh") << R"sh(set -e
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=restschema-test-ca
for n in good:IP:127.0.0.1 wrong:DNS:wrong.example; do
  name=${n%%:*}; san=${n#*:}
  openssl req -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr -subj /CN=$name
  printf 'subjectAltName=%s\n' "$san" > $name.ext
  openssl x509 -req -in $name.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $name.pem -days 2 -extfile $name.ext
done
)sh";
        auto const cmd = "cd '" + d + "' && bash make.sh >make.log 2>&1";
        INFO("openssl output: " << d << "/make.log");
        REQUIRE(std::system(cmd.c_str()) == 0);
    }
    ~test_pki() { std::filesystem::remove_all(dir); }
    std::string file(char const* name) const { return (dir / name).string(); }
};

} // namespace test
