"""The stored facts a finding points to: edges and designations with their provenance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph.model import Edge, Node, Provenance

__all__ = ["EdgeEvidence", "ListEntry", "Source", "edge_evidence", "list_entry", "source_of"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a stored fact came from (a flat copy of its Provenance)."""

    source: str
    source_id: str
    url: str
    dataset_version: str
    retrieved_at: str


def source_of(p: Provenance) -> Source:
    return Source(p.source, p.source_id, p.url, p.dataset_version, p.retrieved_at)


@dataclass(frozen=True, slots=True)
class EdgeEvidence:
    """One stored edge behind a step of a path."""

    edge_id: str
    kind: str
    src: str
    dst: str
    start: str | None
    end: str | None
    count: int | None  # works, for co-authorship
    works: tuple[str, ...]  # example work ids
    role: str | None  # project role
    same_as: str | None  # SAME_AS: method and score
    source: Source


def _same_as(props: Mapping[str, Any]) -> str | None:
    if "method" not in props and "score" not in props:
        return None
    parts = [str(props.get("method") or "")]
    if props.get("score") is not None:
        parts.append(f"score {props['score']}")
    if props.get("explanation"):
        parts.append(str(props["explanation"]))
    return "; ".join(p for p in parts if p)


def edge_evidence(e: Edge) -> EdgeEvidence:
    props = e.props
    count = props.get("count")
    return EdgeEvidence(
        edge_id=e.id,
        kind=e.kind.value,
        src=e.src,
        dst=e.dst,
        start=e.start,
        end=e.end,
        count=int(count) if isinstance(count, int | float) else None,
        works=tuple(str(w) for w in props.get("works") or ()),
        role=str(props["role"]) if props.get("role") else None,
        same_as=_same_as(props) if e.kind.value == "SAME_AS" else None,
        source=source_of(e.provenance),
    )


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One designation of a listed entity, as the list states it."""

    designation_id: str
    entity_id: str
    list_key: str
    list_name: str
    programme: str
    authority: str
    legal_effect: str
    listed_on: str | None
    delisted_on: str | None
    active: bool
    reason: str
    source_url: str
    source: Source


def _text(props: Mapping[str, Any], key: str) -> str:
    value = props.get(key)
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def list_entry(designation: Node, edge: Edge, *, active: bool) -> ListEntry:
    p = designation.props
    return ListEntry(
        designation_id=designation.id,
        entity_id=edge.src,
        list_key=_text(p, "list"),
        list_name=_text(p, "list_name") or _text(p, "list"),
        programme=_text(p, "programme"),
        authority=_text(p, "authority"),
        legal_effect=_text(p, "legal_effect"),
        listed_on=p.get("listed_on") or edge.start,
        delisted_on=p.get("delisted_on") or edge.end,
        active=active,
        reason=_text(p, "reason"),
        source_url=_text(p, "source_url") or designation.provenance.url,
        source=source_of(designation.provenance),
    )
