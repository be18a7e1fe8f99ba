"""Differential test: Cypher k-hop on Neo4j, SQL k-hop on SQLite, and the networkx oracle agree.

Random small graphs (typed edges, optional dates, parallel keyed edges) go
into both stores; random queries (seeds incl. missing ones, 1-3 hops, kind
filter, date window, degree cap) must give exactly ``reference_subgraph``.
Loading the same batch twice must change nothing on either store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.embedded import EmbeddedStore
from graph.model import Edge, EdgeKind, Node
from graph.store import GraphStore, SubgraphQuery
from graph.subgraph import reference_subgraph
from tests.factories import edge, org

pytestmark = pytest.mark.neo4j

KINDS = [EdgeKind.PARENT_OF, EdgeKind.COLLABORATED_WITH, EdgeKind.SAME_AS, EdgeKind.RELATED_TO]
YEARS = st.integers(2015, 2025)


@st.composite
def dates(draw: st.DrawFn) -> tuple[str | None, str | None]:
    start = draw(st.none() | YEARS.map(str) | st.tuples(YEARS, st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"))
    end = draw(st.none() | YEARS.map(str))
    if start and end and start > end:
        start, end = end, start[:4]
    return start, end


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Node], list[Edge]]:
    size = draw(st.integers(2, 9))
    nodes = [org(f"test:n{i}", f"Node {i}") for i in range(size)]
    pairs = st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)).filter(lambda p: p[0] != p[1])
    spec = st.tuples(st.sampled_from(KINDS), pairs, st.sampled_from(["", "a", "b"]), dates(), st.integers(0, 3))
    edges: dict[str, Edge] = {}
    for kind, (a, b), key, (start, end), count in draw(st.lists(spec, max_size=3 * size)):
        e = edge(kind, f"test:n{a}", f"test:n{b}", key=key, start=start, end=end, count=count)
        edges[e.id] = e
    return nodes, list(edges.values())


@st.composite
def queries(draw: st.DrawFn, size: int) -> SubgraphQuery:
    ids = [f"test:n{i}" for i in range(size)] + ["test:missing"]
    seeds = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
    kinds = draw(st.none() | st.frozensets(st.sampled_from(KINDS), max_size=3))
    since = draw(st.none() | YEARS.map(str))
    until = draw(st.none() | YEARS.map(str))
    cap = draw(st.none() | st.integers(0, 4))
    return SubgraphQuery(tuple(seeds), draw(st.integers(1, 3)), kinds, since, until, cap)


def assert_same_graph(got: nx.MultiDiGraph, want: nx.MultiDiGraph) -> None:
    assert dict(got.nodes(data=True)) == dict(want.nodes(data=True))
    assert sorted(got.edges(keys=True, data=True)) == sorted(want.edges(keys=True, data=True))
    assert got.graph == want.graph


def both(neo4j: GraphStore) -> Iterator[GraphStore]:
    embedded = EmbeddedStore(":memory:")
    try:
        yield embedded
        yield neo4j
    finally:
        embedded.close()


@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_stores_agree_with_oracle(neo4j_store: GraphStore, data: st.DataObject) -> None:
    nodes, edges = data.draw(worlds())
    qs = data.draw(st.lists(queries(len(nodes)), min_size=1, max_size=4))
    neo4j_store.clear()  # type: ignore[attr-defined]
    for store in both(neo4j_store):
        assert not store.upsert_nodes(nodes).rejected
        assert not store.upsert_edges(edges).rejected
        for q in [*qs, *(replace(q, attributes=False) for q in qs)]:
            assert_same_graph(store.subgraph(q), reference_subgraph(nodes, edges, q))
        version = store.version()
        again_n, again_e = store.upsert_nodes(nodes), store.upsert_edges(edges)
        assert (again_n.written, again_e.written) == (0, 0)
        assert (again_n.unchanged, again_e.unchanged) == (len(nodes), len(edges))
        assert store.version() == version
        assert list(store.changes_since(version)) == []
        assert sorted(store.iter_edges(), key=lambda e: e.id) == sorted(edges, key=lambda e: e.id)
        for n in nodes[:3]:
            assert store.degree(n.id) == sum(n.id in (e.src, e.dst) for e in edges)
