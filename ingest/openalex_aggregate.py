"""Aggregated work evidence kept in the store, so counts are a function of the works seen.

Two document namespaces hold the state:

- ``openalex_work_keys``: per work id, the aggregate keys (edge ids) it is
  evidence for, as of the last time the work was seen;
- ``openalex_aggregates``: per aggregate key, the sorted set of work ids.

Applying a batch of works adds each work to its keys' sets and removes it
from keys it no longer supports (a corrected affiliation). An edge's
``count`` is the size of its set and ``works`` the first ten in numeric
order, so the graph depends only on the latest version of each work seen,
in whatever order, batch size, run or resumption the works arrived: seeing
a work twice changes nothing. Every key touched by a batch is recomputed
from the stored sets (even when nothing changed), so a crash between
writing the sets, the edges and the ledger heals on the rerun.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graph.errors import RecordRejected
from graph.model import Edge, Node
from graph.store import GraphStore
from ingest.openalex_works import WorkFacts, aggregate_edge, aggregate_keys, sorted_works
from ingest.pipeline import IngestReport, Mapped, SourceRun

__all__ = ["AGGREGATES", "WORK_KEYS", "BatchOutcome", "apply_works", "write_records", "write_stubs"]

WORK_KEYS = "openalex_work_keys"
AGGREGATES = "openalex_aggregates"


@dataclass(slots=True)
class BatchOutcome:
    edges: list[Edge] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def write_stubs(store: GraphStore, stubs: Sequence[Node], report: IngestReport) -> None:
    """Write stub nodes whose id is not in the store yet (a stub never overwrites a record)."""
    unique = {n.id: n for n in stubs}
    if not unique:
        return
    present = store.get_nodes(unique)
    missing = [n for i, n in unique.items() if i not in present]
    if missing:
        report.add(store.upsert_nodes(missing))


def write_records(store: GraphStore, items: Sequence[Mapped], report: IngestReport) -> None:
    """Write one batch of mapped entity records: full nodes, then missing stubs, then edges."""
    full = {i.id: i for i in items if isinstance(i, Node) and not i.props.get("stub")}
    report.rejected.extend(i for i in items if isinstance(i, RecordRejected))
    if full:
        report.add(store.upsert_nodes(full.values()))
    write_stubs(store, [i for i in items if isinstance(i, Node) and i.props.get("stub") and i.id not in full], report)
    edges = {i.id: i for i in items if isinstance(i, Edge)}
    if edges:
        report.add(store.upsert_edges(edges.values()))


def _deltas(
    store: GraphStore, works: Sequence[WorkFacts]
) -> tuple[dict[str, list[str]], dict[str, set[str]], dict[str, set[str]]]:
    """New ledger per work, and per key the works to add and to remove."""
    latest = {w.work: w for w in works}  # a work seen twice in a batch: last wins
    ledger: dict[str, list[str]] = {}
    adds: dict[str, set[str]] = {}
    removes: dict[str, set[str]] = {}
    for work, facts in latest.items():
        new = sorted(set(aggregate_keys(facts)))
        old = set((store.get_doc(WORK_KEYS, work) or {}).get("keys") or ())
        for key in new:
            adds.setdefault(key, set()).add(work)
        for key in old.difference(new):
            removes.setdefault(key, set()).add(work)
        ledger[work] = new
    return ledger, adds, removes


def apply_works(store: GraphStore, works: Sequence[WorkFacts], run: SourceRun, report: IngestReport) -> BatchOutcome:
    """Fold a batch of works into the stored aggregates and write the affected edges.

    Order: stubs and static edges, aggregate sets, edges, then the per-work ledger.
    """
    write_stubs(store, [s for w in works for s in w.stubs], report)
    static = {e.id: e for w in works for e in w.edges}
    if static:
        report.add(store.upsert_edges(static.values()))
    ledger, adds, removes = _deltas(store, works)
    outcome = BatchOutcome()
    for key in sorted(set(adds) | set(removes)):
        stored = (store.get_doc(AGGREGATES, key) or {}).get("works") or []
        current = (set(stored) | adds.get(key, set())) - removes.get(key, set())
        ordered = sorted_works(current)
        if ordered != stored:
            if ordered:
                store.put_doc(AGGREGATES, key, {"works": ordered})
            else:
                store.delete_doc(AGGREGATES, key)
        if ordered:
            outcome.edges.append(aggregate_edge(key, ordered, run))
        else:
            outcome.removed.append(key)
    if outcome.edges:
        report.add(store.upsert_edges(outcome.edges))
    if outcome.removed:
        store.remove_edges(outcome.removed)
    for work, keys in ledger.items():
        store.put_doc(WORK_KEYS, work, {"keys": keys})
    return outcome
