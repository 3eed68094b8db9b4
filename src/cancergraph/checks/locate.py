"""Finding the line of a term in an RDF or SPARQL file, for file:line in reports.

Parsers forget where a triple came from, so the text is scanned instead: a term
can be written as a full IRI, a prefixed name, or an IRI relative to the base.
A line where the term starts a statement (its subject) wins over a mere mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

PREFIX_DECL = re.compile(r"(?:@prefix|\bPREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
BASE_DECL = re.compile(r"(?:@base|\bBASE)\s+<([^>]*)>", re.IGNORECASE)
LOCAL_NAME = re.compile(r"^[A-Za-z0-9_](?:[\w.-]*[\w-])?$")
STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')


def strip_comments(text: str, strings: bool = True) -> list[str]:
    """The lines of a Turtle or SPARQL text with comments blanked, strings kept (or, with
    `strings` false, only their quotes: a query held in a string is not statements)."""
    lines = []
    in_long: str | None = None
    for line in text.splitlines():
        kept = []
        index = 0
        quote: str | None = None
        while index < len(line):
            char = line[index]
            inside = False
            if in_long is not None:
                if line.startswith(in_long, index):
                    kept.append(in_long)
                    index += 3
                    in_long = None
                    continue
                if char == "\\":
                    kept.append(line[index : index + 2] if strings else "")
                    index += 2
                    continue
                inside = True
            elif quote is not None:
                if char == "\\":
                    kept.append(line[index : index + 2] if strings else "")
                    index += 2
                    continue
                if char == quote:
                    quote = None
                else:
                    inside = True
            elif line.startswith(('"""', "'''"), index):
                in_long = line[index : index + 3]
                kept.append(in_long)
                index += 3
                continue
            elif char in "\"'":
                quote = char
            elif char == "<":
                end = line.find(">", index)
                if end > index and not re.search(r"\s", line[index:end]):
                    kept.append(line[index : end + 1])
                    index = end + 1
                    continue
            elif char == "#":
                break
            if strings or not inside:
                kept.append(char)
            index += 1
        lines.append("".join(kept))
    return lines


class SourceText:
    """One file's text, ready to answer "on which line is this term?"."""

    def __init__(self, text: str) -> None:
        self.text = text

    def ready(self) -> SourceText:
        """Every view of the text this keeps, made now: a thread that comes after only
        reads them."""
        _ = (self.lines, self.statement_lines, self.prefixes, self.base)
        return self

    @cached_property
    def lines(self) -> list[str]:
        return strip_comments(self.text)

    @cached_property
    def statement_lines(self) -> list[str]:
        """The lines with string literals blanked: a literal names nothing."""
        return [STRING.sub('""', line) for line in self.lines]

    @cached_property
    def code_lines(self) -> list[str]:
        """The lines with the text of every string literal left out, long ones included."""
        return strip_comments(self.text, strings=False)

    @cached_property
    def prefixes(self) -> list[tuple[str, str]]:
        return [(m.group(1) or "", m.group(2)) for m in PREFIX_DECL.finditer(self.text)]

    @cached_property
    def base(self) -> str | None:
        match = BASE_DECL.search(self.text)
        return match.group(1) if match else None

    def pattern(self, iri: str) -> re.Pattern[str]:
        forms = [re.escape(f"<{iri}>")]
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                if local == "" or LOCAL_NAME.match(local):
                    forms.append(
                        rf"(?<![\w.:-]){re.escape(prefix)}:{re.escape(local)}(?![\w:%-]|\.[\w:%-])"
                    )
        if self.base and iri.startswith(self.base) and iri != self.base:
            forms.append(re.escape(f"<{iri[len(self.base) :]}>"))
        forms.append(rf"[\"']{re.escape(iri)}[\"']")
        return re.compile("|".join(forms))

    def line_of(self, iri: str) -> int | None:
        """1-based line of the first statement about the term, else of its first mention."""
        pattern = self.pattern(iri)
        mention = None
        for number, line in enumerate(self.lines, start=1):
            match = pattern.search(line)
            if match is None:
                continue
            if not line[: match.start()].strip():
                return number
            if mention is None:
                mention = number
        return mention

    def mention_of(self, iri: str) -> int | None:
        """1-based line of the first mention of the term, wherever it is."""
        pattern = self.pattern(iri)
        for number, line in enumerate(self.lines, start=1):
            if pattern.search(line):
                return number
        return None

    def statement_line(self, subject: str, value: str) -> int | None:
        """1-based line where a statement about `subject` names `value` (an IRI), looked
        for in each block of statements the subject starts, to the "." that ends it."""
        starts = self.pattern(subject)
        target = self.pattern(value)
        lines = self.statement_lines
        for number, line in enumerate(lines, start=1):
            found = starts.search(line)
            if found is None or line[: found.start()].strip():
                continue
            index, text = number - 1, line[found.end() :]
            while True:
                if target.search(text):
                    return index + 1
                index += 1
                if text.rstrip().endswith(".") or index >= len(lines):
                    break
                text = lines[index]
        return None

    def block_line(self, anchor: str, names: Iterable[str]) -> int | None:
        """1-based line that mentions `anchor` and starts a block of statements (to the
        "." that ends it) naming every one of `names`: where a statement about a blank
        node is written, as it has no name of its own to look for."""
        first = self.pattern(anchor)
        wanted = [self.pattern(name) for name in names]
        lines = self.statement_lines
        for number, line in enumerate(lines, start=1):
            if first.search(line) is None:
                continue
            index = number - 1
            missing = [p for p in wanted if p.search(line) is None]
            while missing and not lines[index].rstrip().endswith(".") and index + 1 < len(lines):
                index += 1
                missing = [p for p in missing if p.search(lines[index]) is None]
            if not missing:
                return number
        return None

    def property_line(
        self, start: int, predicate: str, value: str | None = None, nested: bool = False
    ) -> int | None:
        """1-based line of a statement with `predicate` (and naming `value`, when given) in
        the block of statements that starts on line `start`, to the "." that ends it: a
        statement of the block's subject, or with `nested`, of a blank node written inside
        it in brackets, which has no name of its own to look for."""
        wanted = self.pattern(predicate)
        named = self.pattern(value) if value is not None else None
        depth = 0
        for index in range(start - 1, len(self.code_lines)):
            line = self.code_lines[index]
            for match in wanted.finditer(line):
                before = line[: match.start()]
                inside = depth + before.count("[") - before.count("]") > 0
                if inside == nested and (named is None or named.search(line, match.end())):
                    return index + 1
            depth += line.count("[") - line.count("]")
            if depth <= 0 and line.rstrip().endswith("."):
                break
        return None
