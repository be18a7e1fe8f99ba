"""Breadth-first k-hop expansion over the embedded store's covering indexes.

Each hop reads ``edges_out (src, kind, dst, ekey)`` and ``edges_in (dst,
kind, src, ekey)`` for the whole frontier in a few IN (...) queries and
touches table rows only when a date window is asked. Hub pruning counts
the frontier's degrees from the same indexes, in bulk, before expanding.
The result is node keys with their distance and edge rowids with their
(src, dst, kind code, key): enough for an ids-only graph.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.store import SubgraphQuery
from graph.window import lower_bound, upper_bound

__all__ = ["Expansion", "chunks", "degrees", "expand", "over"]

CHUNK = 5000

EdgeRef = tuple[int, int, int, str]  # src key, dst key, kind code, edge key


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass(slots=True)
class Expansion:
    distance: dict[int, int] = field(default_factory=dict)
    edges: dict[int, EdgeRef] = field(default_factory=dict)  # by edge rowid
    pruned: list[int] = field(default_factory=list)


def degrees(conn: sqlite3.Connection, keys: Sequence[int]) -> dict[int, int]:
    """Degree (edges of any kind, either direction) of each key, counted from the indexes."""
    out = dict.fromkeys(keys, 0)
    for part in chunks(keys):
        marks = ",".join("?" * len(part))
        for column in ("src", "dst"):
            sql = f"SELECT {column}, count(*) FROM edges WHERE {column} IN ({marks}) GROUP BY {column}"
            for key, n in conn.execute(sql, part):
                out[key] += n
    return out


def over(conn: sqlite3.Connection, keys: Sequence[int], cap: int) -> set[int]:
    """The keys whose degree exceeds ``cap``: each direction is counted only up to ``cap + 1``.

    A hub's thousands of index entries are not all read, yet the answer is
    exact: if neither direction reached ``cap + 1`` the sum is the degree.
    """
    hubs: set[int] = set()
    for part in chunks(keys, 500):
        values = ",".join(["(?)"] * len(part))
        sql = (
            f"WITH k(key) AS (VALUES {values}) SELECT key, "
            "(SELECT count(*) FROM (SELECT 1 FROM edges WHERE src = k.key LIMIT ?)) + "
            "(SELECT count(*) FROM (SELECT 1 FROM edges WHERE dst = k.key LIMIT ?)) FROM k"
        )
        for key, n in conn.execute(sql, [*part, cap + 1, cap + 1]):
            if n > cap:
                hubs.add(key)
    return hubs


def _filter_sql(query: SubgraphQuery, codes: Collection[int] | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if codes is not None:
        clauses.append(f"kind IN ({','.join('?' * len(codes))})")
        args.extend(sorted(codes))
    if query.since is not None:
        clauses.append("(hi IS NULL OR hi >= ?)")
        args.append(lower_bound(query.since))
    if query.until is not None:
        clauses.append("(lo IS NULL OR lo <= ?)")
        args.append(upper_bound(query.until))
    return "".join(" AND " + c for c in clauses), args


def _incident(conn: sqlite3.Connection, keys: Sequence[int], extra: str, args: list[Any]) -> Iterator[tuple[Any, ...]]:
    """(rowid, src, dst, kind, ekey) of every passing edge touching ``keys``."""
    for part in chunks(keys):
        marks = ",".join("?" * len(part))
        yield from conn.execute(
            f"SELECT rowid, src, dst, kind, ekey FROM edges WHERE src IN ({marks}){extra} "
            f"UNION ALL SELECT rowid, src, dst, kind, ekey FROM edges WHERE dst IN ({marks}){extra}",
            [*part, *args, *part, *args],
        )


def _expandable(
    conn: sqlite3.Connection, frontier: list[int], seeds: Collection[int], cap: int | None, out: Expansion
) -> list[int]:
    if cap is None:
        return frontier
    hubs = over(conn, [k for k in frontier if k not in seeds], cap)
    out.pruned.extend(hubs)
    return [k for k in frontier if k not in hubs]


def expand(
    conn: sqlite3.Connection, seeds: list[int], query: SubgraphQuery, codes: Collection[int] | None
) -> Expansion:
    """The k-hop neighbourhood of ``seeds`` (keys of stored nodes) as keys and edge refs."""
    out = Expansion(distance=dict.fromkeys(seeds, 0))
    extra, args = _filter_sql(query, codes)
    seed_set = set(seeds)
    frontier = list(seeds)
    for hop in range(query.hops):
        if not frontier:
            break
        expand_now = set(_expandable(conn, frontier, seed_set, query.degree_cap, out))
        nxt: list[int] = []
        for rowid, src, dst, kind, ekey in _incident(conn, sorted(expand_now), extra, args):
            out.edges[rowid] = (src, dst, kind, ekey)
            for other in (src, dst):
                if other not in out.distance:
                    out.distance[other] = hop + 1
                    nxt.append(other)
        frontier = nxt
    return out
