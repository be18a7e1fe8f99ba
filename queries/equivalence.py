"""Which SAME_AS links hold, and the records that are one organisation.

A SAME_AS edge is *effective* when resolution says the two records are the
same organisation: the link's band is ``match`` and no ``not_same``
judgement overrides it (a ``same`` judgement makes a weaker link hold, or
joins two records with no edge at all). Judgements are applied at read time
(:mod:`graph.resolve.judgements`), so re-ingesting never undoes them.
Possible links are not followed; :mod:`queries.limits` lists them as
awaiting review.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import networkx as nx

from graph.model import Edge, EdgeKind, Provenance
from graph.resolve.judgements import judged_policy, pair_key
from graph.store import GraphStore, SubgraphQuery

__all__ = [
    "BandPolicy",
    "Equivalents",
    "SameAsPolicy",
    "chains_from",
    "classes_of",
    "edge_from_nx",
    "equivalents",
    "same_as_policy",
]

CLASS_HOPS = 3  # list entry → ROR → OpenAlex → CORDIS is the longest chain we expect


class SameAsPolicy(Protocol):
    def holds(self, edge: Edge) -> bool: ...


@dataclass(frozen=True, slots=True)
class BandPolicy:
    """A SAME_AS link holds when its band is ``match`` (no judgements known)."""

    def holds(self, edge: Edge) -> bool:
        return edge.kind is EdgeKind.SAME_AS and edge.props.get("band") == "match"


def same_as_policy(store: GraphStore) -> SameAsPolicy:
    """The read-time SAME_AS policy of ``store``: bands with analysts' judgements applied."""
    return judged_policy(store)


def _judged_links(policy: SameAsPolicy) -> list[Edge]:
    """Links an analyst judged ``same`` (they hold even where no SAME_AS edge exists)."""
    pairs = getattr(policy, "same_pairs", None)
    if pairs is None:
        return []
    return [
        Edge(
            EdgeKind.SAME_AS,
            j.a,
            j.b,
            Provenance("judgement", pair_key(j.a, j.b), "", j.at, "judgements"),
            props={
                "score": 1.0,
                "band": "match",
                "method": "judgement",
                "explanation": f"confirmed by {j.by}: {j.why}",
            },
        )
        for j in sorted(pairs(), key=lambda j: (j.a, j.b))
    ]


def edge_from_nx(u: str, v: str, data: Mapping[str, Any]) -> Edge:
    """The Edge record behind one edge of a store subgraph."""
    return Edge.from_dict({**data, "src": u, "dst": v, "key": data.get("edge_key", "")})


@dataclass(frozen=True, slots=True)
class Equivalents:
    """Records that are one organisation with ``root``, and the links that say so."""

    root: str
    members: tuple[str, ...]  # root first, then sorted
    links: tuple[Edge, ...]


def _effective_graph(g: nx.MultiDiGraph, policy: SameAsPolicy) -> nx.Graph:
    h = nx.Graph()
    h.add_nodes_from(g.nodes)
    for u, v, data in sorted(g.edges(data=True), key=lambda t: (t[0], t[1])):
        if data["kind"] == EdgeKind.SAME_AS.value:
            e = edge_from_nx(u, v, data)
            if policy.holds(e):
                h.add_edge(u, v, edge=e)
    for e in _judged_links(policy):
        if (e.src in g or e.dst in g) and not h.has_edge(e.src, e.dst):
            h.add_edge(e.src, e.dst, edge=e)
    return h


def classes_of(g: nx.MultiDiGraph, roots: Iterable[str], policy: SameAsPolicy) -> dict[str, Equivalents]:
    """The equivalence class of each root within a SAME_AS subgraph."""
    h = _effective_graph(g, policy)
    out: dict[str, Equivalents] = {}
    for root in roots:
        if root not in h:
            out[root] = Equivalents(root, (root,), ())
            continue
        members = nx.node_connected_component(h, root)
        links = sorted((d["edge"] for _u, _v, d in h.subgraph(members).edges(data=True)), key=lambda e: e.id)
        out[root] = Equivalents(root, (root, *sorted(members - {root})), tuple(links))
    return out


def chains_from(
    g: nx.MultiDiGraph, roots: Iterable[str], policy: SameAsPolicy
) -> dict[str, dict[str, tuple[Edge, ...]]]:
    """For each root, every equivalent record and the SAME_AS links leading from it to the root."""
    h = _effective_graph(g, policy)
    out: dict[str, dict[str, tuple[Edge, ...]]] = {}
    for root in roots:
        if root not in h:
            out[root] = {root: ()}
            continue
        paths = nx.single_source_shortest_path(h, root)
        out[root] = {
            member: tuple(h.edges[a, b]["edge"] for a, b in zip(path[::-1], path[-2::-1], strict=False))
            for member, path in sorted(paths.items())
        }
    return out


def equivalents(store: GraphStore, org_id: str, policy: SameAsPolicy | None = None) -> Equivalents:
    """``org_id`` and every record linked to it by effective SAME_AS links."""
    policy = policy or same_as_policy(store)
    g = store.subgraph(SubgraphQuery((org_id,), hops=CLASS_HOPS, edge_kinds=frozenset({EdgeKind.SAME_AS})))
    return classes_of(g, [org_id], policy)[org_id]
