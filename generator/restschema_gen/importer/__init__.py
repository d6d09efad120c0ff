"""Importers: other API description formats -> restschema's YAML (the ordinary format).

They sit beside the front end and the back ends: an importer writes schema
files, which the front end then reads like any others. `openapi` reads
OpenAPI 3.0 / 3.1; `overlay` merges a restschema-format overlay into what an
importer produced.
"""
