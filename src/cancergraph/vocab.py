"""Namespaces shared by every module, so that no IRI is spelt twice.

The W3C namespaces are plain `Namespace` objects rather than rdflib's closed
ones: rdflib checks each closed-namespace term against the class annotations
the first time it is used, about a millisecond per term, which added tens of
milliseconds to every validation run. None of the terms used here clashes
with a `str` method (DCTERMS.title would, so DCTERMS and SKOS stay rdflib's).
"""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, SKOS

CG = Namespace("https://w3id.org/cancergraph/ontology#")
CGS = Namespace("https://w3id.org/cancergraph/shapes#")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SH = Namespace("http://www.w3.org/ns/shacl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

__all__ = ["CG", "CGS", "DCTERMS", "FOAF", "ORG", "OWL", "RDF", "RDFS", "SH", "SKOS", "XSD"]
