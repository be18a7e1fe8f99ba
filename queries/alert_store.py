"""Alert bookkeeping in store documents: states, alerts, reviews, deliveries, digests and runs.

Each document is written whole, in one call, so a crash leaves every
document either old or new. Namespaces and who writes them:

- ``alert_state/<org id>``: the organisation's state at the last run (runs);
- ``alerts/<alert id>``: the alert's current occurrence, with the channels it
  must reach (runs); an alert is *pending* on a channel until
  ``alert_delivery/<alert id>|<occurrence>|<channel>`` says delivered or
  dead-lettered (runs);
- ``alert_reviews/<alert id>``: the analyst's review of one occurrence (the
  ``review`` command, never a run, so the two never overwrite each other);
- ``alert_digests/<digest id>``: a digest being sent, with its payload (runs);
- ``alert_runs/<run id>`` and ``alert_runs/_current``: run history and the run
  in progress, which a restarted run resumes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from graph.store import GraphStore
from queries.alert_facts import OrgState, Record, state_from_doc
from queries.alert_kinds import Alert

__all__ = [
    "ALERTS",
    "DELIVERY",
    "DIGESTS",
    "REVIEWS",
    "RUNS",
    "STATES",
    "Review",
    "StoredAlert",
    "alert_from_doc",
    "delivery_key",
    "get_alert",
    "get_review",
    "iter_alerts",
    "load_state",
    "put_alert",
    "put_review",
    "save_state",
]

STATES = "alert_state"
ALERTS = "alerts"
REVIEWS = "alert_reviews"
DELIVERY = "alert_delivery"
DIGESTS = "alert_digests"
RUNS = "alert_runs"


@dataclass(frozen=True, slots=True)
class StoredAlert:
    """An alert as recorded: its current occurrence, when it was raised and where it must go."""

    alert: Alert
    occurrence: int
    raised_run: str
    raised_at: str
    channels: tuple[str, ...]
    history: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)  # earlier occurrences

    @property
    def id(self) -> str:
        return self.alert.id

    @property
    def key(self) -> str:
        """The occurrence's identity in digests and delivery records."""
        return f"{self.alert.id}#{self.occurrence}"

    def as_doc(self) -> dict[str, Any]:
        return {
            **self.alert.as_dict(),
            "occurrence": self.occurrence,
            "raised_run": self.raised_run,
            "raised_at": self.raised_at,
            "channels": list(self.channels),
            "history": [dict(h) for h in self.history],
        }


def alert_from_doc(d: Mapping[str, Any]) -> StoredAlert:
    alert = Alert(
        id=d["id"],
        kind=d["kind"],
        org_id=d["org_id"],
        org_name=d["org_name"],
        severity=d["severity"],
        title=d["title"],
        evidence_key=d["evidence_key"],
        fingerprint=d["fingerprint"],
        path=tuple(d.get("path") or ()),
        records=tuple(Record(**r) for r in d.get("records") or ()),
        details=dict(d.get("details") or {}),
    )
    history = tuple(dict(h) for h in d.get("history") or ())
    return StoredAlert(alert, int(d["occurrence"]), d["raised_run"], d["raised_at"], tuple(d["channels"]), history)


@dataclass(frozen=True, slots=True)
class Review:
    alert_id: str
    occurrence: int
    fingerprint: str
    by: str
    at: str
    note: str


def load_state(store: GraphStore, org_id: str) -> OrgState | None:
    doc = store.get_doc(STATES, org_id)
    return None if doc is None else state_from_doc(doc)


def save_state(store: GraphStore, state: OrgState) -> None:
    store.put_doc(STATES, state.org_id, state.as_doc())


def get_alert(store: GraphStore, alert_id: str) -> StoredAlert | None:
    doc = store.get_doc(ALERTS, alert_id)
    return None if doc is None else alert_from_doc(doc)


def put_alert(store: GraphStore, alert: StoredAlert) -> None:
    store.put_doc(ALERTS, alert.id, alert.as_doc())


def iter_alerts(store: GraphStore) -> Iterator[StoredAlert]:
    for _key, doc in store.iter_docs(ALERTS):
        yield alert_from_doc(doc)


def get_review(store: GraphStore, alert_id: str) -> Review | None:
    doc = store.get_doc(REVIEWS, alert_id)
    return None if doc is None else Review(**doc)


def put_review(store: GraphStore, review: Review) -> None:
    store.put_doc(REVIEWS, review.alert_id, asdict(review))


def delivery_key(alert: StoredAlert, channel: str) -> str:
    return f"{alert.key}|{channel}"
