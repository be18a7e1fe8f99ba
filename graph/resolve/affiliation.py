"""Affiliation strings: split into segments and say what each segment is.

"School of Physics, Harbin Institute of Technology, Harbin 150001, China"
has four segments: a sub-unit, the organisation, a city with a postcode and
a country. The matcher finds the organisation among the segments (or
adjacent runs of them); this module classifies the rest.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from graph.resolve.acronyms import looks_like_acronym
from graph.resolve.countries import country_code_of, country_names, normalise_country
from graph.resolve.names import analyse, is_legal_form, raw_words

__all__ = ["ORG_WORDS", "Role", "country_segment", "near_country", "segments", "spans", "structural_role"]

_SPLIT = re.compile(r"\s*(?:[,;|\(\)\[\]]|\s/\s|\s[-–—]\s|\s[–—]|[–—]\s)\s*")
ORG_WORDS = frozenset(
    "university institute academy college school hospital center laboratory department faculty division "
    "section unit group clinic program programme graduate key office bureau agency ministry council "
    "foundation association society company corporation enterprise factory plant observatory station "
    "museum library branch".split()
)
_ADDRESS_WORDS = frozenset(
    "road rd street st avenue ave boulevard blvd district province county city town building bldg floor "
    "campus zip box lu jie dao qu sheng shi po no str ul prospekt pr".split()
)


class Role:
    COUNTRY = "country"
    CITY = "city"
    ADDRESS = "address"
    ACRONYM = "acronym"
    LEGAL = "legal form"
    ORGLIKE = "org-like"  # names an organisation or a sub-unit
    OTHER = "other"


def segments(text: str) -> list[str]:
    """Comma/semicolon/parenthesis/dash separated parts, empty parts dropped."""
    return [s.strip(" .:\"'“”‘’") for s in _SPLIT.split(text) if s and s.strip(" .:\"'“”‘’")]


def spans(n: int) -> list[tuple[int, int]]:
    """Contiguous runs [i, j) of segments that may hold the organisation's name, longest first.

    Runs of up to 4 segments (3 when there are more than 6), plus the whole text.
    """
    longest = 4 if n <= 6 else 3
    out = [(0, n)] if n > longest else []
    return out + [(i, i + k) for k in range(min(n, longest), 0, -1) for i in range(n - k + 1)]


@lru_cache(maxsize=100_000)
def country_segment(text: str) -> str | None:
    """ISO-2 code when the segment is a country name (or an upper-case ISO-2 code)."""
    stripped = text.strip()
    if is_legal_form(stripped):  # "SL", "CO", "AG", "AS" are legal forms first
        return None
    if len(stripped) == 2 and stripped.isupper():
        return normalise_country(stripped)
    return country_code_of(stripped)


@lru_cache(maxsize=100_000)
def near_country(text: str) -> str | None:
    """ISO-2 code of a misspelt country name ("Fnland", "Untied States", "Chia"); 4+ letters only."""
    key = " ".join(raw_words(text))
    if len(key) < 4:
        return None
    limit = 2 if len(key) >= 10 else 1
    found = process.extractOne(key, list(country_names()), scorer=OSA.distance, score_cutoff=limit)
    return country_names()[found[0]] if found else None


def structural_role(text: str, cities: set[str], city_key: str) -> str:
    """Role of a segment judged by its form alone (not by which organisation it names)."""
    if country_segment(text):
        return Role.COUNTRY
    if city_key and city_key in cities:
        return Role.CITY
    if is_legal_form(text):
        return Role.LEGAL
    if looks_like_acronym(text):
        return Role.ACRONYM
    if set(analyse(text).tokens) & ORG_WORDS:
        return Role.ORGLIKE
    words = raw_words(text)
    if any(ch.isdigit() for ch in text) or (words and (words[0] in _ADDRESS_WORDS or words[-1] in _ADDRESS_WORDS)):
        return Role.ADDRESS
    return Role.OTHER
