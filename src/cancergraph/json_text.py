"""JSON text read with positions: where each item of a listing starts.

`json` gives the data and no positions; a message about one item of a long
listing (a JSON-LD node, a finding of a golden file) should name its line.
"""

from __future__ import annotations

import json


def listed(source: str, key: str) -> list[tuple[int, object]]:
    """The items of a top-level array or of the array under `key` in the top-level
    object, each with the offset where its text starts (empty when there is none).

    The source must be valid JSON; ValueError or IndexError otherwise."""
    decoder = json.JSONDecoder()

    def skip(at: int) -> int:
        while at < len(source) and source[at] in " \t\n\r":
            at += 1
        return at

    at = skip(0)
    if source[at] == "{":
        at = skip(at + 1)
        while source[at] != "}":
            name, at = decoder.raw_decode(source, at)
            at = skip(skip(at) + 1)  # past the colon
            if name == key and source[at] == "[":
                break
            _, at = decoder.raw_decode(source, at)
            at = skip(at)
            if source[at] == ",":
                at = skip(at + 1)
        else:
            return []
    if source[at] != "[":
        return []
    items = []
    at = skip(at + 1)
    while source[at] != "]":
        start = at
        item, at = decoder.raw_decode(source, at)
        items.append((start, item))
        at = skip(at)
        if source[at] == ",":
            at = skip(at + 1)
    return items


def position(source: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of an offset."""
    line_start = source.rfind("\n", 0, offset) + 1
    return source.count("\n", 0, line_start) + 1, offset - line_start + 1
