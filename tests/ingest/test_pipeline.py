"""The load pipeline's own parts: the edge spool, the bulk decision, a bulk load equal to a plain one."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, seed, settings
from hypothesis import strategies as st

from bench.source_gen import write_ror_dump
from graph.embedded import EmbeddedStore
from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from graph.settings import load_settings
from ingest.pipeline import BULK_MIN, SourceRun, bulk_pays, load
from ingest.ror_dump import ingest_ror
from ingest.spool import EdgeSpool
from tests.ingest.test_reliability import graph_digest

RUN = SourceRun("test", "v1", "here", "2026-11-22T00:00:00Z")


def _prov(source_id: str) -> Provenance:
    return Provenance("test", source_id, f"https://example.org/{source_id}", RUN.retrieved_at, RUN.dataset_version)


edges = st.builds(
    Edge,
    kind=st.sampled_from(list(EdgeKind)),
    src=st.text(min_size=1, max_size=6).map(lambda s: f"test:{s}"),
    dst=st.text(min_size=1, max_size=6).map(lambda s: f"test:{s}"),
    provenance=st.text(max_size=5).map(_prov),
    key=st.text(max_size=4),
    start=st.none() | st.sampled_from(["2020", "2021-03-04"]),
    end=st.none() | st.just("2024-12-31"),
    props=st.dictionaries(st.text(max_size=4), st.none() | st.integers() | st.floats(allow_nan=False), max_size=3),
)


@seed(20261122)
@settings(max_examples=200, deadline=None, derandomize=True)
@given(items=st.lists(edges, max_size=40), chunk=st.integers(1, 7), limit=st.integers(1, 15))
def test_spool_gives_back_every_edge_in_order(items: list[Edge], chunk: int, limit: int) -> None:
    """Whatever is kept in memory or written to disk, the edges come back equal and in order, once."""
    spool = EdgeSpool(chunk=chunk, memory_limit=limit)
    for edge in items:
        spool.add(edge)
    drained = list(spool.drain())
    assert [e for part in drained for e in part] == items
    assert all(0 < len(part) <= chunk for part in drained)
    assert spool.count == len(items) and list(spool.drain()) == []
    spool.close()


def test_bulk_only_for_a_large_load_into_a_store_holding_much_less(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.db")
    assert not bulk_pays(store, BULK_MIN - 1)
    assert bulk_pays(store, BULK_MIN)
    nodes = [Node(f"test:{i}", NodeKind.ORGANISATION, f"Org {i}", _prov(str(i))) for i in range(BULK_MIN)]
    store.upsert_nodes(nodes)
    assert not bulk_pays(store, BULK_MIN)  # e.g. a re-ingest: indexes over 20k records rebuilt for nothing new
    assert bulk_pays(store, 2 * BULK_MIN)
    store.close()


def test_bulk_load_gives_the_same_graph_as_a_plain_one(tmp_path: Path) -> None:
    """The same mapped stream, with and without store.bulk(): equal graphs, equal reports."""
    nodes = [Node(f"test:{i}", NodeKind.ORGANISATION, f"Org {i}", _prov(str(i))) for i in range(500)]
    links = [Edge(EdgeKind.RELATED_TO, f"test:{i}", f"test:{i + 1}", _prov(f"{i}")) for i in range(499)]
    reports, digests = [], []
    for bulk in (False, True):
        store = EmbeddedStore(tmp_path / f"{bulk}.db")
        reports.append(load(store, [*links[:100], *nodes, *links[100:]], RUN, batch=64, bulk=bulk))
        digests.append(graph_digest(store))
        assert store.degree("test:7") == 2 and len(store.search("Org 7")) >= 1  # indexes back after the block
        store.close()
    assert reports[1].bulk and not reports[0].bulk
    assert (reports[0].written, reports[0].read) == (reports[1].written, reports[1].read) == (999, 999)
    assert digests[0] == digests[1]


def test_ror_dump_into_an_empty_store_loads_in_bulk_and_reruns_unchanged(tmp_path: Path) -> None:
    dump = write_ror_dump(tmp_path / "v9.3-2026-03-01-ror-data_schema_v2.json", 20_000)
    cfg = load_settings(env={}, cache_dir=str(tmp_path / "cache"))
    store = EmbeddedStore(tmp_path / "s.db")
    first = ingest_ror(store, str(dump), settings=cfg)
    assert first.bulk and first.failed is None and first.written > 20_000
    before = graph_digest(store)
    again = ingest_ror(store, str(dump), settings=cfg)
    assert not again.bulk and again.written == 0 and again.unchanged == first.written
    assert graph_digest(store) == before
    store.close()
