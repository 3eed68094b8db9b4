"""Namespaces shared by every module, so that no IRI is spelt twice.

The W3C namespaces are plain namespaces rather than rdflib's closed ones:
rdflib checks each closed-namespace term against the class annotations the
first time it is used, about a millisecond per term, which added tens of
milliseconds to every validation run. None of the terms used here clashes
with a `str` method (DCTERMS.title would, so DCTERMS and SKOS stay rdflib's).
"""

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

# An absolute IRI as RDF syntaxes accept one: a scheme, then no space or excluded character
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


class Vocabulary(Namespace):
    """A namespace that makes each term once.

    rdflib's namespaces build and check a new IRI on every attribute lookup; the
    engine looks terms up for every shape and result, so each term is kept on the
    namespace the first time, and later lookups are plain attribute reads.
    """

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term
        return term


CG = Vocabulary("https://w3id.org/cancergraph/ontology#")
CGS = Vocabulary("https://w3id.org/cancergraph/shapes#")
ORG = Vocabulary("http://www.w3.org/ns/org#")
FOAF = Vocabulary("http://xmlns.com/foaf/0.1/")
OWL = Vocabulary("http://www.w3.org/2002/07/owl#")
RDF = Vocabulary("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Vocabulary("http://www.w3.org/2000/01/rdf-schema#")
SH = Vocabulary("http://www.w3.org/ns/shacl#")
XSD = Vocabulary("http://www.w3.org/2001/XMLSchema#")

# What makes a node a shape (SHACL 2.1): a shape class, or a target or constraint
# parameter of its own.
SHAPE_CLASSES = (SH.NodeShape, SH.PropertyShape)
SHAPE_PREDICATES = tuple(
    SH[name]
    for name in (
        *("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target"),
        *("path", "property", "node", "sparql", "not", "and", "or", "xone"),
        *("qualifiedValueShape", "class", "datatype", "nodeKind", "minCount", "maxCount"),
        *("in", "hasValue", "closed", "minExclusive", "minInclusive", "maxExclusive"),
        *("maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "uniqueLang"),
        *("equals", "disjoint", "lessThan", "lessThanOrEquals"),
    )
)

# The predicates by which a shape nests another, and those by which it nests a list of them.
NESTING = (SH.property, SH.node, SH.qualifiedValueShape, SH["not"])
NESTING_LISTS = (SH["and"], SH["or"], SH.xone)

__all__ = ["CG", "CGS", "DCTERMS", "FOAF", "ORG", "OWL", "RDF", "RDFS", "SH", "SKOS", "XSD"]
__all__ += ["SHAPE_CLASSES", "SHAPE_PREDICATES"]
