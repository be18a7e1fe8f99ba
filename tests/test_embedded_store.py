"""Embedded-only behaviour: schema versions, damaged files, crash safety."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import SchemaVersionError, StoreError
from graph.sqlite_schema import SCHEMA_VERSION
from tests.conftest import REPO
from tests.factories import org

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


def _run_writer(path: Path, orgs: int, edges: int, kill_after: float | None) -> None:
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
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)


def test_kill_9_during_large_upsert_then_rerun_equals_clean_run(tmp_path: Path) -> None:
    orgs, edges = 20_000, 150_000
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    _run_writer(clean, orgs, edges, None)
    _run_writer(crashed, orgs, edges, kill_after=1.5)
    with EmbeddedStore(crashed) as store:
        partial = store.counts().as_dict()
        assert sum(partial["edges"].values()) < edges, "the writer finished before it was killed; raise the size"
    _run_writer(crashed, orgs, edges, None)
    with EmbeddedStore(clean) as a, EmbeddedStore(crashed) as b:
        assert a.counts() == b.counts()
        sample = [f"bench:o{i}" for i in range(0, orgs, 997)]
        assert [a.degree(s) for s in sample] == [b.degree(s) for s in sample]
        assert [e.id for e in a.edges_of("bench:o0")] == [e.id for e in b.edges_of("bench:o0")]
