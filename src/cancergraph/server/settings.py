"""Server settings, from command-line flags or CANCERGRAPH_* environment variables.

| setting          | flag               | environment variable            | default        |
|------------------|--------------------|---------------------------------|----------------|
| store directory  | --store            | CANCERGRAPH_STORE               | ./data/store   |
| body size limit  | --max-body         | CANCERGRAPH_MAX_BODY            | 50000000 bytes |
| query time limit | --query-timeout    | CANCERGRAPH_QUERY_TIMEOUT       | 30 s           |
| validation limit | --validate-timeout | CANCERGRAPH_VALIDATE_TIMEOUT    | 300 s          |
| write token      | --write-token      | CANCERGRAPH_WRITE_TOKEN         | none (no writes)|
| CORS origins     | --cors-origins     | CANCERGRAPH_CORS_ORIGINS        | none           |
| worker processes | --workers          | CANCERGRAPH_WORKERS             | 2              |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cancergraph.errors import UserError


class SettingsError(UserError):
    """A setting with a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    store: Path = Path("data/store")
    max_body: int = 50_000_000
    query_timeout: float = 30.0
    validate_timeout: float = 300.0
    write_token: str | None = None
    cors_origins: tuple[str, ...] = ()
    workers: int = 2
    load: tuple[Path, ...] = field(default_factory=tuple)
    seed_examples: bool = True

    @property
    def writable(self) -> bool:
        return bool(self.write_token)


def _number(name: str, text: str, kind: type[int] | type[float]) -> int | float:
    try:
        value = kind(text)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {text!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be positive, not {text!r}")
    return value


def from_environment(env: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from the environment; flags given on the command line override them."""
    source = os.environ if env is None else env
    values: dict[str, object] = {}
    if "CANCERGRAPH_STORE" in source:
        values["store"] = Path(source["CANCERGRAPH_STORE"])
    for key, name, kind in (
        ("max_body", "CANCERGRAPH_MAX_BODY", int),
        ("query_timeout", "CANCERGRAPH_QUERY_TIMEOUT", float),
        ("validate_timeout", "CANCERGRAPH_VALIDATE_TIMEOUT", float),
        ("workers", "CANCERGRAPH_WORKERS", int),
    ):
        if name in source:
            values[key] = _number(name, source[name], kind)
    if source.get("CANCERGRAPH_WRITE_TOKEN"):
        values["write_token"] = source["CANCERGRAPH_WRITE_TOKEN"]
    if source.get("CANCERGRAPH_CORS_ORIGINS"):
        values["cors_origins"] = tuple(
            origin.strip() for origin in source["CANCERGRAPH_CORS_ORIGINS"].split(",") if origin
        )
    values.update({key: value for key, value in overrides.items() if value is not None})
    return Settings(**values)  # type: ignore[arg-type]
