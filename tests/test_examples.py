"""Every rule fires where it is broken and is silent where it is kept.

The golden files beside the non-conforming examples were written from the
rules' readings (docs/modelling.md), not from the tool's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from cancergraph.vocab import CG, DCTERMS, RDF
from conftest import (
    CONFORMING,
    NONCONFORMING,
    golden,
    key_counter,
    report_counter,
    report_for,
    spec_rules,
)

RULE_IDS = [rule["id"] for rule in spec_rules()]
SEVERITY = {rule["id"]: rule["severity"] for rule in spec_rules()}


def test_there_are_examples_of_each_kind() -> None:
    assert len(CONFORMING) >= 3
    assert len(NONCONFORMING) >= 5
    for path in NONCONFORMING:
        assert path.with_suffix(".expected.json").exists(), f"{path.name} has no golden file"


@pytest.mark.parametrize("path", CONFORMING + NONCONFORMING, ids=lambda p: p.name)
def test_example_is_one_dated_illustrative_setup(path: Path) -> None:
    graph = Graph().parse(path)
    setups = list(graph.subjects(RDF.type, CG.Setup))
    assert len(setups) == 1
    assert graph.value(setups[0], CG.referenceDate) is not None
    description = str(graph.value(setups[0], DCTERMS.description)).lower()
    assert "illustrative" in description


@pytest.mark.parametrize("path", CONFORMING, ids=lambda p: p.name)
def test_conforming_example_conforms(path: Path) -> None:
    report = report_for(path)
    assert [f.as_dict() for f in report.results] == []
    assert report.conforms


@pytest.mark.parametrize("path", NONCONFORMING, ids=lambda p: p.name)
def test_nonconforming_example_gives_exactly_its_golden_findings(path: Path) -> None:
    assert report_counter(report_for(path)) == key_counter(golden(path))
    assert not report_for(path).conforms


def test_goldens_together_break_every_rule() -> None:
    broken = {f["rule"] for path in NONCONFORMING for f in golden(path)}
    assert sorted(broken) == sorted(RULE_IDS)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fires_on_a_setup_that_breaks_it(rule_id: str) -> None:
    expected = [(path, f) for path in NONCONFORMING for f in golden(path) if f["rule"] == rule_id]
    assert expected, f"no example breaks {rule_id}"
    for path, finding in expected:
        assert finding["severity"] == SEVERITY[rule_id]
        got = [
            f
            for f in report_for(path).results
            if f.rule == rule_id and f.focus_node == finding["focus_node"]
        ]
        assert got, f"{rule_id} did not fire on {finding['focus_node']} in {path.name}"
        assert all(f.severity.label == SEVERITY[rule_id] for f in got)
        assert all(f.message for f in got)
        assert all(f.quote for f in got) or rule_id.startswith("INT")


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_is_silent_on_a_setup_that_keeps_it(rule_id: str) -> None:
    applied_in = [path for path in CONFORMING if rule_id in report_for(path).rules_applied]
    assert applied_in, f"no conforming example of {rule_id}'s era"
    for path in applied_in:
        assert [f for f in report_for(path).results if f.rule == rule_id] == []
