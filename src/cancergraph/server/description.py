"""The SPARQL service description returned by GET /sparql without a query."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef

from cancergraph.vocab import RDF, RDFS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")


def service_description(
    endpoint: str, named_graphs: list[str], update_endpoint: str | None
) -> Graph:
    """The query service, and the update service when writes are enabled.

    Updates have their own endpoint, so they are a second sd:Service; the union default
    graph is a feature of queries only, as updates read and write the store's own default
    graph.
    """
    graph = Graph()
    graph.bind("sd", SD)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if update_endpoint is not None:
        update = URIRef(update_endpoint)
        graph.add((update, RDF.type, SD.Service))
        graph.add((update, SD.endpoint, update))
        graph.add((update, SD.supportedLanguage, SD.SPARQL11Update))
        graph.add(
            (
                update,
                RDFS.comment,
                Literal(
                    "Updates read and write the store's own default graph; "
                    "name a graph (GRAPH, WITH, USING) to reach the others."
                ),
            )
        )
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        graph.add((service, SD.resultFormat, FORMATS[name]))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for name in named_graphs:
        node = BNode()
        graph.add((dataset, SD.namedGraph, node))
        graph.add((node, RDF.type, SD.NamedGraph))
        graph.add((node, SD.name, URIRef(name)))
    graph.add(
        (
            service,
            RDFS.comment,
            Literal(
                "The default graph is the union of all graphs in the store, unless the query "
                "(FROM, FROM NAMED) or the request (default-graph-uri, named-graph-uri) "
                "names the graphs."
            ),
        )
    )
    return graph
