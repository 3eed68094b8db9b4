"""The shapes: one per rule of the specification, faithful to it, and valid SHACL."""

from __future__ import annotations

import re

import pyshacl
import pytest
from rdflib import Graph

from cancergraph import resources
from cancergraph.rules import catalogue, project_shapes_graph
from cancergraph.vocab import CG, SH
from conftest import SHARED, spec_rules

SOURCE_FILES = {
    "nao2004": "nao-2004-cancer-plan-progress.txt",
    "kf2011": "kings-fund-2011-future-of-cancer-networks.txt",
}
ERA_NAMES = {"cancer-plan", "post-2013", "any"}
SHACL_SHACL = SHARED / "conformance/shacl-w3c/core/complex/shacl-shacl-data-shapes.ttl"


def fold(text: str) -> str:
    return " ".join(text.split())


def test_every_rule_has_exactly_one_shape_and_no_shape_names_an_unknown_rule(rules_spec) -> None:
    spec_ids = [rule["id"] for rule in rules_spec]
    shape_ids = [rule.id for rule in catalogue()]
    assert len(spec_ids) == 33
    assert sorted(shape_ids) == sorted(spec_ids)
    assert len(set(shape_ids)) == len(shape_ids)


@pytest.mark.parametrize("spec", spec_rules(), ids=lambda r: r["id"])
def test_shape_carries_the_rule_metadata(spec: dict) -> None:
    rule = {r.id: r for r in catalogue()}[spec["id"]]
    assert rule.severity == spec["severity"]
    assert rule.era == spec["era"]
    assert rule.source == spec["source"]
    assert fold(rule.quote) == fold(spec["quote"])
    # the reading a report shows is the contract's, word for word
    assert fold(rule.reading) == fold(spec["rule"])
    assert rule.title and rule.remedy
    assert rule.era in ERA_NAMES


@pytest.mark.parametrize(
    "spec", [r for r in spec_rules() if r["source"] in SOURCE_FILES], ids=lambda r: r["id"]
)
def test_quote_is_verbatim_in_its_source(spec: dict) -> None:
    text = (SHARED / "sources" / SOURCE_FILES[spec["source"]]).read_text(encoding="utf-8")
    assert fold(spec["quote"]) in fold(text)


def test_shapes_are_grouped_in_one_file_per_profile() -> None:
    names = sorted(path.stem for path in resources.shape_files())
    assert names == ["integrity", "kf2011", "nao2004"]
    for path in resources.shape_files():
        graph = Graph().parse(path)
        sources = {
            str(o).rsplit("#", 1)[-1]
            for o in graph.objects(predicate=None)
            if str(o).startswith(str(CG)) and str(o).endswith(path.stem)
        }
        assert sources == {path.stem}


def test_every_constraint_has_a_message_for_reviewers() -> None:
    shapes = project_shapes_graph()
    for constraint in shapes.objects(predicate=SH.sparql):
        message = shapes.value(constraint, SH.message)
        assert message is not None and len(str(message)) > 20
        assert "sh:" not in str(message) and "$this" not in str(message)
    for shape in shapes.subjects(SH.path, None):
        assert shapes.value(shape, SH.message) is not None


def test_sparql_constraints_use_no_values_clause() -> None:
    """SHACL forbids VALUES in SPARQL constraints because it defeats pre-binding."""
    shapes = project_shapes_graph()
    for select in shapes.objects(predicate=SH.select):
        assert not re.search(r"\bVALUES\b", str(select))


def project_shapes_copy() -> Graph:
    """The project's shapes for pyshacl, which adds axioms to the shapes graph it is
    given; the cached graph is shared by everything else in the test run."""
    copy = Graph()
    copy += project_shapes_graph()
    return copy


def test_shapes_pass_pyshacl_meta_shacl() -> None:
    conforms, _, text = pyshacl.validate(
        Graph(), shacl_graph=project_shapes_copy(), meta_shacl=True, advanced=True
    )
    assert conforms, text


def test_shapes_conform_to_the_w3c_shacl_shacl_graph() -> None:
    shacl_shacl = Graph().parse(SHACL_SHACL)
    conforms, _, text = pyshacl.validate(project_shapes_copy(), shacl_graph=shacl_shacl)
    assert conforms, text


def test_meta_shacl_catches_a_broken_shape() -> None:
    shapes = project_shapes_copy()
    shapes.add((CG.x, SH.minCount, CG.notANumber))
    shapes.add((CG.x, SH.path, CG.p))
    shacl_shacl = Graph().parse(SHACL_SHACL)
    conforms, _, _ = pyshacl.validate(shapes, shacl_graph=shacl_shacl)
    assert not conforms
