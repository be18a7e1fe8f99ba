"""GraphStore on a Neo4j 5 database, over Bolt with the official driver.

Same behaviour as :class:`graph.embedded.EmbeddedStore`, pinned by the one
contract suite. Writes go in batches of ``batch_size`` nodes or
``edge_batch_size`` edges, one transaction each: the transaction first locks
the ``:RsgraphMeta`` node (serialising writers), reads the stored content
hashes (of :func:`graph.model.facts_json`, as embedded), then creates or
replaces only the records whose hash moved, stamped with the next store
version. Edges of every kind are diffed before any is written (an index seek
after creates in the same transaction costs several times more); new edges
find their endpoints by element id (read once per batch while checking that
they exist), changed ones are replaced by the element id the diff returned.
Edge batches are larger than node batches: 10,000 edges per transaction cost
the server a little less per edge than 5,000, 20,000 clearly more. Validating,
hashing and packing a batch (:func:`graph.neo4j_rows.prepare_edges`) runs in
a thread one batch ahead, overlapping Neo4j's work on the previous one.
Reads use ``execute_query``. Cypher text lives in :mod:`graph.neo4j_cypher`,
the mapping of records to property rows in :mod:`graph.neo4j_rows`, k-hop
in :mod:`graph.neo4j_khop`.

Name search keeps each node's name tokens (:func:`graph.text.name_tokens`
over :func:`graph.model.searchable_names`) in one space-joined ``tokens``
property under a full-text index with Lucene's *whitespace* analyzer. Tokens
are already case-folded words, so the analyzer splits them back exactly and
a quoted term query finds exactly the nodes holding that token; results are
re-checked against the stored token set anyway. Unlike token nodes or a
posting relationship, this adds no relationships (degree and k-hop stay
pure) and no extra nodes to write, and Lucene gives postings and document
frequencies in one seek.
"""

from __future__ import annotations

import functools
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import networkx as nx
from neo4j import Driver, GraphDatabase, ManagedTransaction, NotificationMinimumSeverity, RoutingControl
from neo4j.exceptions import DriverError, Neo4jError

from graph import neo4j_cypher as cy
from graph import neo4j_khop as khop
from graph import neo4j_rows as rows
from graph.batching import batches
from graph.errors import RecordRejected, SchemaVersionError, StoreError
from graph.memory import gc_paused
from graph.model import Edge, EdgeKind, Node, NodeKind
from graph.search import MAX_DF, generating_tokens, rank, score_candidates
from graph.store import Change, Counts, SubgraphQuery, UpsertResult
from graph.text import name_tokens

__all__ = ["Neo4jStore"]

log = logging.getLogger(__name__)
T = TypeVar("T")
P = TypeVar("P")
_PAGE = 5_000  # records per page of iter_nodes / iter_edges
# Node id -> element id entries kept between edge batches (about 150 bytes each); emptied when full.
ELEMENT_ID_CACHE = 300_000


class _StaleElementIds(Exception):
    """A cached element id no longer names the node it was cached for: the batch is redone without them."""


def _ahead(batches: Iterable[list[T]], prepare: Callable[[list[T]], P]) -> Iterator[P]:
    """``prepare`` of each batch, the next one prepared in a thread while the caller writes this one.

    The driver releases the GIL while it waits for Neo4j, so packing the next batch overlaps the
    server's work on this one (two cores: about the larger of the two costs instead of their sum).
    """
    with ThreadPoolExecutor(1, thread_name_prefix="rsgraph-neo4j-pack") as pool:
        pending: Future[P] | None = None
        for batch in batches:
            upcoming = pool.submit(prepare, batch)
            if pending is not None:
                yield pending.result()
            pending = upcoming
        if pending is not None:
            yield pending.result()


def _by_kind(items: Iterable[tuple[Any, T]]) -> dict[Any, list[T]]:
    out: dict[Any, list[T]] = defaultdict(list)
    for kind, item in items:
        out[kind].append(item)
    return out


class Neo4jStore:
    """GraphStore on a Neo4j database (``neo4j://``, ``neo4j+s://``, ``bolt://``)."""

    def __init__(
        self,
        uri: str,
        *,
        user: str,
        password: str,
        database: str = "neo4j",
        batch_size: int = 5000,
        edge_batch_size: int = 10_000,
    ) -> None:
        self.uri = rows.safe_uri(uri)
        self.database = database
        self.batch_size = batch_size
        self.edge_batch_size = edge_batch_size
        self.page_size = _PAGE
        self._driver: Driver | None = None
        self._element_ids: dict[str, str] = {}  # node id -> element id, checked by every create that uses one
        if not uri.startswith(cy.SCHEMES):
            raise StoreError(f"not a Neo4j Bolt URI: {self.uri} (expected one of {', '.join(cy.SCHEMES)})")
        try:
            self._driver = GraphDatabase.driver(
                uri, auth=(user, password), notifications_min_severity=NotificationMinimumSeverity.OFF
            )
            self._driver.verify_connectivity()
            self._ensure_schema()
        except (DriverError, Neo4jError, ValueError) as exc:
            self.close()
            reason = rows.scrub(str(exc), uri, password)
            raise StoreError(f"cannot open Neo4j store at {self.uri} (database {database!r}): {reason}") from exc
        except BaseException:
            self.close()
            raise
        log.info("opened Neo4j store at %s (database %s)", self.uri, database)

    # -- plumbing -----------------------------------------------------------

    @property
    def driver(self) -> Driver:
        if self._driver is None:
            raise StoreError(f"Neo4j store at {self.uri} is closed")
        return self._driver

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except (DriverError, Neo4jError) as exc:
            raise StoreError(f"Neo4j store at {self.uri} (database {self.database!r}): {exc}") from exc

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        with self._errors():
            result = self.driver.execute_query(query, params, routing_=RoutingControl.READ, database_=self.database)
        return [r.data() for r in result.records]

    def _collect(self, query: str, **params: Any) -> list[Any]:
        """The list in column ``out`` of a query's single row (one record: far cheaper than many)."""
        found = self._read(query, **params)
        return list(found[0]["out"]) if found else []

    def _run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """One small write in its own transaction."""
        with self._errors():
            result = self.driver.execute_query(query, params, database_=self.database)
        return [r.data() for r in result.records]

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        bookmarks = self.driver.execute_query_bookmark_manager
        with self._errors(), self.driver.session(database=self.database, bookmark_manager=bookmarks) as session:
            return session.execute_write(work)

    def _ensure_schema(self) -> None:
        found = self._read(cy.VERSION)
        stored = int(found[0]["schema"] or 0) if found else 0
        if stored > cy.SCHEMA_VERSION:
            raise SchemaVersionError(
                f"Neo4j store at {self.uri} has schema version {stored}, newer than this rsgraph understands "
                f"({cy.SCHEMA_VERSION}); upgrade rsgraph. The database was not changed."
            )
        present = {r["name"] for r in self._read("SHOW INDEXES YIELD name RETURN name")}
        missing = [stmt for name, stmt in cy.schema_statements() if name not in present]
        for statement in missing:
            self._run(statement)
        if missing:
            log.info("created %d Neo4j indexes/constraints at %s", len(missing), self.uri)
        self._run("CALL db.awaitIndexes(300)")
        if 0 < stored < cy.SCHEMA_VERSION:
            self._migrate(stored)

    def _migrate(self, stored: int) -> None:
        """Rewrite the edges of a schema version 1 store in the current layout, a page per transaction.

        Resumable: an interrupted migration leaves version 1 stamped and a rerun skips the edges done.
        """
        log.warning("migrating Neo4j store at %s from schema version %d to %d", self.uri, stored, cy.SCHEMA_VERSION)
        for kind in EdgeKind:
            after: str | None = ""
            while after is not None:
                after = self._write(functools.partial(self._migrate_page, kind=kind, after=after))
        self._run(cy.STAMP_SCHEMA, schema=cy.SCHEMA_VERSION)
        log.info("migrated Neo4j store at %s to schema version %d", self.uri, cy.SCHEMA_VERSION)

    def _migrate_page(self, tx: ManagedTransaction, kind: EdgeKind, after: str) -> str | None:
        """Migrate the page of ``kind`` after eid ``after``; the page's last eid, or None when done."""
        if int(tx.run(cy.MIGRATION_LOCK).single(strict=True)["schema"] or 0) >= cy.SCHEMA_VERSION:
            return None  # another process finished it meanwhile
        page = tx.run(cy.legacy_edges(kind), after=after, page=self.page_size).single(strict=True)["out"]
        todo = [[r["element"], rows.legacy_edge_data(r)] for r in page if r["data"] is None]
        if todo:
            tx.run(cy.MIGRATE_EDGES, rows=todo).consume()
        return str(page[-1]["eid"]) if len(page) == self.page_size else None

    @staticmethod
    def _lock(tx: ManagedTransaction) -> int:
        """Take the store's write lock; returns the current version."""
        return int(tx.run(cy.LOCK, schema=cy.SCHEMA_VERSION).single(strict=True)["v"])

    # -- nodes --------------------------------------------------------------

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A large load. Neo4j keeps its indexes up to date inside transactions, so nothing changes."""
        yield

    def upsert_nodes(self, nodes: Iterable[Node]) -> UpsertResult:
        total = UpsertResult(version=self.version())
        for batch in _ahead(batches(nodes, self.batch_size), rows.prepare_nodes):
            total = total + self._write_nodes(batch)
        return total

    def _write_nodes(self, batch: rows.NodeBatch) -> UpsertResult:
        cols, kinds = batch.cols, batch.kinds

        def work(tx: ManagedTransaction) -> tuple[int, int]:
            current = self._lock(tx)
            diff = tx.run(cy.NODE_DIFF, ids=cols["id"], hashes=cols["hash"]).single(strict=True)
            for exists, indexes in ((False, diff["new"]), (True, diff["old"])):
                for kind, group in _by_kind((kinds[i], i) for i in indexes).items():
                    tx.run(cy.write_nodes(kind, exists), c=rows.select(cols, group), version=current + 1).consume()
            written = len(diff["new"]) + len(diff["old"])
            if written:
                tx.run(cy.BUMP, v=current + 1).consume()
            return written, current + 1 if written else current

        written, version = self._write(work) if kinds else (0, 0)
        unchanged, rejected = len(kinds) - written, batch.rejected
        log.debug("nodes: %d written, %d unchanged, %d rejected", written, unchanged, len(rejected))
        return UpsertResult(written, unchanged, rejected, version)

    def get_node(self, node_id: str) -> Node | None:
        return self.get_nodes([node_id]).get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        out: dict[str, Node] = {}
        for part in khop.chunks(list(dict.fromkeys(node_ids))):
            out.update((r["id"], rows.node_from_record(r)) for r in self._collect(cy.NODES, ids=part))
        return out

    def degree(self, node_id: str) -> int:
        found = self._read(cy.DEGREE, id=node_id)
        return int(found[0]["d"]) if found else 0

    # -- edges --------------------------------------------------------------

    def upsert_edges(self, edges: Iterable[Edge]) -> UpsertResult:
        total = UpsertResult(version=self.version())
        for batch in _ahead(batches(edges, self.edge_batch_size), rows.prepare_edges):
            total = total + self._write_edges(batch)
        return total

    def _write_edges(self, batch: rows.EdgeBatch) -> UpsertResult:
        cols = batch.cols

        def work(tx: ManagedTransaction) -> tuple[int, int, int, list[RecordRejected]]:
            current = self._lock(tx)
            groups = _by_kind((kind, i) for i, kind in enumerate(batch.kinds))
            diffs = {kind: self._diff_edges(tx, kind, cols, indexes) for kind, indexes in groups.items()}
            found, rejected = self._endpoints(tx, batch, sorted(i for new, _old in diffs.values() for i in new))
            written = 0
            for kind, (new, old) in diffs.items():
                written += self._create_edges(tx, kind, cols, [i for i in new if i not in rejected], found, current + 1)
                written += self._update_edges(tx, kind, cols, old, current + 1)
            if written:
                tx.run(cy.BUMP, v=current + 1).consume()
            return written, len(batch.kinds) - len(rejected), current + 1 if written else current, [*rejected.values()]

        written, valid, version, rejected = self._write_retrying(work) if batch.kinds else (0, 0, 0, [])
        rejected = [*batch.rejected, *rejected]
        log.debug("edges: %d written, %d unchanged, %d rejected", written, valid - written, len(rejected))
        return UpsertResult(written, valid - written, tuple(rejected), version)

    def _write_retrying(self, work: Callable[[ManagedTransaction], T]) -> T:
        """``work`` in a write transaction; once more without cached element ids if one was stale."""
        try:
            return self._write(work)
        except _StaleElementIds:  # rolled back: a node was deleted (clear() elsewhere); look all up again
            self._element_ids.clear()
        try:
            return self._write(work)
        except _StaleElementIds as exc:
            raise StoreError(f"Neo4j store at {self.uri}: nodes deleted while edges were written ({exc})") from exc

    @staticmethod
    def _diff_edges(
        tx: ManagedTransaction, kind: EdgeKind, cols: Mapping[str, list[Any]], indexes: list[int]
    ) -> tuple[list[int], list[tuple[int, str]]]:
        """The batch rows (of ``indexes``, all of ``kind``) that are new, and those whose hash moved (with
        their relationship's element id). Every kind is diffed before any edge is written (see
        :func:`graph.neo4j_cypher.edge_diff`)."""
        ids, hashes = [cols["eid"][i] for i in indexes], [cols["hash"][i] for i in indexes]
        diff = tx.run(cy.edge_diff(kind), ids=ids, hashes=hashes).single(strict=True)
        return [indexes[i] for i in diff["new"]], [(indexes[i], element) for i, element in diff["old"]]

    def _endpoints(
        self, tx: ManagedTransaction, batch: rows.EdgeBatch, new: list[int]
    ) -> tuple[dict[str, str], dict[int, RecordRejected]]:
        """Element ids of the endpoints of the new edges ``new``, and those rejected for a missing one.

        Only new edges are checked: an edge id names its endpoints, so a stored edge's are there.
        Element ids found by earlier batches are reused (the create re-checks each node's id); only
        the others are looked up, through the id index.
        """
        src, dst = batch.cols["src"], batch.cols["dst"]
        cache = self._element_ids
        ends = {src[i] for i in new} | {dst[i] for i in new}
        found = {end: element for end in ends if (element := cache.get(end)) is not None}
        unknown = [end for end in ends if end not in found]
        if unknown:
            looked_up = dict(tx.run(cy.ELEMENT_IDS, ids=unknown).single(strict=True)["out"])
            found.update(looked_up)
            if len(cache) + len(looked_up) > ELEMENT_ID_CACHE:
                cache.clear()
            cache.update(looked_up)
        rejected: dict[int, RecordRejected] = {}
        for i in new:
            gone = next(((end, f) for end, f in ((src[i], "src"), (dst[i], "dst")) if end not in found), None)
            if gone is not None:
                reason = f"unknown node {gone[0]!r}"
                rejected[i] = RecordRejected(batch.sources[i], batch.cols["eid"][i], gone[1], reason)
        return found, rejected

    @staticmethod
    def _create_edges(
        tx: ManagedTransaction,
        kind: EdgeKind,
        cols: dict[str, list[Any]],
        new: list[int],
        found: Mapping[str, str],
        version: int,
    ) -> int:
        if not new:
            return 0
        c = rows.select(cols, new)
        c.update(a=[found[x] for x in c["src"]], b=[found[x] for x in c["dst"]])
        created = int(tx.run(cy.create_edges(kind), c=c, version=version).single(strict=True)["n"])
        if created != len(new):
            raise _StaleElementIds(f"{len(new) - created} of {len(new)} endpoints moved")
        return len(new)

    @staticmethod
    def _update_edges(
        tx: ManagedTransaction, kind: EdgeKind, cols: dict[str, list[Any]], old: list[tuple[int, str]], version: int
    ) -> int:
        if not old:
            return 0
        c = rows.select(cols, [i for i, _element in old])
        del c["src"], c["dst"]
        c["r"] = [element for _i, element in old]
        tx.run(cy.update_edges(kind), c=c, version=version).consume()
        return len(old)

    def remove_edges(self, edge_ids: Iterable[str]) -> int:
        groups = _by_kind((rows.kind_of_edge_id(i), i) for i in dict.fromkeys(edge_ids))

        def work(tx: ManagedTransaction) -> int:
            current = self._lock(tx)
            removed = 0
            for kind, ids in groups.items():
                if kind is None:
                    continue
                removed += int(tx.run(cy.remove_edges(kind), ids=ids).single(strict=True)["n"])
            if removed:
                tx.run(cy.BUMP, v=current + 1).consume()  # a removal moves the version: caches keyed on it see it
            return removed

        return self._write(work)

    def edges_of(self, node_id: str, *, kinds: Iterable[EdgeKind] | None = None) -> list[Edge]:
        wanted = None if kinds is None else list(kinds)
        if wanted == []:
            return []
        found = self._collect(cy.edges_of(wanted), id=node_id)
        return sorted((rows.edge_from_record(r) for r in found), key=lambda e: e.id)

    # -- search -------------------------------------------------------------

    def search(self, text: str, *, kinds: Iterable[NodeKind] | None = None, limit: int = 20) -> list[Node]:
        tokens = name_tokens(text)
        df = {t: self._df(t, MAX_DF + 1) for t in tokens}
        if df and not any(0 < n <= MAX_DF for n in df.values()) and any(df.values()):
            df = {t: self._df(t, None) for t in tokens}  # all common: the rarest one generates
        held: dict[str, set[str]] = {}
        seen: dict[str, tuple[str, str]] = {}

        def postings(tok: str) -> list[str]:
            out: list[str] = []
            found = self._collect(cy.SEARCH_POSTINGS, index=cy.FULLTEXT_INDEX, q=rows.fulltext_term(tok))
            for node_id, name, kind, toks in found:
                held[node_id] = set((toks or "").split())
                seen[node_id] = (name, kind)
                if tok in held[node_id]:
                    out.append(node_id)
            return out

        def holders(tok: str, candidates: list[str]) -> list[str]:
            return [c for c in candidates if tok in held[c]]

        scores = score_candidates(tokens, generating_tokens(df), postings, holders)
        wanted = None if kinds is None else {NodeKind(k).value for k in kinds}
        scores = Counter({k: v for k, v in scores.items() if wanted is None or seen[k][1] in wanted})
        ids = rank(scores, {k: seen[k][0] for k in scores}, limit)
        found = self.get_nodes(ids)
        return [found[i] for i in ids if i in found]

    def _df(self, token: str, cap: int | None) -> int:
        """How many nodes hold ``token`` (counting stops at ``cap``)."""
        query = cy.SEARCH_DF if cap is None else cy.SEARCH_DF_CAPPED
        found = self._read(query, index=cy.FULLTEXT_INDEX, q=rows.fulltext_term(token), cap=cap)
        return int(found[0]["n"])

    # -- k-hop --------------------------------------------------------------

    def subgraph(self, query: SubgraphQuery) -> nx.MultiDiGraph:
        with gc_paused():  # as in the embedded store: a large result is many acyclic dicts
            return khop.subgraph(self._collect, self.get_nodes, query)

    def version(self) -> int:
        found = self._read(cy.VERSION)
        return int(found[0]["v"] or 0) if found else 0

    def changes_since(self, version: int) -> Iterator[Change]:
        changes: list[Change] = []
        for row in self._read(cy.CHANGES, v=version):
            for v, rec in row["out"]:
                changes.append(
                    Change(int(v), rows.edge_from_record(rec) if "eid" in rec else rows.node_from_record(rec))
                )
        changes.sort(key=lambda c: (c.version, isinstance(c.record, Edge), c.record.id))
        yield from changes

    def counts(self) -> Counts:
        found = [r for r in self._read(cy.COUNTS) if r["c"]]
        nodes = {r["kind"]: int(r["c"]) for r in found if not r["edge"]}
        edges = {r["kind"]: int(r["c"]) for r in found if r["edge"]}
        return Counts(nodes=nodes, edges=edges)

    def iter_nodes(self, *, kind: NodeKind | None = None, source: str | None = None) -> Iterator[Node]:
        for rec in self._pages(cy.page_nodes(kind, source is not None), "id", source=source):
            yield rows.node_from_record(rec)

    def iter_edges(self, *, kind: EdgeKind | None = None, source: str | None = None) -> Iterator[Edge]:
        present = self.counts().edges
        kinds = [EdgeKind(kind)] if kind is not None else [k for k in EdgeKind if k.value in present]
        # Edge ids start with "<KIND>|", so kinds in that order give all edges in id order.
        for k in sorted(kinds, key=lambda k: f"{k.value}|"):
            for rec in self._pages(cy.page_edges(k, source is not None), "eid", source=source):
                yield rows.edge_from_record(rec)

    def _pages(self, query: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Keyset pagination in index order: short reads, nothing held open between pages."""
        after = ""
        while True:
            page = self._collect(query, after=after, page=self.page_size, **params)
            yield from page
            if len(page) < self.page_size:
                return
            after = page[-1][key]

    # -- documents ----------------------------------------------------------

    def put_doc(self, namespace: str, key: str, value: Mapping[str, Any]) -> None:
        self._run(cy.PUT_DOC, ns=namespace, key=key, value=rows.json_text(value))

    def get_doc(self, namespace: str, key: str) -> dict[str, Any] | None:
        found = self._read(cy.GET_DOC, ns=namespace, key=key)
        return rows.json_dict(found[0]["v"]) if found else None

    def iter_docs(self, namespace: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for key, value in sorted(self._collect(cy.DOCS, ns=namespace)):
            yield str(key), rows.json_dict(value)

    def delete_doc(self, namespace: str, key: str) -> bool:
        return bool(self._run(cy.DELETE_DOC, ns=namespace, key=key))

    # -- lifecycle ----------------------------------------------------------

    def clear(self, batch: int = 20_000) -> None:
        """Delete every node, relationship, document and the version, in batches."""
        self._element_ids.clear()
        for step in cy.CLEAR:
            while self._run(step, n=batch)[0]["c"] == batch:
                pass

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
