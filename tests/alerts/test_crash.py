"""A run killed (SIGKILL) at any point and started again delivers every alert exactly once per channel.

The real CLI in a subprocess, killed for real by the run's own test hook
(``RSGRAPH_ALERTS_KILL_AT``) at each named point; then started again. The
JSON-lines file must hold each alert once; the webhook receiver must have
accepted each alert in exactly one delivery id (a digest re-sent after a
kill between "accepted" and "recorded" carries the same id).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.model import Edge, EdgeKind, Node, NodeKind
from ingest.lists_config import load_lists_config
from queries.alert_dispatch import delivered_on, pending
from queries.alert_store import RUNS, iter_alerts
from queries.alerts import run_alerts
from queries.watchlist import watch
from tests.alerts.receivers import WebhookReceiver
from tests.conftest import REPO
from tests.queries.world import ALPHA, GOLF, designated_on, listed, load_world, nodes, prov, same_as

SECRET = "whsec-crash"
POINTS = [
    "alert_recorded#2",
    "org_alerts_recorded",
    "org_state_saved",
    "digest_prepared",
    "digest_sent",  # the file channel wrote, nothing recorded
    "digest_sent#2",  # the webhook accepted, nothing recorded
    "alert_marked",
    "run_recorded",
]


def _changes(store: EmbeddedStore) -> None:
    """After the baseline: a co-author of Alpha designated, Golf on a second list, Alpha's child listed."""
    store.upsert_nodes(listed("us_bis_entity_list", "8", "Kilo University", "FR", "legal_restriction"))
    store.upsert_nodes(listed("us_ofac_sdn", "90", "Alpha Institute of Optics", "DE", "legal_restriction"))
    sdn = Node(
        "designation:us_ofac_sdn:71",
        NodeKind.DESIGNATION,
        "Golf on SDN",
        prov("us_ofac_sdn", "71"),
        {"list": "us_ofac_sdn", "legal_effect": "legal_restriction", "status": "active", "listed_on": "2026-11-02"},
    )
    store.upsert_nodes([sdn])
    store.upsert_edges(
        [
            same_as("list:us_bis_entity_list:8", "openalex:I200"),
            designated_on("us_bis_entity_list", "8"),
            same_as("list:us_ofac_sdn:90", next(n.id for n in nodes() if n.name == "Alpha Institute of Optics")),
            designated_on("us_ofac_sdn", "90"),
            Edge(
                EdgeKind.DESIGNATED_ON,
                "list:us_bis_entity_list:70",
                sdn.id,
                prov("us_ofac_sdn", "71"),
                start="2026-11-02",
            ),
        ]
    )


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """A store with a baseline and then changes; and the alert ids an uninterrupted run raises."""
    folder = tmp_path_factory.mktemp("prepared")
    store = EmbeddedStore(folder / "store.db")
    load_world(store)
    watch(store, ALPHA, by="ana")
    watch(store, GOLF, by="ana")
    run_alerts(store, lists=load_lists_config())
    _changes(store)
    store.close()
    reference = _copy(folder / "store.db", folder / "reference")
    with EmbeddedStore(reference) as ref:
        expected = {a.id for a in run_alerts(ref, lists=load_lists_config()).raised}
    assert len(expected) >= 3
    return folder / "store.db", expected


def _copy(db: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{db}{suffix}").exists():
            shutil.copy(f"{db}{suffix}", folder / f"store.db{suffix}")
    return folder / "store.db"


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver(SECRET).start()
    yield server
    server.stop()


def _path(point: str) -> str:
    return "/hook/" + point.replace("#", "-")


def _env(folder: Path, receiver: WebhookReceiver, point: str, kill: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RSGRAPH_")}
    env.update(
        PYTHONPATH=str(REPO),
        RSGRAPH_STORE=str(folder / "store.db"),
        RSGRAPH_STATE_DIR=str(folder / "state"),
        RSGRAPH_LOG_LEVEL="WARNING",
        RSGRAPH_ALERTS_FILE=str(folder / "alerts.jsonl"),
        RSGRAPH_ALERTS_WEBHOOK_URL=receiver.url(_path(point)),
        RSGRAPH_ALERTS_WEBHOOK_SECRET=SECRET,
        RSGRAPH_ALERTS_WEBHOOK_BACKOFF="0.01",
    )
    if kill:
        env["RSGRAPH_ALERTS_KILL_AT"] = point
    return env


def _start(folder: Path, receiver: WebhookReceiver, point: str, kill: bool) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "app.cli", "alerts", "run"]
    env = _env(folder, receiver, point, kill)
    return subprocess.Popen(cmd, env=env, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _all(procs: dict[str, subprocess.Popen[str]]) -> dict[str, tuple[int, str]]:
    deadline = time.monotonic() + 180
    out = {}
    for point, proc in procs.items():
        stdout, _ = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
        out[point] = (proc.returncode, stdout or "")
    return out


@pytest.mark.slow
def test_a_run_killed_at_any_point_and_restarted_delivers_every_alert_exactly_once(
    prepared: tuple[Path, set[str]], receiver: WebhookReceiver, tmp_path: Path
) -> None:
    db, expected = prepared
    folders = {p: _copy(db, tmp_path / p.replace("#", "-")).parent for p in POINTS}
    killed = _all({p: _start(folders[p], receiver, p, kill=True) for p in POINTS})
    assert {p: rc for p, (rc, _out) in killed.items()} == dict.fromkeys(POINTS, -9)
    resumed = _all({p: _start(folders[p], receiver, p, kill=False) for p in POINTS})
    assert {p: rc for p, (rc, _out) in resumed.items()} == dict.fromkeys(POINTS, 0), resumed
    for point, folder in folders.items():
        lines = (folder / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
        in_file = sorted(json.loads(x)["id"] for x in lines)
        assert in_file == sorted(expected), point
        by_delivery: dict[str, list[str]] = {}
        for seen in receiver.accepted():
            if seen.path == _path(point):
                ids = [a["id"] for o in seen.json["organisations"] for a in o["alerts"]]
                assert by_delivery.setdefault(seen.headers["X-Rsgraph-Delivery"], ids) == ids  # a re-send is identical
        hooked = sorted(i for ids in by_delivery.values() for i in ids)
        assert hooked == sorted(expected), point
        with EmbeddedStore(folder / "store.db") as store:
            alerts = list(iter_alerts(store))
            done = delivered_on(store)
            assert {a.id for a in alerts} >= expected and store.get_doc(RUNS, "_current") is None
            assert pending(alerts, "file", done) == [] and pending(alerts, "webhook", done) == []
    resent = [s for s in receiver.accepted() if s.path == _path("digest_sent#2")]
    assert len(resent) == 2 and resent[0].body == resent[1].body  # the one unavoidable re-send, deduplicable by id
