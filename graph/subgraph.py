"""Building networkx graphs from records, and the reference k-hop expansion.

Every store returns subgraphs built by :func:`to_networkx`; the contract
tests compare them with :func:`reference_subgraph`, a plain networkx
implementation of :class:`graph.store.SubgraphQuery` semantics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from graph.model import Edge, Node
from graph.store import SubgraphQuery
from graph.window import overlaps

__all__ = ["edge_passes", "reference_subgraph", "to_networkx"]


def edge_passes(edge: Edge, query: SubgraphQuery) -> bool:
    if query.edge_kinds is not None and edge.kind not in query.edge_kinds:
        return False
    return overlaps(edge.start, edge.end, query.since, query.until)


def to_networkx(
    nodes: Iterable[Node],
    edges: Iterable[Edge],
    *,
    query: SubgraphQuery,
    distance: Mapping[str, int],
    pruned: Iterable[str],
) -> nx.MultiDiGraph:
    """The standard graph shape every store returns."""
    g = nx.MultiDiGraph(
        seeds=list(query.seeds),
        hops=query.hops,
        pruned=sorted(pruned),
    )
    for n in sorted(nodes, key=lambda n: n.id):
        g.add_node(
            n.id,
            kind=n.kind.value,
            name=n.name,
            props=dict(n.props),
            provenance=n.provenance.as_dict(),
            distance=distance[n.id],
        )
    for e in sorted(edges, key=lambda e: e.id):
        g.add_edge(
            e.src,
            e.dst,
            key=e.id,
            kind=e.kind.value,
            edge_key=e.key,
            start=e.start,
            end=e.end,
            props=dict(e.props),
            provenance=e.provenance.as_dict(),
        )
    return g


def reference_subgraph(nodes: Iterable[Node], edges: Iterable[Edge], query: SubgraphQuery) -> nx.MultiDiGraph:
    """The k-hop neighbourhood computed naively in networkx (the oracle)."""
    by_id = {n.id: n for n in nodes}
    all_edges = list(edges)
    degree: dict[str, int] = dict.fromkeys(by_id, 0)
    incident: dict[str, list[Edge]] = {n: [] for n in by_id}
    for e in all_edges:
        degree[e.src] += 1
        degree[e.dst] += 1
        if edge_passes(e, query):
            incident[e.src].append(e)
            incident[e.dst].append(e)
    seeds = [s for s in query.seeds if s in by_id]
    distance = dict.fromkeys(seeds, 0)
    pruned: set[str] = set()
    kept: dict[str, Edge] = {}
    frontier = list(seeds)
    for hop in range(query.hops):
        nxt: list[str] = []
        for nid in frontier:
            if nid not in query.seeds and query.degree_cap is not None and degree[nid] > query.degree_cap:
                pruned.add(nid)
                continue
            for e in incident[nid]:
                kept[e.id] = e
                other = e.dst if e.src == nid else e.src
                if other not in distance:
                    distance[other] = hop + 1
                    nxt.append(other)
        frontier = nxt
    return to_networkx((by_id[n] for n in distance), kept.values(), query=query, distance=distance, pruned=pruned)
