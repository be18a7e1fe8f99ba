"""The webhook channel: the digest as a signed JSON POST, retried with backoff, dead-lettered.

The body is the digest's JSON payload (sorted keys, UTF-8). Headers:
``X-Rsgraph-Signature: sha256=<hex HMAC-SHA256 of the body keyed by the
secret>`` and ``X-Rsgraph-Delivery: <digest id>`` (the same on every retry and
re-send, for de-duplication). Connection errors, timeouts, 408, 429 and 5xx
are retried ``retries`` times, waiting ``backoff`` seconds and doubling;
other 4xx are final. A digest the receiver never accepted is appended once
to the dead-letter JSON-lines file with the error, and counts as handled.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from graph.settings import Settings
from queries.alert_digest import Digest, payload
from queries.delivery import Outcome, dead_letter_path
from queries.delivery.jsonl import append_lines

__all__ = ["SIGNATURE_HEADER", "WebhookChannel", "body_of", "shown", "signature"]

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Rsgraph-Signature"
DELIVERY_HEADER = "X-Rsgraph-Delivery"
_RETRY_STATUS = frozenset({408, 429}) | frozenset(range(500, 600))


def body_of(digest: Digest) -> bytes:
    return json.dumps(payload(digest), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def shown(url: str) -> str:
    """The URL without credentials or query string (which may carry a token)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class WebhookChannel:
    def __init__(
        self,
        url: str,
        secret: str,
        *,
        dead_letter: Path,
        retries: int = 5,
        backoff: float = 2.0,
        timeout: float = 60.0,
        user_agent: str = "rsgraph",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url, self._secret = url, secret
        self.dead_letter, self.retries, self.backoff = dead_letter, retries, backoff
        self.timeout, self.user_agent, self.sleep = timeout, user_agent, sleep

    @classmethod
    def from_settings(cls, s: Settings) -> WebhookChannel:
        return cls(
            s.alerts_webhook_url,
            s.alerts_webhook_secret,
            dead_letter=dead_letter_path(s),
            retries=s.alerts_webhook_retries,
            backoff=s.alerts_webhook_backoff,
            timeout=s.http_timeout,
            user_agent=s.http_user_agent,
        )

    def __repr__(self) -> str:
        return f"WebhookChannel({shown(self.url)!r})"

    @property
    def name(self) -> str:
        return "webhook"

    def prepare(self) -> dict[str, Any]:
        return {}

    def _headers(self, digest: Digest, body: bytes) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "User-Agent": self.user_agent, DELIVERY_HEADER: digest.id}
        if self._secret:
            headers[SIGNATURE_HEADER] = signature(self._secret, body)
        return headers

    def _post(self, body: bytes, headers: Mapping[str, str]) -> tuple[bool, bool, str]:
        """(accepted, worth retrying, what happened)."""
        try:
            r = requests.post(self.url, data=body, headers=dict(headers), timeout=self.timeout)
        except requests.RequestException as exc:
            return False, True, f"{type(exc).__name__}"
        if 200 <= r.status_code < 300:
            return True, False, f"HTTP {r.status_code}"
        return False, r.status_code in _RETRY_STATUS, f"HTTP {r.status_code}"

    def send(self, digest: Digest, prepared: Mapping[str, Any]) -> Outcome:
        body = body_of(digest)
        headers = self._headers(digest, body)
        what = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            accepted, retry, what = self._post(body, headers)
            if accepted:
                return Outcome("delivered", f"{shown(self.url)}: {what}", attempt + 1)
            log.warning("webhook %s attempt %d for digest %s: %s", shown(self.url), attempt + 1, digest.id, what)
            if not retry:
                break
        self._dead_letter(digest, what, attempt + 1)
        return Outcome(
            "dead_letter",
            f"{shown(self.url)}: {what} after {attempt + 1} attempt(s); see {self.dead_letter}",
            attempt + 1,
        )

    def _dead_letter(self, digest: Digest, error: str, attempts: int) -> None:
        if self._dead_lettered(digest.id):
            return  # written before a crash: once is enough
        line = {
            "digest": digest.id,
            "channel": self.name,
            "url": shown(self.url),
            "error": error,
            "attempts": attempts,
            "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "payload": payload(digest),
        }
        append_lines(self.dead_letter, [line])

    def _dead_lettered(self, digest_id: str) -> bool:
        if not self.dead_letter.exists():
            return False
        with self.dead_letter.open(encoding="utf-8") as fh:
            return any(line.strip() and json.loads(line).get("digest") == digest_id for line in fh)
