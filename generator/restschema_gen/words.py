"""Splitting schema names into words: what every back end's naming starts from.

Back ends make their own identifiers from these words (the C++ back end adds
keyword escapes in back/cpp/naming.py; the docs back end makes anchors).
"""
from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=65536)  # pure; called for every name of every template
def snake_case(name: str) -> str:
    """`profileId` -> `profile_id`, `PhoneNumber` -> `phone_number`,
    `Content-Type` -> `content_type`, `_destroy` -> `destroy`, `HTTPCode` -> `http_code`.
    Returns '' when nothing usable remains."""
    s = re.sub(r"[^A-Za-z0-9]+", "_", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    s = re.sub(r"_+", "_", s.lower()).strip("_")
    return s
