"""A small deterministic YAML writer for imported schema files, with comments.

The importer builds plain data (dict / list / str / int / float / bool /
None); a `Commented(value, notes)` wrapper puts `# ...` lines above a mapping
key or a list item. Output reads back with the front end's YAML reader (YAML
1.2 core schema) to exactly the data given:

* strings are plain where the core schema reads them back as the same string,
  else double-quoted with YAML escapes (never JSON's surrogate pairs);
* multi-line strings in block context are literal blocks (`|`, `|-`);
* short mappings of scalars (fields, parameters, error rows) are one flow line;
* example values (`example`, `request_example`, ...) are flow JSON-like text.
"""
from __future__ import annotations

import functools
import math
import re

from ..front import plain_reads_as_itself


class Commented:
    """A value with comment lines written above it."""

    __slots__ = ("value", "notes")

    def __init__(self, value, notes):
        self.value = value
        self.notes = [n for n in notes if n]


class Flow:
    """A value always written in flow style (examples)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


_PLAIN_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$ .,/()'+@=-]*$")
_PLAIN_FLOW_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$ ./'+@=-]*$")
_FLOW_LINE_MAX = 110


def _escape_char(c: str) -> str:
    o = ord(c)
    if c == '"':
        return '\\"'
    if c == "\\":
        return "\\\\"
    if c == "\n":
        return "\\n"
    if c == "\t":
        return "\\t"
    if c == "\r":
        return "\\r"
    printable = o in (0x85,) or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD
    if printable and o != 0xFEFF:
        return c
    if 0xD800 <= o <= 0xDFFF:  # a lone surrogate (JSON allows it): not text
        return "\\uFFFD"
    if o <= 0xFFFF:
        return f"\\u{o:04X}"
    return f"\\U{o:08X}"


# The characters _escape_char() keeps as they are (printable, not '"' or '\\'):
# the common case is found by one regex search instead of a call per character.
_KEPT = r"\x20\x21\x23-\x5b\x5d-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd"
_ESCAPED_RE = re.compile(f"[^{_KEPT}]")
_NOT_IN_BLOCK_RE = re.compile(rf'[^{_KEPT}\n\t"\\]')


def quote(s: str) -> str:
    return '"' + _ESCAPED_RE.sub(lambda m: _escape_char(m.group()), s) + '"'


def scalar(v, flow: bool = False) -> str:
    if type(v) is str:  # most values and every key: the tests below would all fail
        return _string(v, flow)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            return ".nan" if v != v else (".inf" if v > 0 else "-.inf")
        text = repr(v)
        return text if ("." in text or "e" in text or "E" in text) else text + ".0"
    return _string(str(v), flow)


@functools.lru_cache(maxsize=65536)  # names, types and keys repeat in every file
def _string(s: str, flow: bool) -> str:
    regex = _PLAIN_FLOW_RE if flow else _PLAIN_RE
    if (
        regex.match(s)
        and not s.endswith((" ", ":"))
        and ": " not in s
        and " #" not in s
        and plain_reads_as_itself(s)
        and not s.startswith(("- ", "? "))
    ):
        return s
    return quote(s)


def flow(v) -> str:
    """JSON-like flow text of a value (examples): keys and strings quoted where needed."""
    if isinstance(v, Flow):
        v = v.value
    if isinstance(v, dict):
        if not v:
            return "{}"
        return "{" + ", ".join(f"{scalar(str(k), True)}: {flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return scalar(v, True)


def _is_scalar(v) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _one_line(d: dict):
    """The flow line of a short mapping of scalars (and flow values), or None."""
    if not d or any(isinstance(v, Commented) for v in d.values()):
        return None
    parts = []
    for k, v in d.items():
        if isinstance(v, str) and "\n" in v:
            return None
        if isinstance(v, Flow) or (isinstance(v, list) and all(_is_scalar(x) for x in v)):
            parts.append(f"{scalar(k, True)}: {flow(v)}")
        elif _is_scalar(v):
            parts.append(f"{scalar(k, True)}: {scalar(v, True)}")
        else:
            return None
    text = "{" + ", ".join(parts) + "}"
    return text if len(text) <= _FLOW_LINE_MAX else None


def _block_string(s: str, indent: str):
    """Literal block lines for a multi-line string, or None when a literal cannot hold it exactly."""
    if "\n" not in s.rstrip("\n") or s.startswith((" ", "\n")) or s.endswith("\n\n"):
        return None
    if _NOT_IN_BLOCK_RE.search(s):
        return None
    if any(line != line.rstrip(" \t") for line in s.split("\n")):
        return None  # trailing blanks would be invisible; quote instead
    head = "|" if s.endswith("\n") else "|-"
    body = s[:-1] if s.endswith("\n") else s
    return [head] + [(indent + line) if line else "" for line in body.split("\n")]


def _notes(notes, indent: str, out: list) -> None:
    for n in notes:
        for line in str(n).splitlines() or [""]:
            out.append(f"{indent}# {line}".rstrip())


def _emit_value(v, indent: str, out: list, key_prefix: str) -> None:
    """Writes `key_prefix` (e.g. 'name:' or '-') followed by the value."""
    if isinstance(v, Flow):
        out.append(f"{key_prefix} {flow(v.value)}")
        return
    if isinstance(v, dict):
        if not v:
            out.append(f"{key_prefix} {{}}")
            return
        line = _one_line(v) if key_prefix.endswith("-") else None
        if line is not None:
            out.append(f"{key_prefix} {line}")
            return
        if key_prefix.endswith("-"):
            # first key on the dash line
            first = True
            for k, x in v.items():
                if isinstance(x, Commented):
                    if first:
                        out.append(key_prefix)
                        first = False
                        _notes(x.notes, indent, out)
                        _emit_value(x.value, indent + "  ", out, f"{indent}{scalar(k)}:")
                        continue
                    _notes(x.notes, indent, out)
                    x = x.value
                if first:
                    _emit_value(x, indent + "  ", out, f"{key_prefix} {scalar(k)}:")
                    first = False
                else:
                    _emit_value(x, indent + "  ", out, f"{indent}{scalar(k)}:")
            return
        out.append(key_prefix)
        emit_mapping(v, indent, out)
        return
    if isinstance(v, list):
        if not v:
            out.append(f"{key_prefix} []")
            return
        if all(_is_scalar(x) for x in v):
            text = flow(v)
            if len(text) + len(key_prefix) <= _FLOW_LINE_MAX:
                out.append(f"{key_prefix} {text}")
                return
        out.append(key_prefix)
        for x in v:
            if isinstance(x, Commented):
                _notes(x.notes, indent, out)
                x = x.value
            _emit_value(x, indent + "  ", out, f"{indent}-")
        return
    if isinstance(v, str) and "\n" in v:
        block = _block_string(v, indent)
        if block is not None:
            out.append(f"{key_prefix} {block[0]}")
            out.extend(block[1:])
            return
    out.append(f"{key_prefix} {scalar(v)}")


def emit_mapping(d: dict, indent: str, out: list) -> None:
    for k, v in d.items():
        if isinstance(v, Commented):
            _notes(v.notes, indent, out)
            v = v.value
        _emit_value(v, indent + "  ", out, f"{indent}{scalar(k)}:")


def dump(d: dict, header=()) -> str:
    out = []
    _notes(header, "", out)
    emit_mapping(d, "", out)
    return "\n".join(out) + "\n"
