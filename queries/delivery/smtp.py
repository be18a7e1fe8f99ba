"""The e-mail channel: one digest per recipient, plain text and HTML, over SMTP.

STARTTLS (certificate checked) and login when configured. The Message-ID is
derived from the digest id, so a digest re-sent after a crash carries the
same Message-ID and a mail client shows it once. The password is never
logged, and error messages are built from the exception type and the
server's reply only.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from graph.settings import Settings
from queries.alert_digest import Digest, render_html, render_text, subject
from queries.delivery import Outcome

__all__ = ["EmailChannel", "SmtpConfig", "message"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = True
    sender: str = "rsgraph@localhost"
    timeout: float = 60.0
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False)  # None: the system's trusted CAs

    @classmethod
    def from_settings(cls, s: Settings) -> SmtpConfig:
        return cls(
            s.alerts_smtp_host,
            s.alerts_smtp_port,
            s.alerts_smtp_user,
            s.alerts_smtp_password,
            s.alerts_smtp_starttls,
            s.alerts_email_from,
            s.http_timeout,
        )


def _date(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso.replace("Z", "+00:00")))


def message(digest: Digest, sender: str, recipient: str) -> EmailMessage:
    """The digest as a multipart/alternative e-mail (plain text first, then HTML)."""
    msg = EmailMessage()
    msg["Subject"] = subject(digest)
    msg["From"] = sender
    msg["To"] = recipient
    msg["Date"] = _date(digest.created_at)
    msg["Message-ID"] = f"<{digest.id}@rsgraph>"
    msg["X-Rsgraph-Delivery"] = digest.id
    msg.set_content(render_text(digest))
    msg.add_alternative(render_html(digest), subtype="html")
    return msg


class EmailChannel:
    def __init__(self, config: SmtpConfig, recipient: str) -> None:
        self.config = config
        self.recipient = recipient

    @property
    def name(self) -> str:
        return f"email:{self.recipient}"

    def prepare(self) -> dict[str, Any]:
        return {}

    def send(self, digest: Digest, prepared: Mapping[str, Any]) -> Outcome:
        c = self.config
        msg = message(digest, c.sender, self.recipient)
        try:
            with smtplib.SMTP(c.host, c.port, timeout=c.timeout) as smtp:
                smtp.ehlo()
                if c.starttls:
                    smtp.starttls(context=c.ssl_context or ssl.create_default_context())
                    smtp.ehlo()
                if c.user:
                    smtp.login(c.user, c.password)
                smtp.send_message(msg)
        except (smtplib.SMTPException, OSError) as exc:
            detail = f"{c.host}:{c.port}: {type(exc).__name__}: {exc}"
            log.warning("e-mail digest %s to %s failed: %s", digest.id, self.recipient, detail)
            return Outcome("failed", detail)
        log.info("e-mail digest %s sent to %s", digest.id, self.recipient)
        return Outcome("delivered", f"to {self.recipient} via {c.host}:{c.port}")
