"""XML as Rails' to_xml writes it, for docs samples and OpenAPI `xml` names.

The same conventions as the C++ writer (include/restschema/detail/xml_write.hpp)
and reader (detail/xml.hpp): an element per member, dasherized names,
`type="integer|float|boolean|array"`, `nil="true"` for null, a list's items
named by the singular of the list's name, and a rails_time string
("2012/05/27 00:46:39 +0000") written as an ISO 8601 `type="dateTime"`.
"""

import re
from xml.sax.saxutils import escape

_UNCOUNTABLE = {"equipment", "information", "rice", "money", "species", "series", "fish", "sheep", "jeans", "police"}
_RAILS_TIME = re.compile(r"^(\d{4})/(\d\d)/(\d\d) (\d\d:\d\d:\d\d) ([+-]\d\d)(\d\d)$")


def singularize(word: str) -> str:
    """ActiveSupport's singular for the words APIs use: phone_numbers -> phone_number,
    aliases -> alias, addresses -> address, categories -> category; others stay."""
    cut = max(word.rfind("_"), word.rfind("-"))
    head, last = word[: cut + 1], word[cut + 1 :]
    if last in _UNCOUNTABLE:
        return word
    if last.endswith(("aliases", "statuses")) or last.endswith(("xes", "ches", "sses", "shes")):
        last = last[:-2]
    elif last.endswith("ies") and len(last) > 3 and last[-4] not in "aeiouy":
        last = last[:-3] + "y"
    elif last.endswith("ss"):
        pass
    elif last.endswith("s"):
        last = last[:-1]
    return head + last


def dasherize(name: str) -> str:
    return name.replace("_", "-")


def _field_of(t, wire):
    if t is not None and getattr(t, "kind", "") == "named" and hasattr(t.target, "fields"):
        for f in t.target.fields:
            if f.wire_name == wire:
                return f
    return None


def _element(out, name, value, t, fmt, indent):
    pad = "  " * indent
    if value is None:
        out.append(f'{pad}<{name} nil="true"/>')
    elif isinstance(value, bool):
        out.append(f'{pad}<{name} type="boolean">{"true" if value else "false"}</{name}>')
    elif isinstance(value, int):
        out.append(f'{pad}<{name} type="integer">{value}</{name}>')
    elif isinstance(value, float):
        out.append(f'{pad}<{name} type="float">{value!r}</{name}>')
    elif isinstance(value, str):
        mt = _RAILS_TIME.match(value) if fmt == "rails_time" else None
        if mt:
            iso = f"{mt[1]}-{mt[2]}-{mt[3]}T{mt[4]}{mt[5]}:{mt[6]}"
            out.append(f'{pad}<{name} type="dateTime">{iso}</{name}>')
        else:
            out.append(f"{pad}<{name}>{escape(value)}</{name}>")
    elif isinstance(value, list):
        if not value:
            out.append(f'{pad}<{name} type="array"/>')
            return
        out.append(f'{pad}<{name} type="array">')
        item_t = t.item if t is not None and getattr(t, "kind", "") == "list" else None
        for v in value:
            _element(out, singularize(name), v, item_t, "", indent + 1)
        out.append(f"{pad}</{name}>")
    elif isinstance(value, dict):
        out.append(f"{pad}<{name}>")
        for k, v in value.items():
            f = _field_of(t, k)
            vt = f.type if f is not None else (t.item if t is not None and getattr(t, "kind", "") == "map" else None)
            _element(out, dasherize(k), v, vt, f.format if f is not None else "", indent + 1)
        out.append(f"{pad}</{name}>")
    else:
        out.append(f"{pad}<{name}>{escape(str(value))}</{name}>")


def to_xml(value, root: str, t=None) -> str:
    """The XML document of a JSON value, rooted at `root` (Rails: the model's
    name, 'hash' for a hash, 'objects' for a list), guided by the TypeRef `t`."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    _element(out, dasherize(root), value, t, "", 0)
    return "\n".join(out)
