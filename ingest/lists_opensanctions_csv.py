"""OpenSanctions CSVs: the ``targets.simple.csv`` export and the curated source CSVs.

The curated CSVs are OpenSanctions crawler inputs transcribed from official
PDFs and pages, one layout per family (their headers are in
:data:`CURATED_HEADERS`): NDAA §1286 and its siblings (``us_special_leg``),
the DoD 1260H list, the BIS Military End-User list and PRC counter-sanctions.
An organisation that appears in several editions has several rows; they are
folded into one entry whose listing starts at the first edition and ends
only when every row has ended.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import RecordRejected
from ingest.lists_config import ListsConfig
from ingest.lists_country import to_iso2
from ingest.lists_entry import ORG_SCHEMATA, ListEntry, Listing, Name, Parsed, Skipped
from ingest.lists_parse import DateError, parse_date, slug, split_multi, uniq

__all__ = ["CURATED_HEADERS", "TARGETS_HEADER", "map_curated_row", "map_target_row", "read_curated", "read_targets"]

TARGETS_HEADER = ("id", "schema", "name", "aliases", "countries", "sanctions", "dataset", "first_seen", "last_seen")
CURATED_HEADERS: Mapping[str, tuple[str, ...]] = {
    "us_special_leg": ("schema", "name", "aliases", "program", "authority", "report-date", "end-date", "source_url"),
    "us_dod_chinese_milcorps": ("Name", "Clean Name", "Alias", "Parent Name", "Start date", "End date"),
    "us_bis_mieu": ("Type", "Name", "Alias", "Country", "Program", "Date", "End date", "Source URL"),
    "cn_sanctions": ("Type", "QID", "Name", "Alias", "Chinese name", "Body", "List", "Date", "Source URL"),
}
csv.field_size_limit(1 << 24)


@dataclass(frozen=True, slots=True)
class _Row:
    """What one curated row says, before rows of one organisation are folded."""

    schema: str
    name: str
    list_key: str
    aliases: tuple[Name, ...] = ()
    country: str | None = None
    programme: str | None = None
    authority: str | None = None
    listed_on: str | None = None
    ends_on: str | None = None
    reason: str | None = None
    source_url: str | None = None
    effective_from: str | None = None
    ids: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)  # entity facts


def _date(row: Mapping[str, str], column: str) -> str | None:
    try:
        return parse_date(row.get(column))
    except DateError as exc:
        raise _FieldError(column, str(exc)) from None


class _FieldError(ValueError):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name


def _special_leg(row: Mapping[str, str], config: ListsConfig, list_key: str | None) -> _Row:
    program = row.get("program", "")
    key = list_key or config.by_program(program) or "us_special_leg"
    start = _date(row, "start-date")
    report = _date(row, "report-date")
    return _Row(
        schema=row.get("schema") or "LegalEntity",
        name=row.get("name", ""),
        list_key=key,
        aliases=tuple(Name(a, "alias") for a in split_multi(row.get("aliases"))),
        country=row.get("country") or None,
        programme=program or None,
        authority=row.get("authority") or None,
        listed_on=report or start,
        ends_on=_date(row, "end-date"),
        reason=row.get("reason") or row.get("notes") or None,
        source_url=row.get("source_url") or None,
        effective_from=start if start != report else None,
    )


def _milcorps(row: Mapping[str, str], config: ListsConfig, list_key: str | None) -> _Row:
    name = row.get("Clean Name") or row.get("Name", "").rstrip("*").strip()
    aliases = [Name(a, "alias") for a in split_multi(row.get("Alias"), ",")]
    aliases += [Name(p, "previous_name") for p in split_multi(row.get("Previous Name"), ",")]
    if row.get("Name") and row["Name"].rstrip("*").strip() != name:
        aliases.append(Name(row["Name"].rstrip("*").strip(), "alias"))
    parent = row.get("Parent Name") or None
    return _Row(
        schema="Company",
        name=name,
        list_key=list_key or config.by_program("US-DOD-1260H") or "us_dod_chinese_milcorps",
        aliases=tuple(aliases),
        programme="US-DOD-1260H",
        listed_on=_date(row, "Start date"),
        ends_on=_date(row, "End date"),
        reason=row.get("Note") or None,
        source_url=row.get("Source Url") or None,
        extra={"parent_name": parent} if parent else {},
    )


def _mieu(row: Mapping[str, str], config: ListsConfig, list_key: str | None) -> _Row:
    program = row.get("Program", "")
    return _Row(
        schema=row.get("Type") or "Organization",
        name=row.get("Name", ""),
        list_key=list_key or config.by_program(program) or config.by_dataset("us_bis_mieu"),
        aliases=tuple(Name(a, "alias") for a in split_multi(row.get("Alias"))),
        country=row.get("Country") or None,
        programme=program or None,
        listed_on=_date(row, "Date"),
        ends_on=_date(row, "End date"),
        source_url=row.get("Source URL") or None,
    )


def _cn(row: Mapping[str, str], config: ListsConfig, list_key: str | None) -> _Row:
    names = [Name(a, "alias") for a in split_multi(row.get("Alias"))]
    if row.get("Chinese name"):
        names.append(Name(row["Chinese name"], "name", "zh"))
    return _Row(
        schema=row.get("Type") or "Organization",
        name=row.get("Name", ""),
        list_key=list_key or "cn_sanctions",
        aliases=tuple(names),
        country=row.get("Country") or None,
        programme=row.get("List") or None,
        authority=row.get("Body") or None,
        listed_on=_date(row, "Date"),
        ends_on=_date(row, "End date"),
        reason=row.get("Summary") or None,
        source_url=row.get("Source URL") or None,
        ids={"wikidata": row["QID"]} if row.get("QID") else {},
        extra={"address": row["Address"]} if row.get("Address") else {},
    )


_FAMILIES = {
    "us_special_leg": _special_leg,
    "us_dod_chinese_milcorps": _milcorps,
    "us_bis_mieu": _mieu,
    "cn_sanctions": _cn,
}


def map_curated_row(family: str, row: Mapping[str, str], config: ListsConfig, list_key: str | None) -> _Row:
    """One curated CSV row; raises ``_FieldError`` naming the column on a bad value."""
    return _FAMILIES[family](row, config, list_key)


def _fold(rows: list[tuple[int, _Row]], source: str) -> ListEntry:
    """Rows of one organisation (all editions) as one entry with one listing."""
    ordered = sorted(rows, key=lambda r: (r[1].listed_on or "9999", r[0]))
    first, last = ordered[0][1], ordered[-1][1]
    ends = [r.ends_on for _, r in ordered]
    editions = [{"listed_on": r.listed_on, "ends_on": r.ends_on, "source_url": r.source_url} for _, r in ordered]
    extra: dict[str, Any] = {}
    for _, r in ordered:
        extra.update(r.extra)
    address = extra.pop("address", None)
    effective = next((r.effective_from for _, r in ordered if r.effective_from), None)
    listing_extra: dict[str, Any] = {"editions": editions} if len(editions) > 1 else {}
    if effective:
        listing_extra["effective_from"] = effective
    listing = Listing(
        list_key=first.list_key,
        programme=first.programme,
        listed_on=first.listed_on,
        ends_on=max(e for e in ends if e) if all(ends) else None,
        reason="; ".join(uniq(r.reason for _, r in ordered)) or None,
        source_url=last.source_url or first.source_url,
        authority=first.authority,
        extra=listing_extra,
    )
    names = tuple(n for _, r in ordered for n in r.aliases)
    country = to_iso2(first.country)
    return ListEntry(
        entry_id=slug(first.name),
        name=first.name,
        listings=(listing,),
        record_id=f"{source}:{ordered[0][0]}",
        schema=first.schema,
        names=names,
        countries=(country,) if country else (),
        address=address,
        ids=dict(first.ids),
        extra=extra,
    )


def read_curated(path: Path, family: str, config: ListsConfig, list_key: str | None) -> Iterator[Parsed]:
    """Every row of a curated CSV: organisations folded per name, persons skipped, bad rows rejected."""
    groups: dict[tuple[str, str], list[tuple[int, _Row]]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            line = reader.line_num
            where = f"{path}:{line}"
            try:
                parsed = map_curated_row(family, row, config, list_key)
            except _FieldError as exc:
                yield RecordRejected(
                    family, row.get("name") or row.get("Name") or str(line), exc.field, str(exc), where
                )
                continue
            if not parsed.name.strip():
                yield RecordRejected(family, str(line), "name", "empty name", where)
            elif parsed.schema not in ORG_SCHEMATA:
                yield Skipped(parsed.schema, f"{family}:{line}")
            else:
                groups.setdefault((parsed.list_key, slug(parsed.name)), []).append((line, parsed))
    for rows in groups.values():
        yield _fold(rows, family)


def _subfields(value: str | None) -> list[str]:
    """A ``;``-joined targets.simple cell whose parts may be CSV-quoted."""
    if not value:
        return []
    return uniq(next(csv.reader([value], delimiter=";"), []))


def map_target_row(
    row: Mapping[str, str], line: int, config: ListsConfig, list_key: str | None, location: str
) -> Parsed:
    """One targets.simple.csv row: an organisation entry or a skipped person/vessel."""
    schema, oid = row.get("schema", ""), row.get("id", "")
    if not oid:
        return RecordRejected("opensanctions", str(line), "id", "empty id", location)
    if schema not in ORG_SCHEMATA:
        return Skipped(schema or "unknown", oid)
    try:
        first_seen = parse_date(row.get("first_seen"))
    except DateError as exc:
        return RecordRejected("opensanctions", oid, "first_seen", str(exc), location)
    reasons = _subfields(row.get("sanctions"))
    programmes = split_multi(row.get("program_ids"))
    keys = (
        [list_key] if list_key else [config.by_dataset(d) for d in split_multi(row.get("dataset"))] or ["opensanctions"]
    )
    listings = tuple(
        Listing(key, programme="; ".join(programmes) or None, listed_on=first_seen, reason="; ".join(reasons) or None)
        for key in uniq(keys)
    )
    countries = tuple(c for c in (to_iso2(c) for c in split_multi(row.get("countries"))) if c)
    addresses = _subfields(row.get("addresses"))
    identifiers = _subfields(row.get("identifiers"))
    return ListEntry(
        entry_id=oid,
        name=row.get("name") or oid,
        listings=listings,
        record_id=oid,
        schema=schema,
        names=tuple(Name(a, "alias") for a in _subfields(row.get("aliases"))),
        countries=countries,
        address=addresses[0] if addresses else None,
        namespace="opensanctions",
        ids={"opensanctions": oid, **({"registration": identifiers} if identifiers else {})},
    )


def read_targets(path: Path, config: ListsConfig, list_key: str | None) -> Iterator[Parsed]:
    """Stream a targets.simple.csv export."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            yield map_target_row(row, reader.line_num, config, list_key, f"{path}:{reader.line_num}")


def targets_version(path: Path) -> str | None:
    """The newest ``last_seen`` of a targets.simple.csv (the export's build time)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return max((row.get("last_seen") or "" for row in csv.DictReader(fh)), default="") or None
