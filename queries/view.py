"""A neighbourhood as an analyst sees it: one node per organisation, one edge per kind of tie.

Pure functions over a store subgraph (no store access). Records that are one
organisation (effective SAME_AS) become one *view node* named after its best
record (ROR first); parallel edges of one kind between two view nodes (e.g.
one COLLABORATED_WITH edge per year) become one *view edge* with the summed
work count and the years it spans. :func:`cap` keeps a large neighbourhood
responsive: it keeps the seed, designated entities and the closest, most
connected nodes (always with a path back to the seed) and folds the rest
into "+N more" group nodes hanging off the node they were reached from.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx

from queries.equivalence import edge_from_nx
from queries.evidence import EdgeEvidence, edge_evidence

__all__ = [
    "DIRECTED_KINDS",
    "GROUP_KIND",
    "ViewEdge",
    "ViewNode",
    "aggregate_edges",
    "cap",
    "connected_to",
    "representative",
    "tie_path",
    "view_path",
    "with_distance",
]

GROUP_KIND = "Group"
DIRECTED_KINDS = frozenset({"PARENT_OF", "SUCCEEDED_BY", "PARTICIPATED_IN", "FUNDED_BY"})
_SOURCE_RANK = ("ror:", "cordis:project:", "openalex:", "cordis:", "list:")
EVIDENCE_PER_EDGE = 10


@dataclass(frozen=True, slots=True)
class ViewNode:
    id: str  # the representative record, or "group:<anchor>" for a group
    name: str
    kind: str  # Organisation | Project | Funder | Award | Group
    distance: int  # steps from the organisation searched (records of one organisation are 0 apart)
    records: tuple[str, ...]  # the stored records it stands for
    resolved: bool  # an organisation whose records are joined to a ROR identity (or a ROR record)
    designation: str  # "" | "legal_restriction" | "advisory": the strongest active designation shown
    lists: tuple[str, ...]  # list keys of its active designations (of the lists chosen)
    country: str | None  # identification only; never used to rank or colour
    seed: bool = False
    hub: bool = False  # reached but not expanded: more edges than the degree cap
    hidden: int = 0  # groups: how many nodes it stands for
    hidden_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ViewEdge:
    id: str
    src: str
    dst: str
    kind: str
    edges: int  # stored edges merged into this one
    count: int | None  # co-authored works, summed
    first: str | None  # first year
    last: str | None  # last year
    possible: bool  # a SAME_AS link awaiting review (not followed)
    evidence: tuple[EdgeEvidence, ...]


def representative(records: Iterable[str]) -> str:
    """The record that names a class: ROR, CORDIS project, OpenAlex, CORDIS, lists; then the smallest id."""

    def rank(r: str) -> tuple[int, str]:
        return (next((i for i, p in enumerate(_SOURCE_RANK) if r.startswith(p)), len(_SOURCE_RANK)), r)

    return min(records, key=rank)


def _year(date: str | None) -> str | None:
    return date[:4] if date and date[:4].isdigit() else None


_Item = tuple[str, str, Mapping[str, Any]]


def _view_edge(kind: str, a: str, b: str, items: list[_Item], possible: bool) -> ViewEdge:
    counts = [(d.get("props") or {}).get("count") for _u, _v, d in items]
    works = sum(int(c) for c in counts if isinstance(c, int | float)) if kind == "COLLABORATED_WITH" else None
    years = sorted({y for _u, _v, d in items for y in (_year(d.get("start")), _year(d.get("end"))) if y})
    ordered = sorted(items, key=lambda t: str(t[2].get("start") or ""), reverse=True)
    evidence = tuple(edge_evidence(edge_from_nx(u, v, d)) for u, v, d in ordered[:EVIDENCE_PER_EDGE])
    eid = f"{kind}|{a}|{b}" + ("|possible" if possible else "")
    return ViewEdge(
        eid,
        a,
        b,
        kind,
        len(items),
        works,
        years[0] if years else None,
        years[-1] if years else None,
        possible,
        evidence,
    )


def aggregate_edges(g: nx.MultiDiGraph, rep: Mapping[str, str], holds: set[str]) -> list[ViewEdge]:
    """One view edge per (kind, view pair); SAME_AS edges that hold vanish inside a view node.

    ``holds`` names the SAME_AS edges that hold (the others are shown as possible links).
    """
    groups: dict[tuple[str, str, str, bool], list[_Item]] = defaultdict(list)
    for u, v, key, data in g.edges(keys=True, data=True):
        if u not in rep or v not in rep:
            continue
        a, b, kind = rep[u], rep[v], str(data["kind"])
        if a == b or kind == "DESIGNATED_ON":
            continue
        possible = kind == "SAME_AS" and key not in holds
        if kind == "SAME_AS" and not possible:
            continue
        if kind not in DIRECTED_KINDS and b < a:
            a, b = b, a
        groups[(kind, a, b, possible)].append((u, v, data))
    return [_view_edge(kind, a, b, items, possible) for (kind, a, b, possible), items in sorted(groups.items())]


def _adjacency(edges: Iterable[ViewEdge]) -> dict[str, set[str]]:
    adj: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        if not e.possible:
            adj[e.src].add(e.dst)
            adj[e.dst].add(e.src)
    return adj


def connected_to(seed: str, edges: Sequence[ViewEdge]) -> dict[str, int]:
    """Steps from ``seed`` to every view node it reaches over followed (not possible) edges."""
    adj = _adjacency(edges)
    dist = {seed: 0}
    frontier = [seed]
    while frontier:
        nxt = []
        for n in frontier:
            for m in sorted(adj[n]):
                if m not in dist:
                    dist[m] = dist[n] + 1
                    nxt.append(m)
        frontier = nxt
    return dist


def _parents(
    seed: str, nodes: Mapping[str, ViewNode], edges: Sequence[ViewEdge], weight: Mapping[str, int]
) -> dict[str, str]:
    """For each node, the neighbour one step closer to the seed it is best reached from."""
    adj = _adjacency(edges)
    parent: dict[str, str] = {}
    for n, node in nodes.items():
        if n == seed:
            continue
        closer = [m for m in adj[n] if m in nodes and nodes[m].distance < node.distance]
        if closer:
            parent[n] = min(closer, key=lambda m: (nodes[m].distance, -weight[m], m))
    return parent


def _chain(n: str, parent: Mapping[str, str], kept: set[str]) -> list[str]:
    chain = []
    while n not in kept:
        chain.append(n)
        if n not in parent:
            break
        n = parent[n]
    return chain


def _group(anchor: str, members: list[str], nodes: Mapping[str, ViewNode]) -> ViewNode:
    kinds = Counter(nodes[m].kind for m in members)
    what = ", ".join(f"{n} {k.lower()}{'s' if n > 1 else ''}" for k, n in sorted(kinds.items()))
    return ViewNode(
        id=f"group:{anchor}",
        name=f"+{len(members)} more ({what})",
        kind=GROUP_KIND,
        distance=nodes[anchor].distance + 1,
        records=(),
        resolved=False,
        designation="",
        lists=(),
        country=None,
        hidden=len(members),
        hidden_ids=tuple(sorted(members)),
    )


def cap(
    seed: str,
    nodes: Mapping[str, ViewNode],
    edges: Sequence[ViewEdge],
    max_nodes: int,
    *,
    reveal: Iterable[str] = (),
) -> tuple[list[ViewNode], list[ViewEdge]]:
    """At most ``max_nodes`` nodes (groups included); the rest folded into groups.

    Priority: the seed, then designated entities, then by distance, then by
    how connected (summed edges and works); every kept node keeps a path to
    the seed. Nodes whose anchor is in ``reveal`` are always kept.
    """
    if len(nodes) <= max_nodes:
        return list(nodes.values()), list(edges)
    weight: Counter[str] = Counter()
    for e in edges:
        w = e.count or e.edges
        weight[e.src] += w
        weight[e.dst] += w
    parent = _parents(seed, nodes, edges, weight)
    revealed = set(reveal)
    order = sorted(
        nodes,
        key=lambda n: (
            n != seed,
            parent.get(n) not in revealed,
            not nodes[n].designation,
            nodes[n].distance,
            -weight[n],
            n,
        ),
    )
    kept: set[str] = set()
    ranked: list[str] = []
    budget = max(1, max_nodes - 1)
    for n in order:
        chain = _chain(n, parent, kept)
        if len(kept) + len(chain) > budget:
            continue
        for c in reversed(chain):
            kept.add(c)
            ranked.append(c)
    groups = _groups(nodes, parent, kept)
    while len(kept) + len(groups) > max_nodes and len(kept) > 1:
        excess = len(kept) + len(groups) - max_nodes
        children = {parent[k] for k in kept if k in parent}
        victims = [k for k in reversed(ranked) if k != seed and k not in children and k in kept][:excess]
        if not victims:
            break
        kept.difference_update(victims)
        groups = _groups(nodes, parent, kept)
    for anchor, members in list(groups.items()):
        if len(members) == 1:  # a "+1 more" costs a node anyway: draw the node itself
            kept.add(members[0])
            ranked.append(members[0])
            del groups[anchor]
    kept_nodes = [nodes[n] for n in dict.fromkeys(ranked) if n in kept]
    group_nodes = [_group(anchor, members, nodes) for anchor, members in sorted(groups.items())]
    kept_edges = [e for e in edges if e.src in kept and e.dst in kept]
    group_edges = [
        ViewEdge(f"GROUP|{anchor}", anchor, g.id, GROUP_KIND, g.hidden, None, None, None, False, ())
        for anchor, g in zip(sorted(groups), group_nodes, strict=True)
    ]
    return kept_nodes + group_nodes, kept_edges + group_edges


def _groups(nodes: Mapping[str, ViewNode], parent: Mapping[str, str], kept: set[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        if n in kept:
            continue
        anchor = n
        while anchor not in kept and anchor in parent:
            anchor = parent[anchor]
        if anchor in kept:
            groups[anchor].append(n)
    return groups


def view_path(edges: Sequence[ViewEdge], a: str, b: str) -> tuple[str, ...]:
    """A shortest path between two view nodes over followed edges; empty when none."""
    g = nx.Graph()
    g.add_edges_from((e.src, e.dst) for e in edges if not e.possible)
    if a not in g or b not in g:
        return ()
    try:
        return tuple(nx.shortest_path(g, a, b))
    except nx.NetworkXNoPath:
        return ()


def tie_path(record_path: Sequence[str], rep: Mapping[str, str]) -> tuple[str, ...]:
    """A tie's path of records as view nodes (records of one organisation merge); empty if one is not in view."""
    out: list[str] = []
    for r in record_path:
        if r not in rep:
            return ()
        if not out or out[-1] != rep[r]:
            out.append(rep[r])
    return tuple(out)


def with_distance(nodes: Mapping[str, ViewNode], dist: Mapping[str, int]) -> dict[str, ViewNode]:
    """Nodes still connected to the seed, with their distance recomputed."""
    return {n: replace(v, distance=dist[n]) for n, v in nodes.items() if n in dist}
