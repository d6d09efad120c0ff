"""Which request members become typed list operations (restschema/edits.hpp).

An endpoint whose update semantics merge lists (`lists: append`) with an
`item_key` reads each list of objects in its body as operations: append (no
key), update (the key) and, with `item_destroy`, destroy. Such a list is a
`restschema::list_edits<Item>` in the request, and its item type gets
`<item>_fields` (the item without key and flag) and `<item>_id`. With
`blank_string: truncate`, the body's strings and the fields' strings are
`restschema::clearable`: `= restschema::clear` sends the blank that truncates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from . import model as m


@dataclass
class EditedItem:
    type: m.StructType
    key: m.Field
    destroy: Optional[m.Field]
    clear: bool = False  # some endpoint that edits it truncates on blank strings
    endpoints: list = field(default_factory=list)  # ids, for the comments


def _field(t: m.StructType, wire: str) -> Optional[m.Field]:
    for f in t.fields:
        if f.wire_name == wire:
            return f
    return None


def _merges(ep: m.Endpoint) -> bool:
    u = ep.update
    return bool(u and u.lists == "append" and u.item_key)


def truncates(ep: m.Endpoint) -> bool:
    return bool(ep.update and ep.update.blank_string == "truncate")


def list_item(ep: m.Endpoint, f: m.Field) -> Optional[m.StructType]:
    """The item type when request member f of ep is a list of operations."""
    if not _merges(ep) or f.is_const or f.location != "body" or f.nullable:
        return None
    t = f.type
    if t is None or t.kind != "list" or t.item is None or t.item.kind != "named":
        return None
    item = t.item.target
    if not isinstance(item, m.StructType):
        return None
    key = _field(item, ep.update.item_key)
    if key is None or key.type is None or key.type.kind not in ("integer", "string"):
        return None
    return item


def clears(ep: m.Endpoint, f: m.Field) -> bool:
    """Whether request member f of ep is a string that a blank truncates."""
    return (
        truncates(ep)
        and not f.is_const
        and not f.required  # a required string (Safe Shepherd's secret) is never cleared
        and f.location == "body"
        and not f.nullable
        and f.type is not None
        and f.type.kind == "string"
    )


def edited_items(svc: m.Service) -> list:
    """[EditedItem] of the service, in the order of its types (computed once: the model is final)."""
    cached = svc.__dict__.get("_edited_items")
    if cached is not None and cached[0] == len(svc.endpoints):
        return cached[1]
    found = {}
    for ep in svc.endpoints:
        if not _merges(ep):  # most endpoints: no list operations (and this runs once per endpoint header)
            continue
        for f in ep.members:
            item = list_item(ep, f)
            if item is None:
                continue
            e = found.get(id(item))
            if e is None:
                destroy = _field(item, ep.update.item_destroy) if ep.update.item_destroy else None
                if destroy is not None and (destroy.type is None or destroy.type.kind != "boolean"):
                    destroy = None
                e = found[id(item)] = EditedItem(item, _field(item, ep.update.item_key), destroy)
            e.clear = e.clear or truncates(ep)
            if ep.id not in e.endpoints:
                e.endpoints.append(ep.id)
    out = [found[id(t)] for t in svc.types if id(t) in found]
    svc.__dict__["_edited_items"] = (len(svc.endpoints), out)
    return out


def field_clears(e: EditedItem, f: m.Field) -> bool:
    """Whether field f of an edited item's fields type is clearable."""
    return e.clear and not f.nullable and not f.required and f.type is not None and f.type.kind == "string"
