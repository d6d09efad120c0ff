"""Builds the validated Model from loaded documents (semantic checks).

The JSON Schema has already reported structural problems; everything here is
written defensively (a malformed value is skipped, not re-reported) so that
all remaining problems are still found in one run.
"""
from __future__ import annotations

import math
import os
import re
from typing import Optional

from .. import formats
from . import model as m
from .diagnostics import Diagnostics, Position, did_you_mean
from .sources import discover, kind_of, read_document, validate_structure
from .yamlload import Document


_PLACEHOLDER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")  # {name} in a path template


def _s(value, default="") -> str:
    return value if isinstance(value, str) else default


def _b(value, default=False) -> bool:
    return value if isinstance(value, bool) else default


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _map(value) -> dict:
    return value if isinstance(value, dict) else {}


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _where(doc: Document, pos: Position) -> str:
    return f"line {pos.line}" if pos.file == doc.display_path else f"{pos.file}:{pos.line}"


# ---------------------------------------------------------------- loading


def load_model(args: list, diags: Diagnostics) -> Optional[m.Model]:
    """The validated model of the schema files under `args`, or None after reporting errors to diags."""
    model = parse_model(args, diags)
    return None if diags else model


def parse_model(args: list, diags: Diagnostics) -> m.Model:
    """The model of whatever could be parsed, with every problem reported to diags.

    Back ends run their own checks on it (names in their language) before
    diags decides; a model parsed with errors is only for those checks.
    """
    sources = discover(args, diags)
    docs = []
    for src in sources:
        doc = read_document(src, diags)
        if doc.data is None:
            continue
        validate_structure(doc, diags)
        docs.append((src, doc))
    if not sources and not diags:
        diags.error(Position(args[0] if args else ".", 1, 1), "no schema files (*.yaml, *.yml) found")

    # Group by folder: one service file, any number of endpoint files.
    folders: dict = {}
    for src, doc in docs:
        data = doc.data
        if not isinstance(data, dict):
            continue
        folder = folders.setdefault(os.path.dirname(src.real_path), {"service": [], "endpoint": []})
        for kind in ("service", "endpoint"):
            if isinstance(data.get(kind), dict) and len(data) == 1:
                folder[kind].append(doc)

    services = []
    for folder_key in sorted(folders):
        folder = folders[folder_key]
        svc_docs, ep_docs = folder["service"], folder["endpoint"]
        if len(svc_docs) > 1:
            for doc in svc_docs[1:]:
                diags.error(
                    doc.key_pos(("service",)),
                    f"second service file in this folder (the first is {svc_docs[0].display_path}); use one folder per service",
                )
        if not svc_docs:
            for doc in ep_docs:
                diags.error(doc.key_pos(("endpoint",)), "no service file in this folder (a file with a top-level 'service:' key)")
            continue
        parser = ServiceParser(svc_docs[0], diags)
        service = parser.parse()
        if service is None:
            continue
        for doc in ep_docs:
            ep = parser.parse_endpoint(doc)
            if ep is not None:
                service.endpoints.append(ep)
        service.endpoints.sort(key=lambda e: e.id)
        services.append((service, svc_docs[0]))

    # Across services.
    by_name = {}
    for service, doc in services:
        if service.name in by_name:
            diags.error(doc.pos(("service", "name")), f"service '{service.name}' is also defined in {by_name[service.name]}")
        else:
            by_name[service.name] = doc.display_path

    # Stable for equal names (a duplicate service is an error already): back ends report in this order.
    return m.Model(services=sorted((s for s, _ in services), key=lambda s: s.name))


# ---------------------------------------------------------------- type expressions

_TYPE_TOKEN = re.compile(r"\s*([<>,]|[A-Za-z_][A-Za-z0-9_]*)")


def parse_type_expression(text: str):
    """-> ('list', inner) | ('map', key, value) | ('name', str) | None when malformed.

    `list` and `map` followed by `<` are the constructors (named types are
    CamelCase); whitespace between tokens is free: `map<string,T>` and
    `map < string, T >` read alike.
    """
    tokens = []
    pos = 0
    while pos < len(text):
        mt = _TYPE_TOKEN.match(text, pos)
        if not mt:
            if text[pos:].strip():
                return None
            break
        tokens.append(mt.group(1))
        pos = mt.end()
    at = 0

    def peek():
        return tokens[at] if at < len(tokens) else None

    def take(tok):
        nonlocal at
        if peek() != tok:
            raise ValueError
        at += 1

    def expr():
        nonlocal at
        tok = peek()
        if tok is None or tok in "<>,":
            raise ValueError
        at += 1
        if tok in ("list", "map") and peek() == "<":
            take("<")
            first = expr()
            if tok == "list":
                take(">")
                return ("list", first)
            take(",")
            value = expr()
            take(">")
            return ("map", first, value)
        return ("name", tok)

    try:
        out = expr()
    except ValueError:
        return None
    return out if at == len(tokens) else None


# ---------------------------------------------------------------- service


class ServiceParser:
    def __init__(self, doc: Document, diags: Diagnostics):
        self.doc = doc
        self.diags = diags
        self.service: Optional[m.Service] = None
        self.types: dict = {}  # schema name -> StructType/EnumType
        self.type_pos: dict = {}
        self.endpoint_ids: dict = {}  # id -> (doc, pos)
        self.service_rows: list = []
        self.service_media: dict = {}  # media_types roles the service sets
        # While named types are read, examples wait for them all (a field's
        # example may hold a type defined further down); None afterwards.
        self.deferred_examples: Optional[list] = None

    @staticmethod
    def positions(doc: Document, path, *keys) -> dict:
        """{key: position of its value} for the keys present under path."""
        return {k: doc.pos(path + (k,)) for k in keys if path + (k,) in doc.value_marks}

    def err(self, doc: Document, pos_or_path, message: str) -> None:
        pos = pos_or_path if isinstance(pos_or_path, Position) else doc.pos(pos_or_path)
        self.diags.error(pos, message)

    # -------------------------------------------------------------- service file
    def parse(self) -> Optional[m.Service]:
        doc = self.doc
        data = doc.data["service"]
        P = ("service",)
        name = _s(data.get("name"), "service")
        versions = [v for v in _list(data.get("versions")) if isinstance(v, str)] or ["v1"]
        svc = m.Service(
            name=name,
            title=_s(data.get("title")),
            description=_s(data.get("description")),
            base_url=_s(data.get("base_url")),
            versions=versions,
            cpp_namespace=_s(data.get("cpp_namespace")),
            source=doc.banner_path,
            positions=self.positions(doc, P, "name", "cpp_namespace"),
        )
        self.service = svc

        if "version" in data:
            spec = _map(data.get("version"))
            vpath = P + ("version",)
            svc.version_in = _s(spec.get("in"), "path")
            svc.version_name = _s(spec.get("name"))
            if svc.version_in in ("header", "query") and not svc.version_name:
                self.err(doc, vpath, f"the version travels in a {svc.version_in}: say which with 'name'")
            elif svc.version_in in ("path", "none") and "name" in spec:
                where = "a path always carries it as {version}" if svc.version_in == "path" else "it is not sent"
                self.err(doc, doc.key_pos(vpath + ("name",)), f"'name' is only for a version in a header or query ({where})")
            svc.positions["version"] = doc.pos(vpath)

        self.service_media = self.parse_media_types(doc, P + ("media_types",), data.get("media_types"))
        svc.media_types = self.resolve_media_types(self.service_media, {})

        for auth_id, spec in _map(data.get("auth")).items():
            spec = _map(spec)
            path = P + ("auth", auth_id)
            atype = _s(spec.get("type"), "api_key")
            if atype == "api_key":
                for key in ("in", "name"):
                    if key not in spec:
                        self.err(doc, path, f"auth scheme '{auth_id}' of type api_key needs '{key}'")
                loc = _s(spec.get("in"), "header")
                pname = _s(spec.get("name"), auth_id)
            else:
                for key in ("in", "name"):
                    if key in spec:
                        self.err(doc, doc.key_pos(path + (key,)), f"'{key}' is only for api_key auth schemes ({atype} always uses the Authorization header)")
                loc, pname = "header", "Authorization"
            svc.auth.append(m.AuthScheme(auth_id, atype, loc, pname, _s(spec.get("description"))))

        # Named types: declare, then define.
        type_items = []
        for i, t in enumerate(_list(data.get("types"))):
            if not isinstance(t, dict) or not isinstance(t.get("name"), str):
                continue
            tname = t["name"]
            path = P + ("types", i)
            if tname in self.types:
                self.err(doc, path + ("name",), f"type '{tname}' is defined twice (first at {_where(doc, self.type_pos[tname])})")
                continue
            if tname.lower() in m.BUILTIN_KINDS or tname in ("List", "Map"):
                self.err(doc, path + ("name",), f"type name '{tname}' is too close to the builtin '{tname.lower()}'")
            has_fields, has_enum = "fields" in t, "enum" in t
            if has_fields == has_enum:
                self.err(doc, path, f"type '{tname}' needs exactly one of 'fields' (an object) or 'enum' (strings)")
            cls = m.EnumType if has_enum else m.StructType
            obj = cls(tname, _s(t.get("description")), positions=self.positions(doc, path, "name"))
            self.types[tname] = obj
            self.type_pos[tname] = doc.pos(path + ("name",))
            type_items.append((obj, t, path))

        self.deferred_examples = []
        for obj, t, path in type_items:
            if isinstance(obj, m.EnumType):
                self.parse_enum(obj, t, path)
            else:
                obj.fields = self.parse_fields(doc, path + ("fields",), t.get("fields"), f"type '{obj.name}'")
                self.parse_exactly_one_of(doc, path, obj, t)
        for check in self.deferred_examples:
            check()
        self.deferred_examples = None
        svc.types = self.order_types([o for o, _, _ in type_items])

        env = data.get("error_envelope")
        if isinstance(env, dict):
            epath = P + ("error_envelope",)
            st = m.StructType("error_body", "Error envelope")
            st.fields = self.parse_fields(doc, epath + ("fields",), env.get("fields"), "error_envelope")
            wires = {f.wire_name: f for f in st.fields}
            envelope = m.ErrorEnvelope(st)
            for role in ("code", "message", "details"):
                wire = env.get(role)
                if not isinstance(wire, str):
                    continue
                f = wires.get(wire)
                if f is None:
                    self.err(doc, epath + (role,), f"error_envelope.{role} '{wire}' is not one of its fields{did_you_mean(wire, wires)}")
                elif role == "code" and f.type.kind not in ("integer", "string"):
                    self.err(doc, epath + (role,), f"the code field '{wire}' must be an integer or a string, not {f.type}")
                elif role == "message" and f.type.kind not in ("string", "json"):
                    self.err(doc, epath + (role,), f"the message field '{wire}' must be a string, not {f.type}")
                # details may have any type (a list of error objects): error::server_details keeps it
                # as JSON text, error_body_of<Service>() gives it typed.
                setattr(envelope, role, wire)
            svc.envelope = envelope

        self.service_rows = self.merge_rows(doc, [], self.parse_rows(doc, P + ("errors",), data.get("errors"), "service"))
        svc.errors = [r for r, _, _ in self.service_rows]
        return svc

    # ------------------------------------------------------------ media types
    _MEDIA_ROLES = {
        "request": ("json", "form"),
        "response": ("json",),
        "error": ("json",),
    }

    def check_media_type(self, doc, pos_or_path, role: str, value: str) -> bool:
        fmt = m.body_format(value)
        if fmt in self._MEDIA_ROLES[role]:
            return True
        if role == "request":
            what = f"application/json, an application/...+json type or {m.FORM_MEDIA_TYPE}"
        else:
            what = "application/json or an application/...+json type (application/vnd.acme+json, application/problem+json)"
        self.err(doc, pos_or_path, f"media type '{value}' is not one restschema reads or writes for {role} bodies: use {what}")
        return False

    def parse_media_types(self, doc, path, spec) -> dict:
        """The roles a `media_types:` block sets, checked: {'request': 'application/json', ...},
        and its response formats: 'formats', 'format_in', 'format_param'."""
        out = {}
        for role, value in _map(spec).items():
            if role in self._MEDIA_ROLES and isinstance(value, str) and self.check_media_type(doc, path + (role,), role, value):
                out[role] = value
        spec = _map(spec)
        formats = spec.get("formats")
        if isinstance(formats, list):
            ok = [f for f in formats if isinstance(f, str) and f in m.RESPONSE_FORMATS]
            if len(ok) == len(formats) and ok and len(set(ok)) == len(ok):
                if "json" not in ok:
                    self.err(doc, path + ("formats",), "media_types.formats must list json: it is what clients ask for unless told otherwise")
                else:
                    out["formats"] = ok
        if isinstance(spec.get("format_in"), str) and spec["format_in"] in m.FORMAT_SELECTIONS:
            out["format_in"] = spec["format_in"]
        if isinstance(spec.get("format_param"), str):
            out["format_param"] = spec["format_param"]
        return out

    def resolve_media_types(self, service: dict, endpoint: dict) -> m.MediaTypes:
        """The endpoint's roles over the service's; errors default to the nearest explicit error
        type, else to the success body's type."""
        mt = m.MediaTypes()
        mt.request = endpoint.get("request") or service.get("request") or m.JSON_MEDIA_TYPE
        mt.response = endpoint.get("response") or service.get("response") or m.JSON_MEDIA_TYPE
        mt.error = endpoint.get("error") or service.get("error") or mt.response
        for key in ("formats", "format_in", "format_param"):
            if key in endpoint or key in service:
                setattr(mt, key, endpoint.get(key, service.get(key)))
        return mt

    def parse_enum(self, obj: m.EnumType, t: dict, path) -> None:
        doc = self.doc
        seen = set()
        for i, v in enumerate(_list(t.get("enum"))):
            if not isinstance(v, str):
                self.err(doc, path + ("enum", i), f"enum values must be strings, not {kind_of(v)}")
                continue
            if v in seen:  # the same value twice says nothing new
                continue
            seen.add(v)
            obj.values.append(m.EnumValue(v, positions={"value": doc.pos(path + ("enum", i))}))

    def parse_exactly_one_of(self, doc, path, obj: m.StructType, t: dict) -> None:
        wires = {f.wire_name: f for f in obj.fields}
        for i, w in enumerate(_list(t.get("exactly_one_of"))):
            if not isinstance(w, str):
                continue
            f = wires.get(w)
            if f is None:
                self.err(doc, path + ("exactly_one_of", i), f"exactly_one_of names '{w}', which is not a field of '{obj.name}'{did_you_mean(w, wires)}")
            elif f.required:
                self.err(doc, path + ("exactly_one_of", i), f"field '{w}' is in exactly_one_of, so it cannot be required")
            else:
                obj.exactly_one_of.append(w)

    def order_types(self, types: list) -> list:
        """Dependencies first (a struct needs complete member types), otherwise schema order."""
        out, state = [], {}

        def deps(t):
            if isinstance(t, m.EnumType):
                return []
            return [d for f in t.fields for d in f.type.named_types()]

        def visit(t, chain):
            st = state.get(t.name)
            if st == "done":
                return
            if st == "active":
                cycle = chain[chain.index(t.name):] + [t.name]
                self.err(self.doc, self.type_pos[t.name], f"recursive types are not supported: {' -> '.join(cycle)}")
                return
            state[t.name] = "active"
            for d in deps(t):
                visit(d, chain + [t.name])
            state[t.name] = "done"
            out.append(t)

        for t in types:
            visit(t, [])
        return out

    # -------------------------------------------------------------- fields
    def resolve_type(self, doc: Document, path, text) -> Optional[m.TypeRef]:
        if not isinstance(text, str):
            return None
        parsed = parse_type_expression(text)
        if parsed is None:
            parts = [p.strip() for p in text.split("|")]
            if len(parts) == 2 and "null" in parts:
                other = parts[0] if parts[1] == "null" else parts[1]
                self.err(doc, path, f"malformed type '{text}': write 'type: {other}' and 'nullable: true' for a value that may be null")
            else:
                self.err(doc, path, f"malformed type '{text}' (expected a type name, list<T> or map<string, T>)")
            return None

        def shown(p):
            if p[0] == "list":
                return f"list<{shown(p[1])}>"
            if p[0] == "map":
                return f"map<{shown(p[1])}, {shown(p[2])}>"
            return p[1]

        def build(p):
            if p[0] == "list":
                inner = build(p[1])
                return m.TypeRef("list", item=inner) if inner else None
            if p[0] == "map":
                if p[1] != ("name", "string"):
                    self.err(
                        doc,
                        path,
                        f"map keys must be string, not {shown(p[1])} (JSON object keys are always strings): "
                        f"write 'map<string, {shown(p[2])}>'",
                    )
                    return None
                inner = build(p[2])
                return m.TypeRef("map", item=inner) if inner else None
            name = p[1]
            if name in m.BUILTIN_KINDS:
                return m.TypeRef(name)
            if name in self.types:
                return m.TypeRef("named", target=self.types[name])
            candidates = list(m.BUILTIN_KINDS) + list(self.types)
            self.err(doc, path, f"unknown type '{name}'{did_you_mean(name, candidates)}")
            return None

        return build(parsed)

    def check_version(self, doc, path, value) -> Optional[int]:
        if not isinstance(value, str):
            return None
        versions = self.service.versions
        if value not in versions:
            self.err(doc, path, f"unknown version '{value}'{did_you_mean(value, versions)} (the service has {', '.join(versions)})")
            return None
        return versions.index(value)

    def check_bounds(self, doc, path, data) -> tuple:
        lo = self.check_version(doc, path + ("min_version",), data.get("min_version"))
        hi = self.check_version(doc, path + ("max_version",), data.get("max_version"))
        if lo is not None and hi is not None and lo > hi:
            self.err(doc, path + ("min_version",), f"min_version '{data['min_version']}' is after max_version '{data['max_version']}'")
        return (data["min_version"] if lo is not None else None, data["max_version"] if hi is not None else None)

    def parse_fields(self, doc, path, items, owner: str, parameters: bool = False) -> list:
        out = []
        wires = {}
        for i, data in enumerate(_list(items)):
            if not isinstance(data, dict) or not isinstance(data.get("name"), str):
                continue
            fpath = path + (i,)
            f = self.parse_field(doc, fpath, data, parameters)
            if f is None:
                continue
            if f.wire_name in wires:
                self.err(doc, fpath + ("name",), f"duplicate wire name '{f.wire_name}' in {owner} (first at {_where(doc, wires[f.wire_name])})")
                continue
            wires[f.wire_name] = doc.pos(fpath + ("name",))
            out.append(f)
        return out

    def parse_field(self, doc, path, data: dict, parameter: bool) -> Optional[m.Field]:
        wire = data["name"]
        ftype = self.resolve_type(doc, path + ("type",), data.get("type"))
        lo, hi = self.check_bounds(doc, path, data)
        f = m.Field(
            wire_name=wire,
            type=ftype or m.TypeRef("json"),
            required=_b(data.get("required"), "required" in data),  # malformed: already reported; avoid follow-up errors
            nullable=_b(data.get("nullable")),
            sensitive=_b(data.get("sensitive")),
            format=_s(data.get("format")) if data.get("format") in formats.NAMES else "",
            accept=tuple(a for a in _list(data.get("accept")) if a in m.ACCEPT_KINDS),
            description=_s(data.get("description")),
            min_version=lo,
            max_version=hi,
            location=_s(data.get("in"), "body") if parameter else "body",
            is_parameter=parameter,
            cpp_name=_s(data.get("cpp_name")),
            positions=self.positions(doc, path, "name", "cpp_name"),
        )
        if f.location not in m.LOCATIONS:
            f.location = "body"
        kind = f.type.kind if ftype else None
        if f.location in ("query", "header") and ftype is not None and _has_map(ftype):
            self.err(doc, path + ("type",), f"{f.location} parameter '{wire}' cannot be {ftype}: a map travels only in a JSON body")

        if "const" in data:
            cval = data["const"]
            if not parameter:
                self.err(doc, doc.key_pos(path + ("const",)), "'const' is only allowed on endpoint parameters")
            elif kind is not None and kind != "string":
                self.err(doc, doc.key_pos(path + ("const",)), f"'const' requires type string, not {f.type}")
            elif not isinstance(cval, str):
                self.err(doc, path + ("const",), f"'const' value must be a string, not {kind_of(cval)}")
            else:
                f.const = cval
                if re.search(r"\{[^{}]*\}", cval):
                    self.err(
                        doc,
                        path + ("const",),
                        f"'const' {cval!r} is sent as written, placeholder included; the API version travels "
                        "where the service's 'version: {in: path|header|query, name: ...}' says",
                    )
                if f.nullable:
                    self.err(doc, doc.key_pos(path + ("nullable",)), "a const parameter cannot be nullable")

        if f.format and kind is not None:
            need = formats.BY_NAME[f.format].json_type
            if kind != need:
                self.err(doc, path + ("format",), f"format '{f.format}' needs type {need}, not {f.type}")
        if f.accept and kind is not None:
            for i, a in enumerate(f.accept):
                if a == "string" and kind not in ("integer", "number"):
                    self.err(doc, path + ("accept", i), f"accept 'string' only applies to integer and number fields, not {f.type}")
                elif a != "string" and kind != "string":
                    self.err(doc, path + ("accept", i), f"accept '{a}' only applies to string fields, not {f.type}")

        if "example" in data:
            f.has_example = True
            f.example = data["example"]
            if ftype is not None:
                def check():
                    self.check_value(doc, path + ("example",), f.example, f.type, f"'{wire}'", nullable=f.nullable, accept=f.accept, fmt=f.format)

                if self.deferred_examples is not None:
                    self.deferred_examples.append(check)
                else:
                    check()
        return f

    # -------------------------------------------------------------- examples
    def check_value(self, doc, path, value, t: m.TypeRef, label: str, nullable=False, accept=(), fmt="") -> None:
        """Checks an example value against a type, reporting at the value's own position."""
        if value is None:
            if not nullable and t.kind != "json":
                self.err(doc, path, f"example for {label} is null, but {label} is not nullable")
            return
        kind = t.kind
        if kind == "json":
            return
        accepted = any(
            (a == "string" and isinstance(value, str) and re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", value))
            or (a == "integer" and _is_int(value))
            or (a == "number" and isinstance(value, (int, float)) and not isinstance(value, bool))
            or (a == "boolean" and isinstance(value, bool))
            for a in accept
        )
        if accepted:
            return
        ok = {
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: _is_int(v),
            "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v),
            "boolean": lambda v: isinstance(v, bool),
        }
        if kind in ok:
            if not ok[kind](value):
                self.err(doc, path, f"example for {label} must be {_article(kind)}, not {kind_of(value)}")
            elif fmt and isinstance(value, str) and not formats.BY_NAME[fmt].example_ok(value):
                self.err(doc, path, f"example for {label} is not a valid {fmt} value: {value!r}")
            return
        if kind == "list":
            if not isinstance(value, list):
                self.err(doc, path, f"example for {label} must be a list ({t}), not {kind_of(value)}")
                return
            for i, item in enumerate(value):
                self.check_value(doc, path + (i,), item, t.item, f"item {i + 1} of {label}")
            return
        if kind == "map":
            if not isinstance(value, dict):
                self.err(doc, path, f"example for {label} must be a mapping ({t}), not {kind_of(value)}")
                return
            for key, item in value.items():  # keys: always strings (yamlload)
                self.check_value(doc, path + (key,), item, t.item, f"value {key!r} of {label}")
            return
        target = t.target
        if isinstance(target, m.EnumType):
            wires = [v.wire_name for v in target.values]
            if not isinstance(value, str) or value not in wires:
                shown = repr(value) if isinstance(value, str) else kind_of(value)
                hint = did_you_mean(value, wires) if isinstance(value, str) else ""
                self.err(doc, path, f"example for {label} must be one of {', '.join(wires)} ({target.name}), not {shown}{hint}")
            return
        self.check_object(doc, path, value, target, label)

    def check_object(self, doc, path, value, st: m.StructType, label: str) -> None:
        if not isinstance(value, dict):
            self.err(doc, path, f"example for {label} must be a mapping ({st.name}), not {kind_of(value)}")
            return
        fields = {f.wire_name: f for f in st.fields}
        for key, item in value.items():
            f = fields.get(key)
            if f is None:
                self.err(doc, doc.key_pos(path + (key,)), f"example key '{key}' is not a field of {st.name}{did_you_mean(key, fields)}")
                continue
            self.check_value(doc, path + (key,), item, f.type, f"'{key}'", nullable=f.nullable, accept=f.accept, fmt=f.format)
        for f in st.fields:
            if f.required and f.wire_name not in value:
                self.err(doc, path, f"example for {label} lacks the required field '{f.wire_name}' of {st.name}")
        if st.exactly_one_of:
            present = [w for w in st.exactly_one_of if value.get(w) is not None]
            if len(present) != 1:
                self.err(doc, path, f"example for {label} must set exactly one of {', '.join(st.exactly_one_of)} ({len(present)} set)")

    # -------------------------------------------------------------- error rows
    def parse_rows(self, doc, path, items, origin: str) -> list:
        rows = []
        for i, r in enumerate(_list(items)):
            if not isinstance(r, dict):
                continue
            name, status, message = r.get("name"), r.get("status"), r.get("message", "")
            if not (isinstance(name, str) and _is_int(status) and isinstance(message, str)):
                continue
            if m.has_no_body(status) and "example" in r:
                self.err(doc, doc.key_pos(path + (i, "example")), f"HTTP status {status} has no body, so error row '{name}' cannot have an example")
            code = r.get("code") if _is_int(r.get("code")) else None
            retryable = _b(r.get("retryable"), status == 429 or status >= 500)
            if name == "unknown":
                self.err(doc, path + (i, "name"), "error row name 'unknown' is reserved (the generated enum's value for unlisted errors)")
                continue
            row = m.ErrorRow(name, status, code, message, retryable, origin)
            if "example" in r:
                row.has_example, row.example = True, r["example"]
                env = self.service.envelope if self.service else None
                if env is not None:
                    self.check_object(doc, path + (i, "example"), row.example, env.type, f"error row '{name}'")
                if env is not None and env.code and code is not None and isinstance(row.example, dict):
                    given = row.example.get(env.code)
                    if given is not None and str(given) != str(code):
                        self.err(doc, path + (i, "example", env.code), f"example of error row '{name}' carries code {given}, but the row's code is {code}")
            rows.append((row, doc.pos(path + (i, "name")), doc))
        return rows

    def merge_rows(self, doc, base: list, new: list) -> list:
        """Appends rows; identical duplicates collapse, conflicting ones are errors."""
        out = list(base)
        for row, pos, rdoc in new:
            conflict = None
            duplicate = False
            for other, opos, odoc in out:
                same = other.content() == row.content()
                if same:
                    duplicate = True
                    break
                if other.name == row.name:
                    conflict = f"error row '{row.name}' is defined twice with different content (first at {_where(rdoc, opos)})"
                elif (other.status, other.code) == (row.status, row.code):
                    code = f", code {row.code}" if row.code is not None else ""
                    conflict = f"error rows '{other.name}' (at {_where(rdoc, opos)}) and '{row.name}' have the same status {row.status}{code} but different content"
                elif row.code is not None and other.code == row.code:
                    conflict = f"error code {row.code} is used by both '{other.name}' (at {_where(rdoc, opos)}) and '{row.name}' with different content"
                if conflict:
                    break
            if duplicate:
                continue
            if conflict:
                self.diags.error(pos, conflict)
                continue
            out.append((row, pos, rdoc))
        return out

    # -------------------------------------------------------------- endpoints
    def parse_endpoint(self, doc: Document) -> Optional[m.Endpoint]:
        svc = self.service
        data = doc.data["endpoint"]
        P = ("endpoint",)
        eid = data.get("id")
        if not isinstance(eid, str):
            return None
        if eid in self.endpoint_ids:
            odoc, opos = self.endpoint_ids[eid]
            self.err(doc, P + ("id",), f"endpoint id '{eid}' is already used by {odoc.display_path}:{opos.line}")
            return None
        self.endpoint_ids[eid] = (doc, doc.pos(P + ("id",)))

        lo, hi = self.check_bounds(doc, P, data)

        # Auth.
        auth = []
        for i, aid in enumerate(_list(data.get("auth"))):
            if not isinstance(aid, str):
                continue
            scheme = svc.auth_by_id(aid)
            if scheme is None:
                known = [a.id for a in svc.auth]
                self.err(doc, P + ("auth", i), f"auth '{aid}' is not defined by service '{svc.name}'{did_you_mean(aid, known)}" + ("" if known else " (it defines none)"))
            else:
                auth.append(scheme)

        params = self.parse_fields(doc, P + ("parameters",), data.get("parameters"), "the parameters", parameters=True)
        param_pos = {}
        for i, p in enumerate(_list(data.get("parameters"))):
            if isinstance(p, dict) and isinstance(p.get("name"), str):
                param_pos.setdefault(p["name"], (P + ("parameters", i)))
        for p in params:
            for a in auth:
                if a.type == "api_key" and a.location == p.location and a.param_name == p.wire_name and a.location != "path":
                    self.err(doc, param_pos[p.wire_name] + ("name",), f"parameter '{p.wire_name}' clashes with auth scheme '{a.id}', which is sent as {a.location} '{a.param_name}'")

        # Media types: the endpoint's block, and constant Content-Type / Accept
        # headers (pages list them as parameters) read as the same declaration.
        media = self.parse_media_types(doc, P + ("media_types",), data.get("media_types"))
        for p in params:
            if p.location != "header" or p.wire_name.lower() not in ("content-type", "accept"):
                continue
            role = "request" if p.wire_name.lower() == "content-type" else "response"
            ppath = param_pos[p.wire_name]
            if not p.is_const:
                self.err(doc, ppath + ("name",), f"'{p.wire_name}' is sent by the client from the media types; declare it with 'media_types: {{{role}: ...}}' or as a const")
            elif role in media and media[role].lower() != p.const.lower():
                self.err(doc, ppath + ("const",), f"'{p.wire_name}: {p.const}' contradicts media_types.{role} '{media[role]}'")
            elif role not in media and self.check_media_type(doc, ppath + ("const",), role, p.const):
                media[role] = p.const
        media_types = self.resolve_media_types(self.service_media, media)
        if media_types.request_format == "form":
            for p in params:
                if p.location != "body":
                    continue
                ppath = param_pos[p.wire_name]
                if not (p.type.is_scalar or p.type.is_enum):
                    self.err(doc, ppath + ("type",), f"a form-urlencoded body carries flat values: '{p.wire_name}' is {p.type}")
                elif p.nullable:
                    self.err(doc, doc.key_pos(ppath + ("nullable",)), f"a form-urlencoded body cannot carry null: '{p.wire_name}' cannot be nullable")

        self.current_media_types = media_types
        path = self.parse_path(doc, P + ("path",), data.get("path"), params, auth, param_pos)

        response = self.parse_response(doc, P + ("response",), _map(data.get("response")))

        rows = self.merge_rows(doc, self.service_rows, self.parse_rows(doc, P + ("errors",), data.get("errors"), "endpoint"))
        errors = [r for r, _, _ in rows]
        row_by_name = {r.name: r for r in errors}

        ep = m.Endpoint(
            id=eid,
            title=_s(data.get("title")),
            summary=_s(data.get("summary")),
            description=_s(data.get("description")),
            method=_s(data.get("method"), "GET"),
            path=path,
            auth=auth,
            min_version=lo,
            max_version=hi,
            parameters=params,
            response=response,
            errors=errors,
            source=doc.banner_path,
            service=svc,
            positions=self.positions(doc, P, "id"),
        )

        ep.media_types = media_types
        ep.idempotency_key = _s(data.get("idempotency_key"))
        declared = data.get("idempotent")
        ep.idempotent = ep.method in ("GET", "PUT", "DELETE") or declared is True or bool(ep.idempotency_key)
        if declared is False and ep.idempotency_key:
            self.err(doc, doc.key_pos(P + ("idempotent",)), "an endpoint with an idempotency_key is idempotent: the key makes its retries safe")
        elif declared is False and ep.method in ("GET", "PUT", "DELETE"):
            self.err(doc, doc.key_pos(P + ("idempotent",)), f"{ep.method} is idempotent by definition (RFC 9110); remove 'idempotent: false'")
        if ep.idempotency_key:
            for p in params:
                if p.location == "header" and p.wire_name.lower() == ep.idempotency_key.lower() and p.is_const:
                    self.err(doc, param_pos[p.wire_name] + ("const",), f"header '{p.wire_name}' is the idempotency key: a constant would repeat one key for every call")

        if isinstance(data.get("update_semantics"), dict):
            u = data["update_semantics"]
            ep.update = m.UpdateSemantics(
                absent=_s(u.get("absent"), "ignore"),
                blank_string=_s(u.get("blank_string"), "ignore"),
                lists=_s(u.get("lists"), "replace"),
                item_key=_s(u.get("item_key")),
                item_destroy=_s(u.get("item_destroy")),
                description=_s(u.get("description")),
            )
            for key in ("item_key", "item_destroy"):
                wire = getattr(ep.update, key)
                if not wire:
                    continue
                for p in params:
                    if p.location == "body" and p.type.is_list and p.type.item.is_struct:
                        st = p.type.item.target
                        if wire not in {f.wire_name for f in st.fields}:
                            self.err(doc, P + ("update_semantics", key), f"{key} '{wire}' is not a field of {st.name} (items of '{p.wire_name}')")

        if isinstance(data.get("pagination"), dict):
            ep.pagination = self.parse_pagination(doc, P + ("pagination",), data["pagination"], ep)

        if "error_example" in data:
            ep.has_error_example = True
            ep.error_example = data["error_example"]
            if svc.envelope is not None:
                self.check_object(doc, P + ("error_example",), ep.error_example, svc.envelope.type, "the error")

        body = {p.wire_name: p for p in params if p.location == "body"}
        if "request_example" in data:
            ex = data["request_example"]
            ep.request_example_explicit = True
            ep.request_example = ex
            if not isinstance(ex, dict):
                self.err(doc, P + ("request_example",), f"request_example must be a mapping of body parameters, not {kind_of(ex)}")
            else:
                body_auth = {a.param_name for a in auth if a.type == "api_key" and a.location == "body"}
                for key, val in ex.items():
                    p = body.get(key)
                    if p is None:
                        if key not in body_auth:
                            self.err(doc, doc.key_pos(P + ("request_example", key)), f"request_example key '{key}' is not a body parameter{did_you_mean(key, body)}")
                        continue
                    self.check_value(doc, P + ("request_example", key), val, p.type, f"'{key}'", nullable=p.nullable, accept=p.accept, fmt=p.format)
        else:
            ep.request_example = {p.wire_name: p.example for p in params if p.location == "body" and p.has_example and not p.is_const}
        ep.path_example = {p.wire_name: p.example for p in params if p.location != "body" and p.has_example and not p.is_const}

        if isinstance(data.get("mock"), dict):
            ep.mock = self.parse_mock(doc, P + ("mock",), data["mock"], params, row_by_name)
        return ep

    def parse_path(self, doc, path, text, params, auth, param_pos) -> m.PathTemplate:
        tpl = m.PathTemplate(text=_s(text))
        if not isinstance(text, str):
            return tpl
        stack = [tpl.parts]
        opens = []
        i = 0
        ok = True
        buf = ""

        def flush():
            nonlocal buf
            if buf:
                stack[-1].append(m.PathPart("text", buf))
                buf = ""

        while i < len(text):
            c = text[i]
            if c == "{":
                j = i + 1
                while j < len(text) and text[j] not in "{}[]":
                    j += 1
                if j >= len(text) or text[j] != "}":
                    self.err(doc, doc.pos_in_scalar(path, i), "unclosed '{' in path template")
                    ok = False
                    break
                name = text[i + 1 : j]
                if not _PLACEHOLDER.match(name):
                    self.err(doc, doc.pos_in_scalar(path, i), f"invalid placeholder '{{{name}}}' in path template")
                    ok = False
                flush()
                stack[-1].append(m.PathPart("placeholder", name))
                i = j + 1
                continue
            if c == "}":
                self.err(doc, doc.pos_in_scalar(path, i), "unmatched '}' in path template")
                ok = False
            elif c == "[":
                flush()
                group = m.PathPart("optional")
                stack[-1].append(group)
                stack.append(group.parts)
                opens.append(i)
            elif c == "]":
                if len(stack) == 1:
                    self.err(doc, doc.pos_in_scalar(path, i), "unmatched ']' in path template")
                    ok = False
                else:
                    flush()
                    group_parts = stack.pop()
                    start = opens.pop()
                    if not any(p.kind == "placeholder" for p in _walk(group_parts)):
                        self.err(doc, doc.pos_in_scalar(path, start), "optional group '[...]' in path template has no placeholder")
                        ok = False
            else:
                buf += c
            i += 1
        flush()
        if ok and opens:
            self.err(doc, doc.pos_in_scalar(path, opens[-1]), "unclosed '[' in path template")
            ok = False
        if not ok:
            return tpl

        svc = self.service
        if svc.version_in in ("header", "query"):
            for p in params:
                same = p.wire_name.lower() == svc.version_name.lower() if svc.version_in == "header" else p.wire_name == svc.version_name
                if p.location == svc.version_in and same:
                    self.err(
                        doc,
                        param_pos[p.wire_name] + ("name",),
                        f"{p.location} parameter '{p.wire_name}' is where the service sends the API version "
                        "(service 'version:'); client_options::api_version fills it, so remove the parameter",
                    )
        path_params = {p.wire_name: p for p in params if p.location == "path"}
        path_auth = {a.param_name: a for a in auth if a.type == "api_key" and a.location == "path"}
        unused_path_auth = {a.param_name: a for a in self.service.auth if a.type == "api_key" and a.location == "path" and a not in auth}
        seen = set()
        offsets = [mt.start() for mt in re.finditer(r"\{", text)]
        for (name, optional), off in zip(tpl.placeholders(), offsets):
            at = doc.pos_in_scalar(path, off)
            if name in seen:
                self.err(doc, at, f"placeholder '{{{name}}}' appears twice in the path")
                continue
            seen.add(name)
            if name == "version":
                if "version" in path_params:
                    self.err(doc, doc.pos(param_pos["version"] + ("name",)), "'version' is reserved for the API version in paths; rename the parameter")
                elif self.service.version_in != "path":
                    where = (f"in {self.service.version_in} '{self.service.version_name}'" if self.service.version_name else "nowhere")
                    self.err(doc, at, f"placeholder '{{version}}' in the path, but the service sends the API version {where} (service 'version:')")
                continue
            mt = getattr(self, "current_media_types", None)
            if mt is not None and mt.format_in == "path" and name == mt.format_param:
                if name in path_params:
                    self.err(doc, param_pos[name] + ("name",), f"path parameter '{name}' is the response format (media_types.format_in: path); the client fills it from media_types.formats, so remove the parameter")
                    path_params.pop(name)
                continue
            if name in path_params:
                p = path_params[name]
                if not optional and not p.required and not p.is_const:
                    self.err(doc, param_pos[name] + ("name",), f"path parameter '{name}' is outside an optional [...] group, so it must be required")
                continue
            if name in path_auth:
                continue
            if name in unused_path_auth:
                self.err(doc, at, f"placeholder '{{{name}}}' is auth scheme '{unused_path_auth[name].id}', which this endpoint does not list in 'auth'")
                continue
            candidates = list(path_params) + list(path_auth) + ["version"]
            self.err(doc, at, f"path placeholder '{{{name}}}' has no path parameter{did_you_mean(name, candidates)}")
        for name, p in path_params.items():
            if not (p.type.is_scalar or p.type.is_enum):
                self.err(doc, doc.pos(param_pos[name] + ("type",)), f"path parameter '{name}' must have a scalar or enum type, not {p.type}")
            if p.nullable:
                self.err(doc, doc.key_pos(param_pos[name] + ("nullable",)), f"path parameter '{name}' cannot be nullable")
            if name not in seen:
                self.err(doc, param_pos[name] + ("name",), f"path parameter '{name}' does not appear in the path template")
        for name, a in path_auth.items():
            if name not in seen:
                self.err(doc, path, f"auth scheme '{a.id}' is sent in the path, but the template has no '{{{name}}}'")
        mt = getattr(self, "current_media_types", None)
        if mt is not None and mt.format_in == "path" and mt.format_param not in seen:
            self.err(doc, path, f"media_types.format_in is path, but the path template has no '{{{mt.format_param}}}' placeholder for the format")
        return tpl

    def parse_response(self, doc, path, data: dict) -> m.Response:
        r = m.Response(status=data.get("status") if _is_int(data.get("status")) else 200)
        r.envelope = _s(data.get("envelope"))
        r.description = _s(data.get("description"))
        if "type" in data:
            r.type = self.resolve_type(doc, path + ("type",), data.get("type"))
        r.headers = self.parse_fields(doc, path + ("headers",), data.get("headers"), "the response headers")
        raw = _list(data.get("headers"))
        index = {x["name"]: i for i, x in reversed(list(enumerate(raw))) if isinstance(x, dict) and isinstance(x.get("name"), str)}
        seen = {}
        for h in r.headers:
            # location stays 'body': the headers are read as one object keyed by header name
            hpath = path + ("headers", index[h.wire_name])
            low = h.wire_name.lower()
            if low in seen:
                self.err(doc, hpath + ("name",), f"response header '{h.wire_name}' is declared twice (HTTP header names are case-insensitive; first at {_where(doc, seen[low])})")
            seen.setdefault(low, doc.pos(hpath + ("name",)))
            if not (h.type.is_scalar or h.type.is_enum):
                self.err(doc, hpath + ("type",), f"a response header holds one value: string, integer, number, boolean or an enum, not {h.type}")
        if "example" in data:
            r.has_example = True
            r.example = data["example"]
            inner, ipath = r.example, path + ("example",)
            if r.envelope:
                if not isinstance(inner, dict) or r.envelope not in inner:
                    self.err(doc, ipath, f"response example must be a mapping with the envelope key '{r.envelope}'")
                    return r
                for key in inner:
                    if key != r.envelope:
                        self.err(doc, doc.key_pos(ipath + (key,)), f"response example has '{key}' besides the envelope key '{r.envelope}'")
                inner, ipath = inner[r.envelope], ipath + (r.envelope,)
            if r.type is not None:
                self.check_value(doc, ipath, inner, r.type, "the response")
        return r

    PAGINATION_KEYS = {
        "link": ("items", "page", "per_page", "mock_page_size"),
        "cursor": ("items", "next", "cursor", "mock_page_size"),
        "page": ("items", "page", "per_page", "first", "total_pages", "total_items", "mock_page_size"),
    }
    PAGINATION_NEEDS = {"link": (), "cursor": ("next", "cursor"), "page": ("page",)}

    def parse_pagination(self, doc, path, data: dict, ep: m.Endpoint) -> Optional[m.Pagination]:
        """`pagination:`: resolves its response paths and parameters, each checked where it is written."""
        style = data.get("style")
        if style not in self.PAGINATION_KEYS:
            return None  # the structure check names it
        pg = m.Pagination(style=style, description=_s(data.get("description")))
        ok = True

        def fail(at, message):
            nonlocal ok
            ok = False
            self.err(doc, at, message)

        if ep.method != "GET":
            fail(path + ("style",), f"only GET endpoints page here (a walk sends the request again for each page); '{ep.id}' is {ep.method}")
        for key in data:
            if key not in self.PAGINATION_KEYS[style] + ("style", "description"):
                fail(doc.key_pos(path + (key,)), f"'{key}' does not apply to pagination style '{style}' (it takes {', '.join(self.PAGINATION_KEYS[style])})")
        for key in self.PAGINATION_NEEDS[style]:
            if key not in data:
                fail(doc.key_pos(path), f"pagination style '{style}' needs '{key}'")

        def response_path(key):
            """(steps, type) of a dotted response path, or None (reported)."""
            text = data.get(key)
            steps, t = [], ep.response.type
            for seg in text.split("."):
                if t is None or not t.is_struct:
                    shown = "no body" if t is None else str(t)
                    fail(path + (key,), f"{key} '{text}': cannot look up '{seg}' in {'the response' if not steps else repr(steps[-1][1].wire_name)}, which is {shown}, not an object type")
                    return None
                st = t.target
                f = next((f for f in st.fields if f.wire_name == seg), None)
                if f is None:
                    fail(path + (key,), f"{key} '{text}': {st.name} has no field '{seg}'{did_you_mean(seg, [x.wire_name for x in st.fields])}")
                    return None
                steps.append((st, f))
                t = f.type
            return steps, t

        def parameter(key, kinds):
            name = data.get(key)
            members = {p.wire_name: p for p in ep.members}
            p = members.get(name)
            if p is None:
                fail(path + (key,), f"{key} '{name}' is not a parameter of '{ep.id}'{did_you_mean(name, members)}")
                return None
            if p.location == "path":
                fail(path + (key,), f"{key} '{name}' is a path parameter; a page travels in the query, a header or the body")
                return None
            if p.type.kind not in kinds:
                fail(path + (key,), f"{key} '{name}' is {p.type}; it must be {' or '.join(kinds)}")
                return None
            return p

        if "items" in data:
            r = response_path("items")
            if r is not None:
                steps, t = r
                if not t.is_list:
                    fail(path + ("items",), f"items '{data['items']}' is {t}; it must be a list")
                else:
                    pg.items, pg.item_type = steps, t.item
        elif ep.response.type is not None and ep.response.type.is_list:
            pg.item_type = ep.response.type.item
        else:
            shown = "no body" if ep.response.type is None else str(ep.response.type)
            fail(path + ("style",), f"the response of '{ep.id}' is {shown}: name the field that holds the page's list in 'items'")

        if style == "cursor" and "next" in data and "cursor" in data:
            r = response_path("next")
            p = parameter("cursor", ("string", "integer"))
            if r is not None and p is not None:
                steps, t = r
                if t.kind != p.type.kind:
                    fail(path + ("next",), f"next '{data['next']}' is {t} but the cursor parameter '{p.wire_name}' is {p.type}: the cursor is sent back as it came")
                else:
                    pg.next, pg.cursor = steps, p
        takes = self.PAGINATION_KEYS[style]
        if "page" in data and "page" in takes:
            pg.page = parameter("page", ("integer",))
        if "per_page" in data and "per_page" in takes:
            pg.per_page = parameter("per_page", ("integer",))
        pg.first = data.get("first", 1) if isinstance(data.get("first"), int) else 1
        for key in ("total_pages", "total_items"):
            if key in data and key in takes:
                r = response_path(key)
                if r is not None:
                    steps, t = r
                    if t.kind != "integer":
                        fail(path + (key,), f"{key} '{data[key]}' is {t}; it must be integer")
                    else:
                        setattr(pg, key, steps)
        if isinstance(data.get("mock_page_size"), int):
            pg.page_size = data["mock_page_size"]
        return pg if ok else None

    def parse_mock(self, doc, path, data: dict, params, rows: dict) -> m.Mock:
        mock = m.Mock(collection=_s(data.get("collection")), key=_s(data.get("key")))
        path_names = [p.wire_name for p in params if p.location == "path"]
        if isinstance(data.get("key"), str) and mock.key not in path_names:
            # No key at all is a singleton resource (one record, no id in the path).
            self.err(doc, path + ("key",), f"mock.key '{mock.key}' is not a path parameter of this endpoint{did_you_mean(mock.key, path_names)}")

        def row(key_path, name):
            if not isinstance(name, str):
                return None
            if name not in rows:
                what = ".".join(k for k in key_path if isinstance(k, str) and k != "endpoint")
                self.err(doc, key_path, f"{what} '{name}' is not an error row of this endpoint{did_you_mean(name, rows)}")
                return None
            return rows[name]

        if "not_found" in data:
            mock.not_found = row(path + ("not_found",), data["not_found"])
            if not mock.key:
                self.err(doc, doc.key_pos(path + ("not_found",)), "mock.not_found needs a mock.key: a singleton (no key) always exists")
        for key in ("invalid", "unauthorized"):
            if key in data:
                setattr(mock, key, row(path + (key,), data[key]))
        owner = data.get("owner_secret")
        if isinstance(owner, dict):
            body_names = [p.wire_name for p in params if p.location == "body"]
            param = owner.get("param")
            if isinstance(param, str):
                if param not in body_names:
                    self.err(doc, path + ("owner_secret", "param"), f"owner_secret.param '{param}' is not a body parameter{did_you_mean(param, body_names)}")
                mock.owner_secret_param = param
            mock.owner_secret_error = row(path + ("owner_secret", "error"), owner.get("error"))
        for i, rec in enumerate(_list(data.get("seed"))):
            if isinstance(rec, dict) and mock.key and mock.key not in rec:
                self.err(doc, path + ("seed", i), f"seed record lacks the mock key '{mock.key}'")
        mock.seed = _list(data.get("seed"))
        return mock


def _has_map(t: m.TypeRef) -> bool:
    return t.kind == "map" or (t.kind == "list" and _has_map(t.item))


def _walk(parts):
    for p in parts:
        yield p
        if p.kind == "optional":
            yield from _walk(p.parts)


def _article(kind: str) -> str:
    return {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean"}[kind]
