"""Pure parts of the Neo4j store: Cypher built only from enums, property rows, URI scrubbing."""

from __future__ import annotations

import logging
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import neo4j_cypher as cy
from graph import neo4j_rows as rows
from graph.model import Edge, EdgeKind, Node, NodeKind, content_hash
from tests.factories import org


def test_labels_and_types_come_only_from_enums() -> None:
    assert cy.node_label(NodeKind.DESIGNATION) == "Designation"
    assert cy.rel_types([EdgeKind.SAME_AS, EdgeKind.PARENT_OF, EdgeKind.SAME_AS]) == "PARENT_OF|SAME_AS"
    with pytest.raises(ValueError):
        cy.rel_types(["KNOWS]-() DETACH DELETE n //"])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        cy.node_label("Entity:Admin")  # type: ignore[arg-type]
    with pytest.raises(AssertionError):
        cy.rel_types([])


def test_schema_names_every_edge_kind() -> None:
    statements = dict(cy.schema_statements())
    for kind in EdgeKind:
        assert f"[r:{kind.value}]" in statements[f"rsgraph_{kind.value.lower()}_eid"]
    assert all(s.startswith("CREATE ") and f" {name} IF NOT EXISTS " in s for name, s in statements.items())
    assert statements["rsgraph_entity_id"].startswith("CREATE CONSTRAINT")
    assert statements[cy.FULLTEXT_INDEX].startswith("CREATE FULLTEXT INDEX")


def test_safe_uri_drops_credentials() -> None:
    assert rows.safe_uri("neo4j+s://neo4j:s3cret@db.example.org:7687/x?a=b") == "neo4j+s://db.example.org:7687/x"
    assert rows.safe_uri("bolt://127.0.0.1:7687") == "bolt://127.0.0.1:7687"
    uri = "neo4j://u:pw9@h:1"
    assert rows.scrub(f"bad {uri} pass=pw9 x=s3", uri, "s3") == "bad neo4j://h:1 pass=*** x=***"


def test_fulltext_term_is_one_quoted_term() -> None:
    assert rows.fulltext_term("南京") == '"南京"'
    assert rows.fulltext_term('a"b\\c') == '"a\\"b\\\\c"'


def test_edge_id_kind() -> None:
    assert rows.kind_of_edge_id("SAME_AS|a|b|") is EdgeKind.SAME_AS
    assert rows.kind_of_edge_id("NOPE|a|b|") is None


def test_node_row_holds_tokens_of_every_name() -> None:
    n = org("test:x", "Nanjing University", names=[{"value": "南京大学"}], aliases=["NJU"])
    row = rows.node_row(n, "h")
    assert row["tokens"].split() == ["nanjing", "university", "南", "京", "大", "学", "南京", "京大", "大学", "nju"]
    assert (row["hash"], row["kind"]) == ("h", "Organisation")
    assert set(row) == set(rows.NODE_COLUMNS)


def test_columns_and_set_clause() -> None:
    table = [{"a": 1, "b": None}, {"a": 2, "b": "x"}]
    assert rows.columns(table, ["a", "b"]) == {"a": [1, 2], "b": [None, "x"]}
    assert cy.set_all("r", ["a", "b"]) == "r.a = $c.a[i], r.b = $c.b[i], r.version = $version"
    with pytest.raises(AssertionError):
        cy.set_all("r", ["a = 1 DETACH DELETE r //"])


@settings(derandomize=True, max_examples=50)
@given(
    props=st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5) | st.none(), max_size=3),
    start=st.none() | st.sampled_from(["2020", "2020-02", "2020-02-29"]),
    key=st.text(max_size=3),
)
def test_rows_round_trip(props: dict[str, object], start: str | None, key: str) -> None:
    n = Node("test:n", NodeKind.PROJECT, "P", org("test:n").provenance, props)
    assert rows.node_from_record(rows.node_row(n, "h")) == n
    e = Edge(EdgeKind.FUNDED_BY, "test:a", "test:b", n.provenance, key, start, None, props)
    row = rows.edge_row(e, "h")
    assert set(row) == {"src", "dst", *rows.EDGE_COLUMNS}
    assert (row["lo"], row["hi"]) == ((start + "-01-01")[:10] if start else None, None)
    assert rows.edge_from_record({**row, "kind": e.kind.value}) == e


def test_unreachable_or_foreign_uri_is_a_store_error_without_secrets(caplog: pytest.LogCaptureFixture) -> None:
    from graph.errors import StoreError
    from graph.neo4j_store import Neo4jStore

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    caplog.set_level(logging.DEBUG)
    for uri in [f"bolt://127.0.0.1:{port}", f"bolt://neo4j:hunter2@127.0.0.1:{port}", "http://127.0.0.1:1"]:
        with pytest.raises(StoreError) as err:
            Neo4jStore(uri, user="neo4j", password="hunter2")
        assert "hunter2" not in str(err.value)
        assert "127.0.0.1" in str(err.value)
    assert "hunter2" not in caplog.text


def test_prepared_batches_are_the_rows_of_the_last_admitted_records() -> None:
    p = org("test:a").provenance
    first = Edge(EdgeKind.RELATED_TO, "test:a", "test:b", p, "", "2020", None, {"w": 1})
    last = Edge(EdgeKind.RELATED_TO, "test:a", "test:b", p, "", "2021", None, {"w": 2})
    loop = Edge(EdgeKind.SAME_AS, "test:c", "test:c", p)
    other = Edge(EdgeKind.SAME_AS, "test:c", "test:d", p)
    batch = rows.prepare_edges([first, loop, other, last])
    assert [r.record_id for r in batch.rejected] == [loop.id]
    assert batch.kinds == [EdgeKind.RELATED_TO, EdgeKind.SAME_AS]
    expected = [rows.edge_row(e, content_hash(e)) for e in (last, other)]
    assert batch.cols == rows.columns(expected, ("src", "dst", *rows.EDGE_COLUMNS))
    assert rows.select(batch.cols, [1]) == rows.columns(expected[1:], ("src", "dst", *rows.EDGE_COLUMNS))
    assert rows.select(batch.cols, [0, 1]) == batch.cols
    nodes = rows.prepare_nodes([org("test:a"), Node("bad", NodeKind.ORGANISATION, "B", p, {})])
    assert (nodes.kinds, [r.record_id for r in nodes.rejected]) == ([NodeKind.ORGANISATION], ["bad"])
    assert nodes.cols == rows.columns([rows.node_row(org("test:a"), content_hash(org("test:a")))], rows.NODE_COLUMNS)
    assert rows.prepare_edges([]).cols == {name: [] for name in ("src", "dst", *rows.EDGE_COLUMNS)}
