"""C++ names: the one place that turns the model's schema names into C++ identifiers.

`CppNames(model)` computes the name of every element the C++ back end emits
(namespaces, types, members, enumerators, descriptors, request structs, error
enums) and records what cannot become C++: keywords, clashes, names nothing
usable derives from. `check(model, diags)` reports those as schema errors, at
the schema key the user has to change.
"""
from __future__ import annotations

import functools
import re

from ...front import model as m
from ...front.edits import edited_items
from ...words import snake_case
from ...front.diagnostics import Diagnostics, Position

# C++20 keywords and alternative tokens.
CPP_KEYWORDS = frozenset(
    """
    alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
    char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
    co_return co_yield decltype default delete do double dynamic_cast else enum explicit export
    extern false float for friend goto if inline int long mutable namespace new noexcept not not_eq
    nullptr operator or or_eq private protected public register reinterpret_cast requires return
    short signed sizeof static static_assert static_cast struct switch template this thread_local
    throw true try typedef typeid typename union unsigned using virtual void volatile wchar_t while
    xor xor_eq
    """.split()
)

# Lower-case names that are object-like macros on common platforms (glibc,
# GCC in gnu++ mode): a member with one of these names would not compile.
RESERVED_NAMES = frozenset("errno unix linux i386 stdin stdout stderr assert NULL EOF".split())

_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def is_identifier(name: str) -> bool:
    return bool(_IDENT_RE.match(name))


def is_reserved(name: str) -> bool:
    """True for a C++ keyword, a reserved identifier, or a known macro name."""
    return (
        name in CPP_KEYWORDS
        or name in RESERVED_NAMES
        or "__" in name
        or (name.startswith("_") and len(name) > 1 and name[1].isupper())
    )


@functools.lru_cache(maxsize=65536)  # pure; the importer, check and cpp ask for the same names again and again
def cpp_identifier(name: str) -> str:
    """snake_case, then made a safe C++ identifier: a leading digit gets the
    prefix `f_`, keywords and reserved names get a trailing `_`."""
    s = snake_case(name)
    if not s:
        return ""
    if s[0].isdigit():
        s = "f_" + s
    if is_reserved(s):
        s += "_"
    return s


LIBRARY_NAMESPACES = ("std", "boost", "restschema")
# Names every service's namespace already has: the service descriptor, the error
# envelope struct, the list of endpoints.
GENERATED_NAMES = ("service", "error_body", "endpoints")


def _where(pos: Position, other: Position) -> str:
    """How a message at `pos` refers to `other`: 'line N' in the same file."""
    return f"line {other.line}" if other.file == pos.file else f"{other.file}:{other.line}"


class CppNames:
    """The C++ name of every model element, and the problems found on the way (position, message)."""

    def __init__(self, model: m.Model):
        self._names = {}  # id(element) -> C++ name
        self._keep = []  # the named elements, so that their ids stay theirs
        self.problems = []
        namespaces = {}  # namespace -> service name
        for svc in model.services:
            ns = self._service(svc)
            if ns in namespaces and namespaces[ns] != svc.name:
                where = svc.positions.get("cpp_namespace") or svc.positions.get("name")
                self._problem(where, f"C++ namespace '{ns}' is also used by service '{namespaces[ns]}'")
            else:
                namespaces.setdefault(ns, svc.name)

    # ------------------------------------------------------------ lookups (template filters)
    def namespace(self, svc: m.Service) -> str:
        return self._names[id(svc)]

    def ident(self, element) -> str:
        """Type, member, enumerator, error row or endpoint descriptor."""
        if isinstance(element, m.ErrorRow):
            return cpp_identifier(element.name)
        return self._names[id(element)]

    def request(self, ep: m.Endpoint) -> str:
        return cpp_identifier(ep.id + "_request")

    def error(self, ep: m.Endpoint) -> str:
        return cpp_identifier(ep.id + "_error")

    def headers(self, ep: m.Endpoint) -> str:
        return cpp_identifier(ep.id + "_response_headers")

    # ------------------------------------------------------------ naming
    def _set(self, element, name: str) -> None:
        self._names[id(element)] = name
        self._keep.append(element)

    def _problem(self, pos, message: str) -> None:
        self.problems.append((pos, message))

    def _service(self, svc: m.Service) -> str:
        name_pos = svc.positions.get("name")
        if svc.cpp_namespace:
            ns = svc.cpp_namespace
            pos = svc.positions.get("cpp_namespace")
            parts = ns.split("::")
            for part in parts:
                if is_reserved(part):
                    self._problem(pos, f"namespace component '{part}' is a C++ keyword or reserved name")
            if parts[0] in LIBRARY_NAMESPACES:
                self._problem(pos, f"namespace '{ns}' belongs to a library; choose another")
        else:
            ns = svc.name
            if is_reserved(ns) or ns in LIBRARY_NAMESPACES:
                self._problem(name_pos, f"service name '{ns}' cannot be a C++ namespace; set cpp_namespace")
        if svc.name == "all":
            self._problem(name_pos, "service name 'all' is reserved (restschema/gen/all.hpp lists every service)")
        self._set(svc, ns)

        taken = {n: "a generated name" for n in GENERATED_NAMES}  # namespace-scope names -> owner
        for t in svc.types:
            ident = cpp_identifier(t.name)
            if ident in taken:
                self._problem(t.positions.get("name"), f"type '{t.name}' would be named '{ident}' in C++, which clashes with {taken[ident]}")
            taken.setdefault(ident, f"type '{t.name}'")
            if isinstance(t, m.StructType):
                taken.setdefault(ident + "_part0", f"a part of type '{t.name}'")
            self._set(t, ident)
        # Item types of lists that update endpoints merge get <item>_fields and <item>_id (edits.py).
        for e in edited_items(svc):
            base = self._names[id(e.type)]
            for name in (base + "_fields", base + "_id"):
                if name in taken:
                    self._problem(
                        e.type.positions.get("name"),
                        f"type '{e.type.name}' needs the C++ name '{name}' for its list operations, which clashes with {taken[name]}",
                    )
                taken.setdefault(name, f"the list operations of type '{e.type.name}'")
        # Fields after all type names: a member may take its own type's name (then gets '_').
        for t in svc.types:
            if isinstance(t, m.EnumType):
                self._enumerators(t)
            else:
                self._members(t.fields, self.ident(t))
        if svc.envelope is not None:
            self._set(svc.envelope.type, "error_body")
            self._members(svc.envelope.type.fields, "error_body")
        for ep in svc.endpoints:
            id_pos = ep.positions.get("id")
            if ep.id == "types":
                self._problem(id_pos, "endpoint id 'types' is reserved (types.hpp holds the service's types)")
            ident = cpp_identifier(ep.id)
            names = [(ident, "endpoint"), (self.request(ep), "request struct"), (self.error(ep), "error enum")]
            if ep.response.headers:
                names.append((self.headers(ep), "response headers struct"))
            for name, what in names:
                if name in taken:
                    self._problem(id_pos, f"endpoint '{ep.id}' needs the C++ name '{name}' ({what}), which clashes with {taken[name]}")
                taken.setdefault(name, f"endpoint '{ep.id}'")
            self._set(ep, ident)
            self._members(ep.parameters, self.request(ep))
            self._members(ep.response.headers, self.headers(ep))
        return ns

    def _enumerators(self, t: m.EnumType) -> None:
        seen = {}  # enumerator -> wire value
        for v in t.values:
            pos = v.positions.get("value")
            ident = cpp_identifier(v.wire_name)
            if not ident:
                self._problem(pos, f"cannot derive a C++ enumerator from enum value '{v.wire_name}'")
            elif ident in seen:
                self._problem(pos, f"enum values '{seen[ident]}' and '{v.wire_name}' both become the C++ enumerator '{ident}'")
            seen.setdefault(ident, v.wire_name)
            self._set(v, ident)

    def _members(self, fields: list, struct_ident: str) -> None:
        members = {}  # member -> (wire name, position)
        for f in fields:
            pos = f.positions.get("name")
            if f.cpp_name:
                ident = f.cpp_name
                if is_identifier(ident) and is_reserved(ident):
                    self._problem(f.positions.get("cpp_name"), f"cpp_name '{ident}' is a C++ keyword or reserved name")
            else:
                ident = cpp_identifier(f.wire_name)
                if not ident:
                    self._problem(pos, f"cannot derive a C++ member name from '{f.wire_name}'; set cpp_name")
            if not f.is_const and ident:
                if ident == struct_ident:
                    ident += "_"  # a member cannot have its struct's name
                if ident in members:
                    other, opos = members[ident]
                    self._problem(
                        pos,
                        f"'{f.wire_name}' and '{other}' (at {_where(pos, opos)}) both become the C++ member '{ident}'; set cpp_name on one of them",
                    )
                else:
                    members[ident] = (f.wire_name, pos)
            self._set(f, ident)


_last = (None, None)  # (model, its CppNames): the latest model named


def names_of(model: m.Model) -> CppNames:
    """CppNames(model), computed once per model: `cpp` checks the names, then
    renders with them (a fifth of a second at a thousand endpoints, issue 12).
    A parsed model is not changed afterwards; a subset is a new model."""
    global _last
    if _last[0] is not model:
        _last = (model, CppNames(model))
    return _last[1]


def check(model: m.Model, diags: Diagnostics) -> None:
    """Reports every schema name that cannot become the C++ the back end writes."""
    for pos, message in names_of(model).problems:
        diags.error(pos, message)
