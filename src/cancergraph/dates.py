"""Days as the product reads them: YYYY-MM-DD and nothing else.

Python's date.fromisoformat reads every ISO 8601 form since 3.11 (20140630,
2014-W27-1), which xsd:date does not allow: a reference date of "20140630"
would be taken while the same text as a start date breaks INT-02, and the
command line's --as-of would take what its help says it does not.
"""

from __future__ import annotations

import re
from datetime import date

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day(text: str) -> date:
    """The day written YYYY-MM-DD; ValueError for any other form or a day that does not exist."""
    if not _DAY.fullmatch(text):
        raise ValueError(f"not written YYYY-MM-DD: {text!r}")
    return date.fromisoformat(text)
