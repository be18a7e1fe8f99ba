"""Direct designations of an organisation, its equivalent records and its parents and children.

The organisation's records are itself and every record effectively SAME_AS
it (a listed entity resolved to its ROR record is the organisation). Its
parents and children come from PARENT_OF edges (ROR hierarchy), dated when
the edge is. Each designation found is reported with the record it hangs on
and the SAME_AS links that join that record to the organisation (or to the
parent or child). Delisted designations are kept apart as history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from graph.model import Edge, EdgeKind, Node
from graph.store import GraphStore, SubgraphQuery
from queries.concern import is_active
from queries.equivalence import CLASS_HOPS, SameAsPolicy, chains_from, edge_from_nx, same_as_policy
from queries.evidence import EdgeEvidence, ListEntry, Source, edge_evidence, list_entry, source_of

__all__ = ["Designated", "Designations", "Relative", "designations"]


@dataclass(frozen=True, slots=True)
class Relative:
    """A parent or child organisation (ROR hierarchy)."""

    id: str
    name: str
    relation: str  # "parent" | "child"
    start: str | None
    end: str | None
    source: Source


@dataclass(frozen=True, slots=True)
class Designated:
    """One designation of the organisation, of a parent or of a child."""

    entry: ListEntry
    holder: str  # the organisation, parent or child it concerns
    holder_name: str
    relation: str  # "self" | "parent" | "child"
    via: tuple[EdgeEvidence, ...]  # SAME_AS links from the holder to the listed entity


@dataclass(frozen=True, slots=True)
class Designations:
    org_id: str
    records: tuple[str, ...]  # the organisation's own records (effective SAME_AS)
    same_as: tuple[EdgeEvidence, ...]  # the links that make them one
    parents: tuple[Relative, ...]
    children: tuple[Relative, ...]
    active: tuple[Designated, ...]
    history: tuple[Designated, ...]  # delisted

    def lists(self) -> list[str]:
        """List keys with an active designation, in order of first appearance."""
        return list(dict.fromkeys(d.entry.list_key for d in self.active))


def _relatives(g: nx.MultiDiGraph, members: set[str]) -> tuple[list[Relative], list[Relative]]:
    parents: dict[str, Relative] = {}
    children: dict[str, Relative] = {}
    for u, v, data in sorted(g.edges(data=True), key=lambda t: (t[0], t[1])):
        e = edge_from_nx(u, v, data)
        if v in members and u not in members:
            parents.setdefault(u, Relative(u, g.nodes[u]["name"], "parent", e.start, e.end, source_of(e.provenance)))
        elif u in members and v not in members:
            children.setdefault(v, Relative(v, g.nodes[v]["name"], "child", e.start, e.end, source_of(e.provenance)))
    return sorted(parents.values(), key=lambda r: r.id), sorted(children.values(), key=lambda r: r.id)


def _designated(
    g: nx.MultiDiGraph,
    chains: dict[str, dict[str, tuple[Edge, ...]]],
    holders: Iterable[tuple[str, str, str]],
) -> list[Designated]:
    out: list[Designated] = []
    for holder, name, relation in holders:
        for member, via in chains[holder].items():
            for _u, dst, data in sorted(g.out_edges(member, data=True), key=lambda t: t[1]):
                if data["kind"] != EdgeKind.DESIGNATED_ON.value:
                    continue
                node = Node.from_dict({"id": dst, **g.nodes[dst]})
                e = edge_from_nx(member, dst, data)
                entry = list_entry(node, e, active=is_active(node, e))
                out.append(Designated(entry, holder, name, relation, tuple(edge_evidence(x) for x in via)))
    return out


def designations(store: GraphStore, org_id: str, policy: SameAsPolicy | None = None) -> Designations:
    """Designations on the organisation, its equivalents, parents and children; delisted as history."""
    policy = policy or same_as_policy(store)
    same = frozenset({EdgeKind.SAME_AS})
    own = store.subgraph(SubgraphQuery((org_id,), hops=CLASS_HOPS, edge_kinds=same))
    own_chains = chains_from(own, [org_id], policy)[org_id]
    members = set(own_chains)
    tree = store.subgraph(SubgraphQuery(tuple(sorted(members)), hops=1, edge_kinds=frozenset({EdgeKind.PARENT_OF})))
    parents, children = _relatives(tree, members)
    relatives = [r.id for r in (*parents, *children)]
    chains = {org_id: own_chains}
    if relatives:
        rel = store.subgraph(SubgraphQuery(tuple(relatives), hops=CLASS_HOPS, edge_kinds=same))
        chains.update(chains_from(rel, relatives, policy))
    everyone = sorted({m for c in chains.values() for m in c})
    listed = store.subgraph(SubgraphQuery(tuple(everyone), hops=1, edge_kinds=frozenset({EdgeKind.DESIGNATED_ON})))
    name = own.nodes[org_id]["name"] if org_id in own else org_id
    holders = [(org_id, name, "self")] + [(r.id, r.name, r.relation) for r in (*parents, *children)]
    found = _designated(listed, chains, holders)
    key = lambda d: (d.relation != "self", d.entry.list_key, d.holder, d.entry.designation_id)  # noqa: E731
    same_as_links = sorted({e.id: e for via in own_chains.values() for e in via}.values(), key=lambda e: e.id)
    return Designations(
        org_id=org_id,
        records=tuple(sorted(members)),
        same_as=tuple(edge_evidence(e) for e in same_as_links),
        parents=tuple(parents),
        children=tuple(children),
        active=tuple(sorted((d for d in found if d.entry.active), key=key)),
        history=tuple(sorted((d for d in found if not d.entry.active), key=key)),
    )
