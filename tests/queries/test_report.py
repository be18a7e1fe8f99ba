"""The report: same content in Markdown, HTML and JSON; self-contained HTML; nothing invented."""

from __future__ import annotations

import json
import re

import pytest

from graph.store import GraphStore
from ingest.lists_config import load_lists_config
from queries.render import render, render_html, render_json, render_markdown
from queries.report import CheckQuery, DueDiligenceReport, due_diligence
from tests.queries.world import ALPHA, load_world


@pytest.fixture
def report(store: GraphStore) -> DueDiligenceReport:
    load_world(store)
    return due_diligence(store, CheckQuery("Alpha University", ALPHA), lists=load_lists_config())


def _facts(r: DueDiligenceReport) -> set[str]:
    ids = {x for s in r.signals.all() for x in s.facts}
    ids |= {rec.id for rec in r.identity.records}
    ids |= {d.entry.designation_id for d in (*r.designations.active, *r.designations.history)}
    ids |= {t.target for t in r.ties.ties}
    ids |= {e.edge_id for t in r.ties.ties for s in t.steps for e in s.evidence}
    ids |= {p.id for p in r.profile.projects}
    ids |= {a.id for a in r.limits.look_alikes}
    return ids


def _exists(store: GraphStore, fact: str) -> bool:
    if "|" not in fact:
        return store.get_node(fact) is not None
    _kind, src, _dst, _key = fact.split("|")
    return any(e.id == fact for e in store.edges_of(src))


def test_every_fact_in_the_report_is_stored(store: GraphStore, report: DueDiligenceReport) -> None:
    facts = _facts(report)
    assert len(facts) >= 25
    assert all(_exists(store, f) for f in facts), [f for f in facts if not _exists(store, f)]


def test_markdown_html_and_json_carry_the_same_facts(report: DueDiligenceReport) -> None:
    md, html, doc = render_markdown(report), render_html(report), render_json(report)
    for fact in _facts(report):
        assert fact in md.replace("\\", ""), fact
        assert fact in html, fact
        assert fact in doc, fact
    for s in report.signals.all():
        assert s.level.value in md and s.level.value in html
    assert json.loads(doc)["signals"]["legal_restriction"]["level"] == "none"


def test_report_sections_and_signals_are_kept_apart(report: DueDiligenceReport) -> None:
    md = render_markdown(report)
    for heading in (
        "## Signals",
        "## Identity",
        "## Direct designations",
        "## Indirect ties",
        "## Collaboration profile",
        "## Limits",
    ):
        assert heading in md
    assert [s.name for s in report.signals.all()] == ["legal_restriction", "advisory_listing", "network_proximity"]
    assert "阿尔法大学" in md and "阿尔法大学" in render_html(report)


def test_html_is_self_contained(report: DueDiligenceReport) -> None:
    html = render_html(report)
    assert "<svg" in html and "<style>" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"<script|<link|@import|url\(", html, re.I)


def test_json_is_the_whole_report(report: DueDiligenceReport) -> None:
    doc = json.loads(render_json(report))
    assert set(doc) == {
        "rsgraph_version",
        "store_version",
        "query",
        "identity",
        "designations",
        "ties",
        "profile",
        "signals",
        "limits",
    }
    assert [t["target"] for t in doc["ties"]["ties"]] == [t.target for t in report.ties.ties]
    assert doc["query"]["org_id"] == ALPHA


def test_unknown_format_is_an_error(report: DueDiligenceReport) -> None:
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render(report, "pdf")
