"""ROR ingest on the real extracts (schema v1 and v2), plus the mapping's edge cases."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from graph.embedded import EmbeddedStore
from graph.errors import RecordRejected
from graph.model import Edge, EdgeKind, Node
from graph.settings import Settings, load_settings
from graph.store import GraphStore
from ingest.pipeline import IngestReport, SourceRun
from ingest.ror import map_record
from ingest.ror_dump import ingest_ror
from tests.conftest import SHARED

V2 = SHARED / "ror" / "ror-records.subset.schema_v2.json"
V1 = SHARED / "ror" / "ror-records.subset.schema_v1.json"
RUN = SourceRun("ror", "test", "here", "2026-11-01T00:00:00Z")
INVERSE = {
    "parent": "child",
    "child": "parent",
    "related": "related",
    "successor": "predecessor",
    "predecessor": "successor",
}


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"real extract {path} not present")


@pytest.fixture
def cfg(tmp_path: Path) -> Settings:
    return load_settings(env={}, cache_dir=str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def v2_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, IngestReport]]:
    """The real v2 extract ingested once for the read-only tests."""
    _need(V2)
    tmp = tmp_path_factory.mktemp("v2")
    store = EmbeddedStore(tmp / "store.db")
    report = ingest_ror(store, str(V2), settings=load_settings(env={}, cache_dir=str(tmp / "cache")))
    yield store, report
    store.close()


def v2_slice(count: int, *, keep: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The first ``count`` records of the v2 extract plus the records with ids in ``keep``."""
    lines = V2.read_text(encoding="utf-8").splitlines()[1:-1]
    records = [json.loads(line.rstrip(",")) for line in lines]
    wanted = {f"https://ror.org/{k}" for k in keep}
    return [r for i, r in enumerate(records) if i < count or r["id"] in wanted]


def _short(url: str) -> str:
    return "ror:" + url.rsplit("/", 1)[1]


def expected_edges(records: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    """An independent oracle: every relationship between two records of the file, once."""
    present = {r["id"] for r in records}
    out = set()
    for r in records:
        for rel in r["relationships"]:
            if rel["id"] not in present or rel["id"] == r["id"]:
                continue
            me, other, kind = _short(r["id"]), _short(rel["id"]), rel["type"].lower()
            if kind == "parent":
                out.add(("PARENT_OF", other, me))
            elif kind == "child":
                out.add(("PARENT_OF", me, other))
            elif kind == "related":
                out.add(("RELATED_TO", min(me, other), max(me, other)))
            elif kind == "successor":
                out.add(("SUCCEEDED_BY", me, other))
            else:
                out.add(("SUCCEEDED_BY", other, me))
    return out


def test_real_v2_extract_loads_with_its_hierarchy(v2_store: tuple[GraphStore, IngestReport]) -> None:
    embedded_store, report = v2_store
    records = json.loads(V2.read_text(encoding="utf-8"))
    assert report.failed is None and report.rejected == []
    assert report.dataset_version == max(r["admin"]["last_modified"]["date"] for r in records)
    assert embedded_store.counts().nodes == {"Organisation": len(records)}
    got = {(e.kind.value, e.src, e.dst) for e in embedded_store.iter_edges(source="ror")}
    assert got == expected_edges(records)
    assert any("relationships point at records in neither" in n for n in report.notes)

    czecrin = embedded_store.get_node("ror:0001a1c49")
    assert czecrin is not None and czecrin.props["country"] == "CZ" and czecrin.props["city"] == "Brno"
    assert czecrin.props["acronyms"] == ["CZECRIN"]
    assert {
        "value": "Český národní uzel Evropské sítě infrastruktur klinického výzkumu",
        "lang": "cs",
        "types": ["label"],
    } in czecrin.props["names"]
    statuses = {n.props["status"] for n in embedded_store.iter_nodes(source="ror")}
    assert statuses == {"active", "inactive", "withdrawn"}


def test_withdrawn_record_is_kept_with_status_and_successor(v2_store: tuple[GraphStore, IngestReport]) -> None:
    embedded_store, _report = v2_store
    node = embedded_store.get_node("ror:000bmd763")
    assert node is not None and node.props["status"] == "withdrawn"
    records = {r["id"]: r for r in json.loads(V2.read_text(encoding="utf-8"))}
    if "https://ror.org/04nbqb988" in records:
        kinds = {(e.kind, e.src, e.dst) for e in embedded_store.edges_of("ror:000bmd763")}
        assert (EdgeKind.SUCCEEDED_BY, "ror:000bmd763", "ror:04nbqb988") in kinds


def test_real_v1_extract_loads(embedded_store: GraphStore, cfg: Settings) -> None:
    _need(V1)
    records = json.loads(V1.read_text(encoding="utf-8"))
    report = ingest_ror(embedded_store, str(V1), settings=cfg, version="v1-test")
    assert report.failed is None and report.rejected == []
    assert embedded_store.counts().nodes == {"Organisation": len(records)}
    got = {(e.kind.value, e.src, e.dst) for e in embedded_store.iter_edges(source="ror")}
    assert got == expected_edges(records)
    node = embedded_store.get_node("ror:00012xz55")
    assert node is not None
    assert node.props["ids"]["grid"] == "grid.491872.1"  # v1 "all" is a bare string here
    assert node.props["aliases"] == ["IFB Hamburg"] and node.props["types"] == ["other"]


def test_v1_and_v2_of_one_record_agree_on_the_facts() -> None:
    _need(V1)
    _need(V2)
    v1 = {r["id"]: r for r in json.loads(V1.read_text(encoding="utf-8"))}
    v2 = {r["id"]: r for r in json.loads(V2.read_text(encoding="utf-8"))}
    same = 0
    for rid in sorted(set(v1) & set(v2))[:300]:
        a, b = map_record(v1[rid], RUN)[0], map_record(v2[rid], RUN)[0]
        assert isinstance(a, Node) and isinstance(b, Node)
        assert a.id == b.id
        if a.name == b.name and a.props["country"] == b.props["country"]:
            same += 1
    assert same > 250  # v1 copies may be older; the large majority agree


def test_each_relationship_is_emitted_once_with_side_independent_content() -> None:
    parent = {
        "id": "https://ror.org/02j46qs45",
        "names": [{"value": "P", "types": ["ror_display"], "lang": None}],
        "status": "active",
        "relationships": [{"type": "child", "id": "https://ror.org/0001a1c49"}],
    }
    child = {
        "id": "https://ror.org/0001a1c49",
        "names": [{"value": "C", "types": ["ror_display"], "lang": None}],
        "status": "active",
        "relationships": [{"type": "Parent", "id": "https://ror.org/02j46qs45"}],
    }
    from_parent = [i for i in map_record(parent, RUN) if isinstance(i, Edge)]
    from_child = [i for i in map_record(child, RUN) if isinstance(i, Edge)]
    assert from_parent == from_child
    assert from_parent[0].src == "ror:02j46qs45" and from_parent[0].dst == "ror:0001a1c49"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "bogus"}, "status"),
        ({"established": "19x5"}, "established"),
        ({"id": "https://ror.org/not-a-ror"}, "id"),
        ({"names": [{"value": "No display", "types": ["label"], "lang": None}]}, "names"),
        ({"relationships": [{"type": "sibling", "id": "https://ror.org/02j46qs45"}]}, "relationships[0].type"),
        ({"relationships": [{"type": "parent", "id": "nope"}]}, "relationships[0].id"),
        (
            {"locations": [{"geonames_details": {"country_code": "Germany"}}]},
            "locations[0].geonames_details.country_code",
        ),
    ],
)
def test_bad_fields_are_rejected_by_name(change: dict[str, Any], field: str) -> None:
    _need(V2)
    record = json.loads(V2.read_text(encoding="utf-8").splitlines()[1].rstrip(","))
    record.update(change)
    (item,) = map_record(record, RUN, "dump.json:2")
    assert isinstance(item, RecordRejected)
    assert (item.field, item.location, item.source) == (field, "dump.json:2", "ror")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
record_like = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["https://ror.org/0001a1c49", "0001a1c49", "x", ""]) | json_values,
        "names": json_values,
        "name": json_values,
        "status": st.sampled_from(["active", "Withdrawn", "x"]) | json_values,
        "relationships": json_values,
        "locations": json_values,
        "external_ids": json_values,
        "established": json_values,
        "types": json_values,
    },
)


@seed(20261122)
@settings(max_examples=300, deadline=None, derandomize=True)
@given(raw=record_like | json_values)
def test_map_record_is_total(raw: Any) -> None:
    """Whatever the input, map_record returns records or a rejection naming a field; it never raises."""
    items = map_record(raw, RUN, "x:1")
    assert items
    if isinstance(items[0], RecordRejected):
        assert len(items) == 1 and items[0].field
    else:
        assert isinstance(items[0], Node) and all(isinstance(e, Edge) for e in items[1:])


def test_zip_release_member_and_version_from_name(embedded_store: GraphStore, cfg: Settings, tmp_path: Path) -> None:
    _need(V2)
    records = v2_slice(300)
    archive = tmp_path / "v1.55-2024-10-31-ror-data.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("v1.55-2024-10-31-ror-data.json", "[]")  # the v1 member, ignored
        zf.write(_write(tmp_path / "dump.json", records), "v1.55-2024-10-31-ror-data_schema_v2.json")
        zf.writestr("v1.55-2024-10-31-ror-data.csv", "id\n")
    report = ingest_ror(embedded_store, str(archive), settings=cfg)
    assert report.dataset_version == "v1.55-2024-10-31"
    assert report.location == str(archive)
    assert embedded_store.counts().nodes["Organisation"] == len(records)


def test_ingesting_twice_changes_nothing(embedded_store: GraphStore, cfg: Settings, tmp_path: Path) -> None:
    _need(V2)
    dump = _write(tmp_path / "dump.json", v2_slice(500))
    ingest_ror(embedded_store, str(dump), settings=cfg)
    version = embedded_store.version()
    again = ingest_ror(embedded_store, str(dump), settings=cfg)
    assert again.written == 0 and again.unchanged > 0
    assert embedded_store.version() == version


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]", encoding="utf-8")
    return path


def test_newer_version_updates_changed_facts(embedded_store: GraphStore, cfg: Settings, tmp_path: Path) -> None:
    _need(V2)
    records = v2_slice(300, keep=("02j46qs45", "049bjee35"))
    ingest_ror(embedded_store, str(_write(tmp_path / "v1.0-2025-01-01.json", records)), settings=cfg)
    czecrin = next(r for r in records if r["id"] == "https://ror.org/0001a1c49")
    parents = {e.src for e in embedded_store.edges_of("ror:0001a1c49", kinds=[EdgeKind.PARENT_OF])}
    assert "ror:02j46qs45" in parents
    # The next release renames CZECRIN, makes it inactive and drops Masaryk University as parent.
    czecrin["names"][1]["value"] = "CZECRIN – renamed"
    czecrin["status"] = "inactive"
    czecrin["relationships"] = [r for r in czecrin["relationships"] if r["id"] != "https://ror.org/02j46qs45"]
    masaryk = next(r for r in records if r["id"] == "https://ror.org/02j46qs45")
    masaryk["relationships"] = [r for r in masaryk["relationships"] if r["id"] != "https://ror.org/0001a1c49"]
    report = ingest_ror(embedded_store, str(_write(tmp_path / "v1.1-2025-02-01.json", records)), settings=cfg)
    node = embedded_store.get_node("ror:0001a1c49")
    assert node is not None
    assert node.name == "CZECRIN – renamed" and node.props["status"] == "inactive"
    assert node.provenance.dataset_version == "v1.1-2025-02-01"
    parents = {e.src for e in embedded_store.edges_of("ror:0001a1c49", kinds=[EdgeKind.PARENT_OF])}
    assert "ror:02j46qs45" not in parents and "ror:049bjee35" in parents
    assert any("no longer in this release removed" in n for n in report.notes)
    assert embedded_store.counts().nodes["Organisation"] == len(records)
