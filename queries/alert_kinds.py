"""Alert kinds, their severity and the pure diff of two states of a watched organisation.

Kinds:

- ``newly_designated``: an active designation appears on the organisation (or
  a record effectively the same as it), on a parent or on a child;
- ``designation_removed`` (informational): such a designation is delisted or
  no longer reaches the organisation;
- ``new_path``: a designated entity comes within k hops (see
  :mod:`queries.ties`);
- ``stronger_tie``: a tie to a designated entity became *materially
  stronger* than what the analyst was last told (:func:`materially_stronger`);

Both tie kinds are about *reportable* ties only: a direct tie (one hop), or a
longer one whose proximity level is at least ``min_path_level``
(``RSGRAPH_ALERTS_MIN_PATH_LEVEL``, default medium). A weaker multi-hop tie
stays in the state and is shown by ``rsgraph check``, but raises nothing; when
it grows into a reportable one, that is a ``new_path``.
- ``new_same_as``: a SAME_AS link (band match or possible, not judged
  ``not_same``) from one of its records to a listed entity appears, or a
  possible link is upgraded to match. When the link already brings a
  ``newly_designated`` alert in the same diff, it is evidence of that alert,
  not an alert of its own.

Severity depends only on the kind, the relation (self/parent/child), the
list's legal effect, the proximity level of a tie (from edge kinds, counts,
dates and hops) and the SAME_AS band: never on a country.

The alert id is a hash of kind, organisation and evidence key, so the same
finding keeps its id from run to run; the fingerprint hashes the evidence
itself, so a reviewed alert comes back only when its evidence changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from queries.alert_facts import DesignationFact, OrgState, Record, SameAsFact, TieFact, Told

__all__ = [
    "DEFAULT_MIN_PATH_LEVEL",
    "MATERIAL_RATIO",
    "MATERIAL_WORKS",
    "Alert",
    "Kind",
    "Severity",
    "alert_id",
    "check_path_level",
    "diff",
    "materially_stronger",
    "reportable",
    "told_after",
]

MATERIAL_RATIO = 1.25  # strength must grow by at least 25% over what was told
MATERIAL_WORKS = 3  # or this many more co-authored works with the designated entity
_LEVELS = ("none", "low", "medium", "high")
DEFAULT_MIN_PATH_LEVEL = "medium"  # multi-hop ties weaker than this raise no alert (RSGRAPH_ALERTS_MIN_PATH_LEVEL)


class Kind(StrEnum):
    NEWLY_DESIGNATED = "newly_designated"
    DESIGNATION_REMOVED = "designation_removed"
    NEW_PATH = "new_path"
    STRONGER_TIE = "stronger_tie"
    NEW_SAME_AS = "new_same_as"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe."""
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Alert:
    """One finding about one watched organisation, with the evidence behind it."""

    id: str
    kind: str
    org_id: str
    org_name: str
    severity: str
    title: str
    evidence_key: str
    fingerprint: str
    path: tuple[str, ...] = ()  # a tie's steps in plain words
    records: tuple[Record, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def dataset_versions(self) -> dict[str, list[str]]:
        """Source -> dataset versions of the records behind the alert."""
        out: dict[str, set[str]] = {}
        for r in self.records:
            out.setdefault(r.source, set()).add(r.dataset_version)
        return {k: sorted(v) for k, v in sorted(out.items())}

    def sort_key(self) -> tuple[int, str, str, str]:
        return (Severity(self.severity).rank, self.org_name, self.kind, self.id)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "details": dict(self.details), "dataset_versions": self.dataset_versions}


def alert_id(kind: str, org_id: str, evidence_key: str) -> str:
    return "A" + hashlib.sha256(f"{kind}|{org_id}|{evidence_key}".encode()).hexdigest()[:16]


def _fingerprint(facts: Any) -> str:
    text = json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _alert(kind: Kind, org: OrgState, key: str, severity: Severity, title: str, facts: Any, **extra: Any) -> Alert:
    return Alert(
        alert_id(kind, org.org_id, key),
        kind.value,
        org.org_id,
        org.name,
        severity.value,
        title,
        key,
        _fingerprint(facts),
        **extra,
    )


# -- designations -------------------------------------------------------------


def designation_severity(d: DesignationFact) -> Severity:
    legal = d.legal_effect == "legal_restriction"
    if d.relation == "self":
        return Severity.CRITICAL if legal else Severity.HIGH
    return Severity.HIGH if legal else Severity.MEDIUM


def _whose(d: DesignationFact) -> str:
    return d.holder_name if d.relation == "self" else f"its {d.relation} {d.holder_name}"


def _designation_details(d: DesignationFact) -> dict[str, Any]:
    keys = ("designation_id", "entity_id", "holder", "relation", "list_key", "list_name", "programme", "authority")
    extra = {
        "legal_effect": d.legal_effect,
        "listed_on": d.listed_on,
        "delisted_on": d.delisted_on,
        "source_url": d.source_url,
    }
    return {**{k: getattr(d, k) for k in keys}, **extra}


def _designated(org: OrgState, d: DesignationFact) -> Alert:
    facts = [d.designation_id, d.holder, d.relation, d.list_key, d.legal_effect, d.listed_on, [r.id for r in d.records]]
    effect = "legal restriction" if d.legal_effect == "legal_restriction" else "advisory listing"
    title = f"{_whose(d)} newly on {d.list_name} ({effect})" + (f" since {d.listed_on}" if d.listed_on else "")
    details = _designation_details(d)
    return _alert(
        Kind.NEWLY_DESIGNATED, org, d.key, designation_severity(d), title, facts, records=d.records, details=details
    )


def _removed(org: OrgState, before: DesignationFact, now: DesignationFact | None) -> Alert:
    why = f"delisted on {now.delisted_on}" if now and now.delisted_on else "delisted" if now else "no longer linked"
    title = f"{_whose(before)} no longer designated on {before.list_name} ({why})"
    records = now.records if now else before.records
    details = {**_designation_details(now or before), "why": why}
    facts = [before.key, why]
    return _alert(
        Kind.DESIGNATION_REMOVED, org, before.key, Severity.INFO, title, facts, records=records, details=details
    )


# -- ties ----------------------------------------------------------------------------


def tie_severity(t: TieFact) -> Severity:
    return {"high": Severity.HIGH, "medium": Severity.MEDIUM}.get(t.level, Severity.LOW)


def _tie_details(t: TieFact) -> dict[str, Any]:
    return {
        "target": t.target,
        "target_name": t.target_name,
        "hops": t.hops,
        "strength": t.strength,
        "level": t.level,
        "nodes": [list(n) for n in t.nodes],
        "steps": [{"src": s.src, "dst": s.dst, "kind": s.kind, "edges": list(s.edges)} for s in t.steps],
        "listings": list(t.listings),
        "legal_effects": list(t.legal_effects),
        "works_by_year": dict(t.works_by_year),
    }


def _new_path(org: OrgState, t: TieFact) -> Alert:
    facts = [t.target, [n for n, _ in t.nodes], [s.kind for s in t.steps], list(t.listings)]
    title = f"new path of {t.hops} hop(s) to designated {t.target_name} (strength {t.strength:.3f}, {t.level})"
    path = tuple(s.text for s in t.steps)
    return _alert(
        Kind.NEW_PATH,
        org,
        t.target,
        tie_severity(t),
        title,
        facts,
        path=path,
        records=t.records,
        details=_tie_details(t),
    )


def _works(pairs: tuple[tuple[str, int], ...]) -> int:
    return sum(n for _y, n in pairs)


def materially_stronger(told: Told, now: TieFact) -> list[str]:
    """Why a tie is materially stronger than what was told (empty: it is not).

    Materially stronger means any of: its proximity level rose (low → medium →
    high); its path got shorter; its strength grew by at least
    ``MATERIAL_RATIO`` (25%) over the told strength; or, for direct
    co-authorship with the designated entity, at least ``MATERIAL_WORKS`` (3)
    more co-authored works, or works in a year later than any told year (a
    collaboration renewed this year).
    """
    why: list[str] = []
    if _LEVELS.index(now.level) > _LEVELS.index(told.level):
        why.append(f"level rose from {told.level} to {now.level}")
    if now.hops < told.hops:
        why.append(f"path shortened from {told.hops} to {now.hops} hop(s)")
    if told.strength > 0 and now.strength >= told.strength * MATERIAL_RATIO:
        why.append(f"strength rose from {told.strength:.3f} to {now.strength:.3f}")
    gained = _works(now.works_by_year) - _works(told.works_by_year)
    if gained >= MATERIAL_WORKS:
        why.append(f"{gained} more co-authored works")
    told_years = [y for y, n in told.works_by_year if n > 0]
    fresh = [y for y, n in now.works_by_year if n > 0 and (not told_years or y > max(told_years))]
    if fresh and told_years:
        why.append(f"new co-authored works in {', '.join(fresh)}")
    return why


def _stronger(org: OrgState, t: TieFact, why: list[str]) -> Alert:
    facts = [t.target, t.level, t.hops, round(t.strength, 2), list(t.works_by_year), [n for n, _ in t.nodes]]
    title = f"tie to designated {t.target_name} materially stronger: " + "; ".join(why)
    details = {**_tie_details(t), "why": why}
    path = tuple(s.text for s in t.steps)
    return _alert(
        Kind.STRONGER_TIE, org, t.target, tie_severity(t), title, facts, path=path, records=t.records, details=details
    )


def told_of(t: TieFact) -> Told:
    return Told(t.strength, t.level, t.hops, t.works_by_year)


# -- SAME_AS ---------------------------------------------------------------------------


def _same_as(org: OrgState, s: SameAsFact) -> Alert:
    severity = Severity.HIGH if s.holds else Severity.MEDIUM
    state = "resolved as the same organisation" if s.holds else "a possible match awaiting review"
    title = f"new SAME_AS link to listed {s.listed_name} ({s.band}, {state})"
    details = {
        "member": s.member,
        "listed": s.listed,
        "band": s.band,
        "score": s.score,
        "method": s.method,
        "explanation": s.explanation,
        "judgement": s.judgement,
    }
    facts = [s.edge_id, s.band, s.holds, s.judgement]
    return _alert(Kind.NEW_SAME_AS, org, s.edge_id, severity, title, facts, records=s.records, details=details)


# -- the diff ------------------------------------------------------------------------------


def _designation_alerts(prev: OrgState, cur: OrgState) -> list[Alert]:
    out = [_designated(cur, d) for k, d in cur.designations.items() if d.active and not _was_active(prev, k)]
    for key, before in prev.designations.items():
        now = cur.designations.get(key)
        if before.active and not (now and now.active):
            out.append(_removed(cur, before, now))
    return out


def _was_active(state: OrgState, key: str) -> bool:
    d = state.designations.get(key)
    return d is not None and d.active


def reportable(t: TieFact, min_path_level: str = DEFAULT_MIN_PATH_LEVEL) -> bool:
    """A tie alerts can be about: a direct tie, or a longer one of at least ``min_path_level``."""
    return t.hops <= 1 or _LEVELS.index(t.level) >= _LEVELS.index(check_path_level(min_path_level))


def check_path_level(level: str) -> str:
    if level not in _LEVELS[1:]:
        raise ValueError(f"minimum path level must be one of low, medium, high; got {level!r}")
    return level


def _tie_alerts(prev: OrgState, cur: OrgState, min_path_level: str) -> list[Alert]:
    if prev.hops != cur.hops:
        return []  # k changed: the new ties are a new baseline, not news
    out: list[Alert] = []
    for target, t in cur.ties.items():
        if not reportable(t, min_path_level):
            continue
        before = prev.ties.get(target)
        if before is None or not reportable(before, min_path_level):
            out.append(_new_path(cur, t))
            continue
        told = prev.told.get(target) or told_of(before)
        why = materially_stronger(told, t)
        if why:
            out.append(_stronger(cur, t, why))
    return out


def _same_as_alerts(prev: OrgState, cur: OrgState, designated: list[Alert]) -> list[Alert]:
    carried = {r.id for a in designated for r in a.records}
    out = []
    for edge_id, s in cur.same_as.items():
        before = prev.same_as.get(edge_id)
        upgraded = before is not None and s.holds and not before.holds
        if (before is None or upgraded) and edge_id not in carried:
            out.append(_same_as(cur, s))
    return out


def diff(prev: OrgState, cur: OrgState, *, min_path_level: str = DEFAULT_MIN_PATH_LEVEL) -> list[Alert]:
    """The alerts raised by going from ``prev`` to ``cur``, most severe first.

    Tie alerts only for :func:`reportable` ties (multi-hop ties from ``min_path_level`` up).
    """
    designation = _designation_alerts(prev, cur)
    designated = [a for a in designation if a.kind == Kind.NEWLY_DESIGNATED]
    alerts = designation + _tie_alerts(prev, cur, min_path_level) + _same_as_alerts(prev, cur, designated)
    return sorted(alerts, key=Alert.sort_key)


def told_after(prev: OrgState | None, cur: OrgState, alerts: list[Alert]) -> dict[str, Told]:
    """The baselines to store with ``cur``: what the analyst has now been told about each tie.

    A tie alerted now is told as it is; one alerted before keeps its told
    baseline; a tie seen for the first time without an alert (first run, or
    k changed) is told as it is.
    """
    alerted = {a.evidence_key for a in alerts if a.kind in (Kind.NEW_PATH, Kind.STRONGER_TIE)}
    out: dict[str, Told] = {}
    for target, t in cur.ties.items():
        keep = prev is not None and prev.hops == cur.hops and target in prev.told and target not in alerted
        out[target] = prev.told[target] if keep and prev is not None else told_of(t)
    return out
