"""Acronyms: recognising them in a query and deciding when one is unambiguous.

An acronym names an organisation only in context: "NUAA" is safe when one
organisation in the store carries it (or has those initials) among the
organisations consistent with the query's country; "CAS" is not.
"""

from __future__ import annotations

import re

__all__ = ["acronym_key", "looks_like_acronym"]

_ACRONYM = re.compile(r"^[A-Za-z0-9&\-\.]{2,12}$")


def acronym_key(text: str) -> str:
    """Upper-case letters and digits of an acronym ("N.U.A.A." → "NUAA")."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def looks_like_acronym(text: str) -> bool:
    """One short token written mostly in capitals ("NUAA", "UrFU", "IPP-SB"), not a plain word."""
    stripped = text.strip()
    if not _ACRONYM.match(stripped) or stripped.isdigit():
        return False
    letters = [ch for ch in stripped if ch.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(ch.isupper() for ch in letters)
    return upper >= 2 and (upper == len(letters) or upper / len(letters) >= 0.4 or len(letters) <= 4)
