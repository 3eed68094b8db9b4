"""What the ontology entails of a setup, stated before the rules judge it.

The shapes read a setup as it is stated: a class by rdf:type and rdfs:subClassOf, a
relation by the property they name. Where the ontology says more (one property is the
inverse of another; a class is defined by a value its members have), a setup that
states it the other way would escape the rules, so the few entailments the ontology
makes of that kind are stated on the copy that is validated, by the OWL 2 RL rules
named with each. The same patterns list the inverse pairs and definitions for
`cancergraph check`, which holds the query library to them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from cancergraph.vocab import OWL, RDF, RDFS

_PREFIXES = {"owl": str(OWL), "rdf": str(RDF), "rdfs": str(RDFS)}

# A property and its inverse, each way round, as the ontology declares them.
_INVERSE_PAIRS = """
    { ?p owl:inverseOf ?inverse } UNION { ?inverse owl:inverseOf ?p }
    FILTER (isIRI(?p) && isIRI(?inverse))
"""

# Each statement of a property declared the inverse of another, stated the other way
# round too (OWL 2 RL, prp-inv1 and prp-inv2), in the one default graph.
_INVERSES = f"""
INSERT {{ ?o ?inverse ?s }}
WHERE {{
    {_INVERSE_PAIRS}
    ?s ?p ?o .
    FILTER (!isLiteral(?o))
}}
"""

# A class the ontology defines by a value its members have: the intersection of a base
# class and an owl:hasValue restriction, declared a subclass of another class.
_DEFINITIONS = """
    ?defined rdfs:subClassOf ?class ; owl:intersectionOf ?list .
    ?list rdf:first ?base ; rdf:rest ?rest .
    ?rest rdf:first ?restriction ; rdf:rest rdf:nil .
    ?restriction owl:onProperty ?property ; owl:hasValue ?value .
    FILTER (isIRI(?class) && isIRI(?base) && isIRI(?property))
"""

# The class of each member of such a class (OWL 2 RL, cls-hv2, cls-int1 and cax-sco).
_DEFINED_BY_VALUE = f"""
INSERT {{ ?x a ?class }}
WHERE {{
    {_DEFINITIONS}
    ?x ?property ?value ; rdf:type/rdfs:subClassOf* ?base .
}}
"""


@dataclass(frozen=True)
class Definition:
    """A member of `base` with `value` for `property` is a member of `cls`."""

    cls: ox.NamedNode
    base: ox.NamedNode
    property: ox.NamedNode
    value: ox.NamedNode | ox.BlankNode | ox.Literal


def state(data: ox.Store) -> None:
    """State what the ontology entails of a setup that the shapes read as stated.

    ORG names some relations from either end (org:unitOf and org:hasUnit, org:heldBy and
    org:holds), and a setup may use either: what is stated one way is stated the other
    way too. A single clinical network that covers cancer is a cancer network: it is
    typed so, so that the cancer network rules judge it whether or not it says so.
    """
    data.update(_INVERSES, prefixes=_PREFIXES)
    data.update(_DEFINED_BY_VALUE, prefixes=_PREFIXES)


def inverse_pairs(ontology: ox.Store) -> list[tuple[ox.NamedNode, ox.NamedNode]]:
    """The properties the ontology declares inverse of each other, each pair once."""
    query = (
        f"SELECT DISTINCT ?p ?inverse WHERE {{ {_INVERSE_PAIRS} FILTER (STR(?p) < STR(?inverse)) }}"
    )
    found = ontology.query(query, prefixes=_PREFIXES, use_default_graph_as_union=True)
    assert isinstance(found, ox.QuerySolutions)
    return sorted(((row["p"], row["inverse"]) for row in found), key=str)  # type: ignore[misc]


def definitions(ontology: ox.Store) -> list[Definition]:
    """The classes the ontology defines by a value their members have."""
    query = f"SELECT DISTINCT ?class ?base ?property ?value WHERE {{ {_DEFINITIONS} }}"
    found = ontology.query(query, prefixes=_PREFIXES, use_default_graph_as_union=True)
    assert isinstance(found, ox.QuerySolutions)
    return sorted(
        (Definition(row["class"], row["base"], row["property"], row["value"]) for row in found),  # type: ignore[arg-type]
        key=str,
    )
