"""An alert run: what changed for each watched organisation since the last run, delivered once.

For each watched organisation the run computes its state
(:mod:`queries.alert_state`), compares it with the state stored at the
previous run (:func:`queries.alert_kinds.diff`), records every new alert with
the channels it must reach, and only then stores the new state. The first
run for an organisation (or after it was re-added to the watchlist) records
a baseline and raises nothing: alerts are about changes. Pending alerts are
then delivered, one digest per channel (:mod:`queries.alert_dispatch`).

No noise: with no data change the states are equal and nothing is raised;
an alert whose id is already open with the same evidence is not raised
again; one an analyst reviewed comes back only when its evidence (the
fingerprint) changes.

Crash safety: the run in progress is registered (``alert_runs/_current``); a
run killed at any point resumes under the same run id when started again,
recomputes only the organisations whose state was not yet stored, and
finishes digests left in flight, so each alert is delivered once per channel.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from graph.store import GraphStore
from queries.alert_dispatch import Delivery, deliver, delivered_on
from queries.alert_facts import OrgState
from queries.alert_hooks import checkpoint
from queries.alert_kinds import DEFAULT_MIN_PATH_LEVEL, Alert, check_path_level, diff, told_after
from queries.alert_pool import Opener, states
from queries.alert_store import (
    RUNS,
    Review,
    StoredAlert,
    get_alert,
    get_review,
    iter_alerts,
    load_state,
    put_alert,
    put_review,
    save_state,
)
from queries.delivery import Channel
from queries.lists import ListsView
from queries.watchlist import WatchEntry, watched

__all__ = ["AlertView", "RunReport", "list_alerts", "record_alert", "review_alert", "run_alerts", "utc_now"]

log = logging.getLogger(__name__)

CURRENT = "_current"


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class RunReport:
    run_id: str
    started_at: str
    finished_at: str
    resumed: bool
    watched: int
    baselined: tuple[str, ...]
    raised: tuple[StoredAlert, ...]
    outcomes: dict[str, int]  # raised | recorded | open | reviewed -> count, this process
    deliveries: tuple[Delivery, ...]
    store_version: int
    seconds: float
    errors: tuple[str, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.status == "failed"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "resumed": self.resumed,
            "watched": self.watched,
            "baselined": list(self.baselined),
            "raised": [a.key for a in self.raised],
            "outcomes": dict(self.outcomes),
            "deliveries": [asdict(d) for d in self.deliveries],
            "store_version": self.store_version,
            "seconds": round(self.seconds, 3),
            "errors": list(self.errors),
        }


def record_alert(store: GraphStore, alert: Alert, *, run_id: str, channels: Sequence[str], at: str) -> str:
    """Record ``alert`` unless it is news to no one; what happened: raised | recorded | open | reviewed."""
    old = get_alert(store, alert.id)
    if old is not None and old.alert.fingerprint == alert.fingerprint:
        if old.raised_run == run_id:
            return "recorded"  # written before this run was interrupted
        review = get_review(store, alert.id)
        return "reviewed" if review is not None and review.fingerprint == alert.fingerprint else "open"
    review = get_review(store, alert.id)
    if review is not None and review.fingerprint == alert.fingerprint:
        return "reviewed"
    history: tuple[dict[str, Any], ...] = ()
    if old is not None:
        past = {"occurrence": old.occurrence, "raised_run": old.raised_run, "fingerprint": old.alert.fingerprint}
        history = (*(dict(h) for h in old.history), past)
    occurrence = old.occurrence + 1 if old is not None else 1
    put_alert(store, StoredAlert(alert, occurrence, run_id, at, tuple(channels), history))
    checkpoint("alert_recorded")
    return "raised"


def _begin(store: GraphStore, now: str) -> tuple[str, str, bool]:
    current = store.get_doc(RUNS, CURRENT)
    if current is not None:
        log.warning("resuming alert run %s, interrupted before it finished", current["run_id"])
        return str(current["run_id"]), str(current["started_at"]), True
    run_id = f"{now}~{secrets.token_hex(3)}"
    store.put_doc(RUNS, CURRENT, {"run_id": run_id, "started_at": now})
    return run_id, now, False


def _check(
    store: GraphStore, entry: WatchEntry, cur: OrgState, run_id: str, channels: Sequence[str], now: str, level: str
) -> list[str]:
    """Compare one organisation's state with its last; the outcomes of its alerts ("baselined" for a first run)."""
    prev = load_state(store, entry.org_id)
    if prev is None or prev.watched_since != entry.added_at:
        save_state(store, replace(cur, told=told_after(None, cur, [])))
        return ["baselined"]
    alerts = diff(prev, cur, min_path_level=level)
    outcomes = [record_alert(store, a, run_id=run_id, channels=channels, at=now) for a in alerts]
    checkpoint("org_alerts_recorded")
    save_state(store, replace(cur, told=told_after(prev, cur, alerts)))
    checkpoint("org_state_saved")
    return outcomes


def run_alerts(
    store: GraphStore,
    *,
    channels: Sequence[Channel] = (),
    hops: int = 3,
    lists: ListsView | None = None,
    now: Callable[[], str] = utc_now,
    workers: int = 1,
    opener: Opener | None = None,
    min_path_level: str = DEFAULT_MIN_PATH_LEVEL,
) -> RunReport:
    """One alert run over the whole watchlist, then delivery of everything pending.

    With ``workers`` > 1 and an ``opener`` (a picklable callable opening the
    same store), states are computed in that many processes; all writes stay here.
    Ties of two or more hops below ``min_path_level`` (low, medium, high) raise nothing.
    """
    check_path_level(min_path_level)
    t0 = time.perf_counter()
    run_id, started, resumed = _begin(store, now())
    checkpoint("run_started")
    names = [c.name for c in channels]
    entries = watched(store)
    baselined: list[str] = []
    outcomes: dict[str, int] = {}
    errors: list[str] = []
    with states(entries, store=store, hops=hops, lists=lists, workers=workers, opener=opener) as computed:
        for entry, cur in computed:
            try:
                if isinstance(cur, Exception):
                    raise cur
                got = _check(store, entry, cur, run_id, names, now(), min_path_level)
            except Exception as exc:  # one organisation's failure must not silence the others
                log.error("alert check of %s failed: %s: %s", entry.org_id, type(exc).__name__, exc)
                errors.append(f"{entry.org_id}: {type(exc).__name__}: {exc}")
                continue
            if got == ["baselined"]:
                baselined.append(entry.org_id)
            for outcome in got:
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    deliveries = deliver(store, channels, run_id, now)
    raised = tuple(sorted((a for a in iter_alerts(store) if a.raised_run == run_id), key=lambda a: a.alert.sort_key()))
    report = RunReport(
        run_id, started, now(), resumed, len(entries), tuple(baselined), raised, outcomes,
        tuple(deliveries), store.version(), time.perf_counter() - t0, tuple(errors),
    )  # fmt: skip
    store.put_doc(RUNS, run_id, report.as_dict())
    checkpoint("run_recorded")
    store.delete_doc(RUNS, CURRENT)
    return report


@dataclass(frozen=True, slots=True)
class AlertView:
    """An alert with its review and where it was delivered (for ``alerts list`` and the app)."""

    stored: StoredAlert
    review: Review | None
    deliveries: dict[str, str]  # channel -> delivered | dead_letter | pending

    @property
    def reviewed(self) -> bool:
        return self.review is not None and self.review.fingerprint == self.stored.alert.fingerprint


def list_alerts(store: GraphStore, *, include_reviewed: bool = False) -> list[AlertView]:
    """Open alerts (all with ``include_reviewed``), most severe first."""
    done = delivered_on(store)
    views = []
    for a in iter_alerts(store):
        where = {c: done.get(f"{a.key}|{c}", "pending") for c in a.channels}
        view = AlertView(a, get_review(store, a.id), where)
        if include_reviewed or not view.reviewed:
            views.append(view)
    return sorted(views, key=lambda v: v.stored.alert.sort_key())


def review_alert(store: GraphStore, alert_id: str, *, by: str, note: str = "", at: str | None = None) -> Review:
    """Mark an alert reviewed: it is not raised again unless its evidence changes."""
    if not by.strip():
        raise ValueError("say who reviewed the alert (--by NAME)")
    stored = get_alert(store, alert_id.strip())
    if stored is None:
        raise LookupError(f"no alert {alert_id!r}; see `rsgraph alerts list --all`")
    review = Review(stored.id, stored.occurrence, stored.alert.fingerprint, by.strip(), at or utc_now(), note.strip())
    put_review(store, review)
    return review
