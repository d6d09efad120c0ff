"""The Jinja2 environment every back-end renders with (glad style: loud on typos)."""

import os

import jinja2

TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates")


def environment(subdir: str = "") -> jinja2.Environment:
    """An environment loading from templates/<subdir>; callers add their filters and globals."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.join(TEMPLATES, subdir) if subdir else TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
    )
