"""Subcommands of `cancergraph`, one module each.

Each module defines NAME, HELP, add_arguments(parser) and run(args) -> exit code.
"""

from cancergraph.commands import check, diff, query, rules, serve, validate

COMMANDS = [validate, rules, query, serve, check, diff]
