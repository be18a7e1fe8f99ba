"""One listed organisation, as every list format is read into, and its graph records.

Each format module turns its rows into :class:`ListEntry` (the organisation as
listed, with one :class:`Listing` per list it is on), :class:`Skipped` (a
person or vessel: counted, not stored) or ``RecordRejected``.
:func:`entry_records` maps an entry to the Organisation node
``list:<ns>:<entry id>``, one Designation node ``designation:<list>:<entry id>``
per listing and a DESIGNATED_ON edge to each.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.errors import RecordRejected
from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from ingest.lists_config import ListsConfig
from ingest.lists_parse import uniq
from ingest.pipeline import SourceRun

__all__ = [
    "ORG_SCHEMATA",
    "Deleted",
    "ListEntry",
    "Listing",
    "Name",
    "Parsed",
    "Skipped",
    "designation_id",
    "entity_id",
    "entry_records",
]

ORG_SCHEMATA = frozenset({"Organization", "Company", "LegalEntity", "PublicBody"})


@dataclass(frozen=True, slots=True)
class Name:
    """One name form: value, language (ISO 639 where known) and kind (name, alias, ...)."""

    value: str
    type: str = "name"
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """One designation of an entry: which list, which programme, since when."""

    list_key: str
    programme: str | None = None
    listed_on: str | None = None
    ends_on: str | None = None  # end date the source gives (may lie in the future)
    reason: str | None = None
    source_url: str | None = None
    authority: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ListEntry:
    """An organisation as a list prints it."""

    entry_id: str
    name: str
    listings: tuple[Listing, ...]
    record_id: str  # where it was read, for provenance (source id, line)
    schema: str = "Organization"
    names: tuple[Name, ...] = ()
    countries: tuple[str, ...] = ()
    city: str | None = None
    address: str | None = None
    ids: Mapping[str, Any] = field(default_factory=dict)
    namespace: str | None = None  # id namespace of the entity; default: the first list
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A listed person, vessel or aircraft: not a research organisation, not stored."""

    schema: str
    record_id: str
    count: int = 1  # a reader may report many skips of one schema at once


@dataclass(frozen=True, slots=True)
class Deleted:
    """A delta file says an entity is gone from the source."""

    entity_id: str


Parsed = ListEntry | Skipped | Deleted | RecordRejected


def entity_id(entry: ListEntry) -> str:
    return f"list:{entry.namespace or entry.listings[0].list_key}:{entry.entry_id}"


def designation_id(list_key: str, entry_id: str) -> str:
    return f"designation:{list_key}:{entry_id}"


def _names(entry: ListEntry) -> list[dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for n in (Name(entry.name, "name"), *entry.names):
        value = n.value.strip()
        if not value:
            continue
        slot = merged.setdefault(value, {"value": value, "lang": n.lang, "types": []})
        slot["lang"] = slot["lang"] or n.lang
        if n.type not in slot["types"]:
            slot["types"].append(n.type)
    return list(merged.values())


def entity_node(entry: ListEntry, prov: Provenance) -> Node:
    names = _names(entry)
    props: dict[str, Any] = {
        "names": names,
        "aliases": [n["value"] for n in names if n["value"] != entry.name],
        "listed_entity": True,
        "schema": entry.schema,
        "ids": dict(entry.ids),
    }
    countries = uniq(entry.countries)
    if countries:
        props["country"], props["countries"] = countries[0], countries
    if entry.city:
        props["city"] = entry.city
    if entry.address:
        props["address"] = entry.address
    return Node(entity_id(entry), NodeKind.ORGANISATION, entry.name, prov, {**props, **entry.extra})


def _status(listing: Listing, as_of: str) -> tuple[str, str | None]:
    """("active"|"delisted", delisted_on) given the source's end date and the version date."""
    if listing.ends_on and listing.ends_on <= as_of:
        return "delisted", listing.ends_on
    return "active", None


def designation_records(
    entry: ListEntry, listing: Listing, config: ListsConfig, prov: Provenance, as_of: str
) -> tuple[Node, Edge]:
    cfg = config.get(listing.list_key)
    status, delisted_on = _status(listing, as_of)
    src = entity_id(entry)
    props: dict[str, Any] = {
        "list": cfg.key,
        "list_name": cfg.name,
        "programme": listing.programme,
        "authority": listing.authority or cfg.authority,
        "listed_on": listing.listed_on,
        "delisted_on": delisted_on,
        "status": status,
        "legal_effect": cfg.legal_effect,
        "of_concern": cfg.of_concern,
        "weight": cfg.weight,
        "source_url": listing.source_url or cfg.source_url or None,
        "reason": listing.reason,
        "entity": src,
    }
    if listing.ends_on and status == "active":
        props["expires_on"] = listing.ends_on
    if not cfg.configured:
        props["configured"] = False
    props.update(listing.extra)
    did = designation_id(cfg.key, entry.entry_id)
    node = Node(did, NodeKind.DESIGNATION, f"{cfg.name}: {entry.name}", prov, props)
    edge_props = {"list": cfg.key, "legal_effect": cfg.legal_effect}
    edge = Edge(EdgeKind.DESIGNATED_ON, src, did, prov, "", listing.listed_on, delisted_on, edge_props)
    return node, edge


def entry_records(entry: ListEntry, config: ListsConfig, run: SourceRun, as_of: str) -> Iterator[Node | Edge]:
    """The entity node, then a designation node and DESIGNATED_ON edge per listing."""
    url = next((li.source_url for li in entry.listings if (li.source_url or "").startswith("http")), run.location)
    prov = Provenance(run.source, entry.record_id, url or run.location, run.retrieved_at, run.dataset_version)
    yield entity_node(entry, prov)
    for listing in entry.listings:
        yield from designation_records(entry, listing, config, prov, as_of)
