"""The watchlist: organisations an analyst wants to hear about, with who added each, when and why.

Stored in the store's documents (namespace ``watchlist``, key = organisation
id). An organisation is named the way ``rsgraph check`` accepts
(:func:`queries.identify.identify`: any id form or a name); a name that is
ambiguous or unknown is an error listing the candidates or suggestions,
never a silent pick. A CSV adds many at once; a bad row is reported with
file, line and column and the other rows still go in.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from graph.store import GraphStore
from queries.identify import Ambiguous, Candidate, Found, NotFound, WrongKind, identify

__all__ = ["NAMESPACE", "CsvImport", "WatchEntry", "WatchError", "unwatch", "watch", "watch_csv", "watched"]

NAMESPACE = "watchlist"
ID_COLUMNS = ("id", "name_or_id", "org", "organisation", "organization", "name")
WHY_COLUMNS = ("why", "note", "reason")


class WatchError(ValueError):
    """The organisation could not be identified: unknown, ambiguous or not an organisation."""


@dataclass(frozen=True, slots=True)
class WatchEntry:
    org_id: str
    name: str
    added_by: str
    added_at: str  # ISO 8601 UTC
    why: str
    query: str  # what the analyst typed


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _listed(candidates: Sequence[Candidate]) -> str:
    return "; ".join(f"{c.id} {c.name!r}" + (f" ({c.country})" if c.country else "") for c in candidates)


def resolve(store: GraphStore, name_or_id: str, *, country: str | None = None) -> Found:
    """The one organisation ``name_or_id`` denotes, or a :class:`WatchError` naming the candidates."""
    try:
        found = identify(store, name_or_id, country=country)
    except (WrongKind, ValueError) as exc:
        raise WatchError(str(exc)) from None
    if isinstance(found, Ambiguous):
        raise WatchError(f"{name_or_id!r} is ambiguous; choose one by id: {_listed(found.candidates)}")
    if isinstance(found, NotFound):
        hint = f"; did you mean: {_listed(found.suggestions)}" if found.suggestions else ""
        raise WatchError(f"{name_or_id!r}: no such organisation in the store{hint}")
    return found


def watched(store: GraphStore) -> list[WatchEntry]:
    """Every watched organisation, by id."""
    return [WatchEntry(**doc) for _key, doc in store.iter_docs(NAMESPACE)]


def watch(
    store: GraphStore, name_or_id: str, *, by: str, why: str = "", country: str | None = None, at: str | None = None
) -> tuple[WatchEntry, bool]:
    """Watch an organisation; (its entry, whether it is new). An already watched one is left as it was."""
    if not by.strip():
        raise WatchError("say who adds the organisation (--by NAME)")
    found = resolve(store, name_or_id, country=country)
    old = store.get_doc(NAMESPACE, found.org.id)
    if old is not None:
        return WatchEntry(**old), False
    entry = WatchEntry(found.org.id, found.org.name, by.strip(), at or _now(), why.strip(), name_or_id)
    store.put_doc(NAMESPACE, entry.org_id, asdict(entry))
    return entry, True


def unwatch(store: GraphStore, name_or_id: str) -> WatchEntry | None:
    """Stop watching; the removed entry, or None when it was not watched."""
    doc = store.get_doc(NAMESPACE, name_or_id.strip())
    if doc is None:
        doc = store.get_doc(NAMESPACE, resolve(store, name_or_id).org.id)
    if doc is None:
        return None
    entry = WatchEntry(**doc)
    store.delete_doc(NAMESPACE, entry.org_id)
    return entry


@dataclass(frozen=True, slots=True)
class CsvImport:
    added: tuple[WatchEntry, ...] = ()
    already: tuple[WatchEntry, ...] = ()
    errors: tuple[str, ...] = field(default_factory=tuple)  # "FILE:LINE: column 'id': reason"


def _column(header: Sequence[str], wanted: Sequence[str]) -> str | None:
    lowered = {h.strip().lower(): h for h in header}
    return next((lowered[w] for w in wanted if w in lowered), None)


def _cell(row: dict[str, str | None], column: str | None) -> str:
    return (row.get(column) or "").strip() if column else ""


def watch_csv(store: GraphStore, path: str | Path, *, by: str, why: str = "") -> CsvImport:
    """Watch every organisation of a CSV (column id/name_or_id/name; optional why/note, by, country)."""
    path = Path(path)
    added: list[WatchEntry] = []
    already: list[WatchEntry] = []
    errors: list[str] = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        id_col = _column(header, ID_COLUMNS)
        if id_col is None:
            raise WatchError(f"{path}:1: no column naming the organisation; expected one of {', '.join(ID_COLUMNS)}")
        why_col, by_col, country_col = (
            _column(header, WHY_COLUMNS),
            _column(header, ("by",)),
            _column(header, ("country",)),
        )
        for row in reader:
            where = f"{path}:{reader.line_num}: column {id_col!r}"
            value = (row.get(id_col) or "").strip()
            if not value:
                errors.append(f"{where}: empty")
                continue
            try:
                entry, new = watch(
                    store,
                    value,
                    by=_cell(row, by_col) or by,
                    why=_cell(row, why_col) or why,
                    country=_cell(row, country_col) or None,
                )
            except WatchError as exc:
                errors.append(f"{where}: {exc}")
                continue
            (added if new else already).append(entry)
    return CsvImport(tuple(added), tuple(already), tuple(errors))
