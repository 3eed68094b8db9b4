"""The rule catalogue, read from the shapes themselves.

The shapes are the single source of truth: each node shape that encodes a
recommendation carries its rule id, source, era, severity, quote and remedy, so
the catalogue, the CLI's `rules` command and report metadata all read them here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from cancergraph import resources, store
from cancergraph.vocab import CG, DCTERMS, RDFS, SH, SKOS

PROFILES = ("nao2004", "kf2011", "integrity")
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Era:
    name: str
    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Rule:
    id: str
    shape: URIRef
    title: str
    severity: str
    era: str
    source: str
    source_title: str
    quote: str
    reading: str
    remedy: str

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "title": self.title,
            "severity": self.severity,
            "era": self.era,
            "source": self.source,
            "source_title": self.source_title,
            "quote": self.quote,
            "reading": self.reading,
            "remedy": self.remedy,
            "shape": str(self.shape),
        }


def parse_turtle_files(paths: Iterable[Path]) -> Graph:
    """The project's Turtle files as one rdflib graph, with their prefixes bound.

    pyoxigraph parses them (in 4 ms, where rdflib's Turtle parser took 100-150 ms, the
    largest fixed cost of a `cancergraph validate` run); rdflib holds the result, as
    the rule catalogue and pyshacl read it.
    """
    graph = Graph()
    for path in paths:
        parser = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
        graph.addN((s, p, o, graph) for s, p, o in store.rdflib_triples(parser))
        for prefix, namespace in parser.prefixes.items():
            graph.bind(prefix, namespace)
    return graph


@cache
def ontology_graph() -> Graph:
    """The project's ontology; cached because every validation mixes it in."""
    return parse_turtle_files(resources.ontology_files())


@cache
def project_shapes_graph() -> Graph:
    return parse_turtle_files(resources.shape_files())


def eras(ontology: Graph | None = None) -> dict[URIRef, Era]:
    onto = ontology if ontology is not None else ontology_graph()
    found: dict[URIRef, Era] = {}
    for era in onto.subjects(predicate=CG.eraStart):
        start = onto.value(era, CG.eraStart)
        end = onto.value(era, CG.eraEnd)
        found[URIRef(era)] = Era(
            name=str(onto.value(era, SKOS.notation) or era),
            start=start.toPython(),
            end=end.toPython() if end is not None else None,
        )
    return found


def rule_sort_key(rule_id: str) -> tuple[int, str, int]:
    match = re.fullmatch(r"([A-Z]+)-(\d+)", rule_id)
    prefix, number = (match.group(1), int(match.group(2))) if match else (rule_id, 0)
    order = {"NAO": 0, "KF": 1, "INT": 2}.get(prefix, 3)
    return order, prefix, number


def catalogue(shapes: Graph | None = None, ontology: Graph | None = None) -> list[Rule]:
    """Every rule the shapes encode, in source order."""
    if shapes is None and ontology is None:
        return list(_project_catalogue())
    return _read_catalogue(
        shapes if shapes is not None else project_shapes_graph(),
        ontology if ontology is not None else ontology_graph(),
    )


@cache
def _project_catalogue() -> tuple[Rule, ...]:
    """The project's rules, read once: every validation and the rules pages need them."""
    return tuple(_read_catalogue(project_shapes_graph(), ontology_graph()))


def _read_catalogue(shapes_graph: Graph, onto: Graph) -> list[Rule]:
    era_names = {iri: era.name for iri, era in eras(onto).items()}
    rules = []
    for shape, rule_id in shapes_graph.subject_objects(CG.ruleId):
        source = shapes_graph.value(shape, DCTERMS.source)
        rules.append(
            Rule(
                id=str(rule_id),
                shape=URIRef(shape),
                title=_text(shapes_graph, shape, RDFS.label),
                severity=SEVERITIES.get(shapes_graph.value(shape, SH.severity), "Violation"),
                era=era_names.get(shapes_graph.value(shape, CG.era), "any"),
                source=_text(onto, source, SKOS.notation) if source is not None else "",
                source_title=_text(onto, source, RDFS.label) if source is not None else "",
                quote=_text(shapes_graph, shape, CG.quote),
                reading=_text(shapes_graph, shape, CG.reading),
                remedy=_text(shapes_graph, shape, CG.remedy),
            )
        )
    return sorted(rules, key=lambda rule: rule_sort_key(rule.id))


def _text(graph: Graph, node: Node, predicate: URIRef) -> str:
    value = graph.value(node, predicate)
    return " ".join(str(value).split()) if value is not None else ""
