"""The OpenAlex API path against a real 127.0.0.1 server serving real OpenAlex responses.

The four real ``/works`` list pages (175 works) are chained by their own
``meta.next_cursor`` values and end with the empty page OpenAlex sends last.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.model import EdgeKind, NodeKind
from graph.settings import Settings, load_settings
from graph.store import GraphStore
from ingest.http import HttpClient
from ingest.openalex import ingest_api
from tests.conftest import REPO, SHARED
from tests.httpserver import HttpTestServer, Reply, Seen
from tests.ingest.test_openalex_snapshot import graph_of

API = SHARED / "openalex" / "api"
KEY = "oa-key-7f3e9d21"
DAY1 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DAY2 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def real() -> dict[str, Any]:
    if not API.is_dir():
        pytest.skip(f"real data not present: {API}")
    pages = [json.loads((API / "works_list" / f"json_chunk_{i}_results_page_1.json").read_text()) for i in (1, 2, 3, 4)]
    institution = json.loads((API / "single" / "I27837315.json").read_text())
    by_cursor: dict[str, Reply] = {}
    cursor = "*"
    for page in pages:
        by_cursor[cursor] = Reply.json(page)
        cursor = page["meta"]["next_cursor"]
    last = {"meta": {**pages[-1]["meta"], "count": 0, "next_cursor": None}, "results": [], "group_by": []}
    by_cursor[cursor] = Reply.json(last)
    works = [w for p in pages for w in p["results"]]
    return {"institution": institution, "pages": by_cursor, "cursors": list(by_cursor), "works": works}


def _expected_collaborations(works: list[dict[str, Any]]) -> dict[str, int]:
    """An independent count straight from the raw JSON."""
    pairs: dict[str, set[str]] = defaultdict(set)
    for w in works:
        ids = sorted({"openalex:" + i["id"].rsplit("/", 1)[1] for a in w["authorships"] for i in a["institutions"]})
        if w.get("publication_year") and len(ids) <= 50:
            for a, b in combinations(ids, 2):
                pairs[f"COLLABORATED_WITH|{a}|{b}|{w['publication_year']}"].add(w["id"])
    return {k: len(v) for k, v in pairs.items()}


def _serve(server: HttpTestServer, real: dict[str, Any], works_faults: Sequence[Reply] = ()) -> None:
    pages: dict[str, Reply] = real["pages"]
    server.route("/institutions/I27837315", [Reply.json(real["institution"])])

    def handler(seen: Seen) -> Reply:
        return pages.get(seen.query.get("cursor", ""), Reply(400, b"bad cursor"))

    server.route("/works", works_faults, handler=handler)


def _settings(server: HttpTestServer, tmp_path: Path, budget: int = 100) -> Settings:
    return load_settings(
        env={},
        openalex_base_url=server.url(""),
        openalex_api_key=KEY,
        openalex_daily_budget=budget,
        cache_dir=str(tmp_path / "cache"),
        http_retries=3,
    )


def _client(settings: Settings, sleeps: list[float] | None = None) -> HttpClient:
    return HttpClient(settings, source="openalex", sleep=(sleeps if sleeps is not None else []).append)


def _run(
    store: GraphStore, settings: Settings, *, clock: datetime = DAY1, sleeps: list[float] | None = None, **kw: Any
) -> Any:
    return ingest_api(
        store, "I27837315", settings=settings, client=_client(settings, sleeps), clock=lambda: clock, **kw
    )


def _facts(graph: tuple[dict[str, Any], dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A graph without provenance versions (runs on different days stamp different versions)."""

    def strip(records: dict[str, Any]) -> dict[str, Any]:
        return {k: {**v, "provenance": {**v["provenance"], "dataset_version": ""}} for k, v in records.items()}

    return strip(graph[0]), strip(graph[1])


def _collab_counts(store: GraphStore) -> dict[str, int]:
    return {e.id: e.props["count"] for e in store.iter_edges(kind=EdgeKind.COLLABORATED_WITH)}


def test_institution_and_works_walk(
    http_server: HttpTestServer, real: dict[str, Any], tmp_path: Path, embedded_store: GraphStore
) -> None:
    _serve(http_server, real)
    settings = _settings(http_server, tmp_path)
    report = _run(embedded_store, settings, since=2000)
    assert report.failed is None, report.summary()
    assert report.read == 1 + 175 and report.rejected == []
    assert any("works walk complete: 5 pages, 175 works" in n for n in report.notes)
    node = embedded_store.get_node("openalex:I27837315")
    assert node is not None and node.name == "University of Michigan" and not node.props.get("stub")
    assert _collab_counts(embedded_store) == _expected_collaborations(real["works"])
    calls = http_server.hits("/works")
    assert [c.query["cursor"] for c in calls] == real["cursors"]
    assert calls[0].query["filter"] == "authorships.institutions.lineage:I27837315,publication_year:>1999"
    assert calls[0].query["per_page"] == "100" and calls[0].query["api_key"] == KEY
    assert embedded_store.get_doc("openalex_budget", "2026-11-02") == {"list_calls": 5, "limit": 100}
    edge = next(iter(embedded_store.iter_edges(kind=EdgeKind.COLLABORATED_WITH)))
    assert edge.key == edge.start == edge.end and len(edge.props["works"]) <= 10


def test_faults_429_500_truncated_give_the_same_graph(
    http_server: HttpTestServer, real: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with EmbeddedStore(tmp_path / "clean.db") as clean:
        _serve(http_server, real)
        _run(clean, _settings(http_server, tmp_path))
        expected = graph_of(clean)
    first_page = real["pages"]["*"]
    faults = [
        Reply(429, headers={"Retry-After": "3"}),
        Reply(500),
        Reply(first_page.status, first_page.body, first_page.headers, fault="truncate", cut=2000),
    ]
    _serve(http_server, real, faults)
    sleeps: list[float] = []
    caplog.set_level(logging.DEBUG)
    with EmbeddedStore(tmp_path / "faulty.db") as store:
        report = _run(store, _settings(http_server, tmp_path), sleeps=sleeps)
        assert report.failed is None, report.summary()
        assert graph_of(store) == expected
    assert sleeps[0] == 3.0 and len(sleeps) == 3  # Retry-After honoured, then backoff twice
    assert KEY not in caplog.text and KEY not in report.summary()


def test_budget_stop_then_resume_equals_an_uninterrupted_run(
    http_server: HttpTestServer, real: dict[str, Any], tmp_path: Path
) -> None:
    _serve(http_server, real)
    with EmbeddedStore(tmp_path / "whole.db") as whole:
        _run(whole, _settings(http_server, tmp_path))
        expected = graph_of(whole)
    with EmbeddedStore(tmp_path / "budget.db") as store:
        settings = _settings(http_server, tmp_path, budget=3)
        first = _run(store, settings)
        assert first.failed is None and first.read == 1 + 150
        assert any("stopped before the daily OpenAlex budget (3 list calls, UTC 2026-11-02)" in n for n in first.notes)
        same_day = _run(store, settings)
        assert same_day.read == 1 and any("stopped before the daily" in n for n in same_day.notes)
        next_day = _run(store, settings, clock=DAY2)
        assert any("resumed the works walk after 3 pages" in n for n in next_day.notes)
        assert any("works walk complete" in n for n in next_day.notes), next_day.notes
        assert _facts(graph_of(store)) == _facts(expected)
    cursors = [c.query["cursor"] for c in http_server.hits("/works")]
    assert cursors[5:] == real["cursors"]  # the whole run, then pages 1-3 on day 1 and 4-5 on day 2


def test_reingesting_the_same_works_changes_no_count(
    http_server: HttpTestServer, real: dict[str, Any], tmp_path: Path, embedded_store: GraphStore
) -> None:
    _serve(http_server, real)
    settings = _settings(http_server, tmp_path)
    _run(embedded_store, settings)
    before = graph_of(embedded_store)
    second = _run(embedded_store, settings)
    assert second.failed is None and second.written == 0
    assert graph_of(embedded_store) == before


def test_403_over_budget_stops_cleanly_and_resumes(
    http_server: HttpTestServer, real: dict[str, Any], tmp_path: Path, embedded_store: GraphStore
) -> None:
    pages = real["pages"]
    cursors = real["cursors"]
    http_server.route("/institutions/I27837315", [Reply.json(real["institution"])])
    http_server.route("/works", [pages[cursors[0]], Reply(403, b'{"error": "over budget"}')])
    settings = _settings(http_server, tmp_path)
    report = _run(embedded_store, settings)
    assert report.failed is None and any("OpenAlex refused a list call" in n for n in report.notes)
    _serve(http_server, real)
    report = _run(embedded_store, settings)
    assert any("resumed the works walk after 1 pages" in n for n in report.notes)
    assert _collab_counts(embedded_store) == _expected_collaborations(real["works"])


def test_merged_institution_id_follows_the_301(
    http_server: HttpTestServer, real: dict[str, Any], tmp_path: Path, embedded_store: GraphStore
) -> None:
    _serve(http_server, real)
    http_server.route("/institutions/I999", [Reply(301, headers={"Location": "/institutions/I27837315"})])
    settings = _settings(http_server, tmp_path)
    report = ingest_api(
        embedded_store,
        "https://openalex.org/I999",
        settings=settings,
        client=_client(settings),
        clock=lambda: DAY1,
        institutions_only=True,
    )
    assert report.failed is None
    assert any("I999 was merged into I27837315" in n for n in report.notes)
    assert embedded_store.get_node("openalex:I27837315") is not None
    assert http_server.hits("/works") == []


def test_ror_reference_and_missing_institution(
    http_server: HttpTestServer, real: dict[str, Any], tmp_path: Path, embedded_store: GraphStore
) -> None:
    http_server.route("/institutions/ror:00jmfr291", [Reply.json(real["institution"])])
    settings = _settings(http_server, tmp_path)
    report = ingest_api(
        embedded_store, "https://ror.org/00jmfr291", settings=settings, client=_client(settings), institutions_only=True
    )
    assert report.failed is None and embedded_store.get_node("openalex:I27837315") is not None
    missing = ingest_api(embedded_store, "I404", settings=settings, client=_client(settings), institutions_only=True)
    assert missing.failed is not None and "404" in missing.failed
    with pytest.raises(ValueError, match="not an OpenAlex institution id"):
        ingest_api(embedded_store, "University of Nowhere", settings=settings)


def test_kill_9_mid_ingest_then_rerun_gives_the_same_graph(
    http_server: HttpTestServer, real: dict[str, Any], tmp_path: Path
) -> None:
    slow = threading.Event()
    slow.set()
    pages: dict[str, Reply] = real["pages"]
    third = real["cursors"][2]

    def handler(seen: Seen) -> Reply:
        reply = pages[seen.query["cursor"]]
        if seen.query["cursor"] == third and slow.is_set():
            return Reply(reply.status, reply.body, reply.headers, delay=20)
        return reply

    http_server.route("/institutions/I27837315", [Reply.json(real["institution"])])
    http_server.route("/works", handler=handler)
    env = {
        **os.environ,
        "RSGRAPH_OPENALEX_BASE_URL": http_server.url(""),
        "RSGRAPH_OPENALEX_API_KEY": KEY,
        "RSGRAPH_CACHE_DIR": str(tmp_path / "cache"),
        "RSGRAPH_CONFIG": "",
    }
    db = tmp_path / "killed.db"
    command = [sys.executable, "-m", "app.cli", "ingest", "openalex", "--institution", "I27837315", "--store", str(db)]
    proc = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not any(s.query.get("cursor") == third for s in http_server.hits("/works")):
        assert time.monotonic() < deadline and proc.poll() is None, "the ingest never reached page 3"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    slow.clear()
    with EmbeddedStore(db) as store:
        assert store.get_doc("checkpoints", "openalex:api:works:I27837315:all")["pages"] == 2  # type: ignore[index]
    rerun = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed the works walk after 2 pages" in rerun.stdout
    with EmbeddedStore(tmp_path / "whole.db") as whole:
        settings = _settings(http_server, tmp_path)
        ingest_api(whole, "I27837315", settings=settings, client=_client(settings))
        expected = graph_of(whole)
    with EmbeddedStore(db) as store:
        got = graph_of(store)
    assert _facts(got) == _facts(expected)
    assert NodeKind.ORGANISATION.value in {v["kind"] for v in got[0].values()}


def test_429_with_a_long_retry_after_stops_for_the_day(
    http_server: HttpTestServer, real: dict[str, Any], tmp_path: Path, embedded_store: GraphStore
) -> None:
    http_server.route("/institutions/I27837315", [Reply.json(real["institution"])])
    http_server.route("/works", [real["pages"]["*"], Reply(429, headers={"Retry-After": "36000"})])
    report = _run(embedded_store, _settings(http_server, tmp_path))
    assert report.failed is None
    assert any("retry after 36000s" in n and "resumes at page 2" in n for n in report.notes), report.notes


def test_server_errors_that_outlast_the_retries_fail_the_run(
    http_server: HttpTestServer, real: dict[str, Any], tmp_path: Path, embedded_store: GraphStore
) -> None:
    http_server.route("/institutions/I27837315", [Reply.json(real["institution"])])
    http_server.route("/works", [real["pages"]["*"], Reply(503)])
    report = _run(embedded_store, _settings(http_server, tmp_path))
    assert report.failed is not None and "next run resumes" in report.failed
    assert KEY not in report.failed
    saved = embedded_store.get_doc("checkpoints", "openalex:api:works:I27837315:all")
    assert saved is not None and saved["pages"] == 1 and not saved["complete"]
