"""The UK Sanctions List (FCDO), XML and CSV.

XML: ``<Designations>`` with ``<DateGenerated>`` and one ``<Designation>`` per
designated person, entity or ship (``UniqueID``, ``Names/Name`` with
``Name1``..``Name6`` and ``NameType``, ``NonLatinNames``, ``RegimeName``,
``IndividualEntityShip``, ``DateDesignated``, ``UKStatementofReasons``,
``Addresses/Address`` lines, ``EntityDetails``). CSV: a ``Report Date:`` line,
then a header, then one row per name of a designation (``Unique ID`` repeats),
``Designation Type`` telling Individual, Entity or Ship. Dates are DD/MM/YYYY.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import RecordRejected
from ingest.lists_config import ListsConfig
from ingest.lists_country import lang_code, to_iso2
from ingest.lists_entry import ListEntry, Listing, Name, Parsed, Skipped
from ingest.lists_parse import DateError, parse_date, uniq
from ingest.lists_xml import local

__all__ = ["UkDesignation", "map_uk", "read_uk_csv", "read_uk_xml", "uk_csv_version"]

SOURCE = "gb_fcdo_sanctions"
_REPORT_DATE = re.compile(r"^\ufeff?Report Date:\s*(.+?)\s*,*$")


@dataclass(frozen=True, slots=True)
class UkDesignation:
    """What the XML element or the CSV rows of one designation say."""

    unique_id: str
    kind: str  # Individual | Entity | Ship
    names: tuple[Name, ...]
    regime: str = ""
    date_designated: str = ""
    reasons: str = ""
    other: str = ""
    sanctions: str = ""
    addresses: tuple[tuple[str, ...], ...] = ()  # (line1..line6, postal code, country)
    registration: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    ids: Mapping[str, str] = field(default_factory=dict)


def _name_kind(name_type: str, strength: str) -> str:
    t = name_type.strip().lower()
    if t == "primary name":
        return "name"
    return "weak_alias" if "low" in strength.lower() else "alias"


def _city(lines: Sequence[str]) -> str | None:
    """The town: address line 5 (FCDO's usual town line), else 6, else the last of 2-4 without digits."""
    for candidate in (*lines[4:6], *reversed(lines[1:4])):
        if candidate and not any(ch.isdigit() for ch in candidate):
            return candidate
    return None


def map_uk(d: UkDesignation, config: ListsConfig, location: str) -> Parsed:
    """One designation: entities become entries; individuals and ships are skipped."""
    if d.kind.lower() in ("individual", "ship"):
        return Skipped("Person" if d.kind.lower() == "individual" else "Vessel", d.unique_id)
    primary = next((n for n in d.names if n.type == "name" and n.lang is None), None) or next(iter(d.names), None)
    if primary is None:
        return RecordRejected(SOURCE, d.unique_id, "Names", "no name", location)
    try:
        listed_on = parse_date(d.date_designated)
    except DateError as exc:
        return RecordRejected(SOURCE, d.unique_id, "DateDesignated", str(exc), location)
    countries = [to_iso2(a[-1]) for a in d.addresses if a]
    full = [", ".join(p for p in a if p) for a in d.addresses]
    ids: dict[str, object] = {"uk": d.unique_id, **d.ids}
    if d.registration:
        ids["registration"] = d.registration[0] if len(d.registration) == 1 else list(d.registration)
    listing = Listing(
        config.by_dataset(SOURCE),
        programme=d.regime or None,
        listed_on=listed_on,
        reason=d.reasons or d.other or None,
        authority="UK Foreign, Commonwealth & Development Office",
        extra={"sanctions_imposed": d.sanctions} if d.sanctions else {},
    )
    return ListEntry(
        entry_id=d.unique_id,
        name=primary.value,
        listings=(listing,),
        record_id=d.unique_id,
        schema="Organization",
        names=tuple(n for n in d.names if n is not primary),
        countries=tuple(c for c in countries if c),
        city=next((c for a in d.addresses if (c := _city(a[:6]))), None),
        address=next((f for f in full if f), None),
        ids=ids,
        extra={"parent_names": list(d.parents)} if d.parents else {},
    )


# --- XML ----------------------------------------------------------------------------


def _kids(el: ET.Element | None, name: str) -> list[ET.Element]:
    return [c for c in el if local(c.tag) == name] if el is not None else []


def _t(el: ET.Element | None, name: str) -> str:
    found = _kids(el, name)
    return (found[0].text or "").strip() if found else ""


def _all(el: ET.Element, path: Sequence[str]) -> list[ET.Element]:
    level = [el]
    for name in path:
        level = [c for p in level for c in _kids(p, name)]
    return level


def _from_xml(el: ET.Element) -> UkDesignation:
    names = []
    for n in _all(el, ("Names", "Name")):
        value = " ".join(p for p in (_t(n, f"Name{i}") for i in (1, 2, 3, 4, 5, 6)) if p)
        names.append(Name(value, _name_kind(_t(n, "NameType"), _t(n, "AliasStrength"))))
    for n in _all(el, ("NonLatinNames", "NonLatinName")):
        lang = lang_code(_t(n, "NonLatinScriptLanguage"))
        names.append(Name(_t(n, "NameNonLatinScript"), "name", lang))
    addresses = tuple(
        (*tuple(_t(a, f"AddressLine{i}") for i in range(1, 7)), _t(a, "AddressPostalCode"), _t(a, "AddressCountry"))
        for a in _all(el, ("Addresses", "Address"))
    )
    entity = ("EntityDetails", "Entity")
    return UkDesignation(
        unique_id=_t(el, "UniqueID"),
        kind=_t(el, "IndividualEntityShip"),
        names=tuple(n for n in names if n.value),
        regime=_t(el, "RegimeName"),
        date_designated=_t(el, "DateDesignated"),
        reasons=_t(el, "UKStatementofReasons"),
        other=_t(el, "OtherInformation"),
        sanctions=_t(el, "SanctionsImposed"),
        addresses=addresses,
        registration=tuple(
            uniq(x.text for x in _all(el, (*entity, "BusinessRegistrationNumbers", "BusinessRegistrationNumber")))
        ),
        parents=tuple(uniq(x.text for x in _all(el, (*entity, "ParentCompanies", "ParentCompany")))),
        ids={k: v for k, v in (("ofsi_group", _t(el, "OFSIGroupID")), ("un", _t(el, "UNReferenceNumber"))) if v},
    )


def read_uk_xml(path: Path, config: ListsConfig) -> Iterator[Parsed]:
    count = 0
    for _event, el in ET.iterparse(path, events=("end",)):
        if local(el.tag) == "Designation":
            count += 1
            location = f"{path}#Designation[{count}]"
            d = _from_xml(el)
            el.clear()
            if not d.unique_id:
                yield RecordRejected(SOURCE, location, "UniqueID", "missing", location)
                continue
            yield map_uk(d, config, location)


def uk_xml_version(path: Path) -> str | None:
    for _event, el in ET.iterparse(path, events=("end",)):
        if local(el.tag) == "DateGenerated":
            return parse_date((el.text or "").strip())
        if local(el.tag) == "Designation":
            return None
    return None


# --- CSV ----------------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
        if not _REPORT_DATE.match(first):
            fh.seek(0)
        reader = csv.DictReader(fh)
        offset = 1 if _REPORT_DATE.match(first) else 0
        for row in reader:
            yield reader.line_num + offset, {k.strip(): (v or "").strip() for k, v in row.items() if k}


def _from_rows(rows: Sequence[dict[str, str]]) -> UkDesignation:
    first = rows[0]
    names: list[Name] = []
    for r in rows:
        value = " ".join(p for p in (r.get(f"Name {i}", "") for i in (1, 2, 3, 4, 5, 6)) if p)
        names.append(Name(value, _name_kind(r.get("Name type", ""), r.get("Alias strength", ""))))
        if r.get("Name non-latin script"):
            lang = lang_code(r.get("Non-latin script language"))
            names.append(Name(r["Name non-latin script"], "name", lang))
    lines = [first.get(f"Address Line {i}", "") for i in range(1, 7)]
    address = (*lines, first.get("Address Postal Code", ""), first.get("Address Country", ""))
    return UkDesignation(
        unique_id=first.get("Unique ID", ""),
        kind=first.get("Designation Type", ""),
        names=tuple(dict.fromkeys(n for n in names if n.value)),
        regime=first.get("Regime Name", ""),
        date_designated=first.get("Date Designated", ""),
        reasons=first.get("UK Statement of Reasons", ""),
        other=first.get("Other Information", ""),
        sanctions=first.get("Sanctions Imposed", ""),
        addresses=(address,) if any(address) else (),
        registration=tuple(uniq([first.get("Business registration number (s)", "")])),
        parents=tuple(uniq([first.get("Parent company", "")])),
        ids={
            k: v
            for k, v in (("ofsi_group", first.get("OFSI Group ID", "")), ("un", first.get("UN Reference Number", "")))
            if v
        },
    )


def read_uk_csv(path: Path, config: ListsConfig) -> Iterator[Parsed]:
    """Rows grouped by ``Unique ID`` (one row per name form) into designations."""
    groups: dict[str, list[dict[str, str]]] = {}
    lines: dict[str, int] = {}
    for line, row in _csv_rows(path):
        uid = row.get("Unique ID", "")
        if not uid:
            yield RecordRejected(SOURCE, str(line), "Unique ID", "missing", f"{path}:{line}")
            continue
        groups.setdefault(uid, []).append(row)
        lines.setdefault(uid, line)
    for uid, rows in groups.items():
        yield map_uk(_from_rows(rows), config, f"{path}:{lines[uid]}")


def uk_csv_version(path: Path) -> str | None:
    with path.open(encoding="utf-8-sig") as fh:
        m = _REPORT_DATE.match(fh.readline().strip())
    try:
        return parse_date(m.group(1)) if m else None
    except DateError:
        return None
