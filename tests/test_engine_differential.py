"""The fast engine and pyshacl agree, result for result, on the project's shapes.

Both engines run on the same prepared store (ontology and reference date mixed in)
with the same shapes graph, and their results graphs are compared on what a
result says: focus node, path, value, source shape, constraint component and
severity, counted with multiplicity. The setups are every example and generated
setups of several sizes, seeds and eras, including the small setups whose
defects reach every rule of their era. Sizes stay small because pyshacl is slow.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from cancergraph import engine_fast, engine_pyshacl, store, validation
from cancergraph.report import node_text, path_text
from cancergraph.vocab import SH
from conftest import CONFORMING, NONCONFORMING, benchmark_script

# (era, networks, seed, defects): the last of each era reaches every rule of the era.
GENERATED = [
    ("post-2013", 1, 1, None),
    ("post-2013", 2, 3, 12),
    ("post-2013", 4, 23, 40),
    ("cancer-plan", 2, 1, None),
    ("cancer-plan", 8, 2, 12),
    ("cancer-plan", 20, 3, 30),
    ("cancer-plan", 2, 341, 30),
]


def results(graph: Graph) -> Counter:
    found: Counter = Counter()
    for result in graph.objects(predicate=SH.result):
        path = graph.value(result, SH.resultPath)
        found[
            (
                node_text(graph.value(result, SH.focusNode)),
                path_text(graph, path) if path is not None else None,
                node_text(graph.value(result, SH.value)),
                node_text(graph.value(result, SH.sourceShape)),
                node_text(graph.value(result, SH.sourceConstraintComponent)),
                node_text(graph.value(result, SH.resultSeverity)),
            )
        ] += 1
    return found


def both_engines(data: ox.Store) -> tuple[Counter, Counter]:
    checked = validation.plan(data)
    outcome = []
    for engine in (engine_pyshacl, engine_fast):
        work = store.copy(data)
        validation.prepare(work, checked)
        outcome.append(results(engine.run(work, checked.shapes)))
    return outcome[0], outcome[1]


@pytest.mark.parametrize("path", CONFORMING + NONCONFORMING, ids=lambda p: p.name)
def test_engines_agree_on_example(path: Path) -> None:
    reference, fast = both_engines(store.load([store.Source.from_path(path)]))
    assert fast == reference
    assert bool(reference) == (path in NONCONFORMING)


@pytest.mark.parametrize(
    ("era", "networks", "seed", "defects"),
    GENERATED,
    ids=[f"{era}-{n}x{seed}-{d}" for era, n, seed, d in GENERATED],
)
def test_engines_agree_on_generated_setup(
    era: str, networks: int, seed: int, defects: int | None
) -> None:
    text, expected = benchmark_script("generate").generate(networks, seed, era=era, defects=defects)
    data = ox.Store()
    data.extend(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
    reference, fast = both_engines(data)
    assert fast == reference
    assert sum(reference.values()) == len(expected) > 0


DUPLICATED = """
@prefix ex: <http://example.org/> .
ex:g1 { ex:a a ex:T ; ex:p 1 . }
ex:g2 { ex:a a ex:T ; ex:p 1 . }
"""
COUNTING_SHAPES = """
@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:S a sh:NodeShape ; sh:targetClass ex:T ;
    sh:sparql [ sh:message "more than one ex:p" ; sh:select '''
        SELECT $this WHERE { $this <http://example.org/p> ?v }
        GROUP BY $this HAVING (COUNT(*) > 1)'''
    ] .
"""


@pytest.mark.parametrize("engine", sorted(validation.ENGINES))
def test_a_triple_in_two_graphs_counts_once(engine: str) -> None:
    """A setup is the RDF merge of its graphs: a triple stated in two graphs of a TriG
    file is one triple to every engine, as pyshacl's rdflib graph has it."""
    data = ox.Store()
    data.load(DUPLICATED.encode(), format=ox.RdfFormat.TRIG)
    shapes = Graph().parse(data=COUNTING_SHAPES, format="turtle")
    report = validation.validate(data, shapes=shapes, engine=engine)
    assert report.conforms, [f.message for f in report.results]
