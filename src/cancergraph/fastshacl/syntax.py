"""Just enough SPARQL syntax to apply SHACL pre-binding to a whole set of focus nodes.

A SHACL-SPARQL query is written for one focus node at a time. To run it once for
all focus nodes the engine has to know where, in the query's group structure,
`$this` (and `$value`) are used, and where a table of focus nodes can be joined
in without changing the answers. This module tokenises a query and parses its
group graph patterns into a small tree; expressions and triples stay token runs
whose variables are recorded. It does not validate SPARQL: pyoxigraph does that
when the rewritten query runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from cancergraph.fastshacl.errors import ShapesError

# Name characters from U+00C0 on are written as a negated class: a range up to U+FFFF
# inside a class took Python's regular expression compiler 40 ms (at every import).
_HIGH = r"[^\x00-\xbf]"
_NAME_CHAR = rf"(?:[A-Za-z0-9_\-\u00b7]|{_HIGH})"
_NAME_TAIL = rf"(?:(?:\.|{_NAME_CHAR})*{_NAME_CHAR})?"
_TOKENS = {
    "space": r"\s+|\#[^\n]*",
    "string": "|".join(
        (
            r'"""(?:[^"\\]|\\.|"(?!""))*"""',
            r"'''(?:[^'\\]|\\.|'(?!''))*'''",
            r'"(?:[^"\\\n\r]|\\.)*"',
            r"'(?:[^'\\\n\r]|\\.)*'",
        )
    ),
    "iri": r"<[^<>\"{}|^`\\\x00-\x20]*>",
    "var": rf"[?$](?:[0-9_A-Za-z\u00b7]|{_HIGH})+",
    "bnode": rf"_:(?:[0-9_A-Za-z]|{_HIGH}){_NAME_TAIL}",
    "lang": r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*",
    "number": r"[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.[0-9]*[eE][+-]?[0-9]+"
    r"|[0-9]+(?:[eE][+-]?[0-9]+)?",
    "pname": rf"(?:(?:[A-Za-z]|{_HIGH}){_NAME_TAIL})?:"
    rf"(?:[:A-Za-z0-9_\-\u00b7]|{_HIGH}|%[0-9A-Fa-f]{{2}}|\\."
    rf"|\.(?=[:%\\A-Za-z0-9_\-\u00b7]|{_HIGH}))*",
    "name": r"[A-Za-z_][A-Za-z0-9_]*",
    "punct": r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;*/|^+\-!=<>?]",
}
_TOKEN = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _TOKENS.items()))

AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})
_GROUP_KEYWORDS = frozenset({"OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES"})


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        """Keywords are case-insensitive; names compare upper-cased."""
        return self.text.upper() if self.kind == "name" else ""

    @property
    def var(self) -> str | None:
        return self.text[1:] if self.kind == "var" else None


@lru_cache(maxsize=2048)
def tokenize(text: str) -> tuple[Token, ...]:
    """The tokens of a query (cached: each query is read several times while planning)."""
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ShapesError(
                f"cannot read the SPARQL query near: {text[position : position + 30]!r}"
            )
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, match.group(), match.start(), match.end()))
        position = match.end()
    return tuple(tokens)


@dataclass
class Expression:
    """A run of expression tokens: the variables it reads and the EXISTS patterns in it."""

    variables: set[str] = field(default_factory=set)
    exists: list[Group] = field(default_factory=list)
    aggregates: bool = False


@dataclass
class Element:
    """One element of a group graph pattern.

    kind is one of: triples, optional, minus, graph, service, filter, bind, values, union.
    """

    kind: str
    variables: set[str] = field(default_factory=set)
    groups: list[Group] = field(default_factory=list)
    expression: Expression | None = None
    target: str | None = None


@dataclass
class Select:
    """A SELECT (or sub-SELECT) query: projection, WHERE group and solution modifiers."""

    projection: list[str]
    star: bool
    projection_end: int
    where: Group
    assigned: set[str]
    group_by: list[str] | None
    group_by_end: int | None
    aggregates: bool
    limited: bool
    values: bool


@dataclass
class Group:
    """A `{ ... }` group: its elements, or the sub-SELECT it consists of."""

    open_end: int
    elements: list[Element] = field(default_factory=list)
    subselect: Select | None = None


@dataclass
class Query:
    form: str
    select: Select | None
    where: Group
    dataset_clause: bool


class _Parser:
    def __init__(self, tokens: tuple[Token, ...]) -> None:
        self.tokens = tokens
        self.i = 0
        self.dataset_seen = False

    def peek(self, ahead: int = 0) -> Token | None:
        index = self.i + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def next(self) -> Token:
        token = self.peek()
        if token is None:
            raise ShapesError("the SPARQL query ends too early")
        self.i += 1
        return token

    def expect(self, text: str) -> Token:
        token = self.next()
        if token.text != text and token.word != text:
            raise ShapesError(f"SPARQL: expected {text!r}, found {token.text!r}")
        return token

    def at(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and (token.word in words or token.text in words)

    # Query level ---------------------------------------------------------

    def query(self) -> Query:
        while self.at("PREFIX", "BASE"):
            if self.next().word == "PREFIX":
                self.next()
            self.next()
        token = self.peek()
        if token is None:
            raise ShapesError("the SPARQL query is empty")
        form = token.word
        if form == "SELECT":
            select = self.select()
            if self.peek() is not None:
                raise ShapesError(f"SPARQL: unexpected {self.peek().text!r} after the query")
            return Query("SELECT", select, select.where, self.dataset_seen)
        if form == "ASK":
            self.next()
            dataset = self.dataset_clauses()
            if self.at("WHERE"):
                self.next()
            where = self.group()
            self.modifiers_only()
            return Query("ASK", None, where, dataset)
        raise ShapesError(f"only SELECT and ASK queries can be used here, found {token.text!r}")

    def dataset_clauses(self) -> bool:
        seen = False
        while self.at("FROM"):
            seen = True
            self.next()
            if self.at("NAMED"):
                self.next()
            self.next()
        return seen

    def select(self) -> Select:
        keyword = self.expect("SELECT")
        end = keyword.end
        if self.at("DISTINCT", "REDUCED"):
            end = self.next().end
        projection: list[str] = []
        assigned: set[str] = set()
        star = False
        aggregates = False
        while not self.at("WHERE", "{", "FROM"):
            token = self.next()
            if token.text == "*":
                star = True
            elif token.kind == "var":
                projection.append(token.text[1:])
            elif token.text == "(":
                expression = self.expression_until(")", stop_word="AS")
                aggregates = aggregates or expression.aggregates
                self.expect("AS")
                variable = self.next()
                if variable.kind != "var":
                    raise ShapesError("SPARQL: expected a variable after AS")
                projection.append(variable.text[1:])
                assigned.add(variable.text[1:])
                self.expect(")")
            else:
                raise ShapesError(f"SPARQL: unexpected {token.text!r} in the SELECT clause")
        if self.dataset_clauses():
            self.dataset_seen = True
        if self.at("WHERE"):
            self.next()
        where = self.group()
        group_by: list[str] | None = None
        group_by_end: int | None = None
        limited = False
        values = False
        if self.at("GROUP"):
            self.next()
            self.expect("BY")
            group_by = []
            while True:
                token = self.peek()
                if token is None or token.word in ("HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"):
                    break
                if token.text == "}":
                    break
                token = self.next()
                if token.kind == "var":
                    group_by.append(token.text[1:])
                    group_by_end = token.end
                elif token.text == "(":
                    expression = self.expression_until(")", stop_word="AS")
                    if self.at("AS"):
                        self.next()
                        group_by.append(self.next().text[1:])
                    group_by_end = self.expect(")").end
                    del expression
                else:
                    self.call_rest(Expression())
                    group_by_end = self.tokens[self.i - 1].end
        if self.at("HAVING"):
            self.next()
            aggregates = True
            while self.at("("):
                self.next()
                self.expression_until(")")
                self.expect(")")
                while self.peek() is not None and self.peek().kind in ("name", "pname", "iri"):
                    if self.peek().word in ("ORDER", "LIMIT", "OFFSET", "VALUES"):
                        break
                    self.call_rest(Expression())
        if self.at("ORDER"):
            self.next()
            self.expect("BY")
            while self.peek() is not None and not self.at("LIMIT", "OFFSET", "VALUES", "}"):
                token = self.next()
                if token.text == "(":
                    self.expression_until(")")
                    self.expect(")")
                elif (token.word in ("ASC", "DESC") or token.kind in ("name", "pname", "iri")) and (
                    self.at("(")
                ):
                    self.next()
                    self.expression_until(")")
                    self.expect(")")
        while self.at("LIMIT", "OFFSET"):
            self.next()
            self.next()
            limited = True
        if self.at("VALUES"):
            self.next()
            self.skip_data_block()
            values = True
        aggregates = aggregates or group_by is not None
        return Select(
            projection=projection,
            star=star,
            projection_end=end,
            where=where,
            assigned=assigned,
            group_by=group_by,
            group_by_end=group_by_end,
            aggregates=aggregates,
            limited=limited,
            values=values,
        )

    def modifiers_only(self) -> None:
        if self.at("VALUES"):
            raise ShapesError(
                "SHACL does not allow VALUES in SPARQL queries with pre-bound variables"
            )
        if self.peek() is not None:
            raise ShapesError(f"SPARQL: unexpected {self.peek().text!r} after the ASK pattern")

    def skip_data_block(self) -> None:
        depth = 0
        while True:
            token = self.next()
            if token.text in ("{", "("):
                depth += 1
            elif token.text in ("}", ")"):
                depth -= 1
            if depth == 0 and token.text == "}":
                return

    # Groups ----------------------------------------------------------------

    def group(self) -> Group:
        opening = self.expect("{")
        group = Group(open_end=opening.end)
        if self.at("SELECT"):
            group.subselect = self.select()
            self.expect("}")
            return group
        while True:
            token = self.peek()
            if token is None:
                raise ShapesError("SPARQL: a group is not closed with '}'")
            if token.text == "}":
                self.next()
                return group
            if token.text == ".":
                self.next()
            elif token.text == "{":
                branches = [self.group()]
                while self.at("UNION"):
                    self.next()
                    branches.append(self.group())
                group.elements.append(Element("union", groups=branches))
            elif token.word == "OPTIONAL":
                self.next()
                group.elements.append(Element("optional", groups=[self.group()]))
            elif token.word == "MINUS":
                self.next()
                group.elements.append(Element("minus", groups=[self.group()]))
            elif token.word == "GRAPH":
                self.next()
                name = self.next()
                element = Element("graph", groups=[self.group()])
                if name.kind == "var":
                    element.variables.add(name.text[1:])
                group.elements.append(element)
            elif token.word == "SERVICE":
                self.next()
                if self.at("SILENT"):
                    self.next()
                self.next()
                group.elements.append(Element("service", groups=[self.group()]))
            elif token.word == "FILTER":
                self.next()
                group.elements.append(Element("filter", expression=self.constraint()))
            elif token.word == "BIND":
                self.next()
                self.expect("(")
                expression = self.expression_until(")", stop_word="AS")
                self.expect("AS")
                variable = self.next()
                if variable.kind != "var":
                    raise ShapesError("SPARQL: expected a variable after AS in BIND")
                self.expect(")")
                group.elements.append(
                    Element("bind", expression=expression, target=variable.text[1:])
                )
            elif token.word == "VALUES":
                self.next()
                start = self.i
                if self.at("("):
                    while not self.at(")"):
                        self.next()
                    self.next()
                else:
                    self.next()
                variables = {t.text[1:] for t in self.tokens[start : self.i] if t.kind == "var"}
                self.skip_data_block()
                group.elements.append(Element("values", variables=variables))
            else:
                group.elements.append(self.triples())

    def triples(self) -> Element:
        element = Element("triples")
        depth = 0
        while True:
            token = self.peek()
            if token is None:
                raise ShapesError("SPARQL: a group is not closed with '}'")
            if depth == 0 and (token.text in ("{", "}") or token.word in _GROUP_KEYWORDS):
                return element
            if token.text in ("[", "("):
                depth += 1
            elif token.text in ("]", ")"):
                depth -= 1
            elif token.text in ("{", "}"):
                raise ShapesError("SPARQL: unexpected brace inside a triple pattern")
            if token.kind == "var":
                element.variables.add(token.text[1:])
            self.next()

    # Expressions -------------------------------------------------------------

    def constraint(self) -> Expression:
        """FILTER's argument: a bracketed expression, a built-in or function call, or EXISTS."""
        expression = Expression()
        if self.at("("):
            self.next()
            self.collect_until(")", expression)
            self.expect(")")
            return expression
        self.call_rest(expression)
        return expression

    def call_rest(self, expression: Expression) -> None:
        token = self.next()
        if token.word == "NOT":
            self.expect("EXISTS")
            expression.exists.append(self.group())
            return
        if token.word == "EXISTS":
            expression.exists.append(self.group())
            return
        if token.word in AGGREGATES:
            expression.aggregates = True
        if not self.at("("):
            raise ShapesError(f"SPARQL: expected '(' after {token.text!r}")
        self.next()
        self.collect_until(")", expression)
        self.expect(")")

    def expression_until(self, closer: str, stop_word: str | None = None) -> Expression:
        expression = Expression()
        self.collect_until(closer, expression, stop_word)
        return expression

    def collect_until(self, closer: str, expression: Expression, stop: str | None = None) -> None:
        depth = 0
        while True:
            token = self.peek()
            if token is None:
                raise ShapesError("SPARQL: an expression is not closed")
            if depth == 0 and (token.text == closer or (stop and token.word == stop)):
                return
            if token.word == "EXISTS":
                self.next()
                expression.exists.append(self.group())
                continue
            if token.word in AGGREGATES and self.peek(1) is not None and self.peek(1).text == "(":
                expression.aggregates = True
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth -= 1
            elif token.text in ("{", "}"):
                raise ShapesError("SPARQL: unexpected brace inside an expression")
            elif token.kind == "var":
                expression.variables.add(token.text[1:])
            self.next()


def parse(text: str) -> Query:
    """The group structure of a SELECT or ASK query."""
    return _Parser(tokenize(text)).query()


def replace_variable(text: str, name: str, replacement: str) -> str:
    """Replace `$name` / `?name` tokens with text (used for $PATH, which is not a variable)."""
    pieces = []
    position = 0
    for token in tokenize(text):
        if token.kind == "var" and token.text[1:] == name:
            pieces.append(text[position : token.start])
            pieces.append(replacement)
            position = token.end
    pieces.append(text[position:])
    return "".join(pieces)


def prologue_end(text: str) -> int:
    """Where the PREFIX/BASE declarations of a query end."""
    tokens = tokenize(text)
    i = 0
    while i < len(tokens) and tokens[i].word in ("PREFIX", "BASE"):
        i += 3 if tokens[i].word == "PREFIX" else 2
    return tokens[i - 1].end if i else 0
