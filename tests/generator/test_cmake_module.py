#!/usr/bin/python3
"""Checks cmake/RestschemaGenerate.cmake end to end in a scratch project:
generation at build time, no-op rebuilds, regeneration on schema changes,
new schema files picked up without editing CMake files, and schema errors
shown as file:line:col lines in the build log.

    /usr/bin/python3 tests/generator/test_cmake_module.py [--cmake cmake] [--generator Ninja]
"""
import argparse
import os
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

        # Nothing changed: the generator does not run.
        p = self.build()
        self.assertEqual(p.returncode, 0)
        self.assertNotIn("restschema-gen: generating", p.stdout)

        # A touched schema reruns the generator; unchanged headers keep their time stamp.
        schema = os.path.join(self.src, "schemas", "attestr", "service.yaml")
        future = time.time() + 5
        os.utime(schema, (future, future))
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


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmake", default="cmake")
    ap.add_argument("--generator", default=None)
    args, rest = ap.parse_known_args()
    CMAKE, GENERATOR = args.cmake, args.generator
    unittest.main(argv=[sys.argv[0], *rest])
