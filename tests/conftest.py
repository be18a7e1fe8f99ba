"""Shared fixtures: stores of both kinds, the real local Neo4j, sample paths.

With RSGRAPH_REQUIRE_NEO4J=1 (CI) a Neo4j that cannot start fails the run,
and a run in which any Neo4j test was skipped exits non-zero.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from tests.httpserver import HttpTestServer

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data" / "real"
SAMPLES = REPO / "data" / "samples"
REQUIRE_NEO4J = os.environ.get("RSGRAPH_REQUIRE_NEO4J") == "1"

_neo4j_skips: list[str] = []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A real Neo4j 5.26 started from Maven artifacts for the whole session."""
    from graph import neo4j_server as server

    data = tmp_path_factory.mktemp("neo4j")
    state = tmp_path_factory.mktemp("state")
    os.environ["RSGRAPH_STATE_DIR"] = str(state)
    try:
        info = server.start(data, _free_port())
    except Exception as exc:
        if REQUIRE_NEO4J:
            pytest.fail(f"Neo4j is required (RSGRAPH_REQUIRE_NEO4J=1) but did not start: {exc}")
        pytest.skip(f"Neo4j not available: {exc}")
    yield info
    server.stop(data)


@pytest.fixture
def neo4j_store(neo4j_server: object) -> Iterator[GraphStore]:
    from graph.neo4j_server import password_for_uri
    from graph.neo4j_store import Neo4jStore

    uri = neo4j_server.bolt_uri  # type: ignore[attr-defined]
    store = Neo4jStore(uri, user="neo4j", password=password_for_uri(uri) or "", database="neo4j")
    store.clear()
    yield store
    store.close()


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[GraphStore]:
    store = EmbeddedStore(tmp_path / "store.db")
    yield store
    store.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> GraphStore:
    """Every contract test runs against both stores."""
    name = "embedded_store" if request.param == "embedded" else "neo4j_store"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and "neo4j" in report.keywords:
        _neo4j_skips.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if REQUIRE_NEO4J and _neo4j_skips:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter: object) -> None:
    if REQUIRE_NEO4J and _neo4j_skips:
        tr = terminalreporter
        tr.write_line(  # type: ignore[attr-defined]
            f"FAILED: RSGRAPH_REQUIRE_NEO4J=1 but {len(_neo4j_skips)} Neo4j tests were skipped", red=True
        )


@pytest.fixture
def http_server() -> Iterator[HttpTestServer]:
    """A real HTTP server on 127.0.0.1 with fault injection (see tests/httpserver.py)."""
    server = HttpTestServer().start()
    yield server
    server.stop()
