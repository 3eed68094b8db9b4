"""What several subcommands share: exit codes and reading inputs."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence

from cancergraph import formats, store
from cancergraph.errors import UserError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def sources(paths: Sequence[str], input_format: str | None) -> list[store.Source]:
    """Sources for file paths; `-` reads standard input once."""
    fmt = formats.by_name(input_format) if input_format else None
    if list(paths).count("-") > 1:
        raise UserError("standard input (-) can be named only once")
    found = []
    for path in paths:
        if path == "-":
            found.append(store.Source(name="<stdin>", data=sys.stdin.buffer.read(), format=fmt))
        else:
            found.append(store.Source.from_path(path, fmt))
    return found


def use_colour(choice: str) -> bool:
    return choice == "always" or (choice == "auto" and sys.stdout.isatty())


def terminal_width() -> int | None:
    """The width to fit tables to: standard output's terminal's (COLUMNS first), or None
    when it is not a terminal or its width is unknown, so that nothing is cut.
    """
    if not sys.stdout.isatty():
        return None
    columns = shutil.get_terminal_size((0, 0)).columns
    return columns if columns > 0 else None
