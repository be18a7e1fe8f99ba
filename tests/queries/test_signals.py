"""Designations and the three signals; country never changes a signal or a ranking."""

from __future__ import annotations

import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.embedded import EmbeddedStore
from graph.resolve.judgements import record
from graph.store import GraphStore
from queries import scoring
from queries.designations import designations
from queries.scoring import Level
from queries.signals import signals
from queries.ties import find_ties, ties
from tests.queries.strategies import COUNTRIES, World, worlds
from tests.queries.world import ALPHA, GOLF, load_world


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    return load_world(store)


def _signals(store: GraphStore, org: str, hops: int = 3) -> tuple:  # type: ignore[type-arg]
    found = designations(store, org)
    return signals(found, ties(store, org, max_hops=hops), org, max_hops=hops).all()


def test_direct_legal_restriction(world: GraphStore) -> None:
    found = designations(world, GOLF)
    assert [(d.relation, d.entry.list_key, d.entry.legal_effect) for d in found.active] == [
        ("self", "us_bis_entity_list", "legal_restriction")
    ]
    legal, advisory, _proximity = _signals(world, GOLF)
    assert legal.level is Level.HIGH
    assert "designation:us_bis_entity_list:70" in legal.facts
    assert "Dealings may be restricted in law" in legal.explanation
    assert advisory.level is Level.NONE


def test_advisory_listing_on_a_parent(world: GraphStore) -> None:
    found = designations(world, ALPHA)
    assert [p.id for p in found.parents] == ["ror:0alphp001"]
    assert [c.id for c in found.children] == ["ror:0alphc001"]
    assert [(d.relation, d.holder, d.entry.legal_effect) for d in found.active] == [
        ("parent", "ror:0alphp001", "advisory")
    ]
    legal, advisory, proximity = _signals(world, ALPHA)
    assert advisory.level is Level.MEDIUM
    assert "its parent Alpha Academy" in advisory.explanation
    assert "restricts no trade" in advisory.explanation
    assert legal.level is Level.NONE and "not evidence of no risk" in legal.explanation
    assert proximity.level is Level.MEDIUM
    assert "list:ca_named_research_orgs:1" not in proximity.facts  # already a direct designation, not counted twice


def test_delisted_designation_is_history_without_a_signal(world: GraphStore) -> None:
    found = designations(world, ALPHA)
    assert [(d.entry.designation_id, d.entry.delisted_on) for d in found.history] == [
        ("designation:us_bis_entity_list:99", "2023-02-01")
    ]
    legal, *_ = _signals(world, ALPHA)
    assert "designation:us_bis_entity_list:99" not in legal.facts
    assert legal.level is Level.NONE


def test_same_judgement_makes_a_possible_link_hold(world: GraphStore) -> None:
    record(world, "list:us_ofac_sdn:55", ALPHA, "same", by="analyst", why="same registration number")
    legal, *_ = _signals(world, ALPHA)
    assert legal.level is Level.HIGH
    assert "designation:us_ofac_sdn:55" in legal.facts


def test_no_hits_gives_none_levels_with_a_pointer_to_limits(world: GraphStore) -> None:
    legal, advisory, proximity = _signals(world, "ror:0julie001")
    assert (legal.level, advisory.level, proximity.level) == (Level.NONE, Level.NONE, Level.NONE)
    assert all(s.facts == () for s in (legal, advisory, proximity))
    assert "see Limits" in legal.explanation and "see Limits" in proximity.explanation


def test_scoring_functions_take_no_node_or_country() -> None:
    """Structural guard: no scoring function can receive a node, its props or a country."""
    for name, fn in inspect.getmembers(scoring, inspect.isfunction):
        if fn.__module__ != scoring.__name__:
            continue
        params = set(inspect.signature(fn).parameters)
        assert not params & {"node", "nodes", "props", "country", "countries"}, name


def _outcome(world: World) -> tuple:  # type: ignore[type-arg]
    store = EmbeddedStore(":memory:")
    store.upsert_nodes(world.nodes)
    store.upsert_edges(world.edges)
    out = []
    for org in world.orgs:
        search = find_ties(store, org, max_hops=3, degree_cap=6, min_strength=0.0, as_of="2026-11-01")
        ranking = [(t.target, t.strength, t.level, tuple(n.id for n in t.nodes)) for t in search.ties]
        found = signals(designations(store, org), search.ties, org, max_hops=3)
        out.append((org, ranking, [(s.name, s.level, s.facts, s.explanation) for s in found.all()]))
    store.close()
    return tuple(out)


@settings(derandomize=True, max_examples=40, deadline=None)
@given(worlds(max_orgs=7), st.data())
def test_swapping_countries_changes_no_signal_and_no_ranking(world: World, data: st.DataObject) -> None:
    countries = [data.draw(st.sampled_from(COUNTRIES)) for _ in world.orgs]
    swapped = world.with_countries(dict(zip(world.orgs, data.draw(st.permutations(countries)), strict=True)))
    others = world.with_countries({o: data.draw(st.sampled_from(COUNTRIES)) for o in world.orgs})
    baseline = _outcome(world)
    assert _outcome(swapped) == baseline
    assert _outcome(others) == baseline
