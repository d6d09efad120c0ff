"""OpenAPI 3.1 back-end: one JSON document per service, OUTDIR/<service>.openapi.json.

Mapping (what OpenAPI cannot say goes into `x-restschema-*` extensions):

* info.title / info.version: the service title and its newest (default)
  version; `x-restschema-versions` lists them all. servers: base_url.
* Paths: `{name}` placeholders stay. An optional group made only of constant
  path parameters is always sent, so it is written with their values
  (`[.{format}]`, format const json -> `.json`). Any other optional group cannot
  be expressed, so the path is emitted WITHOUT the group; the operation's
  `x-restschema-path` holds the full template and `x-restschema-optional-groups`
  the groups left out, and its description says so. Parameters used only
  inside a left-out group are listed in `x-restschema-optional-parameters`.
* `{version}` is a required path parameter whose schema is an enum of the
  service's versions (default: the newest).
* Named types, enums and the error envelope (`error_body`) are
  components/schemas. nullable -> `type: [T, "null"]` (`anyOf` with a $ref).
  Formats: email, uri, date-time, date; e164 and rails_time as `pattern`;
  unix_time as int64 with a description. Version bounds of fields and
  parameters: `x-restschema-min-version` / `x-restschema-max-version`.
* Security: http basic for http_basic / http_basic_token, http bearer,
  apiKey in header / query. API keys in the path or the JSON body are not
  security schemes in OpenAPI: they are documented as a path parameter or a
  body property carrying `x-restschema-auth: <scheme id>`, and the operation
  lists every scheme it uses in `x-restschema-auth`.
* Errors: one response per status; its description lists the codes and
  `x-restschema-error-codes` holds [{code, name, message, retryable}].
  Response formats other than JSON (media_types.formats): application/xml
  beside the JSON type, OpenAPI `xml` names on the service's schemas, and
  `x-restschema-formats` {formats, in, param} on the operation.
* Header parameters named Content-Type, Accept or Authorization are not
  parameters in OpenAPI (the spec says they are ignored): Content-Type is the
  request body's media type, Authorization a security scheme.

Output is deterministic (schema order where order carries meaning, sorted
maps otherwise, no timestamps).
"""
from __future__ import annotations

import json
import os

from ... import formats, output
from ...front import model as m
from ..docs import pages as docs

GENERATED_KEY = "x-restschema-generated"
_IGNORED_HEADERS = ("content-type", "accept", "authorization")
_SCALAR = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def type_schema(t: m.TypeRef, fmt: str = "", nullable: bool = False) -> dict:
    """The JSON Schema of a type expression (with a field's format and nullability)."""
    if t is None or t.kind == "json":
        return {}  # any JSON value (null included)
    if t.kind == "named":
        ref = _ref(t.target.name)
        return {"anyOf": [ref, {"type": "null"}]} if nullable else ref
    if t.kind == "list":
        out = {"type": "array", "items": type_schema(t.item)}
    elif t.kind == "map":
        out = {"type": "object", "additionalProperties": type_schema(t.item)}
    else:
        out = {"type": _SCALAR[t.kind]}
        if t.kind == "integer":
            out["format"] = "int64"
        if fmt and formats.BY_NAME[fmt].openapi_format:
            out["format"] = formats.BY_NAME[fmt].openapi_format
        elif fmt and formats.BY_NAME[fmt].openapi_pattern:
            out["pattern"] = formats.BY_NAME[fmt].openapi_pattern
    if nullable:
        out["type"] = [out["type"], "null"]
    return out


def _description(f: m.Field) -> str:
    parts = [docs.sentence(f.description.strip())] if f.description.strip() else []
    if f.format and formats.BY_NAME[f.format].openapi_description:
        parts.append(formats.BY_NAME[f.format].openapi_description)
    return " ".join(parts)


def _extensions(f: m.Field) -> dict:
    out = {}
    if f.min_version:
        out["x-restschema-min-version"] = f.min_version
    if f.max_version:
        out["x-restschema-max-version"] = f.max_version
    if f.accept:
        out["x-restschema-accept"] = list(f.accept)
    if f.sensitive:
        out["x-restschema-sensitive"] = True
    if f.format:
        out["x-restschema-format"] = f.format
    return out


def field_schema(f: m.Field, with_example: bool = True) -> dict:
    """A property schema: type, description, const, example, extensions."""
    s = type_schema(f.type, f.format, f.nullable)
    if "$ref" in s:
        s = dict(s)  # 3.1: siblings of $ref are allowed
    desc = _description(f)
    if desc:
        s["description"] = desc
    if f.is_const:
        s["const"] = f.const
    if with_example and f.has_example and not f.is_const:
        s["examples"] = [f.example]
    s.update(_extensions(f))
    return s


def struct_schema(fields: list, description: str = "", exactly_one_of=()) -> dict:
    s = {"type": "object"}
    if description.strip():
        s["description"] = description.strip()
    s["properties"] = {f.wire_name: field_schema(f) for f in fields}
    required = [f.wire_name for f in fields if f.required]
    if required:
        s["required"] = required
    if exactly_one_of:
        s["oneOf"] = [{"required": [name]} for name in exactly_one_of]
        s["x-restschema-exactly-one-of"] = list(exactly_one_of)
    return s


def _speaks_xml(svc: m.Service) -> bool:
    return any(ep.media_types.speaks_xml for ep in svc.endpoints)


def add_xml_names(struct: dict) -> None:
    """OpenAPI `xml` objects for a struct's properties, as Rails' to_xml names
    them: dasherized names, lists wrapped with items named by the singular."""
    from ...railsxml import dasherize, singularize

    for wire, prop in struct.get("properties", {}).items():
        name = dasherize(wire)
        types = prop.get("type")
        is_list = types == "array" or (isinstance(types, list) and "array" in types)
        if is_list:
            prop["xml"] = {"name": name, "wrapped": True}
            items = prop.get("items")
            if isinstance(items, dict):
                prop["items"] = dict(items, xml={"name": singularize(name)})
        elif name != wire:
            prop["xml"] = {"name": name}


def component_schemas(svc: m.Service) -> dict:
    out = {}
    for t in svc.types:
        if isinstance(t, m.EnumType):
            s = {"type": "string"}
            if t.description.strip():
                s["description"] = t.description.strip()
            s["enum"] = [v.wire_name for v in t.values]
            out[t.name] = s
        else:
            out[t.name] = struct_schema(t.fields, t.description, t.exactly_one_of)
            if _speaks_xml(svc):
                add_xml_names(out[t.name])
    if svc.envelope:
        env = svc.envelope
        s = struct_schema(env.type.fields, f"The error envelope of {svc.title}: the JSON body of error responses.")
        s["x-restschema-error-envelope"] = {k: v for k, v in (("code", env.code), ("message", env.message), ("details", env.details)) if v}
        out["error_body"] = s
    return dict(sorted(out.items()))


def security_schemes(svc: m.Service) -> dict:
    out = {}
    for a in svc.auth:
        desc = a.description.strip()
        if a.type == "http_basic_token":
            note = "The token is sent as issued (it is already the encoded credential): `Authorization: Basic <token>`."
            out[a.id] = {"type": "http", "scheme": "basic", "description": (desc + " " + note).strip()}
        elif a.type == "http_basic":
            out[a.id] = {"type": "http", "scheme": "basic"}
        elif a.type == "bearer":
            out[a.id] = {"type": "http", "scheme": "bearer"}
        elif a.location in ("header", "query"):
            out[a.id] = {"type": "apiKey", "in": a.location, "name": a.param_name}
        else:
            continue  # path / body: documented as parameters / body properties
        if desc and "description" not in out[a.id]:
            out[a.id]["description"] = desc
        out[a.id]["x-restschema-auth-type"] = a.type
    return dict(sorted(out.items()))


def _is_scheme(a: m.AuthScheme) -> bool:
    return a.type != "api_key" or a.location in ("header", "query")


def path_without_optional(parts, consts=None) -> tuple:
    """(OpenAPI path, [text of the groups left out]).

    An optional group whose placeholders are all constant path parameters is
    always sent by the client, so it is written out with the constants'
    values: Safe Shepherd's `[.{format}]` with `format: json` becomes `.json`,
    and a mock built from the document reads `{id}` as `12`, not `12.json`.
    """
    consts = consts or {}
    path, groups = [], []

    def text_of(ps, fill=False):
        out = []
        for p in ps:
            if p.kind == "text":
                out.append(p.text)
            elif p.kind == "placeholder":
                out.append(consts[p.text] if fill and p.text in consts else "{" + p.text + "}")
            else:
                inner = text_of(p.parts, fill)
                out.append(inner if fill else "[" + inner + "]")
        return "".join(out)

    def names(ps):
        for p in ps:
            if p.kind == "placeholder":
                yield p.text
            elif p.kind == "optional":
                yield from names(p.parts)

    for p in parts:
        if p.kind == "optional":
            inside = list(names(p.parts))
            if inside and all(n in consts for n in inside):
                path.append(text_of(p.parts, fill=True))
            else:
                groups.append(text_of([p]))
        else:
            path.append(text_of([p]))
    return "".join(path), groups


def _param(f: m.Field, ep: m.Endpoint) -> dict:
    p = {"name": f.wire_name, "in": f.location}
    desc = _description(f)
    if desc:
        p["description"] = desc
    p["required"] = bool(f.required or f.is_const or f.location == "path")
    schema = type_schema(f.type, f.format, f.nullable)
    if f.is_const:
        schema = dict(schema, const=f.const)
    p["schema"] = schema
    if f.has_example and not f.is_const:
        p["example"] = f.example
    p.update(_extensions(f))
    return p


def operation(ep: m.Endpoint, svc: m.Service) -> tuple:
    """(OpenAPI path, method, operation object)."""
    consts = {p.wire_name: p.const for p in ep.parameters if p.location == "path" and p.is_const}
    mt = ep.media_types
    if mt.format_in == "path":
        # The client's default format fills the suffix (`.json`); the other
        # formats are the same operation at their own suffix (`.xml`).
        consts[mt.format_param] = mt.formats[0]
    path, groups = path_without_optional(ep.path.parts, consts)
    in_path = {name for name, optional in ep.path.placeholders() if not optional}
    desc = []
    if ep.summary:
        desc.append(ep.summary.strip())
    if ep.description:
        desc.append(ep.description.strip())
    if groups:
        desc.append(
            f"The schema's path is `{ep.path.text}`. OpenAPI cannot express the optional "
            f"part{'s' if len(groups) > 1 else ''} {', '.join('`' + g + '`' for g in groups)}, "
            "so this path leaves it out; restschema's client sends it when its placeholders have values."
        )
    if mt.speaks_xml:
        if mt.format_in == "path":
            desc.append(
                f"Formats: {', '.join(mt.formats)}, named by the path's `{{{mt.format_param}}}` suffix: this path is the "
                f"default (`.{mt.formats[0]}`); the same operation answers XML (application/xml, as Rails' `to_xml` "
                "writes it) at `.xml`. OpenAPI cannot tie a media type to a path suffix, so both media types are "
                "listed under the responses."
            )
        else:
            desc.append(f"Formats: {', '.join(mt.formats)}, chosen by the Accept header (application/xml for XML, as Rails' `to_xml` writes it).")
    op = {"operationId": ep.id, "summary": ep.title}
    if desc:
        op["description"] = "\n\n".join(desc)

    params = []
    optional_params = []
    if any(name == "version" for name, _ in ep.path.placeholders()):
        versions = {"type": "string", "enum": list(svc.versions), "default": svc.default_version}
        (params if "version" in in_path else optional_params).append(
            {
                "name": "version",
                "in": "path",
                "description": "API version; the client fills in the version it is configured for.",
                "required": True,
                "schema": versions,
                "example": svc.default_version,
            }
        )
    if svc.version_in in ("header", "query"):
        params.append(
            {
                "name": svc.version_name,
                "in": svc.version_in,
                "description": "API version; the client sends the version it is configured for.",
                "required": True,
                "schema": {"type": "string", "enum": list(svc.versions), "default": svc.default_version},
                "example": svc.default_version,
            }
        )
    if ep.idempotency_key and not any(
        p.location == "header" and p.wire_name.lower() == ep.idempotency_key.lower() for p in ep.parameters
    ):
        params.append(
            {
                "name": ep.idempotency_key,
                "in": "header",
                "description": "Idempotency key: one per call, repeated on each retry.",
                "required": False,
                "schema": {"type": "string", "format": "uuid"},
            }
        )
    for a in ep.auth:
        if a.type == "api_key" and a.location == "path":
            (params if a.param_name in in_path else optional_params).append(
                {
                    "name": a.param_name,
                    "in": "path",
                    "description": (a.description.strip() + " " if a.description.strip() else "") + f"Credential `{a.id}`.",
                    "required": True,
                    "schema": {"type": "string"},
                    "example": docs.credential_placeholder(a),
                    "x-restschema-auth": a.id,
                }
            )
    for f in ep.parameters:
        if f.location == "body":
            continue
        if f.location == "header" and f.wire_name.lower() in _IGNORED_HEADERS:
            continue
        if f.location == "path" and f.is_const and "{" + f.wire_name + "}" not in path and f.wire_name not in in_path:
            if not any(f.wire_name in g for g in groups):
                continue  # written into the path as its value (x-restschema-path keeps the template)
        if f.location == "path" and f.wire_name not in in_path:
            optional_params.append(_param(f, ep))
            continue
        params.append(_param(f, ep))
    # Order: path parameters in template order first, then query, then header (schema order).
    order = {name: i for i, (name, _) in enumerate(ep.path.placeholders())}
    loc_rank = {"path": 0, "query": 1, "header": 2}
    params.sort(key=lambda p: (loc_rank[p["in"]], order.get(p["name"], 0) if p["in"] == "path" else 0))
    op["parameters"] = params

    body_params = [f for f in ep.parameters if f.location == "body"]
    body_creds = [a for a in ep.auth if a.type == "api_key" and a.location == "body"]
    if body_params or body_creds:
        schema = struct_schema(body_params)
        for a in body_creds:
            schema["properties"][a.param_name] = {
                "type": "string",
                "description": (a.description.strip() + " " if a.description.strip() else "") + f"Credential `{a.id}`.",
                "x-restschema-auth": a.id,
            }
            schema.setdefault("required", []).append(a.param_name)
        media = {"schema": schema}
        body = docs.sample_body(ep)
        # Only a complete example: one that the schemas' own examples leave partial would fail the linter.
        if body is not None and all(name in body for name in schema.get("required", [])):
            media["example"] = body
        op["requestBody"] = {"required": True, "content": {ep.media_types.request: media}}

    op["responses"] = responses(ep, svc)
    schemes = [a for a in ep.auth if _is_scheme(a)]
    op["security"] = [{a.id: [] for a in schemes}] if schemes else []
    if ep.auth:
        op["x-restschema-auth"] = [
            {"id": a.id, "type": a.type, "in": docs.auth_location(a), "name": a.param_name} for a in ep.auth
        ]
    if groups or "[" in ep.path.text:
        op["x-restschema-path"] = ep.path.text
    if groups:
        op["x-restschema-optional-groups"] = groups
    if optional_params:
        op["x-restschema-optional-parameters"] = optional_params
    if ep.min_version:
        op["x-restschema-min-version"] = ep.min_version
    if ep.max_version:
        op["x-restschema-max-version"] = ep.max_version
    if ep.update:
        u = ep.update
        upd = {"absent": u.absent, "blank_string": u.blank_string, "lists": u.lists}
        if u.item_key:
            upd["item_key"] = u.item_key
        if u.item_destroy:
            upd["item_destroy"] = u.item_destroy
        if u.description:
            upd["description"] = u.description
        op["x-restschema-update-semantics"] = upd
    if ep.pagination:
        op["x-restschema-pagination"] = pagination_extension(ep.pagination)
    if ep.idempotency_key:
        op["x-restschema-idempotency-key"] = ep.idempotency_key
    elif ep.idempotent and ep.method in ("POST", "PATCH"):
        op["x-restschema-idempotent"] = True
    if mt.formats != ["json"]:
        # Read back by `restschema-gen import openapi` as media_types.formats / format_in / format_param.
        op["x-restschema-formats"] = {"formats": list(mt.formats), "in": mt.format_in, "param": mt.format_param}
    return path, ep.method.lower(), op


def pagination_extension(pg: m.Pagination) -> dict:
    """`x-restschema-pagination`: the schema's `pagination:` block as written (wire names, dotted paths)."""
    out = {"style": pg.style}
    for key in ("items", "next", "total_pages", "total_items"):
        if getattr(pg, key):
            out[key] = pg.wire_path(getattr(pg, key))
    for key in ("cursor", "page", "per_page"):
        if getattr(pg, key) is not None:
            out[key] = getattr(pg, key).wire_name
    if pg.style == "page" and pg.first != 1:
        out["first"] = pg.first
    if pg.page_size:
        out["mock_page_size"] = pg.page_size
    if pg.description:
        out["description"] = pg.description
    return out


def _error_row(r: m.ErrorRow) -> dict:
    return {"code": r.code, "name": r.name, "message": r.message, "retryable": r.retryable}


def _response_header(h: m.Field) -> dict:
    out = {}
    if h.description.strip():
        out["description"] = h.description.strip()
    out["required"] = bool(h.required)
    out["schema"] = type_schema(h.type, h.format)
    if h.has_example:
        out["example"] = h.example
    return out


def responses(ep: m.Endpoint, svc: m.Service) -> dict:
    out = {}
    resp = ep.response
    ok = {"description": resp.description.strip() or docs.status_text(resp.status)}
    schema = type_schema(resp.type)
    if resp.envelope:
        schema = {"type": "object", "properties": {resp.envelope: schema}, "required": [resp.envelope]}
    media = {"schema": schema}
    if resp.has_example:
        media["example"] = resp.example
    if resp.headers:
        ok["headers"] = {h.wire_name: _response_header(h) for h in resp.headers}
    if not m.has_no_body(resp.status):  # a 204 has no content
        ok["content"] = {ep.media_types.response: media}
        if ep.media_types.speaks_xml:
            # The root element is the envelope (`<user>`), else Rails' <hash> / <objects>.
            xml_schema = dict(type_schema(resp.type))
            root = resp.envelope or ("objects" if resp.type is not None and resp.type.kind == "list" else "hash")
            xml_schema["xml"] = {"name": root}
            ok["content"][m.XML_MEDIA_TYPE] = {"schema": xml_schema}
    out[str(resp.status)] = ok

    sample = docs.sample_error(ep)
    by_status = {}
    for r in docs.errors_sorted(ep.errors):
        by_status.setdefault(r.status, []).append(r)
    env = svc.envelope
    for status, rows in sorted(by_status.items()):
        lines = []
        for r in rows:
            code = f"{r.code} " if r.code is not None else ""
            retry = " (retryable)" if r.retryable else ""
            lines.append(f"- {code}`{r.name}`: {r.message or '(no body)' if m.has_no_body(r.status) else r.message}{retry}")
        r = {"description": f"{docs.status_text(status)}. Error codes:\n\n" + "\n".join(lines)}
        examples = {x.name: {"summary": x.message or x.name, "value": x.example} for x in rows if x.has_example}
        if m.has_no_body(status):
            pass  # 304 and the like carry no content
        elif env or examples:
            media = {"schema": _ref("error_body")} if env else {}
            if examples:
                media["examples"] = examples  # each row's own, under its own status
            elif sample is not None and sample[0] == status and sample[1] is not None:
                media["example"] = sample[1]
            else:
                media["example"] = docs.envelope_example(env, rows[0])
            r["content"] = {ep.media_types.error: media}
        r["x-restschema-error-codes"] = [_error_row(x) for x in rows]
        out[str(status)] = r
    return out


def document(svc: m.Service) -> dict:
    info = {"title": svc.title, "version": svc.default_version}
    if svc.description.strip():
        info["description"] = svc.description.strip()
    info["x-restschema-versions"] = list(svc.versions)
    if svc.version_in != "path":  # where the version travels, for `restschema-gen import openapi`
        info["x-restschema-version"] = {"in": svc.version_in, **({"name": svc.version_name} if svc.version_name else {})}
    paths = {}
    for ep in svc.endpoints:
        path, method, op = operation(ep, svc)
        paths.setdefault(path, {})[method] = op
    components = {"schemas": component_schemas(svc)}
    schemes = security_schemes(svc)
    if schemes:
        components["securitySchemes"] = schemes
    if not components["schemas"]:
        del components["schemas"]
    doc = {
        "openapi": "3.1.0",
        GENERATED_KEY: f"Generated by restschema-gen from {svc.source}. Do not edit.",
        "info": info,
        "servers": [{"url": svc.base_url}],
        "paths": {p: dict(sorted(ops.items())) for p, ops in sorted(paths.items())},
    }
    if components:
        doc["components"] = components
    return doc


def render_all(model: m.Model) -> dict:
    return {
        f"{svc.name}.openapi.json": json.dumps(document(svc), indent=2, ensure_ascii=False) + "\n"
        for svc in model.services
    }


def _is_generated(path: str) -> bool:
    if not path.endswith(".openapi.json"):
        return False
    try:
        with open(path, encoding="utf-8") as f:
            head = f.read(300)
    except (OSError, UnicodeDecodeError):
        return False
    return f'"{GENERATED_KEY}": "Generated by restschema-gen from ' in head


def generate(model: m.Model, outdir: str):
    """Writes <service>.openapi.json files whose content changed; removes stale ones. (written, unchanged, removed)."""
    os.makedirs(outdir, exist_ok=True)
    return output.write_files(render_all(model), outdir, _is_generated, (".openapi.json",), depth=0)
