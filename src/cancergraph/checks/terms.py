"""Every term of the project's namespace that is used somewhere is declared in the ontology.

A misspelt `cg:` term in a shape, a query or an example is not an error to any
parser or SHACL engine: the shape silently matches nothing. This check catches it.
"""

from __future__ import annotations

from collections.abc import Iterator

from cancergraph.checks.findings import Check, Finding, Level, compact, display_path
from cancergraph.checks.usage import own, uses
from cancergraph.checks.workspace import Context
from cancergraph.vocab import RDF

GROUP = "terms"
UNDECLARED = Check(
    "undeclared-term",
    "Every term used is declared",
    "Each term of the project's namespace (https://w3id.org/cancergraph/ontology#) used "
    "in the ontology, the shapes (SPARQL text included), the queries or the examples is "
    "declared in the ontology, that is, given an rdf:type there.",
    GROUP,
    "Correct the spelling, or declare the term in the ontology with a label and a definition.",
)
CHECKS = (UNDECLARED,)


def active(ctx: Context) -> tuple[Check, ...]:
    ws = ctx.workspace
    return CHECKS if (ws.ontology or ws.shapes or ws.queries or ws.examples) else ()


def blocked(ctx: Context) -> dict[str, str]:
    """Without the whole ontology, every term the broken file declares would be reported."""
    reason = ctx.unparsable(ctx.ontology_files())
    return {UNDECLARED.name: reason} if reason else {}


def run(ctx: Context) -> Iterator[Finding]:
    ontology = ctx.ontology()
    declared = {str(s) for s in ontology.subjects(RDF.type, None) if own(s)}
    for use in uses(ctx):
        if use.term not in declared:
            yield Finding(
                UNDECLARED.name,
                Level.ERROR,
                f"{compact(use.term)} is not declared in the ontology",
                display_path(use.path),
                ctx.source(use.path).mention_of(use.term),
                use.term,
            )
