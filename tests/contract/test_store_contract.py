"""The one contract every GraphStore keeps; run against embedded and Neo4j."""

from __future__ import annotations

from dataclasses import replace

import networkx as nx
import pytest

from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from graph.store import GraphStore, SubgraphQuery
from graph.subgraph import reference_subgraph
from tests.factories import edge, org, prov

UNICODE_NAMES = [
    "南京航空航天大学",
    "Московский государственный университет имени М. В. Ломоносова",
    "جامعة طهران",
    "Université Paris-Saclay",
    "東京大学",
    "한국과학기술원",
]


def small_world() -> tuple[list[Node], list[Edge]]:
    nodes = [org(f"test:o{i}", f"Org {i}") for i in range(8)]
    nodes.append(
        Node(
            "test:d1", NodeKind.DESIGNATION, "Entity List", prov(), {"legal_effect": "legal_restriction", "list": "EL"}
        )
    )
    edges = [
        edge(EdgeKind.PARENT_OF, "test:o0", "test:o1"),
        edge(EdgeKind.COLLABORATED_WITH, "test:o1", "test:o2", key="2020", start="2020", end="2020", count=3),
        edge(EdgeKind.COLLABORATED_WITH, "test:o1", "test:o2", key="2023", start="2023", end="2023", count=1),
        edge(EdgeKind.COLLABORATED_WITH, "test:o2", "test:o3", key="2021", start="2021", end="2021", count=2),
        edge(EdgeKind.SAME_AS, "test:o3", "test:o4", score=0.97),
        edge(EdgeKind.DESIGNATED_ON, "test:o4", "test:d1", start="2019-05-16"),
        edge(EdgeKind.RELATED_TO, "test:o5", "test:o6"),
        edge(EdgeKind.PARENT_OF, "test:o0", "test:o7"),
    ]
    return nodes, edges


def load(store: GraphStore, nodes: list[Node], edges: list[Edge]) -> None:
    assert not store.upsert_nodes(nodes).rejected
    assert not store.upsert_edges(edges).rejected


def assert_same_graph(got: nx.MultiDiGraph, want: nx.MultiDiGraph) -> None:
    assert dict(got.nodes(data=True)) == dict(want.nodes(data=True))
    assert sorted(got.edges(keys=True, data=True)) == sorted(want.edges(keys=True, data=True))
    assert got.graph == want.graph


def test_upsert_and_get_round_trip(store: GraphStore) -> None:
    nodes, edges = small_world()
    load(store, nodes, edges)
    for n in nodes:
        assert store.get_node(n.id) == n
    assert store.get_node("test:missing") is None
    assert store.get_nodes(["test:o1", "test:o2", "test:nope"]) == {"test:o1": nodes[1], "test:o2": nodes[2]}
    assert store.edges_of("test:o1") == sorted([e for e in edges if "test:o1" in (e.src, e.dst)], key=lambda e: e.id)
    assert [e.kind for e in store.edges_of("test:o0", kinds=[EdgeKind.PARENT_OF])] == [EdgeKind.PARENT_OF] * 2


def test_counts(store: GraphStore) -> None:
    nodes, edges = small_world()
    load(store, nodes, edges)
    counts = store.counts().as_dict()
    assert counts["nodes"] == {"Designation": 1, "Organisation": 8}
    assert counts["edges"] == {
        "COLLABORATED_WITH": 3,
        "DESIGNATED_ON": 1,
        "PARENT_OF": 2,
        "RELATED_TO": 1,
        "SAME_AS": 1,
    }


def test_upsert_twice_changes_nothing(store: GraphStore) -> None:
    nodes, edges = small_world()
    load(store, nodes, edges)
    version = store.version()
    again_n = store.upsert_nodes(nodes)
    again_e = store.upsert_edges(edges)
    assert (again_n.written, again_n.unchanged) == (0, len(nodes))
    assert (again_e.written, again_e.unchanged) == (0, len(edges))
    assert store.version() == version
    assert list(store.changes_since(version)) == []


def test_change_feed_reports_only_changes(store: GraphStore) -> None:
    nodes, edges = small_world()
    load(store, nodes, edges)
    v = store.version()
    changed = org("test:o1", "Org One Renamed")
    store.upsert_nodes([changed, nodes[2]])
    new_edge = edge(EdgeKind.COLLABORATED_WITH, "test:o1", "test:o7", key="2024", start="2024", end="2024", count=1)
    store.upsert_edges([new_edge, edges[0]])
    feed = list(store.changes_since(v))
    assert [c.record for c in feed] == [changed, new_edge]
    assert all(c.version > v for c in feed)
    assert store.version() == max(c.version for c in feed)
    assert store.search("renamed")[0].id == "test:o1"
    assert store.search("Org One Renamed")[0] == changed


def test_retrieved_at_alone_is_not_a_change(store: GraphStore) -> None:
    nodes, edges = small_world()
    load(store, nodes, edges)
    v = store.version()
    later = Provenance("test", "test:o1", "https://example.org/test:o1", "2027-01-01T00:00:00Z", "v1")
    result = store.upsert_nodes([Node("test:o1", NodeKind.ORGANISATION, "Org 1", later, {})])
    assert result.written == 0
    assert store.version() == v


def test_invalid_records_are_reported_and_valid_ones_committed(store: GraphStore) -> None:
    good = org("test:a", "Alpha")
    bad = Node("test:b", NodeKind.ORGANISATION, "  ", prov(), {})
    bad_designation = Node("test:c", NodeKind.DESIGNATION, "X", prov(), {"legal_effect": "maybe"})
    result = store.upsert_nodes([good, bad, bad_designation])
    assert result.written == 1
    assert [(r.record_id, r.field) for r in result.rejected] == [("test:b", "name"), ("test:c", "props.legal_effect")]
    assert store.get_node("test:a") == good
    edges = [
        edge(EdgeKind.PARENT_OF, "test:a", "test:ghost"),
        edge(EdgeKind.PARENT_OF, "test:a", "test:a"),
        edge(EdgeKind.COLLABORATED_WITH, "test:a", "test:a2", start="2020-13"),
    ]
    store.upsert_nodes([org("test:a2")])
    result = store.upsert_edges([*edges, edge(EdgeKind.RELATED_TO, "test:a", "test:a2")])
    assert result.written == 1
    assert sorted(r.field for r in result.rejected) == ["dst", "dst", "start"]
    assert store.counts().as_dict()["edges"] == {"RELATED_TO": 1}


def test_unicode_names_round_trip_and_search(store: GraphStore) -> None:
    nodes = [org(f"test:u{i}", name) for i, name in enumerate(UNICODE_NAMES)]
    load(store, nodes, [])
    for n in nodes:
        assert store.get_node(n.id) == n
    assert store.search("航空航天")[0].id == "test:u0"
    assert store.search("московский университет")[0].id == "test:u1"
    assert store.search("جامعة طهران")[0].id == "test:u2"
    assert store.search("universite paris saclay")[0].id == "test:u3"


def test_search_ranks_by_shared_tokens_and_searches_aliases(store: GraphStore) -> None:
    nodes = [
        org("test:nju", "Nanjing University", names=[{"value": "南京大学", "lang": "zh", "type": "label"}]),
        org("test:nuaa", "Nanjing University of Aeronautics and Astronautics", aliases=["NUAA"]),
        org("test:pku", "Peking University"),
    ]
    load(store, nodes, [])
    assert [n.id for n in store.search("Nanjing University")] == ["test:nju", "test:nuaa", "test:pku"]
    assert [n.id for n in store.search("nuaa")] == ["test:nuaa"]
    assert store.search("南京大学")[0].id == "test:nju"
    assert [n.id for n in store.search("university", limit=2)] == ["test:pku", "test:nju"]
    assert store.search("unheard thing") == []
    assert store.search("Nanjing", kinds=[NodeKind.DESIGNATION]) == []


SHAPES = [
    SubgraphQuery(("test:o1",), hops=1),
    SubgraphQuery(("test:o1",), hops=2),
    SubgraphQuery(("test:o1",), hops=4),
    SubgraphQuery(("test:o0", "test:o5"), hops=2),
    SubgraphQuery(("test:o1",), hops=3, edge_kinds=frozenset({EdgeKind.COLLABORATED_WITH})),
    SubgraphQuery(("test:o1",), hops=3, since="2021", until="2022"),
    SubgraphQuery(("test:o1",), hops=3, until="2020-06"),
    SubgraphQuery(("test:o1",), hops=3, degree_cap=2),
    SubgraphQuery(("test:o2",), hops=3, degree_cap=2),
    SubgraphQuery(("test:missing",), hops=2),
]


@pytest.mark.parametrize("query", SHAPES, ids=repr)
def test_subgraph_equals_networkx_oracle(store: GraphStore, query: SubgraphQuery) -> None:
    nodes, edges = small_world()
    load(store, nodes, edges)
    assert_same_graph(store.subgraph(query), reference_subgraph(nodes, edges, query))


@pytest.mark.parametrize("query", SHAPES, ids=repr)
def test_subgraph_without_attributes_has_the_same_shape(store: GraphStore, query: SubgraphQuery) -> None:
    """attributes=False: the same nodes, edges and graph data; nodes keep kind and distance, edges kind."""
    nodes, edges = small_world()
    load(store, nodes, edges)
    bare = replace(query, attributes=False)
    full, ids = store.subgraph(query), store.subgraph(bare)
    assert_same_graph(ids, reference_subgraph(nodes, edges, bare))
    assert ids.graph == full.graph
    assert dict(ids.nodes(data=True)) == {
        n: {"kind": d["kind"], "distance": d["distance"]} for n, d in full.nodes(data=True)
    }
    assert sorted(ids.edges(keys=True, data=True)) == sorted(
        (u, v, k, {"kind": d["kind"]}) for u, v, k, d in full.edges(keys=True, data=True)
    )


def test_subgraph_carries_provenance_and_pruned_hubs(store: GraphStore) -> None:
    nodes, edges = small_world()
    load(store, nodes, edges)
    g = store.subgraph(SubgraphQuery(("test:o2",), hops=3, degree_cap=2))
    assert g.graph["pruned"] == ["test:o1"]
    assert g.nodes["test:o3"]["provenance"]["source_id"] == "test:o3"
    assert g.nodes["test:o3"]["distance"] == 1
    data = g.get_edge_data("test:o3", "test:o4")
    assert [d["props"] for d in data.values()] == [{"score": 0.97}]


def test_degree_and_remove_edges(store: GraphStore) -> None:
    nodes, edges = small_world()
    load(store, nodes, edges)
    assert store.degree("test:o1") == 3
    assert store.degree("test:nothing") == 0
    version = store.version()
    assert store.remove_edges(["COLLABORATED_WITH|x|y|"]) == 0
    assert store.version() == version  # nothing removed, nothing moved
    assert store.remove_edges([edges[1].id, "COLLABORATED_WITH|x|y|"]) == 1
    assert store.version() > version  # caches keyed on the version must see a removal
    assert store.degree("test:o1") == 2
    assert store.degree("test:o2") == 2
    assert edges[1] not in store.edges_of("test:o1")
    store.upsert_edges([edges[1]])
    assert store.degree("test:o1") == 3


def test_iteration_streams_everything_filtered(store: GraphStore) -> None:
    nodes, edges = small_world()
    load(store, nodes, edges)
    assert list(store.iter_nodes()) == sorted(nodes, key=lambda n: n.id)
    assert [n.id for n in store.iter_nodes(kind=NodeKind.DESIGNATION)] == ["test:d1"]
    assert list(store.iter_nodes(source="nope")) == []
    assert sorted(store.iter_edges(), key=lambda e: e.id) == sorted(edges, key=lambda e: e.id)
    assert len(list(store.iter_edges(kind=EdgeKind.COLLABORATED_WITH))) == 3


def test_documents(store: GraphStore) -> None:
    store.put_doc("judgements", "a|b", {"decision": "same", "by": "ana", "why": "同じ"})
    store.put_doc("judgements", "a|c", {"decision": "not_same"})
    store.put_doc("watchlist", "a", {"by": "bo"})
    assert store.get_doc("judgements", "a|b") == {"decision": "same", "by": "ana", "why": "同じ"}
    assert [k for k, _ in store.iter_docs("judgements")] == ["a|b", "a|c"]
    store.put_doc("judgements", "a|b", {"decision": "not_same"})
    assert store.get_doc("judgements", "a|b") == {"decision": "not_same"}
    assert store.delete_doc("judgements", "a|b") is True
    assert store.delete_doc("judgements", "a|b") is False
    assert store.get_doc("judgements", "a|b") is None
    assert [k for k, _ in store.iter_docs("watchlist")] == ["a"]


def test_large_batch_spanning_transactions(store: GraphStore) -> None:
    nodes = [org(f"test:n{i:05d}", f"Institute {i}") for i in range(25_000)]
    edges = [
        edge(EdgeKind.COLLABORATED_WITH, f"test:n{i:05d}", f"test:n{i + 1:05d}", key="2020") for i in range(24_999)
    ]
    assert store.upsert_nodes(nodes).written == 25_000
    assert store.upsert_edges(edges).written == 24_999
    assert store.counts().as_dict() == {"nodes": {"Organisation": 25_000}, "edges": {"COLLABORATED_WITH": 24_999}}
    assert store.degree("test:n00100") == 2
