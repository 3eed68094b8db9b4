"""The validation report model, independent of any SHACL engine.

Engines produce a standard SHACL results graph; `from_results_graph` reads it
into plain findings enriched with the rule catalogue and human-readable labels.
Renderers read only this model and never validate again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from enum import IntEnum

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from cancergraph.blank_names import Mentioning, blank_names
from cancergraph.rules import Rule, rule_sort_key
from cancergraph.vocab import FOAF, NESTING, NESTING_LISTS, RDF, RDFS, SH, SKOS, XSD


class Severity(IntEnum):
    """Ordered so that `>=` answers "at or above the fail level"."""

    INFO = 1
    WARNING = 2
    VIOLATION = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]

    @classmethod
    def from_iri(cls, iri: Node | None) -> Severity:
        return {SH.Info: cls.INFO, SH.Warning: cls.WARNING}.get(iri, cls.VIOLATION)


Triple = tuple[Node, Node, Node]
# Where the date a setup is judged as of came from: --as-of (or as_of), its own
# cg:referenceDate, or today, for a setup that declares none.
DATE_ASKED, DATE_DECLARED, DATE_TODAY = "as-of", "setup", "today"


@dataclass(frozen=True)
class Terms:
    """A finding's value and path as the engine gave them, for reports written in RDF:
    the text of a value does not say whether it was an IRI or a literal (nor the
    literal's datatype), and a path of several steps is a structure of blank nodes."""

    value: Node | None = None
    path: Node | None = None
    path_triples: tuple[Triple, ...] = ()


@dataclass(frozen=True)
class Finding:
    rule: str | None
    severity: Severity
    focus_node: str
    focus_label: str | None
    path: str | None
    value: str | None
    value_label: str | None
    message: str
    source: str | None
    quote: str | None
    remedy: str | None
    rule_title: str | None
    shape: str
    constraint: str
    named_shape: str | None = None
    terms: Terms = field(default=Terms(), compare=False, repr=False)

    @property
    def value_datatype(self) -> str | None:
        """The datatype of a value that failed a datatype test, for reports read by people.

        Its text alone hides what is wrong with it: "2013-04-01" typed as an
        xsd:dateTime reads like the date the rule asks for.
        """
        value = self.terms.value
        if self.constraint != str(SH.DatatypeConstraintComponent) or not isinstance(value, Literal):
            return None
        if value.datatype is None:
            return "rdf:langString" if value.language else "xsd:string"
        datatype = str(value.datatype)
        return f"xsd:{datatype[len(str(XSD)) :]}" if datatype.startswith(str(XSD)) else datatype

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        del data["terms"]  # the JSON contract gives the text only
        data["severity"] = self.severity.label
        return data


@dataclass
class Report:
    conforms: bool
    results: list[Finding]
    reference_date: date | None = None
    reference_date_source: str | None = None  # DATE_ASKED, DATE_DECLARED or DATE_TODAY
    notes: list[str] = field(default_factory=list)  # what the rules could not read
    rules_applied: list[str] = field(default_factory=list)
    rules: dict[str, Rule] = field(default_factory=dict)
    profiles: list[str] = field(default_factory=list)
    engine: str = "pyshacl"
    sources: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        tally = Counter(finding.severity for finding in self.results)
        return {severity.label: tally.get(severity, 0) for severity in reversed(Severity)}

    def fails(self, threshold: Severity | None) -> bool:
        if threshold is None:
            return False
        return any(finding.severity >= threshold for finding in self.results)


Namer = Callable[[BNode], str]


def raw_name(node: BNode) -> str:
    """A blank node's label as the parser made it: random, so it differs from run to run."""
    return f"_:{node}"


def node_text(node: Node | None, name: Namer = raw_name) -> str | None:
    """How a node appears in JSON: an IRI, `_:id` for a blank node, a literal's lexical form."""
    if node is None:
        return None
    if isinstance(node, BNode):
        return name(node)
    return str(node)


LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, FOAF.name)

Labeller = Callable[[Node], "str | None"]


def pick_label(labels: Iterable[tuple[str, str | None]]) -> str | None:
    """The label to show: English first, then any, smallest first for determinism."""
    found = sorted(labels)
    english = [text for text, language in found if language == "en"]
    return english[0] if english else (found[0][0] if found else None)


def path_text(graph: Graph, path: Node | None, name: Namer = raw_name) -> str | None:
    """A SHACL path as SPARQL property path syntax."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    return _path_expr(graph, path, name)


def _path_expr(graph: Graph, path: Node, name: Namer) -> str:
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, SH.inversePath, None) in graph:
        return f"^{_path_expr(graph, graph.value(path, SH.inversePath), name)}"
    for predicate, suffix in (
        (SH.zeroOrMorePath, "*"),
        (SH.oneOrMorePath, "+"),
        (SH.zeroOrOnePath, "?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return f"({_path_expr(graph, inner, name)}){suffix}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        parts = (_path_expr(graph, p, name) for p in Collection(graph, alternatives))
        return "(" + "|".join(parts) + ")"
    if (path, None, None) in graph:
        return "/".join(_path_expr(graph, p, name) for p in Collection(graph, path))
    return name(path) if isinstance(path, BNode) else f"_:{path}"


def owning_rule(shapes: Graph, shape: Node, rules_by_shape: dict[Node, Rule]) -> Rule | None:
    """The rule a result belongs to: its shape's, or that of the shape that nests it."""
    return next((rules_by_shape[s] for s in _nesting(shapes, shape) if s in rules_by_shape), None)


def named_shape(shapes: Graph, shape: Node) -> Node | None:
    """The shape a reader can find by name: the result's own if it has an IRI, else the
    nearest named shape that nests it (a property shape is most often a blank node)."""
    return next((s for s in _nesting(shapes, shape) if isinstance(s, URIRef)), None)


def _nesting(shapes: Graph, shape: Node) -> Iterator[Node]:
    """The shape, then the shapes that nest it, nearest first."""
    seen: set[Node] = set()
    frontier = [shape]
    while frontier:
        current = frontier.pop(0)
        if current in seen:
            continue
        seen.add(current)
        yield current
        for predicate in NESTING:
            frontier.extend(shapes.subjects(predicate, current))
        for list_node in _lists_containing(shapes, current):
            for predicate in NESTING_LISTS:
                frontier.extend(shapes.subjects(predicate, list_node))


def _lists_containing(graph: Graph, member: Node) -> list[Node]:
    heads = []
    for cell in graph.subjects(RDF.first, member):
        head = cell
        while True:
            previous = next(graph.subjects(RDF.rest, head), None)
            if previous is None:
                break
            head = previous
        heads.append(head)
    return heads


def from_results_graph(
    results: Graph,
    shapes: Graph,
    labels: Labeller,
    rules: list[Rule],
) -> list[Finding]:
    """The findings of a results graph, sorted, with their blank nodes named `_:b1`, `_:b2`...
    by what the report says about them, so that the same input gives the same bytes.
    """
    rules_by_shape: dict[Node, Rule] = {rule.shape: rule for rule in rules}
    owners: dict[Node, tuple[Rule | None, str | None]] = {}
    findings = []
    drafts: list[_Draft] = []
    for result in results.objects(predicate=SH.result):
        draft = _Draft(
            focus=results.value(result, SH.focusNode),
            value=results.value(result, SH.value),
            shape=results.value(result, SH.sourceShape),
            path=results.value(result, SH.resultPath),
        )
        if draft.shape is not None and draft.shape not in owners:
            # many results share a shape: its rule and name are looked up once
            owners[draft.shape] = (
                owning_rule(shapes, draft.shape, rules_by_shape),
                node_text(named_shape(shapes, draft.shape)),
            )
        rule, shape_name = owners[draft.shape] if draft.shape is not None else (None, None)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        finding = Finding(
            rule=rule.id if rule else None,
            severity=Severity.from_iri(results.value(result, SH.resultSeverity)),
            focus_node=node_text(draft.focus, draft.mention) or "",
            focus_label=labels(draft.focus) if draft.focus is not None else None,
            path=path_text(results, draft.path, draft.mention),
            value=node_text(draft.value, draft.mention),
            value_label=labels(draft.value) if draft.value is not None else None,
            message=" ".join(messages[0].split()) if messages else _default_message(rule),
            source=rule.source if rule else None,
            quote=(rule.quote or None) if rule else None,
            remedy=(rule.remedy or None) if rule else None,
            rule_title=rule.title if rule else None,
            shape=node_text(draft.shape, draft.mention) or "",
            constraint=node_text(results.value(result, SH.sourceConstraintComponent)) or "",
            named_shape=shape_name,
            terms=Terms(draft.value, draft.path, _blank_closure(results, draft.path)),
        )
        if draft.mentions:
            draft.finding = finding
            drafts.append(draft)
        else:
            findings.append(finding)
    if drafts:
        names = blank_names(
            [Mentioning(repr(d.finding), tuple(d.mentions), _sort_key(d.finding)) for d in drafts]
        )
        findings.extend(draft.named(results, names) for draft in drafts)
    return sort_findings(findings)


def _blank_closure(graph: Graph, node: Node | None) -> tuple[Triple, ...]:
    """The statements about a blank node and the blank nodes they reach (a path's
    structure); nothing for an IRI."""
    found: list[Triple] = []
    pending = [node] if isinstance(node, BNode) else []
    seen: set[Node] = set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for _, predicate, obj in graph.triples((current, None, None)):
            found.append((current, predicate, obj))
            if isinstance(obj, BNode):
                pending.append(obj)
    return tuple(found)


@dataclass
class _Draft:
    """A finding whose blank nodes are not named yet: `finding` shows each as `_:`, and
    `mentions` lists them in the order they appear in it.
    """

    focus: Node | None
    value: Node | None
    shape: Node | None
    path: Node | None
    mentions: list[BNode] = field(default_factory=list)
    finding: Finding = field(init=False)

    def mention(self, node: BNode) -> str:
        self.mentions.append(node)
        return "_:"

    def named(self, results: Graph, names: dict[Hashable, str]) -> Finding:
        name = names.__getitem__
        return replace(
            self.finding,
            focus_node=node_text(self.focus, name) or "",
            path=path_text(results, self.path, name),
            value=node_text(self.value, name),
            shape=node_text(self.shape, name) or "",
        )


def _default_message(rule: Rule | None) -> str:
    return rule.reading if rule else "The node does not meet a constraint of its shape."


def _sort_key(finding: Finding) -> tuple:
    rule_key = rule_sort_key(finding.rule) if finding.rule else (9, "", 0)
    return (
        finding.rule is None,
        rule_key,
        _natural(finding.focus_node),
        finding.path or "",
        _natural(finding.value or ""),
        _natural(finding.shape),
        finding.constraint,
        finding.message,
        -finding.severity,
    )


_NUMBERED = re.compile(r"_:b(\d+)")


def _natural(text: str) -> tuple[str, int]:
    """Numbered blank nodes in number order (`_:b2` before `_:b10`)."""
    match = _NUMBERED.fullmatch(text)
    return ("_:b", int(match.group(1))) if match else (text, 0)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=_sort_key)


def blocks(findings: list[Finding]) -> list[list[Finding]]:
    """Findings in blocks of one rule and one severity, so that the severity a block is
    headed by is that of every finding in it.

    Shapes without a rule id (user shapes) get a block each, most severe first: such shapes
    share no rule, and each has its own severity.
    """
    grouped: dict[tuple[str | None, Severity, str | None], list[Finding]] = {}
    first: dict[str | None, int] = {}
    for finding in findings:
        first.setdefault(finding.rule, len(first))
        shape = None if finding.rule else (finding.named_shape or finding.shape)
        grouped.setdefault((finding.rule, finding.severity, shape), []).append(finding)

    def order(key: tuple[str | None, Severity, str | None]) -> tuple[bool, int, int, str]:
        rule, severity, shape = key
        return rule is None, first[rule], -severity, shape or ""

    return [grouped[key] for key in sorted(grouped, key=order)]
