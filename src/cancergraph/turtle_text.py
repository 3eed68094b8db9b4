"""A node written as one line of Turtle, the blank nodes under it in brackets.

Both the semantic diff and the explanation of an inconsistency show statements
this way: lists as ( ... ), other blank nodes as [ p o ; ... ] with their pairs
sorted, and a blank node met again inside itself as [...].
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from cancergraph.vocab import RDF


def nested(
    graph: Graph,
    node: Node,
    iri: Callable[[Node], str],
    literal: Callable[[Literal], str],
    predicate: Callable[[Node], str],
    seen: set[Node],
) -> str:
    if isinstance(node, Literal):
        return literal(node)
    if not isinstance(node, BNode):
        return iri(node)
    if node in seen:
        return "[…]"
    inner = seen | {node}
    items = list_items(graph, node)
    if items is not None:
        return (
            "( " + " ".join(nested(graph, i, iri, literal, predicate, inner) for i in items) + " )"
        )
    parts = sorted(
        f"{predicate(p)} {nested(graph, o, iri, literal, predicate, inner)}"
        for p, o in graph.predicate_objects(node)
    )
    return "[ " + " ; ".join(parts) + " ]" if parts else "[]"


def list_items(graph: Graph, node: Node) -> list[Node] | None:
    """The members of a well-formed RDF list starting at node, or None."""
    items = []
    current: Node = node
    while current != RDF.nil:
        pairs = list(graph.predicate_objects(current))
        first = graph.value(current, RDF.first)
        rest = graph.value(current, RDF.rest)
        if first is None or rest is None or len(pairs) != 2 or not isinstance(current, BNode):
            return None
        items.append(first)
        current = rest
    return items
