"""YAML loading that keeps positions and rejects duplicate keys.

PyYAML silently keeps the last of two equal keys and forgets where values
came from. This module composes the node graph itself and converts it into
plain Python data (dict / list / str / int / float / bool / None) plus a map
from every value's path (a tuple of keys and list indices) to its start mark,
so that later checks can report `file:line:col`.

Scalars are resolved with the YAML 1.2 core schema (what editors use):
`yes`, `no`, `on`, `off` stay strings, `2012-05-27` stays a string.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .diagnostics import Diagnostics, Position

Path = tuple

_PLAIN = "tag:restschema,2024:plain"
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _Resolver(BaseResolver):
    """Marks plain scalars so that they are resolved by the core schema below."""

    def resolve(self, kind, value, implicit):
        # Called for every node: the default tags directly (no implicit or path resolvers are registered).
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        if kind is yaml.MappingNode:
            return _MAP
        return _SEQ


# resolve() above skips BaseResolver's lookups, which only matter when resolvers are registered.
assert not _Resolver.yaml_implicit_resolvers and not _Resolver.yaml_path_resolvers


class _PyLoader(Reader, Scanner, Parser, Composer, _Resolver):
    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)


try:  # libyaml (Debian's python3-yaml ships it): the same nodes and marks, about ten times faster
    from yaml.cyaml import CParser as _CParser

    class _CLoader(_CParser, _Resolver):
        def __init__(self, stream):
            _CParser.__init__(self, stream)
            _Resolver.__init__(self)

except ImportError:  # PyYAML built without libyaml: the pure-Python loader
    _CLoader = None

_Loader = _CLoader or _PyLoader


_INT_RE = re.compile(r"^[-+]?[0-9]+$")
_OCT_RE = re.compile(r"^0o[0-7]+$")
_HEX_RE = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _resolve_plain(text: str) -> Any:
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT_RE.match(text):
        return int(text, 10)
    if _OCT_RE.match(text):
        return int(text[2:], 8)
    if _HEX_RE.match(text):
        return int(text[2:], 16)
    if _FLOAT_RE.match(text):
        return float(text)
    if text in (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"):
        return math.inf
    if text in ("-.inf", "-.Inf", "-.INF"):
        return -math.inf
    if text in (".nan", ".NaN", ".NAN"):
        return math.nan
    return text


@dataclass
class Document:
    """One loaded schema file."""

    display_path: str  # as printed in diagnostics: command-line DIR joined with the relative path
    banner_path: str  # as named in generated files: relative to the DIR's parent
    data: Any = None
    value_marks: dict = field(default_factory=dict)
    key_marks: dict = field(default_factory=dict)
    nodes: dict = field(default_factory=dict)
    lines: list = field(default_factory=list)

    def pos(self, path: Path) -> Position:
        """Position of the value at path (or of the nearest enclosing value)."""
        path = tuple(path)
        while path and path not in self.value_marks:
            path = path[:-1]
        mark = self.value_marks.get(path)
        if mark is None:
            return Position(self.display_path, 1, 1)
        return Position(self.display_path, mark.line + 1, mark.column + 1)

    def key_pos(self, path: Path) -> Position:
        """Position of the key that introduces the value at path."""
        mark = self.key_marks.get(tuple(path))
        if mark is None:
            return self.pos(path)
        return Position(self.display_path, mark.line + 1, mark.column + 1)

    def pos_in_scalar(self, path: Path, offset: int) -> Position:
        """Position of character `offset` of a one-line string scalar, when it can be mapped exactly."""
        node = self.nodes.get(tuple(path))
        base = self.pos(path)
        if node is None or not isinstance(node, yaml.ScalarNode):
            return base
        text = node.value
        m = node.start_mark
        if "\n" in text or m.line >= len(self.lines):
            return base
        skip = 0 if not node.style else 1 if node.style in ("'", '"') else None
        if skip is None:
            return base
        line = self.lines[m.line]
        start = m.column + skip
        if line[start : start + offset] != text[:offset]:
            return base
        return Position(self.display_path, m.line + 1, start + offset + 1)


def _compose(text: str):
    """The node graph: libyaml's when present (the same nodes and marks, columns in
    characters); a document it refuses is composed again by the pure-Python loader,
    so that messages are worded the same with or without libyaml."""
    for loader_class in ((_CLoader, _PyLoader) if _CLoader else (_PyLoader,)):
        loader = loader_class(text)
        try:
            return loader.get_single_node()
        except yaml.YAMLError:
            if loader_class is _PyLoader:
                raise
        finally:
            loader.dispose()


def load(text: str, doc: Document, diags: Diagnostics) -> None:
    """Fills doc.data and its position maps; reports problems into diags."""
    doc.lines = text.splitlines()
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = e.problem or e.context or "invalid YAML"
        msg = f"YAML syntax error: {problem}"
        if e.context and e.problem and e.context_mark:
            msg += f" ({e.context} at line {e.context_mark.line + 1})"
        diags.error(Position(doc.display_path, line, col), msg)
        return
    except yaml.YAMLError as e:  # reader errors (bad encoding, control characters)
        mark = getattr(e, "problem_mark", None) or None
        pos = Position(doc.display_path, 1, 1)
        if hasattr(e, "position") and hasattr(e, "character"):
            pos = _offset_position(doc, text, e.position)
        diags.error(pos, f"YAML error: {str(e).splitlines()[0] if str(e) else 'invalid input'}")
        return
    if node is None:
        diags.error(Position(doc.display_path, 1, 1), "empty schema file")
        return
    doc.data = _convert(node, (), doc, diags, 0)


def read_text(display_path: str, text: str, diags: Diagnostics) -> Document:
    """A Document of YAML (or JSON) text that is not a schema file: the importer's
    OpenAPI documents, with the same positions and duplicate-key checks."""
    doc = Document(display_path=display_path, banner_path=display_path)
    load(text, doc, diags)
    return doc


def plain_reads_as_itself(text: str) -> bool:
    """Whether `text`, written as a plain YAML scalar, reads back as this same string."""
    return _resolve_plain(text) == text


def _offset_position(doc: Document, text: str, offset: int) -> Position:
    before = text[:offset]
    line = before.count("\n") + 1
    col = offset - (before.rfind("\n") + 1) + 1
    return Position(doc.display_path, line, col)


def _at(doc: Document, node) -> Position:
    return Position(doc.display_path, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node, path: Path, doc: Document, diags: Diagnostics, depth: int) -> Any:
    doc.value_marks[path] = node.start_mark
    doc.nodes[path] = node
    if depth > 64:
        diags.error(_at(doc, node), "YAML nesting too deep (recursive alias?)")
        return None
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, doc, diags)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            diags.error(_at(doc, node), f"unsupported YAML tag '{node.tag}'")
        return [_convert(item, path + (i,), doc, diags, depth + 1) for i, item in enumerate(node.value)]
    # mapping
    if node.tag != _MAP:
        diags.error(_at(doc, node), f"unsupported YAML tag '{node.tag}'")
    result: dict = {}
    first_line: dict = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            diags.error(_at(doc, key_node), "mapping keys must be plain strings")
            continue
        key = key_node.value
        if key == "<<" and not key_node.style:  # plain: None (pure Python) or '' (libyaml)
            diags.error(_at(doc, key_node), "YAML merge keys ('<<') are not supported")
            continue
        if key in result:
            diags.error(_at(doc, key_node), f"duplicate key '{key}' (first defined at line {first_line[key]})")
            continue
        first_line[key] = key_node.start_mark.line + 1
        doc.key_marks[path + (key,)] = key_node.start_mark
        result[key] = _convert(value_node, path + (key,), doc, diags, depth + 1)
    return result


def _scalar(node, doc: Document, diags: Diagnostics) -> Any:
    tag, text = node.tag, node.value
    if tag == _PLAIN:
        return _resolve_plain(text)
    if tag == _STR:
        return text
    here = _at(doc, node)
    if tag in (_INT, _FLOAT, _BOOL, _NULL):
        value = _resolve_plain(text)
        want = {_INT: int, _FLOAT: (int, float), _BOOL: bool, _NULL: type(None)}[tag]
        if isinstance(value, want) and not (tag == _INT and isinstance(value, bool)):
            return float(value) if tag == _FLOAT else value
        diags.error(here, f"'{text}' is not a valid {tag.rsplit(':', 1)[1]}")
        return text
    diags.error(here, f"unsupported YAML tag '{tag}'")
    return text
