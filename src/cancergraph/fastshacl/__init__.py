"""A SHACL engine that validates set-wise: each constraint is one SPARQL query for all focus nodes.

Modules, one per concern: `syntax` (SPARQL structure), `prebinding` (SHACL
pre-binding applied to many focus nodes at once), `shapes` (the shapes graph
read into objects), `paths` (SHACL paths as SPARQL paths), `focus` (focus
node sets as SPARQL patterns), `core` (SHACL Core components), `sparql_based`
(SHACL-SPARQL), `classes` (class tests without the subclass walk where the
data has no subclasses), `results` (the results graph), `parallel` (shapes
shared between threads) and `engine` (the compiled program and one validation
run of it).
"""

from cancergraph.fastshacl.engine import Program, compile, validate
from cancergraph.fastshacl.errors import ShapesError, UnsupportedError

__all__ = ["Program", "ShapesError", "UnsupportedError", "compile", "validate"]
