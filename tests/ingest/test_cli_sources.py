"""The CLI: rsgraph ingest ror | cordis | all, and rsgraph sources."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from graph.embedded import EmbeddedStore
from tests.conftest import SHARED
from tests.httpserver import HttpTestServer, Reply

V2 = SHARED / "ror" / "ror-records.subset.schema_v2.json"
SECTION_1286 = SHARED / "opensanctions" / "source_csv" / "us_special_leg" / "section_1286.subset.csv"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"RSGRAPH_CACHE_DIR": str(tmp_path / "cache"), "RSGRAPH_LOG_LEVEL": "ERROR", "RSGRAPH_HTTP_RETRIES": "0"}


def _dump_with_bad_line(tmp_path: Path) -> Path:
    if not V2.exists():
        pytest.skip("real ROR extract not present")
    lines = V2.read_text(encoding="utf-8").splitlines()[:41]  # "[" and 40 records
    lines[3] = lines[3].replace('"status": "active"', '"status": active')
    lines[-1] = lines[-1].rstrip(",")
    path = tmp_path / "v1.0-2026-01-01-ror-data.json"
    path.write_text("\n".join([*lines, "]"]), encoding="utf-8")
    return path


def test_ror_command_reports_and_quarantines(tmp_path: Path, env: dict[str, str]) -> None:
    store = tmp_path / "g.db"
    result = CliRunner().invoke(
        main, ["ingest", "ror", str(_dump_with_bad_line(tmp_path)), "--store", str(store)], env=env
    )
    assert result.exit_code == 0, result.output
    assert "ror v1.0-2026-01-01: read" in result.output and "rejected 1" in result.output
    assert (
        "quarantined: ror record 'record 3' at v1.0-2026-01-01-ror-data.json:4: field 'json': malformed JSON"
        in result.output
    )
    handle = EmbeddedStore(store)
    assert handle.counts().nodes == {"Organisation": 39}
    (quarantined,) = [v for _k, v in handle.iter_docs("quarantine")]
    assert quarantined["location"] == "v1.0-2026-01-01-ror-data.json:4"
    handle.close()


def test_unreadable_source_exits_non_zero(tmp_path: Path, env: dict[str, str]) -> None:
    store = tmp_path / "g.db"
    missing = CliRunner().invoke(main, ["ingest", "ror", str(tmp_path / "nope.json"), "--store", str(store)], env=env)
    assert missing.exit_code == 1
    assert "ror: the whole source failed" in missing.output and "no such file" in missing.output
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    bad_zip = CliRunner().invoke(main, ["ingest", "cordis", str(broken), "--store", str(store)], env=env)
    assert bad_zip.exit_code == 1 and "cordis: the whole source failed" in bad_zip.output


def test_damaged_zip_member_fails_the_source_with_the_file_named(tmp_path: Path, env: dict[str, str]) -> None:
    if not V2.exists():
        pytest.skip("real ROR extract not present")
    archive = tmp_path / "v1.2-2026-01-01-ror-data.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(V2, "v1.2-2026-01-01-ror-data_schema_v2.json")
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)  # corrupt the deflate stream, keep the directory
    archive.write_bytes(bytes(data))
    result = CliRunner().invoke(main, ["ingest", "ror", str(archive), "--store", str(tmp_path / "g.db")], env=env)
    assert result.exit_code == 1
    assert "ror: the whole source failed" in result.output
    assert "v1.2-2026-01-01-ror-data.zip!v1.2-2026-01-01-ror-data_schema_v2.json: " in result.output
    assert "damaged" in result.output


def test_unreachable_url_exits_non_zero_without_secrets(
    http_server: HttpTestServer, tmp_path: Path, env: dict[str, str]
) -> None:
    http_server.route("/dump.zip", [Reply(503)])
    url = http_server.url("/dump.zip", api_key="hunter2")
    result = CliRunner().invoke(main, ["ingest", "ror", url, "--store", str(tmp_path / "g.db")], env=env)
    assert result.exit_code == 1
    assert "source 'ror' unavailable" in result.output and "HTTP 503" in result.output
    assert "hunter2" not in result.output
    runs = CliRunner().invoke(main, ["sources", "--store", str(tmp_path / "g.db"), "--json"], env=env)
    (run,) = json.loads(runs.output)
    assert run["source"] == "ror" and run["failed"] and "hunter2" not in runs.output


def test_ingest_all_runs_every_source_and_sources_lists_them(tmp_path: Path, env: dict[str, str]) -> None:
    if not (V2.exists() and (SHARED / "cordis").exists()):
        pytest.skip("real extracts not present")
    dump = tmp_path / "data" / "v2.0-2026-03-01-ror.json"
    dump.parent.mkdir()
    dump.write_text("\n".join([*V2.read_text(encoding="utf-8").splitlines()[:201], "{}]"]).replace(",\n{}]", "\n]"))
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
[[source]]
kind = "ror"
path = "data/{dump.name}"

[[source]]
kind = "cordis"
path = "{SHARED / "cordis"}"
version = "H2020-test"

[[source]]
kind = "cordis"
path = "data/missing.zip"
""",
        encoding="utf-8",
    )
    store = tmp_path / "g.db"
    result = CliRunner().invoke(main, ["ingest", "all", "--config", str(config), "--store", str(store)], env=env)
    assert result.exit_code == 1, result.output
    assert "ror v2.0-2026-03-01: read" in result.output
    assert "cordis H2020-test: read" in result.output
    assert "2 of 3 sources ingested" in result.output and "missing.zip" in result.output
    table = CliRunner().invoke(main, ["sources", "--store", str(store)], env=env)
    assert table.exit_code == 0
    assert "v2.0-2026-03-01" in table.output and "H2020-test" in table.output and "FAILED" in table.output
    runs = json.loads(CliRunner().invoke(main, ["sources", "--store", str(store), "--json"], env=env).output)
    by_version = {r["dataset_version"]: r for r in runs}  # started_at has one-second resolution: no order
    assert sorted(r["source"] for r in runs) == ["cordis", "cordis", "ror"]
    assert by_version["v2.0-2026-03-01"]["read"] > 200 and by_version["H2020-test"]["written"] == 1373
    assert by_version[""]["failed"] and "missing.zip" in by_version[""]["location"]


def test_ingest_all_dispatches_lists(tmp_path: Path, env: dict[str, str]) -> None:
    if not SECTION_1286.exists():
        pytest.skip("real §1286 extract not present")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[source]]\nkind = "lists"\npath = "{SECTION_1286}"\nlist = "us_section_1286"\n', encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["ingest", "all", "--config", str(config), "--store", str(tmp_path / "g.db")], env=env
    )
    assert result.exit_code == 0, result.output
    assert "1 of 1 sources ingested" in result.output


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[source]]\nkind = "gopher"\npath = "x"\n', "kind must be one of"),
        ('[[source]]\nkind = "ror"\npath = "x"\nlist = "y"\n', "unknown keys ['list'] for kind 'ror'"),
        ("title = 'no sources'\n", "no [[source]] entries"),
    ],
)
def test_bad_config_is_explained(tmp_path: Path, env: dict[str, str], body: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(body, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["ingest", "all", "--config", str(config), "--store", str(tmp_path / "g.db")], env=env
    )
    assert result.exit_code == 1 and message in result.output
