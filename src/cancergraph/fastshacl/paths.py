"""SHACL property paths, read from the shapes graph and written as SPARQL property paths.

Every SHACL path kind has an exact SPARQL 1.1 counterpart, so value nodes are
found by the store's own path evaluation, for all focus nodes in one pattern.
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from cancergraph.fastshacl.errors import ShapesError
from cancergraph.vocab import RDF, SH

_UNARY = {
    SH.inversePath: "^",
    SH.zeroOrMorePath: "*",
    SH.oneOrMorePath: "+",
    SH.zeroOrOnePath: "?",
}


def read_list(graph: Graph, head: Node, what: str = "list") -> list[Node]:
    """An RDF list's members; refuses broken lists instead of reading part of one."""
    members: list[Node] = []
    seen: set[Node] = set()
    node = head
    while node != RDF.nil:
        if node in seen:
            raise ShapesError(f"the {what} {head} is a cyclic RDF list")
        seen.add(node)
        firsts = list(graph.objects(node, RDF.first))
        rests = list(graph.objects(node, RDF.rest))
        if len(firsts) != 1 or len(rests) != 1:
            raise ShapesError(f"the {what} {head} is not a well-formed RDF list")
        members.append(firsts[0])
        node = rests[0]
    return members


def to_sparql(graph: Graph, path: Node, depth: int = 0) -> str:
    """The SPARQL property path for a SHACL path node."""
    if depth > 50:
        raise ShapesError(f"the path {path} is nested too deeply (is it recursive?)")
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode):
        raise ShapesError(f"a SHACL path must be an IRI or a blank node, found {path!r}")
    if (path, RDF.first, None) in graph:
        members = read_list(graph, path, "sequence path")
        if len(members) < 2:
            raise ShapesError(f"a sequence path needs at least two members: {path}")
        return "(" + "/".join(to_sparql(graph, m, depth + 1) for m in members) + ")"
    kinds = [p for p in (SH.alternativePath, *_UNARY) if (path, p, None) in graph]
    if len(kinds) != 1:
        raise ShapesError(f"the blank node {path} is not a well-formed SHACL path")
    kind = kinds[0]
    values = list(graph.objects(path, kind))
    if len(values) != 1:
        raise ShapesError(f"the path {path} has {len(values)} values for {kind}")
    if kind == SH.alternativePath:
        members = read_list(graph, values[0], "alternative path")
        if len(members) < 2:
            raise ShapesError(f"an alternative path needs at least two members: {path}")
        return "(" + "|".join(to_sparql(graph, m, depth + 1) for m in members) + ")"
    inner = to_sparql(graph, values[0], depth + 1)
    if kind == SH.inversePath:
        return f"(^{inner})"
    return f"({inner}){_UNARY[kind]}"


def alternatives(graph: Graph, path: Node) -> tuple[str, ...]:
    """The SPARQL of each branch of a path that is an alternative (nested ones flattened),
    or of the path itself.

    A node has no value for an alternative path exactly when it has none for any
    branch, and the store tests each one-property branch with one index lookup
    where it evaluates the alternative as a path.
    """
    if isinstance(path, BNode):
        head = graph.value(path, SH.alternativePath)
        if head is not None:
            members = read_list(graph, head, "alternative path")
            return tuple(branch for m in members for branch in alternatives(graph, m))
    return (to_sparql(graph, path),)


def nullable(graph: Graph, path: Node) -> bool:
    """Whether the path can have length zero, so that every node is its own value node.

    Such paths must start from the focus nodes: a focus node that appears nowhere in
    the data still has itself as a value.
    """
    if isinstance(path, URIRef):
        return False
    if (path, RDF.first, None) in graph:
        return all(nullable(graph, m) for m in read_list(graph, path, "sequence path"))
    if (path, SH.zeroOrMorePath, None) in graph or (path, SH.zeroOrOnePath, None) in graph:
        return True
    for kind in (SH.inversePath, SH.oneOrMorePath):
        inner = graph.value(path, kind)
        if inner is not None:
            return nullable(graph, inner)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return any(nullable(graph, m) for m in read_list(graph, alternatives))
    return True


def copy_structure(source: Graph, path: Node, target: Graph) -> Node:
    """A fresh copy of a path's blank-node structure in another graph (IRIs stay as they are).

    Each result gets its own copy, as in the W3C reports, so results never share nodes.
    """
    if not isinstance(path, BNode):
        return path
    copies: dict[Node, BNode] = {}

    def copy(node: Node) -> Node:
        if not isinstance(node, BNode):
            return node
        if node not in copies:
            copies[node] = BNode()
            for predicate, obj in source.predicate_objects(node):
                target.add((copies[node], predicate, copy(obj)))
        return copies[node]

    return copy(path)
