"""Reading partner lists (CSV or XLSX) and writing screening results.

Input needs a ``name`` column; ``country`` (ISO-2) and ``id`` are optional
(column names are case-insensitive). CSV is read as UTF-8 (with or without
a byte-order mark); a row whose bytes are not valid UTF-8 is reported with
its row number and marked invalid, and the other rows go on. An empty name
makes a row invalid; an unknown country code is reported and ignored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.resolve.countries import normalise_country
from queries.screen import DUE_DILIGENCE_COLUMNS, SCREEN_COLUMNS, ScreenInput, ScreenRow

__all__ = ["OUTPUT_COLUMNS", "InputError", "RowProblem", "read_rows", "write_rows"]

OUTPUT_COLUMNS = SCREEN_COLUMNS + DUE_DILIGENCE_COLUMNS


class InputError(ValueError):
    """The file as a whole cannot be screened (missing, unreadable, no name column)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    path: str
    row: int  # 1 = header row
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: row {self.row}: {self.field}: {self.reason}"


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="surrogateescape")


def _bad_bytes(value: str) -> str | None:
    bad = [c for c in value if 0xDC80 <= ord(c) <= 0xDCFF]
    if not bad:
        return None
    shown = ", ".join(f"0x{ord(c) - 0xDC00:02X}" for c in bad[:3])
    return f"not valid UTF-8 (byte {shown}); save the file as UTF-8"


def _csv_table(path: Path) -> list[list[str]]:
    text = _decode(path.read_bytes())
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text, newline=""), dialect)]


def _xlsx_table(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged file
        raise InputError(f"{path}: not a readable .xlsx workbook: {exc}") from exc
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _table(path: Path) -> list[list[str]]:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_table(path)
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return _csv_table(path)
    raise InputError(f"{path}: unsupported file type {path.suffix!r}; give a .csv or .xlsx file")


def _printable(value: str) -> str:
    """Undecodable bytes shown as U+FFFD in the output."""
    return "".join("\ufffd" if 0xDC80 <= ord(c) <= 0xDCFF else c for c in value)


def _row(path: str, number: int, cells: dict[str, str]) -> tuple[ScreenInput, list[RowProblem]]:
    problems: list[RowProblem] = []
    name, raw_id, raw_country = cells.get("name", ""), cells.get("id", ""), cells.get("country", "")
    for column, value in (("name", name), ("id", raw_id), ("country", raw_country)):
        bad = _bad_bytes(value)
        if bad:
            problems.append(RowProblem(path, number, column, bad))
            shown = ScreenInput(number, _printable(raw_id), _printable(name), None, problem=f"{column}: {bad}")
            return shown, problems
    if not name.strip():
        problems.append(RowProblem(path, number, "name", "empty name"))
        return ScreenInput(number, raw_id, name, None, problem="empty name"), problems
    country = normalise_country(raw_country) if raw_country.strip() else None
    note = None
    if raw_country.strip() and country is None:
        reason = f"unknown ISO-2 country code {raw_country.strip()!r}; screened without a country"
        problems.append(RowProblem(path, number, "country", reason))
        country, note = None, reason
    return ScreenInput(number, raw_id.strip(), name.strip(), country, note=note), problems


def read_rows(path: Path) -> tuple[list[ScreenInput], list[RowProblem]]:
    """Rows to screen and the problems found, from a .csv or .xlsx partner list."""
    table = _table(path)
    if not table:
        raise InputError(f"{path}: the file is empty")
    header = [h.strip().lower().lstrip("\ufeff") for h in table[0]]
    if "name" not in header:
        raise InputError(f"{path}: no 'name' column (columns: {', '.join(header) or 'none'})")
    rows: list[ScreenInput] = []
    problems: list[RowProblem] = []
    for number, values in enumerate(table[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        cells = {h: (values[i] if i < len(values) else "") for i, h in enumerate(header)}
        row, found = _row(str(path), number, cells)
        rows.append(row)
        problems.extend(found)
    return rows, problems


def _safe(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def write_rows(path: Path, rows: Iterable[ScreenRow], columns: Sequence[str] = OUTPUT_COLUMNS) -> int:
    """Write the screened rows as .csv (UTF-8) or .xlsx; returns the number of rows written."""
    records = [r.as_dict() for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "screening"
        sheet.append(list(columns))
        for rec in records:
            sheet.append([_safe(rec.get(c, "")) for c in columns])
        book.save(path)
        return len(records)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for rec in records:
            writer.writerow({c: _safe(rec.get(c, "")) for c in columns})
    return len(records)
