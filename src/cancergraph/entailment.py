"""What the ontology entails of a setup, stated before the rules judge it.

The shapes read a setup as it is stated: a class by rdf:type and rdfs:subClassOf, a
relation by the property they name. Where the ontology says more (one property is the
inverse of another; a class is defined by a value its members have), a setup that
states it the other way would escape the rules, so the few entailments the ontology
makes of that kind are stated on the copy that is validated, by the OWL 2 RL rules
named with each.
"""

from __future__ import annotations

import pyoxigraph as ox

from cancergraph.vocab import OWL, RDF, RDFS

# Each statement of a property declared the inverse of another, stated the other way
# round too (OWL 2 RL, prp-inv1 and prp-inv2), in the one default graph.
_INVERSES = """
INSERT { ?o ?inverse ?s }
WHERE {
    { ?p owl:inverseOf ?inverse } UNION { ?inverse owl:inverseOf ?p }
    FILTER (isIRI(?p) && isIRI(?inverse))
    ?s ?p ?o .
    FILTER (!isLiteral(?o))
}
"""


# The class of each member of a class that the ontology defines by a value it has
# (an intersection of a class and an owl:hasValue restriction, declared a subclass of
# another): OWL 2 RL, cls-hv2, cls-int1 and cax-sco.
_DEFINED_BY_VALUE = """
INSERT { ?x a ?class }
WHERE {
    ?defined rdfs:subClassOf ?class ; owl:intersectionOf ?list .
    ?list rdf:first ?base ; rdf:rest ?rest .
    ?rest rdf:first ?restriction ; rdf:rest rdf:nil .
    ?restriction owl:onProperty ?property ; owl:hasValue ?value .
    FILTER (isIRI(?class) && isIRI(?base) && isIRI(?property))
    ?x ?property ?value ; rdf:type/rdfs:subClassOf* ?base .
}
"""


def state(data: ox.Store) -> None:
    """State what the ontology entails of a setup that the shapes read as stated.

    ORG names some relations from either end (org:unitOf and org:hasUnit, org:heldBy and
    org:holds), and a setup may use either: what is stated one way is stated the other
    way too. A single clinical network that covers cancer is a cancer network: it is
    typed so, so that the cancer network rules judge it whether or not it says so.
    """
    prefixes = {"owl": str(OWL), "rdf": str(RDF), "rdfs": str(RDFS)}
    data.update(_INVERSES, prefixes=prefixes)
    data.update(_DEFINED_BY_VALUE, prefixes=prefixes)
