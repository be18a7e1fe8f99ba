"""Strongest hop-bounded paths on a subgraph: pure functions over networkx.

:func:`weighted_links` turns the store's typed multigraph into a simple
undirected graph whose edges carry the strongest kind of tie between two
nodes (scored by :mod:`queries.scoring` from edge kinds, counts and dates
only). :func:`best_paths` then finds, for every node, the cheapest path of at
most ``max_hops`` edges from any seed (cost = -log strength, so cheapest =
strongest), never passing *through* a pruned hub. It is an exact
hop-layered Bellman-Ford, so paths never exceed the hop bound; ties in cost
go to fewer hops, then to the smaller node ids, so results are deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from queries.scoring import Scoring, edge_strength, link_facts, step_cost

__all__ = ["Link", "PathResult", "best_paths", "weighted_links"]

_EPS = 1e-12


@dataclass(frozen=True, slots=True)
class Link:
    """The strongest kind of tie between two nodes, and the edges behind it."""

    kind: str
    strength: float
    cost: float
    edge_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PathResult:
    """Cheapest path from a seed to ``target`` (node ids, seed first)."""

    target: str
    nodes: tuple[str, ...]
    cost: float


EdgeFilter = Callable[[str, str, Mapping[str, Any]], bool]


def _grouped(g: nx.MultiDiGraph, keep: EdgeFilter) -> dict[tuple[str, str], dict[str, list[tuple[str, Any]]]]:
    groups: dict[tuple[str, str], dict[str, list[tuple[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for u, v, key, data in g.edges(keys=True, data=True):
        if keep(u, v, data):
            pair = (u, v) if u < v else (v, u)
            groups[pair][data["kind"]].append((key, data))
    return groups


def weighted_links(g: nx.MultiDiGraph, as_of_year: int, scoring: Scoring, keep: EdgeFilter) -> nx.Graph:
    """One undirected edge per linked pair, holding its strongest :class:`Link`."""
    h = nx.Graph()
    h.add_nodes_from(g.nodes)
    for (u, v), by_kind in sorted(_grouped(g, keep).items()):
        best: Link | None = None
        for kind, edges in sorted(by_kind.items()):
            strength = edge_strength(link_facts(kind, (d for _k, d in edges)), as_of_year, scoring)
            if strength <= 0.0:
                continue
            link = Link(kind, strength, step_cost(strength, kind, scoring), tuple(sorted(k for k, _d in edges)))
            if best is None or link.cost < best.cost - _EPS:
                best = link
        if best is not None:
            h.add_edge(u, v, link=best)
    return h


def best_paths(
    h: nx.Graph,
    seeds: Iterable[str],
    max_hops: int,
    *,
    blocked: Collection[str] = frozenset(),
) -> dict[str, PathResult]:
    """Cheapest ≤ ``max_hops`` path from the seeds to every reachable node.

    Nodes in ``blocked`` (pruned hubs) may end a path but never lie inside one.
    """
    start = sorted(s for s in set(seeds) if s in h)
    cost: dict[str, float] = dict.fromkeys(start, 0.0)
    parent: list[dict[str, str]] = [{}]  # parent[layer][node]
    layer_of: dict[str, int] = dict.fromkeys(start, 0)
    frontier = start
    for layer in range(1, max_hops + 1):
        improved: dict[str, tuple[float, str]] = {}
        for u in frontier:
            if u in blocked and layer_of[u] > 0:
                continue
            base = cost[u]
            for v in sorted(h.adj[u]):
                c = base + h.adj[u][v]["link"].cost
                old = improved.get(v)
                if c < cost.get(v, float("inf")) - _EPS and (old is None or c < old[0] - _EPS):
                    improved[v] = (c, u)
        parent.append({})
        for v, (c, u) in improved.items():
            cost[v], layer_of[v] = c, layer
            parent[layer][v] = u
        frontier = sorted(improved)
        if not frontier:
            break
    return {n: PathResult(n, _trace(n, layer_of[n], parent), cost[n]) for n in cost}


def _trace(node: str, layer: int, parent: list[dict[str, str]]) -> tuple[str, ...]:
    path = [node]
    while layer > 0:
        node = parent[layer][node]
        layer -= 1
        path.append(node)
    return tuple(reversed(path))
