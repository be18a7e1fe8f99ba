"""History of designations across versions of a list: delisting, relisting.

A Designation node is never deleted. When a newer complete version of a list
no longer carries an entry, its designation gets ``status`` "delisted" and
``delisted_on`` = the version's date, and its DESIGNATED_ON edge gets that
``end``. When an entry comes back, the new designation is active again and
keeps the earlier periods in ``previous_periods``. Documents (judgements,
watchlists) are never touched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from graph.store import GraphStore
from ingest.pipeline import Mapped, SourceRun

__all__ = ["carry_history", "delist", "delist_entities", "delist_missing", "version_date", "with_history"]

log = logging.getLogger(__name__)
_KEPT = ("previous_periods", "relisted_on")


def version_date(version: str | None, fallback: str) -> str:
    """The ISO date a dataset version stands for (``2024-06-01…``, ``20240601…``), else ``fallback``'s date."""
    v = (version or "").strip()
    if len(v) >= 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit():
        return v[:10]
    if len(v) >= 8 and v[:8].isdigit():
        return f"{v[:4]}-{v[4:6]}-{v[6:8]}"
    return fallback[:10]


def with_history(old: Node, new: Node, as_of: str) -> Node:
    """``new`` carrying ``old``'s earlier periods; a delisted entry seen again is relisted."""
    kept: dict[str, Any] = {k: old.props[k] for k in _KEPT if old.props.get(k)}
    if old.props.get("status") == "delisted" and new.props.get("status") == "active":
        period = {"listed_on": old.props.get("listed_on"), "delisted_on": old.props.get("delisted_on")}
        kept["previous_periods"] = [*kept.get("previous_periods", []), period]
        kept["relisted_on"] = as_of
    return replace(new, props={**new.props, **kept}) if kept else new


def _carry(store: GraphStore, items: list[Mapped], as_of: str) -> Iterator[Mapped]:
    ids = [i.id for i in items if isinstance(i, Node) and i.kind is NodeKind.DESIGNATION]
    existing = store.get_nodes(ids) if ids else {}
    for item in items:
        if isinstance(item, Node) and item.id in existing:
            yield with_history(existing[item.id], item, as_of)
        else:
            yield item


def carry_history(store: GraphStore, records: Iterable[Mapped], as_of: str, *, batch: int = 1000) -> Iterator[Mapped]:
    """Pass ``records`` through, looking up stored designations in batches to keep their history."""
    buffer: list[Mapped] = []
    for item in records:
        buffer.append(item)
        if len(buffer) >= batch:
            yield from _carry(store, buffer, as_of)
            buffer = []
    yield from _carry(store, buffer, as_of)


def _restamp(prov: Provenance, run: SourceRun) -> Provenance:
    return replace(prov, retrieved_at=run.retrieved_at, dataset_version=run.dataset_version)


def delist(store: GraphStore, designations: Iterable[Node], run: SourceRun, on: str, why: str) -> int:
    """Mark ``designations`` delisted on ``on`` (never before they were listed) and end their edges."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    for d in designations:
        listed = d.props.get("listed_on")
        when = max(on, listed) if isinstance(listed, str) and listed else on
        props: Mapping[str, Any] = {**d.props, "status": "delisted", "delisted_on": when, "delisted_reason": why}
        props = {k: v for k, v in props.items() if k != "expires_on"}
        nodes.append(replace(d, props=props, provenance=_restamp(d.provenance, run)))
        for e in store.edges_of(d.id, kinds=[EdgeKind.DESIGNATED_ON]):
            if e.dst == d.id:
                edges.append(replace(e, end=max(when, e.start or when), provenance=_restamp(e.provenance, run)))
    if nodes:
        store.upsert_nodes(nodes)
        store.upsert_edges(edges)
        log.info("%s: delisted %d designations (%s)", run.source, len(nodes), why)
    return len(nodes)


def delist_missing(store: GraphStore, run: SourceRun, lists: Iterable[str], seen: set[str], on: str) -> int:
    """Delist the active designations of ``lists`` from ``run.source`` that this version no longer carries.

    A designation last stated by a newer version than this one is left alone:
    an older file does not delist newer facts.
    """
    scope = set(lists)
    stale = [
        n
        for n in store.iter_nodes(kind=NodeKind.DESIGNATION, source=run.source)
        if n.props.get("list") in scope
        and n.id not in seen
        and n.props.get("status") != "delisted"
        and version_date(n.provenance.dataset_version, n.provenance.retrieved_at) <= on
    ]
    return delist(store, stale, run, on, f"not in version {run.dataset_version}")


def delist_entities(store: GraphStore, run: SourceRun, entity_ids: Iterable[str], on: str) -> int:
    """Delist every active designation of entities a delta file deleted."""
    ids = [e.dst for eid in entity_ids for e in store.edges_of(eid, kinds=[EdgeKind.DESIGNATED_ON]) if e.src == eid]
    found = store.get_nodes(ids).values() if ids else ()
    active = [n for n in found if n.props.get("status") != "delisted"]
    return delist(store, active, run, on, f"deleted in delta {run.dataset_version}")
