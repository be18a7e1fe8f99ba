"""The real OpenAlex snapshot extract: layouts, counts, incremental loads, resumption."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from app.cli import main
from graph.embedded import EmbeddedStore
from graph.model import EdgeKind, Node, NodeKind
from graph.settings import load_settings
from graph.store import GraphStore
from ingest.openalex import ingest_snapshot
from ingest.openalex_snapshot import find_partitions
from tests.conftest import SHARED
from tests.factories import org, prov

SNAPSHOT = SHARED / "openalex" / "snapshot"
INSTITUTIONS = SNAPSHOT / "institutions" / "updated_date=2023-09-04" / "part_000"
SETTINGS = load_settings(env={})


@pytest.fixture(autouse=True)
def _needs_real_data() -> None:
    if not SNAPSHOT.is_dir():
        pytest.skip(f"real data not present: {SNAPSHOT}")


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def graph_of(store: GraphStore) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every node and edge without the retrieval time (which differs between runs)."""

    def clean(d: dict[str, Any]) -> dict[str, Any]:
        return {**d, "provenance": {k: v for k, v in d["provenance"].items() if k != "retrieved_at"}}

    nodes = {n.id: clean(n.as_dict()) for n in store.iter_nodes()}
    edges = {e.id: clean(e.as_dict()) for e in store.iter_edges()}
    return nodes, edges


def test_real_snapshot_loads_with_correct_counts(store: GraphStore) -> None:
    report = ingest_snapshot(store, SNAPSHOT, settings=SETTINGS)
    assert report.failed is None and report.rejected == []
    assert report.read == 678 + 3 + 27
    institutions = _lines(INSTITUTIONS)
    full = [n for n in store.iter_nodes(kind=NodeKind.ORGANISATION) if not n.props.get("stub")]
    assert len(full) == 678
    assert len(list(store.iter_nodes(kind=NodeKind.FUNDER))) == 3
    associated = {a["id"] for r in institutions for a in r["associated_institutions"]}
    own = {r["id"] for r in institutions}
    stubs = [n for n in store.iter_nodes(kind=NodeKind.ORGANISATION) if n.props.get("stub")]
    assert len(stubs) == len(associated - own)
    expected_parent = {
        (a["id"], r["id"]) if a["relationship"] == "parent" else (r["id"], a["id"])
        for r in institutions
        for a in r["associated_institutions"]
        if a["relationship"] in ("parent", "child")
    }
    assert len(list(store.iter_edges(kind=EdgeKind.PARENT_OF))) == len(expected_parent)
    assert list(store.iter_edges(kind=EdgeKind.COLLABORATED_WITH)) == []  # these 27 works carry no authorships
    node = store.get_node("openalex:I4210124069")
    assert node is not None and node.props["acronyms"] == ["ASL"] and node.props["city"] == "Herndon"
    assert any("738 ROR" in note for note in report.notes)  # ROR ids named but not in the store


def test_2026_gzip_layout_and_legacy_layout_give_the_same_graph(tmp_path: Path) -> None:
    new = tmp_path / "new" / "data" / "jsonl"
    legacy = tmp_path / "legacy" / "data"
    for entity_dir in SNAPSHOT.iterdir():
        for part in entity_dir.glob("updated_date=*/part_*"):
            target = new / entity_dir.name / part.parent.name / "part_0000.gz"
            target.parent.mkdir(parents=True)
            target.write_bytes(gzip.compress(part.read_bytes()))
            shutil.copytree(part.parent, legacy / entity_dir.name / part.parent.name)
    assert set(find_partitions(tmp_path / "new")) == {"institutions", "works", "funders"}
    graphs = []
    for root in (tmp_path / "new", tmp_path / "legacy", SNAPSHOT):
        with EmbeddedStore(tmp_path / f"{root.parent.name}-{root.name}.db") as store:
            report = ingest_snapshot(store, root, settings=SETTINGS)
            assert report.read == 708, root
            nodes, edges = graph_of(store)
            graphs.append(({k: {**v, "provenance": None} for k, v in nodes.items()}, set(edges)))
    assert graphs[0] == graphs[1] == graphs[2]


def _copy_institutions(root: Path) -> Path:
    target = root / "institutions" / "updated_date=2023-09-04" / "part_000"
    target.parent.mkdir(parents=True)
    shutil.copy(INSTITUTIONS, target)
    return target


def _write_partition(root: Path, date: str, records: list[dict[str, Any]]) -> None:
    folder = root / "institutions" / f"updated_date={date}"
    folder.mkdir(parents=True)
    (folder / "part_000").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_incremental_by_updated_date(tmp_path: Path, embedded_store: GraphStore) -> None:
    root = tmp_path / "snap"
    _copy_institutions(root)
    first = ingest_snapshot(embedded_store, root, settings=SETTINGS)
    assert first.read == 678
    again = ingest_snapshot(embedded_store, root, settings=SETTINGS)
    assert again.read == 0 and again.skipped_by_checkpoint == 678 and again.written == 0
    changed = {**_lines(INSTITUTIONS)[0], "display_name": "Ashton Security Laboratories (renamed)"}
    _write_partition(root, "2023-10-01", [changed])
    _write_partition(root, "2023-01-01", [{**changed, "display_name": "stale"}])  # older than what was loaded
    report = ingest_snapshot(embedded_store, root, settings=SETTINGS)
    assert report.read == 1
    assert any("1 partition(s) older than updated_date=2023-09-04 skipped" in note for note in report.notes)
    node = embedded_store.get_node("openalex:I4210124069")
    assert node is not None and node.name == "Ashton Security Laboratories (renamed)"
    full = ingest_snapshot(embedded_store, root, settings=SETTINGS, full=True)
    assert full.read == 678 + 1 + 1
    node = embedded_store.get_node("openalex:I4210124069")
    assert node is not None and node.name == "Ashton Security Laboratories (renamed)"  # newest partition last


def test_malformed_line_is_quarantined_and_the_rest_loads(tmp_path: Path, embedded_store: GraphStore) -> None:
    root = tmp_path / "snap"
    part = _copy_institutions(root)
    lines = part.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4][:50] + "\n"  # a cut line
    lines[9] = json.dumps({"id": "https://openalex.org/I1"}) + "\n"  # no display_name
    part.write_text("".join(lines), encoding="utf-8")
    report = ingest_snapshot(embedded_store, root, settings=SETTINGS)
    assert report.failed is None
    assert [(r.field, r.location) for r in report.rejected] == [("line", f"{part}:5"), ("display_name", f"{part}:10")]
    assert len([n for n in embedded_store.iter_nodes() if not n.props.get("stub")]) == 676
    quarantined = dict(embedded_store.iter_docs("quarantine"))
    assert any(q["location"] == f"{part}:5" for q in quarantined.values())


class _Crash(Exception):
    pass


def test_crash_mid_file_then_rerun_gives_the_same_graph(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "clean.db") as clean:
        ingest_snapshot(clean, SNAPSHOT, settings=SETTINGS, batch=100)
        expected = graph_of(clean)
    with EmbeddedStore(tmp_path / "crashed.db") as store:
        seen = []

        def crash_after_three_batches(n: int) -> None:
            seen.append(n)
            if len(seen) == 3:
                raise _Crash

        with pytest.raises(_Crash):
            ingest_snapshot(store, SNAPSHOT, settings=SETTINGS, batch=100, progress=crash_after_three_batches)
        report = ingest_snapshot(store, SNAPSHOT, settings=SETTINGS, batch=100)
        assert report.skipped_by_checkpoint == 300 and report.read == 708 - 300
        assert graph_of(store) == expected


def test_snapshot_links_to_ror_nodes_present_in_the_store(embedded_store: GraphStore, tmp_path: Path) -> None:
    embedded_store.upsert_nodes([org("ror:02ztp3208", "Ashton Security Laboratories")])
    root = tmp_path / "snap"
    _copy_institutions(root)
    report = ingest_snapshot(embedded_store, root, settings=SETTINGS)
    (edge,) = embedded_store.iter_edges(kind=EdgeKind.SAME_AS)
    assert (edge.src, edge.dst) == ("openalex:I4210124069", "ror:02ztp3208")
    assert edge.props == {
        "score": 1.0,
        "method": "identifier",
        "band": "match",
        "explanation": "OpenAlex record carries ROR id 02ztp3208",
    }
    assert report.rejected == []


def test_cli_snapshot_prints_summary(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(main, ["ingest", "openalex", "--snapshot", str(SNAPSHOT), "--store", str(db)])
    assert result.exit_code == 0, result.output
    assert "openalex snapshot to updated_date=2023-09-15: read 708" in result.output
    result = CliRunner().invoke(main, ["ingest", "openalex", "--store", str(db)])
    assert result.exit_code == 2 and "--snapshot" in result.output


def test_works_funding_aggregates_and_cordis_link(tmp_path: Path, embedded_store: GraphStore) -> None:
    """2026 work schema (``funders[]``, ``awards[]`` per the OpenAlex docs' H2020 example) in a works partition."""
    project = Node("cordis:project:633053", NodeKind.PROJECT, "EUROfusion", prov(source="cordis"), {})
    embedded_store.upsert_nodes([project])
    euratom = {"id": "https://openalex.org/F4320337670", "display_name": "H2020 Euratom"}
    award = {
        "id": "https://openalex.org/G5453342221",
        "display_name": "Roadmap to Fusion",
        "funder_award_id": "633053",
        "funder_id": euratom["id"],
        "funder_display_name": euratom["display_name"],
    }
    insts = [{"institutions": [{"id": f"https://openalex.org/{i}", "display_name": i}]} for i in ("I1", "I2")]
    works = [
        {
            "id": f"https://openalex.org/W{n}",
            "publication_year": 2019,
            "authorships": insts,
            "funders": [euratom],
            "awards": [award],
        }
        for n in (3, 4)
    ]
    folder = tmp_path / "snap" / "works" / "updated_date=2026-01-15"
    folder.mkdir(parents=True)
    (folder / "part_0000.gz").write_bytes(gzip.compress("".join(json.dumps(w) + "\n" for w in works).encode()))
    report = ingest_snapshot(embedded_store, tmp_path / "snap", settings=SETTINGS)
    assert report.failed is None and report.rejected == []
    edges = {e.id: e for e in embedded_store.iter_edges()}
    collab = edges["COLLABORATED_WITH|openalex:I1|openalex:I2|2019"]
    assert collab.props == {"count": 2, "works": ["W3", "W4"]}
    assert edges["FUNDED_BY|openalex:I1|openalex:F4320337670|2019"].props["count"] == 2
    assert edges["FUNDED_BY|openalex:I2|openalex:G5453342221|2019"].props["count"] == 2
    assert "FUNDED_BY|openalex:G5453342221|openalex:F4320337670|" in edges
    same = edges["SAME_AS|openalex:G5453342221|cordis:project:633053|"]
    assert same.props["method"] == "identifier" and "633053" in same.props["explanation"]
    node = embedded_store.get_node("openalex:G5453342221")
    assert node is not None and node.kind is NodeKind.AWARD and node.props["funder_award_id"] == "633053"
