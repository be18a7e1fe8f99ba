"""Indirect ties of an organisation to entities of concern, ranked and explained.

``ties(store, org_id)`` grows the neighbourhood of the organisation and its
equivalent records (hierarchy, co-authorship, shared projects, funding and
effective SAME_AS edges) through the store (:mod:`queries.expand`; hubs
above ``degree_cap`` edges are reached but not expanded and are reported),
then finds, for every designated entity in reach, the strongest path of at
most ``max_hops`` organisation steps that does not pass through a hub
(:mod:`queries.paths`). Strength = list weight × the product over edges of
(kind weight × log-scaled work count × recency) × hop decay per step
(:mod:`queries.scoring`); SAME_AS links join records of one organisation and
are no step. Every step lists the stored edges behind it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from graph.model import EdgeKind
from graph.store import GraphStore
from queries.concern import ConcernHit, ConcernIndex, ConcernNeighbourhood, shared_concern_index
from queries.equivalence import SameAsPolicy, edge_from_nx, equivalents, same_as_policy
from queries.evidence import EdgeEvidence, ListEntry, edge_evidence, list_entry
from queries.expand import TERMINAL_KINDS, expand
from queries.lists import AllListsCount, ListsView, list_weight
from queries.paths import EdgeFilter, Links, Paths, best_paths, weighted_links
from queries.scoring import Level, Scoring, path_strength, proximity_level

__all__ = [
    "DEFAULT_DEGREE_CAP",
    "DEFAULT_MAX_EDGES",
    "DEFAULT_MIN_STRENGTH",
    "MAX_HOPS",
    "TIE_KINDS",
    "PathNode",
    "Step",
    "Tie",
    "TieSearch",
    "check_hops",
    "find_ties",
    "rank_ties",
    "ties",
]

MAX_HOPS = 4
DEFAULT_DEGREE_CAP = 1000
DEFAULT_MIN_STRENGTH = 0.01
DEFAULT_MAX_EDGES = 1_000
TIE_KINDS = frozenset(EdgeKind) - {EdgeKind.DESIGNATED_ON}


def check_hops(hops: int) -> None:
    if not 1 <= hops <= MAX_HOPS:
        raise ValueError(f"hops must be between 1 and {MAX_HOPS}, got {hops}")


@dataclass(frozen=True, slots=True)
class PathNode:
    id: str
    kind: str
    name: str


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a path: the strongest kind of tie between two nodes and its edges."""

    src: str
    dst: str
    kind: str
    strength: float
    evidence: tuple[EdgeEvidence, ...]


@dataclass(frozen=True, slots=True)
class Tie:
    """The strongest path from the organisation to one designated entity."""

    target: str  # the listed entity
    target_name: str
    strength: float
    level: Level
    hops: int  # organisation steps: SAME_AS links are not steps, organisation–project–organisation is one
    nodes: tuple[PathNode, ...]  # the organisation (or its equivalent) first, the listed entity last
    steps: tuple[Step, ...]
    listings: tuple[ListEntry, ...]  # its active designations of concern
    nearest: int = 0  # fewest organisation steps to the entity (a weaker path may be shorter)


@dataclass(frozen=True, slots=True)
class TieSearch:
    """Ties with what was searched: parameters, seeds, pruned hubs, and the seeds' own edges."""

    org_id: str
    seeds: tuple[str, ...]
    max_hops: int
    since: str | None
    degree_cap: int | None
    min_strength: float
    as_of: str
    ties: tuple[Tie, ...]
    pruned: tuple[PathNode, ...]
    examined_nodes: int
    examined_edges: int
    seed_graph: nx.MultiDiGraph = field(compare=False, repr=False)
    cutoff: float = 0.0  # > 0: the edge budget ran out; longer ties weaker than this may be missing


NodeData = Callable[[str], Mapping[str, Any]]


def _path_node(node_data: NodeData, node: str) -> PathNode:
    d = node_data(node)
    return PathNode(node, str(d.get("kind", "")), str(d.get("name", node)))


def _step(links: Links, u: str, v: str) -> Step:
    link = links[u][v]
    evidence = tuple(edge_evidence(edge_from_nx(a, b, data)) for a, b, _key, data in link.edges)
    return Step(u, v, link.kind, link.strength, evidence)


@dataclass(frozen=True, slots=True)
class _Candidate:
    entity: str
    strength: float
    hops: int  # organisation steps
    nodes: tuple[str, ...]
    hit: ConcernHit
    nearest: int = 0

    def rank(self) -> tuple[float, int, tuple[str, ...], int]:
        return (-self.strength, self.hops, self.nodes, len(self.hit.via))


def _candidates(
    found: Paths,
    links: Links,
    seeds: set[str],
    concern: ConcernIndex,
    lists: ListsView,
    scoring: Scoring,
) -> dict[str, _Candidate]:
    best: dict[str, _Candidate] = {}
    nearest: dict[str, int] = {}
    costs = found.cost
    for node in sorted(n for n in costs if n in concern.hits and n not in seeds):
        hits = concern.hits[node]
        level = found.best_level(node)
        if level == 0:
            continue  # the same organisation: a direct designation, not a tie
        nodes = found.path(node, level)
        lowest = ((found.lowest_level(node, math.inf) or 0) + 1) // 2
        for entity in sorted({hit.listing.entity for hit in hits}):
            nearest[entity] = min(nearest.get(entity, lowest), lowest)
            mine = [hit for hit in hits if hit.listing.entity == entity]
            weight = max(list_weight(lists, hit.listing.list_key) for hit in mine)
            c = _Candidate(entity, path_strength(costs[node], weight, scoring), (level + 1) // 2, nodes, mine[0])
            if entity not in best or c.rank() < best[entity].rank():
                best[entity] = c
    return {e: replace(c, nearest=nearest[e]) for e, c in best.items()}


def _tie(node_data: NodeData, links: Links, c: _Candidate, concern: ConcernIndex, scoring: Scoring) -> Tie:
    nodes = [_path_node(node_data, n) for n in c.nodes]
    steps = [_step(links, a, b) for a, b in zip(c.nodes, c.nodes[1:], strict=False)]
    for e in c.hit.via:
        nxt = e.dst if e.src == nodes[-1].id else e.src
        nodes.append(_path_node(node_data, nxt))
        steps.append(Step(nodes[-2].id, nxt, "SAME_AS", 1.0, (edge_evidence(e),)))
    reached = concern.hits.get(c.nodes[-1], ())
    listings = sorted(
        {x.listing.designation.id: x.listing for x in reached if x.listing.entity == c.entity}.values(),
        key=lambda x: x.designation.id,
    )
    entries = tuple(list_entry(x.designation, x.edge, active=True) for x in listings)
    level = proximity_level(c.strength, scoring)
    return Tie(c.entity, nodes[-1].name, c.strength, level, c.hops, tuple(nodes), tuple(steps), entries, c.nearest)


def same_as_filter(policy: SameAsPolicy) -> EdgeFilter:
    """Keep every edge except SAME_AS links that do not hold."""

    def keep(u: str, v: str, data: Mapping[str, Any]) -> bool:
        return data["kind"] != "SAME_AS" or policy.holds(edge_from_nx(u, v, data))

    return keep


def _ranked(
    links: Links,
    node_data: NodeData,
    seeds: Sequence[str],
    blocked: Collection[str],
    *,
    max_hops: int,
    concern: ConcernIndex,
    lists: ListsView,
    scoring: Scoring,
    min_strength: float,
    found: Paths | None = None,
) -> tuple[Tie, ...]:
    found = found or best_paths(links, seeds, 2 * max_hops, blocked=blocked)
    best = _candidates(found, links, set(seeds), concern, lists, scoring)
    kept = (c for c in best.values() if c.hops == 1 or c.strength >= min_strength)
    return tuple(_tie(node_data, links, c, concern, scoring) for c in sorted(kept, key=_Candidate.rank))


def rank_ties(
    g: nx.MultiDiGraph,
    seeds: Sequence[str],
    *,
    max_hops: int,
    concern: ConcernIndex,
    lists: ListsView,
    policy: SameAsPolicy,
    scoring: Scoring,
    as_of: str,
    min_strength: float = 0.0,
) -> tuple[Tie, ...]:
    """The ranked ties in one store subgraph (no store access): the reference semantics.

    Pruned hubs (``g.graph["pruned"]``) never lie inside a path. Ties of one
    hop are always kept; longer ones only from ``min_strength`` up.
    """
    links = weighted_links(g, int(as_of[:4]), scoring, same_as_filter(policy))
    node_data: NodeData = lambda n: g.nodes[n] if n in g else {"kind": "", "name": n}  # noqa: E731
    terminal = {n for n, d in g.nodes(data=True) if d.get("kind") in TERMINAL_KINDS}
    blocked = frozenset(g.graph.get("pruned", ())) | terminal
    return _ranked(
        links,
        node_data,
        seeds,
        blocked,
        max_hops=max_hops,
        concern=concern,
        lists=lists,
        scoring=scoring,
        min_strength=min_strength,
    )


def find_ties(
    store: GraphStore,
    org_id: str,
    *,
    max_hops: int = 3,
    since: str | None = None,
    degree_cap: int | None = DEFAULT_DEGREE_CAP,
    min_strength: float = DEFAULT_MIN_STRENGTH,
    lists: ListsView | None = None,
    scoring: Scoring | None = None,
    as_of: str | None = None,
    concern: ConcernIndex | None = None,
    policy: SameAsPolicy | None = None,
    cache: ConcernNeighbourhood | None = None,
    max_edges: int | None = DEFAULT_MAX_EDGES,
    records: Sequence[str] | None = None,
) -> TieSearch:
    """Ties of ``org_id`` with the search that found them (seeds, pruned hubs, seed subgraph).

    Every tie of one hop, and every longer tie of strength ≥ ``min_strength``,
    is found with its strongest path; weaker ones are not searched (0
    searches everything). ``cache`` (for batches) changes speed, not results.
    ``max_edges`` bounds the edges read beyond the organisation's own
    (strongest paths first); when it runs out, ``cutoff`` tells below which
    strength longer ties may be missing (None: no bound). ``records``: the
    organisation's equivalent records when the caller has them already.
    """
    check_hops(max_hops)
    lists = lists or AllListsCount()
    scoring = scoring or Scoring()
    policy = policy or same_as_policy(store)
    concern = concern or shared_concern_index(store, lists, policy)
    seeds = tuple(records) if records is not None else equivalents(store, org_id, policy).members
    grown = expand(
        store,
        seeds,
        max_hops=max_hops,
        kinds=TIE_KINDS,
        keep=same_as_filter(policy),
        since=since,
        degree_cap=degree_cap,
        min_strength=min_strength,
        scoring=scoring,
        as_of=as_of,
        cache=cache,
        max_edges=max_edges,
    )
    paths = best_paths(grown.links, seeds, 2 * max_hops, blocked=grown.blocked)
    found = _ranked(
        grown.links,
        grown.node,
        seeds,
        grown.blocked,
        max_hops=max_hops,
        concern=concern,
        lists=lists,
        scoring=scoring,
        min_strength=min_strength,
        found=paths,
    )
    pruned = tuple(_path_node(grown.node, n) for n in sorted(grown.pruned))
    return TieSearch(
        org_id,
        seeds,
        max_hops,
        since,
        degree_cap,
        min_strength,
        grown.as_of,
        _named(store, found),
        pruned,
        len(grown.nodes),
        grown.linked_pairs,
        grown.seed_graph,
        grown.final_cutoff(paths),
    )


def _named(store: GraphStore, found: tuple[Tie, ...]) -> tuple[Tie, ...]:
    """Fill in the names of listed entities that lie outside the searched graph."""
    missing = {t.target for t in found if t.nodes[-1].name == t.target}
    if not missing:
        return found
    nodes = store.get_nodes(missing)
    out = []
    for t in found:
        if t.target in nodes:
            n = nodes[t.target]
            ref = PathNode(n.id, n.kind.value, n.name)
            t = replace(t, target_name=n.name, nodes=(*t.nodes[:-1], ref))
        out.append(t)
    return tuple(out)


def ties(
    store: GraphStore,
    org_id: str,
    *,
    max_hops: int = 3,
    since: str | None = None,
    degree_cap: int | None = DEFAULT_DEGREE_CAP,
    min_strength: float = DEFAULT_MIN_STRENGTH,
    lists: ListsView | None = None,
    as_of: str | None = None,
    concern: ConcernIndex | None = None,
) -> list[Tie]:
    """Ranked ties of ``org_id`` to designated entities, strongest first."""
    search = find_ties(
        store,
        org_id,
        max_hops=max_hops,
        since=since,
        degree_cap=degree_cap,
        min_strength=min_strength,
        lists=lists,
        as_of=as_of,
        concern=concern,
    )
    return list(search.ties)
