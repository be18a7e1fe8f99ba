"""``rsgraph ingest all --config FILE``: a TOML list of sources ingested in order.

::

    [[source]]
    kind = "ror"                 # ror | cordis | openalex-snapshot | lists
    path = "ror.json"            # relative to this file, or a URL
    version = "v1.55-2024-10-31" # optional (ror, cordis)

    [[source]]
    kind = "lists"
    path = "lists/section_1286.csv"
    list = "us_section_1286"     # optional (lists; also version)

Each source runs on its own: one that fails entirely is reported (and
logged in the run log) and the next one still runs.
"""

from __future__ import annotations

import importlib
import logging
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import SourceUnavailable
from graph.settings import Settings
from graph.store import GraphStore
from ingest.http import shown_url
from ingest.pipeline import IngestReport, SourceRun, record_run
from ingest.sourcefile import ARCHIVE_ERRORS, is_url

__all__ = ["KINDS", "SourceSpec", "failed_report", "load_config", "run_config", "run_source"]

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
# kind -> (module, function, {config key: keyword argument})
KINDS: dict[str, tuple[str, str, dict[str, str]]] = {
    "ror": ("ingest.ror_dump", "ingest_ror", {"version": "version"}),
    "cordis": ("ingest.cordis_files", "ingest_cordis", {"version": "version"}),
    "openalex-snapshot": ("ingest.openalex", "ingest_snapshot", {"full": "full"}),
    "lists": ("ingest.lists", "ingest_lists", {"list": "list_key", "version": "version"}),
}
# What a source that cannot be read at all raises.
WHOLE_SOURCE_ERRORS = (SourceUnavailable, OSError, ValueError, UnicodeDecodeError, *ARCHIVE_ERRORS)


@dataclass(frozen=True, slots=True)
class SourceSpec:
    kind: str
    path: str  # absolute path or URL
    options: Mapping[str, Any] = field(default_factory=dict)


def load_config(path: str | Path) -> list[SourceSpec]:
    """The sources listed in a config file, paths resolved against its folder."""
    path = Path(path)
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: no [[source]] entries")
    return [_spec(path, i, entry) for i, entry in enumerate(entries, 1)]


def _spec(config: Path, index: int, entry: Any) -> SourceSpec:
    where = f"{config}: [[source]] #{index}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: not a table")
    kind, target = entry.get("kind"), entry.get("path")
    if kind not in KINDS:
        raise ValueError(f"{where}: kind must be one of {sorted(KINDS)}, got {kind!r}")
    if not isinstance(target, str) or not target:
        raise ValueError(f"{where}: missing path")
    options = {k: v for k, v in entry.items() if k not in ("kind", "path")}
    unknown = sorted(set(options) - set(KINDS[kind][2]))
    if unknown:
        raise ValueError(f"{where}: unknown keys {unknown} for kind {kind!r}; allowed: {sorted(KINDS[kind][2])}")
    resolved = target if is_url(target) else str((config.parent / target).resolve())
    return SourceSpec(kind, resolved, options)


def _entry_point(kind: str) -> Callable[..., Any]:
    module_name, function, _keys = KINDS[kind]
    try:
        module = importlib.import_module(module_name)
        return getattr(module, function)  # type: ignore[no-any-return]
    except (ImportError, AttributeError) as exc:
        raise SourceUnavailable(kind, f"this rsgraph has no {module_name}.{function} ({exc})") from None


def run_source(
    store: GraphStore, spec: SourceSpec, settings: Settings, progress: Progress | None = None
) -> list[IngestReport]:
    """Ingest one configured source; the reports of what it loaded."""
    ingest = _entry_point(spec.kind)
    kwargs = {KINDS[spec.kind][2][k]: v for k, v in spec.options.items()}
    result = ingest(store, spec.path, settings=settings, progress=progress, **kwargs)
    return list(result) if isinstance(result, list | tuple) else [result]


def failed_report(store: GraphStore, source: str, location: str, exc: BaseException) -> IngestReport:
    """Log a run that failed before loading anything, and return its report."""
    location = shown_url(location) if is_url(location) else location
    report = IngestReport(source, "", location, failed=f"{type(exc).__name__}: {exc}")
    record_run(store, SourceRun(source, "", location), report)
    return report


def run_config(
    store: GraphStore,
    path: str | Path,
    settings: Settings,
    *,
    progress_for: Callable[[SourceSpec], Progress | None] | None = None,
    on_report: Callable[[IngestReport], None] | None = None,
) -> list[IngestReport]:
    """Run every configured source in order; a failing source does not stop the rest."""
    reports: list[IngestReport] = []
    for spec in load_config(path):
        progress = progress_for(spec) if progress_for else None
        try:
            got = run_source(store, spec, settings, progress)
        except WHOLE_SOURCE_ERRORS as exc:
            log.error("%s %s failed: %s", spec.kind, spec.path, exc)
            got = [failed_report(store, spec.kind, spec.path, exc)]
        for report in got:
            reports.append(report)
            if on_report:
                on_report(report)
    return reports
