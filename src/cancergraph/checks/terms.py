"""Every term of the project's namespace that is used somewhere is declared in the ontology.

A misspelt `cg:` term in a shape, a query or an example is not an error to any
parser or SHACL engine: the shape silently matches nothing. This check catches it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL as RDFLIB_OWL
from rdflib.namespace import RDF as RDFLIB_RDF
from rdflib.namespace import RDFS as RDFLIB_RDFS
from rdflib.namespace import SH as RDFLIB_SH
from rdflib.namespace import XSD as RDFLIB_XSD
from rdflib.term import Node

from cancergraph.checks.findings import Check, Finding, Level, compact, display_path
from cancergraph.checks.usage import Use, own, reused_uses, standard_uses, uses
from cancergraph.checks.workspace import Context
from cancergraph.vocab import OWL, RDF, RDFS, SH, XSD

GROUP = "terms"
UNDECLARED = Check(
    "undeclared-term",
    "Every term used is declared",
    "Each term of the project's namespace (https://w3id.org/cancergraph/ontology#) used "
    "in the ontology, the shapes (SPARQL text included), the queries or the examples is "
    "declared in the ontology, that is, given an rdf:type there.",
    GROUP,
    "Correct the spelling, or declare the term in the ontology with a label and a definition.",
    level=Level.ERROR,
)
UNDECLARED_REUSED = Check(
    "undeclared-reused-term",
    "Every reused term used is declared",
    "The ontology declares the terms it reuses from other vocabularies (org:, foaf:, "
    "prov:, skos:, dcterms:). A term of one of those namespaces that a shape, query or "
    "example uses is declared there too: a misspelt org:unitOf matches nothing, as a "
    "misspelt cg: term does. RDF, RDFS, OWL, XSD and SHACL terms are checked by "
    "unknown-standard-term.",
    GROUP,
    "Correct the spelling, or declare the term in the ontology.",
    level=Level.ERROR,
)
UNKNOWN_STANDARD = Check(
    "unknown-standard-term",
    "Every RDF, RDFS, OWL, XSD and SHACL term used exists",
    "Each term of the RDF, RDFS, OWL, XSD or SHACL namespace used in the ontology, the "
    "shapes (SPARQL text included), the queries or the examples is a term of that "
    "vocabulary (as rdflib defines them): a misspelt rdfs:label in a path or xsd:date in "
    "a datatype parses, and matches nothing.",
    GROUP,
    "Correct the spelling.",
    level=Level.ERROR,
)
TERM_KIND = Check(
    "term-kind",
    "Classes are used as classes and properties as properties",
    "A cg: term the ontology declares only as a class is not used as a property (a "
    "predicate in an example, a step of an sh:path in a shape), and one declared only as a "
    "property is not used as a class (the object of rdf:type, sh:targetClass or "
    "sh:class). Turning a property into a class, or the reverse, leaves every use of it "
    "parsing and matching nothing.",
    GROUP,
    "Use the term as the ontology declares it, or declare it as what it is used as.",
    level=Level.ERROR,
)
CHECKS = (UNDECLARED, UNDECLARED_REUSED, UNKNOWN_STANDARD, TERM_KIND)
CLASS_TYPES = (OWL.Class, RDFS.Class, RDFS.Datatype)
PROPERTY_TYPES = (
    RDF.Property,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
)
# the languages the files are written in, whose terms the ontology does not declare
CORE = (str(RDF), str(RDFS), str(OWL), str(XSD), str(SH))
STANDARD_VOCABULARIES = (RDFLIB_RDF, RDFLIB_RDFS, RDFLIB_OWL, RDFLIB_XSD, RDFLIB_SH)
PROJECT = "https://w3id.org/cancergraph/"  # the ontology's, the shapes' and the examples' IRIs


def active(ctx: Context) -> tuple[Check, ...]:
    ws = ctx.workspace
    return CHECKS if (ws.ontology or ws.shapes or ws.queries or ws.examples) else ()


def blocked(ctx: Context) -> dict[str, str]:
    """Without the whole ontology, every term the broken file declares would be reported."""
    reason = ctx.unparsable(ctx.ontology_files())
    return {check.name: reason for check in CHECKS} if reason else {}


def run(ctx: Context) -> Iterator[Finding]:
    ontology = ctx.ontology()
    declared = {str(s) for s in ontology.subjects(RDF.type, None) if own(s)}
    for use in uses(ctx):
        if use.term not in declared:
            yield _at(ctx, use, UNDECLARED, "is not declared in the ontology")
    classes, properties = _kinds(ontology)
    for path in (*ctx.workspace.shapes, *ctx.workspace.examples):
        yield from _misused(ctx, path, classes, properties)
    reused_declared = {str(s) for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}
    reused = tuple(
        sorted(
            namespace
            for namespace in {namespace_of(term) for term in reused_declared}
            if namespace and namespace not in CORE and not namespace.startswith(PROJECT)
        )
    )
    for use in standard_uses(ctx, CORE):
        if not _standard(use.term):
            yield _at(ctx, use, UNKNOWN_STANDARD, "is not a term of its vocabulary")
    for use in reused_uses(ctx, reused):
        if use.term not in reused_declared:
            yield _at(
                ctx,
                use,
                UNDECLARED_REUSED,
                "is not declared in the ontology, which declares the terms it reuses from "
                "that vocabulary",
            )


def _at(ctx: Context, use: Use, check: Check, what: str) -> Finding:
    """A finding about a term, at its first mention in the file that uses it."""
    return Finding(
        check.name,
        Level.ERROR,
        f"{compact(use.term)} {what}",
        display_path(use.path),
        ctx.source(use.path).mention_of(use.term),
        use.term,
    )


def _standard(term: str) -> bool:
    """Whether a term of a W3C vocabulary exists: rdflib's definitions of them are closed,
    and RDF's container members (rdf:_1, rdf:_2, ...) are terms too."""
    iri = URIRef(term)
    if term.startswith(str(RDF)) and re.fullmatch(r"_[1-9][0-9]*", term[len(str(RDF)) :]):
        return True
    return any(iri in vocabulary for vocabulary in STANDARD_VOCABULARIES)


def namespace_of(term: str) -> str:
    """The namespace of an IRI: up to its last # or /."""
    cut = max(term.rfind("#"), term.rfind("/"))
    return term[: cut + 1] if cut >= 0 else ""


def _kinds(ontology: Graph) -> tuple[set[Node], set[Node]]:
    """The own terms declared only as classes, and those declared only as properties."""
    classes = {t for kind in CLASS_TYPES for t in ontology.subjects(RDF.type, kind) if own(t)}
    properties = {t for kind in PROPERTY_TYPES for t in ontology.subjects(RDF.type, kind) if own(t)}
    return classes - properties, properties - classes


def _misused(
    ctx: Context, path: Path, classes: set[Node], properties: set[Node]
) -> Iterator[Finding]:
    graph = ctx.graph(path)
    if graph is None:
        return
    as_property = {p for p in graph.predicates() if p in classes}
    as_property |= {
        p for path in graph.objects(None, SH.path) for p in _path_steps(graph, path) if p in classes
    }
    as_class = {o for o in graph.objects(None, RDF.type) if o in properties}
    as_class |= {
        o for p in (SH.targetClass, SH["class"]) for o in graph.objects(None, p) if o in properties
    }
    for term, used, declared in sorted(
        [(t, "a property", "a class") for t in as_property]
        + [(t, "a class", "a property") for t in as_class],
        key=lambda item: str(item[0]),
    ):
        yield Finding(
            TERM_KIND.name,
            Level.ERROR,
            f"{compact(str(term))} is used as {used}, but the ontology declares it {declared}",
            display_path(path),
            ctx.source(path).mention_of(str(term)),
            str(term),
        )


def _path_steps(graph: Graph, path: Node) -> set[Node]:
    """The properties a SHACL path steps along, inside sequences, alternatives, inverse
    and repeated paths too."""
    found: set[Node] = set()
    pending = [path]
    seen: set[Node] = set()
    while pending:
        node = pending.pop()
        if isinstance(node, URIRef):
            if node != RDF.nil:
                found.add(node)
        elif node not in seen:
            seen.add(node)
            pending.extend(graph.objects(node, None))
    return found
