"""ISO 3166-1 alpha-2 codes and the country names found in affiliation strings.

Country is identity context only: it helps decide whether two records name
the same organisation and never feeds a risk signal.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

from graph.text import fold

__all__ = ["country_code_of", "country_names", "is_country_code", "normalise_country"]

# Spellings seen in affiliation strings and list entries beyond pycountry's.
_EXTRA = {
    "CN": ("PR China", "P.R. China", "P. R. China", "PRC", "P.R.C.", "Mainland China"),
    "US": ("USA", "U.S.A.", "U.S.", "United States of America", "America"),
    "GB": ("UK", "U.K.", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland", "Britain"),
    "RU": ("Russia", "Russian Federation"),
    "KR": ("Korea", "Republic of Korea", "South Korea"),
    "KP": ("North Korea", "DPRK"),
    "IR": ("Iran",),
    "TW": ("Taiwan", "Republic of China", "Taiwan ROC"),
    "HK": ("Hong Kong SAR", "Hong Kong, China", "Hong Kong"),
    "MO": ("Macau", "Macao SAR"),
    "CZ": ("Czech Republic",),
    "VN": ("Vietnam",),
    "SY": ("Syria",),
    "NL": ("The Netherlands", "Holland"),
    "DE": ("Federal Republic of Germany",),
    "TR": ("Turkey",),
}
_CODE_ALIASES = {"UK": "GB", "EL": "GR"}  # EU/CORDIS usage


def is_country_code(code: str) -> bool:
    """True for an assigned ISO 3166-1 alpha-2 code (case-insensitive)."""
    return pycountry.countries.get(alpha_2=code.strip().upper()) is not None if len(code.strip()) == 2 else False


def normalise_country(value: str | None) -> str | None:
    """ISO-2 upper-case code for a code or a country name; None if unknown or empty."""
    if not value or not value.strip():
        return None
    text = value.strip()
    upper = text.upper()
    if upper in _CODE_ALIASES:
        return _CODE_ALIASES[upper]
    if len(text) == 2 and is_country_code(text):
        return upper
    return country_code_of(text)


@lru_cache(maxsize=1)
def _name_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if name:
                table[_key(name)] = c.alpha_2
    for code, names in _EXTRA.items():
        for name in names:
            table[_key(name)] = code
    return table


def _key(name: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in fold(name)).split())


def country_code_of(name: str) -> str | None:
    """ISO-2 code of a country name as written in text ("P.R. China" → CN)."""
    return _name_table().get(_key(name))


def country_names() -> dict[str, str]:
    """Folded country name → ISO-2 code, for segment classification."""
    return dict(_name_table())
