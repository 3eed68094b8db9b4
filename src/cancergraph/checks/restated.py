"""An example restated in the ways the ontology makes no difference to.

A setup may state a relation that ORG names from either end (org:unitOf or
org:hasUnit) from whichever end it likes, and need not type a member of a class
the ontology defines by a value (a single clinical network covering cancer is a
cancer network). Validation states these entailments before the rules judge a
setup; a query of the library reads the setup as stored, so it has to read every
way round itself. Each restatement here changes one such thing in an example, so
that a query answering differently on it is caught.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from cancergraph import entailment, store
from cancergraph.checks.findings import compact

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class Restatement:
    """An example with one thing said another way the ontology makes equal."""

    how: str  # for a message: "... when the example <how>"
    remedy: str
    data: ox.Store


def restatements(example: ox.Store, ontology: ox.Store) -> Iterator[Restatement]:
    """The restatements that change something in the example."""
    for one, other in entailment.inverse_pairs(ontology):
        turned = _turned(example, one, other)
        if turned is not None:
            a, b = compact(one.value), compact(other.value)
            yield Restatement(
                f"states {a} and {b} from the other end, which the ontology declares "
                "inverse of each other",
                f"read both ends: {a}|^{b} (in a SELECT DISTINCT where both may be stated)",
                turned,
            )
    for definition in entailment.definitions(ontology):
        untyped = _untyped(example, definition)
        if untyped is not None:
            cls, base = compact(definition.cls.value), compact(definition.base.value)
            value = compact(getattr(definition.value, "value", definition.value))
            having = f"{compact(definition.property.value)} {value}"
            yield Restatement(
                f"leaves out the type {cls} of a {base} with {having}, which the ontology entails",
                f"read the definition too: {{ ?x a {cls} }} UNION {{ ?x a {base} ; {having} }}",
                untyped,
            )


def _turned(example: ox.Store, one: ox.NamedNode, other: ox.NamedNode) -> ox.Store | None:
    """Every statement of either property stated with the other, subject and object swapped."""
    swap = {one: other, other: one}
    moved = [
        quad
        for predicate in swap
        for quad in example.quads_for_pattern(None, predicate, None, None)
        if not isinstance(quad.object, ox.Literal)
    ]
    if not moved:
        return None
    turned = store.copy(example)
    for quad in moved:
        turned.remove(quad)
    turned.extend(
        ox.Quad(quad.object, swap[quad.predicate], quad.subject, quad.graph_name)  # type: ignore[arg-type]
        for quad in moved
    )
    return turned


def _untyped(example: ox.Store, definition: entailment.Definition) -> ox.Store | None:
    """The example without the types that the definition entails of what it says."""
    entailed = [
        quad
        for quad in example.quads_for_pattern(None, RDF_TYPE, definition.cls, None)
        if ox.Quad(quad.subject, RDF_TYPE, definition.base, quad.graph_name) in example
        and ox.Quad(quad.subject, definition.property, definition.value, quad.graph_name) in example
    ]
    if not entailed:
        return None
    untyped = store.copy(example)
    for quad in entailed:
        untyped.remove(quad)
    return untyped
