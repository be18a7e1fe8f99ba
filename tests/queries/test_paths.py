"""Best paths against a brute-force networkx oracle; the hop-by-hop search against one k-hop subgraph."""

from __future__ import annotations

import itertools
import math

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.embedded import EmbeddedStore
from graph.store import SubgraphQuery
from queries.concern import concern_index, concern_neighbourhood
from queries.equivalence import equivalents, same_as_policy
from queries.lists import AllListsCount
from queries.paths import Link, best_paths
from queries.scoring import Scoring
from queries.ties import TIE_KINDS, Tie, find_ties, rank_ties
from tests.queries.strategies import World, worlds


@st.composite
def link_graphs(draw: st.DrawFn) -> tuple[dict[str, dict[str, Link]], set[str]]:
    n = draw(st.integers(2, 8))
    links: dict[str, dict[str, Link]] = {f"n{i}": {} for i in range(n)}
    for a, b in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=16)):
        if a != b and f"n{b}" not in links[f"n{a}"]:
            half = draw(st.sampled_from([0, 1, 2, 2]))
            cost = 0.0 if half == 0 else draw(st.sampled_from([0.1, 0.5, 1.0, 1.7, 2.3]))
            link = Link("X", 1.0, cost, half, ())
            links[f"n{a}"][f"n{b}"] = links[f"n{b}"][f"n{a}"] = link
    blocked = {f"n{i}" for i in draw(st.sets(st.integers(1, n - 1), max_size=2))}
    return links, blocked


def _oracle(links: dict[str, dict[str, Link]], seed: str, budget: int, blocked: set[str]) -> dict[str, float]:
    g = nx.Graph([(u, v) for u in links for v in links[u]])
    g.add_nodes_from(links)
    best = {seed: 0.0}
    for target in g.nodes:
        for path in nx.all_simple_paths(g, seed, target):
            pairs = list(itertools.pairwise(path))
            if any(p in blocked for p in path[1:-1]) or sum(links[a][b].half for a, b in pairs) > budget:
                continue
            best[target] = min(best.get(target, math.inf), sum(links[a][b].cost for a, b in pairs))
    return best


@settings(derandomize=True, max_examples=200, deadline=None)
@given(link_graphs(), st.integers(0, 8))
def test_best_paths_equal_brute_force_over_simple_paths(
    graph: tuple[dict[str, dict[str, Link]], set[str]], budget: int
) -> None:
    links, blocked = graph
    found = best_paths(links, ["n0"], budget, blocked=blocked)
    want = _oracle(links, "n0", budget, blocked)
    assert set(found.cost) == set(want)
    for node, cost in want.items():
        assert math.isclose(found.cost[node], cost, abs_tol=1e-9)
        path = found.path(node)
        pairs = list(itertools.pairwise(path))
        assert path[0] == "n0" and path[-1] == node and len(set(path)) == len(path)
        assert sum(links[a][b].half for a, b in pairs) <= budget
        assert not any(p in blocked for p in path[1:-1])
        assert math.isclose(sum(links[a][b].cost for a, b in pairs), cost, abs_tol=1e-9)


def _direct(tie: Tie) -> bool:
    """One edge from the organisation's records to the entity's records: read with the seeds, never budgeted."""
    kinds = [s.kind for s in tie.steps if s.kind != "SAME_AS"]
    return kinds in (["COLLABORATED_WITH"], ["PARENT_OF"], ["RELATED_TO"], ["SUCCEEDED_BY"])


def _key(found: tuple[Tie, ...] | list[Tie]) -> list[tuple[str, float, tuple[str, ...]]]:
    return [(t.target, round(t.strength, 12), tuple(n.id for n in t.nodes)) for t in found]


@settings(derandomize=True, max_examples=120, deadline=None)
@given(
    worlds(),
    st.integers(1, 4),
    st.sampled_from([None, 3, 6]),
    st.sampled_from([0.0, 0.02, 0.1]),
    st.sampled_from([None, "2019"]),
)
def test_hop_by_hop_search_equals_one_k_hop_subgraph(
    world: World, hops: int, cap: int | None, floor: float, since: str | None
) -> None:
    store = EmbeddedStore(":memory:")
    store.upsert_nodes(world.nodes)
    store.upsert_edges(world.edges)
    policy = same_as_policy(store)
    concern = concern_index(store, AllListsCount(), policy)
    cache = concern_neighbourhood(store, concern, TIE_KINDS)
    seeds = equivalents(store, "test:o0", policy).members
    deep = 4 * hops + 4  # every path of `hops` organisation steps, with SAME_AS and project edges
    g = store.subgraph(SubgraphQuery(seeds, hops=deep, edge_kinds=TIE_KINDS, since=since, degree_cap=cap))
    want = rank_ties(
        g,
        seeds,
        max_hops=hops,
        concern=concern,
        lists=AllListsCount(),
        policy=policy,
        scoring=Scoring(),
        as_of="2026-11-01",
        min_strength=floor,
    )
    for use_cache in (None, cache):
        got = find_ties(
            store,
            "test:o0",
            max_hops=hops,
            since=since,
            degree_cap=cap,
            min_strength=floor,
            as_of="2026-11-01",
            concern=concern,
            policy=policy,
            cache=use_cache,
            max_edges=None,
        )
        assert _key(got.ties) == _key(want)
        assert got.cutoff == 0.0
    for budget in (0, 3, 8):
        bounded = find_ties(
            store,
            "test:o0",
            max_hops=hops,
            since=since,
            degree_cap=cap,
            min_strength=floor,
            as_of="2026-11-01",
            concern=concern,
            policy=policy,
            max_edges=budget,
        )
        sure = [t for t in want if t.strength > bounded.cutoff + 1e-12 or _direct(t)]
        assert set(_key(sure)) <= set(_key(bounded.ties)), bounded.cutoff
    store.close()
