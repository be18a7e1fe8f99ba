"""OpenSanctions FollowTheMoney exports (``entities.ftm.json``) and their delta files.

An export is JSON lines, one entity each; a delta file wraps each entity as
``{"op": "ADD"|"MOD"|"DEL", "entity": {...}}`` (DEL carries only the id). A
target organisation's Sanction entities (programme, dates, reason) and its
Address entities may come anywhere in the file, so reading takes two passes
over a temporary SQLite spool on disk: :meth:`FtmFile.scan` streams the lines
once and files organisations, sanctions and addresses away;
:meth:`FtmFile.entries` then joins them per organisation. Memory stays flat
however long the file.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from graph.errors import RecordRejected
from ingest.lists_config import ListsConfig
from ingest.lists_country import to_iso2
from ingest.lists_entry import ORG_SCHEMATA, Deleted, ListEntry, Listing, Name, Parsed, Skipped
from ingest.lists_parse import DateError, parse_date, uniq

__all__ = ["FtmFile", "map_entity"]

SOURCE = "opensanctions"
_NAME_PROPS = (
    ("name", "name"),
    ("alias", "alias"),
    ("weakAlias", "weak_alias"),
    ("previousName", "previous_name"),
    ("abbreviation", "acronym"),
)
_ID_PROPS = (
    ("leiCode", "lei"),
    ("registrationNumber", "registration"),
    ("innCode", "inn"),
    ("ogrnCode", "ogrn"),
    ("taxNumber", "tax"),
    ("vatCode", "vat"),
    ("wikidataId", "wikidata"),
    ("swiftBic", "swift"),
    ("dunsCode", "duns"),
    ("uniqueEntityId", "uei"),
    ("okpoCode", "okpo"),
    ("npiCode", "npi"),
)
_SCHEMA = """
CREATE TABLE orgs(id TEXT PRIMARY KEY, pos INTEGER, line INTEGER, data TEXT);
CREATE TABLE sanctions(entity_id TEXT, data TEXT);
CREATE INDEX sanctions_entity ON sanctions(entity_id);
CREATE TABLE addresses(key TEXT PRIMARY KEY, data TEXT);
CREATE TABLE rejected(data TEXT);
CREATE TABLE deleted(id TEXT PRIMARY KEY);
"""


def _props(entity: Mapping[str, Any]) -> Mapping[str, list[Any]]:
    props = entity.get("properties")
    return props if isinstance(props, Mapping) else {}


def _first(values: Sequence[Any] | None) -> str | None:
    return str(values[0]) if values else None


class _DateField(ValueError):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name


def _dates(values: Sequence[Any] | None, field_name: str) -> list[str]:
    out = []
    for v in values or ():
        try:
            parsed = parse_date(str(v))
        except DateError as exc:
            raise _DateField(field_name, str(exc)) from None
        if parsed:
            out.append(parsed)
    return out


def _listing_of(sanction: Mapping[str, Any], key: str) -> Listing:
    p = _props(sanction)
    starts = _dates(p.get("listingDate"), "Sanction.listingDate") + _dates(p.get("startDate"), "Sanction.startDate")
    ends = _dates(p.get("endDate"), "Sanction.endDate")
    return Listing(
        key,
        programme=_first(p.get("program")) or _first(p.get("programId")),
        listed_on=min(starts, default=None),
        ends_on=max(ends, default=None),
        reason="; ".join(uniq(p.get("reason") or ())) or None,
        source_url=_first(p.get("sourceUrl")),
        authority=_first(p.get("authority")),
        extra={"programme_id": _first(p.get("programId"))} if p.get("programId") else {},
    )


def _merge(listings: list[Listing]) -> Listing:
    """Several sanctions on one list: earliest start; open unless every one has ended."""
    if len(listings) == 1:
        return listings[0]
    starts = [li.listed_on for li in listings if li.listed_on]
    ends = [li.ends_on for li in listings]
    first = listings[0]
    return Listing(
        first.list_key,
        programme="; ".join(uniq(li.programme for li in listings)) or None,
        listed_on=min(starts, default=None),
        ends_on=max(e for e in ends if e) if all(ends) else None,
        reason="; ".join(uniq(li.reason for li in listings)) or None,
        source_url=first.source_url,
        authority=first.authority,
        extra=first.extra,
    )


def _listings(
    entity: Mapping[str, Any], sanctions: Sequence[Mapping[str, Any]], config: ListsConfig, list_key: str | None
) -> tuple[Listing, ...]:
    p = _props(entity)
    by_key: dict[str, list[Listing]] = {}
    covered: set[str] = set()
    for s in sanctions:
        sp = _props(s)
        datasets = [str(d) for d in s.get("datasets") or entity.get("datasets") or ()]
        key = (
            list_key
            or config.by_program(*(sp.get("programId") or ()), *(sp.get("program") or ()))
            or (config.by_dataset(datasets[0]) if datasets else SOURCE)
        )
        # a dataset is covered unless it is a configured list of its own that the programme routed away from
        covered.update(
            ds for ds in datasets if config.by_dataset(ds) == key or config.by_dataset(ds) not in config.lists
        )
        by_key.setdefault(key, []).append(_listing_of(s, key))
    created = _dates(p.get("createdAt"), "createdAt") or _dates([str(entity.get("first_seen") or "")], "first_seen")
    for ds in entity.get("datasets") or ():
        key = list_key or config.by_dataset(str(ds))
        if str(ds) not in covered and key not in by_key:
            by_key[key] = [Listing(key, programme=_first(p.get("programId")), listed_on=min(created, default=None))]
    if not by_key:
        key = list_key or SOURCE
        by_key[key] = [Listing(key, listed_on=min(created, default=None))]
    return tuple(_merge(v) for v in by_key.values())


def _ids(entity: Mapping[str, Any]) -> dict[str, Any]:
    p = _props(entity)
    ids: dict[str, Any] = {"opensanctions": str(entity["id"])}
    for prop, key in _ID_PROPS:
        values = uniq(str(v) for v in p.get(prop) or ())
        if values:
            ids[key] = values[0] if len(values) == 1 else values
    return ids


def map_entity(
    entity: Mapping[str, Any],
    sanctions: Sequence[Mapping[str, Any]],
    addresses: Sequence[Mapping[str, Any]],
    config: ListsConfig,
    list_key: str | None,
    location: str,
) -> ListEntry | RecordRejected:
    """One target organisation with its sanctions and addresses, as a list entry."""
    p = _props(entity)
    oid = str(entity["id"])
    try:
        listings = _listings(entity, sanctions, config, list_key)
    except _DateField as exc:
        return RecordRejected(SOURCE, oid, exc.field, str(exc), location)
    names = [Name(str(v), kind) for prop, kind in _NAME_PROPS for v in p.get(prop) or ()]
    name = str(entity.get("caption") or "") or (names[0].value if names else oid)
    codes = [to_iso2(str(c)) for prop in ("country", "jurisdiction", "mainCountry") for c in p.get(prop) or ()]
    codes += [to_iso2(_first(a.get("country"))) for a in addresses]
    city = next((c for a in addresses if (c := _first(a.get("city")))), None)
    address = _first(p.get("address")) or next((f for a in addresses if (f := _first(a.get("full")))), None)
    topics = uniq(str(t) for t in p.get("topics") or ())
    return ListEntry(
        entry_id=oid,
        name=name,
        listings=listings,
        record_id=oid,
        schema=str(entity.get("schema")),
        names=tuple(names),
        countries=tuple(c for c in codes if c),
        city=city,
        address=address,
        ids=_ids(entity),
        namespace=SOURCE,
        extra={"topics": topics} if topics else {},
    )


class FtmFile:
    """Two passes over an FtM export or delta file through an on-disk spool."""

    def __init__(self, path: Path, config: ListsConfig, list_key: str | None = None, *, delta: bool = False) -> None:
        self.path, self.config, self.list_key, self.delta = path, config, list_key, delta
        self.skipped: Counter[str] = Counter()
        self.lines = 0
        self.last_seen = ""
        self._dir = tempfile.TemporaryDirectory(prefix="rsgraph-ftm-")
        self._db = sqlite3.connect(Path(self._dir.name) / "spool.db")
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        self._scanned = False

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()

    def _reject(self, line: int, record: str, field_name: str, reason: str) -> None:
        r = RecordRejected(SOURCE, record, field_name, reason, f"{self.path}:{line}")
        self._db.execute("INSERT INTO rejected VALUES(?)", (json.dumps(r.as_dict()),))

    def _unwrap(self, obj: Any, line: int) -> Mapping[str, Any] | None:
        if not self.delta:
            return obj if isinstance(obj, Mapping) else None
        op = obj.get("op") if isinstance(obj, Mapping) else None
        entity = obj.get("entity") if isinstance(obj, Mapping) else None
        if op not in ("ADD", "MOD", "DEL") or not isinstance(entity, Mapping):
            self._reject(line, str(line), "op", f"expected op ADD/MOD/DEL with an entity, got {op!r}")
            return None
        if op == "DEL":
            self._db.execute("INSERT OR IGNORE INTO deleted VALUES(?)", (str(entity.get("id")),))
            return None
        return entity

    def _file(self, entity: Mapping[str, Any], line: int, raw: str) -> None:
        schema, eid = str(entity.get("schema") or ""), str(entity["id"])
        self.last_seen = max(self.last_seen, str(entity.get("last_seen") or ""))
        if schema in ORG_SCHEMATA:
            if entity.get("target", True) is False:
                self.skipped[f"{schema} (not a target)"] += 1
                return
            self._db.execute("INSERT OR REPLACE INTO orgs VALUES(?,?,?,?)", (eid, self.lines, line, raw))
        elif schema == "Sanction":
            for target in _props(entity).get("entity") or ():
                self._db.execute("INSERT INTO sanctions VALUES(?,?)", (str(target), raw))
        elif schema == "Address":
            p = _props(entity)
            data = json.dumps({"city": p.get("city"), "country": p.get("country"), "full": p.get("full")})
            for key in (eid, *(entity.get("referents") or ())):
                self._db.execute("INSERT OR REPLACE INTO addresses VALUES(?,?)", (str(key), data))
        elif schema in ("Person", "Vessel", "Airplane"):
            self.skipped[schema] += 1
        else:
            self.skipped[f"{schema or 'unknown'} (not an organisation)"] += 1

    def scan(self) -> FtmFile:
        """First pass: file every line away; bad lines become rejections."""
        with self.path.open(encoding="utf-8") as fh:
            for line, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                self.lines += 1
                try:
                    obj = json.loads(raw)
                except ValueError as exc:
                    self._reject(line, str(line), "json", f"not JSON: {exc}")
                    continue
                entity = self._unwrap(obj, line)
                if entity is None:
                    continue
                if not entity.get("id") or not entity.get("schema"):
                    self._reject(
                        line, str(entity.get("id") or line), "id" if not entity.get("id") else "schema", "missing"
                    )
                    continue
                self._file(entity, line, raw if not self.delta else json.dumps(entity, ensure_ascii=False))
        self._db.commit()
        self._scanned = True
        return self

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        return self._db.execute(sql, args).fetchall()

    def entries(self) -> Iterator[Parsed]:
        """Second pass: rejections, then one entry per target organisation, skips, deletions."""
        if not self._scanned:
            self.scan()
        for (data,) in self._rows("SELECT data FROM rejected"):
            yield RecordRejected(**json.loads(data))
        cursor = self._db.execute("SELECT id, line, data FROM orgs ORDER BY pos")
        while batch := cursor.fetchmany(1000):
            for eid, line, data in batch:
                entity = json.loads(data)
                sanctions = [
                    json.loads(s) for (s,) in self._rows("SELECT data FROM sanctions WHERE entity_id=?", (eid,))
                ]
                keys = [str(k) for k in _props(entity).get("addressEntity") or ()]
                addresses = [
                    json.loads(a) for k in keys for (a,) in self._rows("SELECT data FROM addresses WHERE key=?", (k,))
                ]
                yield map_entity(entity, sanctions, addresses, self.config, self.list_key, f"{self.path}:{line}")
        for schema, n in sorted(self.skipped.items()):
            yield Skipped(schema, "*", n)
        for (eid,) in self._rows("SELECT id FROM deleted ORDER BY id"):
            yield Deleted(f"list:{SOURCE}:{eid}")


def index_version(path: Path) -> str | None:
    """The ``version`` (or ``last_export``) of an OpenSanctions ``index.json`` beside ``path``."""
    index = path.parent / "index.json"
    try:
        meta = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = meta.get("version") or meta.get("last_export") or meta.get("last_change")
    return str(value) if value else None
