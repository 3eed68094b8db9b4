"""Validation results and the standard SHACL results graph built from them.

The engine's output is the same results graph pyshacl produces, so the report
model (cancergraph.report) and every renderer read it unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from cancergraph.fastshacl import paths, terms
from cancergraph.vocab import RDF, SH, XSD

_TEMPLATE = re.compile(r"\{[?$]([A-Za-z0-9_]+)\}")


@dataclass(frozen=True)
class Result:
    """One validation result; `via` is the node of the evaluated focus set it was found for
    (the focus node itself, or the parent's node for results of nested property shapes).
    """

    focus: Node
    shape: Node
    component: Node
    severity: Node
    path: Node | None = None
    value: Node | None = None
    messages: tuple[Literal, ...] = ()
    constraint: Node | None = None
    via: Node | None = None

    def routed(self, via: Node) -> Result:
        return replace(self, via=via)

    @property
    def owner(self) -> Node:
        return self.via if self.via is not None else self.focus


def fill(template: Literal, bindings: Mapping[str, Node]) -> Literal:
    """A message template with {$var} / {?var} replaced by the bound values."""
    text = _TEMPLATE.sub(
        lambda m: terms.show(bindings[m.group(1)]) if m.group(1) in bindings else m.group(0),
        str(template),
    )
    return Literal(text, lang=template.language)


def messages(
    templates: Iterable[Literal], bindings: Mapping[str, Node], default: str | None = None
) -> tuple[Literal, ...]:
    filled = tuple(
        sorted({fill(t, bindings) for t in templates}, key=lambda m: (str(m), m.language or ""))
    )
    if not filled and default:
        return (Literal(default),)
    return filled


def graph(results: Iterable[Result], shapes: Graph) -> Graph:
    """The SHACL validation report as an RDF graph.

    It is only ever read whole, so it uses rdflib's plain in-memory store, which adds
    triples about twice as fast as the default one, and binds no prefixes but sh:
    (binding rdflib's thirty defaults took 0.26 ms, more than the results of a
    small setup); renderers build their own graphs.
    """
    out = Graph(store="SimpleMemory", bind_namespaces="none")
    out.bind("sh", SH)
    report = BNode()
    triples = [(report, RDF.type, SH.ValidationReport)]
    conforms = True
    for result in results:
        conforms = False
        node = BNode()
        triples += [
            (report, SH.result, node),
            (node, RDF.type, SH.ValidationResult),
            (node, SH.focusNode, result.focus),
            (node, SH.sourceShape, result.shape),
            (node, SH.sourceConstraintComponent, result.component),
            (node, SH.resultSeverity, result.severity),
        ]
        if result.path is not None:
            triples.append((node, SH.resultPath, paths.copy_structure(shapes, result.path, out)))
        if result.value is not None:
            triples.append((node, SH.value, result.value))
        if result.constraint is not None:
            triples.append((node, SH.sourceConstraint, result.constraint))
        triples += [(node, SH.resultMessage, message) for message in result.messages]
    triples.append((report, SH.conforms, Literal(conforms, datatype=XSD.boolean)))
    out.addN((s, p, o, out) for s, p, o in triples)
    return out
