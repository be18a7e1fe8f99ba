"""Date-window arithmetic on ISO dates of varying precision."""

from __future__ import annotations

__all__ = ["lower_bound", "overlaps", "upper_bound"]


def lower_bound(date: str | None) -> str | None:
    """Earliest full date a partial date may mean: '2020' -> '2020-01-01'."""
    if date is None:
        return None
    return date + "-01-01"[len(date) - 4 :] if len(date) < 10 else date


def upper_bound(date: str | None) -> str | None:
    """Latest full date a partial date may mean: '2020' -> '2020-12-31'."""
    if date is None:
        return None
    return date + "-12-31"[len(date) - 4 :] if len(date) < 10 else date


def overlaps(start: str | None, end: str | None, since: str | None, until: str | None) -> bool:
    """Whether [start, end] (open where None) meets the window [since, until]."""
    lo, hi = lower_bound(since), upper_bound(until)
    e_start, e_end = lower_bound(start), upper_bound(end)
    if lo is not None and e_end is not None and e_end < lo:
        return False
    return not (hi is not None and e_start is not None and e_start > hi)
