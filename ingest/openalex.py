"""OpenAlex into the graph: the snapshot and the API, incremental and resumable.

What lands in the graph (ids and props per the project conventions):

- institutions → Organisation ``openalex:I…`` with every name form, country,
  city, types, ids, lineage; PARENT_OF / RELATED_TO from
  ``associated_institutions`` (:mod:`ingest.openalex_map`);
- funders → Funder ``openalex:F…``; awards → Award ``openalex:G…`` with
  Award FUNDED_BY Funder;
- works → aggregated edges per publication year with a work count and up
  to ten example work ids: COLLABORATED_WITH between every pair of the work's
  institutions, and FUNDED_BY from each institution to each funder and
  award the work acknowledges (:mod:`ingest.openalex_works`). Institutions,
  funders and awards seen only inside works become stubs. Counts depend only
  on the set of works seen (:mod:`ingest.openalex_aggregate`);
- SAME_AS to ``ror:…`` and ``cordis:project:…`` where those nodes exist,
  written by a link step after each run (:mod:`ingest.openalex_link`).

Public entry points: :func:`ingest_snapshot`, :func:`ingest_api`,
:func:`link_identifiers`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from graph.errors import SourceUnavailable
from graph.settings import Settings
from graph.store import GraphStore
from ingest.http import HttpClient, HttpStatusError, safe_url
from ingest.openalex_api import (
    Budget,
    Clock,
    fetch_institution,
    ingest_works,
    institution_ref,
    load_institution,
    utc_now,
)
from ingest.openalex_link import LinkReport, link_identifiers
from ingest.openalex_map import SOURCE
from ingest.openalex_snapshot import ENTITIES, Partition, find_partitions, load_part
from ingest.pipeline import CHECKPOINTS, IngestReport, SourceRun, now_iso, record_run

__all__ = ["ingest_api", "ingest_snapshot", "link_identifiers"]

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


def _entity_key(entity: str) -> str:
    return f"openalex:snapshot:{entity}"


def ingest_snapshot(
    store: GraphStore,
    path: str | Path,
    *,
    settings: Settings,
    full: bool = False,
    entities: Iterable[str] = ENTITIES,
    batch: int = 1000,
    progress: Progress | None = None,
) -> IngestReport:
    """Load a snapshot folder incrementally by ``updated_date`` (``full``: everything again)."""
    started = time.monotonic()
    retrieved_at = now_iso()
    report = IngestReport(SOURCE, "snapshot", str(path))
    run = SourceRun(SOURCE, "snapshot", str(path), retrieved_at)
    partitions = find_partitions(path)
    try:
        if not partitions:
            raise SourceUnavailable(SOURCE, f"no <entity>/updated_date=YYYY-MM-DD/part_* files under {path}")
        newest = ""
        for entity in [e for e in ENTITIES if e in set(entities) and e in partitions]:
            newest = max(
                newest, _load_entity(store, entity, partitions[entity], report, retrieved_at, full, batch, progress)
            )
        report.dataset_version = f"snapshot to updated_date={newest}" if newest else "snapshot"
        if report.skipped_by_checkpoint:
            skipped = report.skipped_by_checkpoint
            report.notes.append(f"{skipped:,} records skipped: loaded by an earlier run (--full reloads)")
    except (SourceUnavailable, OSError, EOFError) as exc:
        report.failed = str(exc)
    finally:
        _finish(store, run, report, started)
    return report


def _load_entity(
    store: GraphStore,
    entity: str,
    parts: list[Partition],
    report: IngestReport,
    retrieved_at: str,
    full: bool,
    batch: int,
    progress: Progress | None,
) -> str:
    last = "" if full else str((store.get_doc(CHECKPOINTS, _entity_key(entity)) or {}).get("last_date", ""))
    skipped = [p for p in parts if p.date < last]
    if skipped:
        note = f"{entity}: {len(skipped)} partition(s) older than updated_date={last} skipped (loaded before)"
        report.notes.append(note)
    newest = last
    for part in parts:
        if part.date < last:
            continue
        for path in part.files:
            load_part(store, part, path, report, retrieved_at=retrieved_at, full=full, batch=batch, progress=progress)
        newest = max(newest, part.date)
        store.put_doc(CHECKPOINTS, _entity_key(entity), {"last_date": newest, "at": now_iso()})
    return newest


def ingest_api(
    store: GraphStore,
    institution: str,
    *,
    settings: Settings,
    since: int | None = None,
    institutions_only: bool = False,
    client: HttpClient | None = None,
    clock: Clock = utc_now,
) -> IngestReport:
    """One institution and (unless ``institutions_only``) its works since ``since``, from the API."""
    started = time.monotonic()
    now = clock()
    base = settings.openalex_base_url.rstrip("/")
    ref = institution_ref(institution)
    version = f"api {now:%Y-%m-%d}"
    location = safe_url(f"{base}/institutions/{ref}")
    report = IngestReport(SOURCE, version, location)
    run = SourceRun(SOURCE, version, location, now.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if not settings.openalex_api_key:
        log.warning("no OpenAlex API key (RSGRAPH_OPENALEX_API_KEY); OpenAlex may refuse or throttle requests")
    own = client is None
    http = client or HttpClient(settings, source=SOURCE, min_interval=0.1)
    try:
        raw = fetch_institution(http, base, ref, settings.openalex_api_key)
        short = load_institution(store, raw, run, report)
        if ref.startswith("I") and short != ref:
            report.notes.append(f"{ref} was merged into {short} (HTTP 301); loaded {short}")
        if not institutions_only:
            budget = Budget(store, settings.openalex_daily_budget, f"{now:%Y-%m-%d}")
            ingest_works(
                store,
                http,
                short,
                run,
                report,
                base=base,
                api_key=settings.openalex_api_key,
                budget=budget,
                since=since,
            )
    except HttpStatusError as exc:
        report.failed = f"OpenAlex answered HTTP {exc.status}: {exc.reason}"
    except SourceUnavailable as exc:
        report.failed = f"{exc}; what was loaded is kept and the next run resumes at the saved cursor"
    finally:
        if own:
            http.close()
        _finish(store, run, report, started)
    return report


def _finish(store: GraphStore, run: SourceRun, report: IngestReport, started: float) -> None:
    links: LinkReport = link_identifiers(store)
    report.notes.append(links.note())
    report.elapsed = time.monotonic() - started
    record_run(store, run, report)
