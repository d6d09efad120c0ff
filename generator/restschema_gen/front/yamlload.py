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
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionEndEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
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


# Bounds against hostile input (docs/schema-format.md, "Limits"). No real schema
# or OpenAPI description comes near them: the repository's schemas nest 10 levels,
# real descriptions a few dozen, and aliases are rare in either.
_MIB = 1024 * 1024
MAX_BYTES = 256 * _MIB  # a file's size; GitHub's description is 13 MB of JSON, its dereferenced variants up to 75 MiB
MAX_DEPTH = 256  # collections (mappings, lists) nested in each other
MAX_ALIAS_VALUES = 100_000  # values produced by expanding aliases, or the document's own count if larger


class LimitExceeded(Exception):
    """A bound crossed: the document is refused with this one message, nothing else runs on it."""

    def __init__(self, mark, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


class FileTooLarge(Exception):
    """A file over MAX_BYTES, refused before it is read into memory; the message names its size."""


def read_bytes(path: str) -> bytes:
    """The file's content; raises OSError, or FileTooLarge when it is larger than MAX_BYTES."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_BYTES:
            raise FileTooLarge(f"file is too large: {size / _MIB:.1f} MiB ({size} bytes); restschema reads files up to {MAX_BYTES // _MIB} MiB")
        raw = f.read(MAX_BYTES + 1)  # a pipe has no size before it is read
    if len(raw) > MAX_BYTES:
        raise FileTooLarge(f"file is too large: more than the {MAX_BYTES // _MIB} MiB restschema reads")
    return raw


def _too_deep(mark) -> LimitExceeded:
    return LimitExceeded(mark, f"nesting deeper than {MAX_DEPTH} levels")


class _PyLoader(Reader, Scanner, Parser, Composer, _Resolver):
    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)
        self._collections = 0  # open collections around the node being composed

    def compose_node(self, parent, index):
        # The composer recurses once per level: stop at the bound, before Python's recursion limit.
        if self._collections >= MAX_DEPTH and self.check_event(SequenceStartEvent, MappingStartEvent):
            raise _too_deep(self.peek_event().start_mark)
        self._collections += 1
        try:
            return Composer.compose_node(self, parent, index)
        finally:
            self._collections -= 1


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


# libyaml's composer recurses in C, once per level: it slows down quadratically
# (0.2 s at 5,000 levels, 3 s at 20,000) and crashes the process between 30,000
# and 40,000. A document that might nest deeper than this is first walked as
# events (a loop, no recursion) to find out; the walk costs half as much as
# composing, so the test below must leave ordinary files alone: GitHub's imported
# service.yaml holds some 5,400 flow lists ('enum: [...]'), none nested.
_C_SAFE_DEPTH = 10_000
# Each block level needs more indentation than its parent, or '- ' / '? ' / ': '
# before it on the same line; a list may be the value of a key at the same
# column, so a line prefix of n characters leaves room for 2 (n + 1) levels.
_BLOCK_PREFIX = 1000
_LONG_LINE_PREFIX_RE = re.compile(r"^[ \t?:-]{%d}" % _BLOCK_PREFIX, re.M)


def _may_nest_too_deep_for_c(text: str) -> bool:
    """False when the document surely nests at most _C_SAFE_DEPTH collections: each
    flow level needs a '[' or '{', and block levels are bounded by line prefixes."""
    flow_bound = text.count("[") + text.count("{")
    return flow_bound > _C_SAFE_DEPTH - 2 * (_BLOCK_PREFIX + 1) or _LONG_LINE_PREFIX_RE.search(text) is not None


def _check_depth_by_events(text: str) -> None:
    """Raises LimitExceeded at the first collection nested deeper than MAX_DEPTH."""
    parser = _CParser(text)
    open_collections = 0
    try:
        while True:
            event = parser.get_event()
            if event is None:
                return
            kind = type(event)
            if kind is SequenceStartEvent or kind is MappingStartEvent:
                open_collections += 1
                if open_collections > MAX_DEPTH:
                    raise _too_deep(event.start_mark)
            elif isinstance(event, CollectionEndEvent):
                open_collections -= 1
    finally:
        parser.dispose()


def _compose(text: str):
    """The node graph: libyaml's when present (the same nodes and marks, columns in
    characters); a document it refuses is composed again by the pure-Python loader,
    so that messages are worded the same with or without libyaml."""
    if _CLoader is not None:
        try:
            if _may_nest_too_deep_for_c(text):
                _check_depth_by_events(text)
            loader = _CLoader(text)
            try:
                return loader.get_single_node()
            finally:
                loader.dispose()
        except yaml.YAMLError:
            pass  # worded by the pure-Python loader
    loader = _PyLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load(text: str, doc: Document, diags: Diagnostics) -> None:
    """Fills doc.data and its position maps; reports problems into diags."""
    doc.lines = text.splitlines()
    # The pure-Python composer and the converter recurse up to three frames a
    # level: room for MAX_DEPTH levels, however deep the caller already is.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * MAX_DEPTH + 1000))
    try:
        _load(text, doc, diags)
    finally:
        sys.setrecursionlimit(limit)


def _load(text: str, doc: Document, diags: Diagnostics) -> None:
    try:
        node = _compose(text)
    except LimitExceeded as e:
        diags.error(Position(doc.display_path, e.mark.line + 1, e.mark.column + 1), e.message)
        return
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
    try:
        doc.data = _Converter(doc, diags, node).convert(node, (), 0)
    except LimitExceeded as e:
        # Nothing else runs on a document that crossed a bound: no partial data, one message.
        doc.data = None
        doc.value_marks, doc.key_marks, doc.nodes = {}, {}, {}
        mark = e.mark
        if isinstance(mark, tuple):  # the path of an alias: find where it is written
            mark, name = _alias_at(text, mark)
            e.message = e.message.replace("{alias}", f"'*{name}'" if name else "an alias")
            if mark is None:
                mark = node.start_mark
        diags.error(Position(doc.display_path, mark.line + 1, mark.column + 1), e.message)


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


class _Converter:
    """Nodes to plain data. An alias makes the composer share a node; converting it
    again expands it, and expansions are counted: nine levels of nine aliases each
    would be 387 million values (the "billion laughs")."""

    def __init__(self, doc: Document, diags: Diagnostics, root):
        self.doc, self.diags, self.root = doc, diags, root
        self.converted = set()  # ids of the collections converted at least once
        self.open = set()  # ids of the collections being converted (the ancestors)
        self.expanding = None  # path of the alias being expanded, None outside one
        self.expanded = 0  # values produced by expanding aliases
        self.expansion_limit = 0  # set at the first alias

    def convert(self, node, path: Path, depth: int) -> Any:
        doc = self.doc
        doc.value_marks[path] = node.start_mark
        doc.nodes[path] = node
        if self.expanding is not None:
            self.expanded += 1
            if self.expanded > self.expansion_limit:
                raise LimitExceeded(self.expanding, f"alias {{alias}}: aliases expand to more than {self.expansion_limit} values (a \"billion laughs\" document?)")
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node, doc, self.diags)
        if depth >= MAX_DEPTH:
            raise _too_deep(node.start_mark)
        key = id(node)
        if key in self.converted:  # an alias: this node is converted once more
            if key in self.open:
                raise LimitExceeded(path, "alias {alias} refers to a collection that contains it (a recursive structure)")
            if self.expanding is None:
                if not self.expansion_limit:
                    self.expansion_limit = max(MAX_ALIAS_VALUES, _count_nodes(self.root))
                self.expanding = path
                try:
                    return self._collection(node, path, depth)
                finally:
                    self.expanding = None
        else:
            self.converted.add(key)
        self.open.add(key)
        try:
            return self._collection(node, path, depth)
        finally:
            self.open.discard(key)

    def _collection(self, node, path: Path, depth: int) -> Any:
        doc, diags = self.doc, self.diags
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                diags.error(_at(doc, node), f"unsupported YAML tag '{node.tag}'")
            return [self.convert(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
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
            result[key] = self.convert(value_node, path + (key,), depth + 1)
        return result


def _count_nodes(root) -> int:
    """The document's own nodes, each counted once however many aliases share it."""
    seen, stack, count = {id(root)}, [root], 0
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, yaml.ScalarNode):
            continue
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        for child in children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return count


def _alias_at(text: str, path: Path):
    """(mark, anchor name) of the alias written at `path`, walking the events again
    (the node graph keeps no trace of aliases); (None, '') when not found."""
    parser = _CParser(text) if _CLoader is not None else _PyLoader(text)
    # Per open collection: [is a mapping, its path (None inside a key), next index or key, a key comes next].
    frames: list = []
    try:
        while True:
            event = parser.get_event()
            if event is None:
                return None, ""
            if isinstance(event, CollectionEndEvent):
                frames.pop()
                if frames:
                    _after_value(frames[-1])
                continue
            starts = isinstance(event, (SequenceStartEvent, MappingStartEvent))
            if not starts and not isinstance(event, (ScalarEvent, AliasEvent)):
                continue
            if not frames:
                here = ()
            else:
                top = frames[-1]
                if top[0] and top[3]:  # a key: its value comes next
                    top[2] = event.value if isinstance(event, ScalarEvent) else None
                    top[3] = False
                    if starts:  # a collection as key (refused when converted): skip it
                        depth = 1
                        while depth:
                            inner = parser.get_event()
                            if isinstance(inner, (SequenceStartEvent, MappingStartEvent)):
                                depth += 1
                            elif isinstance(inner, CollectionEndEvent):
                                depth -= 1
                    continue
                here = None if top[1] is None or top[2] is None else top[1] + (top[2],)
            if isinstance(event, AliasEvent) and here == path:
                return event.start_mark, event.anchor
            if starts:
                frames.append([isinstance(event, MappingStartEvent), here, 0, True])
            elif frames:
                _after_value(frames[-1])
    except yaml.YAMLError:
        return None, ""
    finally:
        parser.dispose()


def _after_value(frame) -> None:
    if frame[0]:
        frame[3] = True
    else:
        frame[2] += 1


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
