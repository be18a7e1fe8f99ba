"""The neighbourhood of an organisation for interactive exploration, and the facts behind a node.

:func:`neighbourhood` grows the neighbourhood one step at a time from the
organisation's records: each step fetches the edges of the chosen kinds
(dated within [since, until]) of the nodes reached so far, then closes the
new nodes under effective SAME_AS links so that the records of one
organisation are one node and never cost a step. Hubs (more edges than the
degree cap) are reached but not expanded unless the analyst expands them.
Designations come from the concern index (active designations only, on the
lists chosen); country is carried for identification and never used to
rank, colour or filter. The result is capped by :func:`queries.view.cap`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from graph.model import EdgeKind, Node, NodeKind
from graph.store import GraphStore, SubgraphQuery
from queries.concern import ConcernIndex, shared_concern_index
from queries.designations import Designations, designations
from queries.equivalence import CLASS_HOPS, SameAsPolicy, classes_of, edge_from_nx, same_as_policy
from queries.evidence import Source, source_of
from queries.lists import AllListsCount
from queries.ties import DEFAULT_DEGREE_CAP, MAX_HOPS
from queries.view import ViewEdge, ViewNode, aggregate_edges, cap, connected_to, representative, with_distance

__all__ = [
    "DEFAULT_KINDS",
    "EXPLORE_KINDS",
    "ExploreQuery",
    "Neighbourhood",
    "NodeFacts",
    "RecordFacts",
    "neighbourhood",
    "node_facts",
]

EXPLORE_KINDS = (
    "COLLABORATED_WITH",
    "PARTICIPATED_IN",
    "PARENT_OF",
    "RELATED_TO",
    "SUCCEEDED_BY",
    "FUNDED_BY",
)
DEFAULT_KINDS = frozenset(EXPLORE_KINDS) - {"FUNDED_BY"}  # funders are hubs: opt in
_SAME = frozenset({EdgeKind.SAME_AS})
_HIDDEN_PROPS = {"names", "aliases", "acronyms", "works", "links", "domains", "last_modified"}


@dataclass(frozen=True, slots=True)
class ExploreQuery:
    """What the analyst asked to see."""

    org_id: str
    hops: int = 2
    kinds: frozenset[str] = DEFAULT_KINDS
    since: str | None = None  # edges dated (overlapping) from this year/date on; undated edges pass
    until: str | None = None
    min_count: int = 1  # co-authorships with fewer works (in the window) are not shown
    lists: frozenset[str] | None = None  # lists whose designations mark a node; None = all
    max_nodes: int = 300
    degree_cap: int | None = DEFAULT_DEGREE_CAP
    expanded: tuple[str, ...] = ()  # view nodes expanded one more step (hubs included)
    reveal: tuple[str, ...] = ()  # view nodes whose folded neighbours are all shown


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    query: ExploreQuery
    seed: str  # the view node of the organisation
    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    record_of: Mapping[str, str]  # stored record id -> view node id
    reached: int  # view nodes reached before capping
    below_count: int  # co-authorship links hidden by the minimum count
    pruned: tuple[str, ...]  # hubs reached but not expanded
    lists_seen: tuple[str, ...]  # lists of concern held by the store


@dataclass(slots=True)
class _Growth:
    g: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    rep: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    distance: dict[str, int] = field(default_factory=dict)
    holds: set[str] = field(default_factory=set)
    pruned: set[str] = field(default_factory=set)
    degrees: dict[str, int] = field(default_factory=dict)


def _absorb(into: nx.MultiDiGraph, part: nx.MultiDiGraph) -> None:
    for n, data in part.nodes(data=True):
        if n not in into:
            into.add_node(n, **data)
    for u, v, k, data in part.edges(keys=True, data=True):
        if not into.has_edge(u, v, k):
            into.add_edge(u, v, key=k, **data)


def _add_missing(store: GraphStore, g: nx.MultiDiGraph, ids: Iterable[str]) -> None:
    missing = [i for i in ids if i not in g]
    for n in store.get_nodes(missing).values():
        g.add_node(n.id, kind=n.kind.value, name=n.name, props=dict(n.props), provenance=n.provenance.as_dict())


def _close(store: GraphStore, records: Sequence[str], policy: SameAsPolicy, s: _Growth, hop: int) -> list[str]:
    """Put new records into view nodes (their effective SAME_AS classes); the new view nodes."""
    fresh = sorted({r for r in records if r not in s.rep})
    if not fresh:
        return []
    sub = store.subgraph(SubgraphQuery(tuple(fresh), hops=CLASS_HOPS, edge_kinds=_SAME))
    _absorb(s.g, sub)
    for u, v, k, data in sub.edges(keys=True, data=True):
        if policy.holds(edge_from_nx(u, v, data)):
            s.holds.add(k)
    joined = {x for u, v, d in sub.edges(data=True) if d["kind"] == "SAME_AS" for x in (u, v)} | _judged(policy)
    classes = classes_of(sub, [r for r in fresh if r in joined], policy)
    new: list[str] = []
    for r in fresh:
        if r in s.rep:
            continue
        members = classes[r].members if r in classes else (r,)
        _add_missing(store, s.g, members)
        known = sorted({s.rep[m] for m in members if m in s.rep})
        view = known[0] if known else representative(members)
        if view not in s.members:
            s.members[view] = []
            s.distance[view] = hop
            new.append(view)
        for m in members:
            if m not in s.rep:
                s.rep[m] = view
                s.members[view].append(m)
    return new


def _judged(policy: SameAsPolicy) -> set[str]:
    """Records an analyst judged the same as another (joined even without a SAME_AS edge)."""
    pairs = getattr(policy, "same_pairs", None)
    return {x for j in pairs() for x in (j.a, j.b)} if pairs is not None else set()


def _is_hub(store: GraphStore, view: str, q: ExploreQuery, s: _Growth) -> bool:
    if q.degree_cap is None:
        return False
    for m in s.members[view]:
        if m not in s.degrees:
            s.degrees[m] = store.degree(m)
    return max(s.degrees[m] for m in s.members[view]) > q.degree_cap


def _step(
    store: GraphStore, q: ExploreQuery, s: _Growth, views: Sequence[str], hop: int, policy: SameAsPolicy, *, force: bool
) -> list[str]:
    records: list[str] = []
    for v in views:
        if not force and hop > 1 and _is_hub(store, v, q, s):
            s.pruned.add(v)
            continue
        s.pruned.discard(v)
        records.extend(s.members[v])
    if not records:
        return []
    kinds = frozenset(EdgeKind(k) for k in q.kinds)
    part = store.subgraph(SubgraphQuery(tuple(sorted(records)), hops=1, edge_kinds=kinds, since=q.since, until=q.until))
    _absorb(s.g, part)
    return _close(store, [n for n in part.nodes if n not in s.rep], policy, s, hop)


def _view_node(view: str, s: _Growth, q: ExploreQuery, concern: ConcernIndex, seed: str) -> ViewNode:
    data = s.g.nodes[view]
    members = tuple(sorted(s.members[view]))
    effects: set[str] = set()
    lists: set[str] = set()
    for m in members:
        for hit in concern.hits.get(m, ()):
            key = hit.listing.list_key
            if q.lists is None or key in q.lists:
                effects.add(hit.listing.legal_effect)
                lists.add(key)
    designation = "legal_restriction" if "legal_restriction" in effects else ("advisory" if effects else "")
    kind = str(data.get("kind", ""))
    props = data.get("props") or {}
    country = props.get("country")
    short = props.get("acronym") if kind == NodeKind.PROJECT.value else None
    resolved = kind == NodeKind.ORGANISATION.value and any(m.startswith("ror:") for m in members)
    return ViewNode(
        id=view,
        name=str(short or data.get("name", view)),
        kind=kind,
        distance=s.distance[view],
        records=members,
        resolved=resolved,
        designation=designation,
        lists=tuple(sorted(lists)),
        country=country if isinstance(country, str) else None,
        seed=view == seed,
        hub=view in s.pruned,
    )


def neighbourhood(
    store: GraphStore,
    q: ExploreQuery,
    *,
    concern: ConcernIndex | None = None,
    policy: SameAsPolicy | None = None,
) -> Neighbourhood:
    """The capped, filtered neighbourhood of ``q.org_id`` as view nodes and edges."""
    if not 1 <= q.hops <= MAX_HOPS:
        raise ValueError(f"hops must be between 1 and {MAX_HOPS}, got {q.hops}")
    if store.get_node(q.org_id) is None:
        raise LookupError(f"no node {q.org_id!r} in the store")
    policy = policy or same_as_policy(store)
    concern = concern or shared_concern_index(store, AllListsCount(), policy)
    s = _Growth()
    frontier = _close(store, [q.org_id], policy, s, 0)
    seed = s.rep[q.org_id]
    for hop in range(1, q.hops + 1):
        frontier = _step(store, q, s, frontier, hop, policy, force=False)
        if not frontier:
            break
    for view in q.expanded:
        if view in s.members:
            _step(store, q, s, [view], s.distance[view] + 1, policy, force=True)
    everything = {v: _view_node(v, s, q, concern, seed) for v in s.members}
    edges = aggregate_edges(s.g, s.rep, s.holds)
    shown = [e for e in edges if e.kind != "COLLABORATED_WITH" or (e.count or 0) >= q.min_count]
    nodes = with_distance(everything, connected_to(seed, shown))
    shown = [e for e in shown if e.src in nodes and e.dst in nodes]
    kept_nodes, kept_edges = cap(seed, nodes, shown, q.max_nodes, reveal=q.reveal)
    kept = {n.id for n in kept_nodes}
    return Neighbourhood(
        query=q,
        seed=seed,
        nodes=tuple(kept_nodes),
        edges=tuple(kept_edges),
        record_of={r: v for r, v in s.rep.items() if v in kept},
        reached=len(nodes),
        below_count=sum(1 for e in edges if e.kind == "COLLABORATED_WITH" and (e.count or 0) < q.min_count),
        pruned=tuple(sorted(v for v in s.pruned if v in kept)),
        lists_seen=tuple(sorted(concern.coverage)),
    )


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """One stored record behind a view node, with where it came from."""

    id: str
    kind: str
    name: str
    source: Source
    facts: tuple[tuple[str, str], ...]  # property name, value as text


@dataclass(frozen=True, slots=True)
class NodeFacts:
    id: str
    name: str
    kind: str
    records: tuple[RecordFacts, ...]
    designations: Designations | None  # organisations only: direct, parents', children's


def _text(value: object, limit: int = 200) -> str:
    if isinstance(value, Mapping):
        text = "; ".join(f"{k}: {v}" for k, v in sorted(value.items()) if v not in (None, ""))
    elif isinstance(value, list | tuple):
        text = "; ".join(str(v) for v in value)
    else:
        text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _record_facts(n: Node) -> RecordFacts:
    facts = [
        (k, _text(v)) for k, v in sorted(n.props.items()) if k not in _HIDDEN_PROPS and v not in (None, "", [], {})
    ]
    names = [str(x.get("value")) for x in n.props.get("names") or () if isinstance(x, Mapping) and x.get("value")]
    other = [x for x in dict.fromkeys([*names, *(n.props.get("aliases") or ())]) if x and x != n.name]
    if other:
        facts.insert(0, ("other names", _text(other)))
    return RecordFacts(n.id, n.kind.value, n.name, source_of(n.provenance), tuple(facts))


def node_facts(store: GraphStore, view_id: str, records: Sequence[str]) -> NodeFacts:
    """The records behind a view node with their provenance, and an organisation's designations."""
    found = store.get_nodes([view_id, *records])
    if view_id not in found:
        raise LookupError(f"no node {view_id!r} in the store")
    head = found[view_id]
    ordered = [head, *(found[r] for r in sorted(records) if r in found and r != view_id)]
    listed = designations(store, view_id) if head.kind is NodeKind.ORGANISATION else None
    return NodeFacts(head.id, head.name, head.kind.value, tuple(_record_facts(n) for n in ordered), listed)
