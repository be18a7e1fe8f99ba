"""Uploaded partner lists in, screening results out: bytes ⇄ the files :mod:`queries.screen_io` reads and writes."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from queries.screen import ScreenInput, ScreenRow
from queries.screen_io import InputError, RowProblem, read_rows, write_rows

__all__ = ["MAX_ROWS", "MAX_UPLOAD_BYTES", "SUFFIXES", "UploadError", "read_upload", "results_file"]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000  # larger lists: `rsgraph screen FILE --output OUT`
SUFFIXES = (".csv", ".xlsx")


class UploadError(ValueError):
    """The uploaded file cannot be screened; the message names the file and says why."""


def read_upload(name: str, data: bytes) -> tuple[list[ScreenInput], list[str]]:
    """Rows to screen and the row problems (as "NAME: row N: field: reason") of an uploaded file."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadError(
            f"{name}: a {suffix or 'file without extension'} cannot be screened; upload a .csv or .xlsx file"
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"{name}: {len(data) / 1e6:.1f} MB is over the {MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit; "
            "split the list or use `rsgraph screen`"
        )
    if not data.strip():
        raise UploadError(f"{name}: the file is empty")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            rows, problems = read_rows(path)
        except InputError as exc:
            raise UploadError(str(exc).replace(str(path), name)) from None
    if len(rows) > MAX_ROWS:
        raise UploadError(
            f"{name}: {len(rows):,} rows is over the {MAX_ROWS:,}-row limit of the app; use `rsgraph screen`"
        )
    return rows, [_problem(name, p) for p in problems]


def _problem(name: str, p: RowProblem) -> str:
    return f"{name}: row {p.row}: {p.field}: {p.reason}"


def results_file(rows: Sequence[ScreenRow], fmt: str) -> bytes:
    """The screened rows as a .csv or .xlsx file's bytes."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"results.{fmt}"
        write_rows(path, rows)
        return path.read_bytes()
