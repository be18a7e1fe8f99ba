"""Strongest hop-bounded paths over scored links: pure functions, no store.

:func:`weighted_links` turns a store subgraph (a typed networkx multigraph)
into an undirected adjacency whose entries carry the strongest kind of tie
between two nodes, scored by :mod:`queries.scoring` from edge kinds, counts
and dates only. :func:`best_paths` finds, for every node, the cheapest path
from any seed within a budget of organisation steps (cost = -log strength,
so cheapest = strongest), never passing *through* a blocked node (a pruned
hub). Steps are counted as the sample story counts them: SAME_AS links
between records of one organisation are free, an organisation–project–
organisation path is one step. It is exact (labels settled level by level,
Pareto on steps and cost); equal costs go to fewer steps, then to the
smaller predecessor id, so results do not depend on the order edges arrived.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import networkx as nx

from queries.scoring import Scoring, edge_cost, edge_strength, half_steps, link_facts

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
    half: int  # organisation steps it counts for, in halves (0 for SAME_AS)
    edges: tuple[EdgeRef, ...] = field(compare=False)


Links = dict[str, dict[str, Link]]  # symmetric adjacency: links[u][v] is links[v][u]


def _grouped(g: nx.MultiDiGraph, keep: EdgeFilter, links: Links) -> dict[tuple[str, str], dict[str, list[EdgeRef]]]:
    """The edges of ``g`` by pair and kind, but for pairs ``links`` holds already."""
    groups: dict[tuple[str, str], dict[str, list[EdgeRef]]] = {}
    empty: dict[str, Link] = {}
    for u, v, key, data in g.edges(keys=True, data=True):
        if v not in links.get(u, empty) and keep(u, v, data):
            pair = (u, v) if u < v else (v, u)
            groups.setdefault(pair, {}).setdefault(data["kind"], []).append((u, v, key, data))
    return groups


_edge_key = itemgetter(2)


def _strongest(by_kind: Mapping[str, list[EdgeRef]], year: int, scoring: Scoring) -> Link | None:
    best: Link | None = None
    for kind in by_kind if len(by_kind) == 1 else sorted(by_kind):
        refs = by_kind[kind]
        strength = edge_strength(link_facts(kind, (r[3] for r in refs)), year, scoring)
        if strength <= 0.0:
            continue
        cost = edge_cost(strength, kind, scoring)
        if best is None or cost < best.cost - _EPS:
            ordered = tuple(refs) if len(refs) == 1 else tuple(sorted(refs, key=_edge_key))
            best = Link(kind, strength, cost, half_steps(kind), ordered)
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
    for (u, v), by_kind in _grouped(g, keep, links).items():
        link = _strongest(by_kind, year, scoring)
        if link is not None:
            links[u][v] = link
            links[v][u] = link


Label = tuple[float, str | None, int]  # cost, predecessor, predecessor's level


@dataclass(frozen=True, slots=True)
class Paths:
    """Pareto-best labels per node: ``levels[level][node] = (cost, predecessor, its level)``.

    A level counts organisation steps in halves. A node has a label at a
    level only when it is cheaper there than at every lower level.
    """

    levels: tuple[Mapping[str, Label], ...]

    @property
    def cost(self) -> dict[str, float]:
        """The cheapest cost per node (within the step budget)."""
        out: dict[str, float] = {}
        for labels in self.levels:
            for node, (c, _p, _l) in labels.items():
                out[node] = c
        return out

    def best_level(self, node: str) -> int:
        return max(level for level, labels in enumerate(self.levels) if node in labels)

    def cheapest_below(self, node: str, top: int) -> float | None:
        """The cheapest cost of ``node`` among its labels below level ``top``."""
        costs = [labels[node][0] for labels in self.levels[:top] if node in labels]
        return min(costs) if costs else None

    def lowest_level(self, node: str, limit: float) -> int | None:
        """The lowest level at which ``node`` is reached at cost ≤ ``limit``."""
        return next((lv for lv, labels in enumerate(self.levels) if node in labels and labels[node][0] <= limit), None)

    def path(self, node: str, level: int | None = None) -> tuple[str, ...]:
        lv: int = self.best_level(node) if level is None else level
        out = [node]
        _c, prev, prev_level = self.levels[lv][node]
        while prev is not None:
            out.append(prev)
            _c, prev, prev_level = self.levels[prev_level][prev]
        return tuple(reversed(out))


def _better(c: float, u: str, old: tuple[float, str] | None) -> bool:
    return old is None or c < old[0] - _EPS or (c <= old[0] + _EPS and u < old[1])


def best_paths(links: Links, seeds: Iterable[str], budget: int, *, blocked: Collection[str] = frozenset()) -> Paths:
    """Cheapest path from the seeds to every node within ``budget`` half-steps.

    Nodes in ``blocked`` (pruned hubs) may end a path but never lie inside one.
    Labels are settled level by level; within a level, SAME_AS links (no
    step) are followed by a Dijkstra pass; a label is kept only when it beats
    every label of the node at a lower level (fewer steps win ties).
    """
    seeds = sorted(s for s in set(seeds) if s in links)
    best: dict[str, float] = {}
    levels: list[dict[str, Label]] = []
    pending: list[dict[str, tuple[float, str, int]]] = [{} for _ in range(budget + 1)]
    for s in seeds:
        pending[0][s] = (0.0, "", -1)
    for level in range(budget + 1):
        settled = _settle(links, level, pending[level], best, blocked, set(seeds))
        levels.append(settled)
        for u, (cost, _p, _l) in settled.items():
            if u in blocked and u not in seeds:
                continue
            for v, link in links[u].items():
                target = level + link.half
                if link.half == 0 or target > budget:
                    continue
                c = cost + link.cost
                old = pending[target].get(v)
                if c < best.get(v, math.inf) - _EPS and _better(c, u, None if old is None else (old[0], old[1])):
                    pending[target][v] = (c, u, level)
    return Paths(tuple(levels))


def _settle(
    links: Links,
    level: int,
    arrivals: Mapping[str, tuple[float, str, int]],
    best: dict[str, float],
    blocked: Collection[str],
    seeds: set[str],
) -> dict[str, Label]:
    """Labels of one level: arrivals that beat lower levels, closed over SAME_AS links."""
    settled: dict[str, Label] = {}
    heap = [(c, v, u, lv) for v, (c, u, lv) in arrivals.items() if c < best.get(v, math.inf) - _EPS]
    heapq.heapify(heap)
    while heap:
        c, v, u, lv = heapq.heappop(heap)
        if v in settled:
            continue
        settled[v] = (c, u or None, lv)
        best[v] = c
        if v in blocked and v not in seeds:
            continue
        for w, link in links[v].items():
            if link.half == 0 and w not in settled and c + link.cost < best.get(w, math.inf) - _EPS:
                heapq.heappush(heap, (c + link.cost, w, v, level))
    return settled
