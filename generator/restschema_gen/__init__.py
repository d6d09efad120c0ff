"""restschema-gen: validates restschema YAML files and generates code from them."""

__version__ = "1.0"
