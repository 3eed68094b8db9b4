"""Where the project's ontology, shapes, queries and examples live.

They sit at the top of the source tree (see the layout in the README), not inside
the package, so that maintainers edit them where they expect them. The location can
be overridden with CANCERGRAPH_HOME for an installed copy.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    override = os.environ.get("CANCERGRAPH_HOME")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2]


def ontology_dir() -> Path:
    return project_root() / "ontology"


def shapes_dir() -> Path:
    return project_root() / "shapes"


def queries_dir() -> Path:
    return project_root() / "queries"


def examples_dir() -> Path:
    return project_root() / "examples"


def ontology_files() -> list[Path]:
    return sorted(ontology_dir().glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(shapes_dir().glob("*.ttl"))
