"""A yes/no check of a document against restschema's JSON Schema, compiled once into Python code.

jsonschema walks the schema for every value of every file (resolving each
`$ref` again, building an error iterator per keyword); at a thousand
endpoints that was a third of `check`. This module turns the keywords the
schema uses into the source of one Python function per `$defs` entry (plus
one for the root), each a run of `if <value fails>: return False` tests on
local variables, and compiles it once per process. It only answers "valid";
when it says no (or cannot be sure), the caller runs jsonschema, whose errors
are turned into the messages. So it may only ever be stricter than
jsonschema, never more lenient: where exact equality is subtle (enum,
uniqueItems) it errs towards "invalid", and an unknown keyword makes
compile_schema() return None so that jsonschema decides everything.
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


# JSON Schema's types as jsonschema's draft 2020-12 type checker defines them,
# as Python expressions of the value `{v}`.
_TYPES = {
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "string": "isinstance({v}, str)",
    "boolean": "isinstance({v}, bool)",
    "null": "{v} is None",
    "number": "(isinstance({v}, (int, float)) and not isinstance({v}, bool))",
    "integer": "((isinstance({v}, int) and not isinstance({v}, bool)) or (isinstance({v}, float) and {v}.is_integer()))",
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
    """Writes the source of the check functions; constants (sets, patterns, enum lists) go to `consts`."""

    def __init__(self, root: dict):
        self.root = root
        self.functions: dict = {}  # JSON pointer -> function name (assigned before its body is written)
        self.bodies: list = []  # source of every function
        self.consts: dict = {"_same": _same, "_unique": _unique}
        self.counter = 0
        self.kinds: dict = {}  # variable -> the JSON kind a `type` test before it proved

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def const(self, value, prefix: str = "K") -> str:
        """A Python literal for a string or integer, else the name of a constant holding `value`."""
        if type(value) in (str, int):
            return repr(value)
        name = self.fresh(prefix)
        self.consts[name] = value
        return name

    def function(self, pointer: str, schema) -> str:
        """The name of the function checking `schema` (the target of `pointer`), written once."""
        if pointer not in self.functions:
            name = self.fresh("c")
            self.functions[pointer] = name
            v = self.fresh("v")  # every variable has its own name: self.kinds holds for it wherever it is
            lines = self.checks(schema, v, "    ")
            self.bodies.append("\n".join([f"def {name}({v}):"] + lines + ["    return True"]))
        return self.functions[pointer]

    def ref(self, pointer: str) -> str:
        if not pointer.startswith("#"):
            raise _Unsupported(pointer)
        target = self.root
        if pointer != "#":
            if not pointer.startswith("#/"):
                raise _Unsupported(pointer)
            for part in pointer[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    raise _Unsupported(pointer)
                target = target[part]
        return self.function(pointer, target)

    def checks(self, schema, v: str, ind: str) -> list:
        """Source lines (indented by `ind`) that `return False` when the value named `v` fails `schema`."""
        if schema is True:
            return []
        if schema is False:
            return [f"{ind}return False"]
        if not isinstance(schema, dict):
            raise _Unsupported(repr(schema))
        out = []
        kind = schema.get("type")
        if isinstance(kind, str):
            # Tested first: the other keywords then need not ask what kind of value `v` is.
            out += self.k_type(kind, schema, v, ind)
            self.kinds[v] = kind
        for key, value in schema.items():
            if key in _ANNOTATIONS or (key == "type" and isinstance(kind, str)):
                continue
            make = getattr(self, "k_" + key.lstrip("$"), None)
            if make is None:
                raise _Unsupported(key)
            out += make(value, schema, v, ind)
        return out

    def when(self, v: str, kind: str, ind: str, body) -> list:
        """The lines body(indent) run only when `v` is of JSON kind `kind` (a keyword that
        constrains only that kind); nothing when the body is empty."""
        if self.kinds.get(v) == kind:
            return body(ind)
        lines = body(ind + "    ")
        return [f"{ind}if {_TYPES[kind].format(v=v)}:"] + lines if lines else []

    def fail_if(self, v: str, kind: str, test: str, ind: str) -> list:
        """`return False` when `v` is of kind `kind` and `test` holds."""
        return self.when(v, kind, ind, lambda i: [f"{i}if {test}:", f"{i}    return False"])

    # One method per keyword: k_<keyword>(value, schema, v, ind) -> source lines.

    def k_ref(self, value, schema, v, ind):
        return [f"{ind}if not {self.ref(value)}({v}):", f"{ind}    return False"]

    def k_type(self, value, schema, v, ind):
        kinds = value if isinstance(value, list) else [value]
        tests = " or ".join(_TYPES[k].format(v=v) for k in kinds)
        return [f"{ind}if not ({tests}):", f"{ind}    return False"]

    def k_enum(self, value, schema, v, ind):
        if value and all(type(e) is str for e in value):
            # Only a str equals a str here, as in _same.
            return [f"{ind}if not (type({v}) is str and {v} in {self.const(frozenset(value))}):", f"{ind}    return False"]
        return [f"{ind}if not any(_same({v}, e) for e in {self.const(list(value))}):", f"{ind}    return False"]

    def k_const(self, value, schema, v, ind):
        return [f"{ind}if not _same({v}, {self.const(value)}):", f"{ind}    return False"]

    def k_properties(self, value, schema, v, ind):
        def body(i):
            out = []
            for k, sub in value.items():
                x = self.fresh("x")
                lines = self.checks(sub, x, i + "    ")
                if lines:
                    key = self.const(k)
                    out += [f"{i}if {key} in {v}:", f"{i}    {x} = {v}[{key}]"] + lines
            return out

        return self.when(v, "object", ind, body)

    def k_additionalProperties(self, value, schema, v, ind):
        if "patternProperties" in schema:
            raise _Unsupported("patternProperties")
        known = self.const(frozenset(schema.get("properties", {})))
        if value is False:
            return self.fail_if(v, "object", f"not {known}.issuperset({v})", ind)
        k, x = self.fresh("k"), self.fresh("x")

        def body(i):
            lines = self.checks(value, x, i + "        ")
            return [f"{i}for {k}, {x} in {v}.items():", f"{i}    if {k} not in {known}:"] + lines if lines else []

        return self.when(v, "object", ind, body)

    def k_propertyNames(self, value, schema, v, ind):
        k = self.fresh("k")

        def body(i):
            lines = self.checks(value, k, i + "    ")
            return [f"{i}for {k} in {v}:"] + lines if lines else []

        return self.when(v, "object", ind, body)

    def k_required(self, value, schema, v, ind):
        if not value:
            return []
        tests = " and ".join(f"{self.const(k)} in {v}" for k in value)
        return self.fail_if(v, "object", f"not ({tests})", ind)

    def k_minProperties(self, value, schema, v, ind):
        return self.fail_if(v, "object", f"len({v}) < {self.const(value)}", ind)

    def k_maxProperties(self, value, schema, v, ind):
        return self.fail_if(v, "object", f"len({v}) > {self.const(value)}", ind)

    def k_items(self, value, schema, v, ind):
        if "prefixItems" in schema:
            raise _Unsupported("prefixItems")
        x = self.fresh("x")

        def body(i):
            lines = self.checks(value, x, i + "    ")
            return [f"{i}for {x} in {v}:"] + lines if lines else []

        return self.when(v, "array", ind, body)

    def k_minItems(self, value, schema, v, ind):
        return self.fail_if(v, "array", f"len({v}) < {self.const(value)}", ind)

    def k_maxItems(self, value, schema, v, ind):
        return self.fail_if(v, "array", f"len({v}) > {self.const(value)}", ind)

    def k_uniqueItems(self, value, schema, v, ind):
        return self.fail_if(v, "array", f"not _unique({v})", ind) if value else []

    def k_minLength(self, value, schema, v, ind):
        return self.fail_if(v, "string", f"len({v}) < {self.const(value)}", ind)

    def k_maxLength(self, value, schema, v, ind):
        return self.fail_if(v, "string", f"len({v}) > {self.const(value)}", ind)

    def k_pattern(self, value, schema, v, ind):
        search = self.const(re.compile(value).search, "P")
        return self.fail_if(v, "string", f"{search}({v}) is None", ind)

    def k_minimum(self, value, schema, v, ind):
        return self.fail_if(v, "number", f"not {v} >= {self.const(value)}", ind)

    def k_maximum(self, value, schema, v, ind):
        return self.fail_if(v, "number", f"not {v} <= {self.const(value)}", ind)


def compile_schema(schema: dict) -> Optional[Check]:
    """A function telling whether a document certainly satisfies `schema`, or None
    when the schema uses a keyword this module does not know (then only jsonschema decides)."""
    try:
        c = _Compiler(schema)
        root = c.function("#", schema)
        source = "\n\n".join(c.bodies) + "\n"
        namespace = dict(c.consts)
        exec(compile(source, "<restschema fastvalid>", "exec"), namespace)
        return namespace[root]
    except (_Unsupported, KeyError, TypeError, re.error, SyntaxError, RecursionError):
        # SyntaxError: a schema nested past Python's limit of nested blocks.
        return None
