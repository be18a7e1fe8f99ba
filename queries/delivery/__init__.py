"""Delivery channels for alert digests: e-mail (SMTP), webhook (signed JSON POST), JSON-lines file.

Each channel sends one :class:`queries.alert_digest.Digest` and says how it
went. ``prepare`` returns what must be recorded *before* sending so that a
re-send after a crash is the same delivery (the file channel's offset); the
digest id travels with every delivery (Message-ID, ``X-Rsgraph-Delivery``,
``digest`` field) so a receiver can drop a duplicate. Channels do I/O and
nothing else: which alerts to send, and recording that they went, is
:mod:`queries.alerts`' job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from graph.settings import Settings
from queries.alert_digest import Digest

__all__ = ["Channel", "Outcome", "channels_from_settings", "dead_letter_path"]


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # delivered | dead_letter | failed
    detail: str = ""
    attempts: int = 1


class Channel(Protocol):
    @property
    def name(self) -> str: ...

    def prepare(self) -> dict[str, Any]: ...

    def send(self, digest: Digest, prepared: Mapping[str, Any]) -> Outcome: ...


def dead_letter_path(settings: Settings) -> Path:
    return Path(settings.alerts_dead_letter or Path(settings.state_dir) / "alerts-dead-letter.jsonl")


def channels_from_settings(settings: Settings) -> list[Channel]:
    """The channels the settings configure, in a fixed order: file, e-mail per recipient, webhook."""
    from queries.delivery.jsonl import FileChannel
    from queries.delivery.smtp import EmailChannel, SmtpConfig
    from queries.delivery.webhook import WebhookChannel

    out: list[Channel] = []
    if settings.alerts_file:
        out.append(FileChannel(Path(settings.alerts_file)))
    recipients = [r.strip() for r in settings.alerts_email_to.split(",") if r.strip()]
    if settings.alerts_smtp_host and recipients:
        config = SmtpConfig.from_settings(settings)
        out.extend(EmailChannel(config, r) for r in recipients)
    if settings.alerts_webhook_url:
        out.append(WebhookChannel.from_settings(settings))
    return out
