"""Embedded-only behaviour: schema versions, damaged files, crash safety."""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bench.generate import GraphSpec, generate_edges, generate_nodes, org_id
from graph.embedded import EmbeddedStore, hash64
from graph.errors import SchemaVersionError, StoreError
from graph.model import Edge, EdgeKind, Node, facts_json, hash_text, searchable_names
from graph.sqlite_schema import DEFERRABLE, SCHEMA_VERSION, V1, deferrable_on
from graph.store import SubgraphQuery
from graph.subgraph import reference_subgraph
from graph.text import name_tokens
from graph.window import lower_bound, upper_bound
from tests.conftest import REPO
from tests.contract.test_store_contract import assert_same_graph, load, small_world
from tests.factories import edge, org

QUERIES = [
    SubgraphQuery(("test:o1",), hops=1),
    SubgraphQuery(("test:o1",), hops=3),
    SubgraphQuery(("test:o0", "test:p|1"), hops=2, since="2021", until="2022"),
    SubgraphQuery(("test:o2",), hops=3, degree_cap=2, edge_kinds=frozenset({EdgeKind.COLLABORATED_WITH})),
    SubgraphQuery(("test:o1",), hops=2, until="2020-06", attributes=False),
]

WRITER = """
import sys
from bench.generate import GraphSpec, generate_edges, generate_nodes
from graph.embedded import EmbeddedStore
store = EmbeddedStore(sys.argv[1])
spec = GraphSpec(int(sys.argv[2]), int(sys.argv[3]))
store.upsert_nodes(generate_nodes(spec))
print("nodes-done", flush=True)
store.upsert_edges(generate_edges(spec))
print("edges-done", flush=True)
"""


def test_newer_schema_is_refused_without_damage(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    EmbeddedStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaVersionError, match="newer than this rsgraph understands"):
        EmbeddedStore(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="not an rsgraph store"):
        EmbeddedStore(path)
    assert path.read_text().startswith("these are my notes")


def test_reopening_keeps_data(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "s.db") as store:
        store.upsert_nodes([org("test:a", "Alpha")])
    with EmbeddedStore(tmp_path / "s.db") as store:
        assert store.get_node("test:a") == org("test:a", "Alpha")


def _run_writer(path: Path, orgs: int, edges: int, kill_after: int | None) -> None:
    """Run WRITER to the end, or SIGKILL it once ``kill_after`` edge rows are committed (mid-upsert)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(orgs), str(edges)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    if kill_after is None:
        assert proc.wait(timeout=600) == 0
        return
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "nodes-done"
    deadline = time.monotonic() + 300
    while _committed_edges(path) < kill_after and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)


def _committed_edges(path: Path) -> int:
    """Edge rows committed so far, read beside the writer (WAL lets a reader in)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
    try:
        return int(conn.execute("SELECT coalesce(max(rowid), 0) FROM edges").fetchone()[0])
    finally:
        conn.close()


def test_kill_9_during_large_upsert_then_rerun_equals_clean_run(tmp_path: Path) -> None:
    orgs, edges = 20_000, 150_000
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    _run_writer(clean, orgs, edges, None)
    _run_writer(crashed, orgs, edges, kill_after=40_000)
    with EmbeddedStore(crashed) as store:
        partial = store.counts().as_dict()
        assert sum(partial["edges"].values()) < edges, "the writer finished before it was killed; raise the size"
    _run_writer(crashed, orgs, edges, None)
    with EmbeddedStore(clean) as a, EmbeddedStore(crashed) as b:
        assert a.counts() == b.counts()
        sample = [f"bench:o{i}" for i in range(0, orgs, 997)]
        assert [a.degree(s) for s in sample] == [b.degree(s) for s in sample]
        assert [e.id for e in a.edges_of("bench:o0")] == [e.id for e in b.edges_of("bench:o0")]


def _write_v1_store(path: Path, nodes: list[Node], edges: list[Edge]) -> None:
    """A store file exactly as schema version 1 wrote it (nodes at version 1, edges at 2)."""
    conn = sqlite3.connect(path)
    conn.executescript(V1)
    degree = Counter(end for e in edges for end in (e.src, e.dst))
    for n in nodes:
        facts = facts_json(n)
        conn.execute(
            "INSERT INTO nodes(nid, id, kind, name, source, data, retrieved_at, hash, version, degree) "
            "VALUES(?,?,?,?,?,?,?,?,1,?)",
            (
                hash64(n.id),
                n.id,
                n.kind.value,
                n.name,
                n.provenance.source,
                facts,
                n.provenance.retrieved_at,
                hash_text(facts),
                degree[n.id],
            ),
        )
        tokens = {t for s in searchable_names(n) for t in name_tokens(s)}
        conn.executemany("INSERT INTO tokens(tok, nid) VALUES(?,?)", [(t, hash64(n.id)) for t in tokens])
    for code, e in ((list(EdgeKind).index(e.kind), e) for e in edges):
        facts, eid, src, dst = facts_json(e), hash64(e.id), hash64(e.src), hash64(e.dst)
        conn.execute(
            "INSERT INTO edges(eid, kind, src, dst, source, data, retrieved_at, hash, version) "
            "VALUES(?,?,?,?,?,?,?,?,2)",
            (eid, e.kind.value, src, dst, e.provenance.source, facts, e.provenance.retrieved_at, hash_text(facts)),
        )
        lo, hi = lower_bound(e.start), upper_bound(e.end)
        conn.executemany(
            "INSERT INTO adj(nid, eid, other, kind, lo, hi) VALUES(?,?,?,?,?,?)",
            [(src, eid, dst, code, lo, hi), (dst, eid, src, code, lo, hi)],
        )
    conn.executemany("INSERT INTO meta(key, value) VALUES(?,?)", [("schema_version", "1"), ("version", "2")])
    conn.commit()
    conn.close()


def test_a_version_1_file_is_migrated_and_answers_like_a_fresh_store(tmp_path: Path) -> None:
    nodes, edges = small_world()
    nodes.append(org("test:p|1", "Pipe | Org"))  # '|' inside ids: edge ids stay resolvable
    edges.append(edge(EdgeKind.RELATED_TO, "test:p|1", "test:o1", key="a|b", start="2020-02", end="2021"))
    old = tmp_path / "v1.db"
    _write_v1_store(old, nodes, edges)
    with EmbeddedStore(old) as store, EmbeddedStore(tmp_path / "fresh.db") as fresh:
        load(fresh, nodes, edges)
        conn = sqlite3.connect(old)
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (str(SCHEMA_VERSION),)
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name='adj'").fetchone() == (0,)
        conn.close()
        assert list(store.iter_nodes()) == list(fresh.iter_nodes()) == sorted(nodes, key=lambda n: n.id)
        assert sorted(store.iter_edges(), key=lambda e: e.id) == sorted(edges, key=lambda e: e.id)
        assert [(c.version, c.record) for c in store.changes_since(0)] == [
            *((1, n) for n in sorted(nodes, key=lambda n: n.id)),
            *((2, e) for e in sorted(edges, key=lambda e: e.id)),
        ]
        for q in QUERIES:
            assert_same_graph(store.subgraph(q), reference_subgraph(nodes, edges, q))
        assert [store.degree(n.id) for n in nodes] == [fresh.degree(n.id) for n in nodes]
        assert store.search("pipe org")[0].id == "test:p|1"
        assert store.counts() == fresh.counts()
        again = store.upsert_edges(edges)
        assert (again.written, again.unchanged, store.version()) == (0, len(edges), 2)
        assert store.remove_edges([edges[-1].id, edges[0].id]) == 2
        assert store.degree("test:p|1") == 0


def _bulk_writer(path: Path) -> subprocess.Popen[str]:
    script = """
import sys, time
from bench.generate import GraphSpec, generate_edges, generate_nodes
from graph.embedded import EmbeddedStore
store = EmbeddedStore(sys.argv[1])
spec = GraphSpec(3000, 20000)
with store.bulk():
    store.upsert_nodes(generate_nodes(spec))
    store.upsert_edges(generate_edges(spec))
    print("loaded", flush=True)
    time.sleep(600)
"""
    return subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True)


def test_kill_9_inside_bulk_leaves_a_store_that_reopens_complete(tmp_path: Path) -> None:
    crashed, clean = tmp_path / "crashed.db", tmp_path / "clean.db"
    proc = _bulk_writer(crashed)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "loaded"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    conn = sqlite3.connect(crashed)
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    assert not present & {name for name, _ in DEFERRABLE}, "the kill came after the bulk block ended"
    spec = GraphSpec(3000, 20000)
    with EmbeddedStore(crashed) as b, EmbeddedStore(clean) as a:
        held = b.counts()  # what the last bulk commit kept: a consistent prefix (here none, the load is small)
        assert sum(held.edges.values()) <= 20000
        for store in (a, b):  # the crashed store is loaded again, as a resumed ingest does
            store.upsert_nodes(generate_nodes(spec))
            store.upsert_edges(generate_edges(spec))
        assert a.counts() == b.counts()
        sample = [org_id(i) for i in range(0, 3000, 97)]
        assert [a.degree(s) for s in sample] == [b.degree(s) for s in sample]
        q = SubgraphQuery(tuple(sample[:3]), hops=2, degree_cap=50)
        assert_same_graph(b.subgraph(q), a.subgraph(q))
    conn = sqlite3.connect(crashed)
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    assert present >= {name for name, _ in DEFERRABLE}


def test_reads_inside_bulk_are_right_and_indexes_return_after(tmp_path: Path) -> None:
    nodes, edges = small_world()
    with EmbeddedStore(tmp_path / "s.db") as store:
        with store.bulk(), store.bulk():  # nests
            load(store, nodes, edges)
            for q in QUERIES:
                assert_same_graph(store.subgraph(q), reference_subgraph(nodes, edges, q))
            assert store.degree("test:o1") == 3
            assert sorted(n.id for n in store.iter_nodes()) == sorted(n.id for n in nodes)  # a second connection
            assert [e.id for e in store.edges_of("test:o2")] == sorted(
                e.id for e in edges if "test:o2" in (e.src, e.dst)
            )
        conn = sqlite3.connect(tmp_path / "s.db")
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        conn.close()
        assert present >= {name for name, _ in DEFERRABLE}
        assert_same_graph(store.subgraph(QUERIES[1]), reference_subgraph(nodes, edges, QUERIES[1]))


def test_a_failed_bulk_load_still_rebuilds_indexes(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "s.db") as store:
        with pytest.raises(RuntimeError), store.bulk():
            store.upsert_nodes([org("test:a", "Alpha")])
            raise RuntimeError("source failed")
        assert store.get_node("test:a") == org("test:a", "Alpha")
        assert store.search("alpha")[0].id == "test:a"
        conn = sqlite3.connect(tmp_path / "s.db")
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        conn.close()
        assert present >= {name for name, _ in DEFERRABLE}


@pytest.mark.parametrize("bulk", [False, True])
def test_dated_and_undated_edges_in_one_batch_keep_their_bounds(tmp_path: Path, bulk: bool) -> None:
    """Undated rows leave lo/hi to the column default; a dated edge rewritten undated loses its bounds."""
    store = EmbeddedStore(tmp_path / "s.db")
    nodes = [org(f"test:{n}") for n in "abcd"]
    names = {hash64(n.id): n.id for n in nodes}
    with store.bulk() if bulk else contextlib.nullcontext():
        store.upsert_nodes(nodes)
        store.upsert_edges(
            [
                edge(EdgeKind.COLLABORATED_WITH, "test:a", "test:b", "2021", "2021", "2021"),
                edge(EdgeKind.COLLABORATED_WITH, "test:a", "test:c"),
                edge(EdgeKind.PARENT_OF, "test:a", "test:d", start="2019-05"),
                edge(EdgeKind.PARENT_OF, "test:b", "test:d", end="2020"),
            ]
        )

    def bounds() -> dict[tuple[str, str], tuple[str | None, str | None]]:
        rows = store._conn.execute("SELECT src, dst, lo, hi FROM edges")
        return {(names[s], names[d]): (lo, hi) for s, d, lo, hi in rows}

    assert bounds() == {
        ("test:a", "test:b"): ("2021-01-01", "2021-12-31"),
        ("test:a", "test:c"): (None, None),
        ("test:a", "test:d"): ("2019-05-01", None),
        ("test:b", "test:d"): (None, "2020-12-31"),
    }
    assert {(e.src, e.dst): (e.start, e.end) for e in store.iter_edges()} == {
        ("test:a", "test:b"): ("2021", "2021"),
        ("test:a", "test:c"): (None, None),
        ("test:a", "test:d"): ("2019-05", None),
        ("test:b", "test:d"): (None, "2020"),
    }
    before = SubgraphQuery(("test:a",), hops=1, until="2018-12-31")  # only the undated edge is that old
    assert {v for _, v in store.subgraph(before).edges()} == {"test:c"}
    again = store.upsert_edges([edge(EdgeKind.COLLABORATED_WITH, "test:a", "test:b", "2021")])  # now undated
    assert again.written == 1
    assert bounds()[("test:a", "test:b")] == (None, None)
    store.close()


def test_a_bulk_load_drops_only_the_indexes_of_the_tables_it_writes(tmp_path: Path) -> None:
    """A nodes-only load into a store with edges leaves the edge indexes alone (no rebuild), and vice versa."""
    nodes, edges = small_world()
    store = EmbeddedStore(tmp_path / "s.db")
    load(store, nodes, edges)

    def roots() -> dict[str, int]:
        return dict(store._conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type='index'").fetchall())

    before = roots()
    with store.bulk():
        store.upsert_nodes([org("test:new", "Newly listed")])
        during = roots()
        assert not set(deferrable_on("nodes")) & set(during)
        assert set(deferrable_on("edges")) <= set(during)
    after = roots()
    assert {n: after[n] for n in deferrable_on("edges")} == {n: before[n] for n in deferrable_on("edges")}
    assert set(after) == set(before)
    with store.bulk():
        store.upsert_edges([edge(EdgeKind.RELATED_TO, "test:new", nodes[0].id)])
        assert set(deferrable_on("nodes")) <= set(roots())
    assert set(roots()) == set(before)
    assert [e.dst for e in store.edges_of("test:new")] == [nodes[0].id]
    store.close()
