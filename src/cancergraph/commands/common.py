"""What several subcommands share: exit codes and reading inputs."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from cancergraph import formats, store

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def sources(paths: Sequence[str], input_format: str | None) -> list[store.Source]:
    """Sources for file paths; `-` reads standard input once."""
    fmt = formats.by_name(input_format) if input_format else None
    found = []
    for path in paths:
        if path == "-":
            found.append(store.Source(name="<stdin>", data=sys.stdin.buffer.read(), format=fmt))
        else:
            found.append(store.Source.from_path(path, fmt))
    return found


def use_colour(choice: str) -> bool:
    return choice == "always" or (choice == "auto" and sys.stdout.isatty())
