"""Tell a list file's format from its content: XML root, JSON shape, CSV header.

File names are not trusted (downloads get renamed); the first bytes are.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ingest.lists_opensanctions_csv import CURATED_HEADERS, TARGETS_HEADER
from ingest.lists_xml import EU_NS, xml_root

__all__ = ["FORMATS", "UnknownFormat", "detect_format"]

FORMATS = (
    "ftm",
    "ftm_delta",
    "os_targets",
    *(f"os_{family}" for family in CURATED_HEADERS),
    "csl_csv",
    "csl_json",
    "ofac_sdn",
    "bis_dpl",
    "eu_fsf_xml",
    "uk_xml",
    "uk_csv",
    "un_xml",
)
_HEAD = 64 * 1024
_XML_ROOTS = {"Designations": "uk_xml", "CONSOLIDATED_LIST": "un_xml"}
_UK_REPORT = re.compile(r"^Report Date:", re.IGNORECASE)
_OFAC_LINE = re.compile(r"^\d+,")  # headerless: ent_num first, -0- for null


class UnknownFormat(ValueError):
    """The content matches no list format rsgraph reads."""


def _head(path: Path) -> str:
    with path.open("rb") as fh:
        data = fh.read(_HEAD)
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")


def _xml(path: Path) -> str | None:
    try:
        root, attrs = xml_root(path)
    except ET.ParseError as exc:
        raise UnknownFormat(f"{path}: malformed XML: {exc}") from None
    if root == "export" and (EU_NS in _head(path)[:2000] or "generationDate" in attrs):
        return "eu_fsf_xml"
    return _XML_ROOTS.get(root)


def _json(head: str) -> str | None:
    first = head.split("\n", 1)[0].strip()
    try:
        obj = json.loads(first)
    except ValueError:
        obj = None
    if isinstance(obj, dict):
        if "op" in obj and "entity" in obj:
            return "ftm_delta"
        if "schema" in obj and "id" in obj:
            return "ftm"
    if re.search(r'"results"\s*:\s*\[', head):
        return "csl_json"
    return None


def _csv(head: str) -> str | None:
    lines = head.splitlines()
    first = lines[0] if lines else ""
    if _UK_REPORT.match(first):
        return "uk_csv"
    if "\t" in first and {"Name", "Effective_Date"} <= {c.strip('"') for c in first.split("\t")}:
        return "bis_dpl"
    if _OFAC_LINE.match(first) and "-0-" in first:
        width = len(next(csv.reader(io.StringIO(first))))
        return {12: "ofac_sdn", 6: "ofac_add", 5: "ofac_alt"}.get(width)
    columns = set(next(csv.reader(io.StringIO(first)), []))
    if set(TARGETS_HEADER) <= columns:
        return "os_targets"
    if {"source", "name", "alt_names", "programs"} <= columns:
        return "csl_csv"
    if {"Unique ID", "Designation Type"} <= columns:
        return "uk_csv"
    for family, needed in CURATED_HEADERS.items():
        if set(needed) <= columns:
            return f"os_{family}"
    return None


def detect_format(path: Path) -> str:
    """One of :data:`FORMATS`, or :class:`UnknownFormat` naming the file and what was seen."""
    head = _head(path)
    text = head.lstrip()
    if not text:
        raise UnknownFormat(f"{path}: the file is empty")
    found = _xml(path) if text.startswith("<") else _json(text) if text[0] in "{[" else _csv(head)
    if found in ("ofac_add", "ofac_alt"):
        raise UnknownFormat(f"{path}: this is OFAC {found[5:]}.csv; ingest the sdn.csv beside it (joined by ent_num)")
    if found is None:
        first = text.splitlines()[0][:120] if text.splitlines() else ""
        raise UnknownFormat(
            f"{path}: cannot tell the list format from its content (starts {first!r}); "
            f"pass --format, one of: {', '.join(FORMATS)}"
        )
    return found
