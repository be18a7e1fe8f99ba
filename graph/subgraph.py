"""Building networkx graphs from records, and the reference k-hop expansion.

Every store returns subgraphs built by :func:`to_networkx`; the contract
tests compare them with :func:`reference_subgraph`, a plain networkx
implementation of :class:`graph.store.SubgraphQuery` semantics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph.model import Edge, Node
from graph.store import SubgraphQuery
from graph.window import overlaps

__all__ = ["edge_passes", "fill", "ids_networkx", "reference_subgraph", "to_networkx"]


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
    """The standard graph shape every store returns (ids only when ``query.attributes`` is False)."""
    if not query.attributes:
        return ids_networkx(
            {n.id: (n.kind.value, distance[n.id]) for n in nodes},
            [(e.src, e.dst, e.id, e.kind.value) for e in edges],
            query=query,
            pruned=pruned,
        )
    g = _empty(query, pruned)
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


def _empty(query: SubgraphQuery, pruned: Iterable[str]) -> nx.MultiDiGraph:
    return nx.MultiDiGraph(seeds=list(query.seeds), hops=query.hops, pruned=sorted(pruned))


def ids_networkx(
    nodes: Mapping[str, tuple[str, int]],
    edges: Iterable[tuple[str, str, str, str]],
    *,
    query: SubgraphQuery,
    pruned: Iterable[str],
) -> nx.MultiDiGraph:
    """The ids-only shape: nodes ``{id: (kind, distance)}``, edges ``(src, dst, edge id, kind)``."""
    g = _empty(query, pruned)
    fill(
        g,
        ((i, {"kind": k, "distance": d}) for i, (k, d) in nodes.items()),
        ((s, d, key, {"kind": k}) for s, d, key, k in edges),
    )
    return g


def fill(
    g: nx.MultiDiGraph,
    nodes: Iterable[tuple[str, dict[str, Any]]],
    edges: Iterable[tuple[str, str, str, dict[str, Any]]],
) -> None:
    """Add nodes, then edges between them (keys distinct), each sorted by id, as add_*_from would.

    Writes networkx's adjacency dicts directly: several times faster than
    ``add_edges_from`` on the tens of thousands of edges a 3-hop result holds.
    """
    node, succ, pred = g._node, g._succ, g._pred
    for n, attrs in sorted(nodes, key=lambda n: n[0]):
        node[n] = attrs
        succ[n] = {}
        pred[n] = {}
    for u, v, key, attrs in sorted(edges, key=lambda e: e[2]):
        for end in (u, v):
            if end not in node:
                node[end], succ[end], pred[end] = {}, {}, {}
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = {}
        keys[key] = attrs
    nx._clear_cache(g)


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
