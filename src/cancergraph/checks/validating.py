"""Whether the examples can be validated as `cancergraph validate` does.

The examples checks compare validation reports, and `query-empty` runs queries over
them; validation reads the project's ontology and shapes itself, so when one of them
cannot be read, or the shapes cannot be run, those checks have nothing to compare and
do not run.
"""

from __future__ import annotations

from cancergraph import resources
from cancergraph.checks import shapes
from cancergraph.checks.workspace import Context


def unparsable(ctx: Context) -> str | None:
    """Why validation cannot read the project's ontology and shapes: the first file of
    them that does not parse."""
    return ctx.unparsable([*resources.ontology_files(), *resources.shape_files()])


def cannot_validate(ctx: Context) -> str | None:
    """Why the examples cannot be validated: a project file that does not parse, or a
    SPARQL query of the project's shapes that does not, which the engine stops on."""
    reason = unparsable(ctx)
    if reason is not None:
        return reason
    errors = shapes.sparql_errors(ctx, resources.shape_files())
    if not errors:
        return None
    first = min(errors, key=lambda finding: (finding.file or "", finding.line or 0))
    where = f" at line {first.line}" if first.line else ""
    return f"a SPARQL query of {first.file} does not parse{where}"
