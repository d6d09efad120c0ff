"""Finding schema files and checking them against the JSON Schema."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

from . import fastvalid
from .diagnostics import Diagnostics, Position, did_you_mean
from .yamlload import Document, FileTooLarge, load, read_bytes

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "schema", "restschema.schema.json")


@dataclass
class SourceFile:
    display_path: str  # for diagnostics
    banner_path: str  # for generated files
    real_path: str


def discover(args: list, diags: Diagnostics) -> list:
    """Schema files under every DIR (recursively, *.yaml / *.yml, sorted); a DIR may be a file."""
    seen = set()
    out = []
    for arg in args:
        if os.path.isfile(arg):
            parent = os.path.dirname(os.path.abspath(arg))
            banner = os.path.join(os.path.basename(parent), os.path.basename(arg))
            candidates = [(arg, banner, os.path.realpath(arg))]
        elif os.path.isdir(arg):
            base = os.path.basename(os.path.normpath(os.path.abspath(arg)))
            candidates = []
            for root, dirs, files in os.walk(arg):
                dirs.sort()
                for f in files:
                    if f.endswith((".yaml", ".yml")):
                        full = os.path.join(root, f)
                        rel = os.path.relpath(full, arg)
                        candidates.append((full, os.path.join(base, rel).replace(os.sep, "/"), os.path.realpath(full)))
            candidates.sort(key=lambda c: c[0])
        else:
            diags.error(Position(arg, 1, 1), "no such file or directory")
            continue
        for display, banner, real in candidates:
            if real not in seen:
                seen.add(real)
                out.append(SourceFile(display, banner.replace(os.sep, "/"), real))
    return out


def read_document(src: SourceFile, diags: Diagnostics) -> Document:
    doc = Document(display_path=src.display_path, banner_path=src.banner_path)
    try:
        raw = read_bytes(src.real_path)
    except FileTooLarge as e:
        diags.error(Position(src.display_path, 1, 1), str(e))
        return doc
    except OSError as e:
        diags.error(Position(src.display_path, 1, 1), f"cannot read file: {e.strerror}")
        return doc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        diags.error(Position(src.display_path, line, col), "file is not valid UTF-8")
        return doc
    load(text, doc, diags)
    return doc


_schema = None
_validator = None
_quick_check = None


def _load_schema() -> dict:
    """The JSON Schema of the schema file format and its compiled yes/no check, read once per process."""
    global _schema, _quick_check
    if _schema is None:
        with open(SCHEMA_PATH, encoding="utf-8") as f:
            _schema = json.load(f)
        _quick_check = fastvalid.compile_schema(_schema)
    return _schema


def validator():
    """jsonschema's validator of the schema file format, built once per process.

    Imported and built only when a file needs its errors worded: importing
    jsonschema alone costs a tenth of a second in every command (issue 12).
    """
    global _validator
    if _validator is None:
        import jsonschema

        _validator = jsonschema.Draft202012Validator(_load_schema())
    return _validator


_KIND = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


def kind_of(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "null"


def _join_or(items) -> str:
    items = list(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def _what(path) -> str:
    if not path:
        return "the file"
    last = path[-1]
    if isinstance(last, int):
        owner = next((p for p in reversed(path) if isinstance(p, str)), None)
        return f"item {last + 1} of '{owner}'" if owner else f"item {last + 1}"
    return f"'{last}'"


# Keys that other formats have and restschema does not, with what to write
# instead: (key, in a field or parameter) -> hint.
_KEY_HINTS = {
    ("default", True): " (restschema sends only what the caller sets, so there is no default value; "
    "document the server's default in 'description', or fix the value with 'const')",
    ("default", False): " (restschema has no 'default' here)",
}

# Formats of OpenAPI and JSON Schema that restschema's types already say.
_FORMAT_HINTS = {
    "int64": "restschema's 'integer' is already 64-bit (std::int64_t); leave 'format' out",
    "int32": "restschema's 'integer' is 64-bit (std::int64_t); leave 'format' out and put the range in 'description'",
    "double": "restschema's 'number' is already a double; leave 'format' out",
    "float": "restschema's 'number' is a double; leave 'format' out",
}


def validate_structure(doc: Document, diags: Diagnostics) -> None:
    """Checks doc.data against the JSON Schema; one short message per problem."""
    _load_schema()
    # The compiled check says yes for nearly every file; jsonschema explains the others.
    if _quick_check is not None and _quick_check(doc.data):
        return
    for err in validator().iter_errors(doc.data):
        path = tuple(err.absolute_path)
        v = err.validator
        schema = err.schema if isinstance(err.schema, dict) else {}
        title = schema.get("title", "mapping")
        inst = err.instance
        if "propertyNames" in err.schema_path:
            diags.error(doc.key_pos(path + (inst,)), f"invalid key '{inst}': {schema.get('patternErrorMessage', err.message)}")
        elif v == "additionalProperties" and isinstance(inst, dict):
            props = schema.get("properties", {})
            for key in inst:
                if key not in props:
                    if title == "schema file":
                        msg = f"unknown top-level key '{key}'{did_you_mean(key, props)}: a schema file has 'service:' or 'endpoint:'"
                    else:
                        msg = f"unknown key '{key}' in {title}{did_you_mean(key, props) or _KEY_HINTS.get((key, 'name' in props and 'type' in props), '')}"
                    diags.error(doc.key_pos(path + (key,)), msg)
        elif v == "required" and isinstance(inst, dict):
            for key in err.validator_value:
                if key not in inst:
                    diags.error(doc.pos(path), f"missing required key '{key}' in {title}")
        elif v == "type":
            want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
            diags.error(doc.pos(path), f"{_what(path)} must be {_join_or([_KIND[w] for w in want])}, not {kind_of(inst)}")
        elif v == "enum":
            allowed = [str(a) for a in err.validator_value]
            if path and path[-1] == "format" and isinstance(inst, str) and inst in _FORMAT_HINTS:
                msg = f"unknown format '{inst}': {_FORMAT_HINTS[inst]}"
            elif path and path[-1] == "format":
                msg = f"unknown format '{inst}'{did_you_mean(inst, allowed)} (known: {', '.join(allowed)})"
            elif isinstance(inst, str):
                msg = f"invalid value '{inst}' for {_what(path)}{did_you_mean(inst, allowed)} (expected {_join_or(allowed)})"
            else:
                msg = f"{_what(path)} must be {_join_or(allowed)}, not {kind_of(inst)}"
            diags.error(doc.pos(path), msg)
        elif v == "pattern":
            diags.error(doc.pos(path), f"invalid {_what(path)} '{inst}': {schema.get('patternErrorMessage', 'does not match ' + err.validator_value)}")
        elif v in ("minimum", "maximum"):
            lo, hi = schema.get("minimum"), schema.get("maximum")
            rng = f"between {lo} and {hi}" if lo is not None and hi is not None else (f">= {lo}" if lo is not None else f"<= {hi}")
            diags.error(doc.pos(path), f"{_what(path)} must be {rng}, not {inst}")
        elif v == "minItems":
            diags.error(doc.pos(path), f"{_what(path)} needs at least {err.validator_value} item{'s' if err.validator_value != 1 else ''}")
        elif v == "minLength":
            diags.error(doc.pos(path), f"{_what(path)} must not be empty")
        elif v == "uniqueItems":
            dup = next((x for i, x in enumerate(inst) if x in inst[:i]), None)
            idx = [i for i, x in enumerate(inst) if x == dup]
            where = path + (idx[-1],) if idx else path
            diags.error(doc.pos(where), f"{_what(path)} lists {json.dumps(dup)} twice")
        elif v == "minProperties" and not path:
            diags.error(doc.pos(path), "a schema file needs a top-level 'service:' or 'endpoint:' key")
        elif v == "maxProperties" and not path:
            diags.error(doc.pos(path), "a schema file has either a top-level 'service:' or 'endpoint:' key, not both")
        else:
            diags.error(doc.pos(path), f"{_what(path)}: {err.message}")
