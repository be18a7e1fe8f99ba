"""US official lists: Consolidated Screening List, OFAC SDN files, BIS Denied Persons.

- CSL (trade.gov): CSV in the 2019 layout (no id column) or the current one
  (``_id`` first), or JSON ``{"results": [...]}``. One file carries many
  lists; each row's list comes from the code in its ``source`` column
  ("Entity List (EL) - Bureau of Industry and Security" → ``EL``) through
  ``csl_codes`` in lists.toml. Rows without a type (BIS lists) are taken for
  persons only when the name looks like one (see ``looks_like_person``).
- OFAC ``sdn.csv`` (headerless, ``-0-`` for null, CRLF, a trailing 0x1A byte),
  joined with ``add.csv`` and ``alt.csv`` beside it by ``ent_num``.
- BIS Denied Persons List: tab-separated, quoted, US dates (MM/DD/YYYY).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from graph.errors import RecordRejected
from ingest.lists_config import ListsConfig
from ingest.lists_country import to_iso2
from ingest.lists_entry import ListEntry, Listing, Name, Parsed, Skipped
from ingest.lists_parse import DateError, looks_like_person, parse_date, slug, split_address, uniq

__all__ = [
    "csl_list_key",
    "map_csl_row",
    "map_dpl_row",
    "map_sdn_row",
    "read_csl_csv",
    "read_csl_json",
    "read_dpl",
    "read_sdn",
]

csv.field_size_limit(1 << 24)
_CODE = re.compile(r"\(([A-Z][A-Z-]*)\)")
_OFAC_NULL = "-0-"
_PROGRAM_SPLIT = re.compile(r"\]\s*\[|;\s*")
_AKA = re.compile(r"\b([af])\.k\.a\.,?\s+'([^']+)'")
_ID_LABELS = {
    "Legal Entity Number": "lei",
    "SWIFT/BIC": "swift",
    "Tax ID No.": "tax",
    "D-U-N-S Number": "duns",
    "Unique Entity ID": "uei",
    "Registration Number": "registration",
    "Registration ID": "registration",
    "Company Number": "registration",
    "Business Registration Number": "registration",
    "Commercial Registry Number": "registration",
    "Enterprise Number": "registration",
}
_ID_RE = re.compile(
    "("
    + "|".join(re.escape(k) for k in sorted(_ID_LABELS, key=len, reverse=True))
    + r")\s+([A-Za-z0-9][A-Za-z0-9 ./-]*?)\s*(?:\(([^)]*)\))?\s*(?=;|\.?\s*$)"
)


class _Bad(ValueError):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name


def _date(value: str | None, field_name: str, order: str = "dmy") -> str | None:
    try:
        return parse_date(value, order=order)
    except DateError as exc:
        raise _Bad(field_name, str(exc)) from None


def csl_list_key(source: str, config: ListsConfig) -> str:
    """The list key of a CSL ``source`` value, by its code in parentheses."""
    m = _CODE.search(source or "")
    return (config.by_csl_code(m.group(1)) if m else None) or f"us_csl_{slug(m.group(1) if m else source)}"


def _csl_addresses(value: Any) -> list[tuple[str, str | None, str | None]]:
    """(full text, city, ISO-2 country) for CSV strings and JSON address objects alike."""
    out = []
    if isinstance(value, str):
        for part in re.split(r";\s*(?:and\s+)?", value):
            if part.strip():
                city, country = split_address(part)
                out.append((part.strip(), city, country))
    elif isinstance(value, list):
        for a in value:
            if isinstance(a, Mapping):
                full = ", ".join(str(a[k]) for k in ("address", "city", "state", "postal_code", "country") if a.get(k))
                out.append((full, a.get("city") or None, to_iso2(a.get("country"))))
    return out


def _as_list(value: Any, sep: str = "; ") -> list[str]:
    if isinstance(value, list):
        return uniq(p for v in value for p in str(v).split(sep))
    return uniq(str(value or "").split(sep))


def _csl_ids(value: Any) -> list[str]:
    if isinstance(value, list):
        return uniq(
            " ".join(str(i.get(k)) for k in ("type", "number", "country") if i.get(k))
            if isinstance(i, Mapping)
            else str(i)
            for i in value
        )
    return _as_list(value)


def map_csl_row(row: Mapping[str, Any], line: int, config: ListsConfig, location: str) -> Parsed:
    """One CSL record (a CSV row or a JSON result) as an entry, a skip or a rejection."""
    source = str(row.get("source") or "")
    key = csl_list_key(source, config)
    name = str(row.get("name") or "").strip()
    number = str(row.get("entity_number") or "").strip()
    rid = str(row.get("_id") or row.get("id") or "").strip() or number
    if not name:
        return RecordRejected("us_trade_csl", rid or str(line), "name", "empty name", location)
    kind = str(row.get("type") or "").strip()
    if kind in ("Individual", "Vessel", "Aircraft"):
        return Skipped(kind, rid or str(line))
    if not kind and looks_like_person(name):
        return Skipped("Person (inferred from name)", rid or str(line))
    try:
        listed_on, ends_on = _date(row.get("start_date"), "start_date"), _date(row.get("end_date"), "end_date")
    except _Bad as exc:
        return RecordRejected("us_trade_csl", rid or name, exc.field, str(exc), location)
    addresses = _csl_addresses(row.get("addresses"))
    extra = {k: row[k] for k in ("federal_register_notice", "license_requirement", "license_policy") if row.get(k)}
    listing = Listing(
        key,
        programme="; ".join(_as_list(row.get("programs"), ";")) or None,
        listed_on=listed_on,
        ends_on=ends_on,
        reason=str(row.get("remarks") or "") or None,
        authority=source or None,
        source_url=str(row.get("source_information_url") or row.get("source_list_url") or "") or None,
        extra=extra,
    )
    ids: dict[str, Any] = {"csl": rid} if rid else {}
    if number:
        ids["ofac"] = number
    if identifiers := _csl_ids(row.get("ids")):
        ids["identifiers"] = identifiers
    return ListEntry(
        entry_id=number or rid or slug(name),
        name=name,
        listings=(listing,),
        record_id=rid or f"line {line}",
        schema="LegalEntity",
        names=tuple(Name(a, "alias") for a in _as_list(row.get("alt_names"))),
        countries=tuple(c for _, _, c in addresses if c),
        city=next((c for _, c, _ in addresses if c), None),
        address=addresses[0][0] if addresses else None,
        ids=ids,
        extra={"addresses": [a for a, _, _ in addresses]} if len(addresses) > 1 else {},
    )


def merge_entries(entries: Sequence[ListEntry]) -> ListEntry:
    """Rows of one unnamed-id entry (e.g. a DPL party at several addresses) as one entry."""
    first = entries[0]
    if len(entries) == 1:
        return first
    listings = [e.listings[0] for e in entries]
    starts = [li.listed_on for li in listings if li.listed_on]
    ends = [li.ends_on for li in listings]
    listing = Listing(
        first.listings[0].list_key,
        programme=first.listings[0].programme,
        listed_on=min(starts, default=None),
        ends_on=max(e for e in ends if e) if all(ends) else None,
        reason="; ".join(uniq(li.reason for li in listings)) or None,
        source_url=first.listings[0].source_url,
        authority=first.listings[0].authority,
        extra=first.listings[0].extra,
    )
    return ListEntry(
        entry_id=first.entry_id,
        name=first.name,
        listings=(listing,),
        record_id=first.record_id,
        schema=first.schema,
        names=tuple(n for e in entries for n in e.names),
        countries=tuple(c for e in entries for c in e.countries),
        city=first.city,
        address=first.address,
        ids=first.ids,
        extra={"addresses": uniq(e.address for e in entries)},
    )


def _fold_unnamed(items: Iterable[Parsed]) -> Iterator[Parsed]:
    """Pass through entries with ids; group those keyed by name slug (no id in the file)."""
    groups: dict[tuple[str, str], list[ListEntry]] = {}
    for item in items:
        if isinstance(item, ListEntry) and not item.ids.get("csl") and not item.ids.get("ofac"):
            groups.setdefault((item.listings[0].list_key, item.entry_id), []).append(item)
        else:
            yield item
    for group in groups.values():
        yield merge_entries(group)


def read_csl_csv(path: Path, config: ListsConfig) -> Iterator[Parsed]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = ((reader.line_num, row) for row in reader)
        yield from _fold_unnamed(map_csl_row(r, n, config, f"{path}:{n}") for n, r in rows)


def read_csl_json(path: Path, config: ListsConfig) -> Iterator[Parsed]:
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    results = data.get("results") if isinstance(data, Mapping) else None
    if not isinstance(results, list):
        raise ValueError(f"{path}: expected a JSON object with a 'results' list")
    items = (
        map_csl_row(r, i, config, f"{path}#results[{i}]")
        if isinstance(r, Mapping)
        else RecordRejected("us_trade_csl", str(i), "results", "not an object", f"{path}#results[{i}]")
        for i, r in enumerate(results)
    )
    yield from _fold_unnamed(items)


def csl_json_version(path: Path) -> str | None:
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    used = data.get("sources_used") if isinstance(data, Mapping) else None
    dates = [
        str(s.get("source_last_updated") or s.get("last_imported") or "") for s in used or () if isinstance(s, Mapping)
    ]
    return max((d for d in dates if d), default=None)


# --- OFAC SDN ---------------------------------------------------------------


def _ofac(value: str | None) -> str:
    v = (value or "").strip()
    return "" if v == _OFAC_NULL else v


def _remarks_ids(remarks: str) -> dict[str, Any]:
    ids: dict[str, list[str]] = {}
    for label, value, _country in _ID_RE.findall(remarks):
        ids.setdefault(_ID_LABELS[label], []).append(value.strip())
    return {k: v[0] if len(v) == 1 else v for k, v in ids.items()}


def map_sdn_row(
    row: Sequence[str],
    line: int,
    config: ListsConfig,
    location: str,
    addresses: Sequence[Sequence[str]] = (),
    aliases: Sequence[Sequence[str]] = (),
) -> Parsed:
    """One sdn.csv row (12 columns) with its add.csv and alt.csv rows."""
    if len(row) != 12:
        return RecordRejected(
            "us_ofac_sdn", row[0] if row else str(line), "columns", f"expected 12 columns, got {len(row)}", location
        )
    ent_num, name, kind, program = _ofac(row[0]), _ofac(row[1]), _ofac(row[2]).lower(), _ofac(row[3])
    if not ent_num.isdigit():
        return RecordRejected("us_ofac_sdn", ent_num or str(line), "ent_num", f"not a number: {ent_num!r}", location)
    if kind in ("individual", "vessel", "aircraft"):
        return Skipped(kind.capitalize(), ent_num)
    remarks = _ofac(row[11])
    names = [
        Name(_ofac(a[3]), "weak_alias" if _ofac(a[2]).lower() == "nka" else "alias") for a in aliases if len(a) > 3
    ]
    names += [Name(v, "alias" if k == "a" else "previous_name") for k, v in _AKA.findall(remarks)]
    places = [(_ofac(a[2]), _ofac(a[3]), to_iso2(_ofac(a[4]))) for a in addresses if len(a) > 4]
    key = config.by_csl_code("SDN") or "us_ofac_sdn"
    listing = Listing(
        key,
        programme="; ".join(uniq(_PROGRAM_SPLIT.split(program))) or None,
        reason=remarks or None,
        authority="US Department of the Treasury, OFAC",
    )
    return ListEntry(
        entry_id=ent_num,
        name=name,
        listings=(listing,),
        record_id=ent_num,
        schema="LegalEntity",
        names=tuple(n for n in names if n.value),
        countries=tuple(c for _, _, c in places if c),
        city=next((c.split(",")[0] for _, c, _ in places if c), None),
        address=next((", ".join(p for p in (s, c) if p) for s, c, _ in places if s or c), None),
        ids={"ofac": ent_num, **_remarks_ids(remarks)},
    )


def _ofac_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        for row in reader:
            if not row or (len(row) == 1 and row[0].strip("\x1a \r\n") == ""):
                continue
            yield reader.line_num, row


def _sibling(path: Path, stem: str) -> Path | None:
    candidate = path.with_name(path.name.replace("sdn", stem, 1))
    return candidate if candidate != path and candidate.exists() else None


def read_sdn(path: Path, config: ListsConfig) -> Iterator[Parsed]:
    """sdn.csv joined with add.csv / alt.csv found beside it (same name with sdn → add/alt)."""
    extra: dict[str, dict[str, list[list[str]]]] = {"add": {}, "alt": {}}
    for stem in extra:
        sibling = _sibling(path, stem)
        for _, row in _ofac_rows(sibling) if sibling else ():
            extra[stem].setdefault(row[0].strip(), []).append(row)
    for line, row in _ofac_rows(path):
        ent = row[0].strip()
        yield map_sdn_row(row, line, config, f"{path}:{line}", extra["add"].get(ent, ()), extra["alt"].get(ent, ()))


# --- BIS Denied Persons -------------------------------------------------------


def map_dpl_row(row: Mapping[str, str], line: int, config: ListsConfig, location: str) -> Parsed:
    name = (row.get("Name") or "").strip()
    if not name:
        return RecordRejected("us_bis_denied", str(line), "Name", "empty name", location)
    if looks_like_person(name):
        return Skipped("Person (inferred from name)", f"line {line}")
    try:
        listed_on = _date(row.get("Effective_Date"), "Effective_Date", "mdy")
        ends_on = _date(row.get("Expiration_Date"), "Expiration_Date", "mdy")
        updated = _date(row.get("Last_Update"), "Last_Update", "mdy")
    except _Bad as exc:
        return RecordRejected("us_bis_denied", name, exc.field, str(exc), location)
    street = ", ".join(
        p
        for p in (
            row.get("Street_Address"),
            row.get("City"),
            row.get("State"),
            row.get("Postal_Code"),
            row.get("Country"),
        )
        if p
    )
    listing = Listing(
        config.by_csl_code("DPL") or "us_bis_denied",
        programme=row.get("Action") or None,
        listed_on=listed_on,
        ends_on=ends_on,
        authority="US Department of Commerce, BIS",
        extra={k: v for k, v in (("federal_register_notice", row.get("FR_Citation")), ("last_update", updated)) if v},
    )
    country = to_iso2(row.get("Country"))
    return ListEntry(
        entry_id=slug(name),
        name=name,
        listings=(listing,),
        record_id=f"line {line}",
        schema="LegalEntity",
        countries=(country,) if country else (),
        city=row.get("City") or None,
        address=street or None,
    )


def read_dpl(path: Path, config: ListsConfig) -> Iterator[Parsed]:
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        rows = ((reader.line_num, row) for row in reader)
        yield from _fold_unnamed(map_dpl_row(r, n, config, f"{path}:{n}") for n, r in rows)
