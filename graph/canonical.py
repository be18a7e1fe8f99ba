"""Canonical JSON text: sorted keys, no spaces, UTF-8 kept, no NaN.

The output equals ``json.dumps(value, sort_keys=True, ensure_ascii=False,
separators=(",", ":"), allow_nan=False)`` byte for byte (a property test
holds it to that). orjson writes it several times faster; values it would
write differently (floats, whose exponent form differs, and non-string
keys, over-long ints) or refuse go through :mod:`json`, which also raises
the usual TypeError/ValueError for what JSON cannot hold.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["canonical_json", "has_float", "parse_json"]

_OPTIONS = orjson.OPT_SORT_KEYS
_DIGIT_MAP = bytes(0x31 if 0x30 <= b <= 0x39 else 0x30 for b in range(256))  # digits -> "1", all else -> "0"
_LONG_RUN = b"1" * 19


def has_float(value: Any) -> bool:
    """Whether a float (or anything but str/int/bool/None/dict/list/tuple) hides in ``value``.

    str and int subclasses (StrEnum members) are plain: both encoders write their value.
    """
    stack = [value]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is dict:
            items: Any = v.values()
        elif t is list or t is tuple:
            items = v
        elif isinstance(v, dict):
            items = v.values()
        elif isinstance(v, list | tuple):
            items = v
        elif v is None or isinstance(v, str | int):
            continue
        else:
            return True
        for item in items:
            it = type(item)
            if not (it is str or it is int or item is None or it is bool):
                stack.append(item)
    return False


def _slow(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text.encode("utf-8")  # lone surrogates: UnicodeEncodeError, a ValueError
    return text


def canonical_json(value: Any, *, checked: bool = False) -> str:
    """Canonical JSON of ``value``; TypeError/ValueError when it has no JSON form.

    ``checked=True`` says the caller already knows that no float hides in ``value``.
    """
    if not checked and has_float(value):
        return _slow(value)
    try:
        return orjson.dumps(value, option=_OPTIONS).decode("utf-8")
    except orjson.JSONEncodeError:
        return _slow(value)


def parse_json(text: str) -> Any:
    """``json.loads(text)``, faster: orjson, unless the text holds a run of 19 or more digits.

    orjson reads floats exactly as json does (correctly rounded; a million
    random decimals agree), but an int beyond 64 bits as a float. Every int of
    at most 18 digits fits, so only a text with a 19-digit run (even inside a
    string: a false alarm costs time, not correctness) is read by json.
    """
    if _LONG_RUN in text.encode("utf-8", "surrogatepass").translate(_DIGIT_MAP):
        return json.loads(text)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # what orjson refuses and json reads (NaN, 1e400): json's answer or error
        return json.loads(text)
