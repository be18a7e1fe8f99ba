"""The resolver: given a name (or a record), rank the organisations it may be.

Order of evidence: shared identifiers decide alone; otherwise every run of
segments of the query (a plain name, or the organisation inside an
affiliation string) is aligned with every name form of each candidate
(:mod:`graph.resolve.evidence` turns an alignment into a similarity);
the segments outside the run must be explained (country, city, address,
acronym, the candidate's parent, a sub-unit). Country and city only
confirm or doubt identity. A best candidate that another organisation
matches about as well — and no more specifically — is ambiguous and
demoted to ``possible``. Pure: built from profiles, no store access.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from graph.resolve.acronyms import acronym_key, looks_like_acronym
from graph.resolve.affiliation import Role, country_segment, near_country, segments, spans, structural_role
from graph.resolve.evidence import acronym_evidence, name_evidence
from graph.resolve.features import (
    TYPO_CREDIT,
    Alignment,
    OrgName,
    Profile,
    align,
    city_key,
    id_agreement,
    normalise_ids,
)
from graph.resolve.index import NameIndex
from graph.resolve.names import NameForm, analyse, strip_legal_prefix
from graph.resolve.score import MATCH, POSSIBLE, band_of, identifier_score, name_score

__all__ = ["Candidate", "Query", "Resolver", "top_match"]

AMBIGUITY_MARGIN = 0.03
SUBUNIT_FACTOR = 0.95  # a parent reached through a sub-unit is a little less certain than a direct name
QUALIFIER_FACTOR = 0.85  # an unexplained segment right after the name ("…, Texarkana"): another campus?
OTHER_ORG_FACTOR = 0.85
UNEXPLAINED_FACTOR = 0.9
TRAILING_FACTOR = 0.97  # an unexplained part of the address (a province, a district)


@dataclass(frozen=True, slots=True)
class Query:
    """What is being resolved: a name (or affiliation string), optional context and identifiers."""

    text: str
    country: str | None = None
    names: tuple[str, ...] = ()  # further name forms (aliases) of the same record
    ids: Mapping[str, str] = field(default_factory=dict)
    exclude: frozenset[str] = frozenset()  # node ids never to return (the record itself)
    strict: bool = False  # linking a designation: generic names need a country even when longer


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
    span: int = 1  # how many segments the matched name covers


@dataclass(slots=True)
class _Found:
    sim: float
    span: tuple[int, int]
    why: str
    method: str


class Resolver:
    """Scores queries against a fixed set of organisation profiles."""

    def __init__(self, profiles: Iterable[Profile], *, clusters: Mapping[str, str] | None = None) -> None:
        self.index = NameIndex(profiles)
        self.clusters = dict(clusters or {})
        self._cluster_ror = {self.cluster_of(p.id): p.ror for p in self.index.profiles if p.ror}
        self._by_id: dict[tuple[str, str], list[int]] = {}
        for i, p in enumerate(self.index.profiles):
            for kind, value in p.ids.items():
                self._by_id.setdefault((kind, value), []).append(i)

    # -- public -------------------------------------------------------------

    def resolve(self, query: Query, limit: int = 5) -> list[Candidate]:
        """Best candidates first; only the first may carry band ``match``."""
        hits = self._identifier_hits(query) or self._name_hits(query)
        hits = [h for h in hits if self.index.profiles[h.pos].id not in query.exclude]
        ranked = self._per_cluster(sorted(hits, key=self._rank_key))
        return [self._candidate(h) for h in self._disambiguate(ranked)[:limit]]

    def candidate_ids(self, query: Query) -> list[str]:
        """Every organisation the index proposes for the query: exactly what scoring looks at."""
        seen: dict[int, None] = {}
        for text in dict.fromkeys((query.text, *query.names)):
            segs = segments(text) or [text]
            for i, j in spans(len(segs)):
                if j - i == 1 and looks_like_acronym(segs[i]):
                    listed, derived = self.index.by_acronym(acronym_key(segs[i]))
                    seen.update(dict.fromkeys(listed + derived))
                seen.update(dict.fromkeys(self.index.candidates(analyse(" ".join(segs[i:j])))))
        return [self.index.profiles[p].id for p in seen]

    def cluster_of(self, node_id: str) -> str:
        return self.clusters.get(node_id, node_id)

    # -- identifiers ------------------------------------------------------

    def _identifier_hits(self, query: Query) -> list[_Hit]:
        ids = dict(query.ids) or _ids_in_text(query.text)
        hits: dict[int, _Hit] = {}
        for kind, value in ids.items():
            for pos in self._by_id.get((kind, value), []):
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
                if hit.pos not in best or (hit.value, hit.span) > (best[hit.pos].value, best[hit.pos].span):
                    best[hit.pos] = hit
        ids = dict(query.ids)
        for hit in best.values() if ids else ():
            _agree, conflict = id_agreement(ids, self.index.profiles[hit.pos].ids)
            if conflict:
                hit.value, hit.method = 0.0, "identifier"
                hit.reasons = [identifier_score(conflict, "", conflict=True).explanation]
        return list(best.values())

    def _text_hits(self, text: str, query: Query) -> list[_Hit]:
        segs = segments(text) or [text]
        context = bool(query.country) or any(country_segment(s) or city_key(s) in self.index.cities for s in segs)
        found: dict[int, _Found] = {}
        seg_best: dict[int, tuple[int, float]] = {}
        skip = _trailing_context(segs)
        seen: set[str] = set()
        settled: list[tuple[int, int]] = []  # runs already matched in full: their parts add nothing
        for i, j in spans(len(segs)):
            if skip.intersection(range(i, j)) or any(a <= i and j <= b for a, b in settled):
                continue
            joined = " ".join(segs[i:j])
            form = analyse(joined)
            if not form.tokens or form.key in seen:
                continue
            seen.add(form.key)
            typos = not (j - i == 1 and " " not in segs[i] and looks_like_acronym(segs[i]))  # "AVIC" ≠ "AVIX"
            weights = [self.index.weight(t) for t in form.tokens]
            for pos in self.index.candidates(form, typos=typos):
                if self._bound(form, weights, pos, typos) < POSSIBLE - 0.15:
                    continue  # cannot reach the review band: skip the alignment
                name, a = self._best_name(form, self.index.profiles[pos], typos=typos)
                sim, notes = name_evidence(form, name.form, a, self.index, context=context, strict=query.strict)
                if j - i == 1 and (i not in seg_best or sim > seg_best[i][1]):
                    seg_best[i] = (pos, sim)
                old = found.get(pos)
                if sim >= POSSIBLE - 0.15 and (old is None or (sim, j - i) > (old.sim, old.span[1] - old.span[0])):
                    found[pos] = _Found(sim, (i, j), _describe(joined, name, a, sim, notes), "name")
                if sim >= MATCH and j - i > 1:
                    settled.append((i, j))
        for i, raw in enumerate(segs):
            seg = strip_legal_prefix(raw)  # 'FSBI "SCEEMP"' → SCEEMP
            if looks_like_acronym(seg) or (" " not in seg.strip() and acronym_key(seg) in self.index.acronyms):
                for pos, value, why in acronym_evidence(seg, segs, query.country, self.index, self.cluster_of):
                    if pos not in found or value > found[pos].sim:
                        found[pos] = _Found(value, (i, i + 1), why, "acronym")
        return [self._in_context(pos, f, segs, seg_best, query) for pos, f in found.items()]

    def _bound(self, form: NameForm, weights: Sequence[float], pos: int, typos: bool) -> float:
        """Upper bound of the query-side coverage any name of the candidate can reach."""
        held = self.index.tokens[pos]
        got = 0.0
        for t, w in zip(form.tokens, weights, strict=True):
            if t in held:
                got += w
            elif typos and self.index.correctable(t):
                got += w * TYPO_CREDIT
        return got / (sum(weights) or 1.0)

    def _not_correctable(self, token: str) -> bool:
        return not self.index.correctable(token)

    def _best_name(self, form: NameForm, profile: Profile, *, typos: bool = True) -> tuple[OrgName, Alignment]:
        best: tuple[OrgName, Alignment] | None = None
        known = self._not_correctable if typos else _always
        for name in profile.names:
            if name.form.cjk != form.cjk:
                continue
            a = align(form, name.form, self.index.weight, known)
            if best is None or a.similarity > best[1].similarity:
                best = (name, a)
        if best is None:
            return profile.names[0], Alignment(0.0, 0.0, 0.0)
        return best

    # -- context ----------------------------------------------------------

    def _in_context(
        self,
        pos: int,
        found: _Found,
        segs: Sequence[str],
        seg_best: Mapping[int, tuple[int, float]],
        query: Query,
    ) -> _Hit:
        profile = self.index.profiles[pos]
        hit = _Hit(pos, found.sim, found.method, [found.why], found.span[1] - found.span[0])
        address_seen = False
        for k, seg in enumerate(segs):
            if found.span[0] <= k < found.span[1]:
                continue
            role = self._segment(seg, k, profile, hit, seg_best, after=k == found.span[1], address=address_seen)
            address_seen = address_seen or (k > found.span[1] and role in (Role.CITY, Role.ADDRESS, Role.COUNTRY))
        hit.value = name_score(hit.value, profile, query.country, hit.reasons)
        return hit

    def _segment(
        self,
        seg: str,
        k: int,
        profile: Profile,
        hit: _Hit,
        seg_best: Mapping[int, tuple[int, float]],
        *,
        after: bool,
        address: bool,
    ) -> str:
        ck = city_key(seg)
        role = structural_role(seg, self.index.cities, ck)
        if ck and ck == profile.city:
            hit.reasons.append(f"city {seg} consistent")
            return Role.CITY
        if role == Role.COUNTRY:
            code = country_segment(seg)
            if profile.country and code != profile.country:
                hit.reasons.append(f'"{seg}" is {code}, the candidate is in {profile.country}: identity doubtful')
                hit.value *= 0.8
            return role
        if role == Role.CITY:
            if after:  # "Communication University of China, Nanjing": another campus?
                hit.reasons.append(f'"{seg}" is another city than its own ({profile.city or "?"}): another campus?')
                hit.value *= QUALIFIER_FACTOR
            return role
        if role == Role.ACRONYM and self._acronym_segment(seg, profile, hit, seg_best.get(k)):
            return role
        other = seg_best.get(k)
        if other is not None and other[1] >= MATCH:
            return self._other_org(seg, self.index.profiles[other[0]], profile, hit)
        if role == Role.ORGLIKE:
            hit.reasons.append(f'sub-unit "{seg}" mapped to its parent organisation')
            if hit.method in ("name", "subunit"):  # rank a sub-unit's own record above its parent
                hit.value *= SUBUNIT_FACTOR if hit.method == "name" else 1.0
                hit.method = "subunit"
            return role
        if role in (Role.ADDRESS, Role.LEGAL):
            return role
        if self._misspelt_place(seg, profile, hit):
            return Role.CITY
        factor = QUALIFIER_FACTOR if after else TRAILING_FACTOR if address else UNEXPLAINED_FACTOR
        hint = " (qualifies the name: another campus or unit?)" if after else ""
        hit.reasons.append(f'"{seg}" is unexplained{hint}')
        hit.value *= factor
        return Role.OTHER

    def _misspelt_place(self, seg: str, profile: Profile, hit: _Hit) -> bool:
        code = near_country(seg)
        if code is not None:
            if profile.country and code != profile.country:
                hit.reasons.append(f'"{seg}" looks like {code}, the candidate is in {profile.country}')
                hit.value *= 0.8
            return True
        ck = city_key(seg)
        if profile.city and len(ck) >= 5 and OSA.distance(ck, profile.city, score_cutoff=1) <= 1:
            hit.reasons.append(f'"{seg}" looks like its city {profile.city}')
            return True
        return False

    def _acronym_segment(self, seg: str, profile: Profile, hit: _Hit, other: tuple[int, float] | None) -> bool:
        key = acronym_key(seg)
        if key in profile.acronyms or any(n.form.initials == key for n in profile.names):
            hit.reasons.append(f'acronym "{seg}" consistent')
            return True
        listed, _derived = self.index.by_acronym(key)
        owners = {self.cluster_of(self.index.profiles[p].id) for p in listed}
        if len(owners) == 1 and self.cluster_of(profile.id) not in owners:
            named = self.index.profiles[listed[0]]
            hit.reasons.append(f'acronym "{seg}" belongs to another organisation ({named.name})')
            hit.value *= OTHER_ORG_FACTOR
            return True
        return other is None or other[1] < MATCH

    def _other_org(self, seg: str, named: Profile, profile: Profile, hit: _Hit) -> str:
        if named.id == profile.id or self.cluster_of(named.id) == self.cluster_of(profile.id):
            return Role.ORGLIKE
        if named.id in profile.parents:
            hit.reasons.append(f'"{seg}" is its parent organisation')
            return Role.ORGLIKE
        if profile.id in named.parents:
            hit.reasons.append(f'"{seg}" is a sub-unit with its own record ({named.id}); this is its parent')
        else:
            hit.reasons.append(f'"{seg}" names another organisation ({named.name})')
        hit.value *= OTHER_ORG_FACTOR
        return Role.ORGLIKE

    # -- ranking ----------------------------------------------------------

    def _rank_key(self, hit: _Hit) -> tuple[float, int, bool, str]:
        node_id = self.index.profiles[hit.pos].id
        return (-round(hit.value, 4), -hit.span, not node_id.startswith("ror:"), node_id)

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
        """Demote the best to ``possible`` when another record *of the same source* matches as well.

        Two ROR records are two organisations; a ROR record and a CORDIS participant (or a list
        entry, an OpenAlex institution) with the same name are most likely one, not yet linked.
        """
        if len(ranked) < 2 or ranked[0].value < MATCH:
            return ranked
        top = ranked[0]
        a = self.index.profiles[top.pos]
        for other in ranked[1:]:
            if other.value < top.value - AMBIGUITY_MARGIN:
                break
            b = self.index.profiles[other.pos]
            same_source = a.id.split(":", 1)[0] == b.id.split(":", 1)[0]
            related = a.id in b.parents or b.id in a.parents
            if same_source and other.span >= top.span and not related:
                top.value = min(top.value, MATCH - 0.01)
                top.reasons.append(f"ambiguous: {b.name} ({b.id}) matches about as well ({other.value:.2f})")
                break
        return ranked

    def _candidate(self, hit: _Hit) -> Candidate:
        p = self.index.profiles[hit.pos]
        value = round(min(hit.value, 1.0), 4)
        ror = p.ror or self._cluster_ror.get(self.cluster_of(p.id))
        return Candidate(p.id, p.name, ror, p.country, value, band_of(value), hit.method, "; ".join(hit.reasons))


def _trailing_context(segs: Sequence[str]) -> set[int]:
    """Positions of the trailing countries and postcodes of an affiliation ("…, Harbin 150001, China"):
    never part of an organisation's name, so runs including them are not tried."""
    out: set[int] = set()
    for k in range(len(segs) - 1, 0, -1):
        seg = segs[k]
        if country_segment(seg) or (any(ch.isdigit() for ch in seg) and len(analyse(seg).tokens) <= 2):
            out.add(k)
        else:
            break
    return out


def _always(_token: str) -> bool:
    return True


def _describe(query: str, name: OrgName, a: Alignment, sim: float, notes: list[str]) -> str:
    """'"X" ≈ alias "Y" (similarity 0.93; typo instiute→institute; candidate also has "technology")'."""
    parts = [f"similarity {sim:.2f}"]
    if a.typos:
        parts.append("typo " + ", ".join(f"{q}→{c}" for q, c in a.typos))
    if a.missing_in_query:
        parts.append("candidate also has " + ", ".join(f'"{t}"' for t in a.missing_in_query))
    if a.missing_in_candidate:
        parts.append("query also has " + ", ".join(f'"{t}"' for t in a.missing_in_candidate))
    parts.extend(notes)
    kind = "name" if name.kind == "display" else name.kind
    lang = f" [{name.lang}]" if name.lang and name.kind != "display" else ""
    return f'"{query}" ≈ {kind}{lang} "{name.form.text}" ({"; ".join(parts)})'


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


def top_match(candidates: Sequence[Candidate]) -> Candidate | None:
    """The match, if the best candidate is in band ``match``."""
    return candidates[0] if candidates and candidates[0].band == "match" else None
