#!/usr/bin/python3
"""Checks cmake/RestschemaGenerate.cmake end to end in a scratch project:
generation at build time, no-op rebuilds, regeneration on schema changes,
new schema files picked up without editing CMake files, and schema errors
shown as file:line:col lines in the build log.

    /usr/bin/python3 tests/generator/test_cmake_module.py [--cmake cmake] [--generator Ninja]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CMAKE = "cmake"
GENERATOR = None

PROJECT = """cmake_minimum_required(VERSION 3.20)
project(restschema_cmake_test NONE)
include("{module}")
add_library(apis INTERFACE)
restschema_generate(TARGET apis SCHEMAS schemas OUTPUT_DIR ${{CMAKE_BINARY_DIR}}/gen)
get_target_property(dirs apis INTERFACE_INCLUDE_DIRECTORIES)
message(STATUS "apis include: ${{dirs}}")
"""

NEW_ENDPOINT = """endpoint:
  id: get_profile
  title: Get Profile
  method: GET
  path: /api/{version}/public/factx/{profileId}
  auth: [basic_token]
  parameters:
    - {name: profileId, in: path, type: string, required: true}
  response: {status: 200, type: json}
"""


class CMakeModule(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rsgen-cmake-")
        self.src = os.path.join(self.tmp, "src")
        self.bin = os.path.join(self.tmp, "build")
        shutil.copytree(os.path.join(ROOT, "schemas"), os.path.join(self.src, "schemas"))
        with open(os.path.join(self.src, "CMakeLists.txt"), "w") as f:
            f.write(PROJECT.format(module=os.path.join(ROOT, "cmake", "RestschemaGenerate.cmake").replace("\\", "/")))
        cmd = [CMAKE, "-S", self.src, "-B", self.bin]
        if GENERATOR:
            cmd += ["-G", GENERATOR]
        p = subprocess.run(cmd, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn(f"apis include: $<BUILD_INTERFACE:{self.bin}/gen>", p.stdout)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def build(self):
        return subprocess.run([CMAKE, "--build", self.bin, "--target", "apis_restschema_gen"], capture_output=True, text=True)

    def gen(self, *parts):
        return os.path.join(self.bin, "gen", "restschema", "gen", *parts)

    def test_build_cycle(self):
        p = self.build()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        types = self.gen("attestr", "types.hpp")
        self.assertTrue(os.path.exists(types))
        self.assertTrue(os.path.exists(self.gen("all.hpp")))
        os.utime(types, (1000000000, 1000000000))

        # The first build listed the headers (--headers-list): CMake configures
        # again once to declare them, and the generator then rewrites nothing.
        p = self.build()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        # (Ninja says "Re-running CMake..."; Make's check only prints the configure.)
        self.assertIn("-- Configuring done", p.stdout)
        self.assertEqual(os.stat(types).st_mtime, 1000000000)

        # Nothing changed: the generator does not run.
        p = self.build()
        self.assertEqual(p.returncode, 0)
        self.assertNotIn("restschema-gen: generating", p.stdout)

        # A touched schema reruns the generator; unchanged headers keep their time stamp.
        # (Not a time stamp in the future: the headers are restat byproducts, and
        # Ninja's log would then hold that time, hiding the new file below.)
        schema = os.path.join(self.src, "schemas", "attestr", "service.yaml")
        time.sleep(1.1)  # file times of one second on some file systems
        os.utime(schema)
        p = self.build()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("restschema-gen: generating", p.stdout)
        self.assertEqual(os.stat(types).st_mtime, 1000000000)

        # A new schema file is picked up without touching CMakeLists.txt.
        with open(os.path.join(self.src, "schemas", "attestr", "get_profile.yaml"), "w") as f:
            f.write(NEW_ENDPOINT)
        p = self.build()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertTrue(os.path.exists(self.gen("attestr", "get_profile.hpp")))
        with open(self.gen("attestr.hpp")) as f:
            self.assertIn("::attestr::get_profile, ::attestr::update_profile>", f.read())

        # Schema errors fail the build and appear as file:line:col lines.
        with open(os.path.join(self.src, "schemas", "attestr", "get_profile.yaml"), "a") as f:
            f.write("  summray: typo\n")
        p = self.build()
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(
            "schemas/attestr/get_profile.yaml:10:3: error: unknown key 'summray' in endpoint (did you mean 'summary'?)",
            p.stdout + p.stderr,
        )


TWO_CALLS = """cmake_minimum_required(VERSION 3.20)
project(restschema_two_calls CXX)
set(CMAKE_CXX_STANDARD 20)
include("{module}")
add_library(core_apis INTERFACE)
target_include_directories(core_apis INTERFACE "{include}")
restschema_generate(TARGET core_apis SCHEMAS schemas/attestr)                       # NAME core_apis
add_library(test-apis INTERFACE)
restschema_generate(TARGET test-apis SCHEMAS schemas/safeshepherd)                  # NAME test_apis
restschema_generate(TARGET test-apis SCHEMAS more/versioned OUTPUT_DIR gen-more)    # NAME test_apis_2
# Sees three output folders: the named aggregates do not collide.
add_executable(both main.cpp)
target_link_libraries(both PRIVATE core_apis test-apis)
# Includes restschema/gen/all.hpp with three folders on its path: must not compile.
add_executable(ambiguous EXCLUDE_FROM_ALL ambiguous.cpp)
target_link_libraries(ambiguous PRIVATE core_apis test-apis)
# One folder: restschema/gen/all.hpp is the call's aggregate.
add_executable(single single.cpp)
target_link_libraries(single PRIVATE core_apis)
"""

TWO_CALLS_MAIN = """#include <restschema/gen/all/core_apis.hpp>
#include <restschema/gen/all/test_apis.extras.hpp>
#include <restschema/gen/all/test_apis_2.hpp>
#include <boost/mp11/list.hpp>
#include <type_traits>
static_assert(std::is_same_v<restschema::gen::core_apis::all_endpoints, boost::mp11::mp_list<attestr::update_profile>>);
static_assert(std::is_same_v<restschema::gen::test_apis::all_endpoints, boost::mp11::mp_list<safeshepherd::update_user>>);
static_assert(std::is_same_v<restschema::gen::test_apis_2::all_endpoints, boost::mp11::mp_list<versioned::put_thing>>);
static_assert(restschema::endpoint_docs<safeshepherd::update_user>::title.size() > 0);
int main() { return 0; }
"""

SINGLE_MAIN = """#include <restschema/gen/all.hpp>
#include <type_traits>
static_assert(std::is_same_v<restschema::gen::all_endpoints, restschema::gen::core_apis::all_endpoints>);
int main() { return 0; }
"""


class TwoCalls(unittest.TestCase):
    """Issue 9 point 6: restschema_generate() calls in one project do not collide."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rsgen-two-")
        self.src = os.path.join(self.tmp, "src")
        self.bin = os.path.join(self.tmp, "build")
        shutil.copytree(os.path.join(ROOT, "schemas"), os.path.join(self.src, "schemas"))
        shutil.copytree(os.path.join(ROOT, "tests", "schemas", "versioned"), os.path.join(self.src, "more", "versioned"))
        self.write("main.cpp", TWO_CALLS_MAIN)
        self.write("ambiguous.cpp", "#include <restschema/gen/all.hpp>\nint main() { return 0; }\n")
        self.write("single.cpp", SINGLE_MAIN)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, rel, text):
        with open(os.path.join(self.src, rel), "w") as f:
            f.write(text)

    def configure(self, project):
        self.write(
            "CMakeLists.txt",
            project.format(
                module=os.path.join(ROOT, "cmake", "RestschemaGenerate.cmake").replace("\\", "/"),
                include=os.path.join(ROOT, "include").replace("\\", "/"),
            ),
        )
        cmd = [CMAKE, "-S", self.src, "-B", self.bin]
        if GENERATOR:
            cmd += ["-G", GENERATOR]
        return subprocess.run(cmd, capture_output=True, text=True)

    def test_named_aggregates_coexist(self):
        p = self.configure(TWO_CALLS)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        p = subprocess.run([CMAKE, "--build", self.bin], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        for rel in ["restschema_gen/core_apis", "restschema_gen/test-apis", "gen-more"]:
            self.assertTrue(os.path.isdir(os.path.join(self.bin, rel, "restschema", "gen", "all")), rel)
        p = subprocess.run([CMAKE, "--build", self.bin, "--target", "ambiguous"], capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("restschema/gen/all.hpp is in more than one folder of the include path", p.stdout + p.stderr)

    def test_a_name_or_folder_used_twice_is_a_configure_error(self):
        base = "cmake_minimum_required(VERSION 3.20)\nproject(p NONE)\ninclude(\"{module}\")\nadd_library(a INTERFACE)\nadd_library(b INTERFACE)\n"
        cases = {
            "restschema_generate: NAME 'apis' is used by another restschema_generate() call":
                "restschema_generate(TARGET a SCHEMAS schemas/attestr NAME apis)\nrestschema_generate(TARGET b SCHEMAS schemas/safeshepherd NAME apis)\n",
            "is used by another restschema_generate() call":
                "restschema_generate(TARGET a SCHEMAS schemas/attestr OUTPUT_DIR gen)\nrestschema_generate(TARGET b SCHEMAS schemas/safeshepherd OUTPUT_DIR gen)\n",
            "restschema_generate: NAME 'my-apis' is not a usable C++ identifier":
                "restschema_generate(TARGET a SCHEMAS schemas/attestr NAME my-apis)\n",
        }
        for message, calls in cases.items():
            with self.subTest(message=message):
                shutil.rmtree(self.bin, ignore_errors=True)
                p = self.configure(base + calls.replace("{", "{{").replace("}", "}}"))
                self.assertNotEqual(p.returncode, 0)
                self.assertIn(message, " ".join(p.stderr.split()))  # CMake wraps long messages


SUBSET = """cmake_minimum_required(VERSION 3.20)
project(restschema_subset NONE)
include("{module}")
add_library(apis INTERFACE)
restschema_generate(TARGET apis SCHEMAS schemas ENDPOINTS {endpoints} OUTPUT_DIR ${{CMAKE_BINARY_DIR}}/gen)
"""


class Endpoints(unittest.TestCase):
    """Issue 12 item 4: restschema_generate(... ENDPOINTS <id>...) generates those endpoints and their types only."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rsgen-subset-")
        self.src = os.path.join(self.tmp, "src")
        self.bin = os.path.join(self.tmp, "build")
        shutil.copytree(os.path.join(ROOT, "schemas"), os.path.join(self.src, "schemas"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def configure(self, endpoints):
        with open(os.path.join(self.src, "CMakeLists.txt"), "w") as f:
            f.write(SUBSET.format(module=os.path.join(ROOT, "cmake", "RestschemaGenerate.cmake").replace("\\", "/"), endpoints=endpoints))
        cmd = [CMAKE, "-S", self.src, "-B", self.bin]
        if GENERATOR:
            cmd += ["-G", GENERATOR]
        return subprocess.run(cmd, capture_output=True, text=True)

    def build(self):
        return subprocess.run([CMAKE, "--build", self.bin, "--target", "apis_restschema_gen"], capture_output=True, text=True)

    def test_only_the_endpoints_named(self):
        p = self.configure("update_user")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        p = self.build()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        gen = os.path.join(self.bin, "gen", "restschema", "gen")
        self.assertEqual(sorted(os.listdir(gen)), ["all", "all.extras.hpp", "all.hpp", "safeshepherd", "safeshepherd.extras.hpp", "safeshepherd.hpp"])
        self.assertTrue(os.path.exists(os.path.join(gen, "safeshepherd", "update_user.hpp")))
        with open(os.path.join(gen, "all", "apis.hpp")) as f:
            self.assertIn("using all_endpoints = ::boost::mp11::mp_list<::safeshepherd::update_user>;", f.read())

    def test_an_unknown_id_fails_the_build_naming_it(self):
        p = self.configure("update_profile update_usr")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        p = self.build()
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("restschema-gen: error: --endpoints: no endpoint 'update_usr' in the schemas (did you mean 'update_user'?)", p.stdout + p.stderr)

    def test_a_malformed_id_is_a_configure_error(self):
        p = self.configure("Update-User")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("restschema_generate: ENDPOINTS 'Update-User' is not an endpoint id", " ".join(p.stderr.split()))


REBUILD = """cmake_minimum_required(VERSION 3.20)
project(restschema_rebuild CXX)
set(CMAKE_CXX_STANDARD 20)
include("{module}")
add_library(apis INTERFACE)
target_include_directories(apis INTERFACE "{include}")
restschema_generate(TARGET apis SCHEMAS schemas/safeshepherd OUTPUT_DIR ${{CMAKE_BINARY_DIR}}/gen)
add_library(tus OBJECT link.cpp alias_type.cpp)
target_link_libraries(tus PRIVATE apis)
"""


class Rebuild(unittest.TestCase):
    """Issue 12: an edited schema rebuilds the files that include a header the
    generator rewrote, in the same build, and no others (the headers are the
    generator's declared byproducts)."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rsgen-rebuild-")
        self.src = os.path.join(self.tmp, "src")
        self.bin = os.path.join(self.tmp, "build")
        shutil.copytree(os.path.join(ROOT, "schemas"), os.path.join(self.src, "schemas"))
        for name, header, check in [("link.cpp", "types/link.hpp", "sizeof(safeshepherd::link) > 0"),
                                    ("alias_type.cpp", "types/alias_type.hpp", "restschema::enum_info<safeshepherd::alias_type>::wire_names.size() == 2")]:
            with open(os.path.join(self.src, name), "w") as f:
                f.write(f"#include <restschema/gen/safeshepherd/{header}>\nstatic_assert({check});\n")
        with open(os.path.join(self.src, "CMakeLists.txt"), "w") as f:
            f.write(REBUILD.format(module=os.path.join(ROOT, "cmake", "RestschemaGenerate.cmake").replace("\\", "/"),
                                   include=os.path.join(ROOT, "include").replace("\\", "/")))
        cmd = [CMAKE, "-S", self.src, "-B", self.bin]
        if GENERATOR:
            cmd += ["-G", GENERATOR]
        p = subprocess.run(cmd, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def build(self):
        p = subprocess.run([CMAKE, "--build", self.bin], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        return sorted(set(re.findall(r"([a-z_]+\.cpp)\.o", p.stdout)))

    def test_an_edit_rebuilds_the_files_that_include_the_rewritten_header(self):
        if GENERATOR != "Ninja":
            self.skipTest("the rebuild counts read Ninja's output")
        self.assertEqual(self.build(), ["alias_type.cpp", "link.cpp"])
        self.assertEqual(self.build(), [])
        service = os.path.join(self.src, "schemas", "safeshepherd", "service.yaml")
        with open(service) as f:
            text = f.read()
        with open(service, "w") as f:
            f.write(text.replace("description: A web page found to mention the user.", "description: A page that mentions the user."))
        self.assertEqual(self.build(), ["link.cpp"])
        self.assertEqual(self.build(), [])


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmake", default="cmake")
    ap.add_argument("--generator", default=None)
    args, rest = ap.parse_known_args()
    CMAKE, GENERATOR = args.cmake, args.generator
    unittest.main(argv=[sys.argv[0], *rest])
