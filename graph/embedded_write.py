"""Writing prepared node and edge batches into the embedded store's SQLite file.

Each function runs inside the caller's write transaction and returns how
many rows it changed. Edges are idempotent in SQL: an upsert whose facts
JSON equals the stored one changes nothing (not even ``retrieved_at`` or
the version), and ``total_changes`` tells written from unchanged.
"""

from __future__ import annotations

import sqlite3
from operator import itemgetter
from typing import Any

import numpy as np

from graph.embedded_khop import chunks
from graph.embedded_rows import FACTS, UNDATED, EdgeBatch, NodeBatch, node_tokens
from graph.embedded_seen import SeenEdges
from graph.errors import RecordRejected
from graph.model import node_from_facts

__all__ = ["append_edges", "known_keys", "write_edges", "write_nodes"]

_EDGE_CONFLICT = (
    " ON CONFLICT(src, kind, dst, ekey) DO UPDATE SET lo=excluded.lo, hi=excluded.hi, source=excluded.source, "
    "data=excluded.data, retrieved_at=excluded.retrieved_at, version=excluded.version "
    "WHERE edges.data IS NOT excluded.data"
)


def _edge_insert(*, dated: bool) -> str:
    """INSERT of an edge row as :func:`graph.embedded_rows.prepare_edges` lays it out (undated: lo, hi NULL)."""
    bounds = ["lo", "hi"] if dated else []
    columns = ["src", "kind", "dst", "ekey", "source", "data", "retrieved_at", *bounds, "version"]
    return f"INSERT INTO edges({', '.join(columns)}) VALUES({','.join('?' * len(columns))})"


_EDGE_APPEND = _edge_insert(dated=True)
_EDGE_APPEND_UNDATED = _edge_insert(dated=False)
_EDGE_UPSERT = _EDGE_APPEND + _EDGE_CONFLICT
_EDGE_UPSERT_UNDATED = _EDGE_APPEND_UNDATED + _EDGE_CONFLICT
_NODE_UPSERT = (
    "INSERT INTO nodes(nid, id, kind, name, source, data, retrieved_at, version) VALUES(?,?,?,?,?,?,?,?) "
    "ON CONFLICT(nid) DO UPDATE SET kind=excluded.kind, name=excluded.name, source=excluded.source, "
    "data=excluded.data, retrieved_at=excluded.retrieved_at, version=excluded.version"
)


def known_keys(conn: sqlite3.Connection, keys: set[int], known: set[int]) -> None:
    """Add to ``known`` those of ``keys`` that are stored nodes (nodes are never deleted)."""
    if keys <= known:
        return
    unknown = [k for k in keys if k not in known]
    for part in chunks(unknown):
        marks = ",".join("?" * len(part))
        known.update(r[0] for r in conn.execute(f"SELECT nid FROM nodes WHERE nid IN ({marks})", part))


def _admit_ends(conn: sqlite3.Connection, batch: EdgeBatch, known: set[int]) -> None:
    """Edges whose endpoints are not stored nodes leave the batch as rejections."""
    known_keys(conn, batch.ends, known)
    if not batch.ends <= known:
        _reject_dangling(batch, known)


def _reject_dangling(batch: EdgeBatch, known: set[int]) -> None:
    for ident in list(batch.rows):
        src, _kind, dst, _key = ident
        if src in known and dst in known:
            continue
        e = batch.edges[ident]
        field, end = ("src", e.src) if src not in known else ("dst", e.dst)
        batch.rejected.append(RecordRejected(e.provenance.source, e.id, field, f"unknown node {end!r}"))
        del batch.rows[ident]


def write_edges(conn: sqlite3.Connection, batch: EdgeBatch, known: set[int], version: int) -> int:
    """Upsert the batch's edges at ``version``; edges to unknown nodes become rejections."""
    _admit_ends(conn, batch, known)
    rows = sorted(batch.rows.values(), key=itemgetter(0))  # by src: locality in the identity index
    for row in rows:
        row[-1] = version
    before = conn.total_changes
    _insert(conn, rows, _EDGE_UPSERT_UNDATED, _EDGE_UPSERT)
    return conn.total_changes - before


def _insert(conn: sqlite3.Connection, rows: list[list[Any]], undated: str, dated: str) -> None:
    """Run ``undated`` for the rows without lo, hi and ``dated`` for the rest, each in the rows' order."""
    short = [row for row in rows if len(row) == UNDATED]
    if len(short) == len(rows):
        conn.executemany(undated, rows)
        return
    conn.executemany(undated, short)
    conn.executemany(dated, [row for row in rows if len(row) != UNDATED])


def append_edges(conn: sqlite3.Connection, batch: EdgeBatch, known: set[int], seen: SeenEdges, version: int) -> int:
    """Like :func:`write_edges` while the identity index is deferred: what ``seen`` holds decides.

    An edge the load has not written, or wrote with other facts, is appended (the older row of a
    rewritten edge goes when the store settles); one written with the same facts is unchanged.
    The caller keeps or drops what is staged in ``seen`` with its transaction.
    """
    _admit_ends(conn, batch, known)
    rows = list(batch.rows.values())
    keys = np.fromiter(map(hash, batch.rows), dtype=np.int64, count=len(rows))
    digests = np.fromiter((hash(row[FACTS]) for row in rows), dtype=np.int64, count=len(rows))
    digests[digests == 0] = 1  # 0 means "not written"
    held = seen.digests(keys)
    picked = held != digests
    if not picked.all():
        rows = [rows[n] for n in np.flatnonzero(picked).tolist()]
    rows.sort(key=itemgetter(0))  # by src: runs the identity index build at the end sorts fast
    for row in rows:
        row[-1] = version
    _insert(conn, rows, _EDGE_APPEND_UNDATED, _EDGE_APPEND)
    seen.stage(keys[picked], digests[picked], rewritten=int(np.count_nonzero(held[picked])))
    return len(rows)


def _stored(conn: sqlite3.Connection, keys: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for part in chunks(keys):
        marks = ",".join("?" * len(part))
        found.update(conn.execute(f"SELECT nid, data FROM nodes WHERE nid IN ({marks})", part))
    return found


def write_nodes(conn: sqlite3.Connection, batch: NodeBatch, version: int) -> int:
    """Upsert the nodes whose facts moved, keeping the name-token index in step."""
    stored = _stored(conn, list(batch.rows))
    changed: list[list[Any]] = []
    gone: list[tuple[str, int]] = []
    added: list[tuple[str, int]] = []
    for nid, row in batch.rows.items():
        old = stored.get(nid)
        if old == row[5]:
            continue
        row[-1] = version
        changed.append(row)
        tokens = node_tokens(batch.nodes[nid])
        previous = set() if old is None else node_tokens(node_from_facts(old, ""))
        gone.extend((t, nid) for t in previous - tokens)
        added.extend((t, nid) for t in tokens - previous)
    changed.sort()
    conn.executemany(_NODE_UPSERT, changed)
    conn.executemany("DELETE FROM tokens WHERE tok=? AND nid=?", gone)
    added.sort()
    conn.executemany("INSERT OR IGNORE INTO tokens(tok, nid) VALUES(?, ?)", added)
    return len(changed)
