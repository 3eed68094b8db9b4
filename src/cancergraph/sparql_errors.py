"""SPARQL syntax errors as one short line: where the parser stopped, and why.

pyoxigraph lists every token it would have accepted, character classes included,
over several lines. A reader needs the first meaningful part: the prefix that is not
declared, or a few of the words expected.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from cancergraph import sparql_text

ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
EXPECTED_ONE_OF = "expected one of "
PREFIX_NOT_FOUND = "Prefix not found"
PREFIXED_NAME_END = re.compile(r"([A-Za-z][\w.-]*)?:[^\s:]*$")
PREFIXED_NAME_START = re.compile(r"([A-Za-z][\w.-]*)?:")
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
MOST_EXPECTED = 5
LONGEST = 120


@dataclass(frozen=True)
class SparqlSyntaxError:
    """A syntax error: its line and column in the text parsed (1-based), and a message
    that says what is wrong on one line."""

    message: str
    line: int | None = None
    column: int | None = None

    @property
    def names_the_problem(self) -> bool:
        """An undeclared prefix is named; its position adds nothing."""
        return self.message.startswith("undeclared prefix")


def describe(
    err: SyntaxError, text: str, update: bool = False, declared: Collection[str] = ()
) -> SparqlSyntaxError:
    """The error pyoxigraph raised on parsing `text` (an update if `update`), shortened;
    `declared` are the prefixes given to the parser beside the text, if any.

    Two mistakes are named for what they are, as the parser names neither: a query
    sent as an update or the other way round (it says what keyword it expected), and
    a prefix used without a declaration where the parser expected something else,
    such as a function call (it stops later, expecting a built-in's name).
    """
    raw = str(err.msg if err.msg else err)
    misplaced = _other_kind(text, update)
    if misplaced is not None:
        return misplaced
    match = ERROR_AT.match(raw)
    if match is None:
        return SparqlSyntaxError(_short(raw))
    line, column = int(match.group(1)), int(match.group(2))
    error = SparqlSyntaxError(_meaning(match.group(3), text, line, column), line, column)
    if error.names_the_problem:
        return error
    undeclared = sparql_text.undeclared_prefix(text, declared)
    if undeclared is not None and _position(text, undeclared[1]) <= (line, column):
        name = undeclared[0] or "':' (the empty prefix)"
        return SparqlSyntaxError(f"undeclared prefix {name}", *_position(text, undeclared[1]))
    return error


def _other_kind(text: str, update: bool) -> SparqlSyntaxError | None:
    """An update where a query was expected, or a query where an update was."""
    first = sparql_text.first_operation(text)
    if first is None:
        return None
    keyword, offset = first
    if update and keyword in QUERY_FORMS:
        message = f"this is a query ({keyword}), not an update"
    elif not update and keyword not in QUERY_FORMS:
        message = f"this is an update ({keyword}), not a query"
    else:
        return None
    return SparqlSyntaxError(message, *_position(text, offset))


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of an offset."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _meaning(detail: str, text: str, line: int, column: int) -> str:
    if not detail.startswith(EXPECTED_ONE_OF) and not detail.startswith(PREFIX_NOT_FOUND):
        return _short(detail)
    items = _items(detail.removeprefix(EXPECTED_ONE_OF))
    if PREFIX_NOT_FOUND in items or detail.startswith(PREFIX_NOT_FOUND):
        prefix = _prefix_at(text, line, column)
        return "undeclared prefix" + (f" {prefix}" if prefix is not None else "")
    reasons = [item for item in items if _is_reason(item)]
    if reasons:
        # pyoxigraph lists what it found wrong among what it expected; that is the cause
        return _short(reasons[0][0].lower() + reasons[0][1:])
    named = [item for item in items if not item.startswith("[")]  # not character classes
    if not named:
        return "unexpected character"
    more = ", ..." if len(named) > MOST_EXPECTED else ""
    return _short(f"expected one of {', '.join(named[:MOST_EXPECTED])}{more}")


def _is_reason(item: str) -> bool:
    """A sentence among the expected tokens ("The SELECT contains a variable that is
    unbound"), not a token ("PREFIX", "(") or a character class."""
    return " " in item and not item.startswith(("[", '"', "'"))


def _items(listing: str) -> list[str]:
    """The alternatives of an "expected one of" list: commas inside quotes and brackets
    belong to the alternative."""
    items: list[str] = []
    current: list[str] = []
    depth, quote, escaped = 0, "", False
    for char in listing:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    items.append("".join(current).strip())
    return [item for item in items if item]


def _prefix_at(text: str, line: int, column: int) -> str | None:
    """The prefix of the prefixed name that ends (or starts) where the parser stopped."""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return None
    before, after = lines[line - 1][: column - 1], lines[line - 1][column - 1 :]
    match = PREFIXED_NAME_END.search(before) or PREFIXED_NAME_START.match(after)
    if match is None:
        return None
    return match.group(1) or "':' (the empty prefix)"


def _short(text: str) -> str:
    folded = " ".join(text.split())
    return folded if len(folded) <= LONGEST else folded[: LONGEST - 3] + "..."
