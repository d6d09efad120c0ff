"""Derivation of identifiers (snake_case) from schema names.

These are the names the generated code uses for struct members, type names
and enumerators; other back-ends may reuse them.
"""
from __future__ import annotations

import re

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


def snake_case(name: str) -> str:
    """`profileId` -> `profile_id`, `PhoneNumber` -> `phone_number`,
    `Content-Type` -> `content_type`, `_destroy` -> `destroy`, `HTTPCode` -> `http_code`.
    Returns '' when nothing usable remains."""
    s = re.sub(r"[^A-Za-z0-9]+", "_", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    s = re.sub(r"_+", "_", s.lower()).strip("_")
    return s


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
