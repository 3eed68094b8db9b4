"""Text from the data made safe to print on a terminal.

Labels, IRIs and literals come from the files a user validates or queries, and can
hold any character: a newline breaks a report's layout, an escape sequence recolours
or rewrites the terminal, a bidirectional override reorders what is read. Every
renderer for a terminal passes data through `printable`.
"""

from __future__ import annotations

import re

# Characters that move the cursor or start a terminal escape sequence (controls, line and
# paragraph separators) or reorder what follows them (bidirectional embeddings, overrides
# and isolates). Data files can hold any of them, so they are shown, never obeyed.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Text from the data as it may be written to a terminal: control characters become
    escapes (\\n, \\t, \\x1b), so a label cannot break the layout or send escape codes.
    """
    return _UNPRINTABLE.sub(_escape, text)
