"""Candidate generation: an inverted index over the name tokens of organisations.

Each token maps to the organisations holding it in any name form. A query
generates candidates from its rare tokens only (a token held by more than
``max_df`` organisations, e.g. "university", never generates candidates
on its own), ranks them by the rarity-weighted tokens they share, and
hands the best few to scoring: no all-pairs comparison. Tokens the index
has never seen are corrected to known tokens one or two edits away
(SymSpell-style deletion neighbourhoods) so that typos still find
candidates.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz.distance import OSA

from graph.resolve.features import Profile
from graph.resolve.names import NameForm

__all__ = ["NameIndex"]


SHORTLIST = 80  # candidates kept by the number of rare tokens shared, before the weighted ranking


def _deletes(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


class NameIndex:
    """Token postings, acronyms, initials and cities of a set of profiles."""

    def __init__(self, profiles: Iterable[Profile], *, max_df: int | None = None) -> None:
        self.profiles: list[Profile] = list(profiles)
        self.position = {p.id: i for i, p in enumerate(self.profiles)}
        self.tokens: list[frozenset[str]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        acronyms: dict[str, list[int]] = defaultdict(list)
        initials: dict[str, list[int]] = defaultdict(list)
        self.cities: set[str] = set()
        self.word_stems: dict[str, str] = {}
        for i, p in enumerate(self.profiles):
            for name in p.names:
                self.word_stems.update(zip(name.form.words, name.form.tokens, strict=False))
            toks = frozenset(t for n in p.names for t in n.form.tokens)
            self.tokens.append(toks)
            for t in toks:
                postings[t].append(i)
            for a in p.acronyms:
                acronyms[a].append(i)
            for key in {n.form.initials for n in p.names if len(n.form.initials) >= 3}:
                initials[key].append(i)
            if p.city:
                self.cities.add(p.city)
        self.postings = dict(postings)
        self.acronyms = dict(acronyms)
        self.initials = dict(initials)
        self.city_tokens = {w for c in self.cities for w in c.split()}
        n = len(self.profiles)
        self.max_df = max_df if max_df is not None else 500
        self._log_n = math.log(1 + n)
        self._weights = {t: math.log(1 + n / len(ids)) for t, ids in self.postings.items()}
        self._delete_map: dict[str, list[str]] | None = None
        self._rare_typo: dict[str, bool] = {}
        self.corrections("")  # build the typo map now, not on the first query

    def __len__(self) -> int:
        return len(self.profiles)

    def weight(self, token: str) -> float:
        """Rarity of a token (inverse document frequency); unseen tokens weigh most."""
        if len(token) == 1 and token.isascii() and token.isalpha():
            return 0.1
        return self._weights.get(token, self._log_n)

    @property
    def generic_weight(self) -> float:
        """Tokens at most this heavy are common name words (held by ≥ 5% of organisations)."""
        return math.log(1 + 20)

    def known(self, token: str) -> bool:
        """Whether the token occurs in any indexed name or city (then it is never 'corrected')."""
        return token in self.postings or token in self.city_tokens

    def correctable(self, token: str) -> bool:
        """May this query token be read as a typo? Unknown tokens may; so may a token seen only once
        when it is one edit from a common word held by at least 50 organisations ("insitute")."""
        if token in self.city_tokens:
            return False
        df = self.df(token)
        if df == 0:
            return True
        if df > 1 or len(token) < 6:
            return False
        if token not in self._rare_typo:
            self.corrections("")  # builds the deletion map
            near = self._near(token, 1)
            self._rare_typo[token] = any(self.df(t) >= 50 for t in near if t != token)
        return self._rare_typo[token]

    def df(self, token: str) -> int:
        return len(self.postings.get(token, ()))

    def corrections(self, token: str) -> list[str]:
        """Known tokens within one edit (two for long tokens) of an unknown token."""
        if self._delete_map is None:
            dm: dict[str, list[str]] = defaultdict(list)
            for t in {*self.postings, *self.word_stems}:
                if len(t) >= 4 and t.isascii():
                    dm[t].append(t)
                    for d in _deletes(t):
                        dm[d].append(t)
            self._delete_map = dict(dm)
        if len(token) < 4 or not token.isascii() or self.known(token):
            return []
        limit = 2 if len(token) >= 10 else 1
        if len(token) == 4:
            return sorted(t for t in self._near(token, 1) if t[0] == token[0])
        return self._near(token, limit)

    def _near(self, token: str, limit: int) -> list[str]:
        assert self._delete_map is not None
        probes = {token} | _deletes(token)
        found = {t for p in probes for t in self._delete_map.get(p, ())}
        near = (t for t in found if OSA.distance(token, t, score_cutoff=limit) <= limit)
        return sorted({self.word_stems.get(t, t) for t in near})

    def candidates(self, form: NameForm, limit: int = 15, *, typos: bool = True) -> list[int]:
        """Positions of the profiles most likely to carry this name."""
        tokens = list(form.tokens)
        for t, w in zip(form.tokens, form.words or form.tokens, strict=False):
            if typos and not self.known(t):
                tokens.extend(self.corrections(t) or self.corrections(w))
        present = sorted((t for t in dict.fromkeys(tokens) if t in self.postings), key=self.df)
        if not present:
            return []
        rare = [t for t in present if self.df(t) <= self.max_df]
        if rare:
            counts: Counter[int] = Counter()
            for t in rare:
                counts.update(self.postings[t])
            pool = [i for i, _n in counts.most_common(SHORTLIST)]  # ties cut at random-free insertion order
        else:  # only common words ("Beijing Institute of Technology"): who holds the most of them
            held = set(self.postings[present[0]])
            for t in present[1:]:
                narrower = held.intersection(self.postings[t])
                if not narrower:
                    break
                held = narrower
            pool = sorted(held)[: SHORTLIST * 10]
        query = set(present)
        weight = self._weights.get
        ranked = sorted(
            pool,
            key=lambda i: (-sum(weight(t, 0.0) for t in query & self.tokens[i]), len(self.tokens[i]), i),
        )
        return ranked[:limit]

    def by_acronym(self, key: str) -> tuple[list[int], list[int]]:
        """(profiles listing the acronym, profiles whose name initials spell it)."""
        return list(self.acronyms.get(key, ())), list(self.initials.get(key, ()))

    def subset(self, positions: Sequence[int]) -> list[Profile]:
        return [self.profiles[i] for i in positions]
