"""The report as a standard SHACL validation report graph, in Turtle."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from cancergraph.report import Finding, Report, Severity
from cancergraph.vocab import CG, RDF, SH, XSD

SEVERITY_IRIS = {
    Severity.VIOLATION: SH.Violation,
    Severity.WARNING: SH.Warning,
    Severity.INFO: SH.Info,
}


def _node(text: str) -> Node:
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)


def _value(finding: Finding) -> Node | None:
    """The value as the engine gave it; a blank node by its name in the report, so that
    the same node is the same in every result."""
    value = finding.terms.value
    if value is None or isinstance(value, BNode):
        return _node(finding.value) if finding.value is not None else None
    return value


def as_graph(report: Report) -> Graph:
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("cg", CG)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms)))
    if report.reference_date is not None:
        graph.add(
            (root, CG.referenceDate, Literal(report.reference_date.isoformat(), datatype=XSD.date))
        )
    for finding in report.results:
        result = BNode()
        graph.add((root, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, _node(finding.focus_node)))
        graph.add((result, SH.resultSeverity, SEVERITY_IRIS[finding.severity]))
        graph.add((result, SH.sourceShape, _node(finding.shape)))
        graph.add((result, SH.sourceConstraintComponent, _node(finding.constraint)))
        graph.add((result, SH.resultMessage, Literal(finding.message)))
        if finding.terms.path is not None:
            graph.add((result, SH.resultPath, finding.terms.path))
            for triple in finding.terms.path_triples:
                graph.add(triple)
        value = _value(finding)
        if value is not None:
            graph.add((result, SH.value, value))
        if finding.rule:
            graph.add((result, CG.ruleId, Literal(finding.rule)))
    return graph


def render(report: Report) -> str:
    return as_graph(report).serialize(format="turtle")
