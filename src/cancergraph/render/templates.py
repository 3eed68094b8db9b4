"""The Jinja2 environment for HTML pages: autoescaping on, templates in the package."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("cancergraph", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
