"""The examples behave as documented: conforming ones conform, and each non-conforming
one gives exactly the findings of its golden file (rule, focus node, severity)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future
from itertools import combinations
from pathlib import Path
from threading import Thread

from rdflib import Graph
from rdflib.collection import Collection
from rdflib.term import Node

from cancergraph import json_text, resources
from cancergraph.checks import validating
from cancergraph.checks.findings import Check, Finding, Level, compact, display_path
from cancergraph.checks.locate import LOCAL_NAME
from cancergraph.checks.reasoner import listed, place, read_ahead, written
from cancergraph.checks.workspace import Context, golden_path
from cancergraph.errors import UserError
from cancergraph.explanation import Budget, Clash, Clashes
from cancergraph.vocab import OWL, RDF, RDFS

GROUP = "examples"
CONFORMS = Check(
    "example-conforms",
    "Conforming examples conform",
    "Each example without a golden file (outside a nonconforming/ folder) validates "
    "with no findings, as `cancergraph validate` judges it with the project's ontology "
    "and shapes.",
    GROUP,
    "Fix the example, or the rule that now fires on it.",
    level=Level.ERROR,
)
GOLDEN = Check(
    "example-golden",
    "Non-conforming examples give their golden findings",
    "Each example with a golden file (<name>.expected.json) gives exactly the findings "
    "it lists, compared as a multiset of (rule, focus node, severity). An example in a "
    "nonconforming/ folder must have one that lists at least one finding, and one in a "
    "conforming/ folder must list none.",
    GROUP,
    "If the rule changed on purpose, update the golden file and check that each finding "
    "still matches a defect described in the example; otherwise fix the rule.",
    level=Level.ERROR,
)
DISJOINT = Check(
    "example-disjoint",
    "Examples respect the ontology's disjoint classes",
    "No node of an example is, by its rdf:types and the ontology's rdfs:subClassOf axioms, "
    "a member of two classes the ontology declares disjoint (owl:disjointWith, "
    "owl:AllDisjointClasses): an NHS trust that is also a foundation trust, a CCG that is "
    "also a primary care trust. The shapes do not test this, and an example that breaks it "
    "teaches a setup the ontology calls impossible.",
    GROUP,
    "Give the node the one class it has.",
    level=Level.ERROR,
)
CONSISTENT = Check(
    "example-consistent",
    "Examples are consistent with the ontology",
    "HermiT finds the project's ontology together with each example consistent. This "
    "catches what the shapes and told disjointness miss: a node that a property's domain "
    "or range, or a restriction, puts in two disjoint classes, such as a clinical board "
    "given a tumour site (which only tumour boards have). Statements whose value HermiT "
    "cannot read (xsd:date and other types outside the OWL 2 datatype map) are left out.",
    GROUP,
    "Change the statements the finding lists, or the node's class.",
    level=Level.ERROR,
)
CHECKS = (CONFORMS, GOLDEN, DISJOINT, CONSISTENT)
Key = tuple[str, str, str]
# the examples that HermiT finds inconsistent with the ontology, each with why
Inconsistent = dict[Path, Clash]
# why the examples checks do not run when the ontology itself is inconsistent
INCONSISTENT_ONTOLOGY = "the ontology is inconsistent"


def active(ctx: Context) -> tuple[Check, ...]:
    return CHECKS if ctx.workspace.examples else ()


def blocked(ctx: Context) -> dict[str, str]:
    """Examples are validated with the project's ontology and shapes, so both must parse,
    and the checks that compare validation reports need shapes the engine can run;
    example-golden also needs every golden file."""
    reason = validating.unparsable(ctx)
    if reason is not None:
        return dict.fromkeys((check.name for check in CHECKS), reason)
    reason = validating.cannot_validate(ctx)
    found = dict.fromkeys((CONFORMS.name, GOLDEN.name), reason) if reason else {}
    goldens = [golden_path(path) for path in ctx.workspace.examples]
    reason = ctx.unparsable(golden for golden in goldens if golden.exists())
    if reason is not None:
        found.setdefault(GOLDEN.name, reason)
    return found


def start(ctx: Context) -> None:
    """Start HermiT on the examples in the background, while the examples are validated.

    Its inputs are read here, on the calling thread, so that the background thread
    shares none of the context's caches with the checks running meanwhile."""
    future: Future = Future()
    Thread(target=_reason, args=(ctx, _reasoning_inputs(ctx), future), daemon=True).start()
    ctx.memo("example-consistency", lambda: future)


def run(ctx: Context) -> Iterator[Finding]:
    pending: Future = ctx.memo(
        "example-consistency", lambda: _reason(ctx, _reasoning_inputs(ctx), Future())
    )
    for path in ctx.workspace.examples:
        if ctx.quads(path) is None:
            continue  # reported by the parse check
        yield from _disjoint(ctx, path)
        golden = golden_path(path)
        if golden.exists():
            yield from _golden(ctx, path, golden)
        elif path.parent.name == "nonconforming":
            yield Finding(
                GOLDEN.name,
                Level.ERROR,
                f"a non-conforming example needs a golden file, {golden.name}",
                display_path(path),
                1,
            )
        else:
            yield from _conforms(ctx, path)
    reasoned: tuple[Inconsistent, str] | None = pending.result()  # ran beside the above
    if reasoned is None:
        # every example is then inconsistent, and no conclusion drawn from the ontology
        # holds: the checks do not run, and the findings given above are dropped
        ctx.blocked.update(dict.fromkeys((check.name for check in CHECKS), INCONSISTENT_ONTOLOGY))
        return
    found, gave_up = reasoned
    for path in ctx.workspace.examples:
        yield from _inconsistent(ctx, path, found, gave_up)


def _validate(ctx: Context, path: Path, check: Check) -> tuple[list[Key], Finding | None]:
    try:
        report = ctx.example_report(path)
    except UserError as err:
        return [], Finding(check.name, Level.ERROR, f"cannot validate: {err}", display_path(path))
    return [(f.rule or f.shape, f.focus_node, f.severity.label) for f in report.results], None


def _conforms(ctx: Context, path: Path) -> Iterator[Finding]:
    got, problem = _validate(ctx, path, CONFORMS)
    if problem is not None:
        yield problem
    for rule, focus, severity in sorted(set(got)):
        yield Finding(
            CONFORMS.name,
            Level.ERROR,
            f"a conforming example breaks {rule} ({severity}) at <{focus}>",
            display_path(path),
            ctx.line_of(path, focus),
            focus,
        )


GOLDEN_KEYS = ("rule", "focus_node", "severity")


def _expected(ctx: Context, golden: Path) -> tuple[Counter[Key] | None, list[Finding]]:
    """The golden findings, or None with a finding for each part of the file that is not
    as a golden file must be: the whole file at its line 1, a finding at its own line."""
    data = ctx.document(golden)
    if data is None:
        return None, []  # reported by the parse check
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        shape = '{"findings": [{"rule", "focus_node", "severity"}, ...]}'
        return None, [_golden_problem(golden, 1, f"the golden file must be {shape}")]
    text = ctx.text(golden) or ""
    items = json_text.listed(text, "findings")
    starts = [json_text.position(text, offset)[0] for offset, _ in items]
    problems = []
    for index, entry in enumerate(entries):
        problem = _entry_problem(entry)
        if problem is not None:
            line = starts[index] if index < len(starts) else 1
            problems.append(_golden_problem(golden, line, problem))
    if problems:
        return None, problems
    counted = Counter((str(e["rule"]), str(e["focus_node"]), str(e["severity"])) for e in entries)
    return counted, []


def _entry_problem(entry: object) -> str | None:
    """What is wrong with one finding of a golden file, if anything."""
    wanted = '"rule", "focus_node" and "severity"'
    if not isinstance(entry, dict):
        return f"a finding of a golden file is an object with {wanted}"
    missing = [key for key in GOLDEN_KEYS if key not in entry]
    if not missing:
        return None
    others = [key for key in entry if key not in GOLDEN_KEYS]
    has = f" (it has {', '.join(json.dumps(key) for key in others)})" if others else ""
    lacks = " and ".join(json.dumps(key) for key in missing)
    return f"the finding lacks {lacks}{has}; each finding of a golden file has {wanted}"


def _golden_problem(golden: Path, line: int, message: str) -> Finding:
    return Finding(GOLDEN.name, Level.ERROR, message, display_path(golden), line)


def _golden(ctx: Context, path: Path, golden: Path) -> Iterator[Finding]:
    expected, problems = _expected(ctx, golden)
    yield from problems
    if expected is None:
        return
    # the folder the example sits in, not any folder above the checkout
    folder = path.parent.name
    if expected and folder == "conforming":
        yield Finding(
            GOLDEN.name,
            Level.ERROR,
            f"a conforming example, but {golden.name} lists findings: move both to "
            "nonconforming/, or fix the example",
            display_path(golden),
            1,
        )
    elif not expected and folder == "nonconforming":
        yield Finding(
            GOLDEN.name,
            Level.ERROR,
            f"a non-conforming example, but {golden.name} lists no findings: move it to "
            "conforming/, or break what it is meant to break",
            display_path(golden),
            1,
        )
    got, failure = _validate(ctx, path, GOLDEN)
    if failure is not None:
        yield failure
        return
    found = Counter(got)
    for key, count in sorted((expected - found).items()):
        yield _difference(ctx, path, key, count, f"expected by {golden.name} but not reported")
    for key, count in sorted((found - expected).items()):
        yield _difference(ctx, path, key, count, f"reported but not in {golden.name}")


def _difference(ctx: Context, path: Path, key: Key, count: int, what: str) -> Finding:
    rule, focus, severity = key
    times = f" ({count} times)" if count > 1 else ""
    return Finding(
        GOLDEN.name,
        Level.ERROR,
        f"{rule} ({severity}) at <{focus}>{times}: {what}",
        display_path(path),
        ctx.line_of(path, focus),
        focus,
    )


class Disjointness:
    """The ontology's told class hierarchy and disjoint pairs, enough to catch a node typed
    with two disjoint classes without running a reasoner over every example."""

    def __init__(self, ontology: Graph) -> None:
        self.ontology = ontology
        self.pairs: set[frozenset[Node]] = set()
        for first, second in ontology.subject_objects(OWL.disjointWith):
            self.pairs.add(frozenset((first, second)))
        for group in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
            members = ontology.value(group, OWL.members)
            listed = list(Collection(ontology, members)) if members is not None else []
            self.pairs.update(frozenset(pair) for pair in combinations(listed, 2))

    def ancestors(self, classes: set[Node]) -> set[Node]:
        """The classes and every class above them by told rdfs:subClassOf."""
        return {
            found
            for cls in classes
            for found in self.ontology.transitive_objects(cls, RDFS.subClassOf)
        }

    def clashes(self, classes: set[Node]) -> list[tuple[Node, Node]]:
        """The disjoint pairs a node of these classes belongs to both sides of."""
        closure = self.ancestors(classes)
        found = []
        for pair in self.pairs:
            if pair <= closure:
                first, second = sorted(pair, key=str)
                found.append((first, second))
        return sorted(found, key=lambda pair: (str(pair[0]), str(pair[1])))


def _disjointness(ctx: Context) -> Disjointness:
    return ctx.memo(
        "disjointness", lambda: Disjointness(ctx.merged(tuple(resources.ontology_files())))
    )


def _disjoint(ctx: Context, path: Path) -> Iterator[Finding]:
    return iter(ctx.memo(f"disjoint:{path}", lambda: list(_find_disjoint(ctx, path))))


def _find_disjoint(ctx: Context, path: Path) -> Iterator[Finding]:
    disjoint = _disjointness(ctx)
    graph = ctx.graph(path)
    if graph is None or not disjoint.pairs:
        return
    for node in sorted(set(graph.subjects(RDF.type, None)), key=str):
        for first, second in disjoint.clashes(set(graph.objects(node, RDF.type))):
            yield Finding(
                DISJOINT.name,
                Level.ERROR,
                f"is both {compact(str(first))} and {compact(str(second))}, which the "
                "ontology declares disjoint",
                display_path(path),
                ctx.line_of(path, str(node)),
                str(node),
            )


def _reasoning_inputs(ctx: Context) -> tuple[Graph, dict[Path, Graph]]:
    """The ontology and the examples to reason over; an example with a node of two
    disjoint classes is left out, as example-disjoint already reports it. What their
    explanations need of the files' text is read here too."""
    ontology = ctx.merged(tuple(resources.ontology_files()))
    examples = {
        path: graph
        for path in ctx.workspace.examples
        if (graph := ctx.graph(path)) is not None and next(_disjoint(ctx, path), None) is None
    }
    read_ahead(ctx, [*resources.ontology_files(), *examples])
    return ontology, examples


def _reason(ctx: Context, inputs: tuple[Graph, dict[Path, Graph]], future: Future) -> Future:
    """HermiT on the ontology with all the examples at once (one run when they are
    consistent, as they should be), then one example at a time to find which are not
    and why, within one budget of reasoner runs. The result is the examples found
    inconsistent, and what to say of one not explained; None when the ontology itself
    is inconsistent."""
    ontology, examples = inputs
    try:
        found: Inconsistent = {}
        together = Graph()
        for graph in (ontology, *examples.values()):
            together += graph
        budget = Budget()
        if not ctx.consistent(together):
            if not examples or not ctx.consistent(ontology):
                # the reasoning checks' finding, not the examples'
                future.set_result(None)
                return future
            files = list(resources.ontology_files())
            clashes = Clashes(ontology, ctx, budget, lambda axiom: written(ctx, files, axiom))
            for path, graph in examples.items():
                clash = clashes.explain(graph, lambda axiom, at=path: written(ctx, [at], axiom))
                if clash is not None:
                    found[path] = clash
        future.set_result((found, budget.gave_up()))
    except Exception as err:  # reported by run(), as the check's own failure
        future.set_exception(err)
    return future


def _inconsistent(ctx: Context, path: Path, found: Inconsistent, gave_up: str) -> Iterator[Finding]:
    if path not in found:
        return
    clash = found[path]
    if not clash.found:
        yield Finding(
            CONSISTENT.name,
            Level.ERROR,
            f"the example is inconsistent with the ontology ({gave_up})",
            display_path(path),
        )
        return
    prefixes = sorted(ctx.source(path).prefixes, key=lambda p: -len(p[1]))  # longest first

    def name(term: Node) -> str:
        """The example's own prefixed name for a term, as its author wrote it."""
        for prefix, namespace in prefixes:
            local = str(term)[len(namespace) :]
            if str(term).startswith(namespace) and LOCAL_NAME.match(local):
                return f"{prefix}:{local}"
        return compact(term)

    places = [place(ctx, [path], axiom) for axiom in clash.statements]
    message = (
        "the example is inconsistent with the ontology; these statements make it so: "
        + listed(clash.statements, places, name)
    )
    if clash.axioms:
        files = list(resources.ontology_files())
        where = [place(ctx, files, axiom) for axiom in clash.axioms]
        message += "; with these axioms of the ontology: " + listed(
            clash.axioms, where, compact, several=True
        )
    yield Finding(
        CONSISTENT.name,
        Level.ERROR,
        message,
        display_path(path),
        next((line for _, line in places if line), None),
    )
