"""Whether the examples can be validated as `cancergraph validate` does.

The examples checks compare validation reports, and `query-empty` runs queries over
them; validation reads the project's ontology and shapes itself, so when one of them
cannot be read, those checks have nothing to compare and do not run.
"""

from __future__ import annotations

from cancergraph import resources
from cancergraph.checks.workspace import Context


def unparsable(ctx: Context) -> str | None:
    """Why validation cannot read the project's ontology and shapes: the first file of
    them that does not parse."""
    return ctx.unparsable([*resources.ontology_files(), *resources.shape_files()])
