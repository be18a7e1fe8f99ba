"""Fetch the part of a k-hop neighbourhood that can hold a tie strong enough to report.

A tie's strength never exceeds the strength of any of its prefixes (every
step multiplies by a factor ≤ 1, list weights are ≤ 1). So instead of one
k-hop request, :func:`expand` grows the neighbourhood one hop at a time and
only expands nodes whose strongest path so far reaches ``min_strength``:
every tie at least that strong is fully inside the result, and
``min_strength=0`` gives exactly the store's k-hop subgraph semantics
(``SubgraphQuery`` with ``degree_cap``). A node (other than a seed) with
more than ``degree_cap`` edges of any kind is a hub: reached, never
expanded, and reported in ``graph["pruned"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx

from graph.model import EdgeKind
from graph.store import GraphStore, SubgraphQuery
from queries.paths import EdgeFilter, best_paths, weighted_links
from queries.scoring import Scoring, prefix_cost_limit

__all__ = ["Expansion", "expand", "latest_retrieval"]


@dataclass(slots=True)
class Expansion:
    """The graph grown so far and what was decided on the way."""

    graph: nx.MultiDiGraph
    expanded: set[str] = field(default_factory=set)
    pruned: set[str] = field(default_factory=set)
    degrees: dict[str, int] = field(default_factory=dict)


def _absorb(into: nx.MultiDiGraph, part: nx.MultiDiGraph, hop: int) -> None:
    for n, data in part.nodes(data=True):
        if n not in into:
            into.add_node(n, **{**data, "distance": hop + data.get("distance", 0)})
    for u, v, k, data in part.edges(keys=True, data=True):
        if not into.has_edge(u, v, k):
            into.add_edge(u, v, key=k, **data)


def _fetch(store: GraphStore, frontier: Sequence[str], kinds: frozenset[EdgeKind], since: str | None) -> nx.MultiDiGraph:
    return store.subgraph(SubgraphQuery(tuple(frontier), hops=1, edge_kinds=kinds, since=since))


def _is_hub(store: GraphStore, node: str, cap: int | None, state: Expansion) -> bool:
    if cap is None:
        return False
    if node not in state.degrees:
        state.degrees[node] = store.degree(node)
    return state.degrees[node] > cap


def expand(
    store: GraphStore,
    seeds: Sequence[str],
    *,
    max_hops: int,
    kinds: frozenset[EdgeKind],
    keep: EdgeFilter,
    since: str | None,
    degree_cap: int | None,
    min_strength: float,
    scoring: Scoring,
    as_of: str | None,
) -> nx.MultiDiGraph:
    """Every node and edge on a path of ≤ ``max_hops`` from the seeds with all prefixes ≥ ``min_strength``.

    ``as_of`` (ISO date) anchors recency; by default the latest retrieval date
    among the seeds and their neighbours, so the same store gives the same answer.
    """
    state = Expansion(_fetch(store, seeds, kinds, since))
    state.expanded.update(seeds)
    as_of = as_of or latest_retrieval(state.graph)
    year = int(as_of[:4])
    limit = prefix_cost_limit(min_strength, scoring)
    links = weighted_links(state.graph, year, scoring, keep)
    for hop in range(1, max_hops):
        found = best_paths(links, seeds, hop, blocked=state.pruned)
        candidates = sorted(n for n, p in found.items() if p.cost <= limit and n not in state.expanded | state.pruned)
        frontier = [n for n in candidates if not _is_hub(store, n, degree_cap, state)]
        state.pruned.update(n for n in candidates if n not in frontier)
        state.expanded.update(frontier)
        if not frontier:
            break
        part = _fetch(store, frontier, kinds, since)
        _absorb(state.graph, part, hop)
        fresh = weighted_links(part, year, scoring, keep)
        links.add_nodes_from(fresh.nodes)
        links.add_edges_from((u, v, d) for u, v, d in fresh.edges(data=True) if not links.has_edge(u, v))
    state.graph.graph.update(seeds=list(seeds), hops=max_hops, pruned=sorted(state.pruned), as_of=as_of)
    return state.graph


def latest_retrieval(g: nx.MultiDiGraph) -> str:
    """The latest retrieval date (YYYY-MM-DD) among a graph's records: the data's own date."""
    dates = [d["provenance"]["retrieved_at"][:10] for _n, d in g.nodes(data=True) if d.get("provenance")]
    return max(dates, default="1970-01-01")
