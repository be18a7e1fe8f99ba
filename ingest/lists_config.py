"""What each list of entities of concern means: legal effect, concern, weight.

The default table ships as ``ingest/lists.toml``; a user file overrides or
adds tables (see that file for the fields). Legal effect and weight come from
here and never from a country.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from graph.model import LEGAL_EFFECTS

__all__ = ["DEFAULT_CONFIG", "ListConfig", "ListsConfig", "load_lists_config"]

DEFAULT_CONFIG = "lists.toml"
_ROUTING = ("csl_codes", "programs", "datasets")


@dataclass(frozen=True, slots=True)
class ListConfig:
    """One list: its name, authority and what a designation on it means."""

    key: str
    name: str
    legal_effect: str
    of_concern: bool
    weight: float
    authority: str = ""
    description: str = ""
    source_url: str = ""
    configured: bool = True
    csl_codes: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ListsConfig:
    """Every configured list, and the fallback for lists met but not configured."""

    lists: Mapping[str, ListConfig]
    unconfigured: Mapping[str, Any] = field(default_factory=dict)
    origin: str = ""

    def get(self, key: str) -> ListConfig:
        """The list ``key``; an unconfigured one gets the ``[unconfigured]`` defaults."""
        found = self.lists.get(key)
        if found is not None:
            return found
        d = self.unconfigured
        return ListConfig(
            key=key,
            name=key,
            legal_effect=str(d.get("legal_effect", "advisory")),
            of_concern=bool(d.get("of_concern", False)),
            weight=float(d.get("weight", 0.0)),
            configured=False,
        )

    def by_csl_code(self, code: str) -> str | None:
        return next((c.key for c in self.lists.values() if code.upper() in c.csl_codes), None)

    def by_program(self, *texts: str) -> str | None:
        """The list whose ``programs`` entry occurs in one of ``texts`` (case-insensitive)."""
        lowered = [t.lower() for t in texts if t]
        for c in self.lists.values():
            if any(p.lower() in t for p in c.programs for t in lowered):
                return c.key
        return None

    def by_dataset(self, name: str) -> str:
        """The list key an OpenSanctions dataset (name or title) feeds."""
        if name in self.lists:
            return name
        for c in self.lists.values():
            if name in c.datasets:
                return c.key
        return name


def _list(key: str, table: Mapping[str, Any], origin: str) -> ListConfig:
    effect = table.get("legal_effect")
    if effect not in LEGAL_EFFECTS:
        raise ValueError(f"{origin}: [lists.{key}] legal_effect must be one of {sorted(LEGAL_EFFECTS)}, got {effect!r}")
    weight = float(table.get("weight", 0.0))
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"{origin}: [lists.{key}] weight must be within 0..1, got {weight}")
    routing = {name: tuple(str(v) for v in table.get(name, ())) for name in _ROUTING}
    return ListConfig(
        key=key,
        name=str(table.get("name", key)),
        legal_effect=str(effect),
        of_concern=bool(table.get("of_concern", False)),
        weight=weight,
        authority=str(table.get("authority", "")),
        description=str(table.get("description", "")),
        source_url=str(table.get("source_url", "")),
        csl_codes=tuple(c.upper() for c in routing["csl_codes"]),
        programs=routing["programs"],
        datasets=routing["datasets"],
    )


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = {**base}
    for key, table in override.get("lists", {}).items():
        merged.setdefault("lists", {})[key] = {**base.get("lists", {}).get(key, {}), **table}
    if "unconfigured" in override:
        merged["unconfigured"] = {**base.get("unconfigured", {}), **override["unconfigured"]}
    return merged


def _read(path: Path | None) -> dict[str, Any]:
    if path is None:
        text = resources.files("ingest").joinpath(DEFAULT_CONFIG).read_text(encoding="utf-8")
        return tomllib.loads(text)
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def load_lists_config(path: str | Path | None = None) -> ListsConfig:
    """The shipped lists.toml, with the tables of ``path`` (if given) laid over it."""
    data = _read(None)
    origin = f"ingest/{DEFAULT_CONFIG}"
    if path is not None:
        try:
            user = _read(Path(path))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"{path}: cannot read lists config: {exc}") from exc
        unknown = sorted(set(user) - {"lists", "unconfigured"})
        if unknown:
            raise ValueError(f"{path}: unknown top-level keys {unknown}; expected [lists.<key>] and [unconfigured]")
        data, origin = _merge(data, user), str(path)
    lists = {key: _list(key, table, origin) for key, table in data.get("lists", {}).items()}
    return ListsConfig(lists=lists, unconfigured=dict(data.get("unconfigured", {})), origin=origin)
