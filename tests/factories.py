"""Small record builders for tests."""

from __future__ import annotations

from typing import Any

from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance

RETRIEVED = "2026-11-01T00:00:00Z"


def prov(source: str = "test", source_id: str = "r1", version: str = "v1") -> Provenance:
    return Provenance(source, source_id, f"https://example.org/{source_id}", RETRIEVED, version)


def org(node_id: str, name: str | None = None, **props: Any) -> Node:
    return Node(node_id, NodeKind.ORGANISATION, name or node_id, prov(source_id=node_id), props)


def edge(
    kind: EdgeKind, src: str, dst: str, key: str = "", start: str | None = None, end: str | None = None, **props: Any
) -> Edge:
    return Edge(kind, src, dst, prov(source_id=f"{src}-{dst}"), key, start, end, props)
