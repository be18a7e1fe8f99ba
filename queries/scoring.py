"""Pure scoring of ties and signals: numbers in, numbers out.

Country-agnostic by construction: every function here takes only edge kinds,
counts, years, hop counts and list settings. None takes a node or its
properties, so nationality or country cannot reach a score. ``ties`` extracts
these scalars from edges with :func:`link_facts` (which reads only the edge
kind, ``count`` and dates) before it calls anything here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

__all__ = [
    "HALF_STEPS",
    "KIND_WEIGHTS",
    "Level",
    "LinkFacts",
    "Scoring",
    "edge_cost",
    "edge_strength",
    "expansion_cost_limit",
    "half_steps",
    "link_facts",
    "path_strength",
    "proximity_level",
    "tie_bound",
]

# How much one edge of a kind ties two organisations together (1.0 = same body). Edges to a
# project, award or funder are half of a tie between two organisations sharing it, so their
# weight is the square root of that tie's: a shared project weighs 0.6, a shared funder 0.4.
KIND_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "SAME_AS": 1.0,
        "PARENT_OF": 0.9,
        "SUCCEEDED_BY": 0.8,
        "RELATED_TO": 0.5,
        "COLLABORATED_WITH": 0.7,
        "PARTICIPATED_IN": math.sqrt(0.6),
        "FUNDED_BY": math.sqrt(0.4),
    }
)

# Organisation steps an edge counts for, in halves: SAME_AS joins records of one organisation
# (no step); an edge to a project, award or funder is half of the step between two
# organisations that share it; hierarchy and co-authorship edges are a whole step.
HALF_STEPS: Mapping[str, int] = MappingProxyType({"SAME_AS": 0, "PARTICIPATED_IN": 1, "FUNDED_BY": 1})


def half_steps(kind: str) -> int:
    return HALF_STEPS.get(kind, 2)


class Level(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class Scoring:
    """The knobs of tie strength; every one is about edges, time or hops."""

    kind_weights: Mapping[str, float] = field(default_factory=lambda: KIND_WEIGHTS)
    count_saturation: int = 20  # works at which a collaboration counts fully
    half_life_years: float = 4.0  # recency: strength halves every N years since the tie last held
    hop_decay: float = 0.6  # each hop beyond the first multiplies strength by this
    high: float = 0.25  # proximity thresholds on the strongest tie
    medium: float = 0.05


@dataclass(frozen=True, slots=True)
class LinkFacts:
    """What scoring may know about the edges joining two nodes: no node facts."""

    kind: str
    count: int  # works (co-authorship); 1 for other kinds
    last_year: int | None  # last year the tie held; None = still open / undated


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def link_facts(kind: str, edges: Iterable[Mapping[str, Any]]) -> LinkFacts:
    """Aggregate parallel edges of one kind (e.g. one per year) into scoring facts.

    Reads only ``start``, ``end`` and ``props["count"]`` of each edge mapping.
    """
    total, last, open_ended = 0, None, False
    for e in edges:
        props = e.get("props") or {}
        count = props.get("count", 1)
        total += int(count) if isinstance(count, int | float) and count > 0 else 1
        year = _year(e.get("end")) or _year(e.get("start"))
        if e.get("end") is None and kind != "COLLABORATED_WITH":
            open_ended = True
        if year is not None:
            last = year if last is None else max(last, year)
    return LinkFacts(kind, max(total, 1), None if open_ended else last)


def count_factor(count: int, scoring: Scoring) -> float:
    """log-scaled: 1 work ≈ 0.23, 5 ≈ 0.59, ``count_saturation`` and more = 1."""
    return min(1.0, math.log1p(max(count, 1)) / math.log1p(scoring.count_saturation))


def recency_factor(last_year: int | None, as_of_year: int, scoring: Scoring) -> float:
    if last_year is None:
        return 1.0
    return float(0.5 ** (max(0, as_of_year - last_year) / scoring.half_life_years))


def edge_strength(facts: LinkFacts, as_of_year: int, scoring: Scoring) -> float:
    """Strength in (0, 1] of the tie carried by one kind of edge between two nodes.

    An edge that is half a step (to a project, award or funder) carries the
    square root of the recency factor, so a shared project decays once.
    """
    weight = scoring.kind_weights.get(facts.kind, 0.0)
    counted = count_factor(facts.count, scoring) if facts.kind == "COLLABORATED_WITH" else 1.0
    recency = recency_factor(facts.last_year, as_of_year, scoring)
    half = half_steps(facts.kind)
    return weight * counted * (recency ** (half / 2) if half else 1.0)


def edge_cost(strength: float, kind: str, scoring: Scoring) -> float:
    """Additive path cost of one edge: -log(strength × hop decay per organisation step it counts for)."""
    decay = scoring.hop_decay ** (half_steps(kind) / 2)
    return -math.log(max(strength * decay, 1e-300))


def path_strength(cost: float, list_weight: float, scoring: Scoring) -> float:
    """Undo the cost sum; the first organisation step is not decayed."""
    return list_weight * math.exp(-cost) / scoring.hop_decay


def expansion_cost_limit(min_strength: float, scoring: Scoring) -> float:
    """Largest cost of a path to a node from which a tie of ``min_strength`` is still possible.

    Going on from a node adds at least one edge other than SAME_AS (records
    SAME_AS a designated entity are designated themselves), whose factor is at
    most ``top`` = the largest weight × decay of such an edge. The tie's
    strength is then at most ``exp(-cost) × top / decay``.
    """
    if min_strength <= 0.0:
        return math.inf
    return math.log(_step_top(scoring) / (scoring.hop_decay * min_strength))


def _step_top(scoring: Scoring) -> float:
    """The largest factor one edge other than SAME_AS can bring: weight × its share of the hop decay."""
    return max(
        (w * scoring.hop_decay ** (half_steps(k) / 2) for k, w in scoring.kind_weights.items() if half_steps(k)),
        default=1.0,
    )


def tie_bound(cost: float, scoring: Scoring) -> float:
    """The strongest tie a path of this cost can still lead to (inverse of :func:`expansion_cost_limit`)."""
    return math.exp(-cost) * _step_top(scoring) / scoring.hop_decay


def proximity_level(strength: float, scoring: Scoring) -> Level:
    if strength <= 0.0:
        return Level.NONE
    if strength >= scoring.high:
        return Level.HIGH
    return Level.MEDIUM if strength >= scoring.medium else Level.LOW
