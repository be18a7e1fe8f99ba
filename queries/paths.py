"""Strongest hop-bounded paths over scored links: pure functions, no store.

:func:`weighted_links` turns a store subgraph (a typed networkx multigraph)
into an undirected adjacency whose entries carry the strongest kind of tie
between two nodes, scored by :mod:`queries.scoring` from edge kinds, counts
and dates only. :func:`best_paths` finds, for every node, the cheapest path
of at most ``max_hops`` edges from any seed (cost = -log strength, so
cheapest = strongest), never passing *through* a blocked node (a pruned
hub). It is an exact hop-layered Bellman-Ford; equal costs go to fewer hops,
then to the smaller predecessor id, so results do not depend on the order
in which edges arrived.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from queries.scoring import Scoring, edge_strength, link_facts, step_cost

__all__ = ["EdgeFilter", "EdgeRef", "Link", "Links", "Paths", "add_links", "best_paths", "weighted_links"]

_EPS = 1e-12

EdgeRef = tuple[str, str, str, Mapping[str, Any]]  # src, dst, edge id, edge data
EdgeFilter = Callable[[str, str, Mapping[str, Any]], bool]


@dataclass(frozen=True, slots=True)
class Link:
    """The strongest kind of tie between two nodes, and the stored edges behind it."""

    kind: str
    strength: float
    cost: float
    edges: tuple[EdgeRef, ...] = field(compare=False)


Links = dict[str, dict[str, Link]]  # symmetric adjacency: links[u][v] is links[v][u]


def _grouped(g: nx.MultiDiGraph, keep: EdgeFilter) -> dict[tuple[str, str], dict[str, list[EdgeRef]]]:
    groups: dict[tuple[str, str], dict[str, list[EdgeRef]]] = {}
    for u, v, key, data in g.edges(keys=True, data=True):
        if keep(u, v, data):
            pair = (u, v) if u < v else (v, u)
            groups.setdefault(pair, {}).setdefault(data["kind"], []).append((u, v, key, data))
    return groups


def _strongest(by_kind: Mapping[str, list[EdgeRef]], year: int, scoring: Scoring) -> Link | None:
    best: Link | None = None
    for kind in sorted(by_kind):
        refs = by_kind[kind]
        strength = edge_strength(link_facts(kind, (r[3] for r in refs)), year, scoring)
        if strength <= 0.0:
            continue
        cost = step_cost(strength, kind, scoring)
        if best is None or cost < best.cost - _EPS:
            best = Link(kind, strength, cost, tuple(sorted(refs, key=lambda r: r[2])))
    return best


def weighted_links(g: nx.MultiDiGraph, year: int, scoring: Scoring, keep: EdgeFilter) -> Links:
    """One scored link per linked pair of ``g`` (only edges ``keep`` accepts)."""
    links: Links = {n: {} for n in g.nodes}
    add_links(links, g, year, scoring, keep)
    return links


def add_links(links: Links, g: nx.MultiDiGraph, year: int, scoring: Scoring, keep: EdgeFilter) -> None:
    """Add the pairs of ``g`` not yet linked (all edges of a pair arrive in one fetch)."""
    for n in g.nodes:
        links.setdefault(n, {})
    for (u, v), by_kind in _grouped(g, keep).items():
        if v in links[u]:
            continue
        link = _strongest(by_kind, year, scoring)
        if link is not None:
            links[u][v] = link
            links[v][u] = link


@dataclass(frozen=True, slots=True)
class Paths:
    """Best cost per reachable node, and the predecessors to trace each path."""

    cost: Mapping[str, float]
    layer: Mapping[str, int]
    parent: tuple[Mapping[str, str], ...]  # parent[layer][node]

    def path(self, node: str) -> tuple[str, ...]:
        out, layer = [node], self.layer[node]
        while layer > 0:
            node = self.parent[layer][node]
            layer -= 1
            out.append(node)
        return tuple(reversed(out))


def best_paths(links: Links, seeds: Iterable[str], max_hops: int, *, blocked: Collection[str] = frozenset()) -> Paths:
    """Cheapest ≤ ``max_hops`` path from the seeds to every reachable node.

    Nodes in ``blocked`` (pruned hubs) may end a path but never lie inside one.
    """
    start = sorted(s for s in set(seeds) if s in links)
    cost: dict[str, float] = dict.fromkeys(start, 0.0)
    layer_of: dict[str, int] = dict.fromkeys(start, 0)
    parents: list[dict[str, str]] = [{}]
    frontier = start
    for layer in range(1, max_hops + 1):
        improved: dict[str, tuple[float, str]] = {}
        for u in frontier:
            if layer_of[u] > 0 and u in blocked:
                continue
            base = cost[u]
            for v, link in links[u].items():
                c = base + link.cost
                if c >= cost.get(v, float("inf")) - _EPS:
                    continue
                old = improved.get(v)
                if old is None or c < old[0] - _EPS or (c <= old[0] + _EPS and u < old[1]):
                    improved[v] = (c, u)
        parents.append({v: u for v, (_c, u) in improved.items()})
        for v, (c, _u) in improved.items():
            cost[v], layer_of[v] = c, layer
        frontier = list(improved)
        if not frontier:
            break
    return Paths(cost, layer_of, tuple(parents))
