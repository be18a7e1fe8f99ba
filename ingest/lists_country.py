"""Country and language names and codes as lists print them, to ISO codes.

Country only helps decide whether two records are the same organisation; it
never feeds a risk signal.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

__all__ = ["lang_code", "to_iso2"]

# Spellings pycountry does not know, seen in official lists and curated CSVs.
_ALIASES = {
    "RUSSIA": "RU",
    "DPRK": "KP",
    "NORTH KOREA": "KP",
    "KOREA, NORTH": "KP",
    "DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA": "KP",
    "ROK": "KR",
    "SOUTH KOREA": "KR",
    "KOREA, SOUTH": "KR",
    "UAE": "AE",
    "UK": "GB",
    "GREAT BRITAIN": "GB",
    "USA": "US",
    "UNITED STATES OF AMERICA": "US",
    "BURMA": "MM",
    "IRAN": "IR",
    "IRAN (ISLAMIC REPUBLIC OF)": "IR",
    "SYRIA": "SY",
    "SYRIAN ARAB REPUBLIC": "SY",
    "TURKEY": "TR",
    "TÜRKIYE": "TR",
    "TURKIYE": "TR",
    "VIETNAM": "VN",
    "VIET NAM": "VN",
    "LAOS": "LA",
    "MACAU": "MO",
    "MACAO": "MO",
    "KOSOVO": "XK",
    "IVORY COAST": "CI",
    "CONGO, DEMOCRATIC REPUBLIC OF THE": "CD",
    "DEMOCRATIC REPUBLIC OF THE CONGO": "CD",
    "DEMOCRATIC REPUBLIC OF CONGO": "CD",
    "DRC": "CD",
    "REPUBLIC OF THE CONGO": "CG",
    "CONGO": "CG",
    "CZECHIA": "CZ",
    "PALESTINE": "PS",
    "PALESTINIAN": "PS",
    "WEST BANK": "PS",
    "GAZA": "PS",
    "BOLIVIA (PLURINATIONAL STATE OF)": "BO",
    "VENEZUELA (BOLIVARIAN REPUBLIC OF)": "VE",
    "TANZANIA, UNITED REPUBLIC OF": "TZ",
    "MOLDOVA, REPUBLIC OF": "MD",
    "HONG KONG SAR": "HK",
    "TAIWAN, PROVINCE OF CHINA": "TW",
    "CRIMEA": "UA",
}
_LANGUAGES = {"pashto": "ps", "farsi": "fa", "persian": "fa", "chinese": "zh", "mandarin": "zh"}
# Codes that are not countries (EU, UN, "00" for unknown) map to nothing.
_NOT_COUNTRIES = {"EU", "UN", "00", "XX", "ZZ"}


@lru_cache(maxsize=4096)
def to_iso2(value: str | None) -> str | None:
    """The ISO-2 code for a code or name (``"cn"``, ``"CHN"``, ``"China"``, ``"DPRK"``), else None."""
    if not value:
        return None
    text = re.sub(r"\s+", " ", value).strip().strip(".")
    upper = text.upper()
    if not upper or upper in _NOT_COUNTRIES:
        return None
    if upper in _ALIASES:
        return _ALIASES[upper]
    if len(upper) == 2 and upper.isalpha():
        return upper if pycountry.countries.get(alpha_2=upper) or upper == "XK" else None
    if len(upper) == 3 and upper.isalpha():
        found = pycountry.countries.get(alpha_3=upper)
        if found is not None:
            return str(found.alpha_2)
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None


@lru_cache(maxsize=512)
def lang_code(value: str | None) -> str | None:
    """The ISO 639-1 code for a language code or name (``"RU"``, ``"rus"``, ``"Russian"``), else None."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) == 2 and text.isalpha():
        return text.lower()
    if text.lower() in _LANGUAGES:
        return _LANGUAGES[text.lower()]
    try:
        found = pycountry.languages.lookup(text)
    except LookupError:
        return None
    code = getattr(found, "alpha_2", None)
    return str(code) if code else None
