"""Fetch the part of a neighbourhood that can hold a tie worth reporting.

A tie's strength never exceeds the strength of a prefix times the largest
factor one more edge can bring (:func:`queries.scoring.expansion_cost_limit`).
So instead of one k-hop request, :func:`expand` grows the neighbourhood
round by round (one ``SubgraphQuery`` of one hop per round), strongest paths
first, and expands only nodes from which a tie of at least ``min_strength``
is still possible within ``max_hops`` organisation steps, until
``max_edges`` edges beyond the seeds' own have been read. Every direct tie,
and every longer tie stronger than both ``min_strength`` and the ``cutoff``
left by the edge budget, then lies wholly inside what was fetched, with its
strongest path; ``min_strength=0, max_edges=None`` fetches every path of the
step budget. A node other than a seed with more than ``degree_cap`` edges of
any kind is a hub: reached, never expanded, and listed in ``pruned``.
Funders end paths but never carry them (:data:`TERMINAL_KINDS`).

With a :class:`~queries.concern.ConcernNeighbourhood` (built once per store
version; worth it for batches), nodes with at most one organisation step
left are not fetched: only their SAME_AS links are, and their edges to
designated entities (and to projects a designated entity takes part in)
are read from the cache, which holds all of those. The result is the same.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.model import EdgeKind
from graph.store import GraphStore, SubgraphQuery
from graph.window import overlaps
from queries.concern import ConcernNeighbourhood
from queries.paths import EdgeFilter, Links, Paths, add_links, best_paths
from queries.scoring import Scoring, expansion_cost_limit, tie_bound

__all__ = ["TERMINAL_KINDS", "Expansion", "expand", "latest_retrieval"]

# Node kinds that may end a path but never carry one: two organisations funded by the same
# agency are not tied by it (a designated funder is still a tie of those it funds).
TERMINAL_KINDS = frozenset({"Funder"})


@dataclass(slots=True)
class Expansion:
    """What was fetched (node data, scored links, the seeds' own subgraph) and what was decided."""

    seed_graph: nx.MultiDiGraph  # the seeds and every edge of theirs
    links: Links
    nodes: dict[str, Mapping[str, Any]]  # node data by id, for every node reached
    as_of: str
    expanded: set[str] = field(default_factory=set)
    pruned: set[str] = field(default_factory=set)
    degrees: dict[str, int] = field(default_factory=dict)
    terminal: set[str] = field(default_factory=set)  # nodes of TERMINAL_KINDS
    cutoff: float = 0.0  # > 0 when the edge budget ran out: longer ties below it may be missing
    shallow: dict[str, int] = field(default_factory=dict)  # read from the cache only, at this level
    steps: int = 0  # the step budget, in halves
    limit: float = math.inf  # the expansion cost limit
    scoring: Scoring = field(default_factory=Scoring)

    def final_cutoff(self, found: Paths) -> float:
        """Once the edge budget ran out: the strongest tie an unexpanded node could still carry.

        ``found`` are the best paths over everything fetched (the ones ties are ranked on).
        """
        if not self.cutoff:
            return 0.0
        left = _candidates(found, self, self.steps, self.limit)
        cheapest = min((t.cost for t in left.values()), default=math.inf)  # tie_bound falls as cost grows
        return max(self.cutoff, tie_bound(cheapest, self.scoring)) if left else self.cutoff

    @property
    def blocked(self) -> set[str]:
        return self.pruned | self.terminal

    @property
    def linked_pairs(self) -> int:
        return sum(len(v) for v in self.links.values()) // 2

    def node(self, node_id: str) -> Mapping[str, Any]:
        return self.nodes.get(node_id) or {"kind": "", "name": node_id}


def _absorb(state: Expansion, part: nx.MultiDiGraph, year: int, scoring: Scoring, keep: EdgeFilter) -> None:
    for n, data in part.nodes(data=True):
        state.nodes.setdefault(n, data)
        if data.get("kind") in TERMINAL_KINDS:
            state.terminal.add(n)
    add_links(state.links, part, year, scoring, keep)


def _fetch(
    store: GraphStore, frontier: Sequence[str], kinds: frozenset[EdgeKind], since: str | None
) -> nx.MultiDiGraph:
    return store.subgraph(SubgraphQuery(tuple(frontier), hops=1, edge_kinds=kinds, since=since))


def _from_cache(
    cache: ConcernNeighbourhood, frontier: Sequence[str], kinds: frozenset[EdgeKind], since: str | None
) -> nx.MultiDiGraph:
    """What a fetch of ``frontier`` would bring that touches a designated entity."""
    part = nx.MultiDiGraph()
    wanted = {k.value for k in kinds}
    for f in frontier:
        for u, v, key, data in cache.edges.get(f, ()):
            if data["kind"] in wanted and overlaps(data.get("start"), data.get("end"), since, None):
                for n in (u, v):
                    if n not in part:
                        part.add_node(n, **cache.nodes[n], distance=0 if n == f else 1)
                part.add_edge(u, v, key=key, **data)
    return part


def _degree(store: GraphStore, node: str, state: Expansion) -> int:
    if node not in state.degrees:
        state.degrees[node] = store.degree(node)
    return state.degrees[node]


@dataclass(frozen=True, slots=True)
class _Todo:
    level: int  # lowest step level at which a reportable tie can still pass the node
    cost: float  # its cheapest cost below the budget


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
    cache: ConcernNeighbourhood | None = None,
    max_edges: int | None = None,
) -> Expansion:
    """Every node and edge on a path of ≤ ``max_hops`` organisation steps that can carry a reportable tie.

    ``as_of`` (ISO date) anchors recency; by default the latest retrieval date
    among the seeds and their neighbours, so the same store gives the same
    answer. ``max_edges`` bounds the edges read beyond the seeds' own: nodes
    are expanded strongest first, and if the budget runs out ``cutoff`` says
    below which strength a tie of two or more edges may be missing.
    """
    first = _fetch(store, seeds, kinds, since)
    as_of = as_of or latest_retrieval(first)
    year = int(as_of[:4])
    budget, limit = 2 * max_hops, expansion_cost_limit(min_strength, scoring)
    state = Expansion(first, {}, {}, as_of, steps=budget, limit=limit, scoring=scoring)
    _absorb(state, first, year, scoring, keep)
    state.expanded.update(seeds)
    shallow = state.shallow
    spent = 0
    while True:
        found = best_paths(state.links, seeds, budget, blocked=state.blocked)
        todo = _candidates(found, state, budget, limit)
        frontier: list[str] = []
        for n in sorted(todo, key=lambda n: (todo[n].cost, n)):
            if degree_cap is not None and _degree(store, n, state) > degree_cap:
                state.pruned.add(n)
                continue
            from_cache = cache is not None and todo[n].level >= budget - 2
            cost = 0 if from_cache else _degree(store, n, state)
            if max_edges is not None and spent + cost > max_edges:
                state.cutoff = tie_bound(todo[n].cost, scoring)
                break
            frontier.append(n)
            spent += cost
        if not frontier:
            return state
        near = [n for n in frontier if todo[n].level >= budget - 2] if cache is not None else []
        far = [n for n in frontier if n not in set(near)]
        state.expanded.update(far)
        shallow.update((n, todo[n].level) for n in near)
        if far:
            _absorb(state, _fetch(store, far, kinds, since), year, scoring, keep)
        if near and cache is not None:
            _absorb(state, _fetch(store, near, frozenset({EdgeKind.SAME_AS}), since), year, scoring, keep)
            _absorb(state, _from_cache(cache, near, kinds, since), year, scoring, keep)
        if state.cutoff:
            return state  # the budget is spent; the final cutoff needs the ranking's paths


def _candidates(found: Paths, state: Expansion, budget: int, limit: float) -> dict[str, _Todo]:
    """Nodes to expand now: reached within the step budget by a path that can still carry a reportable tie.

    One pass over the labels below the budget: per node the lowest level reached at cost ≤ ``limit``
    and the cheapest cost below the budget.
    """
    lowest: dict[str, int] = {}
    cheapest: dict[str, float] = {}
    expanded, pruned, terminal = state.expanded, state.pruned, state.terminal
    for level, labels in enumerate(found.levels[:budget]):
        for n, (c, _p, _l) in labels.items():
            if n in expanded or n in pruned or n in terminal:
                continue
            if c <= limit and n not in lowest:
                lowest[n] = level
            if c < cheapest.get(n, math.inf):
                cheapest[n] = c
    shallow, deep = state.shallow, budget - 2
    return {n: _Todo(lv, cheapest[n]) for n, lv in lowest.items() if not (n in shallow and lv >= deep)}


def latest_retrieval(g: nx.MultiDiGraph) -> str:
    """The latest retrieval date (YYYY-MM-DD) among a graph's records: the data's own date."""
    dates = [d["provenance"]["retrieved_at"][:10] for _n, d in g.nodes(data=True) if d.get("provenance")]
    return max(dates, default="1970-01-01")
