"""The network view's data: view nodes and edges, filters, capping, paths (queries.explore, queries.view)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.embedded import EmbeddedStore
from graph.model import EdgeKind
from graph.store import GraphStore
from queries.explore import ExploreQuery, neighbourhood, node_facts
from queries.view import ViewEdge, ViewNode, aggregate_edges, cap, connected_to, representative, tie_path, view_path
from tests.factories import edge, org

# --- pure view functions -------------------------------------------------------------------------


def test_representative_prefers_ror_then_cordis_projects() -> None:
    assert representative(["openalex:I1", "ror:05abc1234", "cordis:pic:999"]) == "ror:05abc1234"
    assert representative(["openalex:G9", "cordis:project:9900001"]) == "cordis:project:9900001"
    assert representative(["list:x:1", "cordis:pic:2"]) == "cordis:pic:2"


def test_yearly_coauthorships_become_one_view_edge_with_summed_works() -> None:
    g = nx.MultiDiGraph()
    for n in ("a1", "a2", "b1"):
        g.add_node(n, kind="Organisation", name=n)
    for year, count in (("2019", 2), ("2021", 3)):
        e = edge(EdgeKind.COLLABORATED_WITH, "a2", "b1", key=year, start=year, end=year, count=count)
        g.add_edge(
            e.src,
            e.dst,
            key=e.id,
            kind=e.kind.value,
            edge_key=e.key,
            start=e.start,
            end=e.end,
            props=dict(e.props),
            provenance=e.provenance.as_dict(),
        )
    same = edge(EdgeKind.SAME_AS, "a1", "a2", band="match")
    g.add_edge(
        "a1",
        "a2",
        key=same.id,
        kind="SAME_AS",
        edge_key="",
        start=None,
        end=None,
        props=dict(same.props),
        provenance=same.provenance.as_dict(),
    )
    [view] = aggregate_edges(g, {"a1": "A", "a2": "A", "b1": "B"}, holds={same.id})
    assert (view.src, view.dst, view.kind, view.count, view.edges) == ("A", "B", "COLLABORATED_WITH", 5, 2)
    assert (view.first, view.last) == ("2019", "2021")
    assert [e.start for e in view.evidence] == ["2021", "2019"]  # newest evidence first
    [possible] = aggregate_edges(g, {"a1": "A", "a2": "B", "b1": "B"}, holds=set())
    assert possible.kind == "SAME_AS" and possible.possible


def _node(i: str, distance: int, designation: str = "", seed: bool = False) -> ViewNode:
    return ViewNode(i, i, "Organisation", distance, (i,), True, designation, (), None, seed=seed)


@st.composite
def trees(draw: st.DrawFn) -> tuple[dict[str, ViewNode], list[ViewEdge], int]:
    """A random neighbourhood: a BFS tree from "s" plus some cross links, and a cap."""
    n = draw(st.integers(2, 120))
    parents = [draw(st.integers(0, i - 1)) for i in range(1, n)]
    dist = [0]
    for p in parents:
        dist.append(dist[p] + 1)
    designated = draw(st.sets(st.integers(1, n - 1), max_size=5)) if n > 1 else set()
    nodes = {f"n{i}": _node(f"n{i}", dist[i], "advisory" if i in designated else "", seed=i == 0) for i in range(n)}
    edges = [
        ViewEdge(f"e{i}", f"n{p}", f"n{i}", "COLLABORATED_WITH", 1, 1, None, None, False, ())
        for i, p in enumerate(parents, 1)
    ]
    return nodes, edges, draw(st.integers(2, 60))


@settings(derandomize=True, max_examples=150, deadline=None)
@given(trees())
def test_cap_keeps_at_most_max_nodes_all_connected_and_accounts_for_every_node(case: tuple[Any, Any, int]) -> None:
    nodes, edges, max_nodes = case
    kept, kept_edges = cap("n0", nodes, edges, max_nodes)
    ids = {n.id for n in kept}
    assert len(kept) <= max_nodes if len(nodes) > max_nodes else len(kept) == len(nodes)
    assert "n0" in ids
    assert set(connected_to("n0", kept_edges)) == ids  # every node drawn hangs off the seed
    real = [n for n in kept if n.kind != "Group"]
    assert all(n.hidden >= 2 for n in kept if n.kind == "Group")  # a "+1 more" would cost a node for nothing
    assert len(real) + sum(n.hidden for n in kept) == len(nodes)  # nothing lost: folded or drawn
    if len(nodes) > max_nodes:
        folded = {i for n in kept for i in n.hidden_ids}
        assert not folded & {n.id for n in real}


def test_cap_prefers_designated_entities_over_closer_plain_nodes() -> None:
    nodes = {
        "s": _node("s", 0, seed=True),
        **{f"p{i}": _node(f"p{i}", 1) for i in range(20)},
        "d": _node("d", 2, "advisory"),
    }
    edges = [ViewEdge(f"e{i}", "s", f"p{i}", "COLLABORATED_WITH", 1, 1, None, None, False, ()) for i in range(20)]
    edges.append(ViewEdge("ed", "p7", "d", "COLLABORATED_WITH", 1, 1, None, None, False, ()))
    kept, _ = cap("s", nodes, edges, 6)
    ids = {n.id for n in kept}
    assert {"s", "d", "p7"} <= ids  # the designated entity and its way back to the seed


def test_paths() -> None:
    edges = [ViewEdge(f"{a}{b}", a, b, "COLLABORATED_WITH", 1, 1, None, None, False, ()) for a, b in ("ab", "bc", "cd")]
    assert view_path(edges, "a", "d") == ("a", "b", "c", "d")
    assert view_path(edges, "a", "z") == ()
    assert tie_path(["a1", "a2", "b1", "c1"], {"a1": "a", "a2": "a", "b1": "b", "c1": "c"}) == ("a", "b", "c")
    assert tie_path(["a1", "x"], {"a1": "a"}) == ()


# --- neighbourhood on the sample world -----------------------------------------------------------


def test_neighbourhood_of_an_indirectly_tied_university(sample_db: Path, story: dict[str, Any]) -> None:
    porto = "ror:043pwc612"
    njust = f"ror:{story['designated'][0]['ror']}"
    store = EmbeddedStore(sample_db)
    try:
        nb = neighbourhood(store, ExploreQuery(porto, hops=2))
        by = {n.id: n for n in nb.nodes}
        assert nb.seed == porto and by[porto].seed
        assert by[njust].designation == "advisory" and "us_ndaa_1286" in by[njust].lists
        assert by[njust].resolved and len(by[njust].records) >= 3  # ROR, OpenAlex and the list entry are one node
        assert all(n.designation == "" for n in nb.nodes if n.id != njust and n.kind == "Organisation" and not n.lists)
        assert nb.record_of["openalex:" + _openalex_of(store, njust)] == njust
        none = neighbourhood(store, ExploreQuery(porto, hops=2, lists=frozenset({"eu_fsf"})))
        assert {n.id: n for n in none.nodes}[njust].designation == ""  # only the lists chosen mark a node
        one = neighbourhood(store, ExploreQuery(porto, hops=1))
        assert njust not in {n.id for n in one.nodes}
    finally:
        store.close()


def _openalex_of(store: GraphStore, ror: str) -> str:
    return next(e.src for e in store.edges_of(ror, kinds=[EdgeKind.SAME_AS]) if e.src.startswith("openalex:")).split(
        ":"
    )[1]


def test_years_and_minimum_count_filter_ties(sample_db: Path) -> None:
    oxford, hse = "ror:052gg0110", "ror:055f7t516"  # co-authored 2019-2021 only
    store = EmbeddedStore(sample_db)
    try:
        assert hse in {n.id for n in neighbourhood(store, ExploreQuery(oxford, hops=1)).nodes}
        late = neighbourhood(store, ExploreQuery(oxford, hops=1, since="2022"))
        assert hse not in {n.id for n in late.nodes}
        big = neighbourhood(store, ExploreQuery(oxford, hops=1, min_count=10_000))
        assert hse not in {n.id for n in big.nodes} and big.below_count > 0
    finally:
        store.close()


def test_expanding_a_node_grows_the_view(sample_db: Path) -> None:
    store = EmbeddedStore(sample_db)
    try:
        base = neighbourhood(store, ExploreQuery("ror:043pwc612", hops=1))
        outer = next(n.id for n in base.nodes if not n.seed and n.kind == "Organisation")
        grown = neighbourhood(store, ExploreQuery("ror:043pwc612", hops=1, expanded=(outer,)))
        assert {n.id for n in base.nodes} < {n.id for n in grown.nodes}
    finally:
        store.close()


def test_node_facts_carry_provenance_and_designations(sample_db: Path, story: dict[str, Any]) -> None:
    njust = f"ror:{story['designated'][0]['ror']}"
    store = EmbeddedStore(sample_db)
    try:
        nb = neighbourhood(store, ExploreQuery(njust, hops=1))
        facts = node_facts(store, njust, next(n.records for n in nb.nodes if n.id == njust))
        assert facts.records[0].id == njust and facts.records[0].source.source == "ror"
        assert {r.source.source for r in facts.records} >= {"ror", "openalex"}
        assert facts.designations is not None and facts.designations.active
    finally:
        store.close()


# --- a 500+ node neighbourhood stays drawable ----------------------------------------------------


def test_a_large_neighbourhood_is_capped_and_folded(embedded_store: GraphStore) -> None:
    hub = "test:hub"
    partners = [f"test:p{i:04d}" for i in range(1200)]
    embedded_store.upsert_nodes([org(hub), *(org(p) for p in partners), *(org(f"{p}x") for p in partners[:300])])
    embedded_store.upsert_edges(
        [
            edge(EdgeKind.COLLABORATED_WITH, hub, p, key="2024", start="2024", end="2024", count=1 + i % 7)
            for i, p in enumerate(partners)
        ]
        + [
            edge(EdgeKind.COLLABORATED_WITH, p, f"{p}x", key="2024", start="2024", end="2024", count=1)
            for p in partners[:300]
        ]
    )
    nb = neighbourhood(embedded_store, ExploreQuery(hub, hops=2, max_nodes=500))
    assert nb.reached == 1501
    assert len(nb.nodes) <= 500
    groups = [n for n in nb.nodes if n.kind == "Group"]
    assert groups and sum(g.hidden for g in groups) + len(nb.nodes) - len(groups) == 1501
    heavy = [n.id for n in nb.nodes if n.distance == 1][:5]
    assert all(n.startswith("test:p") for n in heavy)
