"""SHACL Core constraint components, each one SPARQL query over all focus nodes.

Value-type, cardinality, range, string, property-pair and value constraints are
answered by the store in a single query per constraint. Shape-based and
logical constraints (sh:node, sh:not, sh:and, sh:or, sh:xone, qualified value
shapes) fetch the focus/value pairs once and decide them in Python from the set
of value nodes that fail the nested shape, itself found set-wise.

Queries test for violations with MINUS or aggregates rather than
`FILTER NOT EXISTS` around property paths, which pyoxigraph evaluates slowly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from cancergraph.fastshacl import focus, results, terms
from cancergraph.fastshacl.classes import INSTANCE_OF
from cancergraph.fastshacl.results import Result
from cancergraph.fastshacl.shapes import SINGLE, Constraint, Shape
from cancergraph.fastshacl.terms import OxTerm
from cancergraph.vocab import RDF, SH, XSD

if TYPE_CHECKING:
    from cancergraph.fastshacl.engine import Row, Validator

# Datatypes whose lexical forms the store can check by casting from a string.
CASTABLE = {
    XSD.string,
    XSD.boolean,
    XSD.decimal,
    XSD.integer,
    XSD.float,
    XSD.double,
    XSD.date,
    XSD.dateTime,
    XSD.time,
    XSD.duration,
    XSD.dayTimeDuration,
    XSD.yearMonthDuration,
}
INTEGER_RANGES: dict[URIRef, tuple[int | None, int | None]] = {
    XSD.nonNegativeInteger: (0, None),
    XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0),
    XSD.negativeInteger: (None, -1),
    XSD.long: (-(2**63), 2**63 - 1),
    XSD.int: (-(2**31), 2**31 - 1),
    XSD.short: (-(2**15), 2**15 - 1),
    XSD.byte: (-(2**7), 2**7 - 1),
    XSD.unsignedLong: (0, 2**64 - 1),
    XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1),
    XSD.unsignedByte: (0, 2**8 - 1),
}
LEXICAL = {
    XSD.gYear: r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYearMonth: r"^-?[0-9]{4,}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gMonth: r"^--[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gMonthDay: r"^--[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gDay: r"^---[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.language: r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$",
}
NODE_KIND_TEST = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}
RANGE_OPERATORS = {
    SH.MinExclusiveConstraintComponent: ">",
    SH.MinInclusiveConstraintComponent: ">=",
    SH.MaxExclusiveConstraintComponent: "<",
    SH.MaxInclusiveConstraintComponent: "<=",
}
# The parameter a message template names ({$minCount}, {$class}, ...) for each component.
PARAMETERS = {
    component: str(predicate).rsplit("#", 1)[1] for predicate, component in SINGLE.items()
}
PARAMETERS.update(
    {
        SH.PatternConstraintComponent: "pattern",
        SH.ClosedConstraintComponent: "closed",
        SH.QualifiedMinCountConstraintComponent: "qualifiedValueShape",
        SH.QualifiedMaxCountConstraintComponent: "qualifiedValueShape",
    }
)


class _Context:
    """What every component needs: the validator, the shape, its focus nodes and value nodes."""

    def __init__(
        self, validator: Validator, shape: Shape, constraint: Constraint, source: focus.Source
    ) -> None:
        self.validator = validator
        self.shape = shape
        self.constraint = constraint
        self.source = source
        self.path = shape.path_sparql

    def focus_pattern(self) -> str:
        return self.source.pattern("this")

    def value_pattern(self) -> str:
        """Binds ?this to each focus node and ?value to each of its value nodes."""
        if self.path is None:
            return f"{self.focus_pattern()} BIND(?this AS ?value)"
        return f"{self.focus_pattern()} {self.path_pattern()}"

    def path_pattern(self) -> str:
        """?this linked to ?value by the path, for queries that keep distinct pairs only.

        An alternative path is written as the union of its branches: the store looks
        each branch up by its property, where it walks an alternative as a path and
        keeps its answers distinct (INT-02's dates at 100k triples: 8.0 -> 5.9 ms).
        """
        branches = self.shape.path_alternatives
        if len(branches) < 2:
            return f"?this {self.path} ?value ."
        return "{ " + " UNION ".join(f"{{ ?this {b} ?value }}" for b in branches) + " }"

    def rows(self, where: str, columns: str = "?this ?value") -> list[Row]:
        return self.validator.data.select(f"SELECT DISTINCT {columns} WHERE {{ {where} }}")

    def free(self) -> bool:
        """Whether value pairs can be found from the path alone and then kept for focus nodes.

        That spares the store the focus pattern when few pairs match; a path that can be
        empty must start from the focus nodes (each is its own value).
        """
        return self.path is not None and not self.shape.path_nullable and self.source.testable

    def value_rows(self, extra: str, columns: str = "?this ?value") -> list[Row]:
        """Focus/value pairs, with any other columns, matching an extra pattern."""
        if not self.free():
            return self.rows(f"{self.value_pattern()} {extra}", columns)
        return self.keep_focus(self.rows(f"{self.path_pattern()} {extra}", columns))

    def keep_focus(self, rows: list[Row]) -> list[Row]:
        keep = self.validator.members(self.source, {row["this"] for row in rows})
        return [row for row in rows if row["this"] in keep]

    def result(
        self,
        focus_node: OxTerm,
        value: OxTerm | None = None,
        path: Node | None = None,
        default: str = "",
    ) -> Result:
        """A result of this constraint; messages are the shape's, with {$parameter} filled."""
        shape = self.shape
        focus_rdf = terms.to_rdflib(focus_node)
        value_rdf = terms.to_rdflib(value) if value is not None else None
        variables: dict[str, Node] = {
            "this": focus_rdf,
            PARAMETERS.get(self.constraint.component, "value"): self.constraint.value,
        }
        if value_rdf is not None:
            variables["value"] = value_rdf
        return Result(
            focus=focus_rdf,
            shape=shape.node,
            component=self.constraint.component,
            severity=shape.severity,
            path=path if path is not None else shape.path,
            value=value_rdf,
            messages=results.messages(shape.messages, variables, default),
        )

    def value_results(self, extra: str, default: str) -> list[Result]:
        """A result for each focus/value pair matching an extra pattern."""
        return [self.result(r["this"], r["value"], default=default) for r in self.value_rows(extra)]


def _class(ctx: _Context) -> list[Result]:
    cls = ctx.constraint.value
    if isinstance(cls, BNode):
        member = f"BIND({terms.sparql(cls)} AS ?_class) ?value {INSTANCE_OF} ?_class ."
    else:
        member = f"?value {INSTANCE_OF} {terms.sparql(cls)} ."
    return ctx.value_results(
        f"MINUS {{ {member} }}", f"Value is not an instance of {terms.show(cls)}"
    )


def datatype_test(datatype: Node) -> str:
    """SPARQL that is true when ?value is a well-formed literal of the datatype."""
    test = f"isLiteral(?value) && sameTerm(DATATYPE(?value), {terms.sparql(datatype)})"
    if datatype == RDF.langString:
        return f'({test} && LANG(?value) != "")'
    if datatype in CASTABLE:
        # pyoxigraph keeps a well-formed literal of these datatypes as its value and an
        # ill-formed one as plain text, which the cast refuses; casting the value, not
        # its string, saves parsing every value again (0.3 ms of 0.8 ms on the dates
        # of 10,000 triples).
        cast = f"<{datatype}>(?value)"
        return f"({test} && COALESCE(isLiteral({cast}), false))"
    if datatype in INTEGER_RANGES:
        low, high = INTEGER_RANGES[datatype]
        number = f"<{XSD.integer}>(STR(?value))"
        checks = ['REGEX(STR(?value), "^[+-]?[0-9]+$")']
        if low is not None:
            checks.append(f"{number} >= {low}")
        if high is not None:
            checks.append(f"{number} <= {high}")
        return f"({test} && COALESCE({' && '.join(checks)}, false))"
    if datatype in LEXICAL:
        return f'({test} && REGEX(STR(?value), "{LEXICAL[datatype]}"))'
    return f"({test})"


def _datatype(ctx: _Context) -> list[Result]:
    datatype = ctx.constraint.value
    return ctx.value_results(
        f"FILTER(!({datatype_test(datatype)}))",
        f"Value is not a well-formed literal of datatype {terms.show(datatype)}",
    )


def _node_kind(ctx: _Context) -> list[Result]:
    kind = ctx.constraint.value
    return ctx.value_results(
        f"FILTER(!{NODE_KIND_TEST[kind]})", f"Value is not of node kind {terms.show(kind)}"
    )


def _min_count(ctx: _Context) -> list[Result]:
    count = ctx.constraint.count
    if count == 0:
        return []
    if count == 1:
        absent = " ".join(
            f"FILTER NOT EXISTS {{ ?this {branch} ?_v }}" for branch in ctx.shape.path_alternatives
        )
        where = f"{ctx.focus_pattern()} {absent}"
        rows = ctx.rows(where, "?this")
    else:
        rows = ctx.validator.data.select(
            f"SELECT ?this WHERE {{ {ctx.focus_pattern()} OPTIONAL {{ ?this {ctx.path} ?_v }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {count})"
        )
    return [ctx.result(row["this"], default=f"Less than {count} values") for row in rows]


def _max_count(ctx: _Context) -> list[Result]:
    count = ctx.constraint.count
    start = "" if ctx.free() else ctx.focus_pattern()
    rows = ctx.validator.data.select(
        f"SELECT ?this WHERE {{ {start} ?this {ctx.path} ?_v . }} "
        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {count})"
    )
    if ctx.free():
        rows = ctx.keep_focus(rows)
    return [ctx.result(row["this"], default=f"More than {count} values") for row in rows]


def _range(ctx: _Context) -> list[Result]:
    operator = RANGE_OPERATORS[ctx.constraint.component]
    bound = ctx.constraint.value
    return ctx.value_results(
        f"FILTER(!COALESCE(?value {operator} {terms.sparql(bound)}, false))",
        f"Value is not {operator} {terms.show(bound)}",
    )


def _length(ctx: _Context) -> list[Result]:
    minimum = ctx.constraint.component == SH.MinLengthConstraintComponent
    length = ctx.constraint.count
    operator = ">=" if minimum else "<="
    return ctx.value_results(
        f"FILTER(isBlank(?value) || !COALESCE(STRLEN(STR(?value)) {operator} {length}, false))",
        f"Value has {'less' if minimum else 'more'} than {length} characters",
    )


def _string(text: str) -> str:
    return terms.sparql(Literal(text))


def _pattern(ctx: _Context) -> list[Result]:
    pattern = str(ctx.constraint.value)
    regex = f"REGEX(STR(?value), {_string(pattern)}, {_string(ctx.constraint.flags)})"
    return ctx.value_results(
        f"FILTER(isBlank(?value) || !COALESCE({regex}, false))",
        f"Value does not match the pattern {pattern!r}",
    )


def _language_in(ctx: _Context) -> list[Result]:
    languages = [str(tag) for tag in ctx.constraint.members]
    tests = " || ".join(f"LANGMATCHES(LANG(?value), {_string(tag)})" for tag in languages)
    return ctx.value_results(
        f"FILTER(!isLiteral(?value) || !({tests or 'false'}))",
        f"Language tag is not one of {', '.join(languages)}",
    )


def _unique_lang(ctx: _Context) -> list[Result]:
    rows = ctx.validator.data.select(
        f"SELECT DISTINCT ?this ?lang WHERE {{ {ctx.focus_pattern()} "
        f"?this {ctx.path} ?_a . ?this {ctx.path} ?_b . FILTER(!sameTerm(?_a, ?_b)) "
        f'BIND(LCASE(LANG(?_a)) AS ?lang) FILTER(?lang != "" && ?lang = LCASE(LANG(?_b))) }}'
    )
    return [
        ctx.result(row["this"], default=f"Language {row['lang'].value} is used more than once")
        for row in rows
    ]


def _other_first(ctx: _Context) -> bool:
    """Whether a pair query found without the focus pattern should start from the other
    property: when the path is one property and the other is used by fewer triples."""
    other = ctx.constraint.value
    return (
        ctx.free()
        and isinstance(ctx.shape.path, URIRef)
        and isinstance(other, URIRef)
        and ctx.validator.rarer(str(ctx.shape.path), str(other))
    )


def _other(ctx: _Context, value_var: str) -> str:
    """The values of the other property (sh:equals, sh:lessThan, ...) of ?this."""
    return f"?this {terms.sparql(ctx.constraint.value)} ?{value_var} ."


def _pair_rows(
    ctx: _Context, other_var: str, test: str = "", columns: str = "?this ?value"
) -> list[Row]:
    """Focus/value pairs whose other property's values (bound to ?other_var) pass a test,
    found from whichever property is rarer."""
    other = _other(ctx, other_var)
    if _other_first(ctx):
        where = f"{other} ?this {ctx.path} ?value . {test}"
        return ctx.keep_focus(ctx.rows(where, columns))
    return ctx.value_rows(f"{other} {test}", columns)


def _equals(ctx: _Context) -> list[Result]:
    other = _other(ctx, "value")
    where = (
        f"{{ {ctx.value_pattern()} MINUS {{ {ctx.focus_pattern()} {other} }} }} UNION "
        f"{{ {ctx.focus_pattern()} {other} MINUS {{ {ctx.value_pattern()} }} }}"
    )
    return [
        ctx.result(row["this"], row["value"], default="Value sets are not equal")
        for row in ctx.rows(where)
    ]


def _disjoint(ctx: _Context) -> list[Result]:
    rows = _pair_rows(ctx, "value")
    return [
        ctx.result(row["this"], row["value"], default="Value sets are not disjoint") for row in rows
    ]


def _less_than(ctx: _Context) -> list[Result]:
    """One result per value and other value that are not in order, as SHACL counts them."""
    operator = "<" if ctx.constraint.component == SH.LessThanConstraintComponent else "<="
    test = f"FILTER(!COALESCE(?value {operator} ?_o, false))"
    rows = _pair_rows(ctx, "_o", test, "?this ?value ?_o")
    message = f"Value is not {operator} a value of {terms.show(ctx.constraint.value)}"
    return [ctx.result(row["this"], row["value"], default=message) for row in rows]


def _has_value(ctx: _Context) -> list[Result]:
    wanted = ctx.constraint.value
    constant = terms.sparql(wanted)
    if ctx.path is None:
        where = f"{ctx.focus_pattern()} FILTER(!sameTerm(?this, {constant}))"
    else:
        where = (
            f"{ctx.focus_pattern()} MINUS {{ {ctx.focus_pattern()} "
            f"BIND({constant} AS ?_want) ?this {ctx.path} ?_want . }}"
        )
    message = f"Missing expected value {terms.show(wanted)}"
    return [ctx.result(row["this"], default=message) for row in ctx.rows(where, "?this")]


def _in(ctx: _Context) -> list[Result]:
    members = ctx.constraint.members
    if len(members) > 20 and not any(isinstance(m, BNode) for m in members):
        listed = " ".join(terms.sparql(m) for m in members)
        test = f"MINUS {{ VALUES ?value {{ {listed} }} }}"
    else:
        tests = " || ".join(f"sameTerm(?value, {terms.sparql(m)})" for m in members)
        test = f"FILTER(!({tests or 'false'}))"
    return ctx.value_results(test, "Value is not in the list of allowed values")


def _closed(ctx: _Context) -> list[Result]:
    allowed = ctx.constraint.members
    listed = ", ".join(terms.sparql(p) for p in allowed)
    test = f"FILTER(?_p NOT IN ({listed}))" if allowed else ""
    rows = ctx.value_rows(f"?value ?_p ?_o . {test}", "?this ?_p ?_o")
    return [
        ctx.result(
            row["this"],
            row["_o"],
            path=terms.to_rdflib(row["_p"]),
            default="Predicate is not allowed (closed shape)",
        )
        for row in rows
    ]


def _pairs(ctx: _Context) -> list[tuple[OxTerm, OxTerm]]:
    if ctx.path is None:
        return [(row["this"], row["this"]) for row in ctx.rows(ctx.focus_pattern(), "?this")]
    return [(row["this"], row["value"]) for row in ctx.rows(ctx.value_pattern())]


def _logical(ctx: _Context) -> list[Result]:
    """sh:not, sh:node, sh:and, sh:or, sh:xone, from the value nodes that fail each shape."""
    component = ctx.constraint.component
    nested = ctx.constraint.value
    single = component in (SH.NotConstraintComponent, SH.NodeConstraintComponent)
    members = [nested] if single else ctx.constraint.members
    pairs = _pairs(ctx)
    if not pairs:
        return []
    source = focus.values(ctx.source, ctx.path)
    failing = [ctx.validator.failing(member, source) for member in members]
    found = []
    for this, value in pairs:
        node = terms.to_rdflib(value)
        conforming = sum(node not in fails for fails in failing)
        if component == SH.NotConstraintComponent:
            bad = conforming == 1
            message = f"Value conforms to the shape {terms.show(nested)}"
        elif component == SH.NodeConstraintComponent:
            bad = conforming == 0
            message = f"Value does not conform to the shape {terms.show(nested)}"
        elif component == SH.AndConstraintComponent:
            bad = conforming < len(failing)
            message = "Value does not conform to every shape in the list"
        elif component == SH.OrConstraintComponent:
            bad = conforming == 0
            message = "Value does not conform to any shape in the list"
        else:
            bad = conforming != 1
            message = "Value does not conform to exactly one shape in the list"
        if bad:
            found.append(ctx.result(this, value, default=message))
    return found


def _siblings(ctx: _Context) -> list[Node]:
    """Qualified value shapes of the sibling property shapes (for qualifiedValueShapesDisjoint)."""
    graph = ctx.validator.shapes.graph
    found: set[Node] = set()
    for parent in graph.subjects(SH.property, ctx.shape.node):
        for sibling in graph.objects(parent, SH.property):
            if sibling != ctx.shape.node:
                found.update(graph.objects(sibling, SH.qualifiedValueShape))
    found.discard(ctx.constraint.value)
    return sorted(found, key=str)


def _qualified(ctx: _Context) -> list[Result]:
    """Count the value nodes that conform to the shape (and to no sibling's, if disjoint)."""
    is_min = ctx.constraint.component == SH.QualifiedMinCountConstraintComponent
    limit = ctx.constraint.count
    source = focus.values(ctx.source, ctx.path)
    fails = ctx.validator.failing(ctx.constraint.value, source)
    others = (
        [ctx.validator.failing(s, source) for s in _siblings(ctx)]
        if ctx.constraint.disjoint
        else []
    )
    counts: dict[OxTerm, int] = {row["this"]: 0 for row in ctx.rows(ctx.focus_pattern(), "?this")}
    for this, value in _pairs(ctx):
        node = terms.to_rdflib(value)
        if node not in fails and all(node in other for other in others):
            counts[this] += 1
    word = "Fewer" if is_min else "More"
    return [
        ctx.result(this, default=f"{word} than {limit} values conform")
        for this, count in counts.items()
        if (count < limit if is_min else count > limit)
    ]


HANDLERS: dict[URIRef, Callable[[_Context], list[Result]]] = {
    SH.ClassConstraintComponent: _class,
    SH.DatatypeConstraintComponent: _datatype,
    SH.NodeKindConstraintComponent: _node_kind,
    SH.MinCountConstraintComponent: _min_count,
    SH.MaxCountConstraintComponent: _max_count,
    SH.MinExclusiveConstraintComponent: _range,
    SH.MinInclusiveConstraintComponent: _range,
    SH.MaxExclusiveConstraintComponent: _range,
    SH.MaxInclusiveConstraintComponent: _range,
    SH.MinLengthConstraintComponent: _length,
    SH.MaxLengthConstraintComponent: _length,
    SH.PatternConstraintComponent: _pattern,
    SH.LanguageInConstraintComponent: _language_in,
    SH.UniqueLangConstraintComponent: _unique_lang,
    SH.EqualsConstraintComponent: _equals,
    SH.DisjointConstraintComponent: _disjoint,
    SH.LessThanConstraintComponent: _less_than,
    SH.LessThanOrEqualsConstraintComponent: _less_than,
    SH.NotConstraintComponent: _logical,
    SH.AndConstraintComponent: _logical,
    SH.OrConstraintComponent: _logical,
    SH.XoneConstraintComponent: _logical,
    SH.NodeConstraintComponent: _logical,
    SH.HasValueConstraintComponent: _has_value,
    SH.InConstraintComponent: _in,
    SH.ClosedConstraintComponent: _closed,
    SH.QualifiedMinCountConstraintComponent: _qualified,
    SH.QualifiedMaxCountConstraintComponent: _qualified,
}


def evaluate(
    validator: Validator, shape: Shape, constraint: Constraint, source: focus.Source
) -> list[Result]:
    return HANDLERS[constraint.component](_Context(validator, shape, constraint, source))
