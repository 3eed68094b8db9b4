"""RDF terms across rdflib (the shapes graph, the results graph) and pyoxigraph (the data).

Constants from the shapes graph are written into generated SPARQL. Blank nodes
cannot be written as query text (a `_:b` in a query is a fresh variable), so
they are written as a call of a custom function that returns the store's blank
node with that label; the engine registers the function with every query.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from cancergraph.store import rdflib_term

BNODE_FUNCTION = ox.NamedNode("urn:x-cancergraph:fastshacl:bnode")

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def _blank_node(label: ox.Literal) -> ox.BlankNode:
    return ox.BlankNode(label.value)


CUSTOM_FUNCTIONS = {BNODE_FUNCTION: _blank_node}


# the data's terms become rdflib's the way pyshacl's copy of the data makes them
to_rdflib = rdflib_term


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


def iri(value: str) -> str:
    return f"<{value}>"


def sparql(node: Node) -> str:
    """A constant as a SPARQL expression (for FILTER and BIND; for VALUES unless a blank node)."""
    if isinstance(node, URIRef):
        return iri(str(node))
    if isinstance(node, BNode):
        return f'{iri(BNODE_FUNCTION.value)}("{_escape(str(node))}")'
    if isinstance(node, Literal):
        text = f'"{_escape(str(node))}"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None:
            return f"{text}^^{iri(str(node.datatype))}"
        return text
    raise TypeError(f"not an RDF term: {node!r}")


def sparql_ox(term: OxTerm) -> str:
    return sparql(to_rdflib(term))


def show(node: Node) -> str:
    """How a term appears inside a message. A blank node's label is the parser's, new on
    every run, so it is shown as `[ ]`, and a message reads the same in every run (the
    result's focus node, value and shape fields name the node)."""
    if isinstance(node, BNode):
        return "[ ]"
    return str(node)
