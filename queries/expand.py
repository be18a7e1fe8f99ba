"""Fetch the part of a neighbourhood that can hold a tie worth reporting.

A tie's strength never exceeds the strength of a prefix times the largest
factor one more edge can bring (:func:`queries.scoring.expansion_cost_limit`).
So instead of one k-hop request, :func:`expand` grows the neighbourhood
round by round (one ``SubgraphQuery`` of one hop per round) and expands only
nodes from which a tie of at least ``min_strength`` is still possible within
``max_hops`` organisation steps. Every tie of one step, and every longer tie
at least that strong, then lies wholly inside what was fetched, with its
strongest path; ``min_strength=0`` fetches every path of the step budget. A
node other than a seed with more than ``degree_cap`` edges of any kind is a
hub: reached, never expanded, and listed in ``pruned``. Funders end paths
but never carry them (:data:`TERMINAL_KINDS`).

With a :class:`~queries.concern.ConcernNeighbourhood` (built once per store
version; worth it for batches), nodes with at most one organisation step
left are not fetched: only their SAME_AS links are, and their edges to
designated entities (and to projects a designated entity takes part in)
are read from the cache, which holds all of those. The result is the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.model import EdgeKind
from graph.store import GraphStore, SubgraphQuery
from graph.window import overlaps
from queries.concern import ConcernNeighbourhood
from queries.paths import EdgeFilter, Links, Paths, add_links, best_paths
from queries.scoring import Scoring, expansion_cost_limit

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
    cache: ConcernNeighbourhood | None = None,
) -> Expansion:
    """Every node and edge on a path of ≤ ``max_hops`` organisation steps that can carry a reportable tie.

    ``as_of`` (ISO date) anchors recency; by default the latest retrieval date
    among the seeds and their neighbours, so the same store gives the same answer.
    """
    first = _fetch(store, seeds, kinds, since)
    as_of = as_of or latest_retrieval(first)
    year = int(as_of[:4])
    state = Expansion(first, {}, {}, as_of)
    _absorb(state, first, year, scoring, keep)
    state.expanded.update(seeds)
    budget, limit = 2 * max_hops, expansion_cost_limit(min_strength, scoring)
    shallow: dict[str, int] = {}  # expanded from the cache only, at this level
    while True:
        found = best_paths(state.links, seeds, budget, blocked=state.blocked)
        todo = _candidates(found, state, shallow, budget, limit)
        hubs = {n for n in todo if _is_hub(store, n, degree_cap, state)}
        state.pruned.update(hubs)
        frontier = sorted(n for n in todo if n not in hubs)
        if not frontier:
            return state
        near = [n for n in frontier if todo[n] >= budget - 2] if cache is not None else []
        far = [n for n in frontier if n not in set(near)]
        state.expanded.update(far)
        shallow.update((n, todo[n]) for n in near)
        if far:
            _absorb(state, _fetch(store, far, kinds, since), year, scoring, keep)
        if near and cache is not None:
            _absorb(state, _fetch(store, near, frozenset({EdgeKind.SAME_AS}), since), year, scoring, keep)
            _absorb(state, _from_cache(cache, near, kinds, since), year, scoring, keep)


def _candidates(
    found: Paths, state: Expansion, shallow: Mapping[str, int], budget: int, limit: float
) -> dict[str, int]:
    """Nodes to expand now, with the lowest step level at which a reportable tie can still pass them."""
    out: dict[str, int] = {}
    for n in found.cost:
        if n in state.expanded or n in state.pruned or n in state.terminal:
            continue
        level = found.lowest_level(n, limit)
        if level is None or level >= budget:
            continue
        if n in shallow and level >= budget - 2:
            continue  # read from the cache already, and still at most one step from the end
        out[n] = level
    return out


def latest_retrieval(g: nx.MultiDiGraph) -> str:
    """The latest retrieval date (YYYY-MM-DD) among a graph's records: the data's own date."""
    dates = [d["provenance"]["retrieved_at"][:10] for _n, d in g.nodes(data=True) if d.get("provenance")]
    return max(dates, default="1970-01-01")
