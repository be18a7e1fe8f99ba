"""Named points of an alert run where a test may kill or pause the process.

A test hook, not a mock: the real run, killed for real. Environment:

- ``RSGRAPH_ALERTS_KILL_AT=point`` (or ``point#n``): SIGKILL this process the
  first (n-th) time it reaches ``point``;
- ``RSGRAPH_ALERTS_PAUSE_AT=point`` with ``RSGRAPH_ALERTS_PAUSE_FILE=path``:
  at ``point``, create ``path`` and wait (at most 120 s) until it is removed.

Unset, :func:`checkpoint` costs two environment look-ups.
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from pathlib import Path

__all__ = ["POINTS", "checkpoint"]

POINTS = (
    "run_started",  # the run is registered as in progress
    "alert_recorded",  # one alert document written
    "org_alerts_recorded",  # all alerts of one organisation written, its state not yet
    "org_state_saved",  # the organisation's new state written
    "digest_prepared",  # a digest recorded as being sent, not sent yet
    "digest_sent",  # the channel accepted the digest, nothing recorded yet
    "alert_marked",  # one alert recorded as delivered on the channel
    "digest_done",  # the digest recorded as finished
    "run_recorded",  # the run's report written, the run not yet closed
)
_seen: Counter[str] = Counter()


def checkpoint(point: str) -> None:
    kill = os.environ.get("RSGRAPH_ALERTS_KILL_AT")
    pause = os.environ.get("RSGRAPH_ALERTS_PAUSE_AT")
    if not kill and not pause:
        return
    _seen[point] += 1
    if kill:
        name, _, nth = kill.partition("#")
        if name == point and _seen[point] == int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)
    if pause == point and _seen[point] == 1:
        flag = Path(os.environ["RSGRAPH_ALERTS_PAUSE_FILE"])
        flag.write_text(str(os.getpid()), encoding="utf-8")
        deadline = time.monotonic() + 120
        while flag.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
