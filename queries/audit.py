"""An audit trail of analysts' writes made through the app: who did what to which record, when.

Entries live in the store's documents (namespace ``audit``), one per write,
keyed by time and a random suffix so that two writes in the same instant
never overwrite each other. Judgements and watchlist entries keep their own
author too; this log ties every write to the signed-in identity that made it.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from graph.store import GraphStore

__all__ = ["NAMESPACE", "AuditEntry", "audit_log", "record_action"]

NAMESPACE = "audit"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: str  # ISO 8601 UTC
    user: str  # the identity that made the write (e-mail from the login, or the local user)
    action: str  # e.g. "watch", "unwatch", "judge:same", "review_alert"
    target: str  # the record or pair written
    detail: str  # the reason or note given


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_action(
    store: GraphStore, *, user: str, action: str, target: str, detail: str = "", at: str | None = None
) -> AuditEntry:
    """Append one entry to the audit trail."""
    if not user.strip():
        raise ValueError("an audited write needs the user's identity")
    if not action.strip():
        raise ValueError("an audited write needs an action")
    entry = AuditEntry(at or _now(), user.strip(), action.strip(), target, detail)
    store.put_doc(NAMESPACE, f"{entry.at}|{secrets.token_hex(4)}", asdict(entry))
    return entry


def audit_log(store: GraphStore, *, limit: int | None = 200) -> list[AuditEntry]:
    """The most recent entries first."""
    entries = sorted((AuditEntry(**doc) for _key, doc in store.iter_docs(NAMESPACE)), key=lambda e: e.at, reverse=True)
    return entries if limit is None else entries[:limit]
