"""Typed, immutable graph records with provenance on every fact.

Every node and edge comes from exactly one source record; the same real-world
organisation seen by several sources is several nodes joined by SAME_AS edges.
Ids are stable and carry a source prefix (``ror:…``, ``openalex:I…``,
``cordis:pic:…``, ``opensanctions:…``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from graph.canonical import canonical_json, parse_json

__all__ = [
    "ID_PREFIXES",
    "LEGAL_EFFECTS",
    "Edge",
    "EdgeKind",
    "LegalEffect",
    "Node",
    "NodeKind",
    "Provenance",
    "content_hash",
    "edge_from_facts",
    "edge_id",
    "facts_json",
    "hash_text",
    "node_from_facts",
    "searchable_names",
]


class NodeKind(StrEnum):
    ORGANISATION = "Organisation"
    PROJECT = "Project"
    FUNDER = "Funder"
    AWARD = "Award"
    DESIGNATION = "Designation"


class EdgeKind(StrEnum):
    PARENT_OF = "PARENT_OF"
    RELATED_TO = "RELATED_TO"
    SUCCEEDED_BY = "SUCCEEDED_BY"
    COLLABORATED_WITH = "COLLABORATED_WITH"
    PARTICIPATED_IN = "PARTICIPATED_IN"
    FUNDED_BY = "FUNDED_BY"
    DESIGNATED_ON = "DESIGNATED_ON"
    SAME_AS = "SAME_AS"


class LegalEffect(StrEnum):
    """What a designation means in law: kept apart, never blended."""

    LEGAL_RESTRICTION = "legal_restriction"  # sanctions, export control
    ADVISORY = "advisory"  # e.g. NDAA §1286, Canada NRO, DoD 1260H


LEGAL_EFFECTS = frozenset(e.value for e in LegalEffect)

ID_PREFIXES = (
    "ror:",
    "openalex:",
    "cordis:",
    "opensanctions:",
    "list:",
    "designation:",
    "funder:",
    "award:",
    "bench:",
    "test:",
)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact came from."""

    source: str  # e.g. "ror", "openalex", "cordis", "us_trade_csl"
    source_id: str  # the record id inside that source
    url: str  # where the record can be seen or was downloaded
    retrieved_at: str  # ISO 8601 UTC timestamp
    dataset_version: str  # release / snapshot / list version

    def as_dict(self) -> dict[str, str]:
        return {
            "source": self.source,
            "source_id": self.source_id,
            "url": self.url,
            "retrieved_at": self.retrieved_at,
            "dataset_version": self.dataset_version,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Provenance:
        return cls(
            source=str(d["source"]),
            source_id=str(d["source_id"]),
            url=str(d["url"]),
            retrieved_at=str(d["retrieved_at"]),
            dataset_version=str(d["dataset_version"]),
        )


@dataclass(frozen=True, slots=True)
class Node:
    """An organisation, project, funder, award or designation.

    ``props`` holds JSON-serialisable values only. Conventional keys:
    Organisation: ``names`` (list of {value, lang, type}), ``country`` (ISO-2),
    ``city``, ``types``, ``status``, ``ids`` ({ror, grid, wikidata, isni,
    fundref, pic, openalex, lei}); Designation: ``list``, ``programme``,
    ``listed_on``, ``delisted_on``, ``legal_effect``, ``source_url``.
    """

    id: str
    kind: NodeKind
    name: str
    provenance: Provenance
    props: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "name": self.name,
            "props": dict(self.props),
            "provenance": self.provenance.as_dict(),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Node:
        return cls(
            id=str(d["id"]),
            kind=NodeKind(d["kind"]),
            name=str(d["name"]),
            props=dict(d.get("props") or {}),
            provenance=Provenance.from_dict(d["provenance"]),
        )


def edge_id(kind: EdgeKind | str, src: str, dst: str, key: str = "") -> str:
    """The stable identity of an edge: kind, endpoints and a discriminating key."""
    return f"{EdgeKind(kind).value}|{src}|{dst}|{key}"


@dataclass(frozen=True, slots=True)
class Edge:
    """A typed, directed relationship with its own properties.

    ``key`` tells apart several edges of one kind between the same two nodes
    (e.g. the year of a COLLABORATED_WITH edge). ``start``/``end`` are ISO
    dates (``YYYY`` or ``YYYY-MM-DD``) bounding when the relationship held;
    ``None`` means open. Conventional props: COLLABORATED_WITH ``count``,
    ``works`` (example work ids); PARTICIPATED_IN ``role``,
    ``ec_contribution``; SAME_AS ``score``, ``method``, ``explanation``,
    ``band``.
    """

    kind: EdgeKind
    src: str
    dst: str
    provenance: Provenance
    key: str = ""
    start: str | None = None
    end: str | None = None
    props: Mapping[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return edge_id(self.kind, self.src, self.dst, self.key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "src": self.src,
            "dst": self.dst,
            "key": self.key,
            "start": self.start,
            "end": self.end,
            "props": dict(self.props),
            "provenance": self.provenance.as_dict(),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Edge:
        return cls(
            kind=EdgeKind(d["kind"]),
            src=str(d["src"]),
            dst=str(d["dst"]),
            key=str(d.get("key") or ""),
            start=d.get("start"),
            end=d.get("end"),
            props=dict(d.get("props") or {}),
            provenance=Provenance.from_dict(d["provenance"]),
        )


def _facts(record: Node | Edge) -> list[Any]:
    p = record.provenance
    head: list[Any]
    if isinstance(record, Node):
        head = [record.id, record.kind.value, record.name]
    else:
        head = [record.kind.value, record.src, record.dst, record.key, record.start, record.end]
    return [*head, record.props, p.source, p.source_id, p.url, p.dataset_version]


def facts_json(record: Node | Edge) -> str:
    """Canonical JSON of a record's facts: everything but ``retrieved_at``.

    Raises TypeError/ValueError when props are not JSON-serialisable.
    """
    return canonical_json(_facts(record))


def hash_text(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def content_hash(record: Node | Edge) -> str:
    """Hash of a record's facts, excluding ``retrieved_at``.

    Re-reading an unchanged record later is not a change; the change feed
    only moves when a fact moves.
    """
    return hash_text(facts_json(record))


def edge_from_facts(facts: str, retrieved_at: str) -> Edge:
    """Rebuild an edge from :func:`facts_json` output and its retrieval time."""
    kind, src, dst, key, start, end, props, source, source_id, url, version = parse_json(facts)
    prov = Provenance(source, source_id, url, retrieved_at, version)
    return Edge(EdgeKind(kind), src, dst, prov, key, start, end, props)


def node_from_facts(facts: str, retrieved_at: str) -> Node:
    """Rebuild a node from :func:`facts_json` output and its retrieval time."""
    node_id, kind, name, props, source, source_id, url, version = parse_json(facts)
    return Node(node_id, NodeKind(kind), name, Provenance(source, source_id, url, retrieved_at, version), props)


def searchable_names(node: Node) -> list[str]:
    """Every name form of a node that name search should find it by."""
    names = [node.name]
    for entry in node.props.get("names") or ():
        value = entry.get("value") if isinstance(entry, Mapping) else entry
        if isinstance(value, str) and value:
            names.append(value)
    for alias in node.props.get("aliases") or ():
        if isinstance(alias, str) and alias:
            names.append(alias)
    return list(dict.fromkeys(names))
