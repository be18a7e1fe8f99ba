"""Small pure parsers every list format shares: dates, slugs, names, addresses.

Dates come in many shapes (``2024-01-31``, ``31.01.2024``, ``1.02.21``,
``09/26/2013`` in US order, ``29/06/2012`` in UK order, ``October 1, 2027``,
``December 2023``, ``2022``); :func:`parse_date` turns each into an ISO date
(``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) or raises :class:`DateError`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date

from anyascii import anyascii

from ingest.lists_country import to_iso2

__all__ = [
    "DateError",
    "looks_like_person",
    "parse_date",
    "slug",
    "split_address",
    "split_multi",
    "uniq",
]

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+)?(?:Z|[+-]\d{2}:?\d{2})?$")
_NUMERIC = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$")
_YMD_SLASH = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)\.?,?[ -](\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?,? (\d{4})$")


class DateError(ValueError):
    """A date no known format fits."""


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    try:
        date(year, month or 1, day or 1)
    except ValueError as exc:
        raise DateError(str(exc)) from None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _month(name: str) -> int:
    month = _MONTHS.get(name.lower())
    if month is None:
        raise DateError(f"unknown month {name!r}")
    return month


def parse_date(raw: str | None, *, order: str = "dmy") -> str | None:
    """An ISO date from ``raw``; None when empty; ``order`` ("dmy"/"mdy") reads ``01/02/2020``."""
    text = (raw or "").strip()
    if not text:
        return None
    if m := _ISO.match(text):
        return _iso(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)
    if m := _NUMERIC.match(text):
        first, second = int(m[1]), int(m[2])
        day, month = (second, first) if order == "mdy" else (first, second)
        return _iso(_year(m[3]), month, day)
    if m := _YMD_SLASH.match(text):
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    if m := _DAY_MONTH_YEAR.match(text):
        return _iso(int(m[3]), _month(m[2]), int(m[1]))
    if m := _MONTH_DAY_YEAR.match(text):
        return _iso(int(m[3]), _month(m[1]), int(m[2]))
    if m := _MONTH_YEAR.match(text):
        return _iso(int(m[2]), _month(m[1]))
    raise DateError(f"unrecognised date {text!r}")


def slug(text: str, limit: int = 80) -> str:
    """A stable, readable id part: ASCII, lower case, dashes; long ones end in a hash."""
    base = re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
    if not base:
        return digest[:16]
    if len(base) > limit:
        return f"{base[: limit - 11].rstrip('-')}-{digest[:10]}"
    return base


def uniq(values: Iterable[str | None]) -> list[str]:
    """Non-empty stripped values, first occurrence kept, order kept."""
    out: dict[str, None] = {}
    for v in values:
        if v and (s := v.strip()):
            out.setdefault(s, None)
    return list(out)


def split_multi(value: str | None, sep: str = ";") -> list[str]:
    """A ``sep``-joined field as a list (empty parts dropped)."""
    return uniq((value or "").split(sep))


# Words that mark an organisation; a name without any is taken for a person
# only where the list gives no entity type (BIS Entity List and DPL rows).
_ORG_WORDS = frozenset(
    """ab academy ag agency aerospace airline airlines airways association authority aviation bank board bureau
    business center centre chemical chemicals college commission committee communications company computer computers
    consulting contracting corp corporation corps council department development directorate division electronic
    electronics energy engineering enterprise enterprises establishment exchange export exports factory firm force
    forces foundation front fund gmbh group guard holding holdings hospital import industrial industries industry
    institute institution instruments international investment jsc lab laboratories laboratory limited llc llp
    logistics ltd manufacturing marine metal metals military ministry network nv office oil organisation
    organization partners petroleum pharmaceutical pharmaceuticals plant plc pte pvt research sa sarl sas school
    science sciences security services shipping sl society solutions spa srl station steel supply systems tech
    technik technique technologies technology trade trading transport trust union university vertrieb vertriebs
    works""".split()
)
_ORG_MARKERS = re.compile(
    r"&|\b(co\.|inc\.?|s\.a\.|s\.l\.|s\.r\.l\.|b\.v\.|a\.g\.|l\.l\.c\.|ltd\.|corp\.|fze|fzc|fzco|ooo|zao|oao|pjsc|ojsc|cjsc)(?=\W|$)",
    re.IGNORECASE,
)


def looks_like_person(name: str) -> bool:
    """A guess for untyped list rows: no organisation word, no digit, 2-7 words."""
    if _ORG_MARKERS.search(name) or any(ch.isdigit() for ch in name):
        return False
    words = re.findall(r"[^\W\d_]+", anyascii(name).lower())
    if any(w in _ORG_WORDS for w in words):
        return False
    return 2 <= len(words) <= 7


def split_address(text: str) -> tuple[str | None, str | None]:
    """(city, ISO-2 country) from a one-line address ending in a country code or name."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return None, None
    country = to_iso2(parts[-1])
    if country:
        parts = parts[:-1]
    while parts and any(ch.isdigit() for ch in parts[-1]):
        parts = parts[:-1]
    city = parts[-1] if len(parts) >= 2 else None
    return city, country
