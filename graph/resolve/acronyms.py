"""Acronyms: recognising them in a query and deciding when one is unambiguous.

An acronym names an organisation only in context: "NUAA" is safe when one
organisation in the store carries it (or has those initials) among the
organisations consistent with the query's country; "CAS" is not.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["acronym_key", "looks_like_acronym"]

_PART = re.compile(r"^[\w&\-\./]{1,12}$")


def acronym_key(text: str) -> str:
    """Upper-case letters and digits of an acronym ("N.U.A.A." → "NUAA")."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _acronym_part(part: str) -> bool:
    if not _PART.match(part) or part.isdigit():
        return True  # a number ("DEL 2") may sit inside an acronym
    letters = [ch for ch in part if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return upper >= 1 and (upper == len(letters) or upper / len(letters) >= 0.4 or len(letters) <= 4)


@lru_cache(maxsize=100_000)
def looks_like_acronym(text: str) -> bool:
    """Up to four short parts written mostly in capitals ("NUAA", "UrFU", "IFM PAN", "ФИЦ ИУ РАН")."""
    parts = text.split()
    if not parts or len(parts) > 4 or not all(_PART.match(p) for p in parts):
        return False
    if len(parts) > 1 and any(sum(ch.isalpha() for ch in p) > (12 if p.isupper() else 6) for p in parts):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 2 or sum(ch.isupper() for ch in letters) < 2:
        return False
    return all(_acronym_part(p) for p in parts)
