"""SPARQL text read lexically: strings, IRIs and comments blanked out.

What the product looks for in a query or update itself (its keywords, the
prefixed names it uses) must not be found inside a string, an IRI or a
comment. The blanked text keeps every other character where it was, so a
match in it has the line and column it has in the text.
"""

from __future__ import annotations

import re
from collections.abc import Collection

_LEXEME = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
)
_PREFIX_DECLARATION = re.compile(r"(?<![?$\w.:-])PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_DECLARED_IRI = re.compile(r"\s*<([^<>\"{}|^`\\\s]*)>")
# A prefixed name's prefix: not inside a variable (?x:), a blank node label (_:b) or a name.
_PREFIX_USE = re.compile(r"(?<![?$\w.:-])([A-Za-z][\w.-]*)?:")


def blanked(text: str) -> str:
    """The text with every string, IRI and comment turned into spaces (lines kept)."""
    return _LEXEME.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes the text declares and their IRIs, as written (relative IRIs too)."""
    bare = blanked(text)
    found: dict[str, str] = {}
    for declaration in _PREFIX_DECLARATION.finditer(bare):
        iri = _DECLARED_IRI.match(text, declaration.end())
        if iri is not None:  # a later declaration of the name holds from there on
            found[declaration.group(1) or ""] = iri.group(1)
    return found


def undeclared_prefix(text: str, declared: Collection[str] = ()) -> tuple[str, int] | None:
    """The first prefix used without a PREFIX declaration, nor among those `declared`
    outside the text, and where (an offset)."""
    bare = blanked(text)
    known = {*declared, *(m.group(1) or "" for m in _PREFIX_DECLARATION.finditer(bare))}
    for use in _PREFIX_USE.finditer(bare):
        if (use.group(1) or "") not in known:
            return use.group(1) or "", use.start()
    return None


_OPERATION = re.compile(
    r"(?<![?$\w.:-])(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP"
    r"|COPY|MOVE|ADD|WITH)(?![\w:-])",
    re.IGNORECASE,
)


def first_operation(text: str) -> tuple[str, int] | None:
    """The keyword that starts the query form or the first update operation, and where."""
    match = _OPERATION.search(blanked(text))
    return (match.group(1).upper(), match.start()) if match else None
