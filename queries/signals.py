"""Three separate signals, never blended: legal restriction, advisory listing, network proximity.

Each signal has a level, the ids of the stored facts behind it and a plain
explanation. Inputs are list entries (legal effect, relation to the
organisation), tie strengths and hops: nothing about any country, so a
signal cannot change with nationality (a property test swaps countries to
prove it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from queries.designations import Designated, Designations
from queries.scoring import Level, Scoring, proximity_level
from queries.ties import Step, Tie

__all__ = ["Signal", "Signals", "describe_step", "signals"]

LEGAL = "legal_restriction"
ADVISORY = "advisory"
_RELATION_LEVEL = {"self": Level.HIGH, "parent": Level.MEDIUM, "child": Level.MEDIUM}
_RELATION_WORDS = {"self": "itself", "parent": "its parent", "child": "its child"}


@dataclass(frozen=True, slots=True)
class Signal:
    name: str  # "legal_restriction" | "advisory_listing" | "network_proximity"
    title: str
    level: Level
    facts: tuple[str, ...]  # ids of the designations and edges behind the level
    explanation: str


@dataclass(frozen=True, slots=True)
class Signals:
    legal_restriction: Signal
    advisory_listing: Signal
    network_proximity: Signal

    def all(self) -> tuple[Signal, Signal, Signal]:
        return (self.legal_restriction, self.advisory_listing, self.network_proximity)


def _listing_words(d: Designated) -> str:
    e = d.entry
    who = d.holder_name if d.relation == "self" else f"{_RELATION_WORDS[d.relation]} {d.holder_name}"
    since = f" since {e.listed_on}" if e.listed_on else ""
    by = f" ({e.authority})" if e.authority else ""
    prog = f", programme {e.programme}" if e.programme else ""
    return f"{who} is on {e.list_name}{by}{since}{prog}"


def _designation_signal(name: str, title: str, effect: str, found: Iterable[Designated], org_name: str) -> Signal:
    hits = [d for d in found if d.entry.legal_effect == effect]
    if not hits:
        kind = "a legal restriction (sanctions, export control)" if effect == LEGAL else "an advisory listing"
        text = (
            f"No active designation with {kind} was found on {org_name}, its equivalent records, "
            "its parents or its children in the lists ingested. This is not evidence of no risk: see Limits."
        )
        return Signal(name, title, Level.NONE, (), text)
    level = max((_RELATION_LEVEL[d.relation] for d in hits), key=list(Level).index)
    sentences = [_listing_words(d) for d in hits]
    meaning = (
        "Dealings may be restricted in law; check what the listed measure covers before any collaboration."
        if effect == LEGAL
        else "An advisory listing restricts no trade by itself; it calls for review under the funder's "
        "or host's policy."
    )
    if level is not Level.HIGH:
        meaning += " The listing is on a related organisation, not on the organisation itself."
    facts = tuple(dict.fromkeys(x for d in hits for x in (d.entry.designation_id, *(v.edge_id for v in d.via))))
    return Signal(name, title, level, facts, "; ".join(sentences) + ". " + meaning)


def describe_step(step: Step, names: dict[str, str]) -> str:
    """One step in plain words, from its evidence."""
    a, b = names.get(step.src, step.src), names.get(step.dst, step.dst)
    ev = step.evidence
    if step.kind == "COLLABORATED_WITH":
        works = sum(e.count or 0 for e in ev)
        years = sorted({e.start[:4] for e in ev if e.start})
        span = years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}" if years else "undated"
        return f"{a} co-authored {works} work(s) with {b} ({span})"
    if step.kind == "PARTICIPATED_IN":
        return f"{a} and {b} are linked by EU project participation"
    if step.kind == "PARENT_OF":
        first = ev[0] if ev else None
        return f"{a} and {b} are parent and child in the ROR hierarchy" + (
            f" (from {first.start})" if first and first.start else ""
        )
    if step.kind == "SAME_AS":
        how = ev[0].same_as if ev and ev[0].same_as else "resolution"
        return f"{a} is the same organisation as {b} ({how})"
    if step.kind == "FUNDED_BY":
        return f"{a} and {b} are linked by funding"
    return f"{a} and {b} are linked ({step.kind.lower().replace('_', ' ')})"


def describe_tie(tie: Tie) -> str:
    names = {n.id: n.name for n in tie.nodes}
    lists = ", ".join(sorted({e.list_name for e in tie.listings}))
    return "; ".join(describe_step(s, names) for s in tie.steps) + f". {tie.target_name} is on {lists}."


def _proximity(found: Sequence[Tie], direct: set[str], scoring: Scoring, max_hops: int) -> Signal:
    name, title = "network_proximity", "Network proximity"
    indirect = [t for t in found if t.target not in direct]
    if not indirect:
        text = (
            f"No path of at most {max_hops} hops to a designated entity was found (beyond direct designations). "
            "Paths through pruned hubs were not followed, and links absent from the data cannot be seen: see Limits."
        )
        return Signal(name, title, Level.NONE, (), text)
    best = indirect[0]
    level = proximity_level(best.strength, scoring)
    facts = tuple(dict.fromkeys([best.target, *(e.edge_id for s in best.steps for e in s.evidence)]))
    text = (
        f"{len(indirect)} designated entit{'y' if len(indirect) == 1 else 'ies'} within {max_hops} hops. "
        f"Strongest (strength {best.strength:.3f}, {best.hops} hop(s)): {describe_tie(best)} "
        "Proximity is a prompt for review, not a finding about the organisation."
    )
    return Signal(name, title, level, facts, text)


def signals(
    found: Designations, ties: Sequence[Tie], org_name: str, *, max_hops: int, scoring: Scoring | None = None
) -> Signals:
    """The three signals for one organisation, each explained."""
    direct = {d.entry.entity_id for d in (*found.active, *found.history)}
    return Signals(
        _designation_signal(LEGAL, "Legal restriction", LEGAL, found.active, org_name),
        _designation_signal("advisory_listing", "Advisory listing", ADVISORY, found.active, org_name),
        _proximity(ties, direct, scoring or Scoring(), max_hops),
    )
