"""The groups of checks, in the order they run.

Kept apart from the check modules so that the command line can offer them
without importing the checks (and pyshacl and the reasoner with them).
"""

GROUPS = ("parse", "reasoning", "lint", "terms", "shapes", "queries", "examples")
