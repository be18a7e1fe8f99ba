"""FollowTheMoney exports and delta files: sanctions and addresses joined, persons skipped, deltas applied."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import RecordRejected
from graph.model import EdgeKind, NodeKind
from graph.settings import load_settings
from graph.store import GraphStore
from ingest.lists import ingest_lists, read_list
from ingest.lists_entry import ListEntry, Skipped
from tests.conftest import SHARED

REAL = SHARED / "opensanctions" / "eu_fsf" / "entities.ftm.json"
IRGC = "NK-2PacmNpiLUmoz4XD2mSt7A"
TOBACCO = "NK-2GdmHtZTeNXjNVrBGEXZNj"


@pytest.fixture
def real_lines() -> list[str]:
    if not REAL.exists():
        pytest.skip(f"real extract not present: {REAL}")
    return REAL.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    s = EmbeddedStore(tmp_path / "ftm.db")
    yield s
    s.close()


def _line(entity: dict[str, Any]) -> str:
    return json.dumps(entity, ensure_ascii=False)


def _sanction(sid: str, target: str, **props: list[str]) -> str:
    return _line(
        {
            "id": sid,
            "schema": "Sanction",
            "properties": {"entity": [target], **props},
            "datasets": ["eu_fsf"],
            "target": False,
        }
    )


def _enriched(real_lines: list[str]) -> list[str]:
    """The real export plus what a full export also carries: Sanction and Address entities, context orgs."""
    irgc = json.loads(next(line for line in real_lines if IRGC in line))
    address_key = irgc["properties"]["addressEntity"][0]
    return [
        _sanction(
            "eu-fsf-sanction-irgc",
            IRGC,
            program=["IRN"],
            startDate=["2012-03-23"],
            reason=["Involved in nuclear or ballistic missile activities"],
            authority=["Council of the EU"],
            sourceUrl=["https://eur-lex.europa.eu/eli/reg/2012/267/oj"],
        ),
        *real_lines,
        _line(
            {
                "id": "addr-x",
                "schema": "Address",
                "referents": [address_key],
                "properties": {"city": ["Tehran"], "country": ["ir"], "full": ["Tehran, Iran"]},
            }
        ),
        _sanction("os-sanction-1286", TOBACCO, programId=["US-MCCAIN-1286"], startDate=["2024"]),
        _line(
            {
                "id": "NK-context",
                "schema": "Company",
                "properties": {"name": ["Owner Holding"]},
                "datasets": ["eu_fsf"],
                "target": False,
            }
        ),
    ]


def test_sanctions_and_addresses_are_joined_wherever_they_stand(
    tmp_path: Path, real_lines: list[str], store: GraphStore
) -> None:
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(_enriched(real_lines)) + "\n", encoding="utf-8")
    report = ingest_lists(store, str(path), settings=load_settings(cache_dir=str(tmp_path)))
    assert report.failed is None and not report.rejected
    irgc = store.get_node(f"designation:eu_fsf:{IRGC}")
    assert irgc is not None
    assert (irgc.props["programme"], irgc.props["listed_on"]) == ("IRN", "2012-03-23")
    assert irgc.props["reason"] == "Involved in nuclear or ballistic missile activities"
    assert irgc.props["authority"] == "Council of the EU"
    entity = store.get_node(f"list:opensanctions:{IRGC}")
    assert entity is not None and (entity.props["city"], entity.props["country"]) == ("Tehran", "IR")
    # a sanction whose programme routes to another list makes its own designation
    routed = store.get_node(f"designation:us_ndaa_1286:{TOBACCO}")
    assert routed is not None and routed.props["legal_effect"] == "advisory"
    assert store.get_node(f"designation:eu_fsf:{TOBACCO}") is not None  # still on eu_fsf by its datasets
    assert store.get_node("list:opensanctions:NK-context") is None  # context, not a listed target
    assert any("Organization (not a target)" in n or "Company (not a target)" in n for n in report.notes)
    edges = store.edges_of(f"list:opensanctions:{TOBACCO}", kinds=[EdgeKind.DESIGNATED_ON])
    assert sorted(e.dst for e in edges) == [f"designation:eu_fsf:{TOBACCO}", f"designation:us_ndaa_1286:{TOBACCO}"]


def test_bad_lines_are_quarantined_with_file_line_and_field(tmp_path: Path, real_lines: list[str]) -> None:
    path = tmp_path / "entities.ftm.json"
    lines = [
        *real_lines[:2],
        '{"id": "NK-broken", "schema": ',
        *real_lines[2:],
        '{"id": "NK-x"}',
        _line(
            {
                "id": "NK-late",
                "schema": "Company",
                "properties": {"name": ["Late Co"], "createdAt": ["32.13.2020"]},
                "datasets": ["eu_fsf"],
            }
        ),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_list(path))
    rejected = [i for i in items if isinstance(i, RecordRejected)]
    assert [(r.field, r.location) for r in rejected] == [
        ("json", f"{path}:3"),
        ("schema", f"{path}:{len(real_lines) + 2}"),
        ("createdAt", f"{path}:{len(lines)}"),
    ]
    assert "not JSON" in rejected[0].reason
    assert sum(isinstance(i, ListEntry) for i in items) == 2  # the rest still loads
    assert sum(i.count for i in items if isinstance(i, Skipped) and i.schema == "Person") == 4


def test_a_delta_file_adds_modifies_and_delists(tmp_path: Path, real_lines: list[str], store: GraphStore) -> None:
    settings = load_settings(cache_dir=str(tmp_path))
    ingest_lists(store, str(REAL), settings=settings)
    tobacco = json.loads(next(line for line in real_lines if TOBACCO in line))
    tobacco["caption"] = "Inter Tobacco LLC"
    new = {
        "id": "NK-new",
        "schema": "PublicBody",
        "properties": {"name": ["Institute 404"], "country": ["xx"]},
        "datasets": ["eu_fsf"],
        "first_seen": "2024-07-01T00:00:00",
        "last_seen": "2024-07-02T00:00:00",
    }
    delta = tmp_path / "entities.delta.json"
    delta.write_text(
        "\n".join(
            _line(d)
            for d in (
                {"op": "MOD", "entity": tobacco},
                {"op": "ADD", "entity": new},
                {"op": "DEL", "entity": {"id": IRGC}},
                {"op": "DEL", "entity": {"id": "NK-2KeUB68qUJtykm3BuAcazG"}},  # a person: nothing to delist
            )
        )
        + "\n",
        encoding="utf-8",
    )
    report = ingest_lists(store, str(delta), settings=settings, version="20240702000000-abc")
    assert report.failed is None
    renamed = store.get_node(f"list:opensanctions:{TOBACCO}")
    assert renamed is not None and renamed.name == "Inter Tobacco LLC"
    added = store.get_node("designation:eu_fsf:NK-new")
    assert added is not None and added.props["status"] == "active" and added.props["listed_on"] == "2024-07-01"
    gone = store.get_node(f"designation:eu_fsf:{IRGC}")
    assert gone is not None and (gone.props["status"], gone.props["delisted_on"]) == ("delisted", "2024-07-02")
    edge = store.edges_of(f"list:opensanctions:{IRGC}", kinds=[EdgeKind.DESIGNATED_ON])[0]
    assert edge.end == "2024-07-02"
    # a delta is not a whole version: nothing else was delisted
    active = [d.id for d in store.iter_nodes(kind=NodeKind.DESIGNATION) if d.props["status"] == "active"]
    assert sorted(active) == [f"designation:eu_fsf:{TOBACCO}", "designation:eu_fsf:NK-new"]


def test_the_version_comes_from_index_json_beside_the_export(
    tmp_path: Path, real_lines: list[str], store: GraphStore
) -> None:
    folder = tmp_path / "eu_fsf"
    folder.mkdir()
    (folder / "entities.ftm.json").write_text("\n".join(real_lines) + "\n", encoding="utf-8")
    index = {"name": "eu_fsf", "version": "20240601105703-qxv", "last_export": "2024-06-01T10:57:03"}
    (folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
    report = ingest_lists(store, str(folder / "entities.ftm.json"), settings=load_settings(cache_dir=str(tmp_path)))
    assert report.dataset_version == "20240601105703-qxv"
    node = store.get_node(f"designation:eu_fsf:{IRGC}")
    assert node is not None and node.provenance.dataset_version == "20240601105703-qxv"
    assert node.props["listed_on"] == "2012-03-24"  # the entity's createdAt when no Sanction entity is given
