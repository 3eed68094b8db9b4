"""Tests of the synthetic setup generator (benchmarks/generate.py).

Benchmarks trust the generator's expected findings, so these tests pin down that its output
is deterministic and well formed, that its defect catalogue reaches every rule of each era,
and that the validator reports exactly the findings the generator predicts from the rule
table in docs/modelling.md.
"""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import rdflib
import yaml

from conftest import ROOT, SHARED, benchmark_script

RECOMMENDATIONS = SHARED / "spec" / "recommendations.yaml"

# The era table of docs/modelling.md, written out here independently of the generator.
CANCER_PLAN_ONLY = {"NAO-01", "NAO-02", "NAO-04", "NAO-08"}
POST_2013_ONLY = {f"KF-{i:02d}" for i in range(1, 21)} - {"KF-17"}
ANY_ERA = {"NAO-03", "NAO-05", "NAO-06", "NAO-07", "NAO-09", "NAO-10", "KF-17"}
ANY_ERA |= {"INT-01", "INT-02", "INT-03"}
ERA_RULES = {"post-2013": POST_2013_ONLY | ANY_ERA, "cancer-plan": CANCER_PLAN_ONLY | ANY_ERA}

# Small setups whose defects reach every rule of their era (checked below), small enough
# for the validator to judge quickly.
COVERING = {"post-2013": (4, 23, 40), "cancer-plan": (2, 341, 30)}


gen = benchmark_script("generate")


def _subjects(text: str) -> set[str]:
    return {line.split(" ", 1)[0][1:-1] for line in text.splitlines()}


def _keys(findings: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return sorted((f["rule"], f["focus_node"].strip("<>"), f["severity"]) for f in findings)


@pytest.mark.parametrize("era", sorted(ERA_RULES))
def test_same_arguments_give_identical_output(era: str) -> None:
    for fmt in ("nt", "ttl"):
        first = gen.build(7, 3, era, defects=6, fmt=fmt)
        again = gen.build(7, 3, era, defects=6, fmt=fmt)
        assert first.text == again.text
        assert first.expected() == again.expected()
    nt = gen.build(7, 3, era, defects=6)
    assert gen.generate(7, 3, era, 6) == (nt.text, nt.findings)


@pytest.mark.parametrize("era", sorted(ERA_RULES))
def test_a_different_seed_gives_a_different_setup(era: str) -> None:
    assert gen.generate(7, 3, era)[0] != gen.generate(7, 4, era)[0]


def test_cli_writes_the_same_bytes_every_time(tmp_path: Path) -> None:
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        args = ["--networks", "5", "--seed", "9", "--out", str(out), "--era", "cancer-plan"]
        assert gen.main([*args, "--defects", "4", "--format", "ttl"]) == 0
        runs.append([(out / f).read_bytes() for f in ("setup.ttl", "expected.json")])
    assert runs[0] == runs[1]
    expected = json.loads(runs[0][1])
    assert set(expected) == {"era", "networks", "seed", "triples", "defects", "findings"}
    assert (expected["era"], expected["networks"], expected["seed"]) == ("cancer-plan", 5, 9)
    assert len(expected["defects"]) == 4


@pytest.mark.parametrize("era", sorted(ERA_RULES))
def test_output_parses_and_has_the_stated_number_of_triples(era: str) -> None:
    nt = gen.build(9, 5, era, defects=12)
    ttl = gen.build(9, 5, era, defects=12, fmt="ttl")
    parsed_nt = rdflib.Graph().parse(data=nt.text, format="nt")
    parsed_ttl = rdflib.Graph().parse(data=ttl.text, format="turtle")
    assert len(parsed_nt) == nt.triples == nt.expected()["triples"]
    assert set(parsed_nt) == set(parsed_ttl)
    assert nt.findings == ttl.findings


@pytest.mark.parametrize("era", sorted(ERA_RULES))
def test_every_expected_focus_node_is_a_subject_of_the_data(era: str) -> None:
    result = gen.build(*COVERING[era][:2], era, defects=COVERING[era][2])
    subjects = _subjects(result.text)
    assert result.findings
    assert all(f["focus_node"] in subjects for f in result.findings)


@pytest.mark.parametrize("era", sorted(ERA_RULES))
def test_a_setup_without_defects_expects_no_findings(era: str) -> None:
    result = gen.build(12, 2, era, defects=0)
    assert result.defects == [] and result.findings == []


def test_findings_are_sorted_and_keep_repeats() -> None:
    result = gen.build(3, 1, "post-2013", defects=1, kinds=["KF-13-professional-groups-missing"])
    keys = [(f["rule"], f["focus_node"]) for f in result.findings]
    assert keys == sorted(keys)
    assert 1 <= len(keys) <= 4 and len(set(keys)) == 1  # one finding per missing group


def test_about_one_defect_per_three_networks_by_default() -> None:
    assert len(gen.build(30, 1).defects) == 10
    assert len(gen.build(2, 1).defects) == 1


@pytest.mark.parametrize("era", sorted(ERA_RULES))
def test_networks_are_of_benchmark_size(era: str) -> None:
    triples = gen.build(35, 1, era, defects=0).triples
    assert 8_000 <= triples <= 11_500


@pytest.mark.parametrize("era", sorted(ERA_RULES))
def test_every_rule_of_each_era_is_injectable(era: str) -> None:
    kinds = gen.catalogue(era)
    assert {kind.rule for kind in kinds} == ERA_RULES[era]
    for kind in kinds:
        result = gen.build(3, 11, era, defects=1, kinds=[kind.key])
        assert [d["rule"] for d in result.defects] == [kind.rule], kind.key
        rules = {f["rule"] for f in result.findings}
        assert kind.rule in rules and rules <= ERA_RULES[era], kind.key
        assert all(f["focus_node"] in _subjects(result.text) for f in result.findings)


@pytest.mark.parametrize("era", sorted(ERA_RULES))
def test_the_covering_setups_reach_every_rule(era: str) -> None:
    result = gen.build(*COVERING[era][:2], era, defects=COVERING[era][2])
    assert {d["rule"] for d in result.defects} == ERA_RULES[era]


def test_severities_and_eras_match_the_recommendations() -> None:
    rules = yaml.safe_load(RECOMMENDATIONS.read_text(encoding="utf-8"))
    assert {r["id"]: r["severity"] for r in rules} == gen.SEVERITY
    assert {r["id"]: r["era"] for r in rules} == gen.RULE_ERA
    for era, expected in ERA_RULES.items():
        assert set(gen.rules_of_era(era)) == expected


@pytest.mark.parametrize("era", sorted(ERA_RULES))
def test_the_validator_reports_exactly_the_expected_findings(era: str, tmp_path: Path) -> None:
    networks, seed, defects = COVERING[era]
    result = gen.build(networks, seed, era, defects=defects)
    setup = tmp_path / "setup.nt"
    setup.write_text(result.text, encoding="utf-8")
    command = [sys.executable, "-m", "cancergraph", "validate", str(setup)]
    run = subprocess.run(
        [*command, "--format", "json", "--fail-on", "none"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    got, want = Counter(_keys(report["results"])), Counter(_keys(result.findings))
    assert sorted((got - want).elements()) == [], "reported but not expected"
    assert sorted((want - got).elements()) == [], "expected but not reported"
    assert report["conforms"] is (not result.findings)
