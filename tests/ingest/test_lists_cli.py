"""`rsgraph ingest lists` through the CLI runner, and a URL ingest through a real local HTTP server."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from graph.embedded import EmbeddedStore
from graph.model import NodeKind
from graph.settings import load_settings
from ingest.http import HttpClient
from ingest.lists import ingest_lists
from tests.conftest import SHARED
from tests.httpserver import HttpTestServer, Reply

MIEU = SHARED / "opensanctions/source_csv/us_bis_mieu/mieu.csv"
LEG = SHARED / "opensanctions/source_csv/us_special_leg"
FIXTURES = Path(__file__).parent / "fixtures" / "lists"


def _run(tmp_path: Path, *args: str) -> tuple[int, str]:
    env = {"RSGRAPH_CACHE_DIR": str(tmp_path / "cache"), "RSGRAPH_CONFIG": ""}
    result = CliRunner().invoke(main, ["ingest", "lists", *args, "--store", str(tmp_path / "cli.db")], env=env)
    return result.exit_code, result.output


def test_cli_prints_the_summary_with_skips_and_quarantined_rows(tmp_path: Path) -> None:
    src = LEG / "inksna.csv"
    if not src.exists():
        pytest.skip(f"real extract not present: {src}")
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",2026-01-22,", ",22 Smarch 2026,", 1)  # Futech Co. Ltd
    bad = tmp_path / "inksna.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    code, out = _run(tmp_path, str(bad))
    assert code == 0, out
    assert "opensanctions_csv 2026-08-04: read" in out and "rejected 1" in out
    assert "organisations 13 on lists: us_state_isn" in out
    assert "skipped (not organisations) 14: 14 Person" in out
    assert f"quarantined: us_special_leg record 'Futech Co. Ltd' at {bad}:4: field 'start-date'" in out


def test_cli_list_option_and_user_config(tmp_path: Path) -> None:
    if not MIEU.exists():
        pytest.skip(f"real extract not present: {MIEU}")
    config = tmp_path / "mine.toml"
    config.write_text(
        '[lists.my_meu]\nname = "My MEU copy"\nlegal_effect = "legal_restriction"\nof_concern = true\nweight = 0.25\n',
        encoding="utf-8",
    )
    code, out = _run(tmp_path, str(MIEU), "--list", "my_meu", "--lists-config", str(config), "--version", "v7")
    assert code == 0, out
    with EmbeddedStore(tmp_path / "cli.db") as store:
        designations = list(store.iter_nodes(kind=NodeKind.DESIGNATION))
    assert len(designations) == 13
    assert {(d.props["list"], d.props["list_name"], d.props["weight"]) for d in designations} == {
        ("my_meu", "My MEU copy", 0.25)
    }
    assert {d.provenance.dataset_version for d in designations} == {"v7"}


def test_cli_refuses_an_unknown_format_and_fails_on_a_broken_file(tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    code, out = _run(tmp_path, str(odd))
    assert code != 0 and "odd.csv: cannot tell the list format" in out
    code, out = _run(tmp_path, str(tmp_path / "missing.xml"))
    assert code != 0 and "missing.xml: no such file" in out
    text = (FIXTURES / "uk_sanctions_list.xml").read_text(encoding="utf-8")
    cut = tmp_path / "uk.xml"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    code, out = _run(tmp_path, str(cut))
    assert code == 1 and "the whole source failed" in out and "malformed XML" in out


def test_a_url_is_fetched_through_retries_429_and_500(tmp_path: Path, http_server: HttpTestServer) -> None:
    if not MIEU.exists():
        pytest.skip(f"real extract not present: {MIEU}")
    http_server.route(
        "/datasets/us_bis_mieu/mieu.csv",
        [
            Reply(429, headers={"Retry-After": "7"}),
            Reply(500),
            Reply.file(MIEU.read_bytes(), headers={"Content-Type": "text/csv"}),
        ],
    )
    sleeps: list[float] = []
    settings = load_settings(cache_dir=str(tmp_path / "cache"))
    url = http_server.url("/datasets/us_bis_mieu/mieu.csv")
    with (
        EmbeddedStore(tmp_path / "url.db") as store,
        HttpClient(settings, source="lists", sleep=sleeps.append) as client,
    ):
        report = ingest_lists(store, url, settings=settings, client=client)
        designations = list(store.iter_nodes(kind=NodeKind.DESIGNATION))
    assert report.failed is None and report.location == url
    assert len(http_server.hits("/datasets/us_bis_mieu/mieu.csv")) == 3
    assert sleeps[0] == 7.0  # Retry-After honoured
    assert len(designations) == 13 and {d.props["list"] for d in designations} == {"us_bis_meu"}
    assert {d.provenance.url for d in designations if d.props["source_url"] is None} <= {url}
