"""Limits: what the data cannot show, so that no hit never reads as no risk."""

from __future__ import annotations

import pytest

from graph.store import GraphStore
from ingest.lists_config import load_lists_config
from ingest.pipeline import RUNS, IngestReport, SourceRun, record_run
from queries.limits import RUNS_NAMESPACE
from queries.report import CheckQuery, due_diligence
from tests.queries.world import ALPHA, load_world


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    return load_world(store)


def test_run_log_namespace_matches_ingest() -> None:
    assert RUNS_NAMESPACE == RUNS


def test_limits_list_coverage_missing_lists_runs_and_look_alikes(world: GraphStore) -> None:
    run = SourceRun("ror", "v1.55", "/data/ror.json", "2026-11-01T00:00:00Z")
    record_run(
        world,
        run,
        IngestReport("ror", "v1.55", "/data/ror.json", read=10, written=10, started_at="2026-11-01T00:00:00Z"),
    )
    limits = due_diligence(world, CheckQuery(ALPHA, ALPHA), lists=load_lists_config()).limits
    held = {c.key: c for c in limits.lists}
    assert held["us_bis_entity_list"].entries == 4 and held["us_bis_entity_list"].delisted == 1
    assert held["us_bis_entity_list"].versions == ("2026-10-30",)
    missing = {m.key for m in limits.missing_lists}
    assert {"un_sc_sanctions", "gb_fcdo_sanctions"} <= missing and "eu_fsf" not in missing
    assert "cn_sanctions" not in missing  # configured, but not a list of concern
    assert [(r.source, r.dataset_version) for r in limits.runs] == [("ror", "v1.55")]
    look = {a.id: a for a in limits.look_alikes}
    assert "awaiting review" in look["list:us_ofac_sdn:55"].reason
    assert "similar name" in look["list:us_bis_entity_list:80"].reason
    assert any("not ingested" in n for n in limits.notes)


def test_missing_sources_are_named(world: GraphStore) -> None:
    limits = due_diligence(world, CheckQuery("ror:0golf0001", "ror:0golf0001")).limits
    assert limits.missing_sources == ("OpenAlex (co-authorship)", "CORDIS (EU projects)")
    assert any("No OpenAlex (co-authorship) record" in n for n in limits.notes)


def test_link_judged_not_same_is_named_as_such(world: GraphStore) -> None:
    from graph.resolve.judgements import record

    record(world, "list:us_bis_entity_list:99", ALPHA, "not_same", by="analyst", why="a namesake")
    limits = due_diligence(world, CheckQuery(ALPHA, ALPHA)).limits
    look = {a.id: a.reason for a in limits.look_alikes}
    assert look["list:us_bis_entity_list:99"].startswith("judged not the same organisation")
