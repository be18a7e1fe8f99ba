"""`rsgraph app` and `rsgraph demo --no-serve`: loopback unless login is configured, headless Streamlit."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from app.access import auth_in_files, is_loopback
from app.cli import main
from app.commands.app import APP, streamlit_command
from graph.embedded import EmbeddedStore

HOSTS = [
    ("127.0.0.1", True),
    ("::1", True),
    ("localhost", True),
    ("127.0.0.2", True),
    ("0.0.0.0", False),
    ("192.0.2.7", False),
    ("example.org", False),
]


@pytest.mark.parametrize(("host", "loopback"), HOSTS)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_auth_in_files(tmp_path: Path) -> None:
    with_auth = tmp_path / "a.toml"
    with_auth.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "x"\n')
    without = tmp_path / "b.toml"
    without.write_text('[rsgraph]\nwriters = ["a@example.org"]\n')
    broken = tmp_path / "c.toml"
    broken.write_text("[auth\n")
    assert auth_in_files([with_auth])
    assert not auth_in_files([without, broken, tmp_path / "missing.toml"])


def test_streamlit_command_is_headless_on_the_given_address() -> None:
    cmd = streamlit_command("127.0.0.1", 8642)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4] == str(APP) and APP.exists()
    pairs = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert pairs["--server.address"] == "127.0.0.1" and pairs["--server.port"] == "8642"
    assert pairs["--server.headless"] == "true" and pairs["--browser.gatherUsageStats"] == "false"


def test_app_refuses_a_public_address_without_login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no config file of the checkout's working directory is read
    result = CliRunner().invoke(main, ["app", "--store", str(tmp_path / "x.db"), "--host", "0.0.0.0"])
    assert result.exit_code != 0
    assert "refusing to listen on 0.0.0.0" in result.output and "127.0.0.1" in result.output


def test_demo_no_serve_loads_and_resolves_the_samples(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = CliRunner().invoke(main, ["demo", "--store", str(db), "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "7 of 7 sources ingested" in result.output and "resolution:" in result.output
    assert f"rsgraph app --store {db}" in result.output
    with EmbeddedStore(db) as store:
        counts = store.counts().as_dict()
    assert counts["edges"]["SAME_AS"] > 88  # identifier links plus the list entries resolved to ROR


def test_pages_reach_the_store_only_through_queries_and_app_state() -> None:
    """Pages import streamlit, app.*, queries.* and graph.resolve (judgements) only: never a backend."""
    import ast

    from tests.conftest import REPO

    allowed = (
        "streamlit",
        "streamlit_cytoscape",
        "pandas",
        "app",
        "queries",
        "graph.resolve",
        "__future__",
        "datetime",
        "typing",
        "collections",
    )
    for path in sorted((REPO / "app" / "views").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.startswith(allowed), f"{path.name} imports {name}"
