"""The resolver: given a name (or a record), rank the organisations it may be.

Order of evidence: shared identifiers decide alone; otherwise the best
segment run of the query (a plain name, or the organisation inside an
affiliation string) is aligned with every name form of each candidate;
the other segments must be explained (country, city, address, acronym,
the candidate's parent, a sub-unit). Country and city only confirm or
doubt identity. A best candidate that another organisation matches about
as well is ambiguous and demoted to ``possible``. Pure: built from
profiles, no store access.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from graph.resolve.acronyms import acronym_key, looks_like_acronym
from graph.resolve.affiliation import Role, country_segment, segments, spans, structural_role
from graph.resolve.features import Alignment, OrgName, Profile, align, city_key, id_agreement, normalise_ids
from graph.resolve.index import NameIndex
from graph.resolve.names import NameForm, analyse
from graph.resolve.score import MATCH, POSSIBLE, band_of, describe_alignment, identifier_score, name_score

__all__ = ["Candidate", "Query", "Resolver"]

AMBIGUITY_MARGIN = 0.03
ACRONYM_IN_CONTEXT = 0.93
ACRONYM_NO_CONTEXT = 0.85
ACRONYM_INITIALS_ONLY = 0.8


@dataclass(frozen=True, slots=True)
class Query:
    """What is being resolved: a name (or affiliation string), optional context and identifiers."""

    text: str
    country: str | None = None
    names: tuple[str, ...] = ()  # further name forms (aliases) of the same record
    ids: Mapping[str, str] = field(default_factory=dict)
    exclude: frozenset[str] = frozenset()  # node ids never to return (the record itself)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One organisation a query may be, with an explainable score."""

    id: str
    name: str
    ror: str | None
    country: str | None
    score: float
    band: str
    method: str
    explanation: str


@dataclass(slots=True)
class _Hit:
    pos: int
    value: float
    method: str
    reasons: list[str]


class Resolver:
    """Scores queries against a fixed set of organisation profiles."""

    def __init__(self, profiles: Iterable[Profile], *, clusters: Mapping[str, str] | None = None) -> None:
        self.index = NameIndex(profiles)
        self.clusters = dict(clusters or {})
        self._by_id: dict[tuple[str, str], list[int]] = {}
        self._cluster_ror = {self.cluster_of(p.id): p.ror for p in self.index.profiles if p.ror}
        for i, p in enumerate(self.index.profiles):
            for kind, value in p.ids.items():
                self._by_id.setdefault((kind, value), []).append(i)

    # -- public -------------------------------------------------------------

    def resolve(self, query: Query, limit: int = 5) -> list[Candidate]:
        """Best candidates first; only the first may carry band ``match``."""
        hits = self._identifier_hits(query)
        if not hits:
            hits = self._name_hits(query)
        hits = [h for h in hits if self.index.profiles[h.pos].id not in query.exclude]
        ranked = self._per_cluster(sorted(hits, key=self._rank_key))
        return [self._candidate(h) for h in self._disambiguate(ranked)[:limit]]

    def candidate_ids(self, query: Query) -> list[str]:
        """Every organisation the index proposes for the query: exactly what scoring looks at."""
        seen: dict[int, None] = {}
        for text in dict.fromkeys((query.text, *query.names)):
            segs = segments(text) or [text]
            for i, j in spans(len(segs), 3 if len(segs) <= 8 else 2):
                if j - i == 1 and looks_like_acronym(segs[i]):
                    listed, derived = self.index.by_acronym(acronym_key(segs[i]))
                    seen.update(dict.fromkeys(listed + derived))
                else:
                    seen.update(dict.fromkeys(self.index.candidates(analyse(" ".join(segs[i:j])))))
        return [self.index.profiles[p].id for p in seen]

    def cluster_of(self, node_id: str) -> str:
        return self.clusters.get(node_id, node_id)

    def _rank_key(self, hit: _Hit) -> tuple[float, bool, str]:
        node_id = self.index.profiles[hit.pos].id
        return (-hit.value, not node_id.startswith("ror:"), node_id)

    # -- identifiers ------------------------------------------------------

    def _identifier_hits(self, query: Query) -> list[_Hit]:
        ids = dict(query.ids) or _ids_in_text(query.text)
        hits: dict[int, _Hit] = {}
        for (kind, value), positions in ((k, self._by_id.get(k, [])) for k in ids.items()):
            for pos in positions:
                agree, conflict = id_agreement(ids, self.index.profiles[pos].ids)
                if agree and not conflict and pos not in hits:
                    s = identifier_score(kind, value)
                    hits[pos] = _Hit(pos, s.value, s.method, [s.explanation])
        return list(hits.values())

    # -- names ------------------------------------------------------------

    def _name_hits(self, query: Query) -> list[_Hit]:
        best: dict[int, _Hit] = {}
        for text in dict.fromkeys((query.text, *query.names)):
            for hit in self._text_hits(text, query):
                if hit.pos not in best or hit.value > best[hit.pos].value:
                    best[hit.pos] = hit
        ids = dict(query.ids)
        if ids:
            for hit in best.values():
                _agree, conflict = id_agreement(ids, self.index.profiles[hit.pos].ids)
                if conflict:
                    hit.value, hit.method = 0.0, "identifier"
                    hit.reasons = [identifier_score(conflict, "", conflict=True).explanation]
        return list(best.values())

    def _text_hits(self, text: str, query: Query) -> list[_Hit]:
        segs = segments(text) or [text]
        forms: dict[str, NameForm] = {}
        found: dict[int, tuple[float, tuple[int, int], str, str]] = {}
        seg_best: dict[int, tuple[int, float]] = {}
        for i, j in spans(len(segs), 3 if len(segs) <= 8 else 2):
            joined = " ".join(segs[i:j])
            if j - i == 1 and looks_like_acronym(segs[i]):
                continue
            form = forms.setdefault(joined, analyse(joined))
            if not form.tokens:
                continue
            for pos in self.index.candidates(form):
                name, a = self._best_name(form, self.index.profiles[pos])
                if j - i == 1 and (i not in seg_best or a.similarity > seg_best[i][1]):
                    seg_best[i] = (pos, a.similarity)
                if a.similarity >= POSSIBLE - 0.15 and (pos not in found or a.similarity > found[pos][0]):
                    found[pos] = (a.similarity, (i, j), describe_alignment(joined, name, a), "name")
        for i, seg in enumerate(segs):
            if looks_like_acronym(seg):
                for pos, value, why in self._acronym_hits(seg, segs, query):
                    if pos not in found or value > found[pos][0]:
                        found[pos] = (value, (i, i + 1), why, "acronym")
        hits = []
        for pos, (sim, span, why, method) in found.items():
            hits.append(self._in_context(pos, sim, span, why, method, segs, seg_best, query))
        return hits

    def _best_name(self, form: NameForm, profile: Profile) -> tuple[OrgName, Alignment]:
        best: tuple[OrgName, Alignment] | None = None
        for name in profile.names:
            if name.form.cjk != form.cjk:
                continue
            a = align(form, name.form, self.index.weight, self.index.known)
            if best is None or a.similarity > best[1].similarity:
                best = (name, a)
        if best is None:
            return profile.names[0], Alignment(0.0, 0.0, 0.0)
        return best

    # -- acronyms ---------------------------------------------------------

    def _acronym_hits(self, seg: str, segs: Sequence[str], query: Query) -> list[tuple[int, float, str]]:
        key = acronym_key(seg)
        listed, derived = self.index.by_acronym(key)
        country = query.country or next((c for s in segs if (c := country_segment(s))), None)
        cities = {k for s in segs if (k := city_key(s)) in self.index.cities}

        def fits(pos: int) -> bool:
            p = self.index.profiles[pos]
            return (country is None or p.country == country) and (not cities or p.city in cities)

        in_context = [p for p in dict.fromkeys(listed + derived) if fits(p)]
        owners = {self.cluster_of(self.index.profiles[p].id) for p in in_context}
        context = "in " + (country or "") + (" " if country and cities else "") + ", ".join(sorted(cities))
        if len(owners) > 1:
            why = f'acronym "{key}" is ambiguous {context.strip()}: {len(owners)} organisations carry it'
            return [(p, POSSIBLE - 0.1, why) for p in in_context[:5]]
        if not in_context:
            return []
        pos = next((p for p in in_context if p in listed), in_context[0])
        if pos not in listed:
            return [(pos, ACRONYM_INITIALS_ONLY, f'"{key}" spells the initials of the name (not a recorded acronym)')]
        if country or cities:
            return [(pos, ACRONYM_IN_CONTEXT, f'acronym "{key}" is unique to this organisation {context.strip()}')]
        return [
            (pos, ACRONYM_NO_CONTEXT, f'acronym "{key}" is unique in the store, but no country or city confirms it')
        ]

    # -- context ----------------------------------------------------------

    def _in_context(
        self,
        pos: int,
        sim: float,
        span: tuple[int, int],
        why: str,
        method: str,
        segs: Sequence[str],
        seg_best: Mapping[int, tuple[int, float]],
        query: Query,
    ) -> _Hit:
        profile = self.index.profiles[pos]
        reasons = [why]
        value = sim
        for k, seg in enumerate(segs):
            if span[0] <= k < span[1]:
                continue
            value, method = self._segment(seg, k, profile, value, method, seg_best, reasons)
        value = name_score(value, profile, query.country, reasons)
        return _Hit(pos, value, method, reasons)

    def _segment(
        self,
        seg: str,
        k: int,
        profile: Profile,
        value: float,
        method: str,
        seg_best: Mapping[int, tuple[int, float]],
        reasons: list[str],
    ) -> tuple[float, str]:
        ck = city_key(seg)
        role = structural_role(seg, self.index.cities, ck)
        if role == Role.COUNTRY:
            code = country_segment(seg)
            if profile.country and code != profile.country:
                reasons.append(f'"{seg}" is {code}, the candidate is in {profile.country}: identity doubtful')
                return value * 0.8, method
            return value, method
        if role == Role.CITY or (ck and ck == profile.city):
            if ck == profile.city:
                reasons.append(f"city {seg} consistent")
            return value, method
        if role == Role.ACRONYM:
            if acronym_key(seg) in profile.acronyms or any(n.form.initials == acronym_key(seg) for n in profile.names):
                reasons.append(f'acronym "{seg}" consistent')
            return value, method
        other = seg_best.get(k)
        if other is not None and other[1] >= MATCH:
            named = self.index.profiles[other[0]]
            if named.id == profile.id or self.cluster_of(named.id) == self.cluster_of(profile.id):
                return value, method
            if named.id in profile.parents:
                reasons.append(f'"{seg}" is its parent organisation')
                return value, method
            if profile.id in named.parents:
                reasons.append(f'"{seg}" is a sub-unit with its own record ({named.id}); this is its parent')
                return value * 0.9, method
            reasons.append(f'"{seg}" names another organisation ({named.name})')
            return value * 0.85, method
        if role == Role.ORGLIKE:
            reasons.append(f'sub-unit "{seg}" mapped to its parent organisation')
            return value, "subunit" if method == "name" else method
        if role == Role.ADDRESS:
            return value, method
        reasons.append(f'"{seg}" is unexplained')
        return value * 0.97, method

    # -- ranking ----------------------------------------------------------

    def _per_cluster(self, hits: list[_Hit]) -> list[_Hit]:
        seen: set[str] = set()
        out = []
        for h in hits:
            key = self.cluster_of(self.index.profiles[h.pos].id)
            if key not in seen:
                seen.add(key)
                out.append(h)
        return out

    def _disambiguate(self, ranked: list[_Hit]) -> list[_Hit]:
        if len(ranked) < 2 or ranked[0].value < MATCH:
            return ranked
        top, second = ranked[0], ranked[1]
        a, b = self.index.profiles[top.pos], self.index.profiles[second.pos]
        related = a.id in b.parents or b.id in a.parents
        if second.value >= top.value - AMBIGUITY_MARGIN and not related:
            top = replace(top, value=min(top.value, MATCH - 0.01))
            top.reasons = [*top.reasons, f"ambiguous: {b.name} ({b.id}) matches about as well ({second.value:.2f})"]
            return [top, *ranked[1:]]
        return ranked

    def _candidate(self, hit: _Hit) -> Candidate:
        p = self.index.profiles[hit.pos]
        value = round(hit.value, 4)
        ror = p.ror or self._cluster_ror.get(self.cluster_of(p.id))
        return Candidate(p.id, p.name, ror, p.country, value, band_of(value), hit.method, "; ".join(hit.reasons))


def _ids_in_text(text: str) -> dict[str, str]:
    """A ROR id/URL, OpenAlex institution id or Wikidata QID typed instead of a name."""
    t = text.strip()
    low = t.lower()
    if low.startswith(("https://ror.org/", "ror.org/", "ror:")):
        return normalise_ids("x:x", {"ror": t.split(":", 1)[-1] if low.startswith("ror:") else t})
    if low.startswith("https://openalex.org/i"):
        return normalise_ids("x:x", {"openalex": t})
    if len(t) > 1 and t[0] in "Qq" and t[1:].isdigit():
        return {"wikidata": t.lower()}
    return {}


def resolver_for(profiles: Iterable[Profile], clusters: Mapping[str, str] | None = None) -> Resolver:
    return Resolver(profiles, clusters=clusters)


def top_match(candidates: Sequence[Candidate]) -> Candidate | None:
    """The match, if the best candidate is in band ``match``."""
    return candidates[0] if candidates and candidates[0].band == "match" else None


__all__ += ["resolver_for", "top_match"]
