"""Crashes and a hostile network: the graph still ends up exactly right.

- kill -9 in the middle of ``rsgraph ingest ror`` on a 50k-record dump (a bulk
  load, indexes dropped), then a rerun: the graph equals an uninterrupted run
  (same records, no duplicates);
- ROR and CORDIS zips downloaded by URL from a real local server that answers
  429 with Retry-After, 500s, a truncated body and connection resets: the
  ingest finishes and equals the ingest of the same file read locally.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.source_gen import write_ror_dump
from graph.embedded import EmbeddedStore
from graph.model import content_hash
from graph.settings import Settings, load_settings
from graph.store import GraphStore
from ingest.cordis_files import ingest_cordis
from ingest.http import HttpClient
from ingest.ror_dump import ingest_ror
from tests.conftest import SHARED
from tests.httpserver import HttpTestServer, Reply

RECORDS = 50_000


def graph_digest(store: GraphStore) -> tuple[int, int, str]:
    """Node count, edge count and one hash over every record's content (retrieval times aside)."""
    digest = hashlib.sha256()
    nodes = [content_hash(n) + n.id for n in store.iter_nodes()]
    edges = [content_hash(e) + e.id for e in store.iter_edges()]
    for h in sorted(nodes) + sorted(edges):
        digest.update(h.encode())
    return len(nodes), len(edges), digest.hexdigest()


@pytest.fixture(scope="module")
def big_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (SHARED / "ror").exists():
        pytest.skip("real ROR extract not present")
    return write_ror_dump(tmp_path_factory.mktemp("ror") / "v9.1-2026-01-01-ror-data_schema_v2.json", RECORDS)


def _checkpoint(db: Path) -> dict[str, object] | None:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT value FROM docs WHERE ns='checkpoints' LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return json.loads(row[0]) if row else None


def _kill_midway(dump: Path, db: Path, env: dict[str, str]) -> int:
    """Start the CLI ingest, SIGKILL it once two batches are committed; the nodes committed."""
    cmd = [sys.executable, "-m", "app.cli", "ingest", "ror", str(dump), "--store", str(db)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            state = _checkpoint(db)
            if state and not state.get("complete") and int(state["nodes_committed"]) >= 10_000:  # type: ignore[call-overload]
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(30)
                assert proc.returncode == -signal.SIGKILL
                return int(state["nodes_committed"])  # type: ignore[call-overload]
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    pytest.fail(f"the ingest ended (rc={proc.returncode}) before it could be killed midway")


@pytest.mark.slow
def test_kill_9_midway_then_rerun_equals_uninterrupted(big_dump: Path, tmp_path: Path) -> None:
    cfg = load_settings(env={}, cache_dir=str(tmp_path / "cache"))
    reference = EmbeddedStore(tmp_path / "reference.db")
    full = ingest_ror(reference, str(big_dump), settings=cfg)
    assert full.failed is None and full.rejected == []
    assert full.bulk  # an empty store: the killed run below loads inside store.bulk() too
    expected = graph_digest(reference)
    reference.close()
    assert expected[0] == RECORDS and expected[1] > 10_000

    db = tmp_path / "killed.db"
    env = {
        **os.environ,
        "RSGRAPH_CACHE_DIR": str(tmp_path / "cache"),
        "RSGRAPH_LOG_LEVEL": "WARNING",
        "RSGRAPH_BULK_COMMIT_ROWS": "5000",  # bulk commits this often, so there is a midway to kill at
    }
    committed = _kill_midway(big_dump, db, env)
    assert 10_000 <= committed < RECORDS

    store = EmbeddedStore(db)
    assert store.counts().edges == {}  # killed before any edge was written
    rerun = ingest_ror(store, str(big_dump), settings=cfg)
    assert rerun.failed is None
    assert rerun.skipped_by_checkpoint == committed
    got = graph_digest(store)
    ids = [n.id for n in store.iter_nodes()]
    assert len(ids) == len(set(ids))  # no duplicates
    store.close()
    assert got == expected


class FakeSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def cfg(tmp_path: Path) -> Settings:
    return load_settings(env={}, cache_dir=str(tmp_path / "cache"))  # default retries (5)


def hostile(data: bytes) -> list[Reply]:
    """Every fault once, then the file (with Range support)."""
    return [
        Reply(429, headers={"Retry-After": "2"}),
        Reply(500),
        Reply.file(data, fault="truncate", cut=len(data) // 3),
        Reply(fault="reset"),
        Reply(503, headers={"Retry-After": "1"}),
        Reply.file(data, fault="reset_after", cut=len(data) // 2),
        Reply.file(data),
    ]


@pytest.fixture
def small_dump(tmp_path: Path) -> Iterator[Path]:
    if not (SHARED / "ror").exists():
        pytest.skip("real ROR extract not present")
    dump = write_ror_dump(tmp_path / "src" / "v9.2-2026-02-01-ror-data_schema_v2.json", 4_000)
    archive = tmp_path / "src" / "v9.2-2026-02-01-ror-data.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(dump, dump.name)
        zf.writestr("v9.2-2026-02-01-ror-data.csv", "id,name\n")
    yield archive


def test_ror_zip_by_url_through_faults(
    http_server: HttpTestServer, small_dump: Path, cfg: Settings, tmp_path: Path
) -> None:
    data = small_dump.read_bytes()
    http_server.route("/ror/v9.2-2026-02-01-ror-data.zip", hostile(data))
    sleep = FakeSleep()
    client = HttpClient(cfg, source="ror", sleep=sleep)
    remote = EmbeddedStore(tmp_path / "remote.db")
    url = http_server.url("/ror/v9.2-2026-02-01-ror-data.zip")
    report = ingest_ror(remote, url, settings=cfg, client=client)
    assert report.failed is None and report.dataset_version == "v9.2-2026-02-01"
    assert report.location == url
    assert 2.0 in sleep.waits and 1.0 in sleep.waits  # both Retry-After values were honoured
    assert len(http_server.hits("/ror/v9.2-2026-02-01-ror-data.zip")) == 7
    local = EmbeddedStore(tmp_path / "local.db")
    ingest_ror(local, str(small_dump), settings=cfg)
    assert graph_digest(remote) == graph_digest(local)
    assert remote.counts().nodes == {"Organisation": 4_000}
    remote.close()
    local.close()


def test_cordis_zip_by_url_through_faults(http_server: HttpTestServer, cfg: Settings, tmp_path: Path) -> None:
    if not (SHARED / "cordis").exists():
        pytest.skip("real CORDIS extract not present")
    archive = tmp_path / "cordis-h2020projects-json.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(SHARED / "cordis" / "project.subset.json", "json/project.json")
        zf.write(SHARED / "cordis" / "organization.subset.json", "json/organization.json")
    http_server.route("/data/cordis-h2020projects-json.zip", hostile(archive.read_bytes()))
    remote = EmbeddedStore(tmp_path / "remote.db")
    client = HttpClient(cfg, source="cordis", sleep=FakeSleep())
    report = ingest_cordis(remote, http_server.url("/data/cordis-h2020projects-json.zip"), settings=cfg, client=client)
    assert report.failed is None and report.rejected == []
    local = EmbeddedStore(tmp_path / "local.db")
    ingest_cordis(local, str(SHARED / "cordis"), settings=cfg)
    assert graph_digest(remote) == graph_digest(local)
    assert remote.counts().edges == {"PARTICIPATED_IN": 750}
    remote.close()
    local.close()


def test_server_that_never_recovers_fails_the_whole_source(
    http_server: HttpTestServer, cfg: Settings, tmp_path: Path
) -> None:
    from graph.errors import SourceUnavailable

    http_server.route("/ror/dump.zip", [Reply(500)])
    store = EmbeddedStore(tmp_path / "s.db")
    with pytest.raises(SourceUnavailable, match="gave up"):
        ingest_ror(store, http_server.url("/ror/dump.zip"), settings=cfg, client=HttpClient(cfg, sleep=FakeSleep()))
    assert store.counts().nodes == {}
    store.close()
