"""Validation: which rules apply to a setup, and running them.

Flow: a loaded store -> the rules that apply (profiles, then the era of the
setup's reference date) -> a SHACL engine -> the report model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal
from rdflib.namespace import XSD

from cancergraph import rules as rulebook
from cancergraph import sparql_cache
from cancergraph.report import Report, from_results_graph
from cancergraph.store import to_rdflib
from cancergraph.vocab import CG, RDF, SH

sparql_cache.install()


class ValidationError(Exception):
    """The validation cannot be run as asked (bad profile, conflicting dates, bad shapes)."""


@dataclass(frozen=True)
class Plan:
    """What will be checked: the shapes graph with inapplicable rules switched off."""

    shapes: Graph
    rules: list[rulebook.Rule]
    applied: list[str]
    reference_date: date | None
    profiles: list[str]
    project_shapes: bool


def reference_date(data: Graph, as_of: date | None = None) -> date:
    """The date a setup is judged as of: --as-of, else the one it declares, else today."""
    if as_of is not None:
        return as_of
    declared = {value.toPython() for value in data.objects(predicate=CG.referenceDate)}
    dates = {value for value in declared if isinstance(value, date)}
    if len(declared) != len(dates):
        bad = sorted(str(v) for v in declared - dates)
        raise ValidationError(f"cg:referenceDate must be an xsd:date, found {', '.join(bad)}")
    if len(dates) > 1:
        shown = ", ".join(sorted(d.isoformat() for d in dates))
        raise ValidationError(
            f"the data declares more than one reference date ({shown}); "
            "validate one setup at a time or choose one with --as-of"
        )
    return dates.pop() if dates else date.today()


def plan(
    data: Graph,
    *,
    profiles: Sequence[str] | None = None,
    shapes: Graph | None = None,
    as_of: date | None = None,
) -> Plan:
    if shapes is not None:
        custom = rulebook.catalogue(shapes)
        return Plan(shapes, custom, [r.id for r in custom], None, [], project_shapes=False)
    chosen = list(profiles) if profiles else list(rulebook.PROFILES)
    unknown = [name for name in chosen if name not in rulebook.PROFILES]
    if unknown:
        raise ValidationError(
            f"unknown profile {', '.join(unknown)}; expected one of: {', '.join(rulebook.PROFILES)}"
        )
    day = reference_date(data, as_of)
    eras = {era.name: era for era in rulebook.eras().values()}
    catalogue = rulebook.catalogue()
    applied = [rule for rule in catalogue if rule.source in chosen and eras[rule.era].covers(day)]
    graph = Graph()
    for triple in rulebook.project_shapes_graph():
        graph.add(triple)
    applied_shapes = {rule.shape for rule in applied}
    for rule in catalogue:
        if rule.shape not in applied_shapes:
            graph.add((rule.shape, SH.deactivated, Literal(True)))
    return Plan(graph, catalogue, [r.id for r in applied], day, chosen, project_shapes=True)


def with_reference_date(data: Graph, day: date) -> Graph:
    """The data with exactly one reference date, the one the shapes read."""
    for subject, value in list(data.subject_objects(CG.referenceDate)):
        data.remove((subject, CG.referenceDate, value))
    setups = list(data.subjects(RDF.type, CG.Setup))
    subject = setups[0] if setups else BNode()
    data.add((subject, RDF.type, CG.Setup))
    data.add((subject, CG.referenceDate, Literal(day.isoformat(), datatype=XSD.date)))
    return data


def validate(
    store: ox.Store,
    *,
    profiles: Sequence[str] | None = None,
    shapes: Graph | None = None,
    as_of: date | None = None,
    sources: Sequence[str] = (),
) -> Report:
    data = to_rdflib(store)
    checked = plan(data, profiles=profiles, shapes=shapes, as_of=as_of)
    ontology = rulebook.ontology_graph() if checked.project_shapes else None
    if checked.reference_date is not None:
        data = with_reference_date(data, checked.reference_date)
    try:
        _, results, text = pyshacl.validate(
            data,
            shacl_graph=checked.shapes,
            ont_graph=ontology,
            inference="none",
            advanced=True,
            allow_infos=False,
            allow_warnings=False,
        )
    except pyshacl.errors.ShapeLoadError as err:
        raise ValidationError(f"the shapes cannot be used: {err}") from None
    except pyshacl.errors.ReportableRuntimeError as err:
        raise ValidationError(f"validation failed: {err}") from None
    if not isinstance(results, Graph):
        raise ValidationError(f"the shapes cannot be used: {text.strip()}")
    label_graphs = [data] + ([ontology] if ontology is not None else [])
    findings = from_results_graph(results, checked.shapes, label_graphs, checked.rules)
    return Report(
        conforms=not findings,
        results=findings,
        reference_date=checked.reference_date,
        rules_applied=checked.applied,
        rules={rule.id: rule for rule in checked.rules},
        profiles=checked.profiles,
        engine="pyshacl",
        sources=list(sources),
    )
