"""ROR records → Organisation nodes and hierarchy edges (pure mapping).

Accepts schema v2 records (``names[]``, ``locations[]``, ``external_ids[]``)
and schema v1 records (``name``, ``labels``, ``aliases``, ``acronyms``,
``country``, ``addresses``, ``external_ids{GRID: …}``). Ids, props and
edges follow the project conventions: ``ror:<id>`` Organisation nodes;
PARENT_OF parent→child, RELATED_TO smaller→larger id, SUCCEEDED_BY
predecessor→successor. An edge's content does not depend on which of its
two records asserted it (ROR lists every relationship from both sides), so
the reader can emit each edge once. Reading the dump is in
:mod:`ingest.ror_dump`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from graph.errors import RecordRejected
from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from ingest.pipeline import Mapped, SourceRun

__all__ = ["SOURCE", "STATUSES", "map_record", "ror_short"]

SOURCE = "ror"
STATUSES = frozenset({"active", "inactive", "withdrawn"})
_ROR_ID = re.compile(r"^(?:https?://ror\.org/)?(0[a-hj-km-np-tv-z0-9]{6}[0-9]{2})$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_ID_TYPES = {"grid": "grid", "wikidata": "wikidata", "isni": "isni", "fundref": "fundref"}


class _Bad(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def ror_short(value: Any) -> str | None:
    """``05ejpqr48`` from ``https://ror.org/05ejpqr48`` (or the bare id); None if malformed."""
    match = _ROR_ID.match(value.strip()) if isinstance(value, str) else None
    return match.group(1) if match else None


def _prov(run: SourceRun, short: str) -> Provenance:
    return Provenance(SOURCE, short, f"https://ror.org/{short}", run.retrieved_at, run.dataset_version)


def _strings(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    clean = _clean(value) if isinstance(value, list) else None
    if clean is None:
        raise _Bad(field, f"expected a list of strings, got {value!r:.80}")
    return clean


def _clean(values: list[Any]) -> list[str] | None:
    """The stripped, non-empty strings of ``values``; None if one is not a string."""
    out = []
    for v in values:
        if not isinstance(v, str):
            return None
        v = v.strip()
        if v:
            out.append(v)
    return out


def _list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Bad(field, f"expected a list, got {type(value).__name__}")
    return value


def _obj(value: Any, field: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _Bad(field, f"expected an object, got {type(value).__name__}")
    return value


def _opt_text(value: Any, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _Bad(field, f"expected a string, got {type(value).__name__}")
    return value.strip() or None


def _established(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        raise _Bad("established", f"not a year: {value!r:.40}")
    return int(value)


def _country(value: Any, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _COUNTRY.match(value):
        raise _Bad(field, f"not an ISO 3166 alpha-2 code: {value!r:.40}")
    return value.upper()


def _status(value: Any) -> str:
    status = value.lower() if isinstance(value, str) else None
    if status not in STATUSES:
        raise _Bad("status", f"must be one of {sorted(STATUSES)}, got {value!r:.40}")
    return status


# -- schema v2 -------------------------------------------------------------------


def _v2_names(raw: Mapping[str, Any]) -> list[dict[str, Any]]:
    entries = _list(raw.get("names"), "names")
    if not entries:
        raise _Bad("names", "missing or empty")
    return [_v2_name(entry, i) for i, entry in enumerate(entries)]


def _v2_name(entry: Any, i: int) -> dict[str, Any]:
    # Fast paths for well-typed values; the checking helpers (and field names) only when needed.
    if type(entry) is not dict:
        entry = _obj(entry, f"names[{i}]")
    value, lang, types = entry.get("value"), entry.get("lang"), entry.get("types")
    value = value.strip() if type(value) is str else _opt_text(value, f"names[{i}].value")
    if not value:
        raise _Bad(f"names[{i}].value", "missing")
    if lang is not None:
        lang = (lang.strip() or None) if type(lang) is str else _opt_text(lang, f"names[{i}].lang")
    clean = _clean(types) if type(types) is list else None
    return {"value": value, "lang": lang, "types": _strings(types, f"names[{i}].types") if clean is None else clean}


def _v2_ids(raw: Mapping[str, Any]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for i, entry in enumerate(_list(raw.get("external_ids"), "external_ids")):
        if type(entry) is not dict:
            entry = _obj(entry, f"external_ids[{i}]")
        every = entry.get("all")
        values = _clean(every) if type(every) is list else None
        if values is None:
            values = _strings(every, f"external_ids[{i}].all")
        kind = _ID_TYPES.get(str(entry.get("type", "")).lower())
        preferred = entry.get("preferred")
        value = preferred if isinstance(preferred, str) and preferred else (values[0] if values else None)
        if kind and value:
            ids[kind] = value
    return ids


def _links(raw: Mapping[str, Any]) -> list[str]:
    out = []
    for i, link in enumerate(_list(raw.get("links"), "links")):
        value = (link if type(link) is dict else _obj(link, f"links[{i}]")).get("value")
        if isinstance(value, str) and value:
            out.append(value)
    return out


def _v2_props(raw: Mapping[str, Any]) -> dict[str, Any]:
    locations = _list(raw.get("locations"), "locations")
    first = _obj(locations[0], "locations[0]") if locations else {}
    details = _obj(first.get("geonames_details"), "locations[0].geonames_details")
    links = _links(raw)
    admin = _obj(raw.get("admin"), "admin")
    last_modified = _obj(admin.get("last_modified"), "admin.last_modified").get("date")
    return {
        "names": _v2_names(raw),
        "country": _country(details.get("country_code"), "locations[0].geonames_details.country_code"),
        "city": _opt_text(details.get("name"), "locations[0].geonames_details.name"),
        "types": [t.lower() for t in _strings(raw.get("types"), "types")],
        "ids": _v2_ids(raw),
        "links": links,
        "domains": _strings(raw.get("domains"), "domains"),
        "last_modified": last_modified if isinstance(last_modified, str) else None,
    }


# -- schema v1 -------------------------------------------------------------------


def _v1_names(raw: Mapping[str, Any]) -> list[dict[str, Any]]:
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _Bad("name", "missing or not a string")
    names = [{"value": name.strip(), "lang": None, "types": ["ror_display", "label"]}]
    for i, label in enumerate(_list(raw.get("labels"), "labels")):
        label = _obj(label, f"labels[{i}]")
        value = _opt_text(label.get("label"), f"labels[{i}].label")
        if value is None:
            raise _Bad(f"labels[{i}].label", "missing")
        names.append(
            {"value": value, "lang": _opt_text(label.get("iso639"), f"labels[{i}].iso639"), "types": ["label"]}
        )
    names += [{"value": a, "lang": None, "types": ["alias"]} for a in _strings(raw.get("aliases"), "aliases")]
    names += [{"value": a, "lang": None, "types": ["acronym"]} for a in _strings(raw.get("acronyms"), "acronyms")]
    return names


def _v1_ids(raw: Mapping[str, Any]) -> dict[str, str]:
    ids: dict[str, str] = {}
    external = _obj(raw.get("external_ids"), "external_ids")
    for key, entry in external.items():
        kind = _ID_TYPES.get(str(key).lower())
        if not kind or not isinstance(entry, Mapping):
            continue
        values = [entry.get("preferred"), *_strings(entry.get("all"), f"external_ids.{key}.all")]
        value = next((v for v in values if isinstance(v, str) and v), None)
        if value:
            ids[kind] = value
    return ids


def _v1_props(raw: Mapping[str, Any]) -> dict[str, Any]:
    addresses = _list(raw.get("addresses"), "addresses")
    first = _obj(addresses[0], "addresses[0]") if addresses else {}
    country = _obj(raw.get("country"), "country")
    links = _strings(raw.get("links"), "links") + _strings(raw.get("wikipedia_url"), "wikipedia_url")
    return {
        "names": _v1_names(raw),
        "country": _country(country.get("country_code"), "country.country_code"),
        "city": _opt_text(first.get("city"), "addresses[0].city"),
        "types": [t.lower() for t in _strings(raw.get("types"), "types")],
        "ids": _v1_ids(raw),
        "links": links,
        "domains": [],
        "last_modified": None,
    }


# -- relationships -----------------------------------------------------------------


def _edge_ends(kind: str, me: str, other: str) -> tuple[EdgeKind, str, str]:
    if kind == "parent":
        return EdgeKind.PARENT_OF, other, me
    if kind == "child":
        return EdgeKind.PARENT_OF, me, other
    if kind == "related":
        return EdgeKind.RELATED_TO, min(me, other), max(me, other)
    if kind == "successor":
        return EdgeKind.SUCCEEDED_BY, me, other
    if kind == "predecessor":
        return EdgeKind.SUCCEEDED_BY, other, me
    raise _Bad("relationships.type", f"unknown relationship type {kind!r}")


def _edges(raw: Mapping[str, Any], short: str, run: SourceRun, own: Provenance) -> list[Edge]:
    edges = []
    for i, rel in enumerate(_list(raw.get("relationships"), "relationships")):
        if type(rel) is not dict:
            rel = _obj(rel, f"relationships[{i}]")
        other = ror_short(rel.get("id"))
        if other is None:
            raise _Bad(f"relationships[{i}].id", f"not a ROR id: {rel.get('id')!r:.60}")
        try:
            kind, src, dst = _edge_ends(str(rel.get("type", "")).lower(), short, other)
        except _Bad as exc:
            raise _Bad(f"relationships[{i}].type", exc.reason) from None
        if src != dst:
            # Provenance names the source-side record, so both sides emit equal edges.
            edges.append(Edge(kind, f"ror:{src}", f"ror:{dst}", own if src == short else _prov(run, src)))
    return edges


def _display_acronyms_aliases(names: Iterable[Mapping[str, Any]]) -> tuple[str | None, list[str], list[str]]:
    display: str | None = None
    acronyms: dict[str, None] = {}
    aliases: dict[str, None] = {}
    for n in names:
        types = n["types"]
        if display is None and "ror_display" in types:
            display = n["value"]
        if "acronym" in types:
            acronyms[n["value"]] = None
        if "alias" in types:
            aliases[n["value"]] = None
    return display, list(acronyms), list(aliases)


def map_record(raw: Any, run: SourceRun, location: str = "") -> list[Mapped]:
    """One ROR record (schema v1 or v2) → its Node and hierarchy Edges, or a RecordRejected."""
    record_id = str(raw.get("id", "?"))[:80] if isinstance(raw, Mapping) else "?"
    try:
        if not isinstance(raw, Mapping):
            raise _Bad("record", f"expected a JSON object, got {type(raw).__name__}")
        short = ror_short(raw.get("id"))
        if short is None:
            raise _Bad("id", f"not a ROR id: {raw.get('id')!r:.60}")
        props = _v2_props(raw) if "names" in raw or "name" not in raw else _v1_props(raw)
        display, acronyms, aliases = _display_acronyms_aliases(props["names"])
        if display is None:
            raise _Bad("names", "no name of type ror_display")
        props.update(
            acronyms=acronyms,
            aliases=aliases,
            status=_status(raw.get("status")),
            established=_established(raw.get("established")),
        )
        prov = _prov(run, short)
        props["ids"] = {"ror": prov.url, **props["ids"]}
        node = Node(f"ror:{short}", NodeKind.ORGANISATION, display, prov, props)
        return [node, *_edges(raw, short, run, prov)]
    except _Bad as exc:
        return [RecordRejected(SOURCE, record_id, exc.field, exc.reason, location)]
