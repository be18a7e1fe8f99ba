"""Turning an alignment or an acronym into a similarity, with the reasons.

Rules that keep look-alikes apart:

* numbers must agree ("Université Paris 8" is not "Paris 3");
* a token missing on either side caps the similarity below a match unless
  it only names the kind of organisation ("university", "institute"):
  "Heat Pump … Center" is not "Heat Pump … Center of Japan", "Nanjing
  University" is not NUAA, "X School" is not "X School of Medicine";
* a generic name ("Institute of Biophysics") matches only with a country
  or city to confirm it;
* an acronym counts only when one organisation carries it in context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from graph.resolve.acronyms import acronym_key
from graph.resolve.affiliation import ORG_WORDS, country_segment
from graph.resolve.features import Alignment, city_key
from graph.resolve.index import NameIndex
from graph.resolve.names import GENERIC_WORDS, NameForm, stem
from graph.resolve.score import MATCH, POSSIBLE

__all__ = ["acronym_evidence", "is_generic", "name_evidence"]

NUMBER_MISMATCH_FACTOR = 0.7
ACRONYM_IN_CONTEXT = 0.93
ACRONYM_NO_CONTEXT = 0.85
ACRONYM_INITIALS_ONLY = 0.8
BELOW_MATCH = MATCH - 0.01


@lru_cache(maxsize=1)
def _generic_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in GENERIC_WORDS) | GENERIC_WORDS


GENERIC_MAX_TOKENS = 2  # screening: "Institute of Biophysics"
GENERIC_MAX_TOKENS_STRICT = 4  # linking a designation: also "Institute of High Energy Physics"


def is_generic(form: NameForm, max_tokens: int = GENERIC_MAX_TOKENS) -> bool:
    """A short name made only of organisation-kind, field and quality words."""
    generic = _generic_stems()
    return 0 < len(form.tokens) <= max_tokens and not form.cjk and all(t in generic for t in form.tokens)


@lru_cache(maxsize=1)
def _kind_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in ORG_WORDS) | ORG_WORDS


def name_evidence(
    query: NameForm, candidate: NameForm, a: Alignment, index: NameIndex, *, context: bool, strict: bool = False
) -> tuple[float, list[str]]:
    """Similarity of two names after the look-alike rules, and the notes explaining it."""
    sim = a.similarity
    notes: list[str] = []
    q_nums = {t for t in query.tokens if t.isdigit()}
    c_nums = {t for t in candidate.tokens if t.isdigit()}
    if q_nums and c_nums and q_nums != c_nums:
        sim *= NUMBER_MISMATCH_FACTOR
        notes.append(f"numbers differ ({', '.join(sorted(q_nums))} vs {', '.join(sorted(c_nums))})")
    kinds = _kind_stems()
    missing = [
        t
        for t in (*a.missing_in_candidate, *a.missing_in_query)
        if t not in kinds and not (len(t) == 1 and t.isalpha() and t.isascii())
    ]
    if missing and sim >= MATCH:
        sim = BELOW_MATCH
        notes.append("distinctive " + ", ".join(f'"{t}"' for t in missing) + " on one side only")
    limit = GENERIC_MAX_TOKENS_STRICT if strict else GENERIC_MAX_TOKENS
    if sim >= MATCH and not context and is_generic(candidate, limit):
        sim = BELOW_MATCH
        notes.append("a generic name: needs a country or city to confirm")
    return sim, notes


def acronym_evidence(
    seg: str,
    segs: Sequence[str],
    country: str | None,
    index: NameIndex,
    cluster_of: Callable[[str], str],
) -> list[tuple[int, float, str]]:
    """(profile position, similarity, why) for an acronym segment, in the query's context."""
    key = acronym_key(seg)
    listed, derived = index.by_acronym(key)
    country = country or next((c for s in segs if (c := country_segment(s))), None)
    cities = {k for s in segs if (k := city_key(s)) in index.cities}

    def fits(pos: int) -> bool:
        p = index.profiles[pos]
        return (country is None or p.country == country) and (not cities or p.city in cities)

    in_context = [p for p in dict.fromkeys(listed + derived) if fits(p)]
    owners = {cluster_of(index.profiles[p].id) for p in in_context}
    where = " ".join(x for x in (country, ", ".join(sorted(cities))) if x)
    where = f" in {where}" if where else ""
    if len(owners) > 1:
        why = f'acronym "{key}" is ambiguous{where}: {len(owners)} organisations carry it or its initials'
        return [(p, POSSIBLE - 0.1, why) for p in in_context[:5]]
    if not in_context:
        return []
    pos = next((p for p in in_context if p in listed), in_context[0])
    if pos not in listed:
        return [(pos, ACRONYM_INITIALS_ONLY, f'"{key}" spells the initials of the name (not a recorded acronym)')]
    if country or cities:
        return [(pos, ACRONYM_IN_CONTEXT, f'acronym "{key}" is unique to this organisation{where}')]
    return [(pos, ACRONYM_NO_CONTEXT, f'acronym "{key}" is unique in the store, but no country or city confirms it')]
