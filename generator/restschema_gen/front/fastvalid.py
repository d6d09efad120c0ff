"""A yes/no check of a document against restschema's JSON Schema, compiled once into closures.

jsonschema walks the schema for every value of every file (resolving each
`$ref` again, building an error iterator per keyword); at a thousand
endpoints that was a third of `check`. This module compiles the keywords the
schema uses into nested Python functions once per process. It only answers
"valid"; when it says no (or cannot be sure), the caller runs jsonschema, whose
errors are turned into the messages. So it may only ever be stricter than
jsonschema, never more lenient: where exact equality is subtle (enum,
uniqueItems) it errs towards "invalid", and an unknown keyword makes compile()
return None so that jsonschema decides everything.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

Check = Callable[[object], bool]

# Keywords that never constrain a value.
_ANNOTATIONS = {"$schema", "$defs", "$id", "$comment", "title", "description", "patternErrorMessage", "examples", "default", "deprecated"}


class _Unsupported(Exception):
    pass


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


# JSON Schema's types as jsonschema's draft 2020-12 type checker defines them.
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}


def _same(a, b) -> bool:
    """Equal as JSON values, judged strictly: a mismatch of Python types is 'not equal'
    (then the document is handed to jsonschema, which knows 1 == 1.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def _unique(items: list) -> bool:
    if all(type(x) is str for x in items):
        return len(set(items)) == len(items)
    # Python's == is looser than JSON's (True == 1), so a false "duplicate" only sends the file to jsonschema.
    return not any(items[i] == items[j] for i in range(len(items)) for j in range(i))


class _Compiler:
    def __init__(self, root: dict):
        self.root = root
        self.refs: dict = {}  # "#/$defs/x" -> list holding the compiled check (filled lazily: recursion)

    def ref(self, pointer: str) -> Check:
        if pointer not in self.refs:
            if not pointer.startswith("#/"):
                raise _Unsupported(pointer)
            target = self.root
            for part in pointer[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    raise _Unsupported(pointer)
                target = target[part]
            cell: list = [None]
            self.refs[pointer] = cell
            cell[0] = self.compile(target)
        cell = self.refs[pointer]
        return lambda v: cell[0](v)

    def compile(self, schema) -> Check:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise _Unsupported(repr(schema))
        checks = []
        for key, value in schema.items():
            if key in _ANNOTATIONS:
                continue
            make = getattr(self, "k_" + key.lstrip("$"), None)
            if make is None:
                raise _Unsupported(key)
            checks.append(make(value, schema))
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(c(v) for c in checks)

    # One method per keyword: k_<keyword>(value, schema) -> Check.

    def k_ref(self, value, schema):
        return self.ref(value)

    def k_type(self, value, schema):
        kinds = value if isinstance(value, list) else [value]
        tests = [_TYPES[k] for k in kinds]
        return lambda v: any(t(v) for t in tests)

    def k_enum(self, value, schema):
        return lambda v: any(_same(v, e) for e in value)

    def k_const(self, value, schema):
        return lambda v: _same(v, value)

    def k_properties(self, value, schema):
        props = {k: self.compile(s) for k, s in value.items()}

        def check(v):
            if not isinstance(v, dict):
                return True
            for k, c in props.items():
                if k in v and not c(v[k]):
                    return False
            return True

        return check

    def k_additionalProperties(self, value, schema):
        if "patternProperties" in schema:
            raise _Unsupported("patternProperties")
        known = set(schema.get("properties", {}))
        extra = self.compile(value)
        if value is False:
            return lambda v: not isinstance(v, dict) or all(k in known for k in v)
        return lambda v: not isinstance(v, dict) or all(extra(x) for k, x in v.items() if k not in known)

    def k_propertyNames(self, value, schema):
        names = self.compile(value)
        return lambda v: not isinstance(v, dict) or all(names(k) for k in v)

    def k_required(self, value, schema):
        return lambda v: not isinstance(v, dict) or all(k in v for k in value)

    def k_minProperties(self, value, schema):
        return lambda v: not isinstance(v, dict) or len(v) >= value

    def k_maxProperties(self, value, schema):
        return lambda v: not isinstance(v, dict) or len(v) <= value

    def k_items(self, value, schema):
        if "prefixItems" in schema:
            raise _Unsupported("prefixItems")
        item = self.compile(value)
        return lambda v: not isinstance(v, list) or all(item(x) for x in v)

    def k_minItems(self, value, schema):
        return lambda v: not isinstance(v, list) or len(v) >= value

    def k_maxItems(self, value, schema):
        return lambda v: not isinstance(v, list) or len(v) <= value

    def k_uniqueItems(self, value, schema):
        if not value:
            return lambda v: True
        return lambda v: not isinstance(v, list) or _unique(v)

    def k_minLength(self, value, schema):
        return lambda v: not isinstance(v, str) or len(v) >= value

    def k_maxLength(self, value, schema):
        return lambda v: not isinstance(v, str) or len(v) <= value

    def k_pattern(self, value, schema):
        search = re.compile(value).search
        return lambda v: not isinstance(v, str) or search(v) is not None

    def k_minimum(self, value, schema):
        return lambda v: not _is_number(v) or v >= value

    def k_maximum(self, value, schema):
        return lambda v: not _is_number(v) or v <= value


def compile_schema(schema: dict) -> Optional[Check]:
    """A function telling whether a document certainly satisfies `schema`, or None
    when the schema uses a keyword this module does not know (then only jsonschema decides)."""
    try:
        return _Compiler(schema).compile(schema)
    except (_Unsupported, KeyError, re.error):
        return None
