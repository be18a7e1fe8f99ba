"""One settings object, loaded once from RSGRAPH_* variables or a TOML file.

Precedence: explicit overrides > environment (``RSGRAPH_<FIELD>``) > the
config file named by ``RSGRAPH_CONFIG`` (keys are the field names) >
defaults. Every field has a help line; the README's settings table is
checked against these by a test. Secrets are never logged: ``repr`` hides
them.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["SECRET_FIELDS", "Settings", "load_settings", "settings_table"]


def _f(default: Any, help: str, *, secret: bool = False) -> Any:
    return field(default=default, metadata={"help": help, "secret": secret}, repr=not secret)


@dataclass(frozen=True, slots=True)
class Settings:
    store: str = _f("rsgraph.db", "Store: a file path (embedded SQLite) or a neo4j://, neo4j+s:// or bolt:// URI.")
    neo4j_user: str = _f("neo4j", "Neo4j user name.")
    neo4j_password: str = _f("", "Neo4j password; for a local `rsgraph neo4j start` instance it is found by itself.", secret=True)
    neo4j_database: str = _f("neo4j", "Neo4j database name.")
    cache_dir: str = _f(str(Path.home() / ".cache" / "rsgraph"), "Where downloads, the HTTP cache and the Neo4j launcher build are kept.")
    state_dir: str = _f(str(Path.home() / ".local" / "state" / "rsgraph"), "Where local Neo4j instances are registered.")
    http_user_agent: str = _f("rsgraph/0.1 (+https://github.com/rsgraph/rsgraph)", "User-Agent sent to source APIs.")
    http_timeout: float = _f(60.0, "Seconds before an HTTP request times out.")
    http_retries: int = _f(5, "Retries of a failed HTTP request (429, 5xx, resets), with exponential backoff.")
    openalex_base_url: str = _f("https://api.openalex.org", "OpenAlex API base URL.")
    openalex_api_key: str = _f("", "OpenAlex API key (required by OpenAlex since 2026).", secret=True)
    openalex_daily_budget: int = _f(10_000, "OpenAlex list calls allowed per day; ingest stops cleanly before the budget is spent.")
    ror_client_id: str = _f("", "ROR API client id (raises the ROR rate limit).", secret=True)
    log_level: str = _f("INFO", "Logging level (DEBUG, INFO, WARNING, ERROR).")


SECRET_FIELDS = frozenset(f.name for f in fields(Settings) if f.metadata.get("secret"))


def _coerce(name: str, raw: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if kind in ("int", int):
        return int(raw)
    if kind in ("float", float):
        return float(raw)
    return str(raw)


def load_settings(env: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from defaults, config file, environment and overrides."""
    env = dict(os.environ if env is None else env)
    values: dict[str, Any] = {}
    config = env.get("RSGRAPH_CONFIG")
    if config:
        with open(config, "rb") as fh:
            data = tomllib.load(fh)
        known = {f.name for f in fields(Settings)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"{config}: unknown settings {unknown}; known: {sorted(known)}")
        values.update({k: _coerce(k, v) for k, v in data.items()})
    for f in fields(Settings):
        raw = env.get(f"RSGRAPH_{f.name.upper()}")
        if raw is not None and raw != "":
            values[f.name] = _coerce(f.name, raw)
    values.update({k: _coerce(k, v) for k, v in overrides.items() if v is not None})
    return replace(Settings(), **values)


def settings_table() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for each setting."""
    rows = []
    for f in fields(Settings):
        default = "" if f.metadata.get("secret") else str(f.default)
        if f.name in ("cache_dir", "state_dir"):
            default = default.replace(str(Path.home()), "~")
        rows.append((f"RSGRAPH_{f.name.upper()}", default, str(f.metadata["help"])))
    return rows
