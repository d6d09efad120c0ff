"""C++ back end: headers of plain structs reflected with Boost.Describe and constexpr descriptors."""
from .headers import generate
from .naming import check

__all__ = ["generate", "check"]
