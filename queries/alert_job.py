"""The alert job as configured: the run lock, the configured channels, k and minimum path level, then one run.

What the CLI (``rsgraph alerts run|schedule``) and the app's "check now"
both call, so alerts raised from either go to the same channels and two
runs never overlap (:class:`queries.alert_lock.RunLocked` otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from graph.open import open_store
from graph.settings import Settings
from graph.store import GraphStore
from queries.alert_lock import lock_path, run_lock
from queries.alerts import RunReport, run_alerts
from queries.delivery import channels_from_settings
from queries.lists import ListsView

__all__ = ["run_job"]


def run_job(
    store: GraphStore,
    settings: Settings,
    *,
    lists: ListsView | None = None,
    hops: int | None = None,
    before: Callable[[], object] | None = None,
) -> RunReport:
    """Hold the run lock, run ``before`` (e.g. a refresh), then one alert run with the configured channels."""
    with run_lock(lock_path(settings)):
        if before is not None:
            before()
        return run_alerts(
            store,
            channels=channels_from_settings(settings),
            hops=hops or settings.alerts_hops,
            lists=lists,
            workers=settings.alerts_workers,
            min_path_level=settings.alerts_min_path_level,
            opener=partial(open_store, settings),
        )
