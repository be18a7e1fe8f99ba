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
    bulk_commit_rows: int = _f(
        500_000,
        "Embedded store: rows a large load commits at once; larger is faster, a killed load redoes at most this many.",
    )
    neo4j_user: str = _f("neo4j", "Neo4j user name.")
    neo4j_password: str = _f(
        "", "Neo4j password; for a local `rsgraph neo4j start` instance it is found by itself.", secret=True
    )
    neo4j_database: str = _f("neo4j", "Neo4j database name.")
    cache_dir: str = _f(
        str(Path.home() / ".cache" / "rsgraph"),
        "Where downloads, the HTTP cache and the Neo4j launcher build are kept.",
    )
    state_dir: str = _f(
        str(Path.home() / ".local" / "state" / "rsgraph"), "Where local Neo4j instances are registered."
    )
    http_user_agent: str = _f("rsgraph/0.1 (+https://github.com/rsgraph/rsgraph)", "User-Agent sent to source APIs.")
    http_timeout: float = _f(60.0, "Seconds before an HTTP request times out.")
    http_retries: int = _f(5, "Retries of a failed HTTP request (429, 5xx, resets), with exponential backoff.")
    openalex_base_url: str = _f("https://api.openalex.org", "OpenAlex API base URL.")
    openalex_api_key: str = _f("", "OpenAlex API key (required by OpenAlex since 2026).", secret=True)
    openalex_daily_budget: int = _f(
        10_000, "OpenAlex list calls allowed per day; ingest stops cleanly before the budget is spent."
    )
    ror_client_id: str = _f("", "ROR API client id (raises the ROR rate limit).", secret=True)
    log_level: str = _f("INFO", "Logging level (DEBUG, INFO, WARNING, ERROR).")
    alerts_hops: int = _f(3, "Alerts: a new path of at most this many hops (1-4) to a designated entity is alerted.")
    alerts_min_path_level: str = _f(
        "medium", "Alerts: least level (low, medium, high) of a tie of 2+ hops that is alerted; direct ties always are."
    )
    alerts_workers: int = _f(1, "Alerts: processes computing watched organisations' states in parallel.")
    alerts_smtp_host: str = _f("", "Alerts: SMTP server for e-mail digests; empty: no e-mail.")
    alerts_smtp_port: int = _f(587, "Alerts: SMTP port.")
    alerts_smtp_user: str = _f("", "Alerts: SMTP user name; empty: no SMTP authentication.")
    alerts_smtp_password: str = _f("", "Alerts: SMTP password.", secret=True)
    alerts_smtp_starttls: bool = _f(True, "Alerts: upgrade the SMTP connection with STARTTLS (true/false).")
    alerts_email_from: str = _f("rsgraph@localhost", "Alerts: sender address of e-mail digests.")
    alerts_email_to: str = _f("", "Alerts: comma-separated recipients; each gets one digest per run.")
    alerts_webhook_url: str = _f("", "Alerts: URL that receives each digest as a JSON POST; empty: no webhook.")
    alerts_webhook_secret: str = _f("", "Alerts: key of the X-Rsgraph-Signature HMAC-SHA256 header.", secret=True)
    alerts_webhook_retries: int = _f(5, "Alerts: retries of a failed webhook post, with exponential backoff.")
    alerts_webhook_backoff: float = _f(2.0, "Alerts: seconds before the first webhook retry; doubled for each next.")
    alerts_dead_letter: str = _f("", "Alerts: webhook dead-letter file (JSON lines); empty: in RSGRAPH_STATE_DIR.")
    alerts_file: str = _f("", "Alerts: JSON-lines file every alert is appended to once; empty: no file.")


SECRET_FIELDS = frozenset(f.name for f in fields(Settings) if f.metadata.get("secret"))


def _coerce(name: str, raw: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if kind in ("int", int):
        return int(raw)
    if kind in ("float", float):
        return float(raw)
    if kind in ("bool", bool):
        return raw if isinstance(raw, bool) else str(raw).strip().lower() in ("1", "true", "yes", "on")
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
