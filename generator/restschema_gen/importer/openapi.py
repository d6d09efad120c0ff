"""`restschema-gen import openapi`: an OpenAPI 3.0 / 3.1 document -> restschema YAML files.

Writes DIR/<service>/service.yaml and one DIR/<service>/<endpoint id>.yaml per
operation, in the ordinary format (docs/schema-format.md), ready for `check`
and `cpp`. What the format cannot hold is written as a `# restschema-import:`
comment next to the decision, naming the JSON pointer of the construct.

Mapping in brief (docs/openapi-import.md has the whole table):

* $ref: local references (`#/...`) are resolved; components/schemas become
  named types (CamelCase), inline objects become named types named after
  their place (`<Parent><Property>`). Cycles (recursive and mutually
  recursive types) are cut: the field that closes a cycle is typed `json`.
  References into other files or hosts are refused (no network).
* allOf is merged into one object; oneOf / anyOf with a null alternative are
  nullable; alternatives that are one kind are that kind; a discriminated
  oneOf of objects becomes one struct with the discriminator and every
  variant's fields; anything else is `json`.
* nullable (3.0) and type arrays (3.1); string enums -> enum types; formats
  through formats.py (email, uri, date, date-time; the exporter's
  x-restschema-format); integer sizes -> integer (int64), number sizes -> number.
* readOnly fields are not sent (request side), writeOnly fields not expected
  back (response side): a type with either has a second, request-side named
  type `<Name>Input`.
* securitySchemes -> auth; servers[0] -> base_url; path, query and header
  parameters; JSON and form request bodies -> body parameters; the success
  response (lowest 2xx) with its headers; error statuses -> error rows;
  `default` and the error schema used most -> the error envelope.
* x-restschema-* extensions written by `restschema-gen openapi` are read back
  (error codes, version bounds and location, update semantics, auth places,
  sensitive, accept, formats, idempotency, optional path groups), so that an
  exported document imports to schemas that export to the same document.

Output is deterministic: paths sorted, methods in a fixed order, names derived
from the document only.
"""
from __future__ import annotations

import functools
import hashlib
import http
import json
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Optional

from .. import formats
from ..back.cpp.naming import cpp_identifier, is_reserved
from ..words import snake_case
from . import emit
from .emit import Commented, Flow

NOTE = "restschema-import:"
METHODS = ("get", "put", "post", "patch", "delete")
OTHER_METHODS = ("head", "options", "trace")
MANIFEST = ".restschema-import.json"
_OPENAPI_FORMATS = {
    "email": "email",
    "uri": "uri",
    "url": "uri",
    "date": "date",
    "date-time": "date_time",
}
_BUILTIN_CLOSE = {"String", "Integer", "Number", "Boolean", "Json", "List", "Map"}


class ImportFailure(Exception):
    """A problem that stops the import; the message is already `file:line:col: error: ...`."""


# ----------------------------------------------------------------------------- loading


class Spec:
    """The document, with positions of JSON pointers when they can be found."""

    def __init__(self, path: str, data, text: str, doc=None):
        self.path = path
        self.data = data
        self._text = text
        self._doc = doc  # the front end's Document (positions), read when a message needs one

    def where(self, pointer: str) -> str:
        """`file:line:col` of the value at a JSON pointer, or `file` when unknown."""
        if self._doc is None:
            # JSON is parsed with the json module (fast); positions only when a message needs one.
            from ..front import Diagnostics, read_text

            self._doc = read_text(self.path, self._text, Diagnostics())
        if self._doc.data is None:
            return self.path
        keys, node = [], self._doc.data
        for k in pointer_keys(pointer):  # "200" is a key of a mapping, 2 an index of a list
            k = k if isinstance(node, list) else str(k)
            keys.append(k)
            node = node[k] if isinstance(node, list) and isinstance(k, int) and k < len(node) else node.get(k) if isinstance(node, dict) else None
        p = self._doc.pos(tuple(keys))
        return f"{p.file}:{p.line}:{p.column}"

    def error(self, pointer: str, message: str) -> ImportFailure:
        return ImportFailure(f"{self.where(pointer)}: error: {message}")


def pointer_keys(pointer: str) -> list:
    return list(_pointer_keys(pointer))


@functools.lru_cache(maxsize=None)  # pure; every $ref of a large description is followed many times
def _pointer_keys(pointer: str) -> tuple:
    if pointer in ("", "#"):
        return ()
    body = pointer[2:] if pointer.startswith("#/") else pointer.lstrip("#/")
    out = []
    for part in body.split("/"):
        part = re.sub(r"%([0-9A-Fa-f]{2})", lambda mm: chr(int(mm.group(1), 16)), part)
        part = part.replace("~1", "/").replace("~0", "~")
        out.append(int(part) if part.isdigit() else part)
    return tuple(out)


def ptr(base: str, *keys) -> str:
    out = base
    for k in keys:
        out += "/" + str(k).replace("~", "~0").replace("/", "~1")
    return out


def _nests_deeper_than(data, depth: int) -> bool:
    """Whether JSON data nests more than `depth` collections (a loop, level by level)."""
    level = [data]  # the collections at depth 1, then 2, ...
    for _ in range(depth):
        level = [child for value in level for child in (value.values() if type(value) is dict else value) if type(child) in (dict, list)]
    return bool(level)


def load_spec(path: str) -> Spec:
    from ..front import MAX_DEPTH, Diagnostics, FileTooLarge, read_bytes, read_text

    try:
        raw = read_bytes(path)
    except FileTooLarge as e:
        raise ImportFailure(f"{path}:1:1: error: {e}")
    except OSError as e:
        raise ImportFailure(f"{path}: error: cannot read the OpenAPI document: {e.strerror}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ImportFailure(f"{path}:{line}:{col}: error: the OpenAPI document is not valid UTF-8")
    spec = None
    if text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ImportFailure(f"{path}:{e.lineno}:{e.colno}: error: invalid JSON: {e.msg}")
        except RecursionError:  # the json module recurses once per level
            data = None
        if data is not None and not _nests_deeper_than(data, MAX_DEPTH):
            spec = Spec(path, data, text)
    if spec is None:  # YAML, or JSON nested too deeply: the YAML loader says where the bound is crossed
        diags = Diagnostics()
        doc = read_text(path, text, diags)
        if diags:
            raise ImportFailure("\n".join(str(d) for d in diags.sorted()))
        spec = Spec(path, doc.data, text, doc)
    if not isinstance(spec.data, dict):
        raise spec.error("#", "an OpenAPI document is a mapping (with 'openapi', 'info' and 'paths')")
    if "swagger" in spec.data:
        raise spec.error(
            "#/swagger",
            f"this is a Swagger {spec.data.get('swagger')} (OpenAPI 2) document; restschema imports OpenAPI 3.0 and 3.1. "
            "Convert it first (for example with swagger2openapi), then import the result",
        )
    version = spec.data.get("openapi")
    if not isinstance(version, str) or not re.match(r"^3\.[01]\.", version + "."):
        raise spec.error("#/openapi" if "openapi" in spec.data else "#", f"unsupported OpenAPI version {version!r}: restschema imports 3.0.x and 3.1.x")
    return spec


# ----------------------------------------------------------------------------- names


@functools.lru_cache(maxsize=None)  # pure; field and endpoint names repeat across a description
def camel(name: str) -> str:
    """A CamelCase type name: kept when it is one already."""
    if re.fullmatch(r"[A-Z][A-Za-z0-9]*", name):
        return name
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    out = "".join(p[0].upper() + p[1:] for p in parts)
    if not out:
        return "Type"
    if out[0].isdigit():
        out = "T" + out
    return out


def endpoint_id(text: str) -> str:
    s = snake_case(text)
    if not s:
        return ""
    if s[0].isdigit():
        s = "op_" + s
    return s


def _sentence_suffix_stripped(desc: str, fmt: str) -> str:
    if fmt and fmt in formats.BY_NAME:
        note = formats.BY_NAME[fmt].openapi_description
        if note and desc.endswith(note):
            desc = desc[: -len(note)].rstrip()
    return desc


# ----------------------------------------------------------------------------- types


@dataclass
class T:
    """A type expression under construction: kind in string/integer/number/boolean/json/list/map/named."""

    kind: str
    item: Optional["T"] = None
    name: str = ""  # named

    def expr(self) -> str:
        if self.kind == "list":
            return f"list<{self.item.expr()}>"
        if self.kind == "map":
            return f"map<string, {self.item.expr()}>"
        if self.kind == "named":
            return self.name
        return self.kind

    def named(self):
        if self.kind in ("list", "map"):
            return self.item.named()
        return [self.name] if self.kind == "named" else []


@dataclass
class Conv:
    t: T
    nullable: bool = False
    fmt: str = ""
    notes: list = field(default_factory=list)
    const: Any = None


@dataclass
class FieldOut:
    name: str
    t: T
    required: bool = False
    nullable: bool = False
    fmt: str = ""
    description: str = ""
    example: Any = None
    has_example: bool = False
    extra: dict = field(default_factory=dict)  # min_version, max_version, accept, sensitive, const, cpp_name, in
    notes: list = field(default_factory=list)

    def data(self) -> dict:
        d = {"name": self.name}
        if "in" in self.extra:
            d["in"] = self.extra["in"]
        d["type"] = self.t.expr()
        if self.required:
            d["required"] = True
        if self.nullable:
            d["nullable"] = True
        if self.fmt:
            d["format"] = self.fmt
        for k in ("const", "accept", "sensitive", "min_version", "max_version", "cpp_name"):
            if k in self.extra:
                d[k] = self.extra[k]
        if self.description:
            d["description"] = self.description
        if self.has_example:
            d["example"] = Flow(self.example) if isinstance(self.example, (dict, list)) else self.example
        return d


@dataclass
class TypeOut:
    name: str
    kind: str  # struct / enum
    description: str = ""
    fields: list = field(default_factory=list)  # FieldOut
    values: list = field(default_factory=list)  # enum
    exactly_one_of: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    source: str = ""  # JSON pointer


@dataclass
class Options:
    service: str
    base_url: str = ""


class Importer:
    def __init__(self, spec: Spec, opts: Options):
        self.spec = spec
        self.doc = spec.data
        self.opts = opts
        self.types = {}  # name -> TypeOut
        self.type_names = {}  # (pointer, view) -> name
        self.cpp_taken = {}  # C++ identifier -> owner
        self.resolving = []  # pointers being converted (alias cycles)
        self.asym_memo = {}
        self.notes_count = 0
        self.x_versions = (self.doc.get("info") or {}).get("x-restschema-versions")

    # -------------------------------------------------------------- references
    def deref(self, s, where: str):
        """(schema, pointer) after following $ref chains (3.1 siblings of $ref kept, the referrer's winning)."""
        seen = []
        siblings = {}
        while isinstance(s, dict) and isinstance(s.get("$ref"), str):
            ref = s["$ref"]
            siblings = {**{k: v for k, v in s.items() if k != "$ref"}, **siblings}
            if not ref.startswith("#"):
                raise self.spec.error(
                    ptr(where, "$ref"),
                    f"reference '{ref}' points outside this document; restschema imports one self-contained "
                    "document and fetches nothing: bundle the description first (for example `redocly bundle`)",
                )
            if ref in seen:
                raise self.spec.error(ptr(where, "$ref"), f"reference '{ref}' refers to itself through {' -> '.join(seen)}")
            seen.append(ref)
            target = self.doc
            for k in pointer_keys(ref):
                if isinstance(target, dict) and k in target:
                    target = target[k]
                elif isinstance(target, dict) and str(k) in target:
                    target = target[str(k)]
                elif isinstance(target, list) and isinstance(k, int) and k < len(target):
                    target = target[k]
                else:
                    raise self.spec.error(ptr(where, "$ref"), f"reference '{ref}' names nothing in this document")
            s, where = target, ref
        if siblings and isinstance(s, dict):
            s = {**s, **siblings}
        return s, where

    def component_pointer(self, s) -> Optional[str]:
        if isinstance(s, dict) and isinstance(s.get("$ref"), str) and re.fullmatch(r"#/components/schemas/[^/]+", s["$ref"]):
            return s["$ref"]
        return None

    # -------------------------------------------------------------- names
    def new_type_name(self, base: str, owner: str) -> str:
        base = camel(base)
        if base in _BUILTIN_CLOSE:
            base += "Type"
        name, n = base, 1
        while name in self.types or cpp_identifier(name) in self.cpp_taken or name in _BUILTIN_CLOSE:
            n += 1
            name = f"{base}{n}"
        self.cpp_taken[cpp_identifier(name)] = owner
        self.cpp_taken[cpp_identifier(name) + "_part0"] = owner
        return name

    # -------------------------------------------------------------- readOnly / writeOnly
    def asymmetric(self, s, where: str, stack=()) -> bool:
        """Whether the schema (through references) has readOnly or writeOnly properties."""
        key = where if isinstance(s, dict) and "$ref" in s else None
        if isinstance(s, dict) and isinstance(s.get("$ref"), str):
            ref = s["$ref"]
            if ref in self.asym_memo:
                return self.asym_memo[ref]
            if ref in stack or not ref.startswith("#"):
                return False
            target, tw = self.deref(s, where)
            out = self.asymmetric(target, tw, stack + (ref,))
            self.asym_memo[ref] = out
            return out
        if not isinstance(s, dict):
            return False
        for k, sub in (s.get("properties") or {}).items():
            if isinstance(sub, dict):
                t, _ = self.deref(sub, where) if "$ref" in sub else (sub, where)
                if isinstance(t, dict) and (t.get("readOnly") or t.get("writeOnly") or sub.get("readOnly") or sub.get("writeOnly")):
                    return True
                if self.asymmetric(sub, ptr(where, "properties", k), stack):
                    return True
        for kw in ("items", "additionalProperties"):
            if isinstance(s.get(kw), dict) and self.asymmetric(s[kw], ptr(where, kw), stack):
                return True
        for kw in ("allOf", "oneOf", "anyOf"):
            for i, sub in enumerate(s.get(kw) or []):
                if self.asymmetric(sub, ptr(where, kw, i), stack):
                    return True
        del key
        return False

    # -------------------------------------------------------------- schema -> type
    def conv(self, s, where: str, ctx: str, view: str) -> Conv:
        comp = self.component_pointer(s)
        if comp is not None:
            siblings = {k: v for k, v in s.items() if k != "$ref"}
            target, tw = self.deref({"$ref": comp}, where)
            kind = self.shape(target)
            if kind in ("struct", "enum"):
                c = Conv(T("named", name=self.component_type(comp, target, view)))
            else:
                if comp in self.resolving:
                    return Conv(T("json"), notes=[f"{NOTE} {comp} refers to itself; typed json"])
                self.resolving.append(comp)
                try:
                    c = self.conv(target, tw, camel(comp.rsplit("/", 1)[1]), view)
                finally:
                    self.resolving.pop()
            if siblings.get("nullable") is True:
                c.nullable = True
            return c
        if isinstance(s, dict) and "$ref" in s:
            target, tw = self.deref(s, where)
            if tw in self.resolving:
                return Conv(T("json"), notes=[f"{NOTE} {tw} refers to itself; typed json"])
            self.resolving.append(tw)
            try:
                return self.conv(target, tw, ctx, view)
            finally:
                self.resolving.pop()
        if s is True or s == {} or not isinstance(s, dict):
            return Conv(T("json"))
        nullable = s.get("nullable") is True
        # allOf: merged into one object (or the one part it holds).
        if isinstance(s.get("allOf"), list) and s["allOf"]:
            parts = s["allOf"]
            rest = {k: v for k, v in s.items() if k not in ("allOf", "description", "nullable", "example", "examples", "title")}
            if len(parts) == 1 and not rest:
                c = self.conv(parts[0], ptr(where, "allOf", 0), ctx, view)
                c.nullable = c.nullable or nullable
                return c
            merged = self.merge_all_of(s, where)
            if merged is None:
                return Conv(T("json"), nullable=nullable, notes=[f"{NOTE} allOf at {where} does not merge into one object; typed json"])
            name = self.inline_struct(merged, where, ctx, view)
            return Conv(T("named", name=name), nullable=nullable)
        for kw in ("oneOf", "anyOf"):
            alts = s.get(kw)
            if isinstance(alts, list) and alts and not self.only_required(alts):
                return self.conv_alternatives(s, kw, where, ctx, view, nullable)
        types = s.get("type")
        if isinstance(types, list):
            non_null = [x for x in types if x != "null"]
            nullable = nullable or "null" in types
            if set(non_null) == {"integer", "number"}:
                non_null = ["number"]
            if len(non_null) != 1:
                if not non_null:
                    return Conv(T("json"), nullable=True)
                return Conv(T("json"), nullable=nullable, notes=[f"{NOTE} {where} is one of {', '.join(map(str, non_null))}; typed json"])
            types = non_null[0]
        if "enum" in s and isinstance(s["enum"], list):
            return self.conv_enum(s, where, ctx, types, nullable)
        if "const" in s:
            v = s["const"]
            if isinstance(v, str):
                return Conv(T("string"), nullable=nullable, const=v)
            if v is None:
                return Conv(T("json"), nullable=True)
        if types is None:
            if "properties" in s or "additionalProperties" in s:
                types = "object"
            elif "items" in s:
                types = "array"
        if types == "object":
            if "properties" in s:
                name = self.inline_struct(s, where, ctx, view)
                return Conv(T("named", name=name), nullable=nullable)
            ap = s.get("additionalProperties")
            if isinstance(ap, dict) and ap:
                c = self.conv(ap, ptr(where, "additionalProperties"), ctx + "Value", view)
                notes = list(c.notes)
                if c.nullable and c.t.kind != "json":
                    notes.append(f"{NOTE} the values at {where}/additionalProperties may be null; a map's values cannot: typed json")
                    return Conv(T("map", item=T("json")), nullable=nullable, notes=notes)
                return Conv(T("map", item=c.t), nullable=nullable, notes=notes)
            return Conv(T("json"), nullable=nullable)
        if types == "array":
            items = s.get("items")
            if items is None or items is True or items == {}:
                return Conv(T("list", item=T("json")), nullable=nullable)
            c = self.conv(items, ptr(where, "items"), ctx + "Item", view)
            notes = list(c.notes)
            if c.nullable and c.t.kind != "json":
                notes.append(f"{NOTE} the items at {where}/items may be null; list items cannot: typed json")
                return Conv(T("list", item=T("json")), nullable=nullable, notes=notes)
            return Conv(T("list", item=c.t), nullable=nullable, notes=notes)
        if types == "string":
            fmt = s.get("x-restschema-format")
            if fmt not in formats.BY_NAME or formats.BY_NAME[fmt].json_type != "string":
                fmt = _OPENAPI_FORMATS.get(s.get("format"), "")
            return Conv(T("string"), nullable=nullable, fmt=fmt)
        if types == "integer":
            fmt = s.get("x-restschema-format")
            notes = []
            if s.get("format") == "uint64":
                notes.append(f"{NOTE} {where} is a uint64; restschema integers are int64")
            return Conv(T("integer"), nullable=nullable, fmt=fmt if fmt in formats.BY_NAME and formats.BY_NAME[fmt].json_type == "integer" else "", notes=notes)
        if types in ("number", "boolean"):
            return Conv(T(types), nullable=nullable)
        if types == "null":
            return Conv(T("json"), nullable=True)
        return Conv(T("json"), nullable=nullable)

    @staticmethod
    def only_required(alts) -> bool:
        """oneOf: [{required: [a]}, {required: [b]}]: the exactly-one-of form, not alternatives of type."""
        return all(isinstance(a, dict) and set(a) == {"required"} for a in alts)

    def conv_alternatives(self, s, kw, where, ctx, view, nullable) -> Conv:
        alts = s[kw]
        real = []
        for i, a in enumerate(alts):
            d, _ = self.deref(a, ptr(where, kw, i)) if isinstance(a, dict) and "$ref" in a else (a, None)
            if isinstance(d, dict) and (d.get("type") == "null" or d.get("enum") == [None]):
                nullable = True
                continue
            real.append((i, a))
        if len(real) == 1:
            i, a = real[0]
            c = self.conv(a, ptr(where, kw, i), ctx, view)
            c.nullable = c.nullable or nullable
            return c
        if not real:
            return Conv(T("json"), nullable=True)
        # Objects told apart by a discriminator: one struct with every variant's fields.
        disc = s.get("discriminator")
        if isinstance(disc, dict) and isinstance(disc.get("propertyName"), str):
            merged = self.merge_discriminated(s, kw, real, where, disc["propertyName"])
            if merged is not None:
                name = self.inline_struct(merged, where, ctx, view)
                c = Conv(T("named", name=name), nullable=nullable)
                c.notes.append(
                    f"{NOTE} {where}: {kw} of {len(real)} objects told apart by '{disc['propertyName']}' is one type "
                    "with the fields of every variant (all optional but the discriminator)"
                )
                return c
        convs = [self.conv(a, ptr(where, kw, i), ctx + f"Variant{n + 1}", view) for n, (i, a) in enumerate(real)]
        kinds = {c.t.expr() for c in convs}
        if len(kinds) == 1 and convs[0].t.kind in ("string", "integer", "number", "boolean"):
            return Conv(convs[0].t, nullable=nullable or any(c.nullable for c in convs))
        if kinds <= {"integer", "number"}:
            return Conv(T("number"), nullable=nullable or any(c.nullable for c in convs))
        return Conv(T("json"), nullable=nullable, notes=[f"{NOTE} {kw} at {where} has {len(real)} alternatives ({', '.join(sorted(kinds))}); typed json"])

    def object_parts(self, s, where, depth=0):
        """(properties, required, description) of an object schema, allOf merged; None when not an object."""
        if depth > 32:
            return None
        s, where = self.deref(s, where) if isinstance(s, dict) and "$ref" in s else (s, where)
        if not isinstance(s, dict):
            return None
        props, required = {}, []
        if isinstance(s.get("allOf"), list):
            for i, part in enumerate(s["allOf"]):
                got = self.object_parts(part, ptr(where, "allOf", i), depth + 1)
                if got is None:
                    return None
                p, r, _ = got
                for k, v in p.items():
                    props[k] = v
                required += [x for x in r if x not in required]
        t = s.get("type")
        if t not in (None, "object") and not (isinstance(t, list) and "object" in t):
            return None
        if "properties" not in s and not props and not isinstance(s.get("allOf"), list):
            if t != "object":
                return None
        for k, v in (s.get("properties") or {}).items():
            props[k] = (v, ptr(where, "properties", k))
        required += [x for x in (s.get("required") or []) if isinstance(x, str) and x not in required]
        return props, required, s.get("description", "")

    def merge_all_of(self, s, where):
        got = self.object_parts(s, where)
        if got is None:
            return None
        props, required, desc = got
        return {"type": "object", "properties": props, "required": required, "description": s.get("description", desc), "_merged": True}

    def merge_discriminated(self, s, kw, real, where, prop):
        props, tags = {}, []
        for i, a in real:
            got = self.object_parts(a, ptr(where, kw, i))
            if got is None:
                return None
            p, _, _ = got
            for k, v in p.items():
                props.setdefault(k, v)
        if prop not in props:
            return None
        mapping = (s.get("discriminator") or {}).get("mapping") or {}
        tags = sorted(k for k in mapping if isinstance(k, str))
        return {"type": "object", "properties": props, "required": [prop], "description": s.get("description", ""), "_merged": True, "_tags": (prop, tags)}

    def conv_enum(self, s, where, ctx, types, nullable) -> Conv:
        values = []
        for v in s["enum"]:
            if v is None:
                nullable = True
            elif v not in values:
                values.append(v)
        if not values:
            return Conv(T("json"), nullable=True)
        if all(isinstance(v, str) for v in values):
            idents = [cpp_identifier(v) for v in values]
            if "" in idents or len(set(idents)) != len(idents) or "unrecognized" in idents and "unrecognized_value" in idents:
                return Conv(T("string"), nullable=nullable, notes=[f"{NOTE} {where}: enum values {', '.join(map(repr, values))} do not all give distinct C++ names; typed string"])
            if where.startswith("#/components/schemas/") and where.count("/") == 3:
                name = self.type_names.get((where, "read")) or self.new_type_name(where.rsplit("/", 1)[1], where)
                self.type_names[(where, "read")] = self.type_names[(where, "write")] = name
            else:
                key = ("enum",) + tuple(values)
                name = self.type_names.get(key)
                if name is None:
                    name = self.new_type_name(ctx, where)
                    self.type_names[key] = name
            if name not in self.types:
                self.types[name] = TypeOut(name, "enum", description=(s.get("description") or "").strip(), values=values, source=where)
            return Conv(T("named", name=name), nullable=nullable)
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return Conv(T("integer"), nullable=nullable, notes=[f"{NOTE} {where}: one of {', '.join(map(str, values))} (the format's enums are strings)"])
        kind = types if types in ("number", "boolean", "string") else "json"
        return Conv(T(kind), nullable=nullable, notes=[f"{NOTE} {where}: enum of {', '.join(json.dumps(v) for v in values)} not kept"])

    def shape(self, s) -> str:
        """What a component becomes: struct, enum, or alias (inlined where used)."""
        if not isinstance(s, dict):
            return "alias"
        if isinstance(s.get("allOf"), list) and len(s["allOf"]) > 1:
            return "struct" if self.object_parts(s, "#") is not None else "alias"
        if isinstance(s.get("allOf"), list) and len(s["allOf"]) == 1 and "properties" in s:
            return "struct"
        for kw in ("oneOf", "anyOf"):
            if isinstance(s.get(kw), list) and s[kw] and not self.only_required(s[kw]):
                return "alias"
        t = s.get("type")
        if isinstance(t, list):
            non_null = [x for x in t if x != "null"]
            t = non_null[0] if len(non_null) == 1 else None
        if "enum" in s and isinstance(s["enum"], list):
            vals = [v for v in s["enum"] if v is not None]
            return "enum" if vals and all(isinstance(v, str) for v in vals) else "alias"
        if "properties" in s and t in (None, "object"):
            return "struct"
        return "alias"

    def component_type(self, comp: str, target, view: str) -> str:
        """The named type of a component in a view ('read': responses, 'write': requests)."""
        v = view if self.asymmetric({"$ref": comp}, comp) else "read"
        key = (comp, v)
        name = self.type_names.get(key)
        if name is not None:
            return name
        base = comp.rsplit("/", 1)[1]
        if self.shape(target) == "enum":
            return self.conv_enum(target, comp, camel(base), target.get("type"), False).t.name
        name = self.new_type_name(base + ("Input" if v == "write" else ""), comp)
        self.type_names[key] = name
        s = target
        if isinstance(s.get("allOf"), list):
            s = self.merge_all_of(s, comp) or s
        self.define_struct(name, s, comp, v)
        return name

    def inline_struct(self, s, where, ctx, view) -> str:
        key = (where, view if self.asymmetric(s, where) else "read")
        name = self.type_names.get(key)
        if name is None:
            name = self.new_type_name(ctx, where)
            self.type_names[key] = name
            self.define_struct(name, s, where, key[1])
        return name

    def define_struct(self, name, s, where, view) -> None:
        t = TypeOut(name, "struct", description=(s.get("description") or "").strip() if isinstance(s.get("description"), str) else "", source=where)
        self.types[name] = t  # before the fields: a cycle finds the name
        required = [r for r in (s.get("required") or []) if isinstance(r, str)]
        eoo = s.get("x-restschema-exactly-one-of")
        if not eoo and isinstance(s.get("oneOf"), list) and self.only_required(s["oneOf"]):
            eoo = [a["required"][0] for a in s["oneOf"] if len(a["required"]) == 1]
        props = s.get("properties") or {}
        tags = s.get("_tags")
        for k, sub in props.items():
            if isinstance(sub, tuple):
                sub, sw = sub
            else:
                sw = ptr(where, "properties", k)
            f = self.field(k, sub, sw, name + camel(k), view, required=k in required)
            if f is None:
                continue
            if tags and k == tags[0]:
                f.t = T("string")
                if tags[1]:
                    f.notes.append(f"{NOTE} one of {', '.join(tags[1])}: the variant")
            t.fields.append(f)
        if eoo and isinstance(eoo, list):
            wires = {f.name for f in t.fields}
            t.exactly_one_of = [w for w in eoo if w in wires]
            for f in t.fields:
                if f.name in t.exactly_one_of:
                    f.required = False
        self.fix_member_names(t.fields, cpp_identifier(name))

    def field(self, k, sub, sw, ctx, view, required=False) -> Optional[FieldOut]:
        raw, _ = self.deref(sub, sw) if isinstance(sub, dict) and "$ref" in sub else (sub, sw)
        flags = raw if isinstance(raw, dict) else {}
        if view == "write" and (flags.get("readOnly") or (isinstance(sub, dict) and sub.get("readOnly"))):
            return None
        if view == "read" and (flags.get("writeOnly") or (isinstance(sub, dict) and sub.get("writeOnly"))):
            return None
        c = self.conv(sub, sw, ctx, view)
        f = FieldOut(k, c.t, required=required, nullable=c.nullable, fmt=c.fmt if c.t.kind in ("string", "integer") else "")
        f.notes += c.notes
        own = sub if isinstance(sub, dict) else {}
        desc = own.get("description") if isinstance(own.get("description"), str) else ""
        if not desc and "$ref" not in own and isinstance(flags.get("description"), str):
            desc = flags["description"]
        f.description = _sentence_suffix_stripped(desc.strip(), own.get("x-restschema-format", ""))
        self.read_extensions(own, f)
        if c.const is not None:
            f.extra["const_value"] = c.const
        ex = self.example_of(own if own else flags)
        if ex is not None:
            f.has_example, f.example = True, ex[0]
        return f

    @staticmethod
    def example_of(s):
        """(value,) of a schema's example (3.0 `example`, 3.1 `examples[0]`), or None."""
        if not isinstance(s, dict):
            return None
        if "example" in s:
            return (s["example"],)
        if isinstance(s.get("examples"), list) and s["examples"]:
            return (s["examples"][0],)
        return None

    def read_extensions(self, own: dict, f: FieldOut) -> None:
        versions = self.x_versions or []
        for key, ext in (("min_version", "x-restschema-min-version"), ("max_version", "x-restschema-max-version")):
            if isinstance(own.get(ext), str) and own[ext] in versions:
                f.extra[key] = own[ext]
        acc = own.get("x-restschema-accept")
        if isinstance(acc, list) and acc:
            f.extra["accept"] = [a for a in acc if a in ("string", "integer", "number", "boolean")]
        if own.get("x-restschema-sensitive") is True:
            f.extra["sensitive"] = True

    @staticmethod
    def fix_member_names(fields, owner_ident: str, taken=None) -> None:
        """cpp_name for fields whose derived C++ names clash or derive nothing (`+1` and `-1`)."""
        taken = dict(taken or {})
        for f in fields:
            if "cpp_name" in f.extra:
                taken[f.extra["cpp_name"]] = f
                continue
            ident = cpp_identifier(f.name)
            if ident == owner_ident:
                ident += "_"
            if ident and ident not in taken:
                taken[ident] = f
                continue
            base = ident or "field"
            if f.name.startswith("+"):
                base = "plus_" + (snake_case(f.name[1:]) or "field")
            elif f.name.startswith("-"):
                base = "minus_" + (snake_case(f.name[1:]) or "field")
            cand, n = base, 1
            while cand in taken or is_reserved(cand):
                n += 1
                cand = f"{base}_{n}"
            f.extra["cpp_name"] = cand
            f.notes.append(f"{NOTE} '{f.name}' needs its own C++ name")
            taken[cand] = f


# ----------------------------------------------------------------------------- the document


def _status_name(status: int) -> str:
    try:
        return snake_case(http.HTTPStatus(status).phrase)
    except ValueError:
        return f"status_{status}"


def _is_json_media(t: str) -> bool:
    t = t.split(";")[0].strip().lower()
    return t == "application/json" or (t.startswith("application/") and t.endswith("+json"))


def _media_key(t: str) -> str:
    return t.split(";")[0].strip()


class DocumentImporter(Importer):
    def run(self):
        self.skipped = []
        d = self.doc
        info = d.get("info") if isinstance(d.get("info"), dict) else {}
        self.version_in = {"in": "path"} if self.x_versions else {"in": "none"}
        vin = info.get("x-restschema-version")
        if isinstance(vin, dict) and vin.get("in") in ("path", "header", "query", "none"):
            self.version_in = {k: v for k, v in vin.items() if k in ("in", "name") and isinstance(v, str)}
        self.versions = list(self.x_versions) if isinstance(self.x_versions, list) and self.x_versions else [str(info.get("version") or "v1")]
        self.auth = {}  # id -> scheme data
        self.auth_notes = {}
        self.security_ids = {}
        self.read_security()
        self.endpoints = []  # (id, data dict, notes, pointer)
        self.used_ids = set()
        self.envelope = None
        self.error_refs = {}
        self.request_examples = {}  # endpoint id -> the body example
        self.error_examples = {}  # endpoint id -> (status, body) that is no row's own
        ops = self.operations()
        self.plan_ids(ops)
        self.find_envelope(ops)
        self.env = self.envelope_data()
        for op in ops:
            self.endpoint(op)
        self.break_cycles()
        return self.service_data(info)

    # ---------------------------------------------------------------- security
    def read_security(self):
        schemes = ((self.doc.get("components") or {}).get("securitySchemes")) or {}
        for name in sorted(schemes):
            where = ptr("#/components/securitySchemes", name)
            s, _ = self.deref(schemes[name], where)
            aid = endpoint_id(name) or "auth"
            while aid in self.auth:
                aid += "_2"
            self.security_ids[name] = aid
            typ, st = s.get("type"), s.get("x-restschema-auth-type")
            desc = (s.get("description") or "").strip()
            notes = []
            if st == "http_basic_token":
                note = "The token is sent as issued (it is already the encoded credential): `Authorization: Basic <token>`."
                desc = desc[: -len(note)].strip() if desc.endswith(note) else desc
                out = {"type": "http_basic_token"}
            elif typ == "http" and str(s.get("scheme", "")).lower() == "basic":
                out = {"type": "http_basic"}
            elif typ == "http" and str(s.get("scheme", "")).lower() == "bearer":
                out = {"type": "bearer"}
            elif typ == "apiKey" and s.get("in") in ("header", "query"):
                out = {"type": "api_key", "in": s["in"], "name": str(s.get("name", name))}
            elif typ in ("oauth2", "openIdConnect"):
                out = {"type": "bearer"}
                notes.append(f"{NOTE} {where} is {typ}: its access token is sent as a bearer token; obtaining it is up to the caller")
            else:
                notes.append(f"{NOTE} {where} ({typ} {s.get('in') or s.get('scheme') or ''}) is not an auth scheme restschema sends; left out")
                self.security_ids[name] = None
                self.auth_notes[aid] = notes
                continue
            if desc:
                out["description"] = desc
            self.auth[aid] = out
            self.auth_notes[aid] = notes

    def op_auth(self, op, where, notes):
        xa = op.get("x-restschema-auth")
        if isinstance(xa, list) and xa:
            ids = []
            for a in xa:
                if not isinstance(a, dict) or not isinstance(a.get("id"), str):
                    continue
                if a.get("in") in ("path", "body"):
                    self.auth.setdefault(a["id"], {"type": "api_key", "in": a["in"], "name": str(a.get("name"))})
                ids.append(a["id"])
            return ids
        sec = op.get("security", self.doc.get("security"))
        if not isinstance(sec, list) or not sec:
            return []
        first = next((r for r in sec if isinstance(r, dict) and r), None)
        if first is None:
            return []
        if len([r for r in sec if isinstance(r, dict)]) > 1:
            notes.append(f"{NOTE} {where}/security offers {len(sec)} alternatives; the first is used: {', '.join(first)}")
        ids = []
        for name in first:
            aid = self.security_ids.get(name)
            if aid:
                ids.append(aid)
            elif name not in self.security_ids:
                raise self.spec.error(ptr(where, "security"), f"security scheme '{name}' is not in components/securitySchemes")
        return ids

    # ---------------------------------------------------------------- operations
    def operations(self):
        paths = self.doc.get("paths") or {}
        if not isinstance(paths, dict):
            raise self.spec.error("#/paths", "'paths' must be a mapping")
        out = []
        for path in sorted(paths):
            where_p = ptr("#/paths", path)
            item, _ = self.deref(paths[path], where_p)
            if not isinstance(item, dict):
                continue
            for method in METHODS:
                if isinstance(item.get(method), dict):
                    out.append((path, method, item, ptr(where_p, method)))
            for method in OTHER_METHODS:
                if isinstance(item.get(method), dict):
                    self.skipped.append(f"{ptr(where_p, method)}: {method.upper()} is not a method restschema describes")
        return out

    skipped: list = []

    def plan_ids(self, ops):
        self.ids = {}
        for path, method, item, where in ops:
            op = item[method]
            base = endpoint_id(op.get("operationId") or "") if isinstance(op.get("operationId"), str) else ""
            if not base:
                base = endpoint_id(method + " " + re.sub(r"[{}]", " ", path)) or method
            if base == "types" or base in ("service", "endpoints", "error_body"):
                base += "_op"
            eid, n = base, 1
            while eid in self.used_ids:
                n += 1
                eid = f"{base}_{n}"
            self.used_ids.add(eid)
            self.ids[where] = eid
            for suffix in ("", "_request", "_error", "_response_headers"):
                self.cpp_taken[cpp_identifier(eid + suffix)] = f"endpoint {eid}"

    # ---------------------------------------------------------------- error envelope
    def find_envelope(self, ops):
        env_schema = ((self.doc.get("components") or {}).get("schemas") or {}).get("error_body")
        if isinstance(env_schema, dict) and isinstance(env_schema.get("x-restschema-error-envelope"), dict):
            self.envelope = ("#/components/schemas/error_body", env_schema, env_schema["x-restschema-error-envelope"])
            return
        counts = {}
        for path, method, item, where in ops:
            for status, resp in sorted((item[method].get("responses") or {}).items()):
                st = str(status)
                if not (st == "default" or st[:1] in ("4", "5")):
                    continue
                r, _ = self.deref(resp, ptr(where, "responses", st))
                for mt, media in sorted(((r or {}).get("content") or {}).items()):
                    if _is_json_media(mt) and isinstance(media, dict):
                        comp = self.component_pointer(media.get("schema"))
                        if comp:
                            counts[comp] = counts.get(comp, 0) + 1
        best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        for comp, _ in best:
            target, _ = self.deref({"$ref": comp}, comp)
            if self.shape(target) == "struct" and not isinstance(target.get("allOf"), list):
                props = target.get("properties") or {}
                roles = {}
                for cand in ("code", "error_code", "errorCode"):
                    p = props.get(cand)
                    if isinstance(p, dict) and p.get("type") in ("integer", "string"):
                        roles["code"] = cand
                        break
                for cand in ("message", "error_description", "detail", "error", "title", "msg"):
                    p = props.get(cand)
                    if isinstance(p, dict) and p.get("type") == "string":
                        roles["message"] = cand
                        break
                for cand in ("documentation_url", "details", "errors"):
                    if cand in props and cand not in roles.values():
                        roles["details"] = cand
                        break
                self.envelope = (comp, target, roles)
                return

    def envelope_data(self):
        if self.envelope is None:
            return None
        where, s, roles = self.envelope
        fields = []
        required = [r for r in (s.get("required") or []) if isinstance(r, str)]
        for k, sub in (s.get("properties") or {}).items():
            f = self.field(k, sub, ptr(where, "properties", k), "ErrorBody" + camel(k), "read", required=k in required)
            if f is not None:
                fields.append(f)
        self.fix_member_names(fields, "error_body")
        wires = {f.name: f for f in fields}
        out = {"fields": fields}
        for role in ("code", "message", "details"):
            w = roles.get(role)
            if isinstance(w, str) and w in wires:
                f = wires[w]
                if role == "code" and (f.t.kind not in ("integer", "string")):
                    continue
                if role == "message" and f.t.kind != "string":
                    continue
                out[role] = w
        return out

    # ---------------------------------------------------------------- one endpoint
    def endpoint(self, op_tuple):
        path, method, item, where = op_tuple
        op = item[method]
        eid = self.ids[where]
        notes = []
        data = {"id": eid}
        title = op.get("summary") if isinstance(op.get("summary"), str) and op["summary"].strip() else eid.replace("_", " ").capitalize()
        data["title"] = title.strip().splitlines()[0]
        desc = op.get("description") if isinstance(op.get("description"), str) else ""
        groups = op.get("x-restschema-optional-groups") if isinstance(op.get("x-restschema-optional-groups"), list) else []
        if groups:
            desc = re.sub(r"\n*The schema's path is `[^`]*`\. OpenAPI cannot express the optional .*?its placeholders have values\.$", "", desc, flags=re.S)
        fx = op.get("x-restschema-formats")
        if isinstance(fx, dict):
            # The exporter's sentence about the formats: the extension says it.
            desc = re.sub(r"\n*Formats: [^\n]*(listed under the responses\.|as Rails' `to_xml` writes it\)\.)$", "", desc, flags=re.S)
        if title.strip() != data["title"]:
            desc = (title.strip() + "\n\n" + desc).strip()
        if desc.strip():
            data["description"] = desc.strip() + ("\n" if "\n" in desc.strip() else "")
            if "\n" not in desc.strip():
                data["description"] = desc.strip()
        data["method"] = method.upper()

        # Parameters: the path item's, overridden by the operation's (by name and place).
        raw_params = {}
        for src, base in ((item.get("parameters"), ptr(where.rsplit("/", 1)[0], "parameters")), (op.get("parameters"), ptr(where, "parameters"))):
            for i, p in enumerate(src or []):
                pw = ptr(base, i)
                pd, _ = self.deref(p, pw)
                if isinstance(pd, dict) and isinstance(pd.get("name"), str):
                    raw_params[(pd["name"], pd.get("in"))] = (pd, pw)
        template = op.get("x-restschema-path") if isinstance(op.get("x-restschema-path"), str) else path
        auth_ids = self.op_auth(op, where, notes)
        auth_places = {(self.auth[a].get("in"), self.auth[a].get("name")) for a in auth_ids if a in self.auth and self.auth[a]["type"] == "api_key"}
        params, renames = [], {}
        version_name = self.version_in.get("name", "").lower()
        idem_key = op.get("x-restschema-idempotency-key") if isinstance(op.get("x-restschema-idempotency-key"), str) else ""
        for (name, loc), (pd, pw) in raw_params.items():
            if loc == "cookie":
                notes.append(f"{NOTE} cookie parameter '{name}' ({pw}) is not sent by restschema; left out")
                continue
            if loc not in ("path", "query", "header"):
                continue
            if pd.get("x-restschema-auth") or (loc, name) in auth_places:
                self.credential_description(pd.get("x-restschema-auth"), pd.get("description"))
                continue
            if loc == "path" and name == "version" and self.version_in.get("in") == "path" and self.x_versions:
                continue
            if loc in ("header", "query") and name.lower() == version_name and self.version_in.get("in") == loc:
                continue
            if loc == "header" and name.lower() in ("content-type", "accept", "authorization"):
                notes.append(f"{NOTE} header parameter '{name}' ({pw}) is left out: the media types and auth schemes send it")
                continue
            if loc == "header" and idem_key and name.lower() == idem_key.lower() and pd.get("description", "").startswith("Idempotency key: one per call"):
                continue
            wire = name
            if loc == "path" and (not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name == "version"):
                wire = (re.sub(r"[^A-Za-z0-9_]", "_", name) or "param").lstrip("0123456789") or "param"
                if wire == "version":
                    wire = "version_"
                renames[name] = wire
                notes.append(f"{NOTE} path parameter '{name}' is '{{{wire}}}' here (a placeholder is an identifier)")
            f = self.parameter(wire, loc, pd, pw, eid)
            if f is not None:
                params.append(f)
        for a in (op.get("x-restschema-optional-parameters") or []):
            if isinstance(a, dict) and a.get("in") == "path" and isinstance(a.get("name"), str):
                if a.get("x-restschema-auth") or a["name"] == "version":
                    continue
                f = self.parameter(a["name"], "path", a, ptr(where, "x-restschema-optional-parameters"), eid)
                if f is not None:
                    f.required = False
                    params.append(f)
        for old, new in renames.items():
            template = template.replace("{" + old + "}", "{" + new + "}")
        # Constant path parameters written into the OpenAPI path as their value (.json).
        if template != path and "[" in template:
            self.path_constants(template, path, params)
        fx = op.get("x-restschema-formats")
        if isinstance(fx, dict) and fx.get("in") == "path":
            # The format placeholder is the client's (media_types.format_in: path), not a parameter.
            fparam = fx.get("param") if isinstance(fx.get("param"), str) else "format"
            params = [p for p in params if not (p.extra.get("in") == "path" and p.name == fparam)]
        data["path"] = template
        if auth_ids:
            data["auth"] = auth_ids
        for key, ext in (("min_version", "x-restschema-min-version"), ("max_version", "x-restschema-max-version")):
            if isinstance(op.get(ext), str) and op[ext] in self.versions:
                data[key] = op[ext]

        media = {}
        self.pending_request_example = None
        body = self.request_body(op, where, eid, params, notes, media)
        if self.pending_request_example is not None:
            self.request_examples[eid] = self.pending_request_example
        order = {"path": 0, "query": 1, "header": 2, "body": 3}
        rank = {"path": 0, "query": 1, "header": 2}
        params_sorted = sorted((f for f in params if f.extra["in"] != "body"), key=lambda f: rank[f.extra["in"]]) + body
        self.fix_member_names(params_sorted, "", taken={})
        del order
        if params_sorted:
            data["parameters"] = params_sorted
        upd = op.get("x-restschema-update-semantics")
        if isinstance(upd, dict):
            u = {k: upd[k] for k in ("absent", "blank_string", "lists", "item_key", "item_destroy", "description") if k in upd}
            if u.get("absent") == "ignore":
                u.pop("absent")
            if u.get("blank_string") == "ignore":
                u.pop("blank_string")
            data["update_semantics"] = u or {"lists": "replace"}
        pag = op.get("x-restschema-pagination")
        if isinstance(pag, dict):
            keys = ("style", "items", "next", "cursor", "page", "per_page", "first", "total_pages", "total_items", "mock_page_size", "description")
            data["pagination"] = {k: pag[k] for k in keys if k in pag}
        if idem_key:
            data["idempotency_key"] = idem_key
        elif op.get("x-restschema-idempotent") is True and method in ("post", "patch"):
            data["idempotent"] = True
        self.responses(op, where, eid, data, notes, media)
        fx = op.get("x-restschema-formats")
        if isinstance(fx, dict) and isinstance(fx.get("formats"), list):
            media["formats"] = [f for f in fx["formats"] if f in ("json", "xml")]
            if fx.get("in") in ("accept", "path"):
                media["format_in"] = fx["in"]
            if isinstance(fx.get("param"), str) and fx["param"] != "format":
                media["format_param"] = fx["param"]
        if media:
            data["media_types"] = media
        self.endpoints.append((eid, data, notes, where, body))

    def credential_description(self, aid, desc):
        """The description of a path or body API key, from its parameter (the exporter adds 'Credential `id`.')."""
        if not isinstance(aid, str) or aid not in self.auth or not isinstance(desc, str):
            return
        desc = desc.strip()
        tail = f"Credential `{aid}`."
        desc = desc[: -len(tail)].strip() if desc.endswith(tail) else desc
        if desc and "description" not in self.auth[aid]:
            self.auth[aid]["description"] = desc

    def path_constants(self, template, path, params):
        names = re.findall(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", template)
        have = {f.name for f in params}
        regex, groups = "", []
        for piece in re.split(r"(\{[A-Za-z_][A-Za-z0-9_]*\}|\[|\])", template):
            if piece == "[":
                regex += "(?:"
            elif piece == "]":
                regex += ")?"
            elif piece.startswith("{"):
                regex += f"(?P<{piece[1:-1]}>[^/]*?)" if piece[1:-1] not in groups else "[^/]*?"
                groups.append(piece[1:-1])
            else:
                regex += re.escape(piece)
        mm = re.fullmatch(regex, path)
        if not mm:
            return
        for n in names:
            if n in have or n == "version":
                continue
            v = mm.group(n)
            if v is not None and v != "{" + n + "}" and "{" not in v:
                f = FieldOut(n, T("string"), extra={"in": "path", "const": v})
                params.append(f)

    def parameter(self, wire, loc, pd, pw, eid) -> Optional[FieldOut]:
        schema = pd.get("schema")
        notes = []
        if schema is None and isinstance(pd.get("content"), dict):
            notes.append(f"{NOTE} parameter '{wire}' ({pw}) is described by 'content'; typed string")
            c = Conv(T("string"))
        else:
            c = self.conv(schema if schema is not None else {}, ptr(pw, "schema"), camel(eid) + camel(wire), "write")
        notes += c.notes
        raw_schema, _ = self.deref(schema, ptr(pw, "schema")) if isinstance(schema, dict) and "$ref" in schema else (schema or {}, None)
        t = c.t
        if loc == "path" and not (t.kind in ("string", "integer", "number", "boolean") or (t.kind == "named" and self.types.get(t.name, TypeOut("", "")).kind == "enum")):
            notes.append(f"{NOTE} path parameter '{wire}' ({pw}) is {t.expr()}; a path parameter is a scalar: typed string")
            t = T("string")
        if loc in ("query", "header") and (t.kind == "map" or (t.kind == "named" and self.types.get(t.name, TypeOut("", "")).kind == "struct") or t.kind == "json"):
            notes.append(f"{NOTE} {loc} parameter '{wire}' ({pw}) is an object ({t.expr()}); restschema sends scalars and lists there: typed string")
            t = T("string")
        if loc in ("query", "header") and t.kind == "list" and t.item.kind not in ("string", "integer", "number", "boolean", "named"):
            notes.append(f"{NOTE} {loc} parameter '{wire}' ({pw}) is {t.expr()}: typed list<string>")
            t = T("list", item=T("string"))
        f = FieldOut(wire, t, required=bool(pd.get("required")) or loc == "path", nullable=c.nullable and loc not in ("path",), fmt=c.fmt if t.kind in ("string", "integer") else "")
        f.extra["in"] = loc
        f.notes = notes
        desc = pd.get("description") if isinstance(pd.get("description"), str) else ""
        f.description = _sentence_suffix_stripped(desc.strip(), pd.get("x-restschema-format", ""))
        self.read_extensions(pd, f)
        const = raw_schema.get("const") if isinstance(raw_schema, dict) else None
        if isinstance(const, str) and t.kind == "string":
            f.extra["const"] = const
            f.required = False
            f.nullable = False
            f.fmt = ""
            return f
        ex = None
        if "example" in pd:
            ex = (pd["example"],)
        elif isinstance(pd.get("examples"), dict) and pd["examples"]:
            first = pd["examples"][sorted(pd["examples"])[0]]
            first, _ = self.deref(first, ptr(pw, "examples"))
            if isinstance(first, dict) and "value" in first:
                ex = (first["value"],)
        else:
            ex = self.example_of(raw_schema)
        if ex is not None:
            f.has_example, f.example = True, ex[0]
        return f

    def request_body(self, op, where, eid, params, notes, media) -> list:
        rb = op.get("requestBody")
        if rb is None:
            return []
        bw = ptr(where, "requestBody")
        rb, _ = self.deref(rb, bw)
        content = rb.get("content") if isinstance(rb, dict) else None
        if not isinstance(content, dict) or not content:
            return []
        keys = sorted(content)
        chosen = next((k for k in keys if _media_key(k).lower() == "application/json"), None) or next((k for k in keys if _is_json_media(k)), None)
        if chosen is None:
            chosen = next((k for k in keys if _media_key(k).lower() == "application/x-www-form-urlencoded"), None)
        others = [k for k in keys if k != chosen]
        if chosen is None:
            notes.append(f"{NOTE} the request body ({bw}) is {', '.join(keys)}: restschema sends JSON and form bodies only; left out")
            return []
        if others:
            notes.append(f"{NOTE} the request body is also accepted as {', '.join(others)}; restschema sends {_media_key(chosen)}")
        mkey = _media_key(chosen)
        if mkey != "application/json":
            media["request"] = mkey
        m = content[chosen] if isinstance(content[chosen], dict) else {}
        mw = ptr(bw, "content", chosen)
        schema = m.get("schema")
        if schema is None:
            notes.append(f"{NOTE} the request body ({mw}) has no schema; left out")
            return []
        got = self.object_parts(schema, ptr(mw, "schema"))
        if got is None or not got[0] and not (self.deref(schema, mw)[0] or {}).get("properties") == {}:
            c = self.conv(schema, ptr(mw, "schema"), camel(eid) + "Body", "write")
            notes.append(f"{NOTE} the request body ({mw}/schema) is {c.t.expr()}, not an object of named members; restschema sends body members only: left out")
            return []
        props, required, _ = got
        form = mkey == "application/x-www-form-urlencoded"
        have = {(f.name) for f in params}
        body_required = rb.get("required", False) is True
        out = []
        for k, (sub, sw) in props.items():
            subd = sub if isinstance(sub, dict) else {}
            if subd.get("x-restschema-auth"):
                self.auth.setdefault(subd["x-restschema-auth"], {"type": "api_key", "in": "body", "name": k})
                self.credential_description(subd["x-restschema-auth"], subd.get("description"))
                continue
            if k in have:
                notes.append(f"{NOTE} body member '{k}' ({sw}) has the name of a {next(f.extra['in'] for f in params if f.name == k)} parameter; a request names each member once: left out")
                continue
            f = self.field(k, sub, sw, camel(eid) + camel(k), "write", required=k in required)
            if f is None:
                continue
            f.extra = {"in": "body", **f.extra}
            if "const_value" in f.extra:
                f.extra["const"] = f.extra.pop("const_value")
                f.required = False
                f.has_example = False
                f.fmt = ""
            if form and (f.t.kind not in ("string", "integer", "number", "boolean") and not (f.t.kind == "named" and self.types[f.t.name].kind == "enum")):
                f.notes.append(f"{NOTE} a form body carries flat values; '{k}' is {f.t.expr()} there: typed string")
                f.t, f.has_example, f.fmt = T("string"), False, ""
            if form and f.nullable:
                f.nullable = False
            if f.required and not body_required:
                pass
            out.append(f)
            have.add(k)
        ex = None
        if "example" in m:
            ex = (m["example"],)
        elif isinstance(m.get("examples"), dict) and m["examples"]:
            first, _ = self.deref(m["examples"][sorted(m["examples"])[0]], ptr(mw, "examples"))
            if isinstance(first, dict) and "value" in first:
                ex = (first["value"],)
        if ex is not None and isinstance(ex[0], dict):
            creds = {a.get("name") for a in self.auth.values() if a.get("in") == "body"}
            value = {k: v for k, v in ex[0].items() if k not in creds}
            self.pending_request_example = value
        else:
            self.pending_request_example = None
        return out

    pending_request_example = None

    def responses(self, op, where, eid, data, notes, media):
        responses = op.get("responses") if isinstance(op.get("responses"), dict) else {}
        rw = ptr(where, "responses")
        codes = {str(k): v for k, v in responses.items()}
        success = sorted(k for k in codes if re.fullmatch(r"2\d\d", k))
        resp = {}
        if success:
            status = success[0]
        elif "2XX" in codes:
            status = "2XX"
        else:
            status = None
        if status is None:
            resp["status"] = 200
            notes.append(f"{NOTE} {rw} declares no success status; 200 with a free-form body assumed")
        else:
            resp["status"] = 200 if status == "2XX" else int(status)
            for other in success[1:]:
                notes.append(f"{NOTE} success status {other} is also declared ({ptr(rw, other)}); restschema decodes {status}'s body")
            r, sw = self.deref(codes[status], ptr(rw, status))
            self.success(r if isinstance(r, dict) else {}, sw, eid, resp, notes, media)
        errors = []
        error_media = []
        names = set()
        for st in sorted(codes, key=lambda s: (len(s), s)):
            if not re.fullmatch(r"[1-5]\d\d", st) or st in success:
                if st == "default" or re.fullmatch(r"[45]XX", st):
                    r, _ = self.deref(codes[st], ptr(rw, st))
                    self.collect_error_media(r, error_media)
                    if st != "default":
                        notes.append(f"{NOTE} {ptr(rw, st)}: a range of statuses is not an error row; such responses decode as 'unknown'")
                continue
            status = int(st)
            if status < 300 or status == 300:
                continue
            r, rpw = self.deref(codes[st], ptr(rw, st))
            r = r if isinstance(r, dict) else {}
            self.collect_error_media(r, error_media)
            rows = r.get("x-restschema-error-codes")
            examples = {}
            plain_examples = []
            first_row = len(errors)
            for mt, md in sorted((r.get("content") or {}).items()):
                if isinstance(md, dict) and isinstance(md.get("examples"), dict):
                    for k, v in md["examples"].items():
                        v, _ = self.deref(v, rpw)
                        if isinstance(v, dict) and "value" in v:
                            examples[k] = v["value"]
                elif isinstance(md, dict) and "example" in md:
                    plain_examples.append(md["example"])
            if isinstance(rows, list) and rows:
                for x in rows:
                    if not isinstance(x, dict) or not isinstance(x.get("name"), str):
                        continue
                    row = {"name": x["name"], "status": status}
                    if isinstance(x.get("code"), int) and not isinstance(x.get("code"), bool):
                        row["code"] = x["code"]
                    if isinstance(x.get("message"), str) and x["message"]:
                        row["message"] = x["message"]
                    default_retry = status == 429 or status >= 500
                    if isinstance(x.get("retryable"), bool) and x["retryable"] != default_retry:
                        row["retryable"] = x["retryable"]
                    if x["name"] in examples:
                        row["example"] = Flow(examples[x["name"]])
                    errors.append(row)
                    names.add(x["name"])
                self.error_example(eid, status, errors[first_row:], plain_examples)
                continue
            name = _status_name(status)
            if name == "unknown":
                name = "unknown_status"
            base, n = name, 1
            while name in names:
                n += 1
                name = f"{base}_{n}"
            names.add(name)
            row = {"name": name, "status": status}
            msg = (r.get("description") or "").strip().splitlines()
            if msg and msg[0].strip():
                row["message"] = msg[0].strip()
            errors.append(row)
            self.error_example(eid, status, errors[first_row:], plain_examples)
        if errors:
            data["errors"] = errors
        if error_media:
            common = sorted(set(error_media))[0]
            if len(set(error_media)) > 1:
                notes.append(f"{NOTE} error bodies come as {', '.join(sorted(set(error_media)))}; restschema reads {common}")
            media["error"] = common
        data["response"] = resp

    def error_example(self, eid, status, rows, plain):
        """An error body shown under a status that is not what the exporter derives from its first row: the endpoint's error_example."""
        if not plain or eid in self.error_examples:
            return
        value = plain[0]
        if self.env is not None and rows:
            first = sorted(rows, key=lambda r: (r.get("code") is not None, r.get("code") or 0, r["name"]))[0]
            if json.dumps(_envelope_example(self.env, first, self.types), sort_keys=True) == json.dumps(value, sort_keys=True):
                return
        self.error_examples[eid] = (status, value)

    def collect_error_media(self, r, out):
        if isinstance(r, dict) and isinstance(r.get("content"), dict):
            for mt in sorted(r["content"]):
                if _is_json_media(mt):
                    out.append(_media_key(mt))
                    break

    def success(self, r, sw, eid, resp, notes, media):
        if isinstance(r.get("description"), str) and r["description"].strip():
            desc = r["description"].strip()
            try:
                phrase = f"{resp['status']} {http.HTTPStatus(resp['status']).phrase}"
            except ValueError:
                phrase = str(resp["status"])
            if desc != phrase:
                resp["description"] = desc
        content = r.get("content") if isinstance(r.get("content"), dict) else {}
        keys = sorted(content)
        chosen = next((k for k in keys if _media_key(k).lower() == "application/json"), None) or next((k for k in keys if _is_json_media(k)), None)
        if keys and chosen is None:
            notes.append(f"{NOTE} the success body ({sw}) is {', '.join(keys)}: restschema reads JSON bodies; kept as free-form")
        if chosen is not None:
            if _media_key(chosen) != "application/json":
                media["response"] = _media_key(chosen)
            md = content[chosen] if isinstance(content[chosen], dict) else {}
            mw = ptr(sw, "content", chosen)
            schema = md.get("schema")
            if isinstance(schema, dict) and schema != {}:
                env = self.envelope_of(schema)
                if env is not None:
                    resp["envelope"] = env
                    inner = schema["properties"][env]
                    c = self.conv(inner, ptr(mw, "schema", "properties", env), camel(eid) + "Response", "read")
                else:
                    c = self.conv(schema, ptr(mw, "schema"), camel(eid) + "Response", "read")
                notes.extend(c.notes)
                if c.nullable and c.t.kind != "json":
                    notes.append(f"{NOTE} the success body may be null; typed json")
                    resp["type"] = "json"
                else:
                    resp["type"] = c.t.expr()
                    resp["_t"] = c.t
            elif schema == {}:
                pass
            ex = None
            if "example" in md:
                ex = (md["example"],)
            elif isinstance(md.get("examples"), dict) and md["examples"]:
                first, _ = self.deref(md["examples"][sorted(md["examples"])[0]], mw)
                if isinstance(first, dict) and "value" in first:
                    ex = (first["value"],)
            if ex is not None:
                resp["example"] = ex[0]
        headers = r.get("headers") if isinstance(r.get("headers"), dict) else {}
        hs = []
        for hname in headers:
            hw = ptr(sw, "headers", hname)
            h, _ = self.deref(headers[hname], hw)
            if not isinstance(h, dict) or hname.lower() == "content-type":
                continue
            c = self.conv(h.get("schema", {}), ptr(hw, "schema"), camel(eid) + camel(hname), "read")
            ok = c.t.kind in ("string", "integer", "number", "boolean") or (c.t.kind == "named" and self.types[c.t.name].kind == "enum")
            if not ok:
                notes.append(f"{NOTE} response header '{hname}' ({hw}) is {c.t.expr()}; a header holds one value: typed string")
                c = Conv(T("string"))
            f = FieldOut(hname, c.t, required=h.get("required") is True, fmt=c.fmt if c.t.kind in ("string", "integer") else "")
            f.description = (h.get("description") or "").strip() if isinstance(h.get("description"), str) else ""
            ex = (h["example"],) if "example" in h else self.example_of(h.get("schema"))
            if ex is not None:
                f.has_example, f.example = True, ex[0]
            hs.append(f)
        if hs:
            self.fix_member_names(hs, "")
            resp["headers"] = hs

    @staticmethod
    def envelope_of(schema):
        """The key of an inline wrapper object {key: T} (one required property, nothing else), or None."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return None
        if set(schema) != {"type", "properties", "required"} or schema.get("type") != "object":
            return None
        props = schema.get("properties")
        if isinstance(props, dict) and len(props) == 1 and schema.get("required") == list(props):
            return next(iter(props))
        return None

    # ---------------------------------------------------------------- cycles
    def break_cycles(self):
        """Recursive types are not in the format: the field closing a cycle becomes json."""
        state = {}

        def visit(name):
            state[name] = "active"
            t = self.types[name]
            for f in t.fields:
                for dep in f.t.named():
                    if dep not in self.types:
                        continue
                    if state.get(dep) == "active":
                        f.notes.append(f"{NOTE} {f.t.expr()} here would make {name} recursive ({t.source}); typed json")
                        f.t, f.fmt = T("json"), ""
                        f.has_example = f.has_example
                        break
                    if state.get(dep) is None:
                        visit(dep)
            state[name] = "done"

        for name in sorted(self.types):
            if state.get(name) is None:
                visit(name)

    # ---------------------------------------------------------------- service
    def base_url(self, info):
        if self.opts.base_url:
            return self.opts.base_url, []
        servers = self.doc.get("servers")
        if isinstance(servers, list) and servers and isinstance(servers[0], dict) and isinstance(servers[0].get("url"), str):
            url = servers[0]["url"]
            for var, spec in (servers[0].get("variables") or {}).items():
                if isinstance(spec, dict) and "default" in spec:
                    url = url.replace("{" + var + "}", str(spec["default"]))
            if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url):
                return url.rstrip("/") if url.endswith("/") and url.count("/") > 3 else url, []
            return "https://api.invalid" + ("/" + url.lstrip("/") if url.strip("/") else ""), [
                f"{NOTE} the description's server '{url}' is relative; set base_url (or pass --base-url)"
            ]
        return "https://api.invalid", [f"{NOTE} the description names no server; set base_url (or pass --base-url)"]

    def service_data(self, info):
        svc = {"name": self.opts.service}
        title = info.get("title") if isinstance(info.get("title"), str) and info["title"].strip() else self.opts.service
        svc["title"] = title.strip()
        if isinstance(info.get("description"), str) and info["description"].strip():
            d = info["description"].strip()
            svc["description"] = d + "\n" if "\n" in d else d
        url, url_notes = self.base_url(info)
        svc["base_url"] = Commented(url, url_notes)
        svc["versions"] = self.versions
        if self.version_in.get("in") != "path":
            svc["version"] = self.version_in
        return svc


# ----------------------------------------------------------------------------- examples


class ExampleChecker:
    """Which examples the front end would accept (front/parse.py check_value), so that none fails `check`."""

    def __init__(self, types: dict):
        self.types = types

    def ok(self, v, t: T, nullable=False, fmt="", accept=()) -> bool:
        if v is None:
            return nullable or t.kind == "json"
        k = t.kind
        if k == "json":
            return True
        if "string" in accept and isinstance(v, str) and re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", v):
            return True
        if k == "string":
            return isinstance(v, str) and (not fmt or formats.BY_NAME[fmt].example_ok(v))
        if k == "integer":
            return isinstance(v, int) and not isinstance(v, bool)
        if k == "number":
            return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and v not in (float("inf"), float("-inf"))
        if k == "boolean":
            return isinstance(v, bool)
        if k == "list":
            return isinstance(v, list) and all(self.ok(x, t.item) for x in v)
        if k == "map":
            return isinstance(v, dict) and all(self.ok(x, t.item) for x in v.values())
        target = self.types.get(t.name)
        if target is None:
            return False
        if target.kind == "enum":
            return isinstance(v, str) and v in target.values
        return self.obj(v, target)

    def obj(self, v, st: TypeOut) -> bool:
        if not isinstance(v, dict):
            return False
        fields = {f.name: f for f in st.fields}
        for key, item in v.items():
            f = fields.get(key)
            if f is None or not self.ok(item, f.t, f.nullable, f.fmt, f.extra.get("accept", ())):
                return False
        if any(f.required and f.name not in v for f in st.fields):
            return False
        if st.exactly_one_of and len([w for w in st.exactly_one_of if v.get(w) is not None]) != 1:
            return False
        return True

    def field(self, f: FieldOut) -> None:
        if f.has_example and not self.ok(f.example, f.t, f.nullable, f.fmt, f.extra.get("accept", ())):
            f.has_example = False
            f.notes.append(f"{NOTE} the description's example of '{f.name}' does not match its type; left out")


# ----------------------------------------------------------------------------- writing


def _field_items(fields):
    return [Commented(f.data(), f.notes) if f.notes else f.data() for f in fields]


def build_files(imp: DocumentImporter, spec_name: str, overlay=None):
    """{file name: text} of the imported service, with the overlay's subset and additions."""
    svc = imp.run()
    env = imp.env
    endpoints = imp.endpoints
    keep_ids = overlay.select(imp) if overlay is not None else None
    if keep_ids is not None:
        endpoints = [e for e in endpoints if e[0] in keep_ids]
    # Media types: the service's are the most common ones; endpoints say where they differ.
    svc_media = {}
    for role in ("request", "response", "error"):
        counts = {}
        for _, data, _, _, _ in endpoints:
            mt = data.get("media_types", {}).get(role, "application/json" if role != "error" else None)
            if role == "error" and mt is None:
                continue
            counts[mt] = counts.get(mt, 0) + 1
        if counts:
            best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] != "application/json", kv[0]))[0][0]
            if best != "application/json":
                svc_media[role] = best
    if "error" not in svc_media and svc_media.get("response"):
        svc_media["error"] = "application/json"
    for _, data, _, _, _ in endpoints:
        mt = data.pop("media_types", {})
        own = {}
        for role in ("request", "response", "error"):
            eff_svc = svc_media.get(role, svc_media.get("response", "application/json") if role == "error" else "application/json")
            eff = mt.get(role, "application/json" if role != "error" else eff_svc)
            if eff != eff_svc:
                own[role] = eff
        for key in ("formats", "format_in", "format_param"):  # per endpoint, as exported
            if key in mt:
                own[key] = mt[key]
        if own:
            data["media_types"] = own
    if svc_media:
        svc["media_types"] = svc_media

    # Examples: checked once every type is final.
    checker = ExampleChecker(imp.types)
    for t in imp.types.values():
        for f in t.fields:
            checker.field(f)
    env_type = None
    if env is not None:
        for f in env["fields"]:
            checker.field(f)
        env_type = TypeOut("error_body", "struct", fields=env["fields"])
    for _, data, notes, _, body in endpoints:
        for f in data.get("parameters", []):
            checker.field(f)
        for f in data["response"].get("headers", []):
            checker.field(f)
        r = data["response"]
        if "example" in r:
            inner = r["example"]
            ok = True
            if r.get("envelope"):
                ok = isinstance(inner, dict) and set(inner) == {r["envelope"]}
                inner = inner.get(r["envelope"]) if ok else None
            if ok and "_t" in r:
                ok = checker.ok(inner, r["_t"])
            if ok:
                r["example"] = Flow(r["example"])
            else:
                del r["example"]
                notes.append(f"{NOTE} the description's success example does not match the response type; left out")
        for row in data.get("errors", []):
            if "example" in row and env_type is not None and not checker.obj(row["example"].value, env_type):
                del row["example"]
                notes.append(f"{NOTE} the example of error row '{row['name']}' does not match the error envelope; left out")
        r.pop("_t", None)

    # Only the types that something uses.
    used, todo = set(), []
    for _, data, _, _, _ in endpoints:
        for f in data.get("parameters", []) + data["response"].get("headers", []):
            todo += f.t.named()
        rt = data["response"].get("type")
        if rt:
            todo += re.findall(r"[A-Z][A-Za-z0-9]*", rt)
    if env is not None:
        for f in env["fields"]:
            todo += f.t.named()
    while todo:
        n = todo.pop()
        if n in used or n not in imp.types:
            continue
        used.add(n)
        for f in imp.types[n].fields:
            todo += f.t.named()

    if imp.auth:
        auth = {}
        for aid in sorted(imp.auth):
            auth[aid] = Commented(Flow(imp.auth[aid]) if len(json.dumps(imp.auth[aid])) < 90 else imp.auth[aid], imp.auth_notes.get(aid, []))
        svc["auth"] = auth
    dropped = [n for aid, n in imp.auth_notes.items() if aid not in imp.auth]
    if env is not None:
        e = {"fields": _field_items(env["fields"])}
        for role in ("code", "message", "details"):
            if role in env:
                e[role] = env[role]
        svc["error_envelope"] = Commented(e, [f"{NOTE} from {imp.envelope[0]}"] if imp.envelope[0] != "#/components/schemas/error_body" else [])
    types = []
    for name in sorted(used):
        t = imp.types[name]
        d = {"name": name}
        if t.description:
            d["description"] = t.description
        if t.kind == "enum":
            d["enum"] = t.values
        else:
            if t.exactly_one_of:
                d["exactly_one_of"] = t.exactly_one_of
            d["fields"] = _field_items(t.fields)
        types.append(Commented(d, t.notes) if t.notes else d)
    if types:
        svc["types"] = types

    header = [
        f"Imported by restschema-gen import openapi from {spec_name}.",
        "Re-importing refuses to overwrite edits (unless --force); keep additions in an overlay: docs/openapi-import.md.",
    ]
    files = {}
    svc_notes = [n for group in dropped for n in group] + [f"{NOTE} {s}" for s in imp.skipped]
    if overlay is not None:
        header.append(f"Merged with the overlay {overlay.name}.")
        svc = overlay.merge_service(svc)
    for eid, data, notes, where, body in endpoints:
        if data.get("errors") == []:
            del data["errors"]
        # request example: only where it says more than the members' own examples
        rex = imp.request_examples.get(eid)
        if rex is not None:
            composed = {f.name: f.example for f in body if f.has_example and "const" not in f.extra}
            names = {f.name for f in body if "const" not in f.extra}
            if set(rex) <= names and json.dumps(rex, sort_keys=True) != json.dumps(composed, sort_keys=True):
                if all(checker.ok(v, f.t, f.nullable, f.fmt, f.extra.get("accept", ())) for f in body for k, v in rex.items() if k == f.name):
                    data["request_example"] = Flow(rex)
        ee = imp.error_examples.get(eid)
        if ee is not None and env_type is not None:
            status, value = ee
            if checker.obj(value, env_type):
                data["error_example"] = Flow(value)
        if "parameters" in data:
            data["parameters"] = _field_items(data["parameters"])
        if "headers" in data["response"]:
            data["response"]["headers"] = _field_items(data["response"]["headers"])
        if overlay is not None:
            data = overlay.merge_endpoint(eid, data)
            notes = notes + [f"Merged with the overlay {overlay.name}."] if overlay.touches(eid) else notes
        text = emit.dump({"endpoint": data}, [f"Imported by restschema-gen import openapi from {spec_name} ({where})."] + notes)
        files[f"{eid}.yaml"] = text
    files["service.yaml"] = emit.dump({"service": svc}, header + svc_notes)
    return files


def _envelope_example(env, row, types=None):
    """docs.envelope_example on the importer's data: what the exporter writes when a row has no example."""
    body = {}
    for f in env["fields"]:
        if f.name == env.get("code") and row.get("code") is not None:
            body[f.name] = str(row["code"]) if f.t.kind == "string" else row["code"]
        elif f.name == env.get("message") and f.t.kind in ("string", "json"):
            body[f.name] = row.get("message", "")
        elif f.required:
            body[f.name] = f.example if f.has_example else _zero(f.t, types)
    return body


def _zero(t: T, types):
    if t.kind == "named":
        target = types.get(t.name)
        return target.values[0] if target is not None and target.kind == "enum" else {}
    return {"string": "", "integer": 0, "number": 0, "boolean": False, "list": [], "map": {}}.get(t.kind)
