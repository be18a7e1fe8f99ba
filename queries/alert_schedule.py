"""Run a job every so often: a plain loop with sleep, steady against drift.

``parse_every("24h")`` understands ``s``, ``m``, ``h`` and ``d`` units and
sums (``1h30m``). A job that fails is logged and the loop goes on; the next
run starts one interval after the previous one started (or at once when a
run took longer than the interval).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

__all__ = ["parse_every", "run_every"]

log = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")


def parse_every(text: str) -> float:
    """Seconds in an interval such as ``24h``, ``30m``, ``1h30m``, ``90s`` or ``1d``."""
    compact = text.strip().lower().replace(" ", "")
    parts = _PART.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise ValueError(f"interval {text!r}: use a number with a unit s, m, h or d, e.g. 24h, 30m, 1h30m")
    seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"interval {text!r} must be longer than zero")
    return seconds


def run_every(
    seconds: float,
    job: Callable[[], object],
    *,
    runs: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Call ``job`` every ``seconds`` (``runs`` times, or for ever); the number of runs done."""
    done = 0
    while runs is None or done < runs:
        started = clock()
        try:
            job()
        except Exception:
            log.exception("scheduled alert run failed; the next one runs as planned")
        done += 1
        if runs is not None and done >= runs:
            break
        sleep(max(0.0, started + seconds - clock()))
    return done
