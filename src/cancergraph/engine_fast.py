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


def run(data: ox.Store, shapes: Graph) -> Graph:
    """Validate the union of the store's graphs; return the SHACL results graph."""
    return results.graph(engine.validate(data, shapes), shapes)
