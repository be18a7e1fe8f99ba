"""Ingest a list of entities of concern from a file or URL, in any format rsgraph reads.

:func:`ingest_lists` fetches the input (URLs through ``ingest.http``), tells
its format from the content (:mod:`ingest.lists_detect`) unless given, reads
it (:mod:`ingest.lists_formats`), maps each listed organisation to an entity,
designations and DESIGNATED_ON edges (:mod:`ingest.lists_entry`), loads them
through :func:`ingest.pipeline.load`, and keeps the designations' history
(:mod:`ingest.lists_history`): entries missing from a newer complete version
are delisted, entries back again are relisted. Persons and vessels are
counted as skipped; the report's notes say how many of which.
"""

from __future__ import annotations

import csv
import logging
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from graph.errors import RecordRejected
from graph.model import Node, NodeKind
from graph.settings import Settings
from graph.store import GraphStore
from ingest.http import HttpClient
from ingest.lists_config import ListsConfig, load_lists_config
from ingest.lists_detect import FORMATS, UnknownFormat, detect_format
from ingest.lists_entry import Deleted, ListEntry, Parsed, Skipped, entry_records
from ingest.lists_formats import Reader, open_reader
from ingest.lists_history import carry_history, delist_entities, delist_missing, version_date
from ingest.pipeline import RUNS, IngestReport, Mapped, Progress, SourceRun, load
from ingest.sourcefile import fetch

__all__ = ["FORMATS", "UnknownFormat", "ingest_lists", "read_list"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Tally:
    """What streamed past: skips by schema, designations and lists seen, deletions."""

    skipped: Counter[str] = field(default_factory=Counter)
    seen: set[str] = field(default_factory=set)
    lists: set[str] = field(default_factory=set)
    deleted: list[str] = field(default_factory=list)
    organisations: int = 0


def _guarded(reader: Reader, path: Path) -> Iterator[Parsed]:
    """The reader's items; a file that breaks mid-way fails the source with a clear reason."""
    try:
        yield from reader.entries()
    except ET.ParseError as exc:
        raise ValueError(f"{path}: malformed XML: {exc}") from None
    except csv.Error as exc:
        raise ValueError(f"{path}: malformed CSV: {exc}") from None


def _records(
    items: Iterator[Parsed], config: ListsConfig, run: SourceRun, as_of: str, tally: _Tally
) -> Iterator[Mapped]:
    for item in items:
        if isinstance(item, RecordRejected):
            yield item
        elif isinstance(item, Skipped):
            tally.skipped[item.schema] += item.count
        elif isinstance(item, Deleted):
            tally.deleted.append(item.entity_id)
        else:
            tally.organisations += 1
            for record in entry_records(item, config, run, as_of):
                if isinstance(record, Node) and record.kind is NodeKind.DESIGNATION:
                    tally.seen.add(record.id)
                    tally.lists.add(str(record.props["list"]))
                yield record


def _fallback_version(reader: Reader, path: Path) -> str:
    """No version in the file: its latest listing date, else the file's modification date."""
    latest = ""
    for item in _guarded(reader, path):
        if isinstance(item, ListEntry):
            latest = max([latest, *(li.listed_on or "" for li in item.listings)])
    if latest:
        return latest
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%d")


def read_list(
    path: Path, config: ListsConfig | None = None, *, list_key: str | None = None, fmt: str | None = None
) -> Iterator[Parsed]:
    """Every parsed item of a list file (entries, skips, rejections) without touching a store."""
    reader = open_reader(fmt or detect_format(path), path, config or load_lists_config(), list_key)
    try:
        yield from _guarded(reader, path)
    finally:
        reader.close()


def _notes(tally: _Tally, delisted: int) -> list[str]:
    notes = [f"organisations {tally.organisations:,} on lists: {', '.join(sorted(tally.lists)) or '-'}"]
    if tally.skipped:
        parts = ", ".join(f"{n:,} {schema}" for schema, n in sorted(tally.skipped.items()))
        notes.append(f"skipped (not organisations) {sum(tally.skipped.values()):,}: {parts}")
    if delisted:
        notes.append(f"delisted {delisted:,} designations no longer in this version")
    return notes


def _history(store: GraphStore, reader: Reader, run: SourceRun, tally: _Tally, as_of: str) -> int:
    delisted = 0
    if reader.complete:
        delisted += delist_missing(store, run, tally.lists | reader.lists, tally.seen, as_of)
    if tally.deleted:
        delisted += delist_entities(store, run, tally.deleted, as_of)
    return delisted


def ingest_lists(
    store: GraphStore,
    path_or_url: str,
    *,
    list_key: str | None = None,
    settings: Settings,
    config: ListsConfig | None = None,
    version: str | None = None,
    fmt: str | None = None,
    client: HttpClient | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest one list file or URL; the report's notes count organisations, skips and delistings.

    ``list_key`` puts every entry of a single-list file on that list (and keeps
    only that list's rows of a multi-list file such as the CSL). ``version``
    overrides the version read from the file. Raises ``UnknownFormat`` when
    the content matches no format, ``FileNotFoundError``/``SourceUnavailable``
    when the input cannot be had; a file that breaks mid-way gives a report
    with ``failed`` set.
    """
    config = config or load_lists_config()
    if list_key and list_key not in config.lists:
        log.warning("list %r is not in %s; its designations get the [unconfigured] defaults", list_key, config.origin)
    fetched = fetch(path_or_url, settings, source="lists", client=client)
    path = fetched.path
    reader = open_reader(fmt or detect_format(path), path, config, list_key)
    try:
        version = version or reader.version() or _fallback_version(reader, path)
        run = SourceRun(reader.source, version, fetched.location)
        as_of = version_date(version, run.retrieved_at)
        tally = _Tally()
        stream = carry_history(store, _records(_guarded(reader, path), config, run, as_of, tally), as_of)
        report = load(store, stream, run, progress=progress)
        delisted = _history(store, reader, run, tally, as_of) if report.failed is None else 0
    finally:
        reader.close()
    report.notes.extend(_notes(tally, delisted))
    store.put_doc(RUNS, f"{report.started_at}|{run.source}|{run.location}", report.as_dict())
    log.info("%s", report.summary())
    return report
