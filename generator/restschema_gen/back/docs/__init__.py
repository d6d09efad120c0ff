"""Markdown back end: reference pages and samples.json per service (templates in templates/docs/)."""
from .pages import generate

__all__ = ["generate"]
