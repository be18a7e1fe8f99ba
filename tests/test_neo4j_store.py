"""What only the Neo4j store has to get right: layout, paging, locking, errors.

The behaviour both stores share is in tests/contract; these run against the
same real local Neo4j.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading

import pytest

from graph import neo4j_cypher as cy
from graph import neo4j_rows as rows
from graph.errors import SchemaVersionError, StoreError
from graph.model import Edge, EdgeKind, Node, NodeKind
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore, SubgraphQuery
from tests.factories import edge, org, prov

pytestmark = pytest.mark.neo4j

ODD_IDS = ["test:Z", "test:a", "test:a0", "test:a|b", "test:é", "test:\ue000", "test:\U00020000", "test:東"]


def neo4j(store: GraphStore) -> Neo4jStore:
    assert isinstance(store, Neo4jStore)
    return store


def test_paged_iteration_keeps_python_id_order(neo4j_store: GraphStore) -> None:
    store = neo4j(neo4j_store)
    store.page_size = 3
    nodes = [org(i) for i in ODD_IDS]
    store.upsert_nodes(nodes)
    edges = [edge(k, a, b) for k in (EdgeKind.SAME_AS, EdgeKind.PARENT_OF) for a, b in itertools.pairwise(ODD_IDS)]
    store.upsert_edges(edges)
    assert [n.id for n in store.iter_nodes()] == sorted(ODD_IDS)
    assert [e.id for e in store.iter_edges()] == sorted(e.id for e in edges)
    assert [e.id for e in store.iter_edges(kind=EdgeKind.SAME_AS)] == sorted(e.id for e in edges[:7])
    assert list(store.iter_edges(source="elsewhere")) == []


def test_kind_change_relabels_and_edge_update_replaces_in_place(neo4j_store: GraphStore) -> None:
    store = neo4j(neo4j_store)
    store.upsert_nodes([org("test:a"), org("test:b")])
    store.upsert_nodes([Node("test:b", NodeKind.FUNDER, "B", prov(), {})])
    assert store.counts().nodes == {"Organisation": 1, "Funder": 1}
    first = edge(EdgeKind.FUNDED_BY, "test:a", "test:b", start="2020", end="2021", amount=1)
    store.upsert_edges([first])
    v = store.version()
    second = edge(EdgeKind.FUNDED_BY, "test:a", "test:b", start="2020", amount=2)  # now open-ended
    assert store.upsert_edges([second]).written == 1
    assert store.edges_of("test:a") == [second]
    assert [c.record for c in store.changes_since(v)] == [second]
    assert store.degree("test:a") == 1
    rows = store.driver.execute_query("MATCH ()-[r]->() RETURN r.hi AS hi, r.lo AS lo").records
    assert [(r["lo"], r["hi"]) for r in rows] == [("2020-01-01", None)]


def test_documents_and_version_are_not_graph(neo4j_store: GraphStore) -> None:
    store = neo4j(neo4j_store)
    store.upsert_nodes([org("test:a")])
    store.put_doc("watchlist", "test:a", {"by": "ana"})
    assert store.counts().as_dict() == {"nodes": {"Organisation": 1}, "edges": {}}
    assert store.degree("test:a") == 0
    assert [n.id for n in store.iter_nodes()] == ["test:a"]
    store.clear()
    assert (store.version(), store.get_doc("watchlist", "test:a"), store.counts().nodes) == (0, None, {})


def test_concurrent_writers_never_duplicate_an_edge(neo4j_store: GraphStore) -> None:
    store = neo4j(neo4j_store)
    store.upsert_nodes([org(f"test:n{i}") for i in range(60)])
    edges = [
        edge(EdgeKind.RELATED_TO, f"test:n{i}", f"test:n{j}") for i in range(60) for j in range(i + 1, min(i + 4, 60))
    ]
    errors: list[BaseException] = []

    def load() -> None:
        try:
            store.upsert_edges(edges)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.counts().edges == {"RELATED_TO": len(edges)}
    assert len({c.version for c in store.changes_since(0) if not isinstance(c.record, Node)}) == 1


def test_a_cached_element_id_that_names_another_node_is_not_used(neo4j_store: GraphStore) -> None:
    store = neo4j(neo4j_store)
    store.upsert_nodes([org(f"test:{x}") for x in "abcd"])
    store.upsert_edges([edge(EdgeKind.RELATED_TO, "test:a", "test:b")])
    elements = {r["id"]: r["e"] for r in store._read("MATCH (n:Entity) RETURN n.id AS id, elementId(n) AS e")}
    assert store._element_ids["test:a"] == elements["test:a"]
    # as if test:a had been deleted and its element id reused by another node
    store._element_ids["test:a"] = elements["test:c"]
    assert store.upsert_edges([edge(EdgeKind.SAME_AS, "test:a", "test:d")]).written == 1
    assert [e.dst for e in store.edges_of("test:a", kinds=[EdgeKind.SAME_AS])] == ["test:d"]
    assert store.degree("test:c") == 0
    # a node deleted behind the store's back: its edges are rejected, not attached elsewhere
    store._run("MATCH (n:Entity {id: 'test:b'}) DETACH DELETE n")
    result = store.upsert_edges(
        [edge(EdgeKind.PARENT_OF, "test:b", "test:d"), edge(EdgeKind.PARENT_OF, "test:a", "test:d")]
    )
    assert (result.written, [r.field for r in result.rejected]) == (1, ["src"])
    assert store.counts().edges == {"SAME_AS": 1, "PARENT_OF": 1}
    store.clear()
    assert store._element_ids == {}


def test_wrong_password_and_newer_schema_are_refused(neo4j_store: GraphStore, neo4j_server: object) -> None:
    uri = neo4j_server.bolt_uri  # type: ignore[attr-defined]
    with pytest.raises(StoreError) as err:
        Neo4jStore(uri, user="neo4j", password="not-the-password-42")
    assert "not-the-password-42" not in str(err.value) and uri in str(err.value)
    store = neo4j(neo4j_store)
    store.driver.execute_query("MERGE (m:RsgraphMeta {key: 'store'}) SET m.schema_version = 999")
    with pytest.raises(SchemaVersionError, match="999"):
        Neo4jStore(uri, user="neo4j", password=store_password(uri))
    store.clear()


def test_schema_1_edges_are_migrated_when_the_store_opens(neo4j_store: GraphStore, neo4j_server: object) -> None:
    store = neo4j(neo4j_store)
    store.page_size = 2  # several pages of one kind
    store.upsert_nodes([org(f"test:{i}") for i in "abcd"])
    edges = [edge(EdgeKind.FUNDED_BY, "test:a", f"test:{i}", "k", "2020", None, amount=1, x=[1.5]) for i in "bcd"]
    edges.append(edge(EdgeKind.SAME_AS, "test:b", "test:c"))
    store.upsert_edges(edges)
    version = store.version()
    store.driver.execute_query(  # back to the version 1 layout: each fact its own property
        "MATCH ()-[r]->() WITH r, $p[r.eid] AS p SET r += p REMOVE r.data",
        p={e.id: {**legacy_facts(e)} for e in edges},
    )
    store.driver.execute_query("MATCH (m:RsgraphMeta {key: 'store'}) SET m.schema_version = 1")
    uri = neo4j_server.bolt_uri  # type: ignore[attr-defined]
    with Neo4jStore(uri, user="neo4j", password=store_password(uri)) as reopened:
        reopened.page_size = 2
        assert sorted(reopened.iter_edges(), key=lambda e: e.id) == sorted(edges, key=lambda e: e.id)
        assert (reopened.version(), reopened.upsert_edges(edges).written) == (version, 0)
        keys = reopened.driver.execute_query("MATCH ()-[r]->() RETURN DISTINCT keys(r) AS k").records
        assert set().union(*(r["k"] for r in keys)) == {"eid", "lo", "source", "data", "hash", "version"}
        assert reopened.driver.execute_query(cy.VERSION).records[0]["schema"] == cy.SCHEMA_VERSION
    store.clear()


def legacy_facts(e: Edge) -> dict[str, object]:
    p = e.provenance
    facts = {"key": e.key, "start_date": e.start, "end_date": e.end, "props": rows.json_text(e.props)}
    return {
        **facts,
        "source_id": p.source_id,
        "url": p.url,
        "retrieved_at": p.retrieved_at,
        "dataset_version": p.dataset_version,
    }


def store_password(uri: str) -> str:
    from graph.neo4j_server import password_for_uri

    return password_for_uri(uri) or ""


def test_subgraph_without_attributes_has_the_same_shape(neo4j_store: GraphStore) -> None:
    store = neo4j(neo4j_store)
    ids = [f"test:n{i}" for i in range(12)]
    store.upsert_nodes([org(i) for i in ids] + [Node("test:f", NodeKind.FUNDER, "F", prov(), {})])
    store.upsert_edges(
        [edge(EdgeKind.COLLABORATED_WITH, a, b, "2020", "2020", "2020", count=1) for a, b in itertools.pairwise(ids)]
        + [edge(EdgeKind.FUNDED_BY, i, "test:f", start="2010", end="2012") for i in ids[::3]]
        + [edge(EdgeKind.SAME_AS, ids[5], ids[0])]
    )
    queries = [
        SubgraphQuery(("test:n0",), hops=3),
        SubgraphQuery(("test:n4", "test:missing"), hops=2, degree_cap=2),
        SubgraphQuery(("test:f",), hops=2, edge_kinds=frozenset({EdgeKind.FUNDED_BY}), since="2011"),
        SubgraphQuery(("test:n1",), hops=2, since="2015", until="2021"),
        SubgraphQuery(("test:n1",), hops=2, edge_kinds=frozenset()),
    ]
    with store.bulk():
        for q in queries:
            full, bare = store.subgraph(q), store.subgraph(dataclasses.replace(q, attributes=False))
            assert list(bare.nodes(data=True)) == [
                (n, {"kind": d["kind"], "distance": d["distance"]}) for n, d in full.nodes(data=True)
            ]
            assert list(bare.edges(keys=True, data=True)) == [
                (u, v, k, {"kind": d["kind"]}) for u, v, k, d in full.edges(keys=True, data=True)
            ]
            assert bare.graph == full.graph
