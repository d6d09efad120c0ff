"""Error collection: every problem is a Diagnostic with a file position.

Positions are 1-based (line, column), as compilers print them, so editors
and build logs can jump to them.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Position:
    """A place in a schema file: the path as displayed, 1-based line and column."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    position: Position
    message: str

    def __str__(self) -> str:
        return f"{self.position}: error: {self.message}"


@dataclass
class Diagnostics:
    """Collects errors; never raises, so that every problem gets reported."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, position: Position, message: str) -> None:
        d = Diagnostic(position, message)
        if d not in self.items:
            self.items.append(d)

    def __bool__(self) -> bool:
        return bool(self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items)


def did_you_mean(word: str, candidates) -> str:
    """' (did you mean 'x'?)' when a candidate is close to word, else ''."""
    matches = difflib.get_close_matches(str(word), sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
