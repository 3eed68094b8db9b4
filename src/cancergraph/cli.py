"""The `cancergraph` command line.

Exit codes: 0 success (no findings at or above --fail-on), 1 findings at or
above it, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cancergraph import __version__
from cancergraph.commands import COMMANDS
from cancergraph.commands.common import EXIT_OK, EXIT_USAGE
from cancergraph.errors import UserError
from cancergraph.render.printable import printable


class UsageError(UserError):
    """Bad arguments: reported on stderr with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cancergraph",
        description="Check English cancer network setups against the NAO 2004 and "
        "King's Fund 2011 recommendations.",
    )
    parser.add_argument("--version", action="version", version=f"cancergraph {__version__}")
    subcommands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        sub = subcommands.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except UserError as err:
        # the message may quote a file's name or its bytes: shown, never obeyed
        print(f"cancergraph: error: {printable(str(err))}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
