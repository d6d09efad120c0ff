"""The front end: schema files (YAML) -> the validated, language-neutral model.

The only code that knows the schema format: yamlload (YAML with positions),
sources (finding files, the JSON Schema), parse (semantic checks, building the
model), model (what back ends read), diagnostics (file:line:col errors).
"""
from .diagnostics import Diagnostic, Diagnostics, Position
from .parse import load_model, parse_model

__all__ = ["Diagnostic", "Diagnostics", "Position", "load_model", "parse_model"]
