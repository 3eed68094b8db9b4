"""Why the fast engine stops: shapes it must refuse, and shapes it does not run."""

from __future__ import annotations

from cancergraph.errors import UserError


class ShapesError(UserError):
    """The shapes break a SHACL rule (ill-formed shape, forbidden SPARQL), so nothing is run."""


class UnsupportedError(ShapesError):
    """Valid shapes that this engine does not run; the reference engine may."""

    def __init__(self, message: str) -> None:
        super().__init__(f"{message} (the fast engine does not run this; try --engine pyshacl)")
