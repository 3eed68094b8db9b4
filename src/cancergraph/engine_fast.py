"""The fast engine: SHACL evaluated set-wise as SPARQL on pyoxigraph (cancergraph.fastshacl).

pyshacl runs each SPARQL constraint once per focus node through rdflib; this
engine runs each constraint once for all focus nodes in the store itself, and
gives the same standard results graph.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from cancergraph.fastshacl import engine, results

NAME = "fast"


def compile(shapes: Graph) -> engine.Program:
    """The shapes read and their queries planned, ready to validate any number of stores."""
    return engine.compile(shapes)


def run(data: ox.Store, shapes: Graph, program: engine.Program | None = None) -> Graph:
    """Validate the union of the store's graphs; return the SHACL results graph.

    `program` is `compile(shapes)` when the caller already has it.
    """
    ready = program if program is not None else engine.compile(shapes)
    return results.graph(ready.validate(data), shapes)
