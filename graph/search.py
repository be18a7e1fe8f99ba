"""Name search semantics shared by every store.

A query is split into :func:`graph.text.name_tokens`. Tokens found in more
than ``MAX_DF`` nodes are too common to generate candidates ("university");
candidates are the nodes holding any rarer token (or, when every token is
common, the rarest one). Each candidate scores the number of query tokens it
holds; results are ordered by score, then shorter name, then id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

__all__ = ["MAX_DF", "generating_tokens", "rank"]

MAX_DF = 10_000


def generating_tokens(df: Mapping[str, int]) -> list[str]:
    """Which query tokens generate candidates, given their document frequencies."""
    present = {t: n for t, n in df.items() if n > 0}
    rare = [t for t, n in present.items() if n <= MAX_DF]
    if rare or not present:
        return sorted(rare)
    return [min(present, key=lambda t: (present[t], t))]


def rank(
    scores: Counter[str],
    names: Mapping[str, str],
    limit: int,
) -> list[str]:
    """Node ids ordered by score desc, name length asc, id asc."""
    ordered = sorted(scores, key=lambda nid: (-scores[nid], len(names[nid]), nid))
    return ordered[:limit]


def score_candidates(
    tokens: Iterable[str],
    generating: Iterable[str],
    postings: Callable[[str], Iterable[str]],
    holders: Callable[[str, list[str]], Iterable[str]],
) -> Counter[str]:
    """Score = how many query tokens each candidate holds."""
    scores: Counter[str] = Counter()
    generating = list(generating)
    for tok in generating:
        scores.update(postings(tok))
    candidates = list(scores)
    for tok in tokens:
        if tok not in generating and candidates:
            scores.update(holders(tok, candidates))
    return scores
