"""rsgraph watch … and rsgraph alerts … through the CLI: ids, names, CSV, run, list, review, lock, schedule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from graph.embedded import EmbeddedStore
from tests.alerts.world import KILOVIA, QUEBECIA, ZULU, load_base
from tests.conftest import REPO
from tests.queries.world import ALPHA, GOLF, designated_on, listed, load_world, nodes, same_as


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "store.db"
    with EmbeddedStore(db) as store:
        load_world(store)
    for key in [k for k in os.environ if k.startswith("RSGRAPH_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("RSGRAPH_STORE", str(db))
    monkeypatch.setenv("RSGRAPH_STATE_DIR", str(tmp_path / "state"))
    return db


def _id(name: str) -> str:
    return next(n.id for n in nodes() if n.name == name and n.id.startswith("ror:"))


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_watch_by_any_id_form_or_name_and_refuse_to_pick_among_candidates(world: Path) -> None:
    assert (
        _cli("watch", "add", f"https://ror.org/{GOLF.removeprefix('ror:')}", "--by", "ana", "--why", "joint lab")[0]
        == 0
    )
    assert _cli("watch", "add", "I100", "--by", "ana")[1].startswith("watching openalex:I100 Alpha University")
    assert _cli("watch", "add", "Golf Polytechnic", "--by", "ben")[1].startswith(f"already watched: {GOLF}")
    code, out = _cli("watch", "add", "Alpha Academy of Optics", "--by", "ana")
    assert (
        code == 1
        and f"is ambiguous; choose one by id: {_id('Alpha Institute of Optics')}" in out
        and _id("Alpha Academy") in out
    )
    code, out = _cli("watch", "add", "Spoke Colleges", "--by", "ana")
    assert code == 1 and "no such organisation" in out and "openalex:I910" in out
    code, out = _cli("watch", "add", "cordis:project:101", "--by", "ana")
    assert code == 1 and "not an organisation" in out
    code, out = _cli("watch", "list", "--json")
    rows = json.loads(out)
    assert [(r["org_id"], r["added_by"], r["why"]) for r in rows] == [
        ("openalex:I100", "ana", ""),
        (GOLF, "ana", "joint lab"),
    ]
    assert _cli("watch", "remove", "Golf Polytechnic")[1].startswith(f"no longer watching {GOLF}")
    assert _cli("watch", "remove", GOLF)[0] == 1


def test_watch_csv_adds_the_good_rows_and_names_file_line_and_column_of_the_bad(world: Path, tmp_path: Path) -> None:
    csv = tmp_path / "partners.csv"
    csv.write_text(
        f"id,note\n{GOLF},joint lab\nAlpha Academy of Optics,optics\n,\n{ALPHA},Erasmus\n",
        encoding="utf-8",
    )
    code, out = _cli("watch", "add", "--csv", str(csv), "--by", "ana")
    assert code == 1
    assert "2 added, 0 already watched, 2 rejected" in out
    assert f"{csv}:3: column 'id': 'Alpha Academy of Optics' is ambiguous" in out
    assert f"{csv}:4: column 'id': empty" in out
    rows = json.loads(_cli("watch", "list", "--json")[1])
    assert {(r["org_id"], r["why"]) for r in rows} == {(GOLF, "joint lab"), (ALPHA, "Erasmus")}


def test_run_list_review_and_output(world: Path, tmp_path: Path) -> None:
    _cli("watch", "add", ALPHA, "--by", "ana")
    code, out = _cli("alerts", "run")
    assert code == 0 and "1 watched, 1 baselined, 0 new alert(s)" in out
    with EmbeddedStore(world) as store:
        store.upsert_nodes(listed("us_bis_entity_list", "8", "Kilo University", "FR", "legal_restriction"))
        store.upsert_edges(
            [same_as("list:us_bis_entity_list:8", "openalex:I200"), designated_on("us_bis_entity_list", "8")]
        )
    output = tmp_path / "new.jsonl"
    code, out = _cli("alerts", "run", "--output", str(output))
    assert (
        code == 0
        and "1 new alert(s)" in out
        and "[HIGH] Alpha University: new path of 1 hop(s) to designated Kilo University" in out
    )
    (alert,) = [json.loads(x) for x in output.read_text(encoding="utf-8").splitlines()]
    assert alert["kind"] == "new_path" and alert["org_id"] == ALPHA
    assert _cli("alerts", "run", "--output", str(output))[1].count("0 new alert(s)") == 1
    assert output.read_text(encoding="utf-8") == ""
    assert alert["id"] in _cli("alerts", "list")[1]
    code, out = _cli("alerts", "review", alert["id"], "--by", "ben", "--note", "known partner of a partner")
    assert code == 0 and f"{alert['id']} reviewed by ben" in out
    assert _cli("alerts", "list")[1].strip() == "0 alert(s)"
    assert "reviewed by ben" in _cli("alerts", "list", "--all")[1]
    assert "no alert 'Anope'" in _cli("alerts", "review", "Anope", "--by", "ben")[1]


def test_a_second_run_while_one_is_in_progress_exits_with_a_clear_message(world: Path, tmp_path: Path) -> None:
    _cli("watch", "add", ALPHA, "--by", "ana")
    flag = tmp_path / "paused"
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "RSGRAPH_ALERTS_PAUSE_AT": "run_started",
        "RSGRAPH_ALERTS_PAUSE_FILE": str(flag),
    }
    first = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "alerts", "run"], env=env, stdout=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not flag.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert flag.exists(), "the first run never reached run_started"
    code, out = _cli("alerts", "run")
    assert code == 1 and "another alert run is in progress (pid" in out and "this one did nothing" in out
    flag.unlink()
    assert first.wait(timeout=60) == 0 and "1 baselined" in (first.stdout.read() if first.stdout else "")


def test_schedule_runs_the_job_every_interval(world: Path) -> None:
    _cli("watch", "add", ALPHA, "--by", "ana")
    code, out = _cli("alerts", "schedule", "--every", "0.2s", "--runs", "2")
    assert code == 0 and out.count("alert run ") == 2 and "1 baselined" in out and "0 baselined" in out
    code, out = _cli("alerts", "schedule", "--every", "daily")
    assert code == 2 and "use a number with a unit s, m, h or d" in out


def test_refresh_reruns_the_ingest_config_before_comparing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "store.db"
    with EmbeddedStore(db) as store:
        load_base(store)
    monkeypatch.setenv("RSGRAPH_STORE", str(db))
    monkeypatch.setenv("RSGRAPH_STATE_DIR", str(tmp_path / "state"))
    head = (
        "schema,name,aliases,topics,program,authority,reason,report-date,start-date,end-date,country,notes,source_url\n"
    )
    csv = tmp_path / "section_1286.csv"
    csv.write_text(head + ZULU, encoding="utf-8")
    config = tmp_path / "sources.toml"
    config.write_text(
        '[[source]]\nkind = "lists"\npath = "section_1286.csv"\nlist = "us_ndaa_1286"\n', encoding="utf-8"
    )
    _cli("watch", "add", "ror:0partner01", "--by", "ana")
    assert "--refresh needs --config" in _cli("alerts", "run", "--refresh")[1]
    assert "1 baselined" in _cli("alerts", "run", "--refresh", "--config", str(config))[1]
    csv.write_text(head + ZULU + QUEBECIA + KILOVIA, encoding="utf-8")
    code, out = _cli("alerts", "run", "--refresh", "--config", str(config))
    assert code == 0 and "2 new alert(s)" in out
    assert "[MEDIUM] Portela University: its parent Quebecia Polytechnic Institute newly on" in out
