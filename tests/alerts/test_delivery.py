"""Digests reach a real SMTP server (STARTTLS + AUTH) and a real webhook receiver (HMAC, downtime)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.model import Edge, EdgeKind, Node, NodeKind
from graph.store import GraphStore
from queries.alert_dispatch import delivered_on
from queries.alerts import RunReport, run_alerts
from queries.delivery import Channel
from queries.delivery.smtp import EmailChannel, SmtpConfig
from queries.delivery.webhook import WebhookChannel
from queries.watchlist import watch
from tests.alerts.receivers import SmtpReceiver, WebhookReceiver
from tests.queries.world import ALPHA, GOLF, designated_on, listed, load_world, prov, same_as

SECRET = "whsec-test-1234"
PASSWORD = "smtp-pass-5678"


@pytest.fixture
def changed(tmp_path: Path) -> Iterator[GraphStore]:
    """Two watched organisations with a baseline, then: a co-author of Alpha designated, Golf on a second list."""
    store = EmbeddedStore(tmp_path / "store.db")
    load_world(store)
    watch(store, ALPHA, by="ana")
    watch(store, GOLF, by="ana")
    run_alerts(store)
    store.upsert_nodes(listed("us_bis_entity_list", "8", "Kilo University", "FR", "legal_restriction"))
    store.upsert_edges(
        [same_as("list:us_bis_entity_list:8", "openalex:I200"), designated_on("us_bis_entity_list", "8")]
    )
    golf_sdn = Node(
        "designation:us_ofac_sdn:71",
        NodeKind.DESIGNATION,
        "Golf Polytechnic on us_ofac_sdn",
        prov("us_ofac_sdn", "71", "2026-11-02"),
        {
            "list": "us_ofac_sdn",
            "list_name": "OFAC SDN",
            "legal_effect": "legal_restriction",
            "status": "active",
            "listed_on": "2026-11-02",
        },
    )
    store.upsert_nodes([golf_sdn])
    store.upsert_edges(
        [
            Edge(
                EdgeKind.DESIGNATED_ON,
                "list:us_bis_entity_list:70",
                golf_sdn.id,
                prov("us_ofac_sdn", "71"),
                start="2026-11-02",
            )
        ]
    )
    yield store
    store.close()


def _run(store: GraphStore, *channels: Channel) -> RunReport:
    return run_alerts(store, channels=list(channels), hops=3)


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[SmtpReceiver]:
    server = SmtpReceiver(tmp_path, "alerts-bot", PASSWORD).start()
    yield server
    server.stop()


def _email(smtp: SmtpReceiver, to: str, password: str = PASSWORD) -> EmailChannel:
    config = SmtpConfig(
        "127.0.0.1", smtp.port, "alerts-bot", password, True, "rsgraph@example.org", 10.0, smtp.client_tls
    )
    return EmailChannel(config, to)


def test_one_email_digest_per_recipient_plain_and_html_grouped_per_organisation(
    changed: GraphStore, smtp: SmtpReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    report = _run(changed, _email(smtp, "ana@example.org"), _email(smtp, "ben@example.org"))
    assert [d.status for d in report.deliveries] == ["delivered", "delivered"]
    assert sorted(to for _frm, (to,) in smtp.handler.envelopes) == ["ana@example.org", "ben@example.org"]
    assert smtp.logins == ["PLAIN:ok", "PLAIN:ok"]
    msg = smtp.messages[0]
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert msg["Message-ID"] == f"<{report.deliveries[0].digest}@rsgraph>"
    assert msg["Subject"].startswith("rsgraph: 2 alert(s) on 2 watched organisation(s) (1 critical, 1 high)")
    # grouped per organisation, the most severe first
    assert text.index(f"== Golf Polytechnic ({GOLF})") < text.index(f"== Alpha University ({ALPHA})")
    assert "[CRITICAL] Golf Polytechnic newly on OFAC SDN (legal restriction) since 2026-11-02" in text
    assert "Alpha University co-authored 18 work(s) with Kilo University (2024–2025)" in text
    assert html.index(f'data-org="{GOLF}"') < html.index(f'data-org="{ALPHA}"')
    assert '<li class="critical">' in html
    assert PASSWORD not in caplog.text
    assert _run(changed, _email(smtp, "ana@example.org")).deliveries == ()  # nothing new, nothing sent


def test_a_refused_login_keeps_the_alerts_pending_until_a_later_run_delivers_them(
    changed: GraphStore, smtp: SmtpReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    failed = _run(changed, _email(smtp, "ana@example.org", password="wrong-password"))
    assert [d.status for d in failed.deliveries] == ["failed"] and smtp.messages == []
    assert "SMTPAuthenticationError" in failed.deliveries[0].detail and "wrong-password" not in caplog.text
    later = _run(changed, _email(smtp, "ana@example.org"))
    assert [(d.status, d.alerts) for d in later.deliveries] == [("delivered", 2)] and len(smtp.messages) == 1


def _hook(receiver: WebhookReceiver, dead: Path, sleeps: list[float], retries: int = 3) -> WebhookChannel:
    return WebhookChannel(receiver.url(), SECRET, dead_letter=dead, retries=retries, backoff=0.01, sleep=sleeps.append)


def test_webhook_is_signed_and_retried_with_backoff_until_the_receiver_is_up(
    changed: GraphStore, tmp_path: Path
) -> None:
    receiver = WebhookReceiver(SECRET, script=[503, 503]).start()
    sleeps: list[float] = []
    try:
        report = _run(changed, _hook(receiver, tmp_path / "dead.jsonl", sleeps))
    finally:
        receiver.stop()
    assert [(d.status, d.alerts) for d in report.deliveries] == [("delivered", 2)]
    assert [s.status for s in receiver.seen] == [503, 503, 200] and all(s.signature_ok for s in receiver.seen)
    assert {s.headers["X-Rsgraph-Delivery"] for s in receiver.seen} == {report.deliveries[0].digest}
    assert sleeps == [0.01, 0.02]
    body = receiver.accepted()[0].json
    assert [o["org_id"] for o in body["organisations"]] == [GOLF, ALPHA]
    alert = body["organisations"][1]["alerts"][0]
    assert alert["kind"] == "new_path" and alert["details"]["target"] == "list:us_bis_entity_list:8"
    assert alert["dataset_versions"]["us_bis_entity_list"] == ["2026-10-30"]
    assert not (tmp_path / "dead.jsonl").exists()


def test_a_receiver_that_stays_down_gets_a_dead_letter_once(changed: GraphStore, tmp_path: Path) -> None:
    receiver = WebhookReceiver(SECRET, then=503).start()
    dead = tmp_path / "dead.jsonl"
    try:
        report = _run(changed, _hook(receiver, dead, [], retries=2))
        again = _run(changed, _hook(receiver, dead, [], retries=2))
    finally:
        receiver.stop()
    assert [(d.status, d.alerts) for d in report.deliveries] == [("dead_letter", 2)]
    assert len(receiver.seen) == 3 and again.deliveries == ()
    lines = [json.loads(x) for x in dead.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 1 and lines[0]["digest"] == report.deliveries[0].digest and lines[0]["error"] == "HTTP 503"
    assert len([a for o in lines[0]["payload"]["organisations"] for a in o["alerts"]]) == 2
    assert SECRET not in dead.read_text(encoding="utf-8")
    assert set(delivered_on(changed).values()) == {"dead_letter"}


def test_a_wrong_signature_is_refused_and_not_retried(changed: GraphStore, tmp_path: Path) -> None:
    receiver = WebhookReceiver("another-secret").start()
    try:
        report = _run(changed, _hook(receiver, tmp_path / "dead.jsonl", []))
    finally:
        receiver.stop()
    assert [s.status for s in receiver.seen] == [401] and report.deliveries[0].status == "dead_letter"
