"""The rule shapes against the specification (recommendations.yaml) and its source texts.

Rule ids match one to one; each rule shape carries the annotations `cancergraph rules`
and the reports show; its quote, severity, era and source are its rule's in the
specification; and its quote is in the source text, so that a reviewer is never shown
a sentence the policy texts do not contain, or a rule at the wrong severity or era.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from cancergraph import resources
from cancergraph.checks.findings import Check, Finding, Level, compact, display_path
from cancergraph.checks.shape_nodes import locate, nested_shapes, statement_place
from cancergraph.checks.workspace import Context
from cancergraph.rules import SEVERITIES
from cancergraph.vocab import CG, DCTERMS, RDF, RDFS, SH, SKOS

GROUP = "shapes"
RULE_IDS = Check(
    "rule-ids",
    "Rule ids match the specification",
    "Every rule id of recommendations.yaml has exactly one shape (cg:ruleId), and every "
    "shape's rule id is one of the specification's.",
    GROUP,
    "Add the missing shape, or correct the shape's cg:ruleId.",
    level=Level.ERROR,
)
RULE_ANNOTATIONS = Check(
    "rule-annotations",
    "Rule shapes carry their annotations",
    "Each shape with a cg:ruleId has exactly one non-empty rdfs:label, cg:quote, "
    "cg:reading, cg:remedy, cg:era and dcterms:source, which `cancergraph rules` and the "
    "reports show. The quote may be empty only for a rule that quotes no text (an "
    "integrity rule). cg:era names an era of the ontology and dcterms:source a source "
    "document (each with a skos:notation).",
    GROUP,
    "Add the annotation, taken from the rule's entry in recommendations.yaml.",
    level=Level.ERROR,
)
RULE_SPEC = Check(
    "rule-spec",
    "Rule shapes agree with the specification",
    "Each rule shape's cg:quote, sh:severity (sh:Violation when it has none), cg:era and "
    "dcterms:source (by their skos:notation in the ontology) are those of its rule in "
    "recommendations.yaml, and every shape nested in it that states an sh:severity states "
    "the rule's. Quotes are compared with white space folded and typographic quotes and "
    "dashes made plain.",
    GROUP,
    "Correct the shape, or the specification if the shape is right.",
    level=Level.ERROR,
)
QUOTE_SOURCE = Check(
    "quote-source",
    "Quotes are in their source texts",
    "Each non-empty cg:quote occurs in the text of the shape's source, compared as "
    "rule-spec compares quotes. The texts are those the specification's header lists "
    "(`name : sources/file`), found beside the specification's folder.",
    GROUP,
    "Copy the sentence as the source text has it.",
    level=Level.ERROR,
)
CHECKS = (RULE_IDS, RULE_ANNOTATIONS, RULE_SPEC, QUOTE_SOURCE)

QUOTELESS = "integrity"  # the source of rules that are not policy, and quote nothing
ANNOTATIONS = (RDFS.label, CG.quote, CG.reading, CG.remedy, CG.era, DCTERMS.source)
TEXTS = (RDFS.label, CG.quote, CG.reading, CG.remedy)
SOURCE_TEXT = re.compile(r"^#\s*([A-Za-z][\w-]*)\s*:\s*(\S+/\S+)\s*$", re.MULTILINE)
PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": None,
    }
)
SHOWN = 100
MATCHED_WORDS = 3  # fewer words in common than this says nothing about where it parts
SPEC_NAME = "the specification (recommendations.yaml)"
NOT_FOUND = f"{SPEC_NAME} was not found"


def plain(text: str) -> str:
    """Text as quotes are compared: white space folded, typographic quotes and dashes
    made plain, as the same sentence is typed in the shapes, the YAML and the source."""
    return " ".join(text.translate(PLAIN).split())


@dataclass(frozen=True)
class RuleShape:
    """A shape with a rule id, and where it is written."""

    rule_id: str
    node: Node
    file: str
    line: int | None

    @property
    def term(self) -> str | None:
        return None if isinstance(self.node, BNode) else str(self.node)


@dataclass(frozen=True)
class Vocabulary:
    """The ontology's eras and source documents, by IRI, with their notations."""

    eras: dict[Node, str]
    sources: dict[Node, str]

    @classmethod
    def of(cls, ontology: Graph) -> Vocabulary:
        notation = {s: str(o) for s, o in ontology.subject_objects(SKOS.notation)}
        eras = {e: notation[e] for e in ontology.subjects(CG.eraStart) if e in notation}
        sources = {
            s: notation[s] for s in ontology.subjects(RDF.type, CG.SourceDocument) if s in notation
        }
        return cls(eras, sources)

    @staticmethod
    def show(found: dict[Node, str], notation: str) -> str:
        """A notation with the IRI that has it, as `cg:PostReformEra (post-2013)`."""
        iri = next((iri for iri, name in found.items() if name == notation), None)
        return f"{compact(iri)} ({notation})" if iri is not None else f"'{notation}'"


def load(ctx: Context) -> tuple[list[dict] | None, Finding | None]:
    """The specification's rules, or why they cannot be read; once per run."""
    return ctx.memo("specification", lambda: _load(ctx))


def _load(ctx: Context) -> tuple[list[dict] | None, Finding | None]:
    if ctx.spec is None:
        return None, Finding(
            RULE_IDS.name,
            Level.WARN,
            f"{NOT_FOUND}, so rule ids, quotes, severities, eras and sources were not "
            "compared with it; name it with --spec",
        )
    data = ctx.document(ctx.spec)
    error = ctx.error(ctx.spec)
    if error is not None:
        return None, Finding(
            RULE_IDS.name,
            Level.ERROR,
            f"the specification cannot be read: {error.message}",
            display_path(ctx.spec),
            error.line,
        )
    if not isinstance(data, list) or not all(isinstance(r, dict) and "id" in r for r in data):
        return None, Finding(
            RULE_IDS.name,
            Level.ERROR,
            "the specification is not a list of rules with ids",
            display_path(ctx.spec),
        )
    return data, None


def rule_ids(ctx: Context) -> tuple[frozenset[str], str] | None:
    """The rule ids there are, and where they are listed: the specification's, else those
    of the shapes (the checked ones, else the project's); None when those shapes do not all
    parse, as the ids of a broken file would look unknown."""

    def read() -> tuple[frozenset[str], str] | None:
        rules, _ = load(ctx)
        if rules is not None:
            return frozenset(str(rule["id"]) for rule in rules), SPEC_NAME
        files = ctx.workspace.shapes or tuple(resources.shape_files())
        if ctx.unparsable(files) is not None:
            return None
        return frozenset(str(i) for i in ctx.merged(files).objects(None, CG.ruleId)), "the shapes"

    return ctx.memo("rule-ids", read)


def blocked(ctx: Context) -> dict[str, str]:
    """The checks that need the ontology (eras, sources) or the specification, without them."""
    found: dict[str, str] = {}
    ontology = ctx.unparsable(ctx.ontology_files())
    if ontology is not None:
        found.update(dict.fromkeys((c.name for c in CHECKS if c is not RULE_IDS), ontology))
    rules, _ = load(ctx)
    if rules is None:
        reason = NOT_FOUND if ctx.spec is None else "the specification cannot be read"
        for check in (RULE_SPEC, QUOTE_SOURCE):
            found.setdefault(check.name, reason)
    return found


def rule_shapes(ctx: Context, shapes: Graph, files: list[Path]) -> list[RuleShape]:
    found = []
    for node, rule_id in sorted(shapes.subject_objects(CG.ruleId)):
        file, line = locate(ctx, shapes, files, node)
        found.append(RuleShape(str(rule_id), node, file, line))
    return found


def run(ctx: Context, shapes: Graph, files: list[Path]) -> Iterator[Finding]:
    rules, problem = load(ctx)
    held = rule_shapes(ctx, shapes, files)
    if RULE_IDS.name not in ctx.blocked:
        yield from _rule_ids(ctx, held, rules, problem)
    if RULE_ANNOTATIONS.name in ctx.blocked:
        return
    vocabulary = Vocabulary.of(ctx.ontology())
    entries = {str(rule["id"]): rule for rule in reversed(rules or [])}
    for rule in held:
        entry = entries.get(rule.rule_id)
        flagged = yield from _annotations(shapes, vocabulary, rule, entry)
        if entry is not None and RULE_SPEC.name not in ctx.blocked:
            yield from _agreement(shapes, vocabulary, rule, entry, flagged)
            yield from _nested_severities(ctx, shapes, files, rule, entry)
        if QUOTE_SOURCE.name not in ctx.blocked and CG.quote not in flagged:
            yield from _quote_source(ctx, shapes, vocabulary, rule)


def _finding(check: Check, rule: RuleShape, message: str, level: Level = Level.ERROR) -> Finding:
    return Finding(
        check.name, level, f"rule {rule.rule_id}: {message}", rule.file, rule.line, rule.term
    )


def _rule_ids(
    ctx: Context, held: list[RuleShape], rules: list[dict] | None, problem: Finding | None
) -> Iterator[Finding]:
    if problem is not None:
        yield problem
    spec_ids = [str(rule["id"]) for rule in rules] if rules is not None else None
    by_rule: dict[str, list[RuleShape]] = {}
    for rule in held:
        by_rule.setdefault(rule.rule_id, []).append(rule)
    for rule_id, holders in sorted(by_rule.items()):
        for rule in holders:
            if spec_ids is not None and rule_id not in spec_ids:
                yield Finding(
                    RULE_IDS.name,
                    Level.ERROR,
                    f"shape {compact(rule.node)} has rule id {rule_id}, which is not in the "
                    "specification",
                    rule.file,
                    rule.line,
                    rule.term,
                )
            if len(holders) > 1:
                others = ", ".join(compact(r.node) for r in holders if r is not rule)
                yield Finding(
                    RULE_IDS.name,
                    Level.ERROR,
                    f"rule id {rule_id} is on more than one shape (also {others})",
                    rule.file,
                    rule.line,
                    rule.term,
                )
    if spec_ids is None or ctx.spec is None:
        return
    spec_lines = (ctx.text(ctx.spec) or "").splitlines()
    for rule_id in spec_ids:
        if rule_id not in by_rule:
            line = next(
                (
                    n
                    for n, text in enumerate(spec_lines, start=1)
                    if re.match(rf"\s*-?\s*id:\s*['\"]?{re.escape(rule_id)}['\"]?\s*$", text)
                ),
                None,
            )
            yield Finding(
                RULE_IDS.name,
                Level.ERROR,
                f"rule {rule_id} of the specification has no shape",
                display_path(ctx.spec),
                line,
                rule_id,
            )


def _quoteless(source: str | None, entry: dict | None) -> bool:
    """A rule that quotes no text: an integrity rule, or one the specification gives
    an empty quote."""
    if source == QUOTELESS:
        return True
    return entry is not None and "quote" in entry and not str(entry["quote"] or "").strip()


def _annotations(
    shapes: Graph, vocabulary: Vocabulary, rule: RuleShape, entry: dict | None
) -> Generator[Finding, None, set[URIRef]]:
    """One finding listing what the shape lacks; returns the annotations it flagged, which
    the other checks then leave alone."""
    missing: list[URIRef] = []
    empty: list[URIRef] = []
    several: list[URIRef] = []
    wrong: dict[URIRef, str] = {}
    source = vocabulary.sources.get(shapes.value(rule.node, DCTERMS.source))
    for predicate in ANNOTATIONS:
        values = list(shapes.objects(rule.node, predicate))
        name = compact(predicate)
        if not values:
            missing.append(predicate)
        elif len(values) > 1:
            several.append(predicate)
        elif predicate in TEXTS:
            if not str(values[0]).strip() and not (
                predicate == CG.quote and _quoteless(source, entry)
            ):
                empty.append(predicate)
        elif predicate == CG.era and values[0] not in vocabulary.eras:
            wrong[predicate] = f"{name} {_shown(values[0])} is not an era of the ontology"
        elif predicate == DCTERMS.source and values[0] not in vocabulary.sources:
            wrong[predicate] = (
                f"{name} {_shown(values[0])} is not a source document of the ontology"
            )
    parts = [
        f"{what} {', '.join(compact(p) for p in predicates)}"
        for what, predicates in (("missing", missing), ("empty", empty), ("more than one", several))
        if predicates
    ]
    if parts or wrong:
        yield _finding(RULE_ANNOTATIONS, rule, "; ".join([*parts, *wrong.values()]))
    return {*missing, *empty, *several, *wrong}


def _shown(value: Node) -> str:
    return f"'{value}'" if isinstance(value, Literal) else compact(value)


def _agreement(
    shapes: Graph, vocabulary: Vocabulary, rule: RuleShape, entry: dict, flagged: set[URIRef]
) -> Iterator[Finding]:
    def differs(what: str, expected: str, found: str) -> Finding:
        message = f"{what} differs from the specification: expected {expected}, found {found}"
        return _finding(RULE_SPEC, rule, message)

    quote = shapes.value(rule.node, CG.quote)
    if "quote" in entry and CG.quote not in flagged and quote is not None:
        expected = " ".join(str(entry["quote"] or "").split())
        found = " ".join(str(quote).split())
        if plain(expected) != plain(found):
            shown_expected, shown_found = _excerpts(expected, found)
            yield differs(compact(CG.quote), shown_expected, shown_found)
    severity = shapes.value(rule.node, SH.severity)
    if "severity" in entry and (severity is None or severity in SEVERITIES):
        expected = str(entry["severity"])
        name = SEVERITIES[severity] if severity is not None else "Violation"
        if name != expected:
            found = compact(severity) if severity is not None else "none (sh:Violation)"
            shown = f"sh:{expected}" if expected in SEVERITIES.values() else f"'{expected}'"
            yield differs(compact(SH.severity), shown, found)
    for key, predicate, known in (
        ("era", CG.era, vocabulary.eras),
        ("source", DCTERMS.source, vocabulary.sources),
    ):
        value = shapes.value(rule.node, predicate)
        if key in entry and predicate not in flagged and value is not None:
            expected = str(entry[key])
            if known.get(value) != expected:
                found = f"{compact(value)} ({known.get(value)})"
                yield differs(compact(predicate), Vocabulary.show(known, expected), found)


def _nested_severities(
    ctx: Context, shapes: Graph, files: list[Path], rule: RuleShape, entry: dict
) -> Iterator[Finding]:
    """A shape nested in the rule's shape that states a severity states the rule's: a
    property shape's findings have its own severity, not the node shape's, so a wrong
    one would show only when an example happens to make it fire."""
    expected = str(entry.get("severity", ""))
    if expected not in SEVERITIES.values():
        return
    for nested in nested_shapes(shapes, rule.node):
        severity = shapes.value(nested.node, SH.severity)
        if severity not in SEVERITIES or SEVERITIES[severity] == expected:
            continue  # none stated, or not a severity (severity-value says so)
        file, line = statement_place(ctx, shapes, files, nested.node, SH.severity, severity)
        yield Finding(
            RULE_SPEC.name,
            Level.ERROR,
            f"rule {rule.rule_id}: {compact(SH.severity)} of {nested.name()} differs from the "
            f"specification: expected sh:{expected}, found {compact(severity)}",
            file,
            line,
            str(nested.owner),
        )


def _excerpts(expected: str, found: str) -> tuple[str, str]:
    """Both quotes in full when short, else from a little before where they part."""
    if max(len(expected), len(found)) <= SHOWN:
        return f"'{expected}'", f"'{found}'"
    common = next(
        (i for i, (a, b) in enumerate(zip(expected, found, strict=False)) if a != b),
        min(len(expected), len(found)),
    )
    start = max(common - 20, 0)

    def cut(text: str) -> str:
        part = text[start : start + SHOWN]
        return ("..." if start else "") + part + ("..." if start + SHOWN < len(text) else "")

    return f"'{cut(expected)}'", f"'{cut(found)}'"


def source_texts(ctx: Context) -> dict[str, tuple[str, Path]]:
    """Source name -> (the path as the specification's header gives it, the file)."""

    def read() -> dict[str, tuple[str, Path]]:
        if ctx.spec is None:
            return {}
        texts = {}
        for match in SOURCE_TEXT.finditer(ctx.text(ctx.spec) or ""):
            name, given = match.group(1), match.group(2)
            beside = ctx.spec.parent.parent / given
            texts[name] = (given, beside if beside.is_file() else ctx.spec.parent / given)
        return texts

    return ctx.memo("source-texts", read)


def _plain_text(ctx: Context, path: Path) -> str | None:
    return ctx.memo(f"plain-text:{path}", lambda: _read_plain(ctx, path))


def _read_plain(ctx: Context, path: Path) -> str | None:
    text = ctx.text(path) if path.is_file() else None
    return plain(text) if text is not None else None


def _quote_source(
    ctx: Context, shapes: Graph, vocabulary: Vocabulary, rule: RuleShape
) -> Iterator[Finding]:
    quote = plain(str(shapes.value(rule.node, CG.quote) or ""))
    source = vocabulary.sources.get(shapes.value(rule.node, DCTERMS.source))
    if not quote or source is None:
        return
    declared = source_texts(ctx).get(source)
    if declared is None:
        yield _finding(
            QUOTE_SOURCE,
            rule,
            f"the specification names no source text for {source}, so the quote was not looked up",
            Level.WARN,
        )
        return
    given, path = declared
    text = _plain_text(ctx, path)
    if text is None:
        yield _finding(
            QUOTE_SOURCE,
            rule,
            f"the source text {given} of {source} was not found, so the quote was not looked up",
            Level.WARN,
        )
        return
    if quote in text:
        return
    words = quote.split(" ")
    matched = _longest_prefix(words, text)
    message = f"the quote is not in its source text ({given}): '{_clip(quote)}'"
    if matched >= MATCHED_WORDS:
        message += f" (the text has its first {matched} of {len(words)} words)"
    yield _finding(QUOTE_SOURCE, rule, message)


def _longest_prefix(words: list[str], text: str) -> int:
    """How many of the quote's first words the text has, in a row (binary search: a text
    that has a run of words has every shorter start of it)."""
    low, high = 0, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        if " ".join(words[:middle]) in text:
            low = middle
        else:
            high = middle - 1
    return low


def _clip(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."
