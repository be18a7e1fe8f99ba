"""Who is an entity of concern: active designations and the records equivalent to them.

:func:`concern_index` reads every DESIGNATED_ON edge once, keeps the active
designations on lists of concern (weight from the lists table, never from a
country), and extends each listed entity to the records effectively SAME_AS
it (a ROR or OpenAlex record of a listed university). Build it once per store
version and pass it to every ``ties`` call of a batch; callers that keep none
get :func:`shared_concern_index`, one per store object, rebuilt when the store
version, the lists or the SAME_AS policy change.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.model import Edge, EdgeKind, Node, searchable_names
from graph.store import GraphStore, SubgraphQuery
from graph.text import fold
from queries.equivalence import CLASS_HOPS, SameAsPolicy, chains_from, same_as_policy
from queries.lists import AllListsCount, ListsView, list_weight

__all__ = [
    "ConcernHit",
    "ConcernIndex",
    "ConcernNeighbourhood",
    "ListCoverage",
    "Listing",
    "concern_index",
    "concern_neighbourhood",
    "is_active",
    "shared_concern_index",
]


@dataclass(frozen=True, slots=True)
class Listing:
    """One designation of one listed entity."""

    entity: str  # the listed entity (source of DESIGNATED_ON)
    designation: Node
    edge: Edge  # the DESIGNATED_ON edge

    @property
    def list_key(self) -> str:
        return str(self.designation.props.get("list") or "")

    @property
    def legal_effect(self) -> str:
        return str(self.designation.props.get("legal_effect") or "")

    @property
    def active(self) -> bool:
        return is_active(self.designation, self.edge)


@dataclass(frozen=True, slots=True)
class ConcernHit:
    """A node is of concern through ``listing``, via these SAME_AS links (empty: listed itself)."""

    listing: Listing
    via: tuple[Edge, ...]


@dataclass(frozen=True, slots=True)
class ListCoverage:
    """What the store holds of one list: entries, how many active, which versions."""

    key: str
    name: str
    legal_effect: str
    entries: int
    active: int
    delisted: int
    versions: tuple[str, ...]
    retrieved_at: str  # latest retrieval of an entry


@dataclass(frozen=True, slots=True)
class ConcernIndex:
    hits: Mapping[str, tuple[ConcernHit, ...]]
    entities: int  # listed entities with an active designation of concern
    version: int  # store version it was built at
    coverage: Mapping[str, ListCoverage] = field(default_factory=dict)
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # every listed entity → its name forms
    folded: tuple[tuple[str, str], ...] = ()  # (entity, folded name form), for look-alike search

    def weight(self, node: str, lists: ListsView) -> float:
        return max((list_weight(lists, h.listing.list_key) for h in self.hits.get(node, ())), default=0.0)


def is_active(designation: Node, edge: Edge) -> bool:
    """Active unless the list entry or the edge says it ended."""
    props = designation.props
    return props.get("status", "active") != "delisted" and not props.get("delisted_on") and edge.end is None


def _listings(store: GraphStore) -> list[Listing]:
    edges = list(store.iter_edges(kind=EdgeKind.DESIGNATED_ON))
    designations = store.get_nodes(e.dst for e in edges)
    return [Listing(e.src, designations[e.dst], e) for e in edges if e.dst in designations]


def _coverage(listings: list[Listing]) -> dict[str, ListCoverage]:
    by_list: dict[str, list[Listing]] = defaultdict(list)
    for x in listings:
        by_list[x.list_key].append(x)
    out = {}
    for key, xs in sorted(by_list.items()):
        active = sum(1 for x in xs if x.active)
        p = xs[0].designation.props
        out[key] = ListCoverage(
            key=key,
            name=str(p.get("list_name") or key),
            legal_effect=str(p.get("legal_effect") or ""),
            entries=len(xs),
            active=active,
            delisted=len(xs) - active,
            versions=tuple(sorted({x.designation.provenance.dataset_version for x in xs})),
            retrieved_at=max(x.designation.provenance.retrieved_at for x in xs),
        )
    return out


def concern_index(
    store: GraphStore,
    lists: ListsView | None = None,
    policy: SameAsPolicy | None = None,
) -> ConcernIndex:
    """Every node that is, or is effectively the same as, an active designated entity of concern."""
    lists = lists or AllListsCount()
    policy = policy or same_as_policy(store)
    version = store.version()
    listings = _listings(store)
    coverage = _coverage(listings)
    names = {n.id: tuple(searchable_names(n)) for n in store.get_nodes({x.entity for x in listings}).values()}
    folded = tuple((e, fold(name)) for e, forms in sorted(names.items()) for name in forms)
    by_entity: dict[str, list[Listing]] = defaultdict(list)
    for listing in listings:
        if listing.active and list_weight(lists, listing.list_key) > 0:
            by_entity[listing.entity].append(listing)
    entities = sorted(by_entity)
    if not entities:
        return ConcernIndex({}, 0, version, coverage, names, folded)
    g = store.subgraph(SubgraphQuery(tuple(entities), hops=CLASS_HOPS, edge_kinds=frozenset({EdgeKind.SAME_AS})))
    hits: dict[str, list[ConcernHit]] = defaultdict(list)
    for entity, chains in chains_from(g, entities, policy).items():
        for member, via in chains.items():
            hits[member].extend(ConcernHit(listing, via) for listing in by_entity[entity])
    ordered = {n: tuple(sorted(h, key=lambda x: (len(x.via), x.listing.designation.id))) for n, h in hits.items()}
    return ConcernIndex(ordered, len(entities), version, coverage, names, folded)


_SHARED: weakref.WeakKeyDictionary[GraphStore, tuple[ListsView, SameAsPolicy, ConcernIndex]]
_SHARED = weakref.WeakKeyDictionary()


def shared_concern_index(
    store: GraphStore, lists: ListsView | None = None, policy: SameAsPolicy | None = None
) -> ConcernIndex:
    """:func:`concern_index`, built once and reused while the store version, ``lists`` and ``policy`` stay equal.

    Kept per store object (weakly) in this process, the last one built: what a
    long-running caller that keeps no index of its own reuses between checks.
    """
    lists = lists or AllListsCount()
    policy = policy or same_as_policy(store)
    known = _SHARED.get(store)
    if known is not None and known[2].version == store.version() and known[0] == lists and known[1] == policy:
        return known[2]
    index = concern_index(store, lists, policy)
    _SHARED[store] = (lists, policy, index)
    return index


@dataclass(frozen=True, slots=True)
class ConcernNeighbourhood:
    """Every edge that touches a designated entity (or its equivalents), by its other end.

    Built once per store version with :func:`concern_neighbourhood`; lets a
    batch of tie searches skip fetching the last hop.
    """

    edges: Mapping[str, tuple[tuple[str, str, str, Mapping[str, Any]], ...]]  # node → (src, dst, key, data)
    nodes: Mapping[str, Mapping[str, Any]]  # node data of every endpoint
    version: int


def concern_neighbourhood(store: GraphStore, concern: ConcernIndex, kinds: frozenset[EdgeKind]) -> ConcernNeighbourhood:
    """Edges of ``kinds`` within one organisation step of a designated entity, indexed by both endpoints.

    That is every edge incident to a node of ``concern``, and every
    PARTICIPATED_IN / FUNDED_BY edge of a project or award (half a step) that
    such a node is linked to: everything the last step of a path can use.
    """
    if not concern.hits:
        return ConcernNeighbourhood({}, {}, concern.version)
    g = store.subgraph(SubgraphQuery(tuple(sorted(concern.hits)), hops=1, edge_kinds=kinds))
    shared = sorted({n for n, d in g.nodes(data=True) if d.get("kind") in ("Project", "Award")} - set(concern.hits))
    half = frozenset({EdgeKind.PARTICIPATED_IN, EdgeKind.FUNDED_BY}) & kinds
    parts = [g]
    if shared and half:
        parts.append(store.subgraph(SubgraphQuery(tuple(shared), hops=1, edge_kinds=half)))
    edges: dict[str, dict[str, tuple[str, str, str, Mapping[str, Any]]]] = defaultdict(dict)
    nodes: dict[str, Mapping[str, Any]] = {}
    for part in parts:
        for n, d in part.nodes(data=True):
            nodes.setdefault(n, {k: v for k, v in d.items() if k != "distance"})
        for u, v, key, data in part.edges(keys=True, data=True):
            edges[u][key] = edges[v][key] = (u, v, key, data)
    return ConcernNeighbourhood({n: tuple(es.values()) for n, es in edges.items()}, nodes, concern.version)
