"""XML lists: the EU Financial Sanctions File and the UN Security Council consolidated list.

Both are read with ``iterparse`` one entry at a time (each element is cleared
after use), matching on local names so the EU namespace
(``http://eu.europa.ec/fpi/fsd/export``) needs no special case.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from graph.errors import RecordRejected
from ingest.lists_config import ListsConfig
from ingest.lists_country import lang_code, to_iso2
from ingest.lists_entry import ListEntry, Listing, Name, Parsed, Skipped
from ingest.lists_parse import DateError, parse_date, uniq

__all__ = ["local", "map_eu_entity", "map_un_entity", "read_eu", "read_un", "xml_root"]

EU_NS = "http://eu.europa.ec/fpi/fsd/export"


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if local(c.tag) == name]


def _text(el: ET.Element | None, name: str | None = None) -> str:
    if el is None:
        return ""
    if name is not None:
        found = _children(el, name)
        el = found[0] if found else None
    return (el.text or "").strip() if el is not None else ""


def xml_root(path: Path) -> tuple[str, dict[str, str]]:
    """The root element's local name and attributes, read from the start of the file."""
    for _event, el in ET.iterparse(path, events=("start",)):
        return local(el.tag), dict(el.attrib)
    raise ValueError(f"{path}: empty XML document")


def _iter_elements(path: Path, *names: str) -> Iterator[tuple[int, ET.Element]]:
    """Each complete element called one of ``names``, numbered from 1; cleared after use."""
    count = 0
    for _event, el in ET.iterparse(path, events=("end",)):
        if local(el.tag) in names:
            count += 1
            yield count, el
            el.clear()


# --- EU Financial Sanctions File ------------------------------------------------


def map_eu_entity(el: ET.Element, config: ListsConfig, location: str) -> Parsed:
    """One ``sanctionEntity``: enterprises become entries, persons are skipped."""
    a = el.attrib
    lid = a.get("logicalId") or a.get("euReferenceNumber") or ""
    subject = next((s.get("code", "") for s in _children(el, "subjectType")), "")
    if not lid:
        return RecordRejected("eu_fsf", location, "logicalId", "missing", location)
    if subject.lower() == "person":
        return Skipped("Person", lid)
    aliases = _children(el, "nameAlias")
    names = [
        Name(
            n.get("wholeName", "").strip(),
            "name" if n.get("strong", "true") == "true" else "weak_alias",
            lang_code(n.get("nameLanguage")),
        )
        for n in aliases
    ]
    names = [n for n in names if n.value]
    if not names:
        return RecordRejected("eu_fsf", lid, "nameAlias.wholeName", "no name", location)
    regulations = _children(el, "regulation")
    try:
        designated = parse_date(a.get("designationDate"))
    except DateError as exc:
        return RecordRejected("eu_fsf", lid, "designationDate", str(exc), location)
    try:
        published = [d for r in regulations if (d := parse_date(r.get("publicationDate")))]
    except DateError as exc:
        return RecordRejected("eu_fsf", lid, "regulation.publicationDate", str(exc), location)
    addresses = _children(el, "address")
    countries = [to_iso2(x.get("countryIso2Code")) or to_iso2(x.get("countryDescription")) for x in addresses]
    ids: dict[str, object] = {"eu": a.get("euReferenceNumber") or lid}
    for ident in _children(el, "identification"):
        if ident.get("number"):
            ids.setdefault(ident.get("identificationTypeCode") or "other", ident.get("number"))
    if a.get("unitedNationId"):
        ids["un"] = a["unitedNationId"]
    first_reg = regulations[0] if regulations else None
    listing = Listing(
        config.by_dataset("eu_fsf"),
        programme=first_reg.get("programme") if first_reg is not None else None,
        listed_on=designated or min(published, default=None),
        reason="; ".join(uniq(_text(r) for r in _children(el, "remark"))) or None,
        source_url=_text(first_reg, "publicationUrl") or None,
        authority="European Union",
        extra={"regulations": uniq(r.get("numberTitle") for r in regulations)},
    )
    return ListEntry(
        entry_id=lid,
        name=names[0].value,
        listings=(listing,),
        record_id=lid,
        schema="Organization",
        names=tuple(names[1:]),
        countries=tuple(c for c in countries if c),
        city=next((c for x in addresses if (c := x.get("city", "").strip())), None),
        address=next(
            (
                ", ".join(
                    p for p in (x.get("street"), x.get("zipCode"), x.get("city"), x.get("countryDescription")) if p
                )
                for x in addresses
            ),
            None,
        ),
        ids=ids,
    )


def read_eu(path: Path, config: ListsConfig) -> Iterator[Parsed]:
    for n, el in _iter_elements(path, "sanctionEntity"):
        yield map_eu_entity(el, config, f"{path}#sanctionEntity[{n}]")


# --- UN Security Council consolidated list -------------------------------------------


def map_un_entity(el: ET.Element, config: ListsConfig, location: str) -> Parsed:
    """One ``ENTITY`` element of the UN consolidated list."""
    dataid = _text(el, "DATAID")
    name = _text(el, "FIRST_NAME")
    if not dataid:
        return RecordRejected("un_sc_sanctions", location, "DATAID", "missing", location)
    if not name:
        return RecordRejected("un_sc_sanctions", dataid, "FIRST_NAME", "empty name", location)
    try:
        listed_on = parse_date(_text(el, "LISTED_ON"))
    except DateError as exc:
        return RecordRejected("un_sc_sanctions", dataid, "LISTED_ON", str(exc), location)
    names = [
        Name(_text(a, "ALIAS_NAME"), "weak_alias" if _text(a, "QUALITY").lower() == "low" else "alias")
        for a in _children(el, "ENTITY_ALIAS")
    ]
    if original := _text(el, "NAME_ORIGINAL_SCRIPT"):
        names.append(Name(original, "name"))
    addresses = _children(el, "ENTITY_ADDRESS")
    countries = [to_iso2(_text(x, "COUNTRY")) for x in addresses]
    full = [
        ", ".join(
            p for p in (_text(x, "STREET"), _text(x, "CITY"), _text(x, "STATE_PROVINCE"), _text(x, "COUNTRY")) if p
        )
        for x in addresses
    ]
    ref = _text(el, "REFERENCE_NUMBER")
    listing = Listing(
        config.by_dataset("un_sc_sanctions"),
        programme=_text(el, "UN_LIST_TYPE") or None,
        listed_on=listed_on,
        reason=_text(el, "COMMENTS1") or None,
        authority="United Nations Security Council",
        extra={"reference": ref} if ref else {},
    )
    return ListEntry(
        entry_id=dataid,
        name=name,
        listings=(listing,),
        record_id=ref or dataid,
        schema="Organization",
        names=tuple(n for n in names if n.value),
        countries=tuple(c for c in countries if c),
        city=next((c for x in addresses if (c := _text(x, "CITY"))), None),
        address=next((f for f in full if f), None),
        ids={"un": ref} if ref else {},
    )


def read_un(path: Path, config: ListsConfig) -> Iterator[Parsed]:
    entities = 0
    for n, el in _iter_elements(path, "INDIVIDUAL", "ENTITY"):
        if local(el.tag) == "INDIVIDUAL":
            yield Skipped("Person", _text(el, "DATAID") or str(n))
        else:
            entities += 1
            yield map_un_entity(el, config, f"{path}#ENTITY[{entities}]")
