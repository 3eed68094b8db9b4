"""JSON text read with positions: where each item of a listing starts, and where a
path through objects and arrays leads.

`json` gives the data and no positions; a message about one item of a long
listing (a JSON-LD node, a finding of a golden file), or about one key or value
deep in a document, should name its line.
"""

from __future__ import annotations

import json


def listed(source: str, key: str) -> list[tuple[int, object]]:
    """The items of a top-level array or of the array under `key` in the top-level
    object, each with the offset where its text starts (empty when there is none).

    The source must be valid JSON; ValueError or IndexError otherwise."""
    decoder = json.JSONDecoder()

    def skip(at: int) -> int:
        return _skip(source, at)

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


def located(source: str, path: list[str | int], *, at_key: bool) -> tuple[int, int]:
    """Line and column of what a path of keys and indexes leads to: the value, or the
    key the last step names. Where a key is given twice, the last is the one read.

    The source must be valid JSON, and the path one it has."""
    decoder = json.JSONDecoder()

    def skip(at: int) -> int:
        return _skip(source, at)

    at = skip(0)
    key_at = at
    for step in path:
        if isinstance(step, int):
            at = skip(at + 1)  # past the [
            for _ in range(step):
                at = skip(decoder.raw_decode(source, at)[1])
                at = skip(at + 1)  # past the comma
            continue
        at = skip(at + 1)  # past the {
        found = at, at
        while source[at] == '"':
            start = at
            key, at = json.decoder.scanstring(source, at + 1)
            at = skip(skip(at) + 1)  # past the colon
            if key == step:
                found = start, at
            at = skip(decoder.raw_decode(source, at)[1])
            if source[at] == ",":
                at = skip(at + 1)
        key_at, at = found
    return position(source, key_at if at_key else at)


def _skip(source: str, at: int) -> int:
    """Past the white space JSON allows between tokens."""
    while at < len(source) and source[at] in " \t\n\r":
        at += 1
    return at


def position(source: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of an offset."""
    line_start = source.rfind("\n", 0, offset) + 1
    return source.count("\n", 0, line_start) + 1, offset - line_start + 1
