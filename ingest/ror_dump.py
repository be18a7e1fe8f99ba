"""Read a ROR data dump and load it: ``rsgraph ingest ror PATH_OR_URL``.

The input is the dump ``.json`` (a JSON array, streamed record by record),
the release ``.zip`` (the ``*schema_v2*.json`` member, else the JSON
member), a JSON Lines file, or a URL to any of these. The dataset version
is ``--version``, else the release tag in the file name
(``v1.55-2024-10-31``), else the newest ``admin.last_modified`` date, else a
digest of the file.

Every relationship is emitted once, and only when both ends are records of
this dump or already in the store (others are counted in the report's
notes). After a complete run, ROR edges between two records of this dump
that the dump no longer asserts are removed: re-ingesting a newer release
updates the hierarchy, not just the nodes (a store that held no edge of a ROR
kind before the run skips that sweep). A full dump into an empty or much
smaller store loads inside ``store.bulk()`` (:func:`ingest.pipeline.bulk_pays`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import RecordRejected
from graph.model import Edge, EdgeKind, Node
from graph.settings import Settings, load_settings
from graph.store import GraphStore
from ingest.http import HttpClient
from ingest.jsonstream import iter_json_records
from ingest.pipeline import BATCH, IngestReport, Mapped, SourceRun, bulk_pays, load, record_run
from ingest.ror import SOURCE, map_record
from ingest.sourcefile import Member, fetch, guarded, list_members, member_size, open_text, release_version

__all__ = ["choose_member", "dump_version", "ingest_ror", "read_dump"]

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
ROR_EDGE_KINDS = (EdgeKind.PARENT_OF, EdgeKind.RELATED_TO, EdgeKind.SUCCEEDED_BY)
BYTES_PER_RECORD = 750  # dump bytes per node or edge written (schema v2 dumps: ~1.2 kB and 0.6 edges a record)


def choose_member(path: Path) -> Member:
    """The JSON file to read: the file itself, or the zip's schema-v2 JSON member."""
    members = list_members(path)
    jsons = [m for m in members if m.name.lower().endswith((".json", ".jsonl"))]
    if not jsons:
        if len(members) == 1 and not members[0].in_zip:
            return members[0]
        raise ValueError(f"{path}: no .json file in {[m.name for m in members][:10]}")
    return next((m for m in jsons if "schema_v2" in m.name), jsons[0])


def dump_version(member: Member, given: str | None = None) -> str:
    """The dataset version: given, from the file names, newest last_modified, or a digest."""
    if given:
        return given
    tag = release_version(member.name, member.path.name)
    if tag:
        return tag
    newest = ""
    with open_text(member) as fh:
        for rec in guarded(member, iter_json_records(fh)):
            admin = rec.value.get("admin") if isinstance(rec.value, dict) else None
            date = ((admin or {}).get("last_modified") or {}).get("date") if isinstance(admin, dict) else None
            if isinstance(date, str) and date > newest:
                newest = date
    if newest:
        return newest
    digest = hashlib.sha256()
    with member.path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return f"sha256:{digest.hexdigest()[:12]}"


@dataclass(slots=True)
class DumpStats:
    """What the reader saw, for the notes and the stale-edge sweep."""

    nodes: set[str] = field(default_factory=set)
    edges: set[str] = field(default_factory=set)
    dangling: int = 0
    complete: bool = False


def read_dump(member: Member, run: SourceRun, store: GraphStore, stats: DumpStats) -> Iterator[Mapped]:
    """Nodes as they are read, then each relationship once (both ends known)."""
    return guarded(member, _read_dump(member, run, store, stats))


def _read_dump(member: Member, run: SourceRun, store: GraphStore, stats: DumpStats) -> Iterator[Mapped]:
    edges: dict[str, Edge] = {}
    label = member.label
    with open_text(member) as fh:
        for rec in iter_json_records(fh):
            where = f"{label}:{rec.line}"
            if rec.error is not None:
                yield RecordRejected(SOURCE, f"record {rec.index + 1}", "json", rec.error, where)
                continue
            for item in map_record(rec.value, run, where):
                if isinstance(item, Edge):
                    edges.setdefault(item.id, item)
                else:
                    if isinstance(item, Node):
                        stats.nodes.add(item.id)
                    yield item
    outside = {end for e in edges.values() for end in (e.src, e.dst)} - stats.nodes
    known = stats.nodes | set(store.get_nodes(outside)) if outside else stats.nodes
    for edge_id, edge in edges.items():
        if edge.src in known and edge.dst in known:
            stats.edges.add(edge_id)
            yield edge
        else:
            stats.dangling += 1
    stats.complete = True


def may_hold_ror_edges(store: GraphStore) -> bool:
    """False when the store has no edge of a kind ROR writes (then nothing can be stale)."""
    present = store.counts().edges
    return any(present.get(kind.value) for kind in ROR_EDGE_KINDS)


def prune_stale_edges(store: GraphStore, stats: DumpStats) -> int:
    """Remove ROR edges between records of this dump that it no longer asserts."""
    stale = [
        e.id
        for e in store.iter_edges(source=SOURCE)
        if e.src in stats.nodes and e.dst in stats.nodes and e.id not in stats.edges
    ]
    return store.remove_edges(stale) if stale else 0


def ingest_ror(
    store: GraphStore,
    path_or_url: str,
    *,
    version: str | None = None,
    settings: Settings | None = None,
    client: HttpClient | None = None,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> IngestReport:
    """Load a ROR dump into ``store``; resumable after a crash (same input, same version).

    Raises FileNotFoundError, ValueError or SourceUnavailable when the input
    cannot be had at all; a failure while reading is in ``report.failed``.
    """
    settings = settings or load_settings()
    fetched = fetch(path_or_url, settings, source=SOURCE, client=client)
    member = choose_member(fetched.path)
    run = SourceRun(SOURCE, dump_version(member, version), fetched.location)
    stats = DumpStats()
    prune = may_hold_ror_edges(store)  # before the run: afterwards every ROR edge is one it wrote
    bulk = bulk_pays(store, member_size(member) // BYTES_PER_RECORD)
    report = load(store, read_dump(member, run, store, stats), run, batch=batch, progress=progress, bulk=bulk)
    if stats.dangling:
        report.notes.append(
            f"{stats.dangling:,} relationships point at records in neither this dump nor the store; skipped"
        )
    if prune and stats.complete and report.failed is None:
        removed = prune_stale_edges(store, stats)
        if removed:
            report.notes.append(f"{removed:,} relationships no longer in this release removed")
    if report.notes:
        record_run(store, run, report)
    log.debug("%s", report.summary())
    return report
