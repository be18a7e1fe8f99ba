"""Evidence export: byte-identical reruns, manifest hashes, GraphML round trip, every format."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import networkx as nx
import pytest

from graph.store import GraphStore
from queries.export import EXPORT_FORMATS, evidence_records, export_evidence, flat_graph
from queries.report import CheckQuery, DueDiligenceReport, due_diligence
from tests.queries.world import ALPHA, load_world


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    return load_world(store)


def _report(store: GraphStore) -> DueDiligenceReport:
    return due_diligence(store, CheckQuery(ALPHA, ALPHA))


def _files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_same_store_and_query_give_byte_identical_files(world: GraphStore, tmp_path: Path, fmt: str) -> None:
    export_evidence(world, _report(world), tmp_path / "a", fmt)
    export_evidence(world, _report(world), tmp_path / "b", fmt)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first == second
    manifest = json.loads(first["manifest.json"])
    assert set(manifest["files"]) == set(first) - {"manifest.json"}
    for name, meta in manifest["files"].items():
        assert meta["sha256"] == hashlib.sha256(first[name]).hexdigest()
    assert manifest["query"] == {"input": ALPHA, "org_id": ALPHA}
    assert manifest["parameters"]["hops"] == 3 and manifest["parameters"]["format"] == fmt
    assert manifest["dataset_versions"]["ror"] == ["v1.55"]
    assert manifest["time"] == "2026-11-01" and manifest["rsgraph_version"]


def test_evidence_holds_every_record_the_report_points_to(world: GraphStore) -> None:
    report = _report(world)
    nodes, edges = evidence_records(world, report)
    node_ids, edge_ids = {n.id for n in nodes}, {e.id for e in edges}
    assert {r.id for r in report.identity.records} <= node_ids
    assert {"ror:0alphp001", "ror:0alphc001", "designation:us_bis_entity_list:99"} <= node_ids
    assert {e.edge_id for t in report.ties.ties for s in t.steps for e in s.evidence} <= edge_ids
    assert "PARENT_OF|ror:0alphp001|ror:0alpha001|" in edge_ids
    assert "DESIGNATED_ON|list:us_bis_entity_list:7|designation:us_bis_entity_list:7|" in edge_ids
    assert all(e.src in node_ids and e.dst in node_ids for e in edges)


def test_graphml_reimports_into_networkx_losslessly(world: GraphStore, tmp_path: Path) -> None:
    report = _report(world)
    export_evidence(world, report, tmp_path, "graphml")
    back = nx.read_graphml(tmp_path / "evidence.graphml", force_multigraph=True)
    want = flat_graph(*evidence_records(world, report))
    assert dict(back.nodes(data=True)) == dict(want.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(want.edges(keys=True, data=True))
    alpha = back.nodes[ALPHA]
    assert alpha["label"] == "Alpha University" and alpha["p_country"] == "DE" and alpha["dataset_version"] == "v1.55"
    assert json.loads(alpha["props"])["acronyms"] == ["AU"]
    collab = back.edges["openalex:I100", "openalex:I200", "COLLABORATED_WITH|openalex:I100|openalex:I200|2024"]
    assert collab["p_count"] == 12 and collab["weight"] == 12.0 and collab["valid_from"] == "2024"


def test_gexf_json_and_csv_carry_the_records(world: GraphStore, tmp_path: Path) -> None:
    report = _report(world)
    nodes, edges = evidence_records(world, report)
    for fmt in ("gexf", "json", "csv"):
        export_evidence(world, report, tmp_path / fmt, fmt)
    gexf = nx.read_gexf(tmp_path / "gexf" / "evidence.gexf")
    assert gexf.number_of_nodes() == len(nodes) and gexf.number_of_edges() == len(edges)
    doc = json.loads((tmp_path / "json" / "evidence.json").read_text(encoding="utf-8"))
    assert [n["id"] for n in doc["nodes"]] == [n.id for n in nodes]
    assert doc["edges"][0]["provenance"]["dataset_version"]
    with (tmp_path / "csv" / "edges.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == [e.id for e in edges]
    assert {"source", "source_id", "url", "dataset_version", "retrieved_at", "props"} <= set(rows[0])


def test_unknown_export_format_is_an_error(world: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        export_evidence(world, _report(world), tmp_path, "pdf")
