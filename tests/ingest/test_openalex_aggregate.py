"""Aggregated work evidence: counts are a function of the latest version of each work seen."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.embedded import EmbeddedStore
from graph.model import EdgeKind
from graph.store import GraphStore
from ingest.openalex_aggregate import apply_works
from ingest.openalex_works import WorkFacts, work_facts
from ingest.pipeline import IngestReport, SourceRun
from tests.factories import org

RUN = SourceRun("openalex", "test", "test", "2026-11-01T00:00:00Z")

Version = tuple[str, int, frozenset[str]]  # (work, year, institutions)


def _facts(work: str, year: int, insts: frozenset[str]) -> WorkFacts:
    raw = {
        "id": f"https://openalex.org/{work}",
        "publication_year": year,
        "authorships": [
            {"institutions": [{"id": f"https://openalex.org/{i}", "display_name": i}]} for i in sorted(insts)
        ],
    }
    facts = work_facts(raw, RUN)
    assert isinstance(facts, WorkFacts)
    return facts


def _apply(store: GraphStore, versions: list[Version], batch: int) -> IngestReport:
    report = IngestReport("openalex", "test", "test")
    for i in range(0, len(versions), batch):
        apply_works(store, [_facts(*v) for v in versions[i : i + batch]], RUN, report)
    return report


def _collaborations(store: GraphStore) -> dict[str, dict[str, Any]]:
    return {e.id: dict(e.props) for e in store.iter_edges(kind=EdgeKind.COLLABORATED_WITH)}


def _oracle(versions: list[Version]) -> dict[str, dict[str, Any]]:
    latest = {work: (year, insts) for work, year, insts in versions}
    works: dict[str, set[str]] = defaultdict(set)
    for work, (year, insts) in latest.items():
        for a, b in combinations(sorted(f"openalex:{i}" for i in insts), 2):
            works[f"COLLABORATED_WITH|{a}|{b}|{year}"].add(work)
    return {
        key: {"count": len(ws), "works": sorted(ws, key=lambda w: int(w[1:]))[:10]} for key, ws in works.items() if ws
    }


versions_strategy = st.lists(
    st.tuples(
        st.sampled_from([f"W{i}" for i in range(1, 16)]),
        st.sampled_from([2020, 2021]),
        st.frozensets(st.sampled_from(["I1", "I2", "I3", "I4", "I5"]), max_size=4),
    ),
    max_size=30,
)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(versions=versions_strategy, batch=st.integers(1, 7))
def test_counts_follow_the_latest_version_of_each_work(versions: list[Version], batch: int) -> None:
    store = EmbeddedStore(":memory:")
    try:
        _apply(store, versions, batch)
        assert _collaborations(store) == _oracle(versions)
        before = {e.id: e.props for e in store.iter_edges()}
        latest = list({w: (w, y, i) for w, y, i in versions}.values())
        _apply(store, latest, 100)  # seeing the same works again changes nothing
        assert {e.id: e.props for e in store.iter_edges()} == before
    finally:
        store.close()


def test_reingesting_the_same_works_does_not_double_counts(embedded_store: GraphStore) -> None:
    versions: list[Version] = [("W1", 2021, frozenset({"I1", "I2"})), ("W2", 2021, frozenset({"I1", "I2", "I3"}))]
    _apply(embedded_store, versions, 1)
    first = _collaborations(embedded_store)
    report = _apply(embedded_store, versions, 2)
    assert _collaborations(embedded_store) == first
    assert first["COLLABORATED_WITH|openalex:I1|openalex:I2|2021"] == {"count": 2, "works": ["W1", "W2"]}
    assert report.written == 0  # nothing moved


def test_a_corrected_affiliation_moves_the_evidence(embedded_store: GraphStore) -> None:
    _apply(embedded_store, [("W1", 2021, frozenset({"I1", "I2"}))], 1)
    _apply(embedded_store, [("W1", 2021, frozenset({"I1", "I3"}))], 1)
    assert set(_collaborations(embedded_store)) == {"COLLABORATED_WITH|openalex:I1|openalex:I3|2021"}


def test_stub_never_overwrites_a_full_record(embedded_store: GraphStore) -> None:
    full = org("openalex:I1", "Full Name University", country="DE")
    embedded_store.upsert_nodes([full])
    _apply(embedded_store, [("W1", 2021, frozenset({"I1", "I2"}))], 1)
    node = embedded_store.get_node("openalex:I1")
    assert node is not None and node.name == "Full Name University" and "stub" not in node.props
    stub = embedded_store.get_node("openalex:I2")
    assert stub is not None and stub.props["stub"] is True
