"""The embedded default store: one SQLite file in WAL mode, zero set-up.

Nodes and edges are keyed by a 64-bit hash of their stable id, so an edge's
endpoints and adjacency rows are computed without lookups. ``adj`` holds
each edge twice (once per endpoint) with its kind and date bounds, which is
all a k-hop expansion reads until it fetches the final records.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import RecordRejected, StoreError
from graph.model import (
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    edge_from_facts,
    hash_text,
    node_from_facts,
    searchable_names,
)
from graph.search import generating_tokens, rank, score_candidates
from graph.sqlite_schema import migrate
from graph.store import Change, Counts, SubgraphQuery, UpsertResult
from graph.subgraph import to_networkx
from graph.text import name_tokens
from graph.validate import admit
from graph.window import lower_bound, overlaps, upper_bound

__all__ = ["EmbeddedStore", "hash64"]

BATCH = 20_000
_CHUNK = 900  # bound parameters per IN (...) list
_KIND_CODE = {k: i for i, k in enumerate(EdgeKind)}
_CODE_KIND = dict(enumerate(EdgeKind))


def hash64(text: str) -> int:
    """Signed 64-bit key of an id (SQLite INTEGER PRIMARY KEY)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _batches(records: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_EdgeRow = tuple[Edge, str, int, int]  # edge, facts JSON, src key, dst key


def _filters(kind: str | None, source: str | None) -> tuple[str, list[str]]:
    clauses = [c for c, v in (("kind=?", kind), ("source=?", source)) if v is not None]
    args = [v for v in (kind, source) if v is not None]
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), args


class EmbeddedStore:
    """GraphStore on one local SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        self._lock = threading.RLock()
        self._conn.execute("PRAGMA busy_timeout=60000")
        migrate(self._conn, self.path)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA cache_size=-131072")
        self._conn.execute("PRAGMA temp_store=MEMORY")
        self._conn.execute("PRAGMA mmap_size=268435456")

    # -- transactions -------------------------------------------------------

    def _begin(self) -> int:
        self._conn.execute("BEGIN IMMEDIATE")
        return self.version() + 1

    def _commit(self, version: int, wrote: bool) -> None:
        if wrote:
            self._conn.execute(
                "INSERT INTO meta(key, value) VALUES('version', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (str(version),),
            )
        self._conn.execute("COMMIT")

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _existing(self, table: str, key: str, keys: Sequence[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for part in _chunks(keys):
            marks = ",".join("?" * len(part))
            found.update(self._conn.execute(f"SELECT {key}, hash FROM {table} WHERE {key} IN ({marks})", part))
        return found

    # -- nodes --------------------------------------------------------------

    def upsert_nodes(self, nodes: Iterable[Node]) -> UpsertResult:
        total = UpsertResult(version=self.version())
        with self._lock:
            for batch in _batches(nodes):
                total = total + self._upsert_node_batch(batch)
        return total

    def _upsert_node_batch(self, batch: list[Node]) -> UpsertResult:
        rejected: list[RecordRejected] = []
        latest: dict[int, tuple[Node, str]] = {}
        for node in batch:
            verdict = admit(node)
            if isinstance(verdict, RecordRejected):
                rejected.append(verdict)
            else:
                latest[hash64(node.id)] = (node, verdict)
        try:
            version = self._begin()
            existing = self._existing("nodes", "nid", list(latest))
            changed = [(nid, n, f) for nid, (n, f) in latest.items() if existing.get(nid) != hash_text(f)]
            self._conn.executemany(
                "INSERT INTO nodes(nid, id, kind, name, source, data, retrieved_at, hash, version) "
                "VALUES(?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(nid) DO UPDATE SET kind=excluded.kind, name=excluded.name, source=excluded.source, "
                "data=excluded.data, retrieved_at=excluded.retrieved_at, hash=excluded.hash, version=excluded.version",
                [
                    (
                        nid,
                        n.id,
                        n.kind.value,
                        n.name,
                        n.provenance.source,
                        f,
                        n.provenance.retrieved_at,
                        hash_text(f),
                        version,
                    )
                    for nid, n, f in changed
                ],
            )
            renamed = [nid for nid, _n, _h in changed if nid in existing]
            for part in _chunks(renamed):
                self._conn.execute(f"DELETE FROM tokens WHERE nid IN ({','.join('?' * len(part))})", part)
            self._conn.executemany(
                "INSERT OR IGNORE INTO tokens(tok, nid) VALUES(?, ?)",
                [
                    (tok, nid)
                    for nid, n, _h in changed
                    for tok in {t for s in searchable_names(n) for t in name_tokens(s)}
                ],
            )
            self._commit(version, bool(changed))
        except BaseException:
            self._rollback()
            raise
        return UpsertResult(len(changed), len(latest) - len(changed), tuple(rejected), self.version())

    def get_node(self, node_id: str) -> Node | None:
        return self.get_nodes([node_id]).get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        keys = [hash64(i) for i in dict.fromkeys(node_ids)]
        return {n.id: n for n in self._nodes_by_nid(keys)}

    def _nodes_by_nid(self, nids: Sequence[int]) -> list[Node]:
        out: list[Node] = []
        with self._lock:
            for part in _chunks(nids):
                marks = ",".join("?" * len(part))
                rows = self._conn.execute(f"SELECT data, retrieved_at FROM nodes WHERE nid IN ({marks})", part)
                out.extend(node_from_facts(*row) for row in rows)
        return out

    def degree(self, node_id: str) -> int:
        with self._lock:
            row = self._conn.execute("SELECT degree FROM nodes WHERE nid=?", (hash64(node_id),)).fetchone()
        return int(row[0]) if row else 0

    # -- edges --------------------------------------------------------------

    def upsert_edges(self, edges: Iterable[Edge]) -> UpsertResult:
        total = UpsertResult(version=self.version())
        with self._lock:
            for batch in _batches(edges):
                total = total + self._upsert_edge_batch(batch)
        return total

    def _upsert_edge_batch(self, batch: list[Edge]) -> UpsertResult:
        rejected: list[RecordRejected] = []
        latest: dict[int, _EdgeRow] = {}
        nid: dict[str, int] = {}
        for edge in batch:
            verdict = admit(edge)
            if isinstance(verdict, RecordRejected):
                rejected.append(verdict)
                continue
            src = nid.get(edge.src) or nid.setdefault(edge.src, hash64(edge.src))
            dst = nid.get(edge.dst) or nid.setdefault(edge.dst, hash64(edge.dst))
            latest[hash64(edge.id)] = (edge, verdict, src, dst)
        try:
            version = self._begin()
            known = self._existing("nodes", "nid", list(set(nid.values())))
            for eid, (e, _h, src, dst) in list(latest.items()):
                missing = [(end, f) for end, key, f in ((e.src, src, "src"), (e.dst, dst, "dst")) if key not in known]
                if missing:
                    rejected.append(
                        RecordRejected(e.provenance.source, e.id, missing[0][1], f"unknown node {missing[0][0]!r}")
                    )
                    del latest[eid]
            existing = self._existing("edges", "eid", list(latest))
            changed = [(eid, row) for eid, row in latest.items() if existing.get(eid) != hash_text(row[1])]
            self._write_edges(changed, existing, version)
            self._commit(version, bool(changed))
        except BaseException:
            self._rollback()
            raise
        return UpsertResult(len(changed), len(latest) - len(changed), tuple(rejected), self.version())

    def _write_edges(self, changed: list[tuple[int, _EdgeRow]], existing: Mapping[int, str], version: int) -> None:
        rows = []
        adj = []
        degree: Counter[int] = Counter()
        for eid, (e, facts, src, dst) in changed:
            rows.append(
                (
                    eid,
                    e.kind.value,
                    src,
                    dst,
                    e.provenance.source,
                    facts,
                    e.provenance.retrieved_at,
                    hash_text(facts),
                    version,
                )
            )
            lo, hi, code = lower_bound(e.start), upper_bound(e.end), _KIND_CODE[e.kind]
            adj.append((src, eid, dst, code, lo, hi))
            adj.append((dst, eid, src, code, lo, hi))
            if eid not in existing:
                degree[src] += 1
                degree[dst] += 1
        rows.sort()
        adj.sort()
        self._conn.executemany(
            "INSERT INTO edges(eid, kind, src, dst, source, data, retrieved_at, hash, version) "
            "VALUES(?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(eid) DO UPDATE SET source=excluded.source, data=excluded.data, "
            "retrieved_at=excluded.retrieved_at, hash=excluded.hash, version=excluded.version",
            rows,
        )
        self._conn.executemany("INSERT OR REPLACE INTO adj(nid, eid, other, kind, lo, hi) VALUES(?,?,?,?,?,?)", adj)
        self._conn.executemany(
            "UPDATE nodes SET degree = degree + ? WHERE nid = ?", [(d, n) for n, d in degree.items()]
        )

    def remove_edges(self, edge_ids: Iterable[str]) -> int:
        keys = [hash64(i) for i in dict.fromkeys(edge_ids)]
        removed = 0
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                for part in _chunks(keys):
                    marks = ",".join("?" * len(part))
                    rows = self._conn.execute(
                        f"SELECT eid, src, dst FROM edges WHERE eid IN ({marks})", part
                    ).fetchall()
                    for eid, src, dst in rows:
                        self._conn.execute("DELETE FROM adj WHERE nid IN (?, ?) AND eid = ?", (src, dst, eid))
                        self._conn.execute("UPDATE nodes SET degree = degree - 1 WHERE nid IN (?, ?)", (src, dst))
                    self._conn.execute(f"DELETE FROM edges WHERE eid IN ({marks})", part)
                    removed += len(rows)
                self._conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        return removed

    def _edges_by_eid(self, eids: Sequence[int]) -> list[Edge]:
        out: list[Edge] = []
        with self._lock:
            for part in _chunks(eids):
                marks = ",".join("?" * len(part))
                rows = self._conn.execute(f"SELECT data, retrieved_at FROM edges WHERE eid IN ({marks})", part)
                out.extend(edge_from_facts(*row) for row in rows)
        return out

    def edges_of(self, node_id: str, *, kinds: Iterable[EdgeKind] | None = None) -> list[Edge]:
        codes = None if kinds is None else {_KIND_CODE[EdgeKind(k)] for k in kinds}
        with self._lock:
            rows = self._conn.execute("SELECT eid, kind FROM adj WHERE nid=?", (hash64(node_id),)).fetchall()
        eids = [eid for eid, code in rows if codes is None or code in codes]
        return sorted(self._edges_by_eid(eids), key=lambda e: e.id)

    # -- search -------------------------------------------------------------

    def search(self, text: str, *, kinds: Iterable[NodeKind] | None = None, limit: int = 20) -> list[Node]:
        tokens = name_tokens(text)
        with self._lock:
            df = {t: self._conn.execute("SELECT count(*) FROM tokens WHERE tok=?", (t,)).fetchone()[0] for t in tokens}
            scores = score_candidates(tokens, generating_tokens(df), self._postings, self._holders)
        if not scores:
            return []
        nodes = {str(hash64(n.id)): n for n in self._nodes_by_nid([int(k) for k in scores])}
        wanted = None if kinds is None else {NodeKind(k) for k in kinds}
        scores = Counter(
            {k: v for k, v in scores.items() if k in nodes and (wanted is None or nodes[k].kind in wanted)}
        )
        by_id = Counter({nodes[k].id: v for k, v in scores.items()})
        names = {nodes[k].id: nodes[k].name for k in scores}
        found = {n.id: n for n in nodes.values()}
        return [found[i] for i in rank(by_id, names, limit)]

    def _postings(self, tok: str) -> list[str]:
        return [str(r[0]) for r in self._conn.execute("SELECT nid FROM tokens WHERE tok=?", (tok,))]

    def _holders(self, tok: str, candidates: list[str]) -> list[str]:
        out: list[str] = []
        for part in _chunks(candidates):
            marks = ",".join("?" * len(part))
            rows = self._conn.execute(f"SELECT nid FROM tokens WHERE tok=? AND nid IN ({marks})", (tok, *part))
            out.extend(str(r[0]) for r in rows)
        return out

    # -- k-hop --------------------------------------------------------------

    def subgraph(self, query: SubgraphQuery) -> nx.MultiDiGraph:
        codes = None if query.edge_kinds is None else {_KIND_CODE[k] for k in query.edge_kinds}
        seed_keys = {hash64(s): s for s in query.seeds}
        with self._lock:
            present = self._existing("nodes", "nid", list(seed_keys))
            distance = {nid: 0 for nid in present}
            frontier = list(present)
            kept: set[int] = set()
            pruned: list[int] = []
            for hop in range(query.hops):
                expand = self._expandable(frontier, seed_keys, query.degree_cap, pruned)
                nxt: list[int] = []
                for part in _chunks(expand, 5000):
                    marks = ",".join("?" * len(part))
                    sql = f"SELECT eid, other, kind, lo, hi FROM adj WHERE nid IN ({marks})"
                    for eid, other, code, lo, hi in self._conn.execute(sql, part):
                        if codes is not None and code not in codes:
                            continue
                        if (query.since or query.until) and not overlaps(lo, hi, query.since, query.until):
                            continue
                        kept.add(eid)
                        if other not in distance:
                            distance[other] = hop + 1
                            nxt.append(other)
                frontier = nxt
        nodes = self._nodes_by_nid(list(distance))
        ids = {hash64(n.id): n.id for n in nodes}
        return to_networkx(
            nodes,
            self._edges_by_eid(list(kept)),
            query=query,
            distance={ids[k]: d for k, d in distance.items()},
            pruned=[ids[k] for k in pruned],
        )

    def _expandable(
        self, frontier: list[int], seeds: Mapping[int, str], cap: int | None, pruned: list[int]
    ) -> list[int]:
        if cap is None:
            return frontier
        out: list[int] = []
        for part in _chunks(frontier, 5000):
            marks = ",".join("?" * len(part))
            for nid, deg in self._conn.execute(f"SELECT nid, degree FROM nodes WHERE nid IN ({marks})", part):
                if nid in seeds or deg <= cap:
                    out.append(nid)
                else:
                    pruned.append(nid)
        return out

    # -- versions, counts, iteration --------------------------------------

    def version(self) -> int:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        return int(row[0]) if row else 0

    def changes_since(self, version: int) -> Iterator[Change]:
        with self._lock:
            node_rows = self._conn.execute(
                "SELECT version, data, retrieved_at FROM nodes WHERE version > ? ORDER BY version, id", (version,)
            ).fetchall()
            edge_rows = self._conn.execute(
                "SELECT version, data, retrieved_at FROM edges WHERE version > ? ORDER BY version", (version,)
            ).fetchall()
        changes = [Change(v, node_from_facts(d, r)) for v, d, r in node_rows]
        changes += [Change(v, edge_from_facts(d, r)) for v, d, r in edge_rows]
        changes.sort(key=lambda c: (c.version, isinstance(c.record, Edge), c.record.id))
        yield from changes

    def counts(self) -> Counts:
        with self._lock:
            nodes = dict(self._conn.execute("SELECT kind, count(*) FROM nodes GROUP BY kind").fetchall())
            edges = dict(self._conn.execute("SELECT kind, count(*) FROM edges GROUP BY kind").fetchall())
        return Counts(nodes=nodes, edges=edges)

    def iter_nodes(self, *, kind: NodeKind | None = None, source: str | None = None) -> Iterator[Node]:
        where, args = _filters(None if kind is None else NodeKind(kind).value, source)
        sql = f"SELECT data, retrieved_at FROM nodes {where} ORDER BY id"
        yield from (node_from_facts(*row) for row in self._iter_rows(sql, args))

    def iter_edges(self, *, kind: EdgeKind | None = None, source: str | None = None) -> Iterator[Edge]:
        """Streams edges in a fixed (storage) order, without sorting in memory."""
        where, args = _filters(None if kind is None else EdgeKind(kind).value, source)
        sql = f"SELECT data, retrieved_at FROM edges {where} ORDER BY eid"
        yield from (edge_from_facts(*row) for row in self._iter_rows(sql, args))

    def _iter_rows(self, sql: str, args: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        # A separate read connection streams without holding the write lock.
        reader = (
            sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            if self.path != ":memory:"
            else None
        )
        conn = reader or self._conn
        try:
            yield from conn.execute(sql, args)
        finally:
            if reader is not None:
                reader.close()

    # -- documents ----------------------------------------------------------

    def put_doc(self, namespace: str, key: str, value: Mapping[str, Any]) -> None:
        text = json.dumps(dict(value), ensure_ascii=False, sort_keys=True)
        with self._lock:
            self._conn.execute(
                "INSERT INTO docs(ns, key, value) VALUES(?,?,?) "
                "ON CONFLICT(ns, key) DO UPDATE SET value=excluded.value",
                (namespace, key, text),
            )

    def get_doc(self, namespace: str, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM docs WHERE ns=? AND key=?", (namespace, key)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def iter_docs(self, namespace: str) -> Iterator[tuple[str, dict[str, Any]]]:
        with self._lock:
            rows = self._conn.execute("SELECT key, value FROM docs WHERE ns=? ORDER BY key", (namespace,)).fetchall()
        for key, value in rows:
            yield key, dict(json.loads(value))

    def delete_doc(self, namespace: str, key: str) -> bool:
        with self._lock:
            cur = self._conn.execute("DELETE FROM docs WHERE ns=? AND key=?", (namespace, key))
        return cur.rowcount > 0

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
