#!/usr/bin/python3
"""restschema_generate(... OPENAPI <file> [SERVICE] [OVERLAY]) in a scratch project: the
description is imported at build time into the build tree, generated like
SCHEMAS, imported again when the description or the overlay changes (and not
otherwise), and a broken description fails the build with file:line:col.

    /usr/bin/python3 tests/generator/test_cmake_openapi.py [--cmake cmake] [--generator Ninja]
"""
import argparse
import json
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
project(restschema_openapi_test NONE)
include("{module}")
add_library(apis INTERFACE)
restschema_generate(TARGET apis OPENAPI shop.openapi.json SERVICE shop OVERLAY shop.overlay.yaml
                    OUTPUT_DIR ${{CMAKE_BINARY_DIR}}/gen)
"""

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1"},
    "servers": [{"url": "https://shop.example.com"}],
    "paths": {
        "/orders/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {"operationId": "getOrder", "responses": {
                "200": {"description": "An order", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
                "404": {"description": "No such order"}}},
            "delete": {"operationId": "deleteOrder", "responses": {"204": {"description": "Deleted"}}},
        }
    },
    "components": {"schemas": {"Order": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}, "total": {"type": "number"}}}}},
}

OVERLAY = """overlay:
  operations: [getOrder]
  endpoints:
    get_order:
      errors:
        - {name: order_missing, status: 404, code: 4041, message: No such order}
"""


class CMakeOpenAPI(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rsgen-openapi-")
        self.src = os.path.join(self.tmp, "src")
        self.bin = os.path.join(self.tmp, "build")
        os.makedirs(self.src)
        self.write("shop.openapi.json", json.dumps(SPEC, indent=2))
        self.write("shop.overlay.yaml", OVERLAY)
        self.write("CMakeLists.txt", PROJECT.format(module=os.path.join(ROOT, "cmake", "RestschemaGenerate.cmake")))
        cmd = [CMAKE, "-S", self.src, "-B", self.bin] + (["-G", GENERATOR] if GENERATOR else [])
        p = subprocess.run(cmd, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, rel, text):
        with open(os.path.join(self.src, rel), "w", encoding="utf-8") as f:
            f.write(text)

    def build(self):
        return subprocess.run([CMAKE, "--build", self.bin, "--target", "apis_restschema_gen"], capture_output=True, text=True)

    def mtimes(self):
        gen = os.path.join(self.bin, "gen")
        return {os.path.join(d, f): os.stat(os.path.join(d, f)).st_mtime_ns for d, _, files in os.walk(gen) for f in files}

    def header(self, *parts):
        path = os.path.join(self.bin, "gen", "restschema", "gen", *parts)
        with open(path, encoding="utf-8") as f:
            return f.read()

    def test_import_at_build_time(self):
        p = self.build()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("importing", p.stdout)
        order = self.header("shop", "get_order.hpp")
        self.assertIn("4041", order)  # the overlay's row with the API's code
        self.assertFalse(os.path.exists(os.path.join(self.bin, "gen", "restschema", "gen", "shop", "delete_order.hpp")))  # not in the subset
        self.assertTrue(os.path.exists(os.path.join(self.bin, "gen_openapi", "shop", "service.yaml")))

        # Once, CMake configures again to declare the headers the first build listed; nothing is imported or rewritten.
        before = self.mtimes()
        p = self.build()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertNotIn("importing", p.stdout)
        self.assertEqual(self.mtimes(), before)

        p = self.build()  # nothing changed: no import, no generation
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertNotIn("importing", p.stdout)
        self.assertNotIn("generating", p.stdout)

        time.sleep(1.1)  # file times of one second on some file systems
        self.write("shop.overlay.yaml", OVERLAY.replace("operations: [getOrder]", "operations: [getOrder, deleteOrder]"))
        p = self.build()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("importing", p.stdout)
        self.assertIn("delete_order", self.header("shop.hpp"))

        time.sleep(1.1)
        spec = json.loads(json.dumps(SPEC))
        spec["components"]["schemas"]["Order"]["properties"]["currency"] = {"type": "string"}
        self.write("shop.openapi.json", json.dumps(spec, indent=2))
        p = self.build()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("currency", self.header("shop", "types", "order.hpp"))

        time.sleep(1.1)
        self.write("shop.openapi.json", json.dumps(SPEC, indent=2).replace('"#/components/schemas/Order"', '"other.json#/Order"', 1))
        p = self.build()
        self.assertNotEqual(p.returncode, 0)
        self.assertRegex(p.stdout + p.stderr, r"shop\.openapi\.json:\d+:\d+: error: reference 'other\.json#/Order' points outside this document")


MOCK_PROJECT = """cmake_minimum_required(VERSION 3.20)
project(restschema_openapi_mock_test LANGUAGES CXX)   # the mock is an executable; only its generation is built
include("{module}")
add_library(restschema_mock INTERFACE)   # stands in for restschema::mock: nothing is compiled here
add_library(restschema::mock ALIAS restschema_mock)
restschema_add_mock(NAME shop-mock {args})
"""


class CMakeOpenAPIMock(unittest.TestCase):
    """restschema_add_mock(... OPENAPI <file> [SERVICE] [OVERLAY] [ENDPOINTS]): a mock of an imported description."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rsgen-openapi-mock-")
        self.src = os.path.join(self.tmp, "src")
        self.bin = os.path.join(self.tmp, "build")
        os.makedirs(self.src)
        spec = json.loads(json.dumps(SPEC))
        spec["paths"]["/orders"] = {"get": {"operationId": "listOrders", "responses": {"200": {"description": "Orders", "content": {
            "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}}}}}}}
        with open(os.path.join(self.src, "shop.openapi.json"), "w", encoding="utf-8") as f:
            json.dump(spec, f, indent=2)
        with open(os.path.join(self.src, "shop.overlay.yaml"), "w", encoding="utf-8") as f:
            f.write(OVERLAY.replace("operations: [getOrder]", "operations: [getOrder, deleteOrder, listOrders]"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def configure(self, args):
        with open(os.path.join(self.src, "CMakeLists.txt"), "w", encoding="utf-8") as f:
            f.write(MOCK_PROJECT.format(module=os.path.join(ROOT, "cmake", "RestschemaMock.cmake"), args=args))
        cmd = [CMAKE, "-S", self.src, "-B", self.bin] + (["-G", GENERATOR] if GENERATOR else [])
        return subprocess.run(cmd, capture_output=True, text=True)

    def test_subset_of_an_imported_description(self):
        p = self.configure("OPENAPI shop.openapi.json SERVICE shop OVERLAY shop.overlay.yaml ENDPOINTS get_order")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.bin, "restschema_mock", "shop-mock", "main.cpp")))
        p = subprocess.run([CMAKE, "--build", self.bin, "--target", "shop-mock_restschema_gen"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("importing", p.stdout)
        gen = os.path.join(self.bin, "restschema_mock", "shop-mock", "gen")
        self.assertTrue(os.path.exists(os.path.join(gen + "_openapi", "shop", "list_orders.yaml")))  # the whole import
        with open(os.path.join(gen, "restschema", "gen", "all", "shop_mock.hpp"), encoding="utf-8") as f:
            aggregate = f.read()
        self.assertIn("get_order", aggregate)  # the mock serves the subset only
        self.assertNotIn("list_orders", aggregate)
        self.assertNotIn("delete_order", aggregate)
        with open(os.path.join(gen, "restschema", "gen", "shop", "get_order.hpp"), encoding="utf-8") as f:
            self.assertIn("4041", f.read())  # the overlay's row

    def test_bad_arguments(self):
        p = self.configure("SERVICE shop")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("restschema_add_mock: SCHEMAS or OPENAPI is required", p.stderr)
        p = self.configure("SCHEMAS schemas SERVICE shop")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("restschema_add_mock: SERVICE and OVERLAY are for OPENAPI", p.stderr)
        p = self.configure("OPENAPI missing.json")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("restschema_generate: OPENAPI", p.stderr)
        self.assertIn("missing.json' does not exist", p.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmake", default="cmake")
    ap.add_argument("--generator", default=None)
    args, rest = ap.parse_known_args()
    CMAKE, GENERATOR = args.cmake, args.generator
    unittest.main(argv=[sys.argv[0], *rest])
