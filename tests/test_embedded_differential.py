"""The embedded store agrees with the networkx oracle, with and without attributes, inside and after bulk().

The Neo4j half lives in tests/contract/test_differential.py; this one needs
no server, so it runs more examples, including reads while a bulk load has
dropped the secondary indexes.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.embedded import EmbeddedStore
from graph.subgraph import reference_subgraph
from tests.contract.test_differential import assert_same_graph, queries, worlds


@settings(max_examples=60, derandomize=True, deadline=None)
@given(data=st.data())
def test_embedded_agrees_with_oracle_in_and_after_bulk(data: st.DataObject) -> None:
    nodes, edges = data.draw(worlds())
    qs = data.draw(st.lists(queries(len(nodes)), min_size=1, max_size=4))
    qs += [replace(q, attributes=False) for q in qs]
    with EmbeddedStore(":memory:") as store:
        with store.bulk():
            assert not store.upsert_nodes(nodes).rejected
            assert not store.upsert_edges(edges).rejected
            for q in qs:
                assert_same_graph(store.subgraph(q), reference_subgraph(nodes, edges, q))
        for q in qs:
            assert_same_graph(store.subgraph(q), reference_subgraph(nodes, edges, q))
        for n in nodes:
            assert store.degree(n.id) == sum(n.id in (e.src, e.dst) for e in edges)
        version = store.version()
        assert store.upsert_edges(edges).written == 0
        assert store.version() == version
        gone = [e.id for e in edges[::2]]
        assert store.remove_edges([*gone, "SAME_AS|test:n0|test:nope|"]) == len(gone)
        rest = edges[1::2]
        for q in qs:
            assert_same_graph(store.subgraph(q), reference_subgraph(nodes, rest, q))
