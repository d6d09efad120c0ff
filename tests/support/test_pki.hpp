// A throw-away PKI for TLS tests, made by openssl at test time: a CA, a
// certificate for 127.0.0.1 ("good"), one for another host ("wrong"), one
// for 127.0.0.1 that expired yesterday ("expired") and a self-signed one
// for 127.0.0.1 ("self").
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace test {

/// A CA and certificates good, wrong (host), expired and self (signed), made by openssl.
struct test_pki {
    std::filesystem::path dir;
    test_pki()
    {
        dir = std::filesystem::temp_directory_path() / ("restschema-pki-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        auto const d = dir.string();
        std::ofstream(dir / "make.sh") << R"sh(set -e
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=restschema-test-ca
for n in good:2:IP:127.0.0.1 wrong:2:DNS:wrong.example expired:-1:IP:127.0.0.1; do
  name=${n%%:*}; rest=${n#*:}; days=${rest%%:*}; san=${rest#*:}
  openssl req -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr -subj /CN=$name
  printf 'subjectAltName=%s\n' "$san" > $name.ext
  openssl x509 -req -in $name.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $name.pem -days $days -extfile $name.ext
done
openssl req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1
)sh";
        auto const cmd = "cd '" + d + "' && bash make.sh >make.log 2>&1";
        INFO("openssl output: " << d << "/make.log");
        REQUIRE(std::system(cmd.c_str()) == 0);
    }
    ~test_pki() { std::filesystem::remove_all(dir); }
    std::string file(char const* name) const { return (dir / name).string(); }
};

} // namespace test
