"""Alert kinds and severities: the diff rules on real states, "materially stronger", country-agnostic severities."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.embedded import EmbeddedStore
from graph.model import Edge
from graph.store import GraphStore
from queries.alert_facts import OrgState, TieFact, Told
from queries.alert_kinds import alert_id, diff, materially_stronger
from queries.alerts import run_alerts
from queries.watchlist import unwatch, watch
from tests.alerts import world as w
from tests.queries import world as q
from tests.queries.world import ALPHA, designated_on, listed, same_as


def _tie(strength: float, level: str, hops: int, works: tuple[tuple[str, int], ...] = (), target: str = "t") -> TieFact:
    return TieFact(target, "T", strength, level, hops, (), (), (), (), works, ())


def _state(*ties: TieFact) -> OrgState:
    return OrgState("ror:1", "One", 3, "2026-01-01", ties={t.target: t for t in ties})


def test_weak_multi_hop_ties_raise_nothing_until_they_reach_the_minimum_level() -> None:
    weak = _tie(0.02, "low", 3, target="far")
    direct = _tie(0.02, "low", 1, target="near")
    assert [a.evidence_key for a in diff(_state(), _state(weak, direct))] == ["near"]  # default: medium
    assert sorted(a.evidence_key for a in diff(_state(), _state(weak, direct), min_path_level="low")) == ["far", "near"]
    grown = _tie(0.06, "medium", 3, target="far")
    ((kind, key),) = [(a.kind, a.evidence_key) for a in diff(_state(weak), _state(grown))]
    assert (kind, key) == ("new_path", "far")  # first alert about it: a new path, not a stronger tie
    assert diff(_state(weak), _state(_tie(0.04, "low", 3, target="far"))) == []  # +100%, still low: quiet
    assert diff(_state(grown), _state(weak)) == []
    with pytest.raises(ValueError, match="low, medium, high"):
        diff(_state(), _state(weak), min_path_level="none")


def test_materially_stronger_is_defined_by_level_hops_ratio_and_new_works() -> None:
    told = Told(0.20, "medium", 2, (("2024", 4),))
    assert materially_stronger(told, _tie(0.22, "medium", 2, (("2024", 5),))) == []  # +10%, +1 work: not material
    assert materially_stronger(told, _tie(0.26, "high", 2)) == [
        "level rose from medium to high",
        "strength rose from 0.200 to 0.260",
    ]
    assert materially_stronger(told, _tie(0.21, "medium", 1)) == ["path shortened from 2 to 1 hop(s)"]
    assert materially_stronger(told, _tie(0.21, "medium", 2, (("2024", 7),))) == ["3 more co-authored works"]
    assert materially_stronger(told, _tie(0.21, "medium", 2, (("2024", 4), ("2025", 1)))) == [
        "new co-authored works in 2025"
    ]


def _partner_world(store: GraphStore, tmp: Path) -> None:
    w.load_base(store)
    watch(store, w.PARTNER, by="ana")
    w.ingest_version(store, tmp, "2025", [w.ZULU, w.KILOVIA])
    assert run_alerts(store).baselined == (w.PARTNER,)


def test_new_works_this_year_make_a_stronger_tie_once(embedded_store: GraphStore, tmp_path: Path) -> None:
    _partner_world(embedded_store, tmp_path)
    embedded_store.upsert_edges([w.collab(2026, 5)])
    (a,) = run_alerts(embedded_store).raised
    assert a.alert.kind == "stronger_tie" and a.alert.evidence_key == w.COAUTHOR_ENTITY
    assert {"5 more co-authored works", "new co-authored works in 2026"} <= set(a.alert.details["why"])
    assert a.alert.details["works_by_year"] == {"2025": 7, "2026": 5}
    embedded_store.upsert_edges([w.collab(2026, 6)])  # one more work: measured against what was told
    assert run_alerts(embedded_store).raised == ()


def test_changing_k_is_a_new_baseline_for_ties_not_news(embedded_store: GraphStore, tmp_path: Path) -> None:
    _partner_world(embedded_store, tmp_path)
    assert run_alerts(embedded_store, hops=1).raised == ()
    assert run_alerts(embedded_store, hops=3).raised == ()


def test_same_as_links_to_listed_entities(embedded_store: GraphStore) -> None:
    store = q.load_world(embedded_store)
    watch(store, ALPHA, by="ana")
    run_alerts(store)
    store.upsert_nodes(listed("us_ofac_sdn", "77", "Alpha Univ Holdings", "DE", "legal_restriction"))
    store.upsert_edges(
        [same_as("list:us_ofac_sdn:77", ALPHA, band="possible", score=0.7), designated_on("us_ofac_sdn", "77")]
    )
    (possible,) = run_alerts(store).raised
    assert (possible.alert.kind, possible.alert.severity) == ("new_same_as", "medium")
    assert possible.alert.details["band"] == "possible" and "awaiting review" in possible.alert.title
    # the possible link to Foxtrot (on the SDN list) is confirmed: one event, one alert, the link as its evidence
    store.upsert_edges([same_as("list:us_ofac_sdn:55", ALPHA, band="match", score=0.95)])
    (confirmed,) = run_alerts(store).raised
    assert (confirmed.alert.kind, confirmed.alert.severity) == ("newly_designated", "critical")
    assert f"SAME_AS|list:us_ofac_sdn:55|{ALPHA}|" in [r.id for r in confirmed.alert.records]


def test_alert_ids_are_stable_hashes_of_kind_organisation_and_evidence_key() -> None:
    assert alert_id("new_path", "ror:1", "list:x:1") == alert_id("new_path", "ror:1", "list:x:1")
    assert (
        len(
            {
                alert_id("new_path", "ror:1", "list:x:1"),
                alert_id("new_path", "ror:2", "list:x:1"),
                alert_id("stronger_tie", "ror:1", "list:x:1"),
            }
        )
        == 3
    )


# -- severity never depends on country ----------------------------------------------------------------

ORGS = sorted(w.NAMES)
COUNTRY = st.sampled_from(["CN", "RU", "IR", "US", "DE", "PT", "KP", "BY", "FR", "IN"])


def _alerts(countries: Mapping[str, str]) -> list[tuple[str, str, str, str]]:
    """Version N → N+1 as records (SAME_AS edges as resolution wrote them), countries as given."""
    store = EmbeddedStore(":memory:")
    w.load_base(store, countries)
    watch(store, w.PARTNER, by="ana")
    run_alerts(store)
    entities = [
        *listed(w.LIST, "quebecia-polytechnic-institute", w.NAMES[w.PARENT], countries[w.PARENT], "advisory"),
        *listed("us_bis_entity_list", "kilovia", w.NAMES[w.COAUTHOR], countries[w.COAUTHOR], "legal_restriction"),
    ]
    store.upsert_nodes(entities)
    links: list[Edge] = [
        same_as(f"list:{w.LIST}:quebecia-polytechnic-institute", w.PARENT),
        designated_on(w.LIST, "quebecia-polytechnic-institute"),
        same_as("list:us_bis_entity_list:kilovia", w.COAUTHOR),
        designated_on("us_bis_entity_list", "kilovia"),
    ]
    store.upsert_edges(links)
    raised = run_alerts(store).raised
    store.close()
    return sorted((a.id, a.alert.kind, a.alert.severity, a.alert.fingerprint) for a in raised)


REFERENCE = None


@settings(max_examples=15, deadline=None, derandomize=True)
@given(st.fixed_dictionaries({o: COUNTRY for o in ORGS}))
def test_swapping_countries_leaves_alerts_and_severities_unchanged(countries: dict[str, str]) -> None:
    global REFERENCE
    if REFERENCE is None:
        REFERENCE = _alerts(w.COUNTRIES)
        assert sorted((k, s) for _i, k, s, _f in REFERENCE) == [("new_path", "high"), ("newly_designated", "medium")]
    assert _alerts(countries) == REFERENCE


def test_an_organisation_watched_again_gets_a_fresh_baseline(embedded_store: GraphStore, tmp_path: Path) -> None:
    _partner_world(embedded_store, tmp_path)
    unwatch(embedded_store, w.PARTNER)
    w.ingest_version(embedded_store, tmp_path, "2026", [w.ZULU, w.KILOVIA, w.QUEBECIA])  # changed while unwatched
    watch(embedded_store, w.PARTNER, by="ana")
    again = run_alerts(embedded_store)
    assert again.baselined == (w.PARTNER,) and again.raised == ()


def test_states_computed_in_worker_processes_give_the_same_alerts(tmp_path: Path) -> None:
    def scenario(folder: Path, workers: int) -> list[tuple[str, str, str]]:
        db = folder / "store.db"
        store = q.load_world(EmbeddedStore(db))
        for org in (ALPHA, q.GOLF, "openalex:I210", "openalex:I220", "openalex:I900"):
            watch(store, org, by="ana")
        opener = partial(EmbeddedStore, db)
        run_alerts(store, workers=workers, opener=opener)
        store.upsert_nodes(listed("us_bis_entity_list", "8", "Kilo University", "FR", "legal_restriction"))
        store.upsert_edges(
            [same_as("list:us_bis_entity_list:8", "openalex:I200"), designated_on("us_bis_entity_list", "8")]
        )
        report = run_alerts(store, workers=workers, opener=opener)
        store.close()
        assert report.errors == ()
        return sorted((a.id, a.alert.severity, a.alert.fingerprint) for a in report.raised)

    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    expected = scenario(tmp_path / "one", 1)
    assert len(expected) >= 2
    assert scenario(tmp_path / "two", 2) == expected
