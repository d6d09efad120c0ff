"""Back ends: each turns the model into one kind of output and is the one place that knows it.

A back end is a package with `generate(model, outdir, **options) -> (written,
unchanged, removed)` and, when its output language constrains names,
`check(model, diags)` reporting what the model cannot become in that
language (run by every command, so `check` reports it too).
cpp: C++ headers (naming.py is the one place that makes C++ names);
docs: Markdown pages and samples.json; openapi: OpenAPI 3.1 documents.
"""
