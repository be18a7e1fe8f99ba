"""CORDIS project and participation rows → graph records (pure mapping).

Rows are dicts keyed by the CORDIS column names, from the CSV (all strings)
or the JSON export (numbers, booleans, strings). Quirks handled here: comma
or dot decimals (even in one row), empty money, EU country codes (EL → GR,
UK → GB), ``"true"/"false"/""`` booleans. Ids per the project conventions:
``cordis:project:<id>`` Project, ``cordis:pic:<PIC>`` Organisation, and
PARTICIPATED_IN organisation → project dated by the project. One node per
PIC: :func:`row_rank` orders a PIC's rows so the latest one wins. File
reading is in :mod:`ingest.cordis_files`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.errors import RecordRejected
from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from ingest.pipeline import Mapped, SourceRun

__all__ = [
    "SOURCE",
    "Participation",
    "map_participation",
    "map_project",
    "organisation_node",
    "parse_bool",
    "parse_date",
    "parse_money",
    "row_rank",
]

SOURCE = "cordis"
EU_COUNTRIES = {"EL": "GR", "UK": "GB"}
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TRUE, _FALSE = {"true", "1", "yes", "y"}, {"false", "0", "no", "n"}

Row = Mapping[str, Any]


class BadField(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def _text(row: Row, key: str) -> str:
    value = row.get(key)
    if type(value) is str:
        return value.strip()
    return "" if value is None else str(value).strip()


def parse_money(value: Any, field: str) -> float | None:
    """``"960619,95"``, ``"528340.97"``, ``1.5e6``, ``""`` → float or None."""
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise BadField(field, f"not a number: {value!r}")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if "," in text or " " in text or "\u00a0" in text:
        text = _decimal_point(text.replace(" ", "").replace("\u00a0", ""))
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise BadField(field, f"not a number: {value!r:.40}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise BadField(field, f"not a finite number: {value!r:.40}")
    return number


def _decimal_point(text: str) -> str:
    """``1.234,5`` / ``1,234.5`` / ``1234,5`` / ``1,234,567`` → a float literal's digits."""
    if "," in text and "." in text:  # the last separator is the decimal one
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        return text.replace("." if decimal == "," else ",", "").replace(",", ".")
    if text.count(",") == 1:
        return text.replace(",", ".")
    return text.replace(",", "")


def parse_date(value: Any, field: str) -> str | None:
    """``2018-04-01`` (optionally with a time) or ``01/04/2018`` → ISO date, ``""`` → None."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    match = _DATE.match(text)
    parts = (match.group(1), match.group(2), match.group(3)) if match else None
    if parts is None and (dmy := _DMY.match(text)):
        parts = (dmy.group(3), dmy.group(2), dmy.group(1))
    try:
        if parts is None:
            raise ValueError
        return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        raise BadField(field, f"not a date (YYYY-MM-DD): {value!r:.40}") from None


def parse_bool(value: Any, field: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:
        return None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise BadField(field, f"not a boolean: {value!r:.40}")


def _int_id(row: Row, key: str) -> str:
    value = row.get(key)
    text = str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not text.isdecimal():  # Unicode decimal digits, as int() reads them
        raise BadField(key, f"missing or not a numeric id: {value!r:.40}")
    return text if text.isascii() and (text[0] != "0" or len(text) == 1) else str(int(text))


def _country(value: Any) -> str | None:
    """First code of ``"DE"``, ``"EL"``, ``"DE;HU"``, mapped to ISO 3166; None if absent."""
    code = str(value or "").strip().upper().split(";")[0].strip()
    code = EU_COUNTRIES.get(code, code)
    return code if re.fullmatch(r"[A-Z]{2}", code) else None


def _project_url(project_id: str) -> str:
    return f"https://cordis.europa.eu/project/id/{project_id}"


def map_project(row: Row, run: SourceRun, location: str = "") -> list[Mapped]:
    """One project.csv/json row → a Project node, or a RecordRejected naming the field."""
    try:
        pid = _int_id(row, "id")
        acronym, title = _text(row, "acronym"), _text(row, "title")
        if not (title or acronym):
            raise BadField("title", "neither title nor acronym")
        start, end = parse_date(row.get("startDate"), "startDate"), parse_date(row.get("endDate"), "endDate")
        props = {
            "acronym": acronym or None,
            "aliases": [acronym] if acronym and title else [],
            "title": title or None,
            "framework_programme": _text(row, "frameworkProgramme") or None,
            "status": _text(row, "status") or None,
            "start": start,
            "end": end,
            "total_cost": parse_money(row.get("totalCost"), "totalCost"),
            "ec_max_contribution": parse_money(row.get("ecMaxContribution"), "ecMaxContribution"),
            "funding_scheme": _text(row, "fundingScheme") or None,
            "topics": _text(row, "topics") or None,
            "legal_basis": _text(row, "legalBasis") or None,
            "ec_signature_date": parse_date(row.get("ecSignatureDate"), "ecSignatureDate"),
            "content_updated": _text(row, "contentUpdateDate") or None,
        }
    except BadField as exc:
        return [RecordRejected(SOURCE, f"project {row.get('id')}", exc.field, exc.reason, location)]
    prov = Provenance(SOURCE, pid, _project_url(pid), run.retrieved_at, run.dataset_version)
    return [Node(f"cordis:project:{pid}", NodeKind.PROJECT, title or acronym, prov, props)]


@dataclass(frozen=True, slots=True)
class Participation:
    """A valid organisation row: the edge it gives and what the PIC node needs."""

    pic: str
    name: str
    rank: tuple[str, int, int]
    edge: Edge
    row: Row


def row_rank(row: Row, pid: str, index: int) -> tuple[str, int, int]:
    """Latest ``contentUpdateDate`` wins; ties go to the higher project id, then the later row."""
    return (_text(row, "contentUpdateDate"), int(pid), index)


def map_participation(
    row: Row,
    run: SourceRun,
    location: str = "",
    *,
    index: int = 0,
    project_dates: Mapping[str, tuple[str | None, str | None]] | None = None,
) -> Participation | RecordRejected:
    """One organization.csv/json row → a Participation, or a RecordRejected naming the field."""
    try:
        pid, pic = _int_id(row, "projectID"), _int_id(row, "organisationID")
        name = _text(row, "name")
        if not name:
            raise BadField("name", "empty organisation name")
        order = _text(row, "order")
        props = {
            "role": _text(row, "role") or None,
            "ec_contribution": parse_money(row.get("ecContribution"), "ecContribution"),
            "order": int(order) if order.isdecimal() else None,
        }
        parse_bool(row.get("SME"), "SME")
        parse_money(row.get("netEcContribution"), "netEcContribution")
    except BadField as exc:
        record = f"organisation {row.get('organisationID')} in project {row.get('projectID')}"
        return RecordRejected(SOURCE, record, exc.field, exc.reason, location)
    start, end = (project_dates or {}).get(pid, (None, None))
    prov = Provenance(SOURCE, f"{pid}/{pic}", _project_url(pid), run.retrieved_at, run.dataset_version)
    edge = Edge(EdgeKind.PARTICIPATED_IN, f"cordis:pic:{pic}", f"cordis:project:{pid}", prov, "", start, end, props)
    return Participation(pic, name, row_rank(row, pid, index), edge, row)


def organisation_node(winner: Participation, other_names: Iterable[str], run: SourceRun) -> Node:
    """The PIC's node from its latest row; other names it was listed under become aliases."""
    row = winner.row
    short = _text(row, "shortName")
    names = [{"value": winner.name, "lang": None, "types": ["label"]}]
    aliases = [n for n in dict.fromkeys(other_names) if n != winner.name]
    names += [{"value": a, "lang": None, "types": ["alias"]} for a in aliases]
    if short and short != winner.name:
        names.append({"value": short, "lang": None, "types": ["acronym"]})
    props = {
        "names": names,
        "aliases": aliases,
        "short_name": short or None,
        "country": _country(row.get("country")),
        "city": _text(row, "city") or None,
        "activity_type": _text(row, "activityType") or None,
        "sme": parse_bool(row.get("SME"), "SME"),
        "vat": _text(row, "vatNumber") or None,
        "url": _text(row, "organizationURL") or None,
        "ids": {"pic": winner.pic},
    }
    pid = winner.edge.dst.rsplit(":", 1)[1]
    prov = Provenance(SOURCE, winner.pic, _project_url(pid), run.retrieved_at, run.dataset_version)
    return Node(f"cordis:pic:{winner.pic}", NodeKind.ORGANISATION, winner.name, prov, props)
