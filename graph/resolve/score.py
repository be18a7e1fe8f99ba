"""Explainable scores: every score carries its band, method and a sentence saying why.

Bands: ``match`` (score ≥ MATCH), ``possible`` (≥ POSSIBLE, for review),
``none``. Identifiers decide alone (agreement → 1.0, conflict → 0.0).
Country and city are identity checks: a country that differs caps the
score below MATCH; they never touch any risk signal.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.resolve.features import Profile

__all__ = [
    "COUNTRY_MISMATCH_FACTOR",
    "MATCH",
    "POSSIBLE",
    "Score",
    "band_of",
    "identifier_score",
    "name_score",
]

MATCH = 0.9
POSSIBLE = 0.7
COUNTRY_MISMATCH_FACTOR = 0.8


@dataclass(frozen=True, slots=True)
class Score:
    value: float
    band: str  # match | possible | none
    method: str  # identifier | name | acronym | subunit | judgement
    explanation: str


def band_of(value: float) -> str:
    return "match" if value >= MATCH else "possible" if value >= POSSIBLE else "none"


def identifier_score(kind: str, value: str, conflict: bool = False) -> Score:
    if conflict:
        return Score(0.0, "none", "identifier", f"{kind.upper()} identifiers differ: not the same organisation")
    return Score(1.0, "match", "identifier", f"same {kind.upper()} identifier {value}")


def name_score(similarity: float, profile: Profile, query_country: str | None, notes: list[str]) -> float:
    """Name similarity adjusted by identity context; appends the reasons to ``notes``."""
    value = similarity
    if query_country and profile.country:
        if query_country == profile.country:
            notes.append(f"country {profile.country} consistent")
        else:
            value *= COUNTRY_MISMATCH_FACTOR
            notes.append(f"country differs ({query_country} vs {profile.country}): identity doubtful")
    return round(min(value, 1.0), 4)
