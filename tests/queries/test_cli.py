"""rsgraph check and rsgraph export through the CLI runner, on a real store file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from graph.embedded import EmbeddedStore
from tests.queries.world import ALPHA, load_world


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "world.db"
    load_world(EmbeddedStore(path)).close()
    return str(path)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_check_writes_each_format(db: str, tmp_path: Path) -> None:
    code, out = run("check", "Alpha University", "--store", db)
    assert code == 0 and out.startswith("# Due diligence: Alpha University")
    code, _ = run("check", ALPHA, "--store", db, "--format", "html", "--output", str(tmp_path / "r.html"))
    assert code == 0 and (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, out = run(
        "check", "https://ror.org/0alpha001", "--store", db, "--format", "json", "--hops", "2", "--since", "2024"
    )
    doc = json.loads(out)
    assert code == 0 and doc["query"]["hops"] == 2 and doc["query"]["since"] == "2024"
    assert "list:us_ndaa_1286:4" not in {t["target"] for t in doc["ties"]["ties"]}


def test_ambiguous_name_lists_candidates_to_choose_by_id(db: str) -> None:
    code, out = run("check", "Juliet University", "--store", db)
    assert code == 2
    assert "choose one by id" in out and "ror:0julie001" in out and "ror:0julie002" in out
    code, out = run("check", "Juliet University", "--country", "FR", "--store", db, "--format", "json")
    assert code == 0 and json.loads(out)["query"]["org_id"] == "ror:0julie001"


def test_unknown_name_says_not_found_with_suggestions(db: str) -> None:
    code, out = run("check", "Alpha Kilo Zzyzx", "--store", db)
    assert code == 1 and "no organisation found for 'Alpha Kilo Zzyzx'" in out and "Did you mean" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("cordis:project:101",), "is a project"),
        (("W2741809807",), "is a work in OpenAlex"),
        ((ALPHA, "--hops", "5"), "must be between 1 and 4"),
        ((ALPHA, "--hops", "0"), "must be between 1 and 4"),
        ((ALPHA, "--since", "19"), "four-digit year"),
        ((ALPHA, "--format", "pdf"), "'pdf' is not one of"),
    ],
)
def test_bad_input_is_a_clear_error(db: str, args: tuple[str, ...], message: str) -> None:
    code, out = run("check", *args, "--store", db)
    assert code == 2 and message in out


def test_export_writes_files_and_manifest(db: str, tmp_path: Path) -> None:
    out_dir = tmp_path / "evidence"
    code, out = run(
        "export", "Alpha University", "--hops", "3", "--format", "graphml", "--output", str(out_dir), "--store", db
    )
    assert code == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["evidence.graphml", "manifest.json"]
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert f"sha256:{manifest['files']['evidence.graphml']['sha256']}" in out
    code, out = run("export", ALPHA, "--hops", "9", "--format", "csv", "--output", str(out_dir), "--store", db)
    assert code == 2 and "must be between 1 and 4" in out
