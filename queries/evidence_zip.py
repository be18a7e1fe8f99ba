"""The evidence subgraph of a report in every export format, as one zip (for a download button).

Each format is written by :func:`queries.export.export_evidence` into its own
folder with its own ``manifest.json`` (query, parameters, dataset versions,
SHA-256 of every file). The zip entries carry a fixed timestamp and come in a
fixed order, so the same store and query give a byte-identical zip.
"""

from __future__ import annotations

import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

from graph.store import GraphStore
from queries.export import EXPORT_FORMATS, export_evidence
from queries.report import DueDiligenceReport

__all__ = ["evidence_zip"]

_STAMP = (1980, 1, 1, 0, 0, 0)  # the earliest zip date: no clock in the bytes


def evidence_zip(store: GraphStore, report: DueDiligenceReport, *, formats: tuple[str, ...] = EXPORT_FORMATS) -> bytes:
    """``<format>/…`` files and ``<format>/manifest.json`` for each format, zipped."""
    buf = BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for fmt in formats:
            folder = Path(tmp) / fmt
            export_evidence(store, report, folder, fmt)
            for path in sorted(folder.iterdir()):
                info = zipfile.ZipInfo(f"{fmt}/{path.name}", date_time=_STAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, path.read_bytes())
    return buf.getvalue()
