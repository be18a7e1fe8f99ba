"""GraphStore on a Neo4j 5 database, over Bolt with the official driver.

Same behaviour as :class:`graph.embedded.EmbeddedStore`, pinned by the one
contract suite. Writes go in batches of ``batch_size`` records, one
transaction each: the transaction first locks the ``:RsgraphMeta`` node
(serialising writers), reads the stored content hashes, then creates or
replaces only the records whose hash moved, stamped with the next store
version. Reads use ``execute_query``; queries and record mapping live in
:mod:`graph.neo4j_cypher`.

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

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import networkx as nx
from neo4j import Driver, GraphDatabase, ManagedTransaction, NotificationMinimumSeverity, RoutingControl
from neo4j.exceptions import DriverError, Neo4jError

from graph import neo4j_cypher as cy
from graph.errors import RecordRejected, SchemaVersionError, StoreError
from graph.model import Edge, EdgeKind, Node, NodeKind, content_hash
from graph.search import MAX_DF, generating_tokens, rank, score_candidates
from graph.store import Change, Counts, SubgraphQuery, UpsertResult
from graph.subgraph import to_networkx
from graph.text import name_tokens
from graph.validate import check_edge, check_node
from graph.window import lower_bound, upper_bound

__all__ = ["Neo4jStore"]

log = logging.getLogger(__name__)
T = TypeVar("T")
_CHUNK = 10_000  # ids per UNWIND of a read
_PAGE = 5_000  # records per page of iter_nodes / iter_edges
_ALL_KIND_LABELS = ":".join(cy.node_label(k) for k in NodeKind)

_LOCK = (
    "MERGE (m:RsgraphMeta {key: 'store'}) "
    "SET m.version = coalesce(m.version, 0), m.schema_version = $schema RETURN m.version AS v"
)
_BUMP = "MATCH (m:RsgraphMeta {key: 'store'}) SET m.version = $v"
_NODES = f"UNWIND $ids AS id MATCH (n:{cy.ENTITY} {{id: id}}) RETURN collect({cy.NODE_FIELDS}) AS out"
_PRESENT = f"UNWIND $ids AS id MATCH (n:{cy.ENTITY} {{id: id}}) RETURN collect(id) AS out"
_MISSING = (
    f"UNWIND $ids AS id OPTIONAL MATCH (n:{cy.ENTITY} {{id: id}}) WITH id WHERE n IS NULL RETURN collect(id) AS out"
)
# Which of the records (ids[i], hashes[i]) are new and which changed, as index lists.
_DIFF = (
    "UNWIND range(0, size($ids) - 1) AS i OPTIONAL MATCH {pattern} "
    "WITH i, x WHERE x IS NULL OR x.hash <> $hashes[i] "
    "RETURN collect(CASE WHEN x IS NULL THEN i END) AS new, collect(CASE WHEN x IS NOT NULL THEN i END) AS old"
)
_NODE_DIFF = _DIFF.format(pattern=f"(x:{cy.ENTITY} {{id: $ids[i]}})")
# Records written after version $v: nodes, then each relationship type (one index seek each).
_CHANGES = " UNION ALL ".join(
    [
        f"MATCH (n:{cy.ENTITY}) WHERE n.version > $v RETURN collect([n.version, {cy.NODE_FIELDS}]) AS out",
        *(
            f"MATCH ()-[r:{cy.rel_types([k])}]->() WHERE r.version > $v "
            f"RETURN collect([r.version, {cy.EDGE_FIELDS}]) AS out"
            for k in EdgeKind
        ),
    ]
)
# Counts per label and per relationship type, all from Neo4j's count store.
_COUNTS = " UNION ALL ".join(
    [
        *(
            f"MATCH (n:{cy.node_label(k)}) RETURN false AS edge, '{cy.node_label(k)}' AS kind, count(n) AS c"
            for k in NodeKind
        ),
        *(
            f"MATCH ()-[r:{cy.rel_types([k])}]->() RETURN true AS edge, '{cy.rel_types([k])}' AS kind, count(r) AS c"
            for k in EdgeKind
        ),
    ]
)


def _batches(records: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _by_kind(items: Iterable[tuple[Any, T]]) -> dict[Any, list[T]]:
    out: dict[Any, list[T]] = defaultdict(list)
    for kind, item in items:
        out[kind].append(item)
    return out


def _write_nodes(kind: NodeKind, exists: bool) -> str:
    """Create, or replace in place (relabelled to its kind), the nodes in columns ``$c``."""
    label, sets = cy.node_label(kind), cy.set_all("n", cy.NODE_COLUMNS)
    if exists:
        return (
            f"UNWIND range(0, size($c.id) - 1) AS i MATCH (n:{cy.ENTITY} {{id: $c.id[i]}}) "
            f"REMOVE n:{_ALL_KIND_LABELS} SET n:{label}, {sets}"
        )
    return f"UNWIND range(0, size($c.id) - 1) AS i CREATE (n:{cy.ENTITY}:{label}) SET {sets}"


class Neo4jStore:
    """GraphStore on a Neo4j database (``neo4j://``, ``neo4j+s://``, ``bolt://``)."""

    def __init__(self, uri: str, *, user: str, password: str, database: str = "neo4j", batch_size: int = 5000) -> None:
        self.uri = cy.safe_uri(uri)
        self.database = database
        self.batch_size = batch_size
        self.page_size = _PAGE
        self._driver: Driver | None = None
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
            reason = cy.scrub(str(exc), uri, password)
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
        rows = self._read(query, **params)
        return list(rows[0]["out"]) if rows else []

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
        rows = self._read("MATCH (m:RsgraphMeta {key: 'store'}) RETURN m.schema_version AS s")
        stored = int(rows[0]["s"] or 0) if rows else 0
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

    @staticmethod
    def _lock(tx: ManagedTransaction) -> int:
        """Take the store's write lock; returns the current version."""
        return int(tx.run(_LOCK, schema=cy.SCHEMA_VERSION).single(strict=True)["v"])

    # -- nodes --------------------------------------------------------------

    def upsert_nodes(self, nodes: Iterable[Node]) -> UpsertResult:
        total = UpsertResult(version=self.version())
        for batch in _batches(nodes, self.batch_size):
            total = total + self._upsert_node_batch(batch)
        return total

    def _upsert_node_batch(self, batch: list[Node]) -> UpsertResult:
        rejected: list[RecordRejected] = []
        latest: dict[str, tuple[Node, str]] = {}
        for node in batch:
            problem = check_node(node)
            if problem:
                rejected.append(problem)
            else:
                latest[node.id] = (node, content_hash(node))
        records = list(latest.values())

        def work(tx: ManagedTransaction) -> tuple[int, int]:
            current = self._lock(tx)
            diff = tx.run(_NODE_DIFF, ids=[n.id for n, _h in records], hashes=[h for _n, h in records]).single()
            new, old = (diff["new"], diff["old"]) if diff else ([], [])
            for exists, indexes in ((False, new), (True, old)):
                groups = _by_kind((records[i][0].kind, cy.node_row(*records[i])) for i in indexes)
                for kind, rows in groups.items():
                    tx.run(
                        _write_nodes(kind, exists), c=cy.columns(rows, cy.NODE_COLUMNS), version=current + 1
                    ).consume()
            if new or old:
                tx.run(_BUMP, v=current + 1).consume()
            return len(new) + len(old), current + 1 if new or old else current

        written, version = self._write(work)
        log.debug("nodes: %d written, %d unchanged, %d rejected", written, len(latest) - written, len(rejected))
        return UpsertResult(written, len(latest) - written, tuple(rejected), version)

    def get_node(self, node_id: str) -> Node | None:
        return self.get_nodes([node_id]).get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        out: dict[str, Node] = {}
        for part in _chunks(list(dict.fromkeys(node_ids))):
            out.update((r["id"], cy.node_from_record(r)) for r in self._collect(_NODES, ids=part))
        return out

    def degree(self, node_id: str) -> int:
        rows = self._read(f"MATCH (n:{cy.ENTITY} {{id: $id}}) RETURN COUNT {{ (n)--() }} AS d", id=node_id)
        return int(rows[0]["d"]) if rows else 0

    # -- edges --------------------------------------------------------------

    def upsert_edges(self, edges: Iterable[Edge]) -> UpsertResult:
        total = UpsertResult(version=self.version())
        for batch in _batches(edges, self.batch_size):
            total = total + self._upsert_edge_batch(batch)
        return total

    def _upsert_edge_batch(self, batch: list[Edge]) -> UpsertResult:
        checked: list[RecordRejected] = []
        latest: dict[str, tuple[Edge, str]] = {}
        for edge in batch:
            problem = check_edge(edge)
            if problem:
                checked.append(problem)
            else:
                latest[edge.id] = (edge, content_hash(edge))
        endpoints = list({x for e, _h in latest.values() for x in (e.src, e.dst)})

        def work(tx: ManagedTransaction) -> tuple[int, int, int, list[RecordRejected]]:
            current = self._lock(tx)
            missing = set(tx.run(_MISSING, ids=endpoints).single(strict=True)["out"])
            rejected = list(checked)
            valid: list[tuple[Edge, str]] = []
            for e, h in latest.values():
                gone = [(end, f) for end, f in ((e.src, "src"), (e.dst, "dst")) if end in missing]
                if gone:
                    rejected.append(
                        RecordRejected(e.provenance.source, e.id, gone[0][1], f"unknown node {gone[0][0]!r}")
                    )
                else:
                    valid.append((e, h))
            written = 0
            for kind, records in _by_kind((e.kind, (e, h)) for e, h in valid).items():
                written += self._write_edges(tx, kind, records, current + 1)
            if written:
                tx.run(_BUMP, v=current + 1).consume()
            return written, len(valid), current + 1 if written else current, rejected

        written, valid, version, rejected = self._write(work)
        log.debug("edges: %d written, %d unchanged, %d rejected", written, valid - written, len(rejected))
        return UpsertResult(written, valid - written, tuple(rejected), version)

    @staticmethod
    def _write_edges(tx: ManagedTransaction, kind: EdgeKind, records: list[tuple[Edge, str]], version: int) -> int:
        """Create or replace the edges of one kind whose hash moved; returns how many."""
        t = cy.rel_types([kind])
        diff_q = _DIFF.format(pattern=f"()-[x:{t} {{eid: $ids[i]}}]->()")
        diff = tx.run(diff_q, ids=[e.id for e, _h in records], hashes=[h for _e, h in records]).single()
        new, old = (diff["new"], diff["old"]) if diff else ([], [])
        if new:
            rows = [cy.edge_row(*records[i]) for i in new]
            query = (
                f"UNWIND range(0, size($c.eid) - 1) AS i MATCH (a:{cy.ENTITY} {{id: $c.src[i]}}) "
                f"MATCH (b:{cy.ENTITY} {{id: $c.dst[i]}}) CREATE (a)-[r:{t}]->(b) "
                f"SET {cy.set_all('r', cy.EDGE_COLUMNS)}"
            )
            tx.run(query, c=cy.columns(rows, ("src", "dst", *cy.EDGE_COLUMNS)), version=version).consume()
        if old:
            rows = [cy.edge_row(*records[i]) for i in old]
            query = (
                f"UNWIND range(0, size($c.eid) - 1) AS i MATCH ()-[r:{t} {{eid: $c.eid[i]}}]->() "
                f"SET {cy.set_all('r', cy.EDGE_COLUMNS)}"
            )
            tx.run(query, c=cy.columns(rows, cy.EDGE_COLUMNS), version=version).consume()
        return len(new) + len(old)

    def remove_edges(self, edge_ids: Iterable[str]) -> int:
        groups = _by_kind((cy.kind_of_edge_id(i), i) for i in dict.fromkeys(edge_ids))

        def work(tx: ManagedTransaction) -> int:
            removed = 0
            for kind, ids in groups.items():
                if kind is None:
                    continue
                t = cy.rel_types([kind])
                query = f"UNWIND $ids AS id MATCH ()-[r:{t} {{eid: id}}]->() DELETE r RETURN count(*) AS n"
                removed += int(tx.run(query, ids=ids).single(strict=True)["n"])
            return removed

        return self._write(work)

    def edges_of(self, node_id: str, *, kinds: Iterable[EdgeKind] | None = None) -> list[Edge]:
        wanted = None if kinds is None else list(kinds)
        if wanted == []:
            return []
        types = "" if wanted is None else ":" + cy.rel_types(wanted)
        query = f"MATCH (n:{cy.ENTITY} {{id: $id}})-[r{types}]-() RETURN collect({cy.EDGE_FIELDS}) AS out"
        return sorted((cy.edge_from_record(r) for r in self._collect(query, id=node_id)), key=lambda e: e.id)

    # -- search -------------------------------------------------------------

    def search(self, text: str, *, kinds: Iterable[NodeKind] | None = None, limit: int = 20) -> list[Node]:
        tokens = name_tokens(text)
        df = {t: self._df(t, MAX_DF + 1) for t in tokens}
        if df and not any(0 < n <= MAX_DF for n in df.values()) and any(df.values()):
            df = {t: self._df(t, None) for t in tokens}  # all common: the rarest one generates
        held: dict[str, set[str]] = {}
        seen: dict[str, tuple[str, str]] = {}

        def postings(tok: str) -> list[str]:
            query = (
                "CALL db.index.fulltext.queryNodes($index, $q) YIELD node "
                "RETURN collect([node.id, node.name, node.kind, node.tokens]) AS out"
            )
            out: list[str] = []
            for node_id, name, kind, toks in self._collect(query, index=cy.FULLTEXT_INDEX, q=cy.fulltext_term(tok)):
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
        options = "" if cap is None else ", {limit: $cap}"
        query = f"CALL db.index.fulltext.queryNodes($index, $q{options}) YIELD node RETURN count(node) AS n"
        rows = self._read(query, index=cy.FULLTEXT_INDEX, q=cy.fulltext_term(token), cap=cap)
        return int(rows[0]["n"])

    # -- k-hop --------------------------------------------------------------

    def subgraph(self, query: SubgraphQuery) -> nx.MultiDiGraph:
        seeds = set(query.seeds)
        present = self._collect(_PRESENT, ids=list(dict.fromkeys(query.seeds)))
        distance: dict[str, int] = dict.fromkeys(present, 0)
        kept: dict[str, Edge] = {}
        pruned: list[str] = []
        hops = 0 if query.edge_kinds is not None and not query.edge_kinds else query.hops
        types = "" if query.edge_kinds is None or not hops else ":" + cy.rel_types(query.edge_kinds)
        cypher = (
            f"UNWIND $ids AS id MATCH (:{cy.ENTITY} {{id: id}})-[r{types}]-() "
            "WHERE ($lo IS NULL OR r.hi IS NULL OR r.hi >= $lo) AND ($hi IS NULL OR r.lo IS NULL OR r.lo <= $hi) "
            f"WITH DISTINCT r RETURN collect({cy.EDGE_FIELDS}) AS out"
        )
        window = {"lo": lower_bound(query.since), "hi": upper_bound(query.until)}
        frontier = list(present)
        for hop in range(hops):
            nxt: list[str] = []
            for part in _chunks(self._expandable(frontier, seeds, query.degree_cap, pruned)):
                for rec in self._collect(cypher, ids=part, **window):
                    if rec["eid"] not in kept:
                        kept[rec["eid"]] = cy.edge_from_record(rec)
                    # One endpoint was expanded (so has a distance); the other may be new.
                    for end in (rec["src"], rec["dst"]):
                        if end not in distance:
                            distance[end] = hop + 1
                            nxt.append(end)
            frontier = nxt
        nodes = self.get_nodes(distance).values()
        return to_networkx(nodes, kept.values(), query=query, distance=distance, pruned=pruned)

    def _expandable(self, frontier: list[str], seeds: set[str], cap: int | None, pruned: list[str]) -> list[str]:
        if cap is None:
            return frontier
        out = [n for n in frontier if n in seeds]
        query = f"UNWIND $ids AS id MATCH (n:{cy.ENTITY} {{id: id}}) RETURN collect([id, COUNT {{ (n)--() }}]) AS out"
        for part in _chunks([n for n in frontier if n not in seeds]):
            for node_id, degree in self._collect(query, ids=part):
                (out if degree <= cap else pruned).append(node_id)
        return out

    def version(self) -> int:
        rows = self._read("MATCH (m:RsgraphMeta {key: 'store'}) RETURN m.version AS v")
        return int(rows[0]["v"] or 0) if rows else 0

    def changes_since(self, version: int) -> Iterator[Change]:
        changes: list[Change] = []
        for row in self._read(_CHANGES, v=version):
            for v, rec in row["out"]:
                changes.append(Change(int(v), cy.edge_from_record(rec) if "eid" in rec else cy.node_from_record(rec)))
        changes.sort(key=lambda c: (c.version, isinstance(c.record, Edge), c.record.id))
        yield from changes

    def counts(self) -> Counts:
        rows = [r for r in self._read(_COUNTS) if r["c"]]
        nodes = {r["kind"]: int(r["c"]) for r in rows if not r["edge"]}
        edges = {r["kind"]: int(r["c"]) for r in rows if r["edge"]}
        return Counts(nodes=nodes, edges=edges)

    def iter_nodes(self, *, kind: NodeKind | None = None, source: str | None = None) -> Iterator[Node]:
        where = "" if kind is None else f" AND n:{cy.node_label(kind)}"
        where += "" if source is None else " AND n.source = $source"
        query = (
            f"MATCH (n:{cy.ENTITY}) USING INDEX SEEK n:{cy.ENTITY}(id) WHERE n.id > $after{where} "
            f"WITH n ORDER BY n.id LIMIT $page RETURN collect({cy.NODE_FIELDS}) AS out"
        )
        for rec in self._pages(query, "id", source=source):
            yield cy.node_from_record(rec)

    def iter_edges(self, *, kind: EdgeKind | None = None, source: str | None = None) -> Iterator[Edge]:
        where = "" if source is None else " AND r.source = $source"
        present = self.counts().edges
        kinds = [EdgeKind(kind)] if kind is not None else [k for k in EdgeKind if k.value in present]
        # Edge ids start with "<KIND>|", so kinds in that order give all edges in id order.
        for k in sorted(kinds, key=lambda k: f"{k.value}|"):
            t = cy.rel_types([k])
            query = (
                f"MATCH ()-[r:{t}]->() USING INDEX SEEK r:{t}(eid) WHERE r.eid > $after{where} "
                f"WITH r ORDER BY r.eid LIMIT $page RETURN collect({cy.EDGE_FIELDS}) AS out"
            )
            for rec in self._pages(query, "eid", source=source):
                yield cy.edge_from_record(rec)

    def _pages(self, query: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Keyset pagination: short read queries, nothing held open between pages.

        The queries force a seek of the id index (``USING INDEX SEEK``): its
        range seek and order compare by code point like Python, whereas the
        scan-and-filter plan the planner may pick for small types compares
        UTF-16 units (as does a Cypher sort) and disagrees past U+FFFF.
        """
        after = ""
        while True:
            rows = self._collect(query, after=after, page=self.page_size, **params)
            yield from rows
            if len(rows) < self.page_size:
                return
            after = rows[-1][key]

    # -- documents ----------------------------------------------------------

    def put_doc(self, namespace: str, key: str, value: Mapping[str, Any]) -> None:
        text = cy.json_text(value)
        self._run("MERGE (d:RsgraphDoc {ns: $ns, key: $key}) SET d.value = $value", ns=namespace, key=key, value=text)

    def get_doc(self, namespace: str, key: str) -> dict[str, Any] | None:
        rows = self._read("MATCH (d:RsgraphDoc {ns: $ns, key: $key}) RETURN d.value AS v", ns=namespace, key=key)
        return cy.json_dict(rows[0]["v"]) if rows else None

    def iter_docs(self, namespace: str) -> Iterator[tuple[str, dict[str, Any]]]:
        rows = self._read("MATCH (d:RsgraphDoc {ns: $ns}) RETURN d.key AS k, d.value AS v", ns=namespace)
        for row in sorted(rows, key=lambda r: str(r["k"])):
            yield str(row["k"]), cy.json_dict(row["v"])

    def delete_doc(self, namespace: str, key: str) -> bool:
        rows = self._run("MATCH (d:RsgraphDoc {ns: $ns, key: $key}) DELETE d RETURN 1 AS gone", ns=namespace, key=key)
        return bool(rows)

    # -- lifecycle ----------------------------------------------------------

    def clear(self, batch: int = 20_000) -> None:
        """Delete every node, relationship, document and the version, in batches."""
        labels = f"{cy.ENTITY}|RsgraphDoc|RsgraphMeta"
        for step in (
            f"MATCH (:{cy.ENTITY})-[r]->() WITH r LIMIT $n DELETE r RETURN count(*) AS c",
            f"MATCH (n:{labels}) WITH n LIMIT $n DETACH DELETE n RETURN count(*) AS c",
        ):
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
