"""Send pending alerts, one digest per channel, recording each step so a crash never loses or repeats one.

For each channel, in order:

1. a digest left *sending* by a killed run is finished first: if every alert in
   it is already recorded as delivered, it is only closed; otherwise it is
   re-sent exactly as it was (same id, same bytes, same file offset);
2. the alerts still pending on the channel become one new digest, recorded
   (with its payload and the channel's ``prepare`` state) *before* it is sent;
3. after the channel accepts it (or dead-letters it), each alert is recorded
   as delivered on the channel, then the digest is closed.

The one window no bookkeeping can close is between a receiver accepting a
digest and this process recording it: a re-send then carries the same
digest id (Message-ID, ``X-Rsgraph-Delivery``), and the file channel cuts
back to the recorded offset, so the JSON-lines file holds each alert once.
A failed channel (e.g. SMTP down) leaves its alerts pending for the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.store import GraphStore
from queries.alert_digest import Digest, digest_id
from queries.alert_hooks import checkpoint
from queries.alert_store import DELIVERY, DIGESTS, StoredAlert, alert_from_doc, delivery_key, iter_alerts
from queries.delivery import Channel, Outcome

__all__ = ["Delivery", "deliver", "delivered_on", "pending"]

log = logging.getLogger(__name__)

FINAL = ("delivered", "dead_letter")


@dataclass(frozen=True, slots=True)
class Delivery:
    channel: str
    digest: str
    status: str  # delivered | dead_letter | failed | closed (finished before a crash)
    alerts: int
    detail: str


def _delivered(store: GraphStore) -> dict[str, str]:
    """Delivery key -> digest id, for every alert occurrence already handled on a channel."""
    return {key: str(doc.get("digest", "")) for key, doc in store.iter_docs(DELIVERY)}


def delivered_on(store: GraphStore) -> dict[str, str]:
    """Delivery key -> delivered | dead_letter."""
    return {key: str(doc.get("status", "")) for key, doc in store.iter_docs(DELIVERY)}


def pending(alerts: Sequence[StoredAlert], channel: str, done: Mapping[str, str]) -> list[StoredAlert]:
    return [a for a in alerts if channel in a.channels and delivery_key(a, channel) not in done]


def _digest_from_doc(doc: Mapping[str, Any]) -> Digest:
    alerts = tuple(alert_from_doc(a) for a in doc["alerts"])
    return Digest(doc["id"], doc["channel"], doc["run_id"], doc["created_at"], alerts)


def _close(store: GraphStore, digest: Digest, doc: Mapping[str, Any], outcome: Outcome) -> None:
    closed = {k: v for k, v in doc.items() if k != "alerts"}
    closed.update(status=outcome.status, detail=outcome.detail, attempts=outcome.attempts)
    closed["alert_keys"] = [a.key for a in digest.alerts]
    store.put_doc(DIGESTS, digest.id, closed)


def _send(store: GraphStore, channel: Channel, digest: Digest, doc: Mapping[str, Any], now: str) -> Delivery:
    outcome = channel.send(digest, doc.get("prepared") or {})
    checkpoint("digest_sent")
    if outcome.status in FINAL:
        for a in digest.alerts:
            mark = {"status": outcome.status, "digest": digest.id, "at": now, "detail": outcome.detail}
            store.put_doc(DELIVERY, delivery_key(a, channel.name), mark)
            checkpoint("alert_marked")
    _close(store, digest, doc, outcome)
    checkpoint("digest_done")
    return Delivery(channel.name, digest.id, outcome.status, len(digest.alerts), outcome.detail)


def _finish_in_flight(store: GraphStore, channel: Channel, done: Mapping[str, str], now: str) -> list[Delivery]:
    out = []
    for _key, doc in store.iter_docs(DIGESTS):
        if doc.get("channel") != channel.name or doc.get("status") != "sending":
            continue
        digest = _digest_from_doc(doc)
        if all(done.get(delivery_key(a, channel.name)) == digest.id for a in digest.alerts):
            _close(store, digest, doc, Outcome("delivered", "recorded before a restart"))
            out.append(Delivery(channel.name, digest.id, "closed", len(digest.alerts), "recorded before a restart"))
            continue
        log.warning("re-sending digest %s on %s, left in flight by an interrupted run", digest.id, channel.name)
        out.append(_send(store, channel, digest, doc, now))
    return out


def _send_new(store: GraphStore, channel: Channel, alerts: list[StoredAlert], run_id: str, now: str) -> Delivery:
    ordered = tuple(sorted(alerts, key=lambda a: a.alert.sort_key()))
    digest = Digest(digest_id(channel.name, ordered), channel.name, run_id, now, ordered)
    doc = {
        "id": digest.id,
        "channel": channel.name,
        "run_id": run_id,
        "created_at": now,
        "status": "sending",
        "prepared": channel.prepare(),
        "alerts": [a.as_doc() for a in ordered],
    }
    store.put_doc(DIGESTS, digest.id, doc)
    checkpoint("digest_prepared")
    return _send(store, channel, digest, doc, now)


def deliver(store: GraphStore, channels: Sequence[Channel], run_id: str, now: Callable[[], str]) -> list[Delivery]:
    """Deliver every pending alert on every channel; what was sent where."""
    out: list[Delivery] = []
    for channel in channels:
        out += _finish_in_flight(store, channel, _delivered(store), now())
        waiting = pending(list(iter_alerts(store)), channel.name, _delivered(store))
        if waiting:
            out.append(_send_new(store, channel, waiting, run_id, now()))
    return out
