"""The one protocol every graph store implements, and what they share.

A store keeps nodes, edges and small JSON documents (judgements, watchlist,
ingest checkpoints, alert state). Upserts are idempotent and batched; every
batch that changes a fact gets a new store version, which feeds
``changes_since`` for alerts. ``subgraph`` returns a networkx graph; its
semantics are pinned by :func:`graph.subgraph.reference_subgraph`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import networkx as nx

from graph.errors import RecordRejected
from graph.model import Edge, EdgeKind, Node, NodeKind

__all__ = ["Change", "Counts", "GraphStore", "SubgraphQuery", "UpsertResult"]


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """What one upsert call did."""

    written: int = 0  # new or changed records
    unchanged: int = 0
    rejected: tuple[RecordRejected, ...] = ()
    version: int = 0  # store version after the call

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult(
            self.written + other.written,
            self.unchanged + other.unchanged,
            self.rejected + other.rejected,
            max(self.version, other.version),
        )


@dataclass(frozen=True, slots=True)
class Counts:
    nodes: Mapping[str, int] = field(default_factory=dict)
    edges: Mapping[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {"nodes": dict(sorted(self.nodes.items())), "edges": dict(sorted(self.edges.items()))}


@dataclass(frozen=True, slots=True)
class Change:
    """A node or edge written (created or changed) at ``version``."""

    version: int
    record: Node | Edge


@dataclass(frozen=True, slots=True)
class SubgraphQuery:
    """A k-hop neighbourhood request.

    Breadth-first and undirected from ``seeds`` over edges of ``edge_kinds``
    (all when None) whose dates overlap [``since``, ``until``]. A node other
    than a seed whose degree (all its edges, any kind) exceeds ``degree_cap``
    is included but not expanded, and reported in ``graph.graph["pruned"]``.
    The result holds every reached node and every passing edge with at
    least one expanded endpoint. With ``attributes=False`` the graph has the
    same nodes and edges (same ids and keys) but nodes carry only ``kind``
    and ``distance`` and edges only ``kind``: cheaper when only the shape
    matters.
    """

    seeds: tuple[str, ...]
    hops: int = 2
    edge_kinds: frozenset[EdgeKind] | None = None
    since: str | None = None
    until: str | None = None
    degree_cap: int | None = None
    attributes: bool = True


@runtime_checkable
class GraphStore(Protocol):
    """What rsgraph asks of a store; see tests/contract for the behaviour."""

    def bulk(self) -> AbstractContextManager[None]:
        """A large load: the store may defer index upkeep until the block ends.

        Results inside and after are the same as without it; reads inside may be slower.
        """
        ...

    def upsert_nodes(self, nodes: Iterable[Node]) -> UpsertResult: ...

    def upsert_edges(self, edges: Iterable[Edge]) -> UpsertResult: ...

    def remove_edges(self, edge_ids: Iterable[str]) -> int: ...

    def get_node(self, node_id: str) -> Node | None: ...

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]: ...

    def edges_of(self, node_id: str, *, kinds: Iterable[EdgeKind] | None = None) -> list[Edge]: ...

    def degree(self, node_id: str) -> int: ...

    def search(self, text: str, *, kinds: Iterable[NodeKind] | None = None, limit: int = 20) -> list[Node]: ...

    def subgraph(self, query: SubgraphQuery) -> nx.MultiDiGraph: ...

    def version(self) -> int: ...

    def changes_since(self, version: int) -> Iterator[Change]: ...

    def counts(self) -> Counts: ...

    def iter_nodes(self, *, kind: NodeKind | None = None, source: str | None = None) -> Iterator[Node]: ...

    def iter_edges(self, *, kind: EdgeKind | None = None, source: str | None = None) -> Iterator[Edge]: ...

    def put_doc(self, namespace: str, key: str, value: Mapping[str, Any]) -> None: ...

    def get_doc(self, namespace: str, key: str) -> dict[str, Any] | None: ...

    def iter_docs(self, namespace: str) -> Iterator[tuple[str, dict[str, Any]]]: ...

    def delete_doc(self, namespace: str, key: str) -> bool: ...

    def close(self) -> None: ...


def seeds_tuple(seeds: str | Sequence[str]) -> tuple[str, ...]:
    return (seeds,) if isinstance(seeds, str) else tuple(seeds)
