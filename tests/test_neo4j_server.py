"""The real local Neo4j: build, start, auth, status, clean stop, restart with persisted data."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
from pathlib import Path

import pytest

from graph import neo4j_server as server

REQUIRE_NEO4J = os.environ.get("RSGRAPH_REQUIRE_NEO4J") == "1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _need_tools() -> None:
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        if REQUIRE_NEO4J:
            pytest.fail(f"RSGRAPH_REQUIRE_NEO4J=1 but {missing} not on PATH")
        pytest.skip(f"{missing} not on PATH")


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    state = tmp_path / "state"
    monkeypatch.setenv("RSGRAPH_STATE_DIR", str(state))
    return state


@pytest.mark.neo4j
def test_start_auth_status_stop_restart(tmp_path: Path, state_dir: Path) -> None:
    _need_tools()
    neo4j = pytest.importorskip("neo4j")
    data = tmp_path / "neo4j"
    port = _free_port()
    uri = f"bolt://127.0.0.1:{port}"

    info = server.start(data, port)
    try:
        assert info.running
        assert info.bolt_uri == uri
        assert info.port == port
        assert info.version.startswith("5.26.")
        assert stat.S_IMODE((data / "password").stat().st_mode) == 0o600
        assert json.loads((data / "server.json").read_text())["pid"] == info.pid
        assert json.loads((state_dir / "neo4j-instances.json").read_text()) == {f"127.0.0.1:{port}": str(data)}

        password = server.password_for_uri(uri)
        assert password
        assert server.password_for_uri(f"neo4j://localhost:{port}") == password
        assert password not in (data / "logs" / "launcher.log").read_text()

        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
            records, _, _ = driver.execute_query("RETURN 1 AS one", database_="neo4j")
            assert records[0]["one"] == 1
            driver.execute_query("CREATE (:Probe {name: $name})", name="persisted", database_="neo4j")

        with (
            pytest.raises(neo4j.exceptions.AuthError),
            neo4j.GraphDatabase.driver(uri, auth=("neo4j", "wrong-password")) as bad,
        ):
            bad.verify_connectivity()

        now = server.status(data)
        assert now is not None and now.running and now.pid == info.pid and now.bolt_uri == uri
        assert server.start(data, port) == info  # already running: same instance
    finally:
        assert server.stop(data)

    stopped = server.status(data)
    assert stopped is not None and not stopped.running
    assert "launcher: shutdown complete" in (data / "logs" / "launcher.log").read_text()  # clean shutdown hook ran
    assert not server.stop(data)

    again = server.start(data, port)
    try:
        assert again.running and again.pid != info.pid
        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", server.password_for_uri(uri) or "")) as driver:
            records, _, _ = driver.execute_query(
                "MATCH (p:Probe {name: 'persisted'}) RETURN count(p) AS n", database_="neo4j"
            )
            assert records[0]["n"] == 1
    finally:
        assert server.stop(data)


def test_busy_port_is_a_clear_error(tmp_path: Path, state_dir: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("java not on PATH")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = int(sock.getsockname()[1])
        with pytest.raises(server.Neo4jServerError, match=f"port {port} .* already in use"):
            server.start(tmp_path / "neo4j", port)


def test_password_for_uri_only_for_registered_local_instances(tmp_path: Path, state_dir: Path) -> None:
    data = tmp_path / "inst"
    data.mkdir()
    (data / "password").write_text("s3cret-value\n")
    state_dir.mkdir()
    (state_dir / "neo4j-instances.json").write_text(json.dumps({"127.0.0.1:7999": str(data)}))

    assert server.password_for_uri("bolt://127.0.0.1:7999") == "s3cret-value"
    assert server.password_for_uri("neo4j://localhost:7999") == "s3cret-value"
    assert server.password_for_uri("bolt://127.0.0.1:7998") is None
    assert server.password_for_uri("bolt://db.example.org:7999") is None
    assert server.password_for_uri("bolt://127.0.0.1:7999", state_dir=tmp_path / "elsewhere") is None
    assert server.status(tmp_path / "never-started") is None
