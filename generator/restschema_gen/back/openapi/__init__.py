"""OpenAPI back end: one OpenAPI 3.1 document per service."""
from .document import generate

__all__ = ["generate"]
