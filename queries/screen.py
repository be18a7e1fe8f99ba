"""Screening a partner list: one decision per row, explained.

``screen(store, rows)`` resolves each row's name (with its country, when
given, as identity context only) against every organisation in the store
and returns one :class:`ScreenRow` per input row: the best candidate
(``match_*``), its score, the decision ``match`` | ``possible`` | ``none``
(only ``match`` counts as a match) and why. Invalid rows come back with
decision ``invalid`` and the reason, never stopping the run.

Extension point for due diligence: pass ``annotate`` — a function of
(store, matched organisation id) returning values for
:data:`DUE_DILIGENCE_COLUMNS` (``legal_restriction``, ``advisory_listing``,
``network_proximity``, ``strongest_path``). It is called only for rows
decided ``match``; the columns are always present in the output (empty
without an annotator). Country never reaches an annotator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from graph.resolve.linker import build_resolver, lookup
from graph.resolve.matcher import Resolver
from graph.store import GraphStore

__all__ = [
    "DUE_DILIGENCE_COLUMNS",
    "SCREEN_COLUMNS",
    "Annotator",
    "ScreenInput",
    "ScreenRow",
    "screen",
]

SCREEN_COLUMNS = ("id", "name", "country", "match_id", "match_ror", "match_name", "score", "decision", "explanation")
DUE_DILIGENCE_COLUMNS = ("legal_restriction", "advisory_listing", "network_proximity", "strongest_path")

Annotator = Callable[[GraphStore, str], Mapping[str, str]]


@dataclass(frozen=True, slots=True)
class ScreenInput:
    """One input row: its row number in the file (header = 1), the user's id, name and ISO-2 country."""

    row: int
    id: str
    name: str
    country: str | None = None
    problem: str | None = None  # set when the row is invalid (empty name, bad encoding)
    note: str | None = None  # a non-fatal remark (e.g. an unknown country code that was ignored)


@dataclass(frozen=True, slots=True)
class ScreenRow:
    input: ScreenInput
    match_id: str = ""
    match_ror: str = ""
    match_name: str = ""
    score: float | None = None
    decision: str = "none"  # match | possible | none | invalid
    explanation: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, str]:
        out = {
            "id": self.input.id,
            "name": self.input.name,
            "country": self.input.country or "",
            "match_id": self.match_id,
            "match_ror": self.match_ror,
            "match_name": self.match_name,
            "score": "" if self.score is None else f"{self.score:.3f}",
            "decision": self.decision,
            "explanation": self.explanation,
        }
        out.update({c: str(self.extra.get(c, "")) for c in DUE_DILIGENCE_COLUMNS})
        return out


def _screen_one(store: GraphStore, row: ScreenInput, resolver: Resolver, annotate: Annotator | None) -> ScreenRow:
    if row.problem:
        return ScreenRow(row, decision="invalid", explanation=row.problem)
    found = lookup(store, row.name, country=row.country, limit=1, resolver=resolver)
    note = f"{row.note}; " if row.note else ""
    if not found:
        return ScreenRow(row, decision="none", explanation=note + "no organisation in the store shares a name with it")
    best = found[0]
    extra = dict(annotate(store, best.id)) if annotate and best.band == "match" else {}
    return ScreenRow(
        row,
        match_id=best.id,
        match_ror=f"https://ror.org/{best.ror}" if best.ror else "",
        match_name=best.name,
        score=best.score,
        decision=best.band,
        explanation=note + best.explanation,
        extra=extra,
    )


def screen(
    store: GraphStore,
    rows: Iterable[ScreenInput],
    *,
    annotate: Annotator | None = None,
    resolver: Resolver | None = None,
) -> list[ScreenRow]:
    """One screened row per input row, in input order."""
    res = resolver or build_resolver(store)
    return [_screen_one(store, row, res, annotate) for row in rows]
