"""The facts about a watched organisation that alerts compare from one run to the next.

A state holds, each under a stable key: the designations of the organisation,
its parents and its children (``designation id|holder``); its ties of at most
k hops to designated entities (the listed entity's id); the SAME_AS links
from its records to listed entities (the edge id); and, per tie, what the
analyst was last told about it (the baseline "materially stronger" is
measured against). States are stored as JSON documents, so every record here
converts to and from plain dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["DesignationFact", "OrgState", "Record", "SameAsFact", "StepFact", "TieFact", "Told", "state_from_doc"]


@dataclass(frozen=True, slots=True)
class Record:
    """A stored fact an alert points to, and where it came from."""

    id: str
    kind: str
    source: str
    dataset_version: str
    url: str


@dataclass(frozen=True, slots=True)
class DesignationFact:
    designation_id: str
    entity_id: str  # the listed entity
    holder: str  # the organisation, a parent or a child
    holder_name: str
    relation: str  # self | parent | child
    list_key: str
    list_name: str
    programme: str
    authority: str
    legal_effect: str  # legal_restriction | advisory
    listed_on: str | None
    delisted_on: str | None
    active: bool
    source_url: str
    records: tuple[Record, ...]  # the designation, then the SAME_AS links joining holder and listed entity

    @property
    def key(self) -> str:
        return f"{self.designation_id}|{self.holder}"


@dataclass(frozen=True, slots=True)
class StepFact:
    src: str
    dst: str
    kind: str
    edges: tuple[str, ...]
    text: str  # the step in plain words


@dataclass(frozen=True, slots=True)
class TieFact:
    """The strongest path (≤ k hops) from the organisation to one designated entity."""

    target: str
    target_name: str
    strength: float
    level: str  # low | medium | high
    hops: int
    nodes: tuple[tuple[str, str], ...]  # (id, name), the organisation first
    steps: tuple[StepFact, ...]
    listings: tuple[str, ...]  # designation ids of the target
    legal_effects: tuple[str, ...]
    works_by_year: tuple[tuple[str, int], ...]  # direct co-authorship with the target, per year
    records: tuple[Record, ...]


@dataclass(frozen=True, slots=True)
class SameAsFact:
    edge_id: str
    member: str  # the organisation's record
    listed: str  # the listed entity
    listed_name: str
    band: str  # match | possible
    score: float | None
    method: str
    explanation: str
    judgement: str | None
    holds: bool
    records: tuple[Record, ...]


@dataclass(frozen=True, slots=True)
class Told:
    """What the analyst was last told about a tie: the baseline for "materially stronger"."""

    strength: float
    level: str
    hops: int
    works_by_year: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class OrgState:
    org_id: str
    name: str
    hops: int
    watched_since: str  # when the organisation was put on the watchlist
    designations: Mapping[str, DesignationFact] = field(default_factory=dict)
    ties: Mapping[str, TieFact] = field(default_factory=dict)
    same_as: Mapping[str, SameAsFact] = field(default_factory=dict)
    told: Mapping[str, Told] = field(default_factory=dict)

    def as_doc(self) -> dict[str, Any]:
        return asdict(self)


def _records(items: Any) -> tuple[Record, ...]:
    return tuple(Record(**r) for r in items or ())


def _pairs(items: Any) -> tuple[tuple[str, int], ...]:
    return tuple((str(k), int(v)) for k, v in items or ())


def _designation(d: Mapping[str, Any]) -> DesignationFact:
    return DesignationFact(**{**d, "records": _records(d.get("records"))})


def _tie(d: Mapping[str, Any]) -> TieFact:
    steps = tuple(StepFact(**{**s, "edges": tuple(s["edges"])}) for s in d.get("steps") or ())
    return TieFact(
        **{
            **d,
            "nodes": tuple((str(a), str(b)) for a, b in d.get("nodes") or ()),
            "steps": steps,
            "listings": tuple(d.get("listings") or ()),
            "legal_effects": tuple(d.get("legal_effects") or ()),
            "works_by_year": _pairs(d.get("works_by_year")),
            "records": _records(d.get("records")),
        }
    )


def _same_as(d: Mapping[str, Any]) -> SameAsFact:
    return SameAsFact(**{**d, "records": _records(d.get("records"))})


def _told(d: Mapping[str, Any]) -> Told:
    return Told(float(d["strength"]), str(d["level"]), int(d["hops"]), _pairs(d.get("works_by_year")))


def state_from_doc(doc: Mapping[str, Any]) -> OrgState:
    """An OrgState back from its stored document."""
    return OrgState(
        org_id=str(doc["org_id"]),
        name=str(doc["name"]),
        hops=int(doc["hops"]),
        watched_since=str(doc.get("watched_since") or ""),
        designations={k: _designation(v) for k, v in (doc.get("designations") or {}).items()},
        ties={k: _tie(v) for k, v in (doc.get("ties") or {}).items()},
        same_as={k: _same_as(v) for k, v in (doc.get("same_as") or {}).items()},
        told={k: _told(v) for k, v in (doc.get("told") or {}).items()},
    )
