"""Shared fixtures: project paths, the spec beside the project, cached reports."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from cancergraph import store
from cancergraph.report import Report
from cancergraph.validation import validate

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
CONFORMING = sorted((EXAMPLES / "conforming").glob("*.ttl"))
NONCONFORMING = sorted((EXAMPLES / "nonconforming").glob("*.ttl"))


@cache
def benchmark_script(name: str) -> ModuleType:
    """A script of benchmarks/ (not a package) loaded as a module, once per test run."""
    spec = importlib.util.spec_from_file_location(
        f"cancergraph_benchmarks_{name}", ROOT / "benchmarks" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while loading
    spec.loader.exec_module(module)
    return module


def spec_rules() -> list[dict]:
    path = SHARED / "spec" / "recommendations.yaml"
    if not path.exists():
        pytest.fail(f"the specification is missing: {path} (shared/ must sit beside the project)")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def report_for(path: Path) -> Report:
    """Validation reports are deterministic, so each example is validated once per run."""
    return validate(store.load([store.Source.from_path(path)]), sources=[str(path)])


def golden(path: Path) -> list[dict]:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))["findings"]


def key_counter(findings: list[dict]) -> Counter:
    return Counter((f["rule"], f["focus_node"], f["severity"]) for f in findings)


def report_counter(report: Report) -> Counter:
    return key_counter([f.as_dict() for f in report.results])


# The prefixes a setup written in a test may use without declaring them.
SETUP_PREFIXES = """
@prefix cg: <https://w3id.org/cancergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""


def report_of(turtle: str) -> Report:
    """The report on a small setup written in a test (SETUP_PREFIXES declared)."""
    source = store.Source(name="setup.ttl", data=(SETUP_PREFIXES + turtle).encode())
    return validate(store.load([source]), owned=True)


def findings_in(turtle: str, *rule_ids: str) -> set[tuple[str, str, str]]:
    """(rule, focus node, severity) of a small setup's findings, for the rules named.

    A setup written in a test states the edge of one rule: what it must flag and,
    as importantly, what it must leave alone.
    """
    return {
        (f.rule, f.focus_node, f.severity.label)
        for f in report_of(turtle).results
        if f.rule in rule_ids
    }


@pytest.fixture(scope="session")
def rules_spec() -> list[dict]:
    return spec_rules()


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every query the engine sends, in order."""
    from cancergraph.fastshacl import engine

    texts: list[str] = []
    select = engine.Dataset.select

    def spy(self: engine.Dataset, text: str, prefixes: dict[str, str] | None = None) -> list:
        texts.append(text)
        return select(self, text, prefixes)

    monkeypatch.setattr(engine.Dataset, "select", spy)
    return texts
