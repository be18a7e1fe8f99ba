"""Name tokens shared by every store's name index.

Both stores index exactly these tokens, so name search behaves the same on
each. Tokens are case-folded NFKC words with diacritics removed; runs of CJK
ideographs are split into characters and overlapping bigrams, so Chinese and
Japanese names are searchable without a word segmenter.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

__all__ = ["fold", "is_cjk_char", "name_tokens"]

_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002a6df]")


def is_cjk_char(ch: str) -> bool:
    """Whether a character is a CJK ideograph, kana or hangul syllable."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0xF900 <= cp <= 0xFAFF
        or 0x3040 <= cp <= 0x30FF
        or 0xAC00 <= cp <= 0xD7AF
    )


def fold(text: str) -> str:
    """Case-fold, NFKC-normalise and strip combining marks."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", stripped)


def _split_cjk(word: str) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    rest: list[str] = []

    def flush_run() -> None:
        if run:
            out.extend(run)
            out.extend(a + b for a, b in pairwise(run))
            run.clear()

    def flush_rest() -> None:
        if rest:
            out.append("".join(rest))
            rest.clear()

    for ch in word:
        if is_cjk_char(ch):
            flush_rest()
            run.append(ch)
        else:
            flush_run()
            rest.append(ch)
    flush_run()
    flush_rest()
    return out


def name_tokens(text: str) -> list[str]:
    """Distinct search tokens of a name, in first-seen order."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        if word.isascii() or not _CJK.search(word):
            seen.setdefault(word, None)
            continue
        for tok in _split_cjk(word):
            seen.setdefault(tok, None)
    return list(seen)
