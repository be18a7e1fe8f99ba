"""List version N, then N+1 in which a watched partner's parent is listed and a co-author designated.

Runs on both stores. Real list format (curated §1286 CSV) through the real
ingest and linker; alerts delivered to a real JSON-lines file.
"""

from __future__ import annotations

import json
from pathlib import Path

from graph.store import GraphStore
from queries.alerts import RunReport, list_alerts, review_alert, run_alerts
from queries.delivery.jsonl import FileChannel
from queries.watchlist import watch
from tests.alerts.world import (
    COAUTHOR_ENTITY,
    COLLAB_2025,
    KILOVIA,
    LIST,
    PARENT,
    PARENT_ENTITY,
    PARTNER,
    QUEBECIA,
    QUIET,
    ZULU,
    ingest_version,
    load_base,
)


def _run(store: GraphStore, out: Path) -> RunReport:
    return run_alerts(store, channels=[FileChannel(out)], hops=3)


def _kinds(report: RunReport) -> list[tuple[str, str, str]]:
    return sorted((a.alert.kind, a.alert.org_id, a.alert.evidence_key) for a in report.raised)


def test_new_parent_listing_and_designated_coauthor_give_exactly_two_alerts(store: GraphStore, tmp_path: Path) -> None:
    out = tmp_path / "alerts.jsonl"
    load_base(store)
    watch(store, PARTNER, by="ana", why="planned remote-sensing project")
    watch(store, "Ostrava Technical College", by="ana", why="Erasmus partner")
    ingest_version(store, tmp_path, "2024", [ZULU])
    first = _run(store, out)
    assert sorted(first.baselined) == sorted([PARTNER, QUIET]) and first.raised == ()

    ingest_version(store, tmp_path, "2025", [ZULU, QUEBECIA, KILOVIA])
    second = _run(store, out)
    assert _kinds(second) == [
        ("new_path", PARTNER, COAUTHOR_ENTITY),
        ("newly_designated", PARTNER, f"designation:{LIST}:quebecia-polytechnic-institute|{PARENT}"),
    ]
    by_kind = {a.alert.kind: a.alert for a in second.raised}
    parent = by_kind["newly_designated"]
    assert parent.severity == "medium"  # advisory list, on the parent
    assert parent.details["relation"] == "parent" and parent.details["entity_id"] == PARENT_ENTITY
    assert parent.details["legal_effect"] == "advisory" and parent.details["listed_on"] == "2025"
    assert parent.records[0].id == f"designation:{LIST}:quebecia-polytechnic-institute"
    assert f"SAME_AS|{PARENT_ENTITY}|{PARENT}|" in [r.id for r in parent.records]
    assert parent.dataset_versions == {"opensanctions_csv": ["2025"], "resolve": ["resolve-1"]}
    path = by_kind["new_path"]
    assert path.details["hops"] == 1 and path.details["level"] == "high"
    assert COLLAB_2025 in [r.id for r in path.records]
    assert path.details["works_by_year"] == {"2025": 7}
    assert path.path[0] == "Portela University co-authored 7 work(s) with Kilovia Institute of Technology (2025)"
    assert path.dataset_versions == {
        "openalex": ["2026-10-01"],
        "opensanctions_csv": ["2025"],
        "resolve": ["resolve-1"],
    }
    delivered = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(d["id"] for d in delivered) == sorted(a.id for a in second.raised)
    assert [(d["kind"], d["severity"]) for d in delivered] == [("new_path", "high"), ("newly_designated", "medium")]
    assert len({d["digest"] for d in delivered}) == 1

    third = _run(store, out)
    assert third.raised == () and third.deliveries == ()


def test_reviewed_alerts_come_back_only_when_their_evidence_changes(store: GraphStore, tmp_path: Path) -> None:
    out = tmp_path / "alerts.jsonl"
    load_base(store)
    watch(store, PARTNER, by="ana")
    ingest_version(store, tmp_path, "2024", [ZULU])
    _run(store, out)
    ingest_version(store, tmp_path, "2025", [ZULU, QUEBECIA, KILOVIA])
    raised = _run(store, out).raised
    for a in raised:
        review_alert(store, a.id, by="ben", note="known; partnership reviewed by the committee")
    assert list_alerts(store) == [] and len(list_alerts(store, include_reviewed=True)) == 2

    ingest_version(store, tmp_path, "2026a", [ZULU])  # both delisted
    gone = _run(store, out)
    assert [(a.alert.kind, a.alert.severity) for a in gone.raised] == [("designation_removed", "info")]

    ingest_version(store, tmp_path, "2026b", [ZULU, QUEBECIA, KILOVIA])  # back, same evidence
    again = _run(store, out)
    assert again.raised == () and again.outcomes == {"reviewed": 2}

    ingest_version(store, tmp_path, "2026c", [ZULU])
    _run(store, out)
    changed = QUEBECIA.replace(",2025,", ",2026,")  # relisted in a later edition: new evidence
    ingest_version(store, tmp_path, "2026d", [ZULU, changed, KILOVIA])
    back = _run(store, out)
    assert [(a.alert.kind, a.occurrence) for a in back.raised] == [("newly_designated", 2)]
    assert back.raised[0].alert.details["listed_on"] == "2026"
