"""The front end: schema files (YAML) -> the validated, language-neutral model.

The only code that knows the schema format: yamlload (YAML with positions),
sources (finding files, the JSON Schema), parse (semantic checks, building the
model), model (what back ends read), diagnostics (file:line:col errors).
"""
from .diagnostics import Diagnostic, Diagnostics, Position
from .parse import load_model, parse_model
from .yamlload import MAX_DEPTH, FileTooLarge, plain_reads_as_itself, read_bytes, read_text

# read_text / plain_reads_as_itself: YAML reading and writing rules for the
# importers (importer/), which read other formats and write this one;
# read_bytes / FileTooLarge / MAX_DEPTH: the bounds they read them within.
__all__ = [
    "MAX_DEPTH", "Diagnostic", "Diagnostics", "FileTooLarge", "Position",
    "load_model", "parse_model", "plain_reads_as_itself", "read_bytes", "read_text",
]
