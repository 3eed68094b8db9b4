"""Validation: which rules apply to a setup, and running them.

Flow: a loaded store -> the rules that apply (profiles, then the era of the
setup's reference date) -> a SHACL engine -> the report model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from types import ModuleType

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from cancergraph import dates, engine_fast, engine_pyshacl, entailment, store
from cancergraph import rules as rulebook
from cancergraph.errors import UserError
from cancergraph.report import (
    DATE_ASKED,
    DATE_DECLARED,
    DATE_TODAY,
    LABEL_PROPERTIES,
    Report,
    from_results_graph,
    pick_label,
)
from cancergraph.vocab import CG, OWL, RDF, SH, XSD

CONTEXT_SETUP = "urn:cancergraph:context#setup"
XSD_DATE_ZONE = re.compile(r"(Z|[+-](0\d|1[0-4]):[0-5]\d)$")
RDF_TYPE = ox.NamedNode(str(RDF.type))
REFERENCE_DATE = ox.NamedNode(str(CG.referenceDate))

ENGINES: dict[str, ModuleType] = {
    engine_fast.NAME: engine_fast,
    engine_pyshacl.NAME: engine_pyshacl,
}
DEFAULT_ENGINE = engine_fast.NAME


class ValidationError(UserError):
    """The validation cannot be run as asked (bad profile, conflicting dates, bad shapes)."""


@dataclass(frozen=True)
class Plan:
    """What will be checked: the shapes graph with inapplicable rules switched off.

    The project's shapes graph is shared by every plan with the same rules applied:
    read it, do not change it.
    """

    shapes: Graph
    rules: list[rulebook.Rule]
    applied: list[str]
    reference_date: date | None
    profiles: list[str]
    project_shapes: bool
    date_source: str | None = None


def declared_dates(data: ox.Store) -> set[date]:
    found: set[date] = set()
    for quad in data.quads_for_pattern(None, REFERENCE_DATE, None, None):
        value = quad.object
        # the setup is named: its file is not known once several files are merged
        where = f"cg:referenceDate of {quad.subject}"
        if not isinstance(value, ox.Literal) or value.datatype.value != str(XSD.date):
            raise ValidationError(f"{where} must be an xsd:date, found {value}")
        try:
            # xsd:date may carry a time zone (2014-06-30Z, 2014-06-30+01:00); the day is
            # what a reference date means, so the zone is dropped
            found.add(dates.day(XSD_DATE_ZONE.sub("", value.value.strip())))
        except ValueError:
            raise ValidationError(f"{where} is not a valid date: {value.value}") from None
    return found


def reference_date(data: ox.Store, as_of: date | None = None) -> tuple[date, str]:
    """The date a setup is judged as of, and where it came from: --as-of, else the one
    the setup declares, else today (which the report must say: a setup that forgot its
    date would otherwise be judged by today's rules without a word)."""
    if as_of is not None:
        return as_of, DATE_ASKED
    declared = declared_dates(data)
    if len(declared) > 1:
        shown = ", ".join(sorted(d.isoformat() for d in declared))
        raise ValidationError(
            f"the data declares more than one reference date ({shown}); "
            "validate one setup at a time or choose one with --as-of"
        )
    if declared:
        return declared.pop(), DATE_DECLARED
    return date.today(), DATE_TODAY


def plan(
    data: ox.Store,
    *,
    profiles: Sequence[str] | None = None,
    shapes: Graph | None = None,
    as_of: date | None = None,
) -> Plan:
    if shapes is not None:
        custom = rulebook.catalogue(shapes)
        return Plan(shapes, custom, [r.id for r in custom], None, [], project_shapes=False)
    named = list(profiles) if profiles else list(rulebook.PROFILES)
    unknown = [name for name in named if name not in rulebook.PROFILES]
    if unknown:
        raise ValidationError(
            f"unknown profile {', '.join(unknown)}; expected one of: {', '.join(rulebook.PROFILES)}"
        )
    # each once and in the catalogue's order, so that a report lists the same profiles
    # however often and in whatever order the command line or the request named them
    chosen = [name for name in rulebook.PROFILES if name in named]
    day, date_source = reference_date(data, as_of)
    eras = {era.name: era for era in rulebook.eras().values()}
    catalogue = rulebook.catalogue()
    applied = [rule for rule in catalogue if rule.source in chosen and eras[rule.era].covers(day)]
    applied_shapes = {rule.shape for rule in applied}
    graph = _switched_off(frozenset(r.shape for r in catalogue if r.shape not in applied_shapes))
    return Plan(graph, catalogue, [r.id for r in applied], day, chosen, True, date_source)


# The project's shapes with some rules switched off, per set switched off (see `plan`).
_SWITCHED: dict[tuple[int, frozenset[URIRef]], tuple[Graph, Graph]] = {}
# Each engine's compiled form of such a graph (see `compiled`).
_COMPILED: dict[tuple[str, int], tuple[Graph, object]] = {}
_CACHE_LIMIT = 32


def _switched_off(shapes: frozenset[URIRef]) -> Graph:
    """The project's shapes with these shapes deactivated, built once per process.

    Plans with the same rules switched off share the graph, so it is read, never
    changed. Each entry keeps the project graph it was built from, so its id (part
    of the key) cannot be reused by another graph meanwhile.
    """
    project = rulebook.project_shapes_graph()
    key = (id(project), shapes)
    found = _SWITCHED.get(key)
    if found is None:
        if len(_SWITCHED) >= _CACHE_LIMIT:
            _SWITCHED.clear()
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in project)
        graph.addN((shape, SH.deactivated, Literal(True), graph) for shape in shapes)
        found = _SWITCHED.setdefault(key, (project, graph))
    return found[1]


def prepare(data: ox.Store, checked: Plan) -> None:
    """Merge the setup into one graph, mix the ontology in, and leave exactly one
    reference date, the one the shapes read.

    The engines read the union of the store's graphs, and pyoxigraph's union keeps a
    triple once for each graph it is in, where an RDF merge keeps it once: a setup
    read from TriG with a triple in two graphs, or restating an axiom of the ontology,
    would count it twice in an aggregate. Everything is therefore put in the default
    graph, which is a set.
    """
    merge_graphs(data)
    if not checked.project_shapes:
        return
    store.add_graph(data, rulebook.ontology_graph())
    entailment.state(data)
    for quad in list(data.quads_for_pattern(None, REFERENCE_DATE, None, None)):
        data.remove(quad)
    assert checked.reference_date is not None
    setup = ox.NamedNode(CONTEXT_SETUP)
    day = ox.Literal(checked.reference_date.isoformat(), datatype=ox.NamedNode(str(XSD.date)))
    data.add(ox.Quad(setup, RDF_TYPE, ox.NamedNode(str(CG.Setup))))
    data.add(ox.Quad(setup, REFERENCE_DATE, day))


def merge_graphs(data: ox.Store) -> None:
    """Move the triples of every named graph into the default graph (an RDF merge)."""
    for graph in list(data.named_graphs()):
        store.add_to_default(data, list(data.quads_for_pattern(None, None, None, graph)))
        data.remove_graph(graph)


def compiled(checked: Plan, engine: str) -> object:
    """The engine's compiled form of the plan's shapes (for the fast engine, its queries
    planned), made once per process for each graph of the project's shapes.

    Shapes given by the caller are compiled every time.
    """
    if not checked.project_shapes:
        return ENGINES[engine].compile(checked.shapes)
    key = (engine, id(checked.shapes))
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) >= _CACHE_LIMIT:
            _COMPILED.clear()
        # The graph is kept with its entry, so its id cannot be reused meanwhile.
        program = ENGINES[engine].compile(checked.shapes)
        found = _COMPILED.setdefault(key, (checked.shapes, program))
    return found[1]


# Statements through an object property whose value is a literal: the rules follow such a
# property to a node, so what the statement says is never judged.
_LITERAL_LINKS = """
SELECT ?property (COUNT(*) AS ?count) (MIN(STR(?subject)) AS ?first)
WHERE {
    ?property a owl:ObjectProperty .
    ?subject ?property ?value .
    FILTER (isLiteral(?value))
}
GROUP BY ?property
ORDER BY STR(?property)
"""


def unread_statements(data: ox.Store) -> list[str]:
    """Notes on statements the rules cannot read: a name given where the ontology wants a
    link (org:member "NHS Northfold CCG") takes what it names out of every rule that
    follows the link, which would otherwise pass without a word."""
    notes = []
    for row in data.query(_LITERAL_LINKS, prefixes={"owl": str(OWL)}):
        count = int(row["count"].value)
        statements = "1 statement gives" if count == 1 else f"{count} statements give"
        notes.append(
            f"{statements} <{row['property'].value}> a literal value (the first about "
            f"<{row['first'].value}>), where the ontology expects a link to a node: the "
            "rules cannot follow it, so what it names is not judged"
        )
    return notes


def labeller(data: ox.Store) -> Callable[[Node], str | None]:
    def label(node: Node) -> str | None:
        return pick_label(store.labels(data, node, LABEL_PROPERTIES))

    return label


def validate(
    data: ox.Store,
    *,
    profiles: Sequence[str] | None = None,
    shapes: Graph | None = None,
    as_of: date | None = None,
    sources: Sequence[str] = (),
    engine: str = DEFAULT_ENGINE,
    owned: bool = False,
) -> Report:
    """Validate a setup. The store is copied first unless the caller hands it over (owned)."""
    if engine not in ENGINES:
        raise ValidationError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
    checked = plan(data, profiles=profiles, shapes=shapes, as_of=as_of)
    work = data if owned else store.copy(data)
    prepare(work, checked)
    results = ENGINES[engine].run(work, checked.shapes, compiled(checked, engine))
    findings = from_results_graph(results, checked.shapes, labeller(work), checked.rules)
    return Report(
        conforms=not findings,
        results=findings,
        notes=unread_statements(work) if checked.project_shapes else [],
        reference_date=checked.reference_date,
        reference_date_source=checked.date_source,
        rules_applied=checked.applied,
        rules={rule.id: rule for rule in checked.rules},
        profiles=checked.profiles,
        engine=engine,
        sources=list(sources),
    )
