"""The embedded default store: one SQLite file in WAL mode, zero set-up.

Nodes and edges are keyed by a 64-bit hash of their stable id, so an edge's
endpoint keys are computed without lookups. Edges sit in insertion order;
adjacency and degrees come from two covering indexes (see
:mod:`graph.sqlite_schema`), which :meth:`EmbeddedStore.bulk` drops for a
large load and rebuilds at its end. Row preparation lives in
:mod:`graph.embedded_rows`, batch writes in :mod:`graph.embedded_write`,
the k-hop walk in :mod:`graph.embedded_khop`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from graph.batching import batches
from graph.embedded_checkpoint import Checkpointer
from graph.embedded_graph import attributed_graph
from graph.embedded_khop import chunks, degrees, expand
from graph.embedded_rows import BATCH, EdgeBatch, NodeBatch, edge_identities, hash64, prepare_edges, prepare_nodes
from graph.embedded_seen import SeenEdges
from graph.embedded_write import append_edges, known_keys, write_edges, write_nodes
from graph.errors import StoreError
from graph.memory import gc_paused, pause_gc, release_freed_memory, resume_gc
from graph.model import Edge, EdgeKind, Node, NodeKind, edge_from_facts, node_from_facts
from graph.search import generating_tokens, rank, score_candidates
from graph.sqlite_schema import (
    IDENTITY,
    KIND_CODE,
    deferrable_on,
    ensure_indexes,
    index_builds,
    migrate,
    present_indexes,
    restore_identity,
)
from graph.store import Change, Counts, SubgraphQuery, UpsertResult
from graph.subgraph import ids_networkx
from graph.text import name_tokens

__all__ = ["EmbeddedStore", "hash64"]

_CODE_KIND = {c: k for k, c in KIND_CODE.items()}
_CODE_NAME = {c: k.value for k, c in KIND_CODE.items()}
_CACHE = -131072  # SQLite page cache: 128 MiB
_BULK_CACHE = -524288  # 512 MiB while bulk loading (random inserts into the identity index)
_MMAP = 268435456  # bytes of the file mapped for reads: 256 MiB
_KEY_MEMO = 300_000  # endpoint id -> key memo entries kept (hubs recur; a big memo costs memory)
BULK_COMMIT = 500_000  # rows a bulk load gathers per transaction (each commit rewrites the pages it touched)
_SAVEPOINT = "rsgraph_batch"
_APPEND_BATCH = 50_000  # edges a first load appends at once: longer sorted runs, cheaper index builds after


def _filters(kind: str | int | None, source: str | None) -> tuple[str, list[Any]]:
    clauses = [c for c, v in (("kind=?", kind), ("source=?", source)) if v is not None]
    args = [v for v in (kind, source) if v is not None]
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), args


class EmbeddedStore:
    """GraphStore on one local SQLite file."""

    def __init__(self, path: str | Path, *, bulk_commit: int = BULK_COMMIT) -> None:
        self.path = str(path)
        self.bulk_commit = max(1, bulk_commit)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        self._lock = threading.RLock()
        self._known: set[int] = set()  # node keys seen stored (nodes are never deleted)
        self._keys: dict[str, int] = {}  # endpoint id -> key, a memo of hash64
        self._bulk_depth = 0
        self._pending = 0  # rows written in the open bulk transaction, not yet committed
        self._batch_open = False  # a batch savepoint inside the bulk transaction
        self._seen: SeenEdges | None = None  # set while a first bulk load defers the identity index
        self._checkpointer: Checkpointer | None = None  # copies WAL pages into the file while bulk() runs
        self._deferred: set[str] = set()  # tables whose secondary indexes this bulk() dropped
        self._conn.execute("PRAGMA busy_timeout=60000")
        migrate(self._conn, self.path)  # also recreates indexes a killed bulk load left out
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(f"PRAGMA cache_size={_CACHE}")
        self._conn.execute(f"PRAGMA mmap_size={_MMAP}")

    # -- transactions -------------------------------------------------------

    def _begin(self) -> int:
        """Open a batch's transaction; inside bulk() a savepoint in the long bulk transaction."""
        if self._bulk_depth:
            if not self._conn.in_transaction:
                self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute(f"SAVEPOINT {_SAVEPOINT}")
            self._batch_open = True
        else:
            self._conn.execute("BEGIN IMMEDIATE")
        return self.version() + 1

    def _commit(self, version: int, wrote: bool, rows: int = 0) -> None:
        if wrote:
            self._conn.execute(
                "INSERT INTO meta(key, value) VALUES('version', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (str(version),),
            )
        if not self._batch_open:
            self._conn.execute("COMMIT")
            return
        self._conn.execute(f"RELEASE {_SAVEPOINT}")
        self._batch_open = False
        self._pending += rows
        if self._pending >= self.bulk_commit:
            self._flush()

    def _flush(self) -> None:
        """Commit the open bulk transaction (what bulk() gathered so far becomes durable)."""
        if self._conn.in_transaction:
            self._conn.execute("COMMIT")
        self._pending = 0

    def _rollback(self) -> None:
        """Undo the failed batch only: earlier batches of a bulk transaction stay."""
        if self._batch_open:
            self._batch_open = False
            self._conn.execute(f"ROLLBACK TO {_SAVEPOINT}")
            self._conn.execute(f"RELEASE {_SAVEPOINT}")
        elif self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A large load: a table's secondary indexes are dropped at its first write and rebuilt (sorted) on exit.

        Into a store without edges (a first load) the identity index is
        deferred too: edges are appended and :class:`SeenEdges` tells which
        the load already wrote, so counts and versions stay exact; a read of
        edges inside the block, or its end, settles the store (an edge
        written twice keeps its newest row; the index is built sorted).
        Batches are gathered into transactions of about ``bulk_commit`` rows
        (each batch a savepoint, so a rejected batch undoes only itself), and
        what is pending is committed on exit, also when the block raised.
        Reads on this store inside see everything written; other connections
        see it once committed. If the process dies inside, the rows since the
        last commit are lost together with any checkpoint documents written
        beside them (same transaction), so a resumed ingest redoes exactly
        those; the next open rebuilds the missing indexes.
        """
        with self._lock:
            if self._bulk_depth == 0:
                self._conn.execute("BEGIN IMMEDIATE")
                if self._conn.execute("SELECT 1 FROM edges LIMIT 1").fetchone() is None:
                    self._conn.execute(f"DROP INDEX IF EXISTS {IDENTITY[0]}")
                    self._seen = SeenEdges()
                self._conn.execute("COMMIT")
                self._conn.execute(f"PRAGMA cache_size={_BULK_CACHE}")
                self._conn.execute("PRAGMA mmap_size=0")  # the page cache serves a load; no second copy mapped
                if self._wal():  # WAL pages are copied into the file beside the load, not in its commits
                    self._conn.execute("PRAGMA wal_autocheckpoint=0")
                    self._checkpointer = Checkpointer(self.path).start()
                pause_gc()  # a load makes millions of acyclic objects; reference counting frees them
            self._bulk_depth += 1
            try:
                yield
            finally:
                self._bulk_depth -= 1
                if self._bulk_depth == 0:
                    try:
                        self._end_bulk()
                    finally:
                        resume_gc()
                    release_freed_memory()

    def _wal(self) -> bool:
        return str(self._conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"

    def _end_bulk(self) -> None:
        self._keys.clear()
        self._deferred.clear()
        try:
            if self._batch_open:  # a batch interrupted mid-write
                self._rollback()
            self._settle()
            self._flush()
        finally:  # also when settling failed: no thread left behind, the connection checkpoints itself again
            if self._checkpointer is not None:
                self._checkpointer.stop()
                self._checkpointer = None
            self._conn.execute("PRAGMA wal_autocheckpoint=1000")
        ensure_indexes(self._conn)
        self._conn.execute(f"PRAGMA cache_size={_CACHE}")
        self._conn.execute("PRAGMA shrink_memory")  # hand the load's page cache back
        self._conn.execute(f"PRAGMA mmap_size={_MMAP}")
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _settle(self) -> None:
        """End a deferred identity: drop rewritten edges' older rows, build the index (in the bulk transaction)."""
        if self._seen is None:
            return
        seen, self._seen = self._seen, None
        if not self._conn.in_transaction:
            self._conn.execute("BEGIN IMMEDIATE")
        with index_builds(self._conn):
            restore_identity(self._conn, dedupe=seen.rewrites > 0)

    # -- nodes --------------------------------------------------------------

    def upsert_nodes(self, nodes: Iterable[Node]) -> UpsertResult:
        total = UpsertResult(version=self.version())
        with self._lock:
            for batch in batches(nodes, BATCH):
                total = total + self._write(prepare_nodes(batch))
        return total

    def _defer_indexes(self, table: str) -> None:
        """Inside bulk(), before its first write to ``table``: drop that table's secondary indexes, committed.

        Only a table the load writes loses them, so a nodes-only load does not rebuild the edge indexes.
        """
        if not self._bulk_depth or table in self._deferred:
            return
        self._flush()
        self._conn.execute("BEGIN IMMEDIATE")
        for name in deferrable_on(table):
            self._conn.execute(f"DROP INDEX IF EXISTS {name}")
        self._conn.execute("COMMIT")
        self._deferred.add(table)

    def _write(self, batch: NodeBatch | EdgeBatch) -> UpsertResult:
        self._defer_indexes("nodes" if isinstance(batch, NodeBatch) else "edges")
        try:
            version = self._begin()
            if isinstance(batch, NodeBatch):
                written = write_nodes(self._conn, batch, version)
                self._known.update(batch.rows)
            elif self._seen is not None:
                if self._seen.empty():  # appends touch only the table's last pages: no large cache
                    self._conn.execute(f"PRAGMA cache_size={_CACHE}")
                written = append_edges(self._conn, batch, self._known, self._seen, version)
            else:
                written = write_edges(self._conn, batch, self._known, version)
            self._commit(version, written > 0, len(batch.rows))
        except sqlite3.IntegrityError:
            self._rollback()
            if self._seen is None or IDENTITY[0] not in present_indexes(self._conn):
                raise
            # Another connection rebuilt the identity index mid-load (opening the store does): upsert.
            self._seen = None
            return self._write(batch)
        except BaseException:
            self._rollback()
            if self._seen is not None:
                self._seen.drop()
            raise
        if self._seen is not None:
            self._seen.keep()
        admitted = len(batch.rows)
        return UpsertResult(written, admitted - written, tuple(batch.rejected), self.version())

    def get_node(self, node_id: str) -> Node | None:
        return self.get_nodes([node_id]).get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        keys = [hash64(i) for i in dict.fromkeys(node_ids)]
        return {n.id: n for n in self._nodes_by_nid(keys)}

    def _nodes_by_nid(self, nids: Sequence[int]) -> list[Node]:
        out: list[Node] = []
        with self._lock:
            for part in chunks(nids):
                marks = ",".join("?" * len(part))
                rows = self._conn.execute(f"SELECT data, retrieved_at FROM nodes WHERE nid IN ({marks})", part)
                out.extend(node_from_facts(*row) for row in rows)
        return out

    def degree(self, node_id: str) -> int:
        key = hash64(node_id)
        with self._lock:
            self._settle()
            return degrees(self._conn, [key])[key]

    # -- edges --------------------------------------------------------------

    def upsert_edges(self, edges: Iterable[Edge]) -> UpsertResult:
        total = UpsertResult(version=self.version())
        with self._lock:
            for batch in batches(edges, _APPEND_BATCH if self._seen is not None else BATCH):
                if len(self._keys) > _KEY_MEMO:
                    self._keys.clear()
                total = total + self._write(prepare_edges(batch, self._keys))
        return total

    def remove_edges(self, edge_ids: Iterable[str]) -> int:
        idents = [ident for i in dict.fromkeys(edge_ids) for ident in edge_identities(i)]
        with self._lock:
            self._settle()
            try:
                version = self._begin()
                before = self._conn.total_changes
                self._conn.executemany("DELETE FROM edges WHERE src=? AND kind=? AND dst=? AND ekey=?", idents)
                removed = self._conn.total_changes - before
                self._commit(version, removed > 0)  # a removal moves the version: caches keyed on it see it
            except BaseException:
                self._rollback()
                raise
        return removed

    def _edges_by_rowid(self, rowids: Sequence[int]) -> list[Edge]:
        out: list[Edge] = []
        with self._lock:
            for part in chunks(rowids):
                marks = ",".join("?" * len(part))
                rows = self._conn.execute(f"SELECT data, retrieved_at FROM edges WHERE rowid IN ({marks})", part)
                out.extend(edge_from_facts(*row) for row in rows)
        return out

    def edges_of(self, node_id: str, *, kinds: Iterable[EdgeKind] | None = None) -> list[Edge]:
        codes = None if kinds is None else {KIND_CODE[EdgeKind(k)] for k in kinds}
        key = hash64(node_id)
        with self._lock:
            self._settle()
            rows = self._conn.execute(
                "SELECT rowid, kind FROM edges WHERE src=? UNION SELECT rowid, kind FROM edges WHERE dst=?", (key, key)
            ).fetchall()
        rowids = [r for r, code in rows if codes is None or code in codes]
        return sorted(self._edges_by_rowid(rowids), key=lambda e: e.id)

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
        for part in chunks(candidates):
            marks = ",".join("?" * len(part))
            rows = self._conn.execute(f"SELECT nid FROM tokens WHERE tok=? AND nid IN ({marks})", (tok, *part))
            out.extend(str(r[0]) for r in rows)
        return out

    # -- k-hop --------------------------------------------------------------

    def subgraph(self, query: SubgraphQuery) -> nx.MultiDiGraph:
        codes = None if query.edge_kinds is None else {KIND_CODE[EdgeKind(k)] for k in query.edge_kinds}
        seed_keys = list(dict.fromkeys(hash64(s) for s in query.seeds))
        with gc_paused():  # a large result is tens of thousands of acyclic dicts: not worth the collector's walks
            with self._lock:
                self._settle()
                known_keys(self._conn, set(seed_keys), self._known)
                found = expand(self._conn, [k for k in seed_keys if k in self._known], query, codes)
                if not query.attributes:
                    return self._ids_graph(query, found.distance, found.edges, found.pruned)
                node_rows = self._rows("SELECT nid, data, retrieved_at FROM nodes WHERE nid", list(found.distance))
                edge_rows = self._rows("SELECT data, retrieved_at FROM edges WHERE rowid", list(found.edges))
            return attributed_graph(node_rows, edge_rows, query=query, distance=found.distance, pruned=found.pruned)

    def _rows(self, select: str, keys: Sequence[int]) -> list[tuple[Any, ...]]:
        """Rows of ``{select} IN (keys)``, in chunks; call with the lock held."""
        out: list[tuple[Any, ...]] = []
        for part in chunks(keys):
            out.extend(self._conn.execute(f"{select} IN ({','.join('?' * len(part))})", part))
        return out

    def _ids_graph(
        self,
        query: SubgraphQuery,
        distance: dict[int, int],
        edges: Mapping[int, tuple[int, int, int, str]],
        pruned: list[int],
    ) -> nx.MultiDiGraph:
        rows = self._rows("SELECT nid, id, kind FROM nodes WHERE nid", list(distance))
        names = {nid: (node_id, kind) for nid, node_id, kind in rows}
        refs = []
        for s, d, code, key in edges.values():
            src, dst, kind = names[s][0], names[d][0], _CODE_NAME[code]
            refs.append((src, dst, f"{kind}|{src}|{dst}|{key}", kind))
        return ids_networkx(
            {names[k][0]: (names[k][1], d) for k, d in distance.items()},
            refs,
            query=query,
            pruned=[names[k][0] for k in pruned],
        )

    # -- versions, counts, iteration --------------------------------------

    def version(self) -> int:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        return int(row[0]) if row else 0

    def changes_since(self, version: int) -> Iterator[Change]:
        with self._lock:
            self._settle()
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
            self._settle()
            nodes = dict(self._conn.execute("SELECT kind, count(*) FROM nodes GROUP BY kind").fetchall())
            rows = self._conn.execute("SELECT kind, count(*) FROM edges GROUP BY kind").fetchall()
        edges = {_CODE_KIND[code].value: n for code, n in rows}
        return Counts(nodes=nodes, edges=edges)

    def iter_nodes(self, *, kind: NodeKind | None = None, source: str | None = None) -> Iterator[Node]:
        where, args = _filters(None if kind is None else NodeKind(kind).value, source)
        sql = f"SELECT data, retrieved_at FROM nodes {where} ORDER BY id"
        yield from (node_from_facts(*row) for row in self._iter_rows(sql, args))

    def iter_edges(self, *, kind: EdgeKind | None = None, source: str | None = None) -> Iterator[Edge]:
        """Streams edges in a fixed (storage) order, without sorting in memory."""
        where, args = _filters(None if kind is None else KIND_CODE[EdgeKind(kind)], source)
        sql = f"SELECT data, retrieved_at FROM edges {where} ORDER BY rowid"
        yield from (edge_from_facts(*row) for row in self._iter_rows(sql, args))

    def _iter_rows(self, sql: str, args: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        # A separate read connection streams without holding the write lock; it sees committed rows only.
        with self._lock:
            if self._bulk_depth and not self._batch_open:
                self._settle()
                self._flush()
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
