"""`rsgraph screen` end to end on a CSV and an XLSX with bad rows, through the CLI runner."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from app.cli import main
from graph.embedded import EmbeddedStore
from queries.screen_io import OUTPUT_COLUMNS
from tests.resolve.conftest import HEU, HIT, NANJING, NUAA, ORGS


@pytest.fixture
def store_path(tmp_path: Path) -> str:
    path = tmp_path / "screen.db"
    with EmbeddedStore(path) as s:
        s.upsert_nodes([o for o in ORGS if o is not NANJING])  # NUAA stays, as a look-alike
    return str(path)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_screen_csv_with_bad_rows(tmp_path: Path, store_path: str) -> None:
    src = tmp_path / "partners.csv"
    src.write_bytes(
        b"id,name,country\n"
        b"p1,Harbin Institute of Technology,CN\n"
        b"p2,,CN\n"  # empty name
        b"p3,Nanjing University,XX\n"  # unknown country code; NUAA is only a look-alike
        b'p4,"School of Power and Energy Engineering, Harbin Engineering University, Harbin, China",\n'
        + b"p5,Universit\xe9 de Lyon,FR\n"  # Latin-1 bytes in a UTF-8 file
        + b"p6,NUAA,CN\n"
    )
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["screen", str(src), "--output", str(out), "--store", store_path])
    assert result.exit_code == 0, result.output + result.stderr
    assert "row 3: name: empty name" in result.stderr
    assert "row 4: country: unknown ISO-2 country code 'XX'" in result.stderr
    assert "row 6: name: not valid UTF-8 (byte 0xE9)" in result.stderr
    rows = _read_csv(out)
    assert list(rows[0]) == list(OUTPUT_COLUMNS)
    assert [r["id"] for r in rows] == ["p1", "p2", "p3", "p4", "p5", "p6"]
    by_id = {r["id"]: r for r in rows}
    assert (by_id["p1"]["decision"], by_id["p1"]["match_id"]) == ("match", HIT.id)
    assert by_id["p1"]["match_ror"] == "https://ror.org/01yqg2h08" and by_id["p1"]["explanation"]
    assert by_id["p2"]["decision"] == "invalid" and by_id["p5"]["decision"] == "invalid"
    assert by_id["p3"]["decision"] != "match" and "unknown ISO-2" in by_id["p3"]["explanation"]
    assert (by_id["p4"]["decision"], by_id["p4"]["match_id"]) == ("match", HEU.id)
    assert (by_id["p6"]["decision"], by_id["p6"]["match_id"]) == ("match", NUAA.id)
    assert "screened 6 rows" in result.output
    assert by_id["p1"]["legal_restriction"] and by_id["p1"]["network_proximity"]  # due-diligence columns, matches only
    assert by_id["p2"]["legal_restriction"] == "" and by_id["p3"]["legal_restriction"] == ""


def test_screen_xlsx_in_and_out(tmp_path: Path, store_path: str) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Country", "ID"])
    sheet.append(["HARBIN ENGINEERING UNIVERSITY", "CN", 17])
    sheet.append([None, "CN", 18])
    sheet.append(["哈尔滨工业大学", None, 19])
    src = tmp_path / "partners.xlsx"
    book.save(src)
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(main, ["screen", str(src), "--output", str(out), "--store", store_path])
    assert result.exit_code == 0, result.output + result.stderr
    assert "row 3: name: empty name" in result.stderr
    rows = list(load_workbook(out).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    header, body = rows[0], rows[1:]
    assert list(header) == list(OUTPUT_COLUMNS)
    got = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    assert got["17"]["match_id"] == HEU.id and got["17"]["decision"] == "match"
    assert got["18"]["decision"] == "invalid"
    assert got["19"]["match_id"] == HIT.id


def test_screen_refuses_a_file_without_a_name_column(tmp_path: Path, store_path: str) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("organisation,country\nHIT,CN\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["screen", str(src), "--output", str(tmp_path / "o.csv"), "--store", store_path])
    assert result.exit_code != 0 and "no 'name' column" in result.stderr


def test_screen_accepts_a_byte_order_mark(tmp_path: Path, store_path: str) -> None:
    src = tmp_path / "bom.csv"
    src.write_bytes("\ufeffname;country\nHarbin Institute of Technology;CN\n".encode())
    out = tmp_path / "o.csv"
    result = CliRunner().invoke(main, ["screen", str(src), "--output", str(out), "--store", store_path])
    assert result.exit_code == 0, result.stderr
    assert _read_csv(out)[0]["match_id"] == HIT.id
