"""Read CORDIS bulk files and load them: ``rsgraph ingest cordis PATH_OR_URL``.

Input: a projects zip (``cordis-h2020projects-csv.zip``, ``-json.zip``, the
FP7 and Horizon Europe ones; members possibly under ``csv/`` or ``json/``), a
folder, a single ``project``/``organization`` file, or a URL to any of them.
CSV files use ``;``, quote every field and hold multi-line text; a row whose
column count differs from the header's is quarantined with its file and
line. Projects are read first (their dates date the PARTICIPATED_IN edges),
then organisation rows; each PIC becomes one node from its latest row.

The dataset version is ``--version``, else ``<programme>-<newest
contentUpdateDate>`` (e.g. ``H2020-2024-05-02``).
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import RecordRejected
from graph.model import Node
from graph.settings import Settings, load_settings
from graph.store import GraphStore
from ingest.cordis import SOURCE, Participation, map_participation, map_project, organisation_node
from ingest.cordis_dropped import Participations, remove_dropped
from ingest.http import HttpClient
from ingest.jsonstream import iter_json_records
from ingest.pipeline import BATCH, IngestReport, Mapped, SourceRun, bulk_pays, load, record_run
from ingest.sourcefile import Member, fetch, guarded, list_members, member_size, open_text

__all__ = ["CordisInput", "RawRow", "find_inputs", "ingest_cordis", "read_rows"]

log = logging.getLogger(__name__)

csv.field_size_limit(1 << 26)
_PROJECT = re.compile(r"(?:^|/)projects?(?:\.[^/]*)?\.(?:csv|json)$", re.IGNORECASE)
_ORGANISATION = re.compile(r"(?:^|/)organi[sz]ations?(?:\.[^/]*)?\.(?:csv|json)$", re.IGNORECASE)
_DROP = frozenset({"objective"})  # long text the graph does not keep
BYTES_PER_PARTICIPATION = 400  # organization.csv bytes a row (H2020); a row gives an edge, ~0.2 of a node

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class CordisInput:
    projects: Member | None
    organisations: Member | None


@dataclass(frozen=True, slots=True)
class RawRow:
    """A row as read: its values, or the field and reason it could not be read."""

    location: str  # file:line
    values: dict[str, Any] | None
    field: str = ""
    reason: str = ""


def _kind_by_content(member: Member) -> str | None:
    for row in read_rows(member):
        keys = set(row.values or {})
        if "organisationID" in keys:
            return "organisations"
        if "frameworkProgramme" in keys or ("id" in keys and "acronym" in keys):
            return "projects"
        if row.values is not None:
            return None
    return None


def find_inputs(path: Path) -> CordisInput:
    """The project and organisation files in a zip, a folder or a single file."""
    members = list_members(path)
    projects = next((m for m in members if _PROJECT.search(m.name)), None)
    orgs = next((m for m in members if _ORGANISATION.search(m.name)), None)
    if projects is None and orgs is None and len(members) == 1:
        kind = _kind_by_content(members[0])
        projects = members[0] if kind == "projects" else None
        orgs = members[0] if kind == "organisations" else None
    if projects is None and orgs is None:
        raise ValueError(
            f"{path}: no CORDIS project.csv/json or organization.csv/json in {[m.name for m in members][:10]}"
        )
    return CordisInput(projects, orgs)


def read_rows(member: Member) -> Iterator[RawRow]:
    """Each row of a CORDIS CSV or JSON file, with its line."""
    rows = _json_rows(member) if member.name.lower().endswith(".json") else _csv_rows(member)
    return guarded(member, rows)


def _json_rows(member: Member) -> Iterator[RawRow]:
    label = member.label
    with open_text(member) as fh:
        for rec in iter_json_records(fh):
            where = f"{label}:{rec.line}"
            if rec.error is not None:
                yield RawRow(where, None, "json", rec.error)
            elif not isinstance(rec.value, dict):
                yield RawRow(where, None, "json", f"expected an object, got {type(rec.value).__name__}")
            else:
                yield RawRow(where, {k: v for k, v in rec.value.items() if k not in _DROP})


def _csv_rows(member: Member) -> Iterator[RawRow]:
    with open_text(member) as fh:
        reader = csv.reader(fh, delimiter=";", quotechar='"', strict=False)
        header = next(reader, None)
        if not header:
            return
        header = [h.strip() for h in header]
        keep = [i for i, h in enumerate(header) if h not in _DROP]
        kept = [header[i] for i in keep]
        label = member.label
        last = reader.line_num
        while True:
            start = last + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                last = reader.line_num
                yield RawRow(f"{label}:{start}", None, "csv", str(exc))
                continue
            last = reader.line_num
            if not fields or fields == [""]:
                continue
            where = f"{label}:{start}"
            if len(fields) != len(header):
                yield RawRow(where, None, "columns", f"expected {len(header)} columns, got {len(fields)}")
            else:
                yield RawRow(where, dict(zip(kept, [fields[i] for i in keep], strict=True)))


def _rejected(row: RawRow) -> RecordRejected:
    return RecordRejected(SOURCE, f"row at {row.location}", row.field, row.reason, row.location)


def cordis_version(project_rows: list[RawRow], inputs: CordisInput) -> str:
    """``<programme>-<newest contentUpdateDate>``, or a digest when there are no dates."""
    rows = project_rows
    if not rows and inputs.organisations is not None:
        rows = list(read_rows(inputs.organisations))
    dates = {str(r.values.get("contentUpdateDate") or "")[:10] for r in rows if r.values}
    programmes = {str(r.values.get("frameworkProgramme") or "") for r in rows if r.values} - {""}
    newest = max(dates - {""}, default="")
    if newest:
        return f"{programmes.pop()}-{newest}" if len(programmes) == 1 else newest
    member = inputs.projects or inputs.organisations
    assert member is not None
    return "sha256:" + hashlib.sha256(member.path.read_bytes()).hexdigest()[:12]


def cordis_records(
    run: SourceRun, project_rows: list[RawRow], orgs: Member | None, seen: Participations | None = None
) -> Iterator[Mapped]:
    """Projects, then participation edges, then one node per PIC (in PIC order).

    ``seen`` is filled with what the organisations file lists, for :func:`remove_dropped`.
    """
    seen = seen if seen is not None else Participations()
    dates: dict[str, tuple[str | None, str | None]] = {}
    refused: set[str] = set()  # ids of project rows that were quarantined
    for row in project_rows:
        if row.values is None:
            yield _rejected(row)
            continue
        for item in map_project(row.values, run, row.location):
            if isinstance(item, Node):
                dates[item.id.rsplit(":", 1)[1]] = (item.props["start"], item.props["end"])
            else:
                refused.add(str(row.values.get("id", "")).strip())
            yield item
    if orgs is None:
        return
    winners: dict[str, Participation] = {}
    names: dict[str, dict[str, None]] = {}
    for index, row in enumerate(read_rows(orgs)):
        if row.values is None:
            seen.unreadable = True
            yield _rejected(row)
            continue
        part = map_participation(row.values, run, row.location, index=index, project_dates=dates)
        if refused and not isinstance(part, RecordRejected) and part.edge.dst.rsplit(":", 1)[1] in refused:
            reason = "its project row was quarantined"
            part = RecordRejected(
                SOURCE, f"organisation {part.pic} in project {part.edge.dst}", "projectID", reason, row.location
            )
        if isinstance(part, RecordRejected):
            seen.unsure.add(f"cordis:project:{str(row.values.get('projectID') or '').strip()}")
            yield part
            continue
        seen.listed(part.edge)
        yield part.edge
        names.setdefault(part.pic, {})[part.name] = None
        if part.pic not in winners or part.rank > winners[part.pic].rank:
            winners[part.pic] = part
    for pic in sorted(winners, key=int):
        yield organisation_node(winners[pic], names[pic], run)


def ingest_cordis(
    store: GraphStore,
    path_or_url: str,
    *,
    version: str | None = None,
    settings: Settings | None = None,
    client: HttpClient | None = None,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> IngestReport:
    """Load CORDIS projects and participations; resumable after a crash.

    Raises FileNotFoundError, ValueError or SourceUnavailable when the input
    cannot be had at all; a failure while reading is in ``report.failed``.
    """
    settings = settings or load_settings()
    fetched = fetch(path_or_url, settings, source=SOURCE, client=client)
    inputs = find_inputs(fetched.path)
    project_rows = list(read_rows(inputs.projects)) if inputs.projects else []
    run = SourceRun(SOURCE, version or cordis_version(project_rows, inputs), fetched.location)
    participations = member_size(inputs.organisations) // BYTES_PER_PARTICIPATION if inputs.organisations else 0
    bulk = bulk_pays(store, len(project_rows) + participations * 6 // 5)
    seen = Participations()
    records = cordis_records(run, project_rows, inputs.organisations, seen)
    report = load(store, records, run, batch=batch, progress=progress, bulk=bulk)
    if report.failed is None:
        removed = remove_dropped(store, seen, SOURCE)
        if removed:
            report.notes.append(f"removed {removed:,} participations the release no longer lists")
            record_run(store, run, report)
    log.debug("%s", report.summary())
    return report
