"""`rsgraph resolve …` through the CLI runner on an embedded store."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from app.cli import main
from graph.embedded import EmbeddedStore
from tests.resolve.conftest import HEU, NUAA, ORGS, list_entry


def test_link_judge_list_history_lookup(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    with EmbeddedStore(db) as s:
        s.upsert_nodes([*ORGS, list_entry("1", "Nanjing University of Aeronautics and Astronautics")])
    run = CliRunner().invoke
    out = run(main, ["resolve", "link", "--store", db])
    assert out.exit_code == 0 and "1 match" in out.output, out.output
    listed = run(main, ["resolve", "list", "--store", db])
    assert "list:test_list:1" in listed.output and NUAA.id in listed.output and "unjudged" in listed.output
    rejected = run(
        main, ["resolve", "reject", "list:test_list:1", NUAA.id, "--by", "ana", "--why", "PDF", "--store", db]
    )
    assert rejected.exit_code == 0 and "not_same" in rejected.output
    assert "[not_same, hidden]" in run(main, ["resolve", "list", "--band", "match", "--store", db]).output
    history = run(main, ["resolve", "history", NUAA.id, "list:test_list:1", "--store", db])
    assert "not_same by ana: PDF" in history.output
    missing = run(
        main, ["resolve", "confirm", "list:test_list:1", "ror:nope", "--by", "a", "--why", "b", "--store", db]
    )
    assert missing.exit_code != 0 and "not in the store: ror:nope" in missing.output
    no_reason = run(main, ["resolve", "confirm", "list:test_list:1", HEU.id, "--by", "a", "--why", " ", "--store", db])
    assert no_reason.exit_code != 0 and "reason" in no_reason.output
    found = run(main, ["resolve", "lookup", "HEU", "--country", "CN", "--store", db])
    assert HEU.id in found.output and "match" in found.output and "unique" in found.output
