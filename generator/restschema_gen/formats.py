"""The value formats of the schema language (`format:` of a field), in one table.

Every part of the generator reads this table: the front end (which formats
exist, which JSON type each needs, how an example is checked), the C++ back
end (`restschema::format::<name>` in <restschema/meta.hpp>), the Markdown back
end (a short label and a note) and the OpenAPI back end (an OpenAPI `format`,
a `pattern`, or a sentence of description). The JSON Schema of the format
(schema/restschema.schema.json) lists the same names; a test checks that it
and meta.hpp's `enum class format` agree with this table.

To add a format: a row here, an enumerator in meta.hpp's `format` with its
runtime check in the core, and the name in the JSON Schema's enum.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  # as written in schemas; also the C++ enumerator restschema::format::<name>
    json_type: str  # 'string' or 'integer': the field type the format applies to
    example_regex: str  # full match for an example value ('' = any value of json_type)
    label: str  # docs: `String (<label>)`
    note: str  # docs: `Format: <note>.`
    openapi_format: str = ""  # OpenAPI `format` keyword, when OpenAPI has one
    openapi_pattern: str = ""  # OpenAPI `pattern`, when it has none
    openapi_description: str = ""  # a sentence appended to the OpenAPI description

    def example_ok(self, value) -> bool:
        """Whether an example value (of the right JSON type) has this format."""
        return not self.example_regex or bool(re.fullmatch(self.example_regex, value))


FORMATS = (
    Format(
        "email", "string", r"[^@\s]+@[^@\s]+\.[^@\s]+",
        label="email", note="an email address, `local@domain.tld`", openapi_format="email",
    ),
    Format(
        "e164", "string", r"\+[1-9][0-9]{0,14}",
        label="E.164", note="E.164: `+` and 1 to 15 digits, the first not 0",
        openapi_pattern=r"^\+[1-9][0-9]{0,14}$",
        openapi_description="E.164 phone number: `+` and 1 to 15 digits, the first not 0.",
    ),
    Format(
        "unix_time", "integer", "",
        label="Unix time", note="seconds since 1970-01-01T00:00:00Z",
        openapi_description="Unix time: seconds since 1970-01-01T00:00:00Z.",
    ),
    Format(
        "date", "string", r"\d{4}-\d{2}-\d{2}",
        label="date", note="RFC 3339 full-date, `YYYY-MM-DD`", openapi_format="date",
    ),
    Format(
        "date_time", "string", r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})",
        label="date-time", note="RFC 3339 date-time", openapi_format="date-time",
    ),
    Format(
        "rails_time", "string", r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}",
        label="Rails time", note="`YYYY/MM/DD HH:MM:SS +ZZZZ`",
        openapi_pattern=r"^[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}$",
        openapi_description="Rails' legacy JSON time: `YYYY/MM/DD HH:MM:SS +ZZZZ`.",
    ),
    Format(
        "uri", "string", r"[A-Za-z][A-Za-z0-9+.-]*:\S+",
        label="URI", note="an absolute URI", openapi_format="uri",
    ),
)

BY_NAME = {f.name: f for f in FORMATS}
NAMES = tuple(f.name for f in FORMATS)
