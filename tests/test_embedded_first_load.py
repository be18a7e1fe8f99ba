"""A first bulk load (no edges stored yet) defers the identity index and stays exact.

Every upsert inside it reports what a plain load reports (written, unchanged,
rejected, version), the change feed and the stored records end up the same,
and a load killed after a commit leaves one row per edge, the newest.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import GraphSpec, generate_edges, generate_nodes
from graph import embedded_seen
from graph.embedded import EmbeddedStore, hash64
from graph.embedded_seen import SeenEdges
from graph.model import Edge, EdgeKind
from graph.store import SubgraphQuery
from tests.conftest import REPO
from tests.contract.test_store_contract import assert_same_graph
from tests.factories import edge, org

NODES = [org(f"test:o{i}", f"Org {i}") for i in range(12)]


def _edges(count: int, version: int) -> list[Edge]:
    """Edges over NODES; ``version`` changes the facts of every third one."""
    out = []
    for i in range(count):
        a, b = i % 12, (i * 5 + 1) % 12  # never equal
        n = version if i % 3 == 0 else 0
        out.append(edge(EdgeKind.COLLABORATED_WITH, f"test:o{a}", f"test:o{b}", str(2000 + i), count=n))
    return out


def _steps() -> list[list[Edge]]:
    first, changed, back = _edges(60, 0), _edges(60, 1), _edges(60, 0)
    dangling = [edge(EdgeKind.PARENT_OF, "test:o1", "test:missing")]
    return [first[:30], first, first, changed, changed[10:] + dangling, back[:20], back]


def _summary(result: object) -> tuple[object, ...]:
    r = result
    return (r.written, r.unchanged, [x.field for x in r.rejected], r.version)  # type: ignore[attr-defined]


def _run(store: EmbeddedStore, *, bulk: bool, read_midway: bool = False) -> list[tuple[object, ...]]:
    results = [_summary(store.upsert_nodes(NODES))]
    steps = _steps()
    if bulk:
        with store.bulk():
            for n, step in enumerate(steps):
                results.append(_summary(store.upsert_edges(step)))
                if read_midway and n == 3:
                    results.append(("degree", store.degree("test:o1")))  # settles; later batches upsert
    else:
        for n, step in enumerate(steps):
            results.append(_summary(store.upsert_edges(step)))
            if read_midway and n == 3:
                results.append(("degree", store.degree("test:o1")))
    return results


def _indexes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    finally:
        conn.close()


def test_first_bulk_load_reports_and_stores_what_a_plain_load_does(tmp_path: Path) -> None:
    for read_midway in (False, True):
        plain = EmbeddedStore(tmp_path / f"plain{read_midway}.db")
        fast = EmbeddedStore(tmp_path / f"fast{read_midway}.db")
        assert _run(fast, bulk=True, read_midway=read_midway) == _run(plain, bulk=False, read_midway=read_midway)
        assert fast.counts() == plain.counts()
        assert list(fast.changes_since(0)) == list(plain.changes_since(0))
        assert sorted(fast.iter_edges(), key=lambda e: e.id) == sorted(plain.iter_edges(), key=lambda e: e.id)
        q = SubgraphQuery(("test:o1",), hops=2)
        assert_same_graph(fast.subgraph(q), plain.subgraph(q))
        again = fast.upsert_edges(_edges(60, 0))
        assert (again.written, again.unchanged) == (0, len(_edges(60, 0)))
        fast.close()
        plain.close()
        assert "edges_out" in _indexes(tmp_path / f"fast{read_midway}.db")


def test_a_bulk_load_into_a_store_with_edges_keeps_the_identity_index(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "s.db") as store:
        store.upsert_nodes(NODES)
        store.upsert_edges(_edges(10, 0))
        with store.bulk():
            assert "edges_out" in _indexes(tmp_path / "s.db")
            result = store.upsert_edges(_edges(60, 1))
        assert (result.written, result.unchanged) == (50 + 4, 6)  # 50 new; of the 10 held, 4 changed


KILLED = """
import sys, time
from graph.embedded import EmbeddedStore, hash64
from tests.test_embedded_first_load import NODES, _edges
store = EmbeddedStore(sys.argv[1], bulk_commit=1)  # every batch commits
with store.bulk():
    store.upsert_nodes(NODES)
    store.upsert_edges(_edges(60, 0))
    store.upsert_edges(_edges(60, 1))  # every third edge written again, other facts
    print("written", flush=True)
    time.sleep(600)
"""


def test_a_first_load_killed_after_rewrites_reopens_with_the_newest_rows(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "written"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert "edges_out" not in _indexes(path)
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT count(*) FROM edges").fetchone()[0]
    conn.close()
    assert rows > len(_edges(60, 0))  # the rewritten edges' older rows are still there
    with EmbeddedStore(path) as store, EmbeddedStore(tmp_path / "clean.db") as clean:
        clean.upsert_nodes(NODES)
        clean.upsert_edges(_edges(60, 0))
        clean.upsert_edges(_edges(60, 1))
        assert store.counts() == clean.counts()
        assert sorted(store.iter_edges(), key=lambda e: e.id) == sorted(clean.iter_edges(), key=lambda e: e.id)
        again = store.upsert_edges(_edges(60, 1))
        assert again.written == 0
    assert "edges_out" in _indexes(path)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 3)), max_size=30), max_size=12),
    st.sampled_from([8, 1 << 21]),
)
def test_seen_edges_answers_like_a_dict(batches: list[list[tuple[int, int]]], cap: int) -> None:
    embedded_seen.LEVEL_CAP = cap  # a small cap keeps several levels apart
    seen, oracle, rewrites_kept = SeenEdges(), dict[int, int](), list[int]()
    for n, batch in enumerate(batches):
        written = dict(batch)  # keys distinct within a batch, last wins
        keys = list(written)
        assert seen.digests(keys).tolist() == [oracle.get(k, 0) for k in keys]
        rewritten = sum(1 for k in keys if k in oracle)
        seen.stage(keys, [written[k] for k in keys], rewritten=rewritten)
        if n % 4 == 3:
            seen.drop()  # a rolled-back batch leaves no trace
            continue
        seen.keep()
        oracle.update(written)
        rewrites_kept.append(rewritten)
    probe = list(range(41))
    assert seen.digests(probe).tolist() == [oracle.get(k, 0) for k in probe]
    assert seen.rewrites == sum(rewrites_kept)
    embedded_seen.LEVEL_CAP = 1 << 21


def test_node_keys_never_change() -> None:
    """Stored files key nodes by hash64: its values are part of the file format."""
    assert hash64("ror:05f950310") == -2184253497110766082
    assert hash64("bench:o1") == -7115155343863153887
    assert hash64("opensanctions:NK-ÄÖ北京") == 7975072655144909713


def test_a_bulk_load_checkpoints_beside_itself_and_leaves_no_thread_or_wal(tmp_path: Path) -> None:
    """While bulk() runs, a second connection copies committed WAL pages into the file; the load's result is
    that of a plain load, the thread is gone afterwards and the WAL is truncated."""
    spec = GraphSpec(2000, 12000)
    path = tmp_path / "bulk.db"
    store = EmbeddedStore(path, bulk_commit=1000)
    with store.bulk():
        assert [t.name for t in threading.enumerate()].count("rsgraph-checkpointer") == 1
        checkpointer = store._checkpointer
        assert checkpointer is not None
        store.upsert_nodes(generate_nodes(spec))
        edges = list(generate_edges(spec))
        for chunk in range(0, len(edges), 3000):
            store.upsert_edges(edges[chunk : chunk + 3000])
            deadline = time.monotonic() + 10
            runs = checkpointer.runs
            while checkpointer.runs == runs and time.monotonic() < deadline:
                time.sleep(0.05)
        assert checkpointer.runs >= 4
        assert store._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    assert "rsgraph-checkpointer" not in [t.name for t in threading.enumerate()]
    assert store._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert Path(f"{path}-wal").stat().st_size == 0
    plain = EmbeddedStore(tmp_path / "plain.db")
    plain.upsert_nodes(generate_nodes(spec))
    plain.upsert_edges(generate_edges(spec))
    assert store.counts() == plain.counts()
    assert sorted(e.id for e in store.iter_edges()) == sorted(e.id for e in plain.iter_edges())
    store.close()
    plain.close()
