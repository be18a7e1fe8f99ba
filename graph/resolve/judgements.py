"""Analyst judgements on pairs of records: same, not_same, unsure — who, when, why.

Judgements live in the store's document namespace ``judgements``, apart from
source data, keyed by the unordered pair. Every judgement is kept (the
history is the audit trail); the *current* one is the latest by time, ties
broken by decision and author, so the outcome depends on the set of
judgements and never on the order they were recorded. They are applied at
read time (:class:`JudgedPolicy`), so re-ingesting or re-linking never
undoes an analyst's decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from graph.model import Edge, EdgeKind
from graph.store import GraphStore

__all__ = [
    "DECISIONS",
    "NAMESPACE",
    "JudgedPolicy",
    "Judgement",
    "all_current",
    "current",
    "fingerprint",
    "history",
    "judged_policy",
    "pair_key",
    "record",
]

NAMESPACE = "judgements"
DECISIONS = ("same", "not_same", "unsure")


@dataclass(frozen=True, slots=True)
class Judgement:
    a: str
    b: str
    decision: str  # same | not_same | unsure
    by: str
    why: str
    at: str  # ISO 8601 UTC

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.at, self.decision, self.by, self.why)


def pair_key(a: str, b: str) -> str:
    """The unordered pair as one key ("x|y" with x < y)."""
    x, y = sorted((a, b))
    return f"{x}|{y}"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _validate(a: str, b: str, decision: str, by: str, why: str) -> None:
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}, got {decision!r}")
    if a == b:
        raise ValueError(f"a record cannot be judged against itself ({a!r})")
    if not by.strip():
        raise ValueError("a judgement needs the analyst's name (--by)")
    if not why.strip():
        raise ValueError("a judgement needs a reason (--why)")


def _from_doc(doc: Mapping[str, Any]) -> list[Judgement]:
    return sorted((Judgement(**h) for h in doc.get("history") or ()), key=Judgement.sort_key)


def record(store: GraphStore, a: str, b: str, decision: str, *, by: str, why: str, at: str | None = None) -> Judgement:
    """Add a judgement to the pair's history and return it."""
    _validate(a, b, decision, by, why)
    x, y = sorted((a, b))
    judgement = Judgement(x, y, decision, by.strip(), why.strip(), at or _now())
    key = pair_key(a, b)
    past = _from_doc(store.get_doc(NAMESPACE, key) or {})
    entries = sorted({*past, judgement}, key=Judgement.sort_key)
    store.put_doc(NAMESPACE, key, {"a": x, "b": y, "history": [asdict(j) for j in entries]})
    return judgement


def history(store: GraphStore, a: str, b: str) -> list[Judgement]:
    """Every judgement on the pair, oldest first."""
    return _from_doc(store.get_doc(NAMESPACE, pair_key(a, b)) or {})


def current(store: GraphStore, a: str, b: str) -> Judgement | None:
    past = history(store, a, b)
    return past[-1] if past else None


def all_current(store: GraphStore) -> dict[str, Judgement]:
    """Pair key → current judgement, for every judged pair."""
    out: dict[str, Judgement] = {}
    for key, doc in store.iter_docs(NAMESPACE):
        past = _from_doc(doc)
        if past:
            out[key] = past[-1]
    return out


def fingerprint(judgements: Mapping[str, Judgement]) -> tuple[tuple[str, str, str], ...]:
    return tuple(sorted((k, j.decision, j.at) for k, j in judgements.items()))


@dataclass(frozen=True, slots=True)
class JudgedPolicy:
    """Whether a SAME_AS edge holds once judgements are applied.

    ``not_same`` hides the link; ``same`` makes it hold whatever its score;
    otherwise (no judgement, or ``unsure``) it holds only in band ``match``.
    Satisfies ``queries.equivalence.SameAsPolicy``.
    """

    judgements: Mapping[str, Judgement]

    def decision(self, a: str, b: str) -> str | None:
        j = self.judgements.get(pair_key(a, b))
        return j.decision if j else None

    def holds(self, edge: Edge) -> bool:
        if edge.kind is not EdgeKind.SAME_AS:
            return False
        decision = self.decision(edge.src, edge.dst)
        if decision == "not_same":
            return False
        return decision == "same" or edge.props.get("band") == "match"

    def same_pairs(self) -> Iterable[Judgement]:
        return (j for j in self.judgements.values() if j.decision == "same")


def judged_policy(store: GraphStore) -> JudgedPolicy:
    """The read-time SAME_AS policy of ``store`` with all current judgements."""
    return JudgedPolicy(all_current(store))
