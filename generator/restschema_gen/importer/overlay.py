"""Overlays: what an OpenAPI description lacks, in restschema's format, merged on every import.

```yaml
overlay:
  operations: [get_user, create_user]   # optional: import only these (endpoint ids or operationIds)
  service:                              # merged into service.yaml
    versions: [v1, v2]
    errors:
      - {name: rate_limited, status: 429, code: 1429, message: Slow down}
  endpoints:
    update_user:                        # merged into update_user.yaml (the endpoint id after import)
      min_version: v2
      update_semantics: {lists: append, item_key: id}
      errors:
        - {name: user_missing, status: 404, code: 2404, message: No such user}
      parameters:
        - {name: nickname, min_version: v2}   # merged into the imported parameter of that name
```

Merging: mappings key by key (the overlay's value wins; `null` removes the
key); lists of mappings with a `name` (parameters, fields, errors, types,
headers) by name: an entry of an existing name is merged into it, a new one
is appended; any other value replaces the imported one. Unknown endpoint ids
and operations are errors at their place in the overlay.
"""
from __future__ import annotations

import os

from .openapi import ImportFailure
from .emit import Commented, Flow

_KEYS = ("operations", "service", "endpoints")


class Overlay:
    def __init__(self, path: str, doc):
        self.path = path
        self.name = os.path.basename(path)
        self.doc = doc
        data = doc.data.get("overlay")
        self.operations = data.get("operations")
        self.service = data.get("service") or {}
        self.endpoints = data.get("endpoints") or {}
        self._ids = set()

    def _error(self, path, message):
        p = self.doc.pos(path)
        return ImportFailure(f"{p.file}:{p.line}:{p.column}: error: {message}")

    def select(self, imp):
        """Endpoint ids to keep (None: all); checks that every id the overlay names exists."""
        by_op = {}
        for eid, data, _, where, _ in imp.endpoints:
            self._ids.add(eid)
        for where, eid in imp.ids.items():
            op = _lookup(imp.doc, where)
            if isinstance(op, dict) and isinstance(op.get("operationId"), str):
                by_op[op["operationId"]] = eid
        for eid in self.endpoints:
            if eid not in self._ids:
                raise self._error(("overlay", "endpoints", eid), f"overlay endpoint '{eid}' is not an imported endpoint{_hint(eid, self._ids)}")
        if self.operations is None:
            return None
        keep = set()
        for i, name in enumerate(self.operations):
            if not isinstance(name, str):
                raise self._error(("overlay", "operations", i), "operations lists endpoint ids or operationIds (strings)")
            eid = name if name in self._ids else by_op.get(name)
            if eid is None:
                raise self._error(("overlay", "operations", i), f"'{name}' is neither an endpoint id nor an operationId of the description{_hint(name, self._ids)}")
            keep.add(eid)
        for eid in self.endpoints:
            if eid not in keep:
                raise self._error(("overlay", "endpoints", eid), f"overlay endpoint '{eid}' is not among the imported operations")
        return keep

    def touches(self, eid) -> bool:
        return eid in self.endpoints

    def merge_service(self, svc: dict) -> dict:
        return merge(svc, self.service)

    def merge_endpoint(self, eid: str, data: dict) -> dict:
        return merge(data, self.endpoints.get(eid) or {})


def _lookup(doc, pointer):
    from .openapi import pointer_keys

    node = doc
    for k in pointer_keys(pointer):
        node = node.get(k) if isinstance(node, dict) else None
    return node


def _hint(name, known) -> str:
    from ..front.diagnostics import did_you_mean

    return did_you_mean(name, sorted(known))


def _unwrap(v):
    if isinstance(v, Commented):
        return v.value, v.notes
    return v, None


def _rewrap(v, notes):
    return Commented(v, notes) if notes else v


def merge(base, extra):
    """base with extra merged in (see the module's docstring)."""
    base_v, notes = _unwrap(base)
    if isinstance(base_v, Flow):
        base_v = base_v.value
    if isinstance(base_v, dict) and isinstance(extra, dict):
        out = dict(base_v)
        for k, v in extra.items():
            if v is None:
                out.pop(k, None)
            elif k in out:
                out[k] = merge(out[k], v)
            else:
                out[k] = v
        return _rewrap(out, notes)
    if isinstance(base_v, list) and isinstance(extra, list) and _named(extra):
        out = list(base_v)
        index = {}
        for i, item in enumerate(out):
            iv, _ = _unwrap(item)
            if isinstance(iv, dict) and "name" in iv:
                index[iv["name"]] = i
        for item in extra:
            if item["name"] in index:
                out[index[item["name"]]] = merge(out[index[item["name"]]], item)
            else:
                out.append(item)
        return _rewrap(out, notes)
    return extra


def _named(items) -> bool:
    return bool(items) and all(isinstance(x, dict) and isinstance(x.get("name"), str) for x in items)


def load(path: str) -> Overlay:
    from ..front.diagnostics import Diagnostics
    from ..front.sources import SourceFile, read_document

    diags = Diagnostics()
    doc = read_document(SourceFile(path, path, path), diags)
    if diags:
        raise ImportFailure("\n".join(str(d) for d in diags.sorted()))
    if not isinstance(doc.data, dict) or set(doc.data) != {"overlay"} or not isinstance(doc.data["overlay"], dict):
        raise ImportFailure(f"{path}:1:1: error: an overlay file has one top-level key, 'overlay:' (docs/openapi-import.md)")
    data = doc.data["overlay"]
    for k in data:
        if k not in _KEYS:
            p = doc.key_pos(("overlay", k))
            raise ImportFailure(f"{p.file}:{p.line}:{p.column}: error: unknown overlay key '{k}' (expected {', '.join(_KEYS)})")
    if "operations" in data and not isinstance(data["operations"], list):
        p = doc.pos(("overlay", "operations"))
        raise ImportFailure(f"{p.file}:{p.line}:{p.column}: error: overlay operations must be a list of endpoint ids or operationIds")
    for k in ("service", "endpoints"):
        if k in data and not isinstance(data[k], dict):
            p = doc.pos(("overlay", k))
            raise ImportFailure(f"{p.file}:{p.line}:{p.column}: error: overlay {k} must be a mapping")
    for eid, v in (data.get("endpoints") or {}).items():
        if not isinstance(v, dict):
            p = doc.pos(("overlay", "endpoints", eid))
            raise ImportFailure(f"{p.file}:{p.line}:{p.column}: error: overlay endpoint '{eid}' must be a mapping of endpoint keys")
    return Overlay(path, doc)
