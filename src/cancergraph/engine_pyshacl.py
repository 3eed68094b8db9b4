"""The reference engine: pyshacl over rdflib.

Kept as the reference the fast engine is measured and checked against.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from cancergraph.errors import UserError
from cancergraph.store import to_rdflib

NAME = "pyshacl"


class EngineError(UserError):
    """The shapes cannot be run (they are not valid SHACL, or a query fails)."""


def compile(shapes: Graph) -> None:
    """Nothing to do ahead: pyshacl reads the shapes graph on every run."""
    return None


def run(data: ox.Store, shapes: Graph, program: None = None) -> Graph:
    """Validate the union of the store's graphs; return the SHACL results graph.

    pyshacl is imported here, not with the module: it takes about 0.4 s to import,
    which every `cancergraph` command paid before.
    """
    import pyshacl

    from cancergraph import sparql_cache

    sparql_cache.install()
    graph = to_rdflib(data)
    # pyshacl adds triples to the shapes graph it is given (two RDFS/OWL axioms), and
    # the caller's graph may be shared: it gets a copy.
    own_shapes = Graph()
    own_shapes.addN((s, p, o, own_shapes) for s, p, o in shapes)
    try:
        _, results, text = pyshacl.validate(
            graph,
            shacl_graph=own_shapes,
            inference="none",
            advanced=True,
            allow_infos=False,
            allow_warnings=False,
        )
    except pyshacl.errors.ShapeLoadError as err:
        raise EngineError(f"the shapes cannot be used: {err}") from None
    except pyshacl.errors.ReportableRuntimeError as err:
        raise EngineError(f"validation failed: {err}") from None
    if not isinstance(results, Graph):
        raise EngineError(f"the shapes cannot be used: {str(text).strip()}")
    return results
