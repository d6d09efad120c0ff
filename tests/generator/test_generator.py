#!/usr/bin/python3
"""Tests of restschema-gen (run by ctest; needs only Debian's python3-yaml,
python3-jinja2 and python3-jsonschema).

    /usr/bin/python3 tests/generator/test_generator.py            # everything
    /usr/bin/python3 tests/generator/test_generator.py BrokenSchemas

Paths in expected messages are relative to the repository root, which the
tests use as working directory.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
GEN = os.path.join(ROOT, "generator", "restschema-gen")
PYTHON = "/usr/bin/python3"
sys.path.insert(0, os.path.join(ROOT, "generator"))
sys.dont_write_bytecode = True


def run(*args, cwd=ROOT):
    p = subprocess.run([PYTHON, GEN, *args], cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


# Every case under tests/schemas/broken/, with ALL the lines `check` must print.
# "{d}" stands for tests/schemas/broken/<case>.
EXPECTED = {
    # issue 17 item 5: hostile YAML fails fast, at its place
    "alias_bomb": [
        "{d}/service.yaml:11:8: error: alias '*e': aliases expand to more than 100000 values (a \"billion laughs\" document?)",
    ],
    "recursive_alias": [
        "{d}/service.yaml:7:5: error: alias '*loop' refers to a collection that contains it (a recursive structure)",
    ],
    "deep_nesting_block": [
        "{d}/service.yaml:262:257: error: nesting deeper than 256 levels",
    ],
    "deep_nesting_flow": [
        "{d}/service.yaml:6:259: error: nesting deeper than 256 levels",
    ],
    "auth_undefined": [
        "{d}/get_item.yaml:6:10: error: auth 'tokne' is not defined by service 'demo' (did you mean 'token'?)",
    ],
    "bad_format": [
        "{d}/service.yaml:11:46: error: unknown format 'emial' (did you mean 'email'?) (known: email, e164, unix_time, date, date_time, rails_time, uri)",
        "{d}/service.yaml:12:46: error: format 'unix_time' needs type integer, not string",
    ],
    "conflicting_error_rows": [
        "{d}/get_item.yaml:8:14: error: error row 'limited' is defined twice with different content (first at {d}/service.yaml:10)",
        "{d}/get_item.yaml:9:14: error: error code 4291 is used by both 'limited' (at {d}/service.yaml:10) and 'other_limit' with different content",
        "{d}/service.yaml:9:14: error: error rows 'not_provisioned' (at line 7) and 'forbidden' have the same status 403, code 4035 but different content",
    ],
    # issue 11: where the version travels
    "version_location": [
        "{d}/get_item.yaml:5:10: error: placeholder '{version}' in the path, but the service sends the API version in header 'X-Api-Version' (service 'version:')",
        "{d}/get_item.yaml:7:14: error: header parameter 'X-API-Version' is where the service sends the API version (service 'version:'); client_options::api_version fills it, so remove the parameter",
        "{d}/get_item.yaml:8:55: error: 'const' 'application/vnd.demo.{version}+json' is sent as written, placeholder included; the API version travels where the service's 'version: {in: path|header|query, name: ...}' says",
    ],
    # issue 16: response formats (json, xml) and how the client picks one
    "response_formats": [
        "{d}/a_suffix.yaml:9:14: error: path parameter 'format' is the response format (media_types.format_in: path); the client fills it from media_types.formats, so remove the parameter",
        "{d}/b_no_placeholder.yaml:5:9: error: media_types.format_in is path, but the path template has no '{format}' placeholder for the format",
        "{d}/c_no_json.yaml:6:26: error: media_types.formats must list json: it is what clients ask for unless told otherwise",
    ],
    # issue 11: what to write instead of another format's way
    "hints": [
        "{d}/get_item.yaml:7:46: error: unknown key 'default' in parameter (restschema sends only what the caller sets, so there is no default value; document the server's default in 'description', or fix the value with 'const')",
        "{d}/get_item.yaml:8:54: error: unknown format 'int64': restschema's 'integer' is already 64-bit (std::int64_t); leave 'format' out",
        "{d}/get_item.yaml:9:36: error: malformed type 'string|null': write 'type: string' and 'nullable: true' for a value that may be null",
    ],
    "version_without_name": [
        "{d}/service.yaml:6:12: error: the version travels in a query: say which with 'name'",
    ],
    "const_non_string": [
        "{d}/get_item.yaml:7:46: error: 'const' requires type string, not integer",
    ],
    "duplicate_endpoint_id": [
        "{d}/b.yaml:2:7: error: endpoint id 'get_item' is already used by {d}/a.yaml:2",
    ],
    "duplicate_key": [
        "{d}/service.yaml:6:3: error: duplicate key 'title' (first defined at line 3)",
    ],
    "duplicate_member": [
        "{d}/service.yaml:12:18: error: 'profile_id' and 'profileId' (at line 11) both become the C++ member 'profile_id'; set cpp_name on one of them",
    ],
    "duplicate_wire_name": [
        "{d}/service.yaml:13:18: error: duplicate wire name 'id' in type 'Item' (first at line 11)",
    ],
    "example_wrong_type": [
        "{d}/put_box.yaml:7:68: error: example for 'id' must be an integer, not a string",
        "{d}/put_box.yaml:13:15: error: example for 'kind' must be one of small, large (Kind), not 'medium'",
        "{d}/put_box.yaml:14:19: error: example for item 2 of 'tags' must be a string, not an integer",
        "{d}/put_box.yaml:15:9: error: example key 'colour' is not a field of Box",
        "{d}/put_box.yaml:16:68: error: example for 'mail' is not a valid email value: 'not-an-email'",
        "{d}/put_box.yaml:17:53: error: example for 'note' is null, but 'note' is not nullable",
        "{d}/put_box.yaml:18:47: error: example for the response lacks the required field 'id' of Box",
    ],
    # issue 11: maps, keyed by strings only, travel in JSON bodies only
    "map_types": [
        "{d}/get_item.yaml:7:39: error: query parameter 'filter' cannot be map<string, string>: a map travels only in a JSON body",
        "{d}/service.yaml:9:31: error: map keys must be string, not integer (JSON object keys are always strings): write 'map<string, string>'",
        "{d}/service.yaml:10:34: error: malformed type 'map<string>' (expected a type name, list<T> or map<string, T>)",
        "{d}/service.yaml:11:34: error: malformed type 'map<string, string' (expected a type name, list<T> or map<string, T>)",
        "{d}/service.yaml:12:30: error: unknown type 'Strng' (did you mean 'string'?)",
        "{d}/service.yaml:13:64: error: example for 'labels' must be a mapping (map<string, string>), not a list",
        "{d}/service.yaml:14:74: error: example for value 'b' of 'counts' must be an integer, not a string",
        "{d}/service.yaml:15:86: error: example for item 2 of value 'a' of item 1 of 'nested' must be an integer, not a string",
        "{d}/service.yaml:16:13: error: type name 'Map' is too close to the builtin 'map'",
    ],
    "min_after_max": [
        "{d}/get_item.yaml:6:16: error: min_version 'v2' is after max_version 'v1'",
    ],
    "mock_references": [
        "{d}/put_item.yaml:14:10: error: mock.key 'ids' is not a path parameter of this endpoint (did you mean 'id'?)",
        "{d}/put_item.yaml:15:16: error: mock.not_found 'notfound' is not an error row of this endpoint (did you mean 'not_found'?)",
        "{d}/put_item.yaml:16:27: error: owner_secret.param 'secret' is not a body parameter",
    ],
    "pagination": [
        "{d}/links.yaml:7:12: error: the response of 'links' is Item: name the field that holds the page's list in 'items'",
        "{d}/links.yaml:8:15: error: per_page 'size' is not a parameter of 'links'",
        "{d}/list_items.yaml:11:12: error: items 'entries': Page has no field 'entries'",
        "{d}/list_items.yaml:12:11: error: next 'next' is integer but the cursor parameter 'cursor' is string: the cursor is sent back as it came",
        "{d}/list_items.yaml:14:5: error: 'page' does not apply to pagination style 'cursor' (it takes items, next, cursor, mock_page_size)",
        "{d}/pages.yaml:8:3: error: pagination style 'page' needs 'page'",
        "{d}/pages.yaml:9:12: error: only GET endpoints page here (a walk sends the request again for each page); 'pages' is POST",
        "{d}/pages.yaml:10:12: error: items 'items.id': cannot look up 'id' in 'items', which is list<Item>, not an object type",
        "{d}/pages.yaml:11:18: error: total_items 'total' is string; it must be integer",
    ],
    "no_service_file": [
        "{d}/get_item.yaml:1:1: error: no service file in this folder (a file with a top-level 'service:' key)",
    ],
    "path_parameter_not_in_template": [
        "{d}/get_item.yaml:7:14: error: path parameter 'id' does not appear in the path template",
    ],
    "placeholder_without_parameter": [
        "{d}/get_item.yaml:5:16: error: path placeholder '{itemId}' has no path parameter (did you mean 'item_id'?)",
        "{d}/get_item.yaml:7:14: error: path parameter 'item_id' does not appear in the path template",
    ],
    "several_errors": [
        "{d}/get_item.yaml:4:12: error: 'summary' must be a string, not an integer",
        "{d}/get_item.yaml:5:11: error: invalid value 'FETCH' for 'method' (did you mean 'PATCH'?) (expected GET, PUT, POST, PATCH or DELETE)",
        "{d}/get_item.yaml:6:31: error: path placeholder '{extra}' has no path parameter",
        "{d}/get_item.yaml:8:16: error: unknown version 'v9' (the service has v1, v2)",
        "{d}/get_item.yaml:10:53: error: 'required' must be a boolean, not a string",
        "{d}/get_item.yaml:11:21: error: invalid value 'qurey' for 'in' (did you mean 'query'?) (expected path, query, header or body)",
        "{d}/get_item.yaml:12:47: error: 'const' requires type string, not integer",
        "{d}/get_item.yaml:13:22: error: 'status' must be between 100 and 599, not 700",
        "{d}/get_item.yaml:14:34: error: mock.key 'item' is not a path parameter of this endpoint",
        "{d}/get_item.yaml:14:51: error: mock.not_found 'missing' is not an error row of this endpoint",
    ],
    "unbalanced_path": [
        "{d}/a.yaml:5:16: error: unclosed '{' in path template",
        "{d}/b.yaml:5:16: error: unclosed '[' in path template",
        "{d}/c.yaml:5:15: error: unmatched ']' in path template",
        "{d}/c.yaml:5:18: error: unmatched '}' in path template",
    ],
    "unknown_key": [
        "{d}/get_item.yaml:7:42: error: unknown key 'requird' in parameter (did you mean 'required'?)",
        "{d}/get_item.yaml:8:27: error: unknown key 'descripton' in response (did you mean 'description'?)",
    ],
    "unknown_type": [
        "{d}/service.yaml:14:30: error: unknown type 'Adress' (did you mean 'Address'?)",
        "{d}/service.yaml:15:30: error: unknown type 'strng' (did you mean 'string'?)",
        "{d}/service.yaml:16:29: error: malformed type 'list<string' (expected a type name, list<T> or map<string, T>)",
    ],
    "unknown_version": [
        "{d}/get_item.yaml:7:55: error: unknown version 'v3' (the service has v1, v2)",
    ],
    "wrong_top_level": [
        "{d}/service.yaml:1:1: error: unknown top-level key 'servce' (did you mean 'service'?): a schema file has 'service:' or 'endpoint:'",
    ],
    "yaml_syntax": [
        "{d}/service.yaml:5:11: error: YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence at line 4)",
    ],
}


class BrokenSchemas(unittest.TestCase):
    def test_every_case_is_listed(self):
        cases = sorted(os.listdir(os.path.join(ROOT, "tests", "schemas", "broken")))
        self.assertEqual(cases, sorted(EXPECTED))
        self.assertGreaterEqual(len(cases), 25)

    def test_cases(self):
        for case, lines in sorted(EXPECTED.items()):
            with self.subTest(case=case):
                d = f"tests/schemas/broken/{case}"
                rc, out, err = run("check", d)
                self.assertEqual(rc, 1, err)
                self.assertEqual(out, "")
                self.assertEqual(err.splitlines(), [l.replace("{d}", d) for l in lines])
                self.assertNotIn("Traceback", err)

    def test_cpp_reports_the_same_and_writes_nothing(self):
        d = "tests/schemas/broken/several_errors"
        with tempfile.TemporaryDirectory() as out:
            rc, _, err = run("cpp", "--out", out, d)
            self.assertEqual(rc, 1)
            self.assertEqual(err.splitlines(), [l.replace("{d}", d) for l in EXPECTED["several_errors"]])
            self.assertEqual(os.listdir(out), [])

    def test_errors_sorted_across_directories(self):
        rc, _, err = run("check", "tests/schemas/broken/unknown_type", "tests/schemas/broken/no_service_file")
        self.assertEqual(rc, 1)
        files = [l.split(":")[0] for l in err.splitlines()]
        self.assertEqual(files, sorted(files))
        self.assertEqual(len(files), len(EXPECTED["unknown_type"]) + len(EXPECTED["no_service_file"]))


SERVICE_HEAD = "service:\n  name: demo\n  title: Demo\n  base_url: https://demo.example.com\n  versions: [v1]\n"


class HostileYaml(unittest.TestCase):
    """Issue 17 item 5: documents built to exhaust time, memory or the stack fail
    fast, with one `file:line:col` message, with or without libyaml."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rs-hostile-")

    def tearDown(self):
        import shutil

        shutil.rmtree(self.tmp, ignore_errors=True)

    def check(self, text):
        path = os.path.join(self.tmp, "service.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        rc, out, err = run("check", path)
        self.assertEqual((rc, out), (1, ""), err)
        return err.replace(path, "F")

    def test_hundred_thousand_deep_flow_nesting_stops_at_the_bound(self):
        # libyaml's recursive composer crashes the process at some 35,000 levels.
        self.assertEqual(self.check(SERVICE_HEAD + "a: " + "[" * 100_000 + "\n"), "F:6:259: error: nesting deeper than 256 levels\n")

    def test_5000_deep_nesting_stops_at_the_bound_in_block_and_flow_style(self):
        n = 5000
        block = SERVICE_HEAD + "".join(" " * i + "a:\n" for i in range(n)) + " " * n + "x\n"
        self.assertEqual(self.check(block), "F:262:257: error: nesting deeper than 256 levels\n")
        self.assertEqual(self.check(SERVICE_HEAD + "a:\n" + "- " * n + "x\n"), "F:7:511: error: nesting deeper than 256 levels\n")
        self.assertEqual(self.check(SERVICE_HEAD + "a: " + "[" * n + "]" * n + "\n"), "F:6:259: error: nesting deeper than 256 levels\n")

    def test_file_larger_than_the_bound_is_refused_naming_its_size(self):
        from restschema_gen.front import yamlload

        path = os.path.join(self.tmp, "service.yaml")
        with open(path, "wb") as f:
            f.truncate(yamlload.MAX_BYTES + 1)  # sparse: nothing written, nothing read
        rc, out, err = run("check", path)
        self.assertEqual((rc, out), (1, ""))
        self.assertEqual(err, f"{path}:1:1: error: file is too large: 256.0 MiB (268435457 bytes); restschema reads files up to 256 MiB\n")

    def test_read_bytes_accepts_exactly_the_bound_and_refuses_a_longer_pipe(self):
        from restschema_gen.front import yamlload

        path = os.path.join(self.tmp, "ten.yaml")
        with open(path, "wb") as f:
            f.write(b"a: 1234567")
        saved = yamlload.MAX_BYTES
        yamlload.MAX_BYTES = 10
        try:
            self.assertEqual(yamlload.read_bytes(path), b"a: 1234567")
            with open(path, "ab") as f:
                f.write(b"8")
            with self.assertRaisesRegex(yamlload.FileTooLarge, r"^file is too large: 0\.0 MiB \(11 bytes\)"):
                yamlload.read_bytes(path)
            r, w = os.pipe()
            os.write(w, b"a: 12345678")
            os.close(w)
            try:
                with self.assertRaisesRegex(yamlload.FileTooLarge, r"^file is too large: more than the 0 MiB restschema reads$"):
                    yamlload.read_bytes(f"/dev/fd/{r}")
            finally:
                os.close(r)
        finally:
            yamlload.MAX_BYTES = saved

    def test_pure_python_loader_gives_the_same_messages(self):
        from restschema_gen.front import Diagnostics, yamlload

        texts = {}
        for case in ("alias_bomb", "recursive_alias", "deep_nesting_block", "deep_nesting_flow", "yaml_syntax", "duplicate_key"):
            with open(os.path.join(ROOT, "tests", "schemas", "broken", case, "service.yaml"), encoding="utf-8") as f:
                texts[case] = f.read()
        texts["flow_100000"] = SERVICE_HEAD + "a: " + "[" * 100_000 + "\n"
        texts["block_5000"] = SERVICE_HEAD + "a:\n" + "- " * 5000 + "x\n"

        def messages(text):
            diags = Diagnostics()
            yamlload.read_text("F", text, diags)
            return [str(d) for d in diags.sorted()]

        with_libyaml = {case: messages(text) for case, text in texts.items()}
        saved = yamlload._CLoader
        yamlload._CLoader = None
        try:
            pure = {case: messages(text) for case, text in texts.items()}
        finally:
            yamlload._CLoader = saved
        self.assertEqual(pure, with_libyaml)
        self.assertEqual(pure["flow_100000"], ["F:6:259: error: nesting deeper than 256 levels"])
        self.assertTrue(all(pure.values()))

    def test_nesting_at_the_bound_is_accepted(self):
        from restschema_gen.front import Diagnostics, yamlload

        # The root mapping is level 1: 255 lists inside it make 256 levels.
        diags = Diagnostics()
        doc = yamlload.read_text("F", "a: " + "[" * 255 + "]" * 255 + "\n", diags)
        self.assertEqual(diags.sorted(), [])
        self.assertIsInstance(doc.data["a"], list)
        diags = Diagnostics()
        yamlload.read_text("F", "a: " + "[" * 256 + "]" * 256 + "\n", diags)
        self.assertEqual([str(d) for d in diags.sorted()], ["F:1:259: error: nesting deeper than 256 levels"])

    def test_aliases_within_the_bound_are_expanded(self):
        from restschema_gen.front import Diagnostics, yamlload

        # Four levels of nine: 6,561 strings, far below the bound; every copy is the anchor's value.
        text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        for prev, c in zip("abc", "bcd"):
            text += f"{c}: &{c} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
        diags = Diagnostics()
        doc = yamlload.read_text("F", text, diags)
        self.assertEqual(diags.sorted(), [])
        self.assertEqual(doc.data["d"][8][8][8], ["x"] * 9)

    def test_many_flow_lists_take_the_walk_and_are_accepted(self):
        # More flow lists than libyaml's composer may nest safely: the event walk
        # runs (GitHub's imported service.yaml has some 5,400) and finds them flat.
        from restschema_gen.front import Diagnostics, yamlload

        text = "".join(f"k{i}: [a, b]\n" for i in range(12_000))
        self.assertTrue(yamlload._may_nest_too_deep_for_c(text))
        diags = Diagnostics()
        doc = yamlload.read_text("F", text, diags)
        self.assertEqual(diags.sorted(), [])
        self.assertEqual(len(doc.data), 12_000)

    def test_ordinary_files_skip_the_depth_walk(self):
        from restschema_gen.front import yamlload

        for d, _, files in os.walk(os.path.join(ROOT, "schemas")):
            for f in files:
                with open(os.path.join(d, f), encoding="utf-8") as fh:
                    self.assertFalse(yamlload._may_nest_too_deep_for_c(fh.read()), f)


class Cli(unittest.TestCase):
    def test_check_seed_schemas_is_silent(self):
        self.assertEqual(run("check", "schemas"), (0, "", ""))

    def test_check_test_schemas(self):
        self.assertEqual(run("check", "tests/schemas/wide", "tests/schemas/special"), (0, "", ""))

    def test_usage_errors_exit_2(self):
        for args in [(), ("check",), ("cpp", "schemas"), ("frobnicate", "schemas"), ("check", "--bogus", "schemas")]:
            with self.subTest(args=args):
                rc, out, err = run(*args)
                self.assertEqual(rc, 2)
                self.assertIn("usage:", err)

    def test_help(self):
        rc, out, _ = run("--help")
        self.assertEqual(rc, 0)
        self.assertIn("check", out)
        self.assertIn("cpp", out)
        rc, out, _ = run("cpp", "--help")
        self.assertEqual(rc, 0)
        self.assertIn("--out", out)

    def test_missing_dir(self):
        rc, _, err = run("check", "no/such/dir")
        self.assertEqual((rc, err), (1, "no/such/dir:1:1: error: no such file or directory\n"))

    def test_single_files(self):
        rc, out, err = run("check", "schemas/attestr/service.yaml", "schemas/attestr/update_profile.yaml")
        self.assertEqual((rc, out, err), (0, "", ""))

    def test_internal_error_is_one_line(self):
        from restschema_gen import cli

        def boom(args):
            raise RuntimeError("boom")

        import contextlib
        import io

        err = io.StringIO()
        original = cli.COMMANDS[0]
        cli.COMMANDS[0] = (original[0], original[1], original[2], boom)
        try:
            with contextlib.redirect_stderr(err):
                rc = cli.main(["check", "schemas"])
        finally:
            cli.COMMANDS[0] = original
        self.assertEqual(rc, 1)
        self.assertEqual(err.getvalue(), "restschema-gen: internal error: RuntimeError: boom\n")


def tree(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out


class Generation(unittest.TestCase):
    def test_byte_identical_and_banner(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            self.assertEqual(run("cpp", "--out", a, "schemas"), (0, "", ""))
            self.assertEqual(run("cpp", "--out", b, "schemas"), (0, "", ""))
            ta, tb = tree(a), tree(b)
            self.assertEqual(ta, tb)
            self.assertEqual(
                sorted(ta),
                sorted(
                    os.path.join(*p.split("/"))
                    for p in [
                        "restschema/gen/all.hpp",
                        "restschema/gen/all.extras.hpp",
                        "restschema/gen/attestr.hpp",
                        "restschema/gen/attestr.extras.hpp",
                        "restschema/gen/attestr/service.hpp",
                        "restschema/gen/attestr/types.hpp",
                        "restschema/gen/attestr/update_profile.hpp",
                        "restschema/gen/attestr/update_profile.extras.hpp",
                        "restschema/gen/safeshepherd.hpp",
                        "restschema/gen/safeshepherd.extras.hpp",
                        "restschema/gen/safeshepherd/service.hpp",
                        "restschema/gen/safeshepherd/types.hpp",
                        *(f"restschema/gen/safeshepherd/types/{t}.hpp"
                          for t in ("address", "alias", "alias_type", "email", "link", "phone_number", "record", "service_event", "user")),
                        "restschema/gen/safeshepherd/update_user.hpp",
                        "restschema/gen/safeshepherd/update_user.extras.hpp",
                    ]
                ),
            )
            first = lambda rel: ta[rel].decode().splitlines()[0]
            self.assertEqual(
                first(os.path.join("restschema", "gen", "attestr", "update_profile.hpp")),
                "// Generated by restschema-gen from schemas/attestr/update_profile.yaml. DO NOT EDIT.",
            )
            self.assertEqual(
                first(os.path.join("restschema", "gen", "safeshepherd", "types.hpp")),
                "// Generated by restschema-gen from schemas/safeshepherd/service.yaml. DO NOT EDIT.",
            )
            self.assertEqual(
                first(os.path.join("restschema", "gen", "safeshepherd", "types", "user.hpp")),
                "// Generated by restschema-gen from schemas/safeshepherd/service.yaml. DO NOT EDIT.",
            )
            # The version the headers demand is the core's (meta.hpp): bumped together.
            with open(os.path.join(ROOT, "include", "restschema", "meta.hpp")) as f:
                self.assertIn("inline constexpr int generated_code_version = 8;", f.read())
            for rel, data in ta.items():
                text = data.decode()
                self.assertIn("#pragma once\n", text, rel)
                self.assertIn("#include <restschema/generated.hpp>\n", text, rel)
                self.assertIn('static_assert(restschema::generated_code_version == 8, "regenerate: restschema-gen does not match the restschema headers");', text, rel)

    def test_same_output_from_another_working_directory(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            run("cpp", "--out", a, "schemas")
            run("cpp", "--out", b, os.path.join(ROOT, "schemas"), cwd=tempfile.gettempdir())
            self.assertEqual(tree(a), tree(b))

    def test_unchanged_files_are_not_rewritten_and_stale_ones_removed(self):
        with tempfile.TemporaryDirectory() as out:
            run("cpp", "--out", out, "schemas")
            path = os.path.join(out, "restschema", "gen", "attestr", "types.hpp")
            os.utime(path, (1000000000, 1000000000))
            stale = os.path.join(out, "restschema", "gen", "attestr", "old_endpoint.hpp")
            with open(stale, "w") as f:
                f.write("// Generated by restschema-gen from schemas/attestr/old_endpoint.yaml. DO NOT EDIT.\n")
            mine = os.path.join(out, "restschema", "gen", "attestr", "handwritten.hpp")
            with open(mine, "w") as f:
                f.write("// mine\n")
            rc, o, e = run("cpp", "--out", out, "schemas")
            self.assertEqual((rc, o, e), (0, "", ""))
            self.assertEqual(os.stat(path).st_mtime, 1000000000)
            self.assertFalse(os.path.exists(stale))
            self.assertTrue(os.path.exists(mine))
            rc, o, e = run("cpp", "-v", "--out", out, "schemas")
            self.assertEqual(rc, 0)
            self.assertIn("0 written, 23 unchanged", e)

    def test_named_aggregate(self):
        # restschema_generate passes --name: the aggregate of one set of schemas
        # gets its own header and namespace, and all.hpp becomes an alias of it.
        with tempfile.TemporaryDirectory() as out:
            self.assertEqual(run("cpp", "--name", "my_apis", "--out", out, "schemas"), (0, "", ""))
            gen = os.path.join(out, "restschema", "gen")
            with open(os.path.join(gen, "all", "my_apis.hpp")) as f:
                named = f.read()
            self.assertIn("namespace restschema::gen::my_apis {", named)
            self.assertIn("using all_endpoints = ::boost::mp11::mp_list<::attestr::update_profile, ::safeshepherd::update_user>;", named)
            with open(os.path.join(gen, "all.hpp")) as f:
                alias = f.read()
            self.assertIn("#include <restschema/gen/all/my_apis.hpp>", alias)
            self.assertIn("using all_endpoints = ::restschema::gen::my_apis::all_endpoints;", alias)
            self.assertIn("#if __has_include_next(<restschema/gen/all.hpp>)", alias)
            with open(os.path.join(gen, "all", "my_apis.extras.hpp")) as f:
                extras = f.read()
            self.assertIn("#include <restschema/gen/all/my_apis.hpp>\n#include <restschema/gen/attestr.extras.hpp>\n", extras)
            # Another name replaces the old aggregate; without one it is removed too.
            self.assertEqual(run("cpp", "--name", "other", "--out", out, "schemas"), (0, "", ""))
            self.assertEqual(sorted(os.listdir(os.path.join(gen, "all"))), ["other.extras.hpp", "other.hpp"])
            self.assertEqual(run("cpp", "--out", out, "schemas"), (0, "", ""))
            self.assertEqual(os.listdir(os.path.join(gen, "all")), [])

    def test_bad_name_is_a_usage_error(self):
        for name in ["1st", "my-apis", "class", "all_endpoints", ""]:
            with self.subTest(name=name), tempfile.TemporaryDirectory() as out:
                rc, o, e = run("cpp", "--name", name, "--out", out, "schemas")
                self.assertEqual((rc, o), (2, ""))
                self.assertEqual(e, f"restschema-gen: error: --name '{name}' is not a usable C++ identifier\n")
                self.assertEqual(os.listdir(out), [])

    def test_wide_type_is_split_into_parts(self):
        with tempfile.TemporaryDirectory() as out:
            self.assertEqual(run("cpp", "--out", out, "tests/schemas/wide"), (0, "", ""))
            with open(os.path.join(out, "restschema", "gen", "wide", "types", "sheet.hpp")) as f:
                text = f.read()
            self.assertIn("struct sheet_part0 {", text)
            self.assertIn("struct sheet : sheet_part0 {", text)
            self.assertIn("BOOST_DESCRIBE_STRUCT(sheet, (sheet_part0), (col50, ", text)
            part0 = text[text.index("BOOST_DESCRIBE_STRUCT(sheet_part0, (), (") :].split("\n")[0]
            self.assertEqual(part0.count("col"), 50)
            info = text[text.index("struct type_info<::wide::sheet> {") :]
            info = info[: info.index("};")]
            self.assertEqual(info.count("location::body"), 60)

    def test_enum_gets_unrecognized_without_clashing_with_a_schema_value(self):
        # Every generated enum ends with the value that unknown response values
        # decode to; a schema value of that name keeps its name.
        with tempfile.TemporaryDirectory() as tmp:
            svc = os.path.join(tmp, "s", "x")
            os.makedirs(svc)
            with open(os.path.join(svc, "service.yaml"), "w") as f:
                f.write("service:\n  name: x\n  title: X\n  base_url: https://x.example.com\n"
                        "  versions: [v1]\n  types:\n    - name: State\n      enum: [on, unrecognized]\n"
                        "    - name: Plain\n      enum: [a, b]\n")
            with open(os.path.join(svc, "get.yaml"), "w") as f:
                f.write("endpoint:\n  id: get\n  title: Get\n  method: GET\n  path: /thing\n"
                        "  response: {status: 200, type: State}\n")
            out = os.path.join(tmp, "out")
            self.assertEqual(run("cpp", "--out", out, os.path.join(tmp, "s")), (0, "", ""))
            text = ""
            for t in ("state", "plain"):
                with open(os.path.join(out, "restschema", "gen", "x", "types", f"{t}.hpp")) as f:
                    text += f.read()
            self.assertIn("BOOST_DESCRIBE_ENUM(state, on, unrecognized, unrecognized_value)", text)
            self.assertIn("static constexpr ::x::state unrecognized = ::x::state::unrecognized_value;", text)
            self.assertIn("BOOST_DESCRIBE_ENUM(plain, a, b, unrecognized)", text)
            self.assertIn("static constexpr ::x::plain unrecognized = ::x::plain::unrecognized;", text)

    def write_service(self, root, name, types_yaml, endpoints):
        """A service folder root/name with the given types and {id: response type} endpoints."""
        folder = os.path.join(root, name)
        os.makedirs(folder)
        with open(os.path.join(folder, "service.yaml"), "w") as f:
            f.write(f"service:\n  name: {name}\n  title: {name.title()}\n  base_url: https://{name}.example.com\n"
                    f"  versions: [v1]\n  types:\n{types_yaml}")
        for eid, response in endpoints.items():
            with open(os.path.join(folder, f"{eid}.yaml"), "w") as f:
                f.write(f"endpoint:\n  id: {eid}\n  title: {eid}\n  method: GET\n  path: /{eid}\n"
                        f"  response: {{status: 200, type: {response}}}\n")

    TYPES = ("    - {name: Aa, fields: [{name: b, type: Bb}, {name: n, type: json}]}\n"
             "    - {name: Bb, fields: [{name: k, type: Kind}]}\n"
             "    - {name: Kind, enum: [x, y]}\n"
             "    - {name: Cc, fields: [{name: s, type: string}]}\n")

    def test_each_type_header_includes_only_what_its_fields_name(self):
        # Issue 12 item 4: a header per named type; an endpoint header includes the types it uses.
        with tempfile.TemporaryDirectory() as tmp:
            self.write_service(os.path.join(tmp, "s"), "x", self.TYPES, {"get_a": "Aa", "get_c": "Cc"})
            out = os.path.join(tmp, "out")
            self.assertEqual(run("cpp", "--out", out, os.path.join(tmp, "s")), (0, "", ""))
            gen = os.path.join(out, "restschema", "gen", "x")

            def includes(*rel):
                with open(os.path.join(gen, *rel)) as f:
                    return [line[len("#include <"):-1] for line in f.read().splitlines() if line.startswith("#include <")]

            self.assertEqual(sorted(os.listdir(os.path.join(gen, "types"))), ["aa.hpp", "bb.hpp", "cc.hpp", "kind.hpp"])
            self.assertEqual(includes("types", "aa.hpp"), ["restschema/generated.hpp", "boost/json/value.hpp", "restschema/gen/x/types/bb.hpp"])
            self.assertEqual(includes("types", "bb.hpp"), ["restschema/generated.hpp", "restschema/gen/x/types/kind.hpp"])
            self.assertEqual(includes("types", "kind.hpp"), ["restschema/generated.hpp"])
            self.assertEqual(includes("get_c.hpp"), ["restschema/generated.hpp", "restschema/gen/x/service.hpp", "restschema/gen/x/types/cc.hpp"])
            self.assertEqual(includes("get_a.hpp"), ["restschema/generated.hpp", "restschema/gen/x/service.hpp", "restschema/gen/x/types/aa.hpp"])
            # The umbrella keeps code that included types.hpp compiling.
            self.assertEqual(includes("types.hpp"), ["restschema/generated.hpp", "restschema/gen/x/service.hpp"]
                             + [f"restschema/gen/x/types/{t}.hpp" for t in ("aa", "bb", "cc", "kind")])

    def test_endpoints_generates_only_those_and_the_types_they_use(self):
        with tempfile.TemporaryDirectory() as tmp:
            schemas = os.path.join(tmp, "s")
            self.write_service(schemas, "x", self.TYPES, {"get_a": "Aa", "get_c": "Cc"})
            self.write_service(schemas, "y", "    - {name: Cc, fields: [{name: s, type: string}]}\n", {"get_y": "Cc"})
            out = os.path.join(tmp, "out")
            self.assertEqual(run("cpp", "--name", "few", "--sources", "1", "--endpoints", "get_a", "--out", out, schemas), (0, "", ""))
            gen = os.path.join(out, "restschema", "gen")
            self.assertEqual(sorted(tree(gen)), sorted(os.path.join(*p.split("/")) for p in [
                "all.hpp", "all.extras.hpp", "all/few.hpp", "all/few.extras.hpp", "x.hpp", "x.extras.hpp", "x/service.hpp",
                "x/types.hpp", "x/get_a.hpp", "x/get_a.extras.hpp", "x/types/aa.hpp", "x/types/bb.hpp", "x/types/kind.hpp"]))
            with open(os.path.join(gen, "all", "few.hpp")) as f:
                self.assertIn("using all_endpoints = ::boost::mp11::mp_list<::x::get_a>;", f.read())
            with open(os.path.join(out, "src", "restschema_endpoints_0.cpp")) as f:
                compiled = f.read()
            self.assertIn("RESTSCHEMA_INSTANTIATE_ENDPOINT(::x::get_a)", compiled)
            self.assertNotIn("::x::cc", compiled)
            # Repeatable and comma-separated; SERVICE.ID picks one service; a wider set adds, a narrower one removes.
            self.assertEqual(run("cpp", "--endpoints", "get_a,y.get_y", "--endpoints", "get_c", "--out", out, schemas), (0, "", ""))
            self.assertTrue(os.path.exists(os.path.join(gen, "y", "get_y.hpp")))
            self.assertTrue(os.path.exists(os.path.join(gen, "x", "types", "cc.hpp")))
            self.assertEqual(run("cpp", "--endpoints", "get_c", "--out", out, schemas), (0, "", ""))
            self.assertEqual(sorted(os.listdir(os.path.join(gen, "x", "types"))), ["cc.hpp"])
            self.assertFalse(os.path.exists(os.path.join(gen, "y.hpp")))
            # docs and openapi take the same subset.
            docs = os.path.join(tmp, "docs")
            self.assertEqual(run("docs", "--endpoints", "get_c", "--out", docs, schemas), (0, "", ""))
            self.assertEqual(sorted(f for f in os.listdir(os.path.join(docs, "x")) if f.endswith(".md")), ["README.md", "get_c.md"])
            api = os.path.join(tmp, "api")
            self.assertEqual(run("openapi", "--endpoints", "get_c", "--out", api, schemas), (0, "", ""))
            with open(os.path.join(api, "x.openapi.json")) as f:
                doc = json.load(f)
            self.assertEqual(list(doc["paths"]), ["/get_c"])
            self.assertEqual(sorted(doc["components"]["schemas"]), ["Cc"])

    def test_unknown_or_ambiguous_endpoint_ids_are_usage_errors(self):
        with tempfile.TemporaryDirectory() as tmp:
            schemas = os.path.join(tmp, "s")
            self.write_service(schemas, "x", self.TYPES, {"get_a": "Aa", "get_c": "Cc"})
            self.write_service(schemas, "y", self.TYPES, {"get_a": "Aa"})
            out = os.path.join(tmp, "out")
            rc, o, e = run("cpp", "--endpoints", "get_cc,get_a,x.get_aa", "--out", out, schemas)
            self.assertEqual((rc, o), (2, ""))
            self.assertEqual(e.splitlines(), [
                "restschema-gen: error: --endpoints: no endpoint 'get_cc' in the schemas (did you mean 'get_c'?)",
                "restschema-gen: error: --endpoints: endpoint id 'get_a' is in 2 services: write 'x.get_a', 'y.get_a'",
                "restschema-gen: error: --endpoints: no endpoint 'x.get_aa' in the schemas (did you mean 'x.get_a'?)",
            ])
            rc, o, e = run("cpp", "--endpoints", "get_c,", "--out", out, schemas)
            self.assertEqual((rc, e), (2, "restschema-gen: error: --endpoints 'get_c,' has an empty id\n"))
            self.assertFalse(os.path.exists(out))

    def test_maps_are_ordered_std_maps_keyed_by_string(self):
        with tempfile.TemporaryDirectory() as out:
            self.assertEqual(run("cpp", "--out", out, "tests/schemas/special", "tests/schemas/dated"), (0, "", ""))
            with open(os.path.join(out, "restschema", "gen", "edgy", "types", "holder.hpp")) as f:
                edgy = f.read()
            dated = ""
            for name in os.listdir(os.path.join(out, "restschema", "gen", "dated", "types")):
                with open(os.path.join(out, "restschema", "gen", "dated", "types", name)) as f:
                    dated += f.read()
        self.assertIn("::std::optional<::std::map<::std::string, ::edgy::api::kind>> tags{};", edgy)
        self.assertIn("::restschema::nullable<::std::map<::std::string, ::std::vector<::edgy::api::link>>> by_name{};", edgy)
        self.assertIn("::std::optional<::std::vector<::std::map<::std::string, ::std::int64_t>>> rows{};", edgy)
        self.assertIn("/// wire: \"by_name\", type: map<string, list<Link>>, nullable", edgy)
        self.assertIn("::std::optional<::std::map<::std::string, ::std::string>> labels{};", dated)


class Model(unittest.TestCase):
    def load(self, *dirs):
        from restschema_gen.front import Diagnostics, load_model

        diags = Diagnostics()
        model = load_model([os.path.join(ROOT, d) for d in dirs], diags)
        self.assertEqual([str(d) for d in diags.sorted()], [])
        return model

    def test_map_type_expressions(self):
        from restschema_gen.front.parse import parse_type_expression

        self.assertEqual(parse_type_expression("map<string, Link>"), ("map", ("name", "string"), ("name", "Link")))
        self.assertEqual(parse_type_expression(" map < string,list<integer> > "),
                         ("map", ("name", "string"), ("list", ("name", "integer"))))
        self.assertEqual(parse_type_expression("list<map<string,json>>"), ("list", ("map", ("name", "string"), ("name", "json"))))
        for bad in ("map<string>", "map<string, >", "map<, T>", "map<string, T", "map<string, T>>", "map<a, b, c>", "map string, T", "list<a, b>", ""):
            with self.subTest(bad=bad):
                self.assertIsNone(parse_type_expression(bad))
        svc = next(s for s in self.load("tests/schemas/special").services if s.name == "edgy")
        holder = next(t for t in svc.types if t.name == "Holder")
        fields = {f.wire_name: f for f in holder.fields}
        by_name = fields["by_name"].type
        self.assertTrue(by_name.is_map)
        self.assertEqual((by_name.item.kind, by_name.item.item.target.name), ("list", "Link"))
        self.assertEqual(str(by_name), "map<string, list<Link>>")
        self.assertEqual(str(fields["rows"].type), "list<map<string, integer>>")
        self.assertEqual([t.name for t in fields["tags"].type.named_types()], ["Kind"])
        # Holder's maps refer to Kind and Link, which come later in the schema: types are ordered dependencies first.
        names = [t.name for t in svc.types]
        self.assertLess(names.index("Link"), names.index("Holder"))
        self.assertLess(names.index("Kind"), names.index("Holder"))

    def test_identical_duplicate_rows_collapse(self):
        model = self.load("tests/schemas/special")
        (svc,) = model.services
        names = [r.name for r in svc.errors]
        self.assertEqual(names, ["forbidden", "busy", "delete"])
        ep = next(e for e in svc.endpoints if e.id == "delete")
        self.assertEqual([r.name for r in ep.errors], ["forbidden", "busy", "delete", "gone"])
        self.assertEqual([(r.status, r.code) for r in ep.errors if r.name == "forbidden"], [(403, 4035)])

    def test_identical_duplicate_rows_collapse_in_generated_table(self):
        with tempfile.TemporaryDirectory() as out:
            run("cpp", "--out", out, "tests/schemas/special")
            with open(os.path.join(out, "restschema", "gen", "edgy", "delete.hpp")) as f:
                text = f.read()
            self.assertEqual(text.count("{error::forbidden, 403, 4035,"), 1)
            self.assertIn("::restschema::error_row<error>, 4> errors", text)

    def test_attestr(self):
        model = self.load("schemas")
        attestr = model.services[0]
        self.assertEqual(attestr.name, "attestr")
        ep = attestr.endpoints[0]
        self.assertEqual(len(ep.errors), 13)
        self.assertEqual([r.name for r in ep.errors].count("service_not_provisioned"), 1)
        retry = {r.name: r.retryable for r in ep.errors}
        self.assertTrue(retry["account_rate_limit"])
        self.assertFalse(retry["account_daily_limit"])
        self.assertTrue(retry["request_not_processed"])
        self.assertFalse(retry["malformed_data"])
        self.assertEqual([p.wire_name for p in ep.members], ["profileId", "tag", "name", "email", "mobile"])
        from restschema_gen.back.cpp.naming import CppNames

        names = CppNames(model)
        self.assertEqual(names.problems, [])
        self.assertEqual([names.ident(p) for p in ep.members], ["profile_id", "tag", "name", "email", "mobile"])
        self.assertEqual((names.ident(ep), names.request(ep), names.error(ep)), ("update_profile", "update_profile_request", "update_profile_error"))
        self.assertEqual(names.namespace(attestr), "attestr")
        self.assertEqual([(c.location, c.wire_name, c.const) for c in ep.constants], [("header", "Content-Type", "application/json")])
        self.assertEqual(ep.path_example, {"profileId": "PRF-7d4c1e20"})

    def test_naming(self):
        from restschema_gen.back.cpp.naming import cpp_identifier

        cases = {
            "profileId": "profile_id",
            "Content-Type": "content_type",
            "_destroy": "destroy",
            "delete": "delete_",
            "class": "class_",
            "PhoneNumber": "phone_number",
            "AliasType": "alias_type",
            "1st": "f_1st",
            "a.b c": "a_b_c",
            "HTTPCode": "http_code",
            "errno": "errno_",
        }
        for wire, ident in cases.items():
            self.assertEqual(cpp_identifier(wire), ident, wire)

    def test_raw_string_delimiter_avoids_the_text(self):
        from restschema_gen.back.cpp.headers import cpp_raw

        self.assertEqual(cpp_raw('{"a":1}'), 'R"rsjson({"a":1})rsjson"')
        self.assertEqual(cpp_raw('["x)rsjson"]'), 'R"rsjson1(["x)rsjson"])rsjson1"')
        self.assertEqual(cpp_raw(""), '""')


class Layout(unittest.TestCase):
    """Front end and back ends (issue 9 point 5): the model is language-neutral; one table of formats."""

    def test_model_holds_no_cpp_names(self):
        import dataclasses

        from restschema_gen.front import model

        for cls in (model.Field, model.StructType, model.EnumType, model.EnumValue, model.ErrorRow, model.Endpoint, model.Service):
            names = {f.name for f in dataclasses.fields(cls)}
            with self.subTest(cls=cls.__name__):
                self.assertFalse({"ident", "request_ident", "error_ident", "namespace"} & names)

    def test_only_the_front_end_reads_yaml(self):
        pkg = os.path.join(ROOT, "generator", "restschema_gen")
        for d, _, files in os.walk(pkg):
            for f in files:
                path = os.path.join(d, f)
                if not f.endswith(".py") or os.path.relpath(path, pkg).startswith("front"):
                    continue
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
                with self.subTest(file=os.path.relpath(path, pkg)):
                    self.assertNotIn("import yaml", text)
                    self.assertNotIn("yamlload", text)
                    self.assertNotIn("value_marks", text)

    def test_json_schema_lists_the_formats_of_the_table(self):
        import json

        from restschema_gen import formats

        with open(os.path.join(ROOT, "generator", "schema", "restschema.schema.json"), encoding="utf-8") as f:
            schema = json.load(f)
        self.assertEqual(tuple(schema["$defs"]["format"]["enum"]), formats.NAMES)
        refs = []  # every `format:` key of the format uses that definition

        def walk(node):
            if isinstance(node, dict):
                if "format" in node.get("properties", {}):
                    refs.append(node["properties"]["format"])
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(schema)
        self.assertTrue(refs)
        for r in refs:
            self.assertEqual(r, {"$ref": "#/$defs/format"})

    def test_meta_hpp_format_enum_matches_the_table(self):
        import re

        from restschema_gen import formats

        with open(os.path.join(ROOT, "include", "restschema", "meta.hpp"), encoding="utf-8") as f:
            text = f.read()
        body = re.search(r"enum class format : unsigned char \{(.*?)\};", text, re.S).group(1)
        enumerators = re.findall(r"^\s*([a-z0-9_]+),", body, re.M)
        self.assertEqual(tuple(enumerators), ("none",) + formats.NAMES)

    def test_format_rows_are_complete(self):
        from restschema_gen import formats

        for fmt in formats.FORMATS:
            with self.subTest(fmt=fmt.name):
                self.assertIn(fmt.json_type, ("string", "integer"))
                self.assertTrue(fmt.label and fmt.note)
                self.assertFalse(fmt.openapi_format and fmt.openapi_pattern)
        self.assertTrue(formats.BY_NAME["e164"].example_ok("+919876543210"))
        self.assertFalse(formats.BY_NAME["e164"].example_ok("919876543210"))
        self.assertEqual(formats.BY_NAME["unix_time"].json_type, "integer")


class QuickValidation(unittest.TestCase):
    """front/fastvalid.py (issue 12): the compiled yes/no check that spares most files
    jsonschema's walk may only be stricter than jsonschema, never more lenient."""

    def documents(self):
        import glob

        from restschema_gen.front import Diagnostics
        from restschema_gen.front.yamlload import Document, load

        paths = sorted(glob.glob(os.path.join(ROOT, "schemas", "**", "*.yaml"), recursive=True)
                       + glob.glob(os.path.join(ROOT, "tests", "schemas", "**", "*.yaml"), recursive=True))
        for path in paths:
            doc = Document(display_path=path, banner_path=path)
            with open(path, encoding="utf-8") as f:
                load(f.read(), doc, Diagnostics())
            if doc.data is not None:
                yield path, doc.data

    def mutations(self, data, rng):
        """Copies of data with one value replaced, one key added or one key removed, somewhere."""
        import copy

        odd = [None, True, 0, 1.5, -3, "", "X y", "Get", [], {}, ["a", "a"], {"name": 1}, "not_a_type<", "http://x"]
        spots = []

        def walk(v, path):
            spots.append(path)
            if isinstance(v, dict):
                for k in v:
                    walk(v[k], path + (k,))
            elif isinstance(v, list):
                for i, x in enumerate(v):
                    walk(x, path + (i,))

        walk(data, ())
        for path in rng.sample(spots, min(len(spots), 40)):
            for how in ("replace", "add", "remove"):
                d = copy.deepcopy(data)
                parent = d
                for p in path[:-1]:
                    parent = parent[p]
                target = parent[path[-1]] if path else d
                if how == "replace" and path:
                    parent[path[-1]] = rng.choice(odd)
                elif how == "add" and isinstance(target, dict):
                    target[rng.choice(["name", "type", "nullable", "bogus", "required", "in", "status"])] = rng.choice(odd)
                elif how == "remove" and isinstance(target, dict) and target:
                    del target[rng.choice(sorted(target))]
                else:
                    continue
                yield d

    def test_never_more_lenient_than_jsonschema(self):
        import random

        from restschema_gen.front import sources

        full = sources.validator()
        quick = sources._quick_check
        self.assertIsNotNone(quick, "the schema uses a keyword fastvalid.py does not compile")
        rng = random.Random(12)
        checked = 0
        for path, data in self.documents():
            # Valid files take the quick path (or there is nothing gained).
            self.assertEqual(quick(data), full.is_valid(data), path)
            for d in self.mutations(data, rng):
                if quick(d):
                    self.assertTrue(full.is_valid(d), f"{path}: quick check accepts what jsonschema refuses: {d!r}"[:2000])
                checked += 1
        self.assertGreater(checked, 1000)

    def test_unknown_keyword_leaves_it_to_jsonschema(self):
        from restschema_gen.front import fastvalid

        self.assertIsNone(fastvalid.compile_schema({"type": "object", "dependentRequired": {"a": ["b"]}}))
        self.assertIsNone(fastvalid.compile_schema({"$ref": "other.json#/x"}))
        check = fastvalid.compile_schema({"type": "array", "items": {"enum": [1, "a"]}, "uniqueItems": True})
        self.assertTrue(check([1, "a"]))
        self.assertFalse(check([True]))  # JSON's true is not 1
        self.assertFalse(check([1, 1]))


if __name__ == "__main__":
    os.chdir(ROOT)
    unittest.main()
