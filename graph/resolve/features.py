"""Features of a candidate pair: identifiers, weighted token alignment of names.

An organisation is turned into a :class:`Profile` (its name forms, acronyms,
country, city, normalised identifiers). Two names are compared by aligning
their tokens (exact stems, joined compounds, and single-edit typo
corrections of tokens the index has never seen), each token weighted by
how rare it is. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA

from graph.model import Node
from graph.resolve.acronyms import acronym_key
from graph.resolve.countries import normalise_country
from graph.resolve.names import NameForm, analyse, clean

__all__ = [
    "STRONG_IDS",
    "Alignment",
    "OrgName",
    "Profile",
    "align",
    "id_agreement",
    "normalise_ids",
    "profile_of",
]

STRONG_IDS = ("ror", "grid", "wikidata", "pic", "lei", "openalex")
_WEAK_IDS = ("isni", "fundref")
_ID_TAIL = re.compile(r"[^/]+$")


@dataclass(frozen=True, slots=True)
class OrgName:
    form: NameForm
    kind: str  # display | label | alias | variant
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """What resolution needs to know about one organisation node."""

    id: str
    name: str
    names: tuple[OrgName, ...]
    acronyms: frozenset[str]
    country: str | None
    city: str | None
    ids: Mapping[str, str]
    parents: tuple[str, ...] = ()

    @property
    def ror(self) -> str | None:
        return self.ids.get("ror")


def _normalise_id(kind: str, value: Any) -> str | None:
    if not isinstance(value, str | int) or not str(value).strip():
        return None
    text = str(value).strip()
    if kind in ("ror", "openalex"):
        text = _ID_TAIL.findall(text.rstrip("/"))[0] if "/" in text else text
    if kind == "wikidata":
        text = text.rsplit("/", 1)[-1]
    if kind in ("isni", "pic", "lei"):
        text = text.replace(" ", "")
    return text.lower()


def normalise_ids(node_id: str, ids: Mapping[str, Any] | None) -> dict[str, str]:
    """Comparable identifiers of a node; its own id counts (``ror:…`` carries a ROR id)."""
    out: dict[str, str] = {}
    for kind, value in (ids or {}).items():
        if kind in STRONG_IDS + _WEAK_IDS:
            values = value if isinstance(value, list) else [value]
            norm = _normalise_id(kind, values[0]) if values else None
            if norm:
                out[kind] = norm
    prefix, _, rest = node_id.partition(":")
    if prefix == "ror":
        out["ror"] = rest.lower()
    elif prefix == "openalex" and rest.upper().startswith("I"):
        out["openalex"] = rest.lower()
    elif node_id.startswith("cordis:pic:"):
        out["pic"] = node_id.removeprefix("cordis:pic:")
    return out


def id_agreement(a: Mapping[str, str], b: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(kind that agrees, kind that conflicts) between two identifier sets; strong ids only."""
    agree = next((k for k in STRONG_IDS + _WEAK_IDS if k in a and a.get(k) == b.get(k)), None)
    conflict = next((k for k in STRONG_IDS if k in a and k in b and a[k] != b[k]), None)
    return agree, conflict


def _entries(node: Node) -> Iterable[tuple[str, str, str | None]]:
    yield node.name, "display", None
    for entry in node.props.get("names") or ():
        if isinstance(entry, Mapping) and isinstance(entry.get("value"), str):
            types = entry.get("types") or [entry.get("type") or "label"]
            kind = "acronym" if "acronym" in types else ("alias" if "alias" in types else "label")
            yield entry["value"], kind, entry.get("lang")
        elif isinstance(entry, str):
            yield entry, "alias", None
    for alias in node.props.get("aliases") or ():
        if isinstance(alias, str):
            yield alias, "alias", None


_PAREN = re.compile(r"\s*[\(\[]([^\)\]]*)[\)\]]\s*")


def _variants(text: str, country: str | None, acronyms: set[str]) -> list[str]:
    """A name without a trailing '(China)' or '(NUAA)' — never without a city or campus."""
    found = _PAREN.findall(text)
    if not found:
        return []
    inner = found[-1].strip()
    if normalise_country(inner) == country or acronym_key(inner) in acronyms:
        return [_PAREN.sub(" ", text).strip()]
    return []


def profile_of(node: Node, parents: Iterable[str] = ()) -> Profile:
    """The resolution profile of an organisation node (conventions of ROR/OpenAlex/CORDIS/list nodes)."""
    props = node.props
    acronyms = {acronym_key(a) for a in props.get("acronyms") or () if isinstance(a, str) and acronym_key(a)}
    short = props.get("short_name")
    if isinstance(short, str) and short.strip() and " " not in short.strip():
        acronyms.add(acronym_key(short))
    country = normalise_country(props.get("country")) if isinstance(props.get("country"), str) else None
    names: dict[str, OrgName] = {}
    for text, kind, lang in _entries(node):
        if kind == "acronym":
            if acronym_key(text):
                acronyms.add(acronym_key(text))
            continue
        for value, k in [(text, kind)] + [(v, "variant") for v in _variants(text, country, acronyms)]:
            form = analyse(value)
            if form.tokens and form.key not in names:
                names[form.key] = OrgName(form, k, lang if isinstance(lang, str) else None)
    city = props.get("city")
    return Profile(
        id=node.id,
        name=node.name,
        names=tuple(names.values()),
        acronyms=frozenset(acronyms),
        country=country,
        city=city_key(city) or None if isinstance(city, str) else None,
        ids=normalise_ids(node.id, props.get("ids") if isinstance(props.get("ids"), Mapping) else None),
        parents=tuple(parents),
    )


@dataclass(frozen=True, slots=True)
class Alignment:
    """How the tokens of a query name and a candidate name line up."""

    similarity: float  # min of the weighted coverage of each side, 0..1
    query_coverage: float
    candidate_coverage: float
    typos: tuple[tuple[str, str], ...] = ()  # (query token, candidate token)
    missing_in_candidate: tuple[str, ...] = ()  # query tokens the candidate lacks
    missing_in_query: tuple[str, ...] = ()  # candidate tokens the query lacks


TYPO_CREDIT = 0.9


def _typo_ok(q: str, c: str) -> bool:
    """One edit (two in long words) apart. Four-letter words may only lose, gain or swap a
    letter ("Jpan"), never change one: "Leon" is not a typo of "Lyon"."""
    shortest = min(len(q), len(c))
    if not (q.isascii() and c.isascii() and q.isalpha() and c.isalpha()) or shortest < 4:
        return False
    if q[0] != c[0] and len(q) == len(c) and sorted(q) != sorted(c):
        return False  # a changed first letter is another word ("Jinzhou" is not "Binzhou")
    if shortest == 4 and q[0] != c[0]:
        return False
    limit = 2 if shortest >= 10 else 1
    if OSA.distance(q, c, score_cutoff=limit) > limit:
        return False
    return shortest >= 5 or len(q) != len(c) or sorted(q) == sorted(c)


def _joined(tokens: list[str], target: set[str]) -> list[tuple[int, str]]:
    """Adjacent pairs of ``tokens`` whose concatenation is one token of ``target``."""
    return [(i, tokens[i] + tokens[i + 1]) for i in range(len(tokens) - 1) if tokens[i] + tokens[i + 1] in target]


def align(
    query: NameForm,
    candidate: NameForm,
    weight: Callable[[str], float],
    known: Callable[[str], bool],
) -> Alignment:
    """Weighted token alignment; typo correction only for query tokens unknown to the index."""
    c_set = set(candidate.tokens)
    q_set = set(query.tokens)
    matched_q = {t: 1.0 for t in query.tokens if t in c_set}
    matched_c = {t: 1.0 for t in candidate.tokens if t in q_set}
    typos: list[tuple[str, str]] = []
    if len(matched_q) < len(query.tokens) and len(matched_c) < len(candidate.tokens):
        _partial(query, candidate, matched_q, matched_c, typos, known)
    q_total = c_total = q_got = c_got = 0.0
    for t in query.tokens:
        w = weight(t)
        q_total += w
        q_got += w * matched_q.get(t, 0.0)
    for t in candidate.tokens:
        w = weight(t)
        c_total += w
        c_got += w * matched_c.get(t, 0.0)
    cov_q, cov_c = q_got / (q_total or 1.0), c_got / (c_total or 1.0)
    return Alignment(
        similarity=min(cov_q, cov_c),
        query_coverage=cov_q,
        candidate_coverage=cov_c,
        typos=tuple(typos),
        missing_in_candidate=tuple(t for t in query.tokens if t not in matched_q),
        missing_in_query=tuple(t for t in candidate.tokens if t not in matched_c),
    )


def _partial(
    query: NameForm,
    candidate: NameForm,
    matched_q: dict[str, float],
    matched_c: dict[str, float],
    typos: list[tuple[str, str]],
    known: Callable[[str], bool],
) -> None:
    """Joined compounds ("nano tech" = "nanotech") and typos among the tokens left unmatched."""
    q_left = [t for t in query.tokens if t not in matched_q]
    c_left = [t for t in candidate.tokens if t not in matched_c]
    for side_left, other_left, m_side, m_other in (
        (q_left, c_left, matched_q, matched_c),
        (c_left, q_left, matched_c, matched_q),
    ):
        for i, joined in _joined(side_left, set(other_left)):
            if side_left[i] not in m_side and side_left[i + 1] not in m_side and joined not in m_other:
                m_side[side_left[i]] = m_side[side_left[i + 1]] = 1.0
                m_other[joined] = 1.0
    q_word = dict(zip(query.tokens, query.words or query.tokens, strict=False))
    c_word = dict(zip(candidate.tokens, candidate.words or candidate.tokens, strict=False))
    for q in q_left:
        if q in matched_q or known(q):
            continue
        for c in c_left:
            if c not in matched_c and (_typo_ok(q_word[q], c_word[c]) or _typo_ok(q, c)):
                matched_q[q] = matched_c[c] = TYPO_CREDIT
                typos.append((q_word[q], c_word[c]))
                break


@lru_cache(maxsize=100_000)
def city_key(text: str) -> str:
    """Folded city name without digits (postcodes) for consistency checks."""
    return " ".join(w for w in clean(text).replace("-", " ").split() if not any(ch.isdigit() for ch in w))
