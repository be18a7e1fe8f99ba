"""k-hop neighbourhoods of the Neo4j store: breadth-first, one query per round of hops.

Each round sends the frontier (in chunks) to one Cypher statement that
returns every passing edge at those nodes in one ``collect`` row; hubs past
``degree_cap`` are found with one degree query first. With
``SubgraphQuery.attributes`` False the rows carry ids and kinds only (the
other end's kind included), so no node records are fetched at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import networkx as nx

from graph import neo4j_cypher as cy
from graph import neo4j_rows as rows
from graph.model import Edge, EdgeKind, Node
from graph.store import SubgraphQuery
from graph.subgraph import ids_networkx, to_networkx
from graph.window import lower_bound, upper_bound

__all__ = ["CHUNK", "Collect", "chunks", "subgraph"]

T = TypeVar("T")
CHUNK = 10_000  # ids per UNWIND of a read
Collect = Callable[..., list[Any]]  # collect(cypher, **params): the list in column ``out`` of its one row


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def subgraph(
    collect: Collect, get_nodes: Callable[[Iterable[str]], dict[str, Node]], query: SubgraphQuery
) -> nx.MultiDiGraph:
    """The neighbourhood ``query`` asks for, in the shape of :func:`graph.subgraph.to_networkx`."""
    start = list(dict.fromkeys(query.seeds))
    if not query.attributes:
        nodes = {i: (kind, 0) for i, kind in collect(cy.PRESENT_KINDS, ids=start)}
        edges: dict[str, tuple[str, str, str, str]] = {}

        def absorb_ids(row: list[Any], hop: int) -> Iterator[str]:
            eid, kind, outgoing, here, other, other_kind = row
            if eid not in edges:
                edges[eid] = (here, other, eid, kind) if outgoing else (other, here, eid, kind)
            if other not in nodes:
                nodes[other] = (other_kind, hop)
                yield other

        pruned = _rounds(collect, query, list(nodes), cy.hop_ids, absorb_ids)
        return ids_networkx(nodes, edges.values(), query=query, pruned=pruned)
    distance: dict[str, int] = dict.fromkeys(collect(cy.PRESENT, ids=start), 0)
    kept: dict[str, Edge] = {}

    def absorb(rec: dict[str, Any], hop: int) -> Iterator[str]:
        if rec["eid"] not in kept:
            kept[rec["eid"]] = rows.edge_from_record(rec)
        for end in (rec["src"], rec["dst"]):  # one was expanded (so has a distance); the other may be new
            if end not in distance:
                distance[end] = hop
                yield end

    pruned = _rounds(collect, query, list(distance), cy.hop, absorb)
    return to_networkx(get_nodes(distance).values(), kept.values(), query=query, distance=distance, pruned=pruned)


def _rounds(
    collect: Collect,
    query: SubgraphQuery,
    frontier: list[str],
    cypher: Callable[[Iterable[EdgeKind] | None], str],
    absorb: Callable[[Any, int], Iterable[str]],
) -> list[str]:
    """Breadth-first rounds from ``frontier``; ``absorb(row, hop)`` yields the nodes a row reached first.

    Returns the pruned hubs.
    """
    seeds, pruned = set(query.seeds), list[str]()
    hops = 0 if query.edge_kinds is not None and not query.edge_kinds else query.hops
    statement = cypher(query.edge_kinds if hops else None)
    window = {"lo": lower_bound(query.since), "hi": upper_bound(query.until)}
    for hop in range(1, hops + 1):
        nxt: list[str] = []
        for part in chunks(_expandable(collect, frontier, seeds, query.degree_cap, pruned)):
            for row in collect(statement, ids=part, **window):
                nxt.extend(absorb(row, hop))
        frontier = nxt
    return pruned


def _expandable(
    collect: Collect, frontier: list[str], seeds: set[str], cap: int | None, pruned: list[str]
) -> list[str]:
    if cap is None:
        return frontier
    out = [n for n in frontier if n in seeds]
    for part in chunks([n for n in frontier if n not in seeds]):
        for node_id, degree in collect(cy.DEGREES, ids=part):
            (out if degree <= cap else pruned).append(node_id)
    return out
