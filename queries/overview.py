"""What a store holds: sources and their versions, ingest runs, counts, lists of concern in force.

Also the organisations offered for type-ahead search: ROR records (the
identity registry) when the store has them, else every organisation, each
labelled with its name, a few short other names, its id and its country
(shown to tell namesakes apart, never used for anything else).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph.model import Node, NodeKind
from graph.store import GraphStore
from queries.concern import ConcernIndex
from queries.limits import RUNS_NAMESPACE, IngestRun
from queries.lists import ListsView

__all__ = ["ListInForce", "OrgOption", "Overview", "SourceSummary", "organisation_options", "overview"]

TYPEAHEAD_LIMIT = 20_000
_JUDGEMENTS = "judgements"
_WATCHLIST = "watchlist"


@dataclass(frozen=True, slots=True)
class SourceSummary:
    source: str
    dataset_versions: tuple[str, ...]
    runs: int
    last_run: str
    read: int
    written: int
    rejected: int
    failed: int


@dataclass(frozen=True, slots=True)
class ListInForce:
    """A list of entities of concern: its configuration and what the store holds of it."""

    key: str
    name: str
    legal_effect: str
    of_concern: bool
    weight: float
    authority: str
    entries: int  # designations held
    active: int
    delisted: int
    versions: tuple[str, ...]
    retrieved_at: str


@dataclass(frozen=True, slots=True)
class Overview:
    store_version: int
    nodes: Mapping[str, int]
    edges: Mapping[str, int]
    last_ingest: str | None
    sources: tuple[SourceSummary, ...]
    runs: tuple[IngestRun, ...]  # newest first
    lists: tuple[ListInForce, ...]  # held lists first, then configured lists not ingested
    judgements: int
    watched: int


def _run(doc: Mapping[str, object]) -> IngestRun:
    def num(key: str) -> int:
        v = doc.get(key)
        return int(v) if isinstance(v, int | float) else 0

    failed = doc.get("failed")
    return IngestRun(
        str(doc.get("source", "")),
        str(doc.get("dataset_version", "")),
        str(doc.get("location", "")),
        str(doc.get("started_at", "")),
        num("read"),
        num("written"),
        num("rejected"),
        str(failed) if failed else None,
    )


def _sources(runs: Iterable[IngestRun]) -> list[SourceSummary]:
    by: dict[str, list[IngestRun]] = defaultdict(list)
    for r in runs:
        by[r.source].append(r)
    return [
        SourceSummary(
            source,
            tuple(sorted({r.dataset_version for r in rs if r.dataset_version})),
            len(rs),
            max(r.started_at for r in rs),
            sum(r.read for r in rs),
            sum(r.written for r in rs),
            sum(r.rejected for r in rs),
            sum(1 for r in rs if r.failed),
        )
        for source, rs in sorted(by.items())
    ]


def _lists(lists: ListsView, concern: ConcernIndex) -> list[ListInForce]:
    out = []
    for key, cov in sorted(concern.coverage.items()):
        info = lists.get(key)
        out.append(
            ListInForce(
                key,
                cov.name,
                cov.legal_effect or info.legal_effect,
                info.of_concern,
                float(info.weight),
                info.authority,
                cov.entries,
                cov.active,
                cov.delisted,
                cov.versions,
                cov.retrieved_at,
            )
        )
    for key, info in sorted(lists.lists.items()):
        if key not in concern.coverage:
            out.append(
                ListInForce(
                    key,
                    info.name,
                    info.legal_effect,
                    info.of_concern,
                    float(info.weight),
                    info.authority,
                    0,
                    0,
                    0,
                    (),
                    "",
                )
            )
    return out


def _count(store: GraphStore, namespace: str) -> int:
    return sum(1 for _ in store.iter_docs(namespace))


def overview(store: GraphStore, lists: ListsView, concern: ConcernIndex) -> Overview:
    """Everything the Data page shows about a store."""
    counts = store.counts()
    runs = sorted(
        (_run(doc) for _key, doc in store.iter_docs(RUNS_NAMESPACE)), key=lambda r: r.started_at, reverse=True
    )
    return Overview(
        store_version=store.version(),
        nodes=dict(sorted(counts.nodes.items())),
        edges=dict(sorted(counts.edges.items())),
        last_ingest=runs[0].started_at if runs else None,
        sources=tuple(_sources(runs)),
        runs=tuple(runs),
        lists=tuple(_lists(lists, concern)),
        judgements=_count(store, _JUDGEMENTS),
        watched=_count(store, _WATCHLIST),
    )


@dataclass(frozen=True, slots=True)
class OrgOption:
    id: str
    label: str  # what the type-ahead matches and shows


def _short_names(n: Node, limit: int = 2) -> list[str]:
    names = [*(n.props.get("acronyms") or ()), *(n.props.get("aliases") or ())]
    return [x for x in dict.fromkeys(str(a) for a in names if a) if x != n.name and len(x) <= 40][:limit]


def _label(n: Node) -> str:
    country = n.props.get("country")
    extra = " · ".join(_short_names(n))
    return (
        f"{n.name}"
        + (f" · {extra}" if extra else "")
        + f" — {n.id}"
        + (f" ({country})" if isinstance(country, str) else "")
    )


def organisation_options(store: GraphStore, *, limit: int = TYPEAHEAD_LIMIT) -> list[OrgOption]:
    """Organisations offered while typing: ROR records if any, else all organisations (by name)."""
    ror = list(store.iter_nodes(kind=NodeKind.ORGANISATION, source="ror"))
    nodes = ror or list(store.iter_nodes(kind=NodeKind.ORGANISATION))
    nodes.sort(key=lambda n: (n.name.casefold(), n.id))
    return [OrgOption(n.id, _label(n)) for n in nodes[:limit]]
