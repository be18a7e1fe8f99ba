"""One digest per run and channel: alerts grouped per watched organisation, most severe first.

Pure functions: the same alerts give the same digest id, subject, text, HTML
and JSON payload, so a digest re-sent after a crash is byte-identical and a
receiver can drop the duplicate by its id.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from queries.alert_kinds import Severity
from queries.alert_store import StoredAlert

__all__ = ["Digest", "Group", "digest_id", "groups", "payload", "render_html", "render_text", "subject"]


@dataclass(frozen=True, slots=True)
class Digest:
    id: str
    channel: str
    run_id: str
    created_at: str
    alerts: tuple[StoredAlert, ...]


@dataclass(frozen=True, slots=True)
class Group:
    org_id: str
    org_name: str
    alerts: tuple[StoredAlert, ...]

    @property
    def worst(self) -> str:
        return self.alerts[0].alert.severity


def digest_id(channel: str, alerts: Iterable[StoredAlert]) -> str:
    text = channel + "\n" + "\n".join(sorted(a.key for a in alerts))
    return "D" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def groups(alerts: Sequence[StoredAlert]) -> list[Group]:
    """Alerts per organisation; organisations by their most severe alert, then name."""
    by_org: dict[str, list[StoredAlert]] = {}
    for a in alerts:
        by_org.setdefault(a.alert.org_id, []).append(a)
    out = [
        Group(org, items[0].alert.org_name, tuple(sorted(items, key=lambda a: a.alert.sort_key())))
        for org, items in by_org.items()
    ]
    return sorted(out, key=lambda g: (Severity(g.worst).rank, g.org_name, g.org_id))


def _counts(alerts: Sequence[StoredAlert]) -> str:
    counts = {s: sum(1 for a in alerts if a.alert.severity == s.value) for s in Severity}
    return ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)


def subject(d: Digest) -> str:
    orgs = len({a.alert.org_id for a in d.alerts})
    return f"rsgraph: {len(d.alerts)} alert(s) on {orgs} watched organisation(s) ({_counts(d.alerts)})"


def _versions(a: StoredAlert) -> str:
    return "; ".join(f"{src} {', '.join(v)}" for src, v in a.alert.dataset_versions.items())


def render_text(d: Digest) -> str:
    lines = [subject(d), f"run {d.run_id}, digest {d.id}", ""]
    for g in groups(d.alerts):
        lines.append(f"== {g.org_name} ({g.org_id})")
        for a in g.alerts:
            al = a.alert
            lines.append(f"  [{al.severity.upper()}] {al.title}")
            lines.extend(f"      {i}. {step}" for i, step in enumerate(al.path, 1))
            lines.append(f"      records: {', '.join(r.id for r in al.records)}")
            lines.append(f"      data: {_versions(a)}")
            lines.append(f"      alert {al.id} (review: rsgraph alerts review {al.id} --by NAME)")
        lines.append("")
    lines.append("Signals are prompts for review, not findings about an organisation.")
    return "\n".join(lines) + "\n"


def _html_alert(a: StoredAlert) -> str:
    al = a.alert
    e = html.escape
    steps = "".join(f"<li>{e(s)}</li>" for s in al.path)
    records = ", ".join(f"<code>{e(r.id)}</code>" for r in al.records)
    return (
        f'<li class="{e(al.severity)}"><strong>[{e(al.severity.upper())}]</strong> {e(al.title)}'
        + (f"<ol>{steps}</ol>" if steps else "")
        + f"<div>records: {records}</div><div>data: {e(_versions(a))}</div>"
        + f"<div>alert <code>{e(al.id)}</code></div></li>"
    )


def render_html(d: Digest) -> str:
    e = html.escape
    body = [f"<h1>{e(subject(d))}</h1>", f"<p>run {e(d.run_id)}, digest {e(d.id)}</p>"]
    for g in groups(d.alerts):
        body.append(f'<h2 data-org="{e(g.org_id)}">{e(g.org_name)} <small>{e(g.org_id)}</small></h2>')
        body.append("<ul>" + "".join(_html_alert(a) for a in g.alerts) + "</ul>")
    body.append("<p>Signals are prompts for review, not findings about an organisation.</p>")
    style = "body{font-family:sans-serif}li.critical,li.high{color:#8b0000}code{font-size:90%}"
    head = f'<head><meta charset="utf-8"><style>{style}</style></head>'
    return f"<!doctype html><html>{head}<body>{''.join(body)}</body></html>"


def alert_payload(a: StoredAlert) -> dict[str, Any]:
    return {**a.alert.as_dict(), "occurrence": a.occurrence, "raised_run": a.raised_run, "raised_at": a.raised_at}


def payload(d: Digest) -> dict[str, Any]:
    """The digest as JSON: organisations in order, each with its ranked alerts and their evidence."""
    return {
        "digest": d.id,
        "run": d.run_id,
        "created_at": d.created_at,
        "subject": subject(d),
        "organisations": [
            {"org_id": g.org_id, "org_name": g.org_name, "alerts": [alert_payload(a) for a in g.alerts]}
            for g in groups(d.alerts)
        ],
    }
