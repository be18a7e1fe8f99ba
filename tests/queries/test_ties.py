"""Indirect ties on the test world, on both stores."""

from __future__ import annotations

import pytest

from graph.resolve.judgements import record
from graph.store import GraphStore
from queries.concern import concern_index, shared_concern_index
from queries.ties import MAX_HOPS, find_ties, ties
from tests.queries.world import ALPHA, designated_on, listed, load_world

BRAVO = "list:us_bis_entity_list:7"
CHARLIE = "list:eu_fsf:3"
DELTA = "list:us_ndaa_1286:4"
ECHO = "list:us_ofac_sdn:12"
PARENT_LISTING = "list:ca_named_research_orgs:1"


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    return load_world(store)


def _by_target(found: list) -> dict:  # type: ignore[type-arg]
    return {t.target: t for t in found}


def test_two_hop_tie_by_co_authorship_shows_each_edge_with_its_works(world: GraphStore) -> None:
    bravo = _by_target(ties(world, ALPHA))[BRAVO]
    assert bravo.hops == 2
    assert [n.id for n in bravo.nodes] == ["openalex:I100", "openalex:I200", "openalex:I300", BRAVO]
    first, second, same = bravo.steps
    assert (first.kind, second.kind, same.kind) == ("COLLABORATED_WITH", "COLLABORATED_WITH", "SAME_AS")
    assert [e.edge_id for e in first.evidence] == [
        "COLLABORATED_WITH|openalex:I100|openalex:I200|2024",
        "COLLABORATED_WITH|openalex:I100|openalex:I200|2025",
    ]
    assert sum(e.count or 0 for e in first.evidence) == 18
    assert all(e.works and e.source.dataset_version == "2026-10-01" for e in first.evidence)
    assert [(x.list_key, x.legal_effect, x.designation_id) for x in bravo.listings] == [
        ("us_bis_entity_list", "legal_restriction", "designation:us_bis_entity_list:7")
    ]


def test_shared_cordis_project_is_one_step_through_the_project_node(world: GraphStore) -> None:
    charlie = _by_target(ties(world, ALPHA))[CHARLIE]
    assert [n.id for n in charlie.nodes] == [
        "cordis:pic:999999999",
        "cordis:project:101",
        "cordis:pic:888888888",
        "ror:0charl001",
        "ror:0charc001",
        CHARLIE,
    ]
    assert charlie.hops == 2  # the shared project, then the ROR hierarchy; SAME_AS links are no steps
    assert [s.kind for s in charlie.steps] == [
        "PARTICIPATED_IN",
        "PARTICIPATED_IN",
        "SAME_AS",
        "PARENT_OF",
        "SAME_AS",
    ]
    assert charlie.steps[0].evidence[0].role == "participant"
    assert DELTA in _by_target(ties(world, ALPHA, max_hops=3))
    assert CHARLIE not in _by_target(ties(world, ALPHA, max_hops=1))


def test_three_hop_tie_by_co_authorship(world: GraphStore) -> None:
    delta = _by_target(ties(world, ALPHA))[DELTA]
    assert delta.hops == 3
    assert [n.id for n in delta.nodes][1:4] == ["openalex:I210", "openalex:I220", "openalex:I400"]
    assert DELTA not in _by_target(ties(world, ALPHA, max_hops=2))


def test_ranking_is_by_strength_then_hops(world: GraphStore) -> None:
    found = ties(world, ALPHA)
    assert [t.target for t in found] == [PARENT_LISTING, CHARLIE, ECHO, BRAVO, DELTA]
    assert [t.hops for t in found] == [1, 2, 2, 2, 3]
    strengths = [t.strength for t in found]
    assert strengths == sorted(strengths, reverse=True)
    assert all(0 < s <= 1 for s in strengths)


def test_hub_above_the_cap_is_pruned_and_reported(world: GraphStore) -> None:
    assert ECHO in _by_target(ties(world, ALPHA, degree_cap=100))
    search = find_ties(world, ALPHA, degree_cap=5)
    assert ECHO not in {t.target for t in search.ties}
    assert [p.id for p in search.pruned] == ["openalex:I900"]
    assert {BRAVO, CHARLIE, DELTA} <= {t.target for t in search.ties}


def test_since_drops_ties_that_ended_before(world: GraphStore) -> None:
    found = _by_target(ties(world, ALPHA, since="2024"))
    assert BRAVO not in found  # its second step is a 2023 co-authorship
    assert {DELTA, ECHO, CHARLIE} <= set(found)


def test_not_same_judgement_hides_a_match_link(world: GraphStore) -> None:
    assert BRAVO in _by_target(ties(world, ALPHA))
    record(world, BRAVO, "openalex:I300", "not_same", by="analyst", why="different institute in the same city")
    assert BRAVO not in _by_target(ties(world, ALPHA))


def test_the_shared_concern_index_is_rebuilt_when_the_store_or_the_judgements_change(world: GraphStore) -> None:
    first = shared_concern_index(world)
    assert shared_concern_index(world) is first  # reused while nothing changed
    world.upsert_nodes(listed("us_bis_entity_list", "99", "Newly Listed Institute", "ZZ", "legal_restriction"))
    world.upsert_edges([designated_on("us_bis_entity_list", "99")])
    grown = shared_concern_index(world)
    assert "list:us_bis_entity_list:99" in grown.hits and grown.hits == concern_index(world).hits
    record(world, BRAVO, "openalex:I300", "not_same", by="analyst", why="different institute")
    judged = shared_concern_index(world)  # same store version, new policy
    assert judged is not grown and "openalex:I300" not in judged.hits


def test_possible_link_is_not_followed(world: GraphStore) -> None:
    found = find_ties(world, ALPHA)
    assert "list:us_ofac_sdn:55" not in found.seeds
    assert "list:us_ofac_sdn:55" not in {t.target for t in found.ties}


def test_strength_floor_keeps_one_hop_and_strong_ties(world: GraphStore) -> None:
    found = _by_target(ties(world, ALPHA, min_strength=0.2))
    assert set(found) == {PARENT_LISTING, CHARLIE, ECHO}
    assert {t.target for t in ties(world, ALPHA, min_strength=0.0)} == {PARENT_LISTING, ECHO, CHARLIE, BRAVO, DELTA}


@pytest.mark.parametrize("hops", [0, MAX_HOPS + 1])
def test_hops_outside_the_range_is_an_error(world: GraphStore, hops: int) -> None:
    with pytest.raises(ValueError, match="hops must be between 1 and 4"):
        ties(world, ALPHA, max_hops=hops)
