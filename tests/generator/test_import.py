#!/usr/bin/python3
"""Tests of `restschema-gen import openapi` (generator/restschema_gen/importer/).

    test_import.py Import      the mapping, piece by piece, on small documents written here
    test_import.py RoundTrip   every valid schema folder: export, import, export again -> the same document
    test_import.py Real DIR    published descriptions (DIR/node_modules, see tests/openapi/descriptions/)
    test_import.py Scale       issue 12 item 4 on GitHub's description: headers include what they use; cpp --endpoints

Each imported folder is checked with `restschema-gen check` (and, for Real, `cpp`).
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "generator"))

from restschema_gen import cli  # noqa: E402
from restschema_gen.front import Diagnostics, parse_model  # noqa: E402


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = cli.main([str(a) for a in argv])
    return rc, out.getvalue(), err.getvalue()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def doc(paths, components=None, **top):
    d = {"openapi": "3.1.0", "info": {"title": "T", "version": "1.0"}, "servers": [{"url": "https://api.example.com/v1"}], "paths": paths}
    if components:
        d["components"] = components
    d.update(top)
    return d


def op(responses=None, **kw):
    o = {"operationId": kw.pop("operationId", "getThing"), "responses": responses or {"200": {"description": "ok"}}}
    o.update(kw)
    return o


def ok_json(schema, **kw):
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema, **kw}}}}


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rs-import-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            if isinstance(data, str):
                f.write(data)
            else:
                json.dump(data, f, indent=1)
        return path

    def imported(self, document, service="svc", extra=(), name="spec.json"):
        """Imports, checks the folder, returns (model service, {file: text})."""
        spec = self.write(name, document)
        out = os.path.join(self.tmp, "out")
        rc, _, err = run("import", "openapi", spec, "--service", service, "--out", out, *extra)
        self.assertEqual(rc, 0, err)
        folder = os.path.join(out, service)
        rc, _, err = run("check", folder)
        files = {n: read(os.path.join(folder, n)) for n in sorted(os.listdir(folder)) if n.endswith(".yaml")}
        self.assertEqual(rc, 0, err + "\n" + "\n".join(f"--- {n}\n{t}" for n, t in files.items()))
        diags = Diagnostics()
        model = parse_model([folder], diags)
        self.assertFalse(diags)
        return model.services[0], files

    def failing(self, document, name="spec.json"):
        spec = self.write(name, document)
        rc, _, err = run("import", "openapi", spec, "--service", "svc", "--out", os.path.join(self.tmp, "out"))
        self.assertEqual(rc, 1, err)
        self.assertNotIn("Traceback", err)
        return err


class Import(Base):
    def type_of(self, svc, name):
        return next(t for t in svc.types if t.name == name)

    def test_refs_nested_and_recursive(self):
        comps = {
            "schemas": {
                "node": {"type": "object", "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/node"}}}},
                "a": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/b"}}},
                "b": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/a"}, "n": {"type": "integer", "format": "int32"}}},
                "wrapper": {"type": "object", "properties": {"node": {"$ref": "#/components/schemas/node"}, "pair": {"$ref": "#/components/schemas/a"}}},
            }
        }
        svc, files = self.imported(doc({"/x": {"get": op(ok_json({"$ref": "#/components/schemas/wrapper"}))}}, comps))
        node = self.type_of(svc, "Node")
        self.assertEqual(str(next(f for f in node.fields if f.wire_name == "children").type), "json")
        self.assertIn("would make Node recursive", files["service.yaml"])
        a, b = self.type_of(svc, "A"), self.type_of(svc, "B")
        kinds = {str(a.fields[0].type), str(b.fields[0].type)}
        self.assertEqual(kinds, {"B", "json"})  # one edge of the cycle is cut
        self.assertEqual(str(svc.endpoints[0].response.type), "Wrapper")

    def test_all_of_merged_one_of_nullable_and_json(self):
        comps = {
            "schemas": {
                "base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
                "item": {"allOf": [{"$ref": "#/components/schemas/base"}, {"type": "object", "properties": {"label": {"type": "string"}}}]},
                "holder": {
                    "type": "object",
                    "properties": {
                        "maybe": {"oneOf": [{"$ref": "#/components/schemas/item"}, {"type": "null"}]},
                        "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                        "n30": {"type": "string", "nullable": True},
                        "n31": {"type": ["integer", "null"]},
                    },
                },
            }
        }
        svc, files = self.imported(doc({"/x": {"get": op(ok_json({"$ref": "#/components/schemas/holder"}))}}, comps))
        item = self.type_of(svc, "Item")
        self.assertEqual([(f.wire_name, f.required) for f in item.fields], [("id", True), ("label", False)])
        h = {f.wire_name: f for f in self.type_of(svc, "Holder").fields}
        self.assertEqual((str(h["maybe"].type), h["maybe"].nullable), ("Item", True))
        self.assertEqual(str(h["either"].type), "json")
        self.assertIn("anyOf at #/components/schemas/holder/properties/either has 2 alternatives", files["service.yaml"])
        self.assertTrue(h["n30"].nullable and h["n31"].nullable)
        self.assertEqual(str(h["n31"].type), "integer")

    def test_discriminator_enums_formats_maps(self):
        comps = {
            "schemas": {
                "cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "purrs": {"type": "boolean"}}},
                "dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "barks": {"type": "integer"}}},
                "pet": {"oneOf": [{"$ref": "#/components/schemas/cat"}, {"$ref": "#/components/schemas/dog"}],
                        "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/cat", "dog": "#/components/schemas/dog"}}},
                "status": {"type": "string", "enum": ["open", "closed", None]},
                "thing": {
                    "type": "object",
                    "properties": {
                        "pet": {"$ref": "#/components/schemas/pet"},
                        "status": {"$ref": "#/components/schemas/status"},
                        "mail": {"type": "string", "format": "email", "example": "a@b.co"},
                        "when": {"type": "string", "format": "date-time", "example": "not a time"},
                        "site": {"type": "string", "format": "uri"},
                        "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                        "free": {"type": "object"},
                        "level": {"type": "integer", "enum": [1, 2, 3]},
                        "ratio": {"type": "number", "format": "float"},
                    },
                },
            }
        }
        svc, files = self.imported(doc({"/x": {"get": op(ok_json({"$ref": "#/components/schemas/thing"}))}}, comps))
        t = {f.wire_name: f for f in self.type_of(svc, "Thing").fields}
        pet = {f.wire_name: f for f in t["pet"].type.target.fields}
        self.assertEqual(set(pet), {"kind", "purrs", "barks"})
        self.assertTrue(pet["kind"].required)
        self.assertEqual([v.wire_name for v in t["status"].type.target.values], ["open", "closed"])
        self.assertEqual((t["mail"].format, t["when"].format, t["site"].format), ("email", "date_time", "uri"))
        self.assertTrue(t["mail"].has_example)
        self.assertFalse(t["when"].has_example)  # an example that would fail `check` is left out, with a note
        self.assertIn("example of 'when' does not match its type", files["service.yaml"])
        self.assertEqual(str(t["counts"].type), "map<string, integer>")
        self.assertEqual(str(t["free"].type), "json")
        self.assertEqual(str(t["level"].type), "integer")
        self.assertEqual(str(t["ratio"].type), "number")

    def test_read_only_and_write_only(self):
        comps = {"schemas": {"user": {"type": "object", "properties": {
            "id": {"type": "integer", "readOnly": True}, "name": {"type": "string"}, "password": {"type": "string", "writeOnly": True}}}}}
        paths = {"/users": {"post": op(ok_json({"$ref": "#/components/schemas/user"}), operationId="createUser",
                                       requestBody={"required": True, "content": {"application/json": {"schema": {
                                           "type": "object", "properties": {"user": {"$ref": "#/components/schemas/user"}}}}}})}}
        svc, _ = self.imported(doc(paths, comps))
        ep = svc.endpoints[0]
        read = ep.response.type.target
        write = next(p for p in ep.parameters if p.wire_name == "user").type.target
        self.assertEqual([f.wire_name for f in read.fields], ["id", "name"])
        self.assertEqual([f.wire_name for f in write.fields], ["name", "password"])
        self.assertEqual(write.name, "UserInput")

    def test_parameters_security_servers_errors_headers(self):
        comps = {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}, "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                                "cookie": {"type": "apiKey", "in": "cookie", "name": "sid"}},
            "schemas": {"problem": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}, "code": {"type": "integer"}}}},
            "responses": {"NotFound": {"description": "Resource not found", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/problem"}}}}},
        }
        paths = {
            "/repos/{owner}/{repo-name}": {
                "parameters": [{"name": "owner", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": op(
                    {
                        "200": {"description": "The repo", "headers": {"ETag": {"schema": {"type": "string"}, "required": True}, "X-Rate": {"schema": {"type": "integer"}}},
                                "content": {"application/json": {"schema": {"type": "object", "properties": {"full_name": {"type": "string"}}}}}},
                        "404": {"$ref": "#/components/responses/NotFound"},
                        "422": {"description": "Validation failed", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/problem"}}}},
                        "default": {"description": "error", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/problem"}}}},
                    },
                    operationId="repos/get",
                    parameters=[
                        {"name": "repo-name", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "per_page", "in": "query", "schema": {"type": "integer"}, "example": 30},
                        {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                        {"name": "Accept", "in": "header", "schema": {"type": "string"}},
                    ],
                    security=[{"bearerAuth": []}, {"key": []}],
                ),
            }
        }
        svc, files = self.imported(doc(paths, comps, security=[{"key": []}]))
        self.assertEqual(svc.base_url, "https://api.example.com/v1")
        self.assertEqual({a.id: a.type for a in svc.auth}, {"bearer_auth": "bearer", "key": "api_key"})
        self.assertIn("cookie", files["service.yaml"])
        ep = svc.endpoints[0]
        self.assertEqual(ep.id, "repos_get")
        self.assertEqual(ep.path.text, "/repos/{owner}/{repo_name}")
        self.assertEqual([(p.wire_name, p.location) for p in ep.parameters],
                         [("owner", "path"), ("repo_name", "path"), ("per_page", "query"), ("tags", "query"), ("X-Trace", "header")])
        self.assertEqual([a.id for a in ep.auth], ["bearer_auth"])
        self.assertEqual([(r.name, r.status) for r in ep.errors], [("not_found", 404), ("unprocessable_entity", 422)])
        self.assertEqual(ep.errors[0].message, "Resource not found")
        self.assertEqual(svc.envelope.message, "message")
        self.assertEqual(svc.envelope.code, "code")
        self.assertEqual(ep.media_types.error, "application/problem+json")
        self.assertEqual([(h.wire_name, h.required, str(h.type)) for h in ep.response.headers], [("ETag", True, "string"), ("X-Rate", False, "integer")])

    def test_form_body_and_other_media(self):
        paths = {
            "/token": {"post": op(ok_json({"type": "object", "properties": {"access_token": {"type": "string"}}}), operationId="token",
                                  requestBody={"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
                                      "type": "object", "required": ["grant_type"], "properties": {"grant_type": {"type": "string"}, "scope": {"type": "array", "items": {"type": "string"}}}}}}})},
            "/upload": {"post": op(operationId="upload", requestBody={"content": {"multipart/form-data": {"schema": {"type": "object"}}}})},
        }
        svc, files = self.imported(doc(paths))
        token = next(e for e in svc.endpoints if e.id == "token")
        self.assertEqual(token.media_types.request, "application/x-www-form-urlencoded")
        self.assertEqual({p.wire_name: str(p.type) for p in token.parameters}, {"grant_type": "string", "scope": "string"})
        self.assertIn("a form body carries flat values", files["token.yaml"])
        self.assertIn("multipart/form-data", files["upload.yaml"])

    def test_names_are_unique_and_usable(self):
        comps = {"schemas": {
            "reactions": {"type": "object", "properties": {"+1": {"type": "integer"}, "-1": {"type": "integer"}, "class": {"type": "string"}}},
            "string": {"type": "object", "properties": {"x": {"type": "string"}}},
            "simple-user": {"type": "object", "properties": {"login": {"type": "string"}}},
            "simple_user": {"type": "object", "properties": {"id": {"type": "integer"}}},
        }}
        schema = {"type": "object", "properties": {k: {"$ref": f"#/components/schemas/{k}"} for k in comps["schemas"]}}
        paths = {"/a": {"get": op(ok_json(schema), operationId="delete"), "post": op(operationId="delete")},
                 "/b": {"get": op(operationId="types")}, "/c/{id}": {"put": {"responses": {"204": {"description": "done"}},
                                                                            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]}}}
        svc, files = self.imported(doc(paths, comps))
        self.assertEqual(sorted(e.id for e in svc.endpoints), ["delete", "delete_2", "put_c_id", "types_op"])
        r = {f.wire_name: f.cpp_name for f in self.type_of(svc, "Reactions").fields}
        self.assertEqual(r, {"+1": "", "-1": "minus_1", "class": ""})
        names = sorted(t.name for t in svc.types)
        self.assertIn("StringType", names)
        self.assertEqual(len([n for n in names if n.startswith("SimpleUser")]), 2)
        self.assertEqual(next(e for e in svc.endpoints if e.id == "put_c_id").response.status, 204)

    def test_refused_inputs(self):
        err = self.failing(doc({"/x": {"get": op(ok_json({"$ref": "https://example.com/s.json#/X"}))}}))
        self.assertRegex(err, r"spec\.json:\d+:\d+: error: reference 'https://example.com/s.json#/X' points outside this document")
        err = self.failing({"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}})
        self.assertRegex(err, r"spec\.json:\d+:\d+: error: this is a Swagger 2.0 \(OpenAPI 2\) document")
        err = self.failing("openapi: 3.0.0\ninfo: {title: x\n", name="spec.yaml")
        self.assertRegex(err, r"spec\.yaml:\d+:\d+: error: YAML syntax error")
        err = self.failing(doc({"/x": {"get": op(ok_json({"$ref": "#/components/schemas/missing"}))}}))
        self.assertIn("reference '#/components/schemas/missing' names nothing in this document", err)

    def test_yaml_input_and_deterministic_output(self):
        text = (
            "openapi: 3.0.3\ninfo: {title: Y, version: '2'}\nservers: [{url: 'https://y.example.com'}]\n"
            "paths:\n  /items/{id}:\n    get:\n      operationId: getItem\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n"
            "      responses:\n        '200':\n          description: An item\n          content:\n            application/json:\n"
            "              schema: {type: object, properties: {id: {type: integer}, note: {type: string, nullable: true}}}\n"
            "              example: {id: 1, note: null}\n"
        )
        svc, files = self.imported(text, name="spec.yaml")
        first = dict(files)
        self.assertTrue(svc.endpoints[0].response.has_example)
        self.assertEqual(svc.versions, ["2"])
        self.assertEqual(svc.version_in, "none")
        _, again = self.imported(text, name="spec.yaml")
        self.assertEqual(first, again)

    def test_second_import_over_an_edited_folder(self):
        d = doc({"/x": {"get": op(ok_json({"type": "object", "properties": {"a": {"type": "string"}}}))}})
        spec = self.write("spec.json", d)
        out = os.path.join(self.tmp, "out")
        self.assertEqual(run("import", "openapi", spec, "--service", "svc", "--out", out)[0], 0)
        mine = os.path.join(out, "svc", "my_endpoint.yaml")
        with open(mine, "w") as f:
            f.write("endpoint: {id: mine, title: Mine, method: GET, path: /mine, response: {status: 200}}\n")
        self.assertEqual(run("import", "openapi", spec, "--service", "svc", "--out", out)[0], 0)  # user files are kept
        self.assertTrue(os.path.exists(mine))
        edited = os.path.join(out, "svc", "get_thing.yaml")
        with open(edited, "a") as f:
            f.write("# my note\n")
        rc, _, err = run("import", "openapi", spec, "--service", "svc", "--out", out)
        self.assertEqual(rc, 1)
        self.assertIn("get_thing.yaml", err)
        self.assertIn("--force", err)
        self.assertIn("# my note", read(edited))
        rc, _, err = run("import", "openapi", spec, "--service", "svc", "--out", out, "--force")
        self.assertEqual(rc, 0, err)
        self.assertIn("overwrote", err)
        self.assertNotIn("# my note", read(edited))
        self.assertTrue(os.path.exists(mine))

    def test_overlay_adds_rows_versions_and_picks_operations(self):
        paths = {
            "/users/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "get": op({"200": {"description": "ok"}, "404": {"description": "Not found"}}, operationId="getUser"),
                "patch": op(operationId="updateUser", requestBody={"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"nick": {"type": "string"}, "emails": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}, "address": {"type": "string"}}}}}}}}}),
                "delete": op(operationId="deleteUser"),
            }
        }
        overlay = self.write("overlay.yaml", (
            "overlay:\n  operations: [getUser, update_user]\n  service:\n    versions: [v1, v2]\n"
            "    errors:\n      - {name: rate_limited, status: 429, code: 1429, message: Slow down}\n"
            "  endpoints:\n    get_user:\n      errors:\n        - {name: no_such_user, status: 404, code: 2404, message: No such user}\n"
            "    update_user:\n      min_version: v2\n      update_semantics: {lists: append, item_key: id}\n"
            "      parameters:\n        - {name: nick, max_version: v2}\n"
        ))
        svc, files = self.imported(doc(paths), extra=("--overlay", overlay))
        self.assertEqual(sorted(e.id for e in svc.endpoints), ["get_user", "update_user"])
        self.assertEqual(svc.versions, ["v1", "v2"])
        get = next(e for e in svc.endpoints if e.id == "get_user")
        self.assertEqual(sorted((r.name, r.status, r.code) for r in get.errors),
                         [("no_such_user", 404, 2404), ("not_found", 404, None), ("rate_limited", 429, 1429)])
        upd = next(e for e in svc.endpoints if e.id == "update_user")
        self.assertEqual(upd.min_version, "v2")
        self.assertEqual((upd.update.lists, upd.update.item_key), ("append", "id"))
        self.assertEqual(next(p for p in upd.parameters if p.wire_name == "nick").max_version, "v2")
        bad = self.write("bad.yaml", "overlay:\n  endpoints:\n    get_usr: {min_version: v1}\n")
        rc, _, err = run("import", "openapi", os.path.join(self.tmp, "spec.json"), "--service", "svc", "--out", os.path.join(self.tmp, "o2"), "--overlay", bad)
        self.assertEqual(rc, 1)
        self.assertRegex(err, r"bad\.yaml:3:\d+: error: overlay endpoint 'get_usr' is not an imported endpoint \(did you mean 'get_user'\?\)")


def schema_folders():
    """Every valid service folder of the repository (not the deliberately broken ones)."""
    out = []
    for base in ("schemas", "tests/schemas", "tests/consumer/schemas"):
        for root, dirs, files in os.walk(os.path.join(ROOT, base)):
            dirs[:] = sorted(d for d in dirs if d != "broken")
            if "service.yaml" in files:
                out.append(root)
    return sorted(out)


class Hostile(Base):
    """Issue 17 item 5: descriptions built to exhaust time, memory or the stack are
    refused with one `file:line:col` message, JSON as YAML."""

    def failing(self, document, name="spec.json"):
        return super().failing(document, name).replace(self.tmp + os.sep, "")

    def test_json_nested_deeper_than_the_bound_is_refused_at_its_place(self):
        # The json module reads 300 levels; the bound of schema files holds here too.
        deep = {"type": "array", "items": {}}
        for _ in range(300):
            deep = {"type": "array", "items": deep}
        err = self.failing(json.dumps(doc({"/x": {"get": op(ok_json(deep))}})))
        self.assertRegex(err, r"^spec\.json:1:\d+: error: nesting deeper than 256 levels\n$")

    def test_json_too_deep_for_the_json_module_is_refused_at_its_place(self):
        # json.loads raises RecursionError near 1,000 levels.
        err = self.failing("[" * 100_000)
        self.assertEqual(err, "spec.json:1:257: error: nesting deeper than 256 levels\n")

    def test_yaml_alias_bomb_is_refused_at_the_alias(self):
        text = "openapi: 3.0.0\na: &a [x, x, x, x, x, x, x, x, x]\n"
        for prev, c in zip("abcdefgh", "bcdefghi"):
            text += f"{c}: &{c} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
        err = self.failing(text, name="spec.yaml")
        self.assertEqual(err, "spec.yaml:7:8: error: alias '*e': aliases expand to more than 100000 values (a \"billion laughs\" document?)\n")

    def test_too_large_description_is_refused_naming_its_size(self):
        spec = os.path.join(self.tmp, "spec.json")
        with open(spec, "wb") as f:
            f.truncate(300 * 1024 * 1024)  # sparse: nothing written, nothing read
        rc, _, err = run("import", "openapi", spec, "--service", "svc", "--out", os.path.join(self.tmp, "out"))
        self.assertEqual((rc, err), (1, f"{spec}:1:1: error: file is too large: 300.0 MiB (314572800 bytes); restschema reads files up to 256 MiB\n"))


class RoundTrip(Base):
    def test_export_import_export_gives_the_same_document(self):
        folders = schema_folders()
        self.assertGreaterEqual(len(folders), 7)
        for folder in folders:
            name = os.path.basename(folder)
            with self.subTest(folder=os.path.relpath(folder, ROOT)):
                first, second, imported = (os.path.join(self.tmp, name, x) for x in ("first", "second", "imported"))
                rc, _, err = run("openapi", "--out", first, folder)
                self.assertEqual(rc, 0, err)
                (doc_name,) = os.listdir(first)
                service = doc_name[: -len(".openapi.json")]
                rc, _, err = run("import", "openapi", os.path.join(first, doc_name), "--service", service, "--out", imported)
                self.assertEqual(rc, 0, err)
                rc, _, err = run("openapi", "--out", second, os.path.join(imported, service))
                self.assertEqual(rc, 0, err)
                a = json.loads(read(os.path.join(first, doc_name)))
                b = json.loads(read(os.path.join(second, doc_name)))
                self.assertEqual(json.dumps(a, indent=1, sort_keys=True).splitlines(), json.dumps(b, indent=1, sort_keys=True).splitlines())


class Real(Base):
    """Published descriptions fetched by tests/openapi/descriptions/setup.sh (pinned by its package-lock.json)."""

    MODULES = os.environ.get("RESTSCHEMA_DESCRIPTIONS", os.path.join(ROOT, "tests", "openapi", "descriptions", "node_modules"))
    DESCRIPTIONS = [
        # (service, file under node_modules, at least this many operations, OpenAPI version prefix)
        ("github", "@octokit/openapi/generated/api.github.com.json", 1000, "3.0"),
        ("rclone", "rclone-openapi/openapi.yaml", 90, "3.1"),
    ]

    def test_import_check_cpp(self):
        for service, rel, at_least, version in self.DESCRIPTIONS:
            with self.subTest(service=service):
                spec = os.path.join(self.MODULES, rel)
                self.assertTrue(os.path.exists(spec), f"{spec} is missing: run tests/openapi/descriptions/setup.sh")
                out = os.path.join(self.tmp, "schemas")
                times = []
                t0 = time.perf_counter()
                rc, _, err = run("import", "openapi", spec, "--service", service, "--out", out)
                times.append(time.perf_counter() - t0)
                self.assertEqual(rc, 0, err)
                t0 = time.perf_counter()
                rc, _, err = run("check", os.path.join(out, service))
                times.append(time.perf_counter() - t0)
                self.assertEqual(rc, 0, err[:3000])
                t0 = time.perf_counter()
                rc, _, err = run("cpp", "--out", os.path.join(self.tmp, "gen"), os.path.join(out, service))
                times.append(time.perf_counter() - t0)
                self.assertEqual(rc, 0, err[:3000])
                n = len([f for f in os.listdir(os.path.join(out, service)) if f.endswith(".yaml")]) - 1
                with open(spec, "rb") as f:
                    head = f.read(4096).decode("utf-8-sig", "replace")
                self.assertRegex(head, r"""["']?openapi["']?\s*:\s*["']?""" + version.replace(".", r"\."))
                self.assertGreaterEqual(n, at_least)
                print(f"{service}: {n} endpoints, OpenAPI {version}: import {times[0]:.2f} s, check {times[1]:.2f} s, cpp {times[2]:.2f} s, "
                      f"total {sum(times):.2f} s", file=sys.stderr)


def included(gen_root, header):
    """Every restschema/gen header that `header` includes, directly or not (paths relative to gen_root)."""
    seen, stack = set(), [header]
    while stack:
        rel = stack.pop()
        with open(os.path.join(gen_root, rel), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#include <restschema/gen/") and line.rstrip().endswith(">"):
                    inc = line.strip()[len("#include <"):-1]
                    if inc not in seen:
                        seen.add(inc)
                        stack.append(inc)
    return seen


class Scale(Base):
    """Issue 12 item 4 on GitHub's description (1,200+ operations, 1,200+ types): an
    endpoint header includes the types it uses and no others, and --endpoints
    generates only the endpoints asked for. Needs tests/openapi/descriptions/setup.sh."""

    SPEC = os.path.join(Real.MODULES, "@octokit/openapi/generated/api.github.com.json")
    ENDPOINT = "repos_update_release"  # PATCH with a JSON body; the response, Release, has 25 fields

    def import_github(self):
        self.assertTrue(os.path.exists(self.SPEC), f"{self.SPEC} is missing: run tests/openapi/descriptions/setup.sh")
        out = os.path.join(self.tmp, "schemas")
        rc, _, err = run("import", "openapi", self.SPEC, "--service", "github", "--out", out)
        self.assertEqual(rc, 0, err)
        return os.path.join(out, "github")

    def assert_only_used_types(self, gen_root, header):
        """The type headers `header` pulls in each define a type that it or another of them names."""
        types = {inc for inc in included(gen_root, header) if "/types/" in inc}
        texts = {}
        for rel in types | {header}:
            with open(os.path.join(gen_root, rel), encoding="utf-8") as f:
                texts[rel] = f.read()
        for inc in types:
            ident = os.path.basename(inc)[: -len(".hpp")]
            users = [rel for rel, text in texts.items() if rel != inc and f"::github::{ident}" in text]
            self.assertTrue(users, f"{header} includes {inc}, which nothing it includes uses")
        return types

    def test_one_endpoint_includes_only_the_types_it_uses(self):
        folder = self.import_github()
        gen = os.path.join(self.tmp, "gen")
        rc, _, err = run("cpp", "--out", gen, folder)
        self.assertEqual(rc, 0, err[:3000])
        every = os.listdir(os.path.join(gen, "restschema", "gen", "github", "types"))
        self.assertGreater(len(every), 1000)
        header = f"restschema/gen/github/{self.ENDPOINT}.hpp"
        types = self.assert_only_used_types(gen, header)
        self.assertIn("restschema/gen/github/types/release.hpp", types)
        self.assertLess(len(types), 20)
        print(f"github: {header} includes {len(types)} of {len(every)} type headers", file=sys.stderr)

    def test_endpoints_generates_only_what_was_asked(self):
        folder = self.import_github()
        gen = os.path.join(self.tmp, "gen")
        asked = [self.ENDPOINT, "users_update_authenticated"]
        rc, _, err = run("cpp", "--endpoints", ",".join(asked), "--out", gen, folder)
        self.assertEqual(rc, 0, err[:3000])
        root = os.path.join(gen, "restschema", "gen", "github")
        endpoint_headers = sorted(f for f in os.listdir(root) if f.endswith(".hpp") and f not in ("service.hpp", "types.hpp"))
        self.assertEqual(endpoint_headers, sorted([f"{a}.hpp" for a in asked] + [f"{a}.extras.hpp" for a in asked]))
        needed = set()
        for a in asked:
            needed |= self.assert_only_used_types(gen, f"restschema/gen/github/{a}.hpp")
        self.assertEqual({f"restschema/gen/github/types/{f}" for f in os.listdir(os.path.join(root, "types"))}, needed)
        # None is missing either: the endpoint header compiles on its own.
        cxx = shutil.which(os.environ.get("CXX", "g++"))
        if cxx:
            p = subprocess.run([cxx, "-std=c++20", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-I", os.path.join(ROOT, "include"),
                                "-I", gen, "-x", "c++", "-"], input=f"#include <restschema/gen/github/{self.ENDPOINT}.hpp>\n",
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr[:3000])
        rc, _, err = run("cpp", "--endpoints", "repos_update_relase", "--out", gen, folder)
        self.assertEqual(rc, 2)
        self.assertIn("no endpoint 'repos_update_relase' in the schemas (did you mean 'repos_update_release'?)", err)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1] + sys.argv[1:2], verbosity=1)
