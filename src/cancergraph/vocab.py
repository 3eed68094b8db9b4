"""Namespaces shared by every module, so that no IRI is spelt twice."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD

CG = Namespace("https://w3id.org/cancergraph/ontology#")
CGS = Namespace("https://w3id.org/cancergraph/shapes#")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

__all__ = ["CG", "CGS", "DCTERMS", "FOAF", "ORG", "OWL", "RDF", "RDFS", "SH", "SKOS", "XSD"]
