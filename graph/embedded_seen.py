"""What a first bulk load has written so far, in memory, without an index in SQLite.

While the embedded store's first bulk load runs without its identity index
(inserting into a B-tree at random places is most of a large load's cost),
this set answers, per batch, which edges the load already holds and whether
their facts are the same. Entries are 64-bit hashes of an edge's identity
and of its facts text, kept in sorted numpy arrays merged like a log-
structured tree (a level merges into the one below once it is at least
half its size, up to ``LEVEL_CAP`` entries), so 5 million edges take 80 MB
and a batch's look-up is a few vectorised binary searches.

Hashes are Python's own (SipHash of the identity's text, salted per
process); the set lives only as long as the load, and the store rebuilds
the identity index at the end, keeping an identity's newest row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["SeenEdges"]

_KEY = np.dtype(np.int64)
LEVEL_CAP = 1 << 21  # entries beyond which levels stay apart: a merge copies both, so this bounds its memory


def _merge(older: tuple[np.ndarray, np.ndarray], newer: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """One sorted level from two; a key in both keeps the newer digest."""
    keys = np.concatenate((newer[0], older[0]))
    digests = np.concatenate((newer[1], older[1]))
    order = np.argsort(keys, kind="stable")  # stable: the newer copy of a key comes first
    keys, digests = keys[order], digests[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return keys[first], digests[first]


@dataclass(slots=True)
class SeenEdges:
    """Identity hash -> facts hash of the edges a load wrote, newest wins."""

    levels: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # oldest first, each sorted
    rewrites: int = 0  # edges written again with other facts (the store keeps two rows until it settles)
    staged: tuple[np.ndarray, np.ndarray, int] | None = None  # the batch being written, until kept

    def empty(self) -> bool:
        return not self.levels

    def digests(self, keys: Sequence[int] | np.ndarray) -> np.ndarray:
        """The stored facts hash of each key, or 0 where the load has not written it."""
        order = np.argsort(np.asarray(keys, dtype=_KEY))
        wanted = np.asarray(keys, dtype=_KEY)[order]  # sorted needles: binary searches walk the level in order
        found = np.zeros(len(wanted), dtype=_KEY)
        missing = np.ones(len(wanted), dtype=bool)
        for level_keys, level_digests in reversed(self.levels):  # newest first
            if not missing.any():
                break
            at = np.searchsorted(level_keys, wanted)
            at[at == len(level_keys)] = 0
            hit = missing & (level_keys[at] == wanted)
            found[hit] = level_digests[at[hit]]
            missing &= ~hit
        out = np.empty_like(found)
        out[order] = found
        return out

    def stage(
        self, keys: Sequence[int] | np.ndarray, digests: Sequence[int] | np.ndarray, *, rewritten: int = 0
    ) -> None:
        """A batch's written edges (keys distinct); ``rewritten`` were held before. Counted once kept."""
        self.staged = (np.asarray(keys, _KEY), np.asarray(digests, _KEY), rewritten)

    def drop(self) -> None:
        """Forget the staged batch (its transaction rolled back)."""
        self.staged = None

    def keep(self) -> None:
        """The staged batch is in the store: add it."""
        if self.staged is None:
            return
        keys, digests, rewritten = self.staged
        self.staged = None
        if not len(keys):
            return
        self.levels.append(_merge((np.empty(0, _KEY), np.empty(0, _KEY)), (keys, digests)))
        while (
            len(self.levels) > 1
            and len(self.levels[-1][0]) * 2 >= len(self.levels[-2][0])
            and len(self.levels[-1][0]) + len(self.levels[-2][0]) <= LEVEL_CAP
        ):
            newer = self.levels.pop()
            self.levels[-1] = _merge(self.levels[-1], newer)
        self.rewrites += rewritten
