"""Load mapped records into a store: batches, quarantine, checkpoints, run log.

A source module turns raw input into a stream of ``Node``, ``Edge`` or
``RecordRejected`` items (pure mapping, no I/O). :func:`load` writes the
stream: nodes in batches as they come, edges spooled to disk and written
after every node (so an edge may point at a record later in the file). Bad
records are quarantined in the store (namespace ``quarantine``) with file,
line and field, and the run goes on. A checkpoint (namespace
``checkpoints``) records how far a run got; a rerun after a crash skips what
was committed, and because upserts are idempotent nothing is duplicated.

While it runs, the cyclic garbage collector is paused: mapped records hold
no reference cycles (reference counting frees them), and a batch of live
records re-scanned on every collection cost about a third of the mapping.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graph.errors import RecordRejected
from graph.model import Edge, Node
from graph.store import GraphStore, UpsertResult
from ingest.spool import EdgeSpool

__all__ = [
    "BATCH",
    "IngestReport",
    "Mapped",
    "SourceRun",
    "bulk_pays",
    "cyclic_gc_paused",
    "load",
    "now_iso",
    "record_run",
    "run_log",
]

log = logging.getLogger(__name__)

Mapped = Node | Edge | RecordRejected
Progress = Callable[[int], None]

QUARANTINE = "quarantine"
CHECKPOINTS = "checkpoints"
RUNS = "ingest_runs"
BATCH = 5_000  # nodes per store call (20k measured no faster and held ~100 MB more)
BULK_MIN = 20_000  # records: a smaller load does not defer index upkeep
BULK_SHARE = 0.5  # ... nor one into a store holding more than this share of the load already


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class SourceRun:
    """One ingest of one input: which source, which version, from where."""

    source: str  # e.g. "ror", "cordis", "us_trade_csl"
    dataset_version: str
    location: str  # file path or URL read
    retrieved_at: str = field(default_factory=now_iso)

    @property
    def key(self) -> str:
        return f"{self.source}|{self.location}|{self.dataset_version}"


@dataclass(slots=True)
class IngestReport:
    source: str
    dataset_version: str
    location: str
    read: int = 0
    written: int = 0
    unchanged: int = 0
    rejected: list[RecordRejected] = field(default_factory=list)
    skipped_by_checkpoint: int = 0
    bulk: bool = False  # written inside store.bulk() (index upkeep deferred to the end)
    elapsed: float = 0.0
    failed: str | None = None
    started_at: str = field(default_factory=now_iso)
    notes: list[str] = field(default_factory=list)  # e.g. "stopped at the daily budget; rerun resumes"

    def add(self, result: UpsertResult) -> None:
        self.written += result.written
        self.unchanged += result.unchanged
        self.rejected.extend(result.rejected)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dataset_version": self.dataset_version,
            "location": self.location,
            "read": self.read,
            "written": self.written,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
            "skipped_by_checkpoint": self.skipped_by_checkpoint,
            "bulk": self.bulk,
            "elapsed": round(self.elapsed, 3),
            "failed": self.failed,
            "started_at": self.started_at,
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        status = f"FAILED: {self.failed}" if self.failed else "ok"
        return (
            f"{self.source} {self.dataset_version}: read {self.read:,}, upserted {self.written:,}, "
            f"unchanged {self.unchanged:,}, rejected {len(self.rejected):,}, "
            f"{self.elapsed:.1f}s ({status})" + "".join(f"\n  {note}" for note in self.notes)
        )


def _quarantine(store: GraphStore, run: SourceRun, rejected: Iterable[RecordRejected]) -> None:
    for r in rejected:
        key = f"{r.source}|{r.record_id}|{r.field}"
        store.put_doc(QUARANTINE, key, {**r.as_dict(), "dataset_version": run.dataset_version, "at": run.retrieved_at})
        log.warning("quarantined %s", r)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause automatic cyclic garbage collection (reference counting goes on); restore it after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def bulk_pays(store: GraphStore, expected: int) -> bool:
    """Whether a load of about ``expected`` records should run inside ``store.bulk()``.

    Deferring index upkeep saves time in proportion to what the load adds;
    rebuilding the indexes at the end costs time in proportion to all the
    store holds. So: a large load into an empty store or one holding much
    less (a re-ingest, which mostly finds records unchanged, does not pay).
    """
    if expected < BULK_MIN:
        return False
    counts = store.counts()
    held = sum(counts.nodes.values()) + sum(counts.edges.values())
    return held <= expected * BULK_SHARE


def _bulk(store: GraphStore, bulk: bool) -> AbstractContextManager[None]:
    return store.bulk() if bulk else nullcontext()


def load(
    store: GraphStore,
    items: Iterable[Mapped],
    run: SourceRun,
    *,
    batch: int = BATCH,
    progress: Progress | None = None,
    bulk: bool = False,
) -> IngestReport:
    """Write a mapped stream; quarantine bad records; checkpoint; log the run.

    ``bulk``: write inside ``store.bulk()`` (see :func:`bulk_pays`). A run
    killed inside it resumes the same way; the store rebuilds its indexes
    when next opened.
    """
    report = IngestReport(run.source, run.dataset_version, run.location, bulk=bulk)
    started = time.monotonic()
    spool = EdgeSpool(chunk=batch * 4)  # edges are smaller: four times as many a store call
    try:
        with cyclic_gc_paused(), _bulk(store, bulk):
            seen_nodes = _write_nodes(store, items, run, report, spool, batch, progress)
            for chunk in spool.drain():
                report.add(store.upsert_edges(chunk))
                if progress:
                    progress(len(chunk))
        store.put_doc(CHECKPOINTS, run.key, {"nodes_committed": seen_nodes, "complete": True, "at": now_iso()})
    except (OSError, ValueError) as exc:
        report.failed = f"{type(exc).__name__}: {exc}"
    finally:
        spool.close()
        report.elapsed = time.monotonic() - started
        _quarantine(store, run, report.rejected)
        store.put_doc(RUNS, f"{report.started_at}|{run.source}|{run.location}", report.as_dict())
    return report


def _write_nodes(
    store: GraphStore,
    items: Iterable[Mapped],
    run: SourceRun,
    report: IngestReport,
    spool: EdgeSpool,
    batch: int,
    progress: Progress | None,
) -> int:
    """Write nodes in batches past the checkpoint, spool edges, collect rejects; the nodes seen."""
    checkpoint = store.get_doc(CHECKPOINTS, run.key) or {}
    done = int(checkpoint.get("nodes_committed", 0)) if not checkpoint.get("complete") else 0
    nodes: list[Node] = []
    seen_nodes = 0
    for item in items:
        report.read += 1
        if isinstance(item, RecordRejected):
            report.rejected.append(item)
        elif isinstance(item, Edge):
            spool.add(item)
        else:
            seen_nodes += 1
            if seen_nodes <= done:
                report.skipped_by_checkpoint += 1
                continue
            nodes.append(item)
            if len(nodes) >= batch:
                _flush_nodes(store, nodes, report, run, seen_nodes, progress)
    _flush_nodes(store, nodes, report, run, seen_nodes, progress)
    return seen_nodes


def _flush_nodes(
    store: GraphStore,
    nodes: list[Node],
    report: IngestReport,
    run: SourceRun,
    seen: int,
    progress: Progress | None,
) -> None:
    if not nodes:
        return
    report.add(store.upsert_nodes(nodes))
    store.put_doc(CHECKPOINTS, run.key, {"nodes_committed": seen, "complete": False, "at": now_iso()})
    if progress:
        progress(len(nodes))
    nodes.clear()


def record_run(store: GraphStore, run: SourceRun, report: IngestReport) -> None:
    """Quarantine a report's rejected records and log the run (for sources that write without :func:`load`)."""
    _quarantine(store, run, report.rejected)
    store.put_doc(RUNS, f"{report.started_at}|{run.source}|{run.location}", report.as_dict())


def run_log(store: GraphStore) -> list[dict[str, Any]]:
    """Every ingest run recorded in the store, oldest first."""
    return [value for _key, value in store.iter_docs(RUNS)]
