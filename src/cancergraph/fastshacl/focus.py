"""Sets of focus nodes, written as SPARQL patterns rather than lists.

A shape's focus nodes are never fetched into Python to be sent back in a query:
they stay a pattern (the targets of a shape, or the value nodes of a parent
shape's focus nodes), and every constraint query starts with that pattern, so
the store evaluates each constraint for all focus nodes in one query. Each
pattern is a DISTINCT sub-SELECT, so a focus node is never counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import BNode, URIRef
from rdflib.term import Node

from cancergraph.fastshacl import terms
from cancergraph.fastshacl.classes import INSTANCE_OF, RDF_TYPE, SUBCLASS_OF
from cancergraph.fastshacl.errors import ShapesError
from cancergraph.vocab import SH


class Source:
    """A set of focus nodes; `pattern(var)` is a group that binds ?var to each, once."""

    @property
    def key(self) -> str:
        raise NotImplementedError

    def pattern(self, var: str) -> str:
        raise NotImplementedError

    @property
    def testable(self) -> bool:
        """Whether `test` exists: a cheap membership test for bound nodes."""
        return False

    def test(self, var: str) -> str:
        """A pattern that keeps a bound ?var (once or more) if it is one of the nodes."""
        raise NotImplementedError


def _constants(var: str, nodes: Sequence[Node]) -> str:
    if not nodes:
        return "{ FILTER(false) }"
    if not any(isinstance(n, BNode) for n in nodes):
        return f"{{ VALUES ?{var} {{ {' '.join(terms.sparql(n) for n in nodes)} }} }}"
    return " UNION ".join(f"{{ BIND({terms.sparql(n)} AS ?{var}) }}" for n in nodes)


def _bind_constant(var: str, node: Node) -> str:
    """A pattern that binds ?var to a constant, usable where the constant is a blank node."""
    return f"BIND({terms.sparql(node)} AS ?{var})"


@dataclass(frozen=True)
class Targets(Source):
    """The focus nodes a shape's targets select."""

    targets: tuple[tuple[URIRef, tuple[Node, ...]], ...]

    @property
    def key(self) -> str:
        return "targets:" + repr(self.targets)

    @property
    def testable(self) -> bool:
        """For class and property targets only.

        Their focus nodes all occur in the data, so a query that binds $this from the
        data alone (even by a path of length zero, which the store evaluates over every
        subject and object) meets each of them; a listed node may occur nowhere.
        """
        listed = any(values for p, values in self.targets if p == SH.targetNode)
        return not listed and any(values for _, values in self.targets)

    def test(self, var: str) -> str:
        """For class targets, the node's types joined with the classes under them.

        The store evaluates rdf:type/rdfs:subClassOf* from a bound node by walking
        up the class tree for each node (2.6 ms for 27 organisations at 100k
        triples); listing the classes once and joining took 0.4 ms.
        """
        classes = [value for p, values in self.targets for value in values]
        only_classes = all(p == SH.targetClass for p, values in self.targets if values)
        if not classes or not only_classes or not all(isinstance(c, URIRef) for c in classes):
            return f"FILTER EXISTS {{ {' UNION '.join(self._branches(var)) or 'FILTER(false)'} }}"
        under = " UNION ".join(
            f"{{ ?_c <{SUBCLASS_OF}>* {terms.sparql(value)} }}" for value in classes
        )
        return f"?{var} <{RDF_TYPE}> ?_c . {{ SELECT DISTINCT ?_c WHERE {{ {under} }} }}"

    def pattern(self, var: str) -> str:
        body = " UNION ".join(self._branches(var)) or "FILTER(false)"
        return f"{{ SELECT DISTINCT ?{var} WHERE {{ {body} }} }}"

    def _branches(self, var: str) -> list[str]:
        branches = []
        for predicate, values in self.targets:
            if not values:
                continue
            if predicate == SH.targetNode:
                branches.append(_constants(var, values))
                continue
            for value in values:
                if not isinstance(value, URIRef | BNode):
                    raise ShapesError(f"{predicate} needs an IRI, found {value}")
                if isinstance(value, BNode):
                    if predicate != SH.targetClass:
                        raise ShapesError(f"{predicate} needs an IRI, found a blank node")
                    branches.append(f"{{ {_bind_constant('_c', value)} ?{var} {INSTANCE_OF} ?_c }}")
                elif predicate == SH.targetClass:
                    branches.append(f"{{ ?{var} {INSTANCE_OF} {terms.sparql(value)} }}")
                elif predicate == SH.targetSubjectsOf:
                    branches.append(f"{{ ?{var} {terms.sparql(value)} ?_o }}")
                else:
                    branches.append(f"{{ ?_s {terms.sparql(value)} ?{var} }}")
        return branches


@dataclass(frozen=True)
class Values(Source):
    """The value nodes of a property path, from the focus nodes of a parent source."""

    parent: Source
    path: str
    depth: int

    @property
    def key(self) -> str:
        return f"values:{self.path}:{self.parent.key}"

    def pattern(self, var: str) -> str:
        inner = f"_p{self.depth}"
        return (
            f"{{ SELECT DISTINCT ?{var} WHERE {{ {self.parent.pattern(inner)} "
            f"?{inner} {self.path} ?{var} . }} }}"
        )


@dataclass(frozen=True)
class Nodes(Source):
    """A fixed list of nodes (one focus node, when a query must run per node)."""

    nodes: tuple[Node, ...]

    @property
    def key(self) -> str:
        return "nodes:" + repr(self.nodes)

    def pattern(self, var: str) -> str:
        return f"{{ SELECT DISTINCT ?{var} WHERE {{ {_constants(var, self.nodes)} }} }}"


def depth(source: Source) -> int:
    return source.depth + 1 if isinstance(source, Values) else 1


def values(source: Source, path_sparql: str | None) -> Source:
    """The value nodes of a shape: the focus nodes for a node shape, else the path's values."""
    if path_sparql is None:
        return source
    return Values(source, path_sparql, depth(source))
