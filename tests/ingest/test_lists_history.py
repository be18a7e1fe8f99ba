"""Re-ingesting newer versions of a list keeps the history of its designations (both stores).

Three versions are derived in tmp from the real UN consolidated list: v2 drops three
entities and rewords one; v3 brings the dropped ones back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.model import EdgeKind, Node, NodeKind
from graph.settings import Settings, load_settings
from graph.store import GraphStore
from ingest.lists import ingest_lists
from ingest.lists_history import version_date, with_history
from tests.conftest import SHARED
from tests.factories import prov

UN = SHARED / "official_lists/un_sc_consolidated/UN_consolidated.subset.xml"
ENTITY = re.compile(r"<ENTITY>.*?</ENTITY>\s*", re.S)


def _versions(tmp_path: Path) -> tuple[Path, Path, Path, list[str], str]:
    if not UN.exists():
        pytest.skip(f"real extract not present: {UN}")
    text = UN.read_text(encoding="utf-8")
    blocks = ENTITY.findall(text)
    dropped = [re.search(r"<DATAID>(\d+)</DATAID>", b).group(1) for b in blocks[:3]]  # type: ignore[union-attr]
    changed = re.search(r"<DATAID>(\d+)</DATAID>", blocks[3]).group(1)  # type: ignore[union-attr]
    v2 = text
    for b in blocks[:3]:
        v2 = v2.replace(b, "", 1)
    v2 = v2.replace(
        blocks[3],
        re.sub(r"<COMMENTS1>.*?</COMMENTS1>", "<COMMENTS1>Reworded in v2.</COMMENTS1>", blocks[3], flags=re.S),
        1,
    )
    paths = []
    for name, body, generated in (
        ("v1", text, None),
        ("v2", v2, "2026-06-01T00:00:00.000Z"),
        ("v3", text, "2026-09-01T00:00:00.000Z"),
    ):
        if generated:
            body = re.sub(r'dateGenerated="[^"]+"', f'dateGenerated="{generated}"', body, count=1)
        path = tmp_path / f"{name}.xml"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1], paths[2], dropped, changed


def _designation(store: GraphStore, dataid: str) -> Node:
    node = store.get_node(f"designation:un_sc_sanctions:{dataid}")
    assert node is not None
    return node


def _edge_end(store: GraphStore, dataid: str) -> str | None:
    [edge] = store.edges_of(f"designation:un_sc_sanctions:{dataid}", kinds=[EdgeKind.DESIGNATED_ON])
    return edge.end


def test_delisting_relisting_and_changed_facts_across_versions(store: GraphStore, tmp_path: Path) -> None:
    v1, v2, v3, dropped, changed = _versions(tmp_path)
    settings: Settings = load_settings(cache_dir=str(tmp_path / "cache"))
    decision = {"a": "list:un_sc_sanctions:" + dropped[0], "b": "ror:05ejpqr48", "verdict": "same", "by": "analyst"}
    store.put_doc("judgements", "j1", decision)

    first = ingest_lists(store, str(v1), settings=settings)
    assert first.dataset_version == "2026-02-27T00:00:09.554Z"
    designations = list(store.iter_nodes(kind=NodeKind.DESIGNATION))
    assert len(designations) == 128 and {d.props["status"] for d in designations} == {"active"}

    second = ingest_lists(store, str(v2), settings=settings)
    assert any("delisted 3 designations" in n for n in second.notes)
    for dataid in dropped:
        gone = _designation(store, dataid)
        assert (gone.props["status"], gone.props["delisted_on"]) == ("delisted", "2026-06-01")
        assert gone.provenance.dataset_version == "2026-06-01T00:00:00.000Z"
        assert _edge_end(store, dataid) == "2026-06-01"
    assert _designation(store, changed).props["reason"] == "Reworded in v2."
    assert len(list(store.iter_nodes(kind=NodeKind.DESIGNATION))) == 128  # never deleted
    assert sum(d.props["status"] == "active" for d in store.iter_nodes(kind=NodeKind.DESIGNATION)) == 125

    third = ingest_lists(store, str(v3), settings=settings)
    assert not any(n.startswith("delisted") for n in third.notes)
    back = _designation(store, dropped[0])
    assert (back.props["status"], back.props["delisted_on"], back.props["relisted_on"]) == (
        "active",
        None,
        "2026-09-01",
    )
    assert back.props["previous_periods"] == [{"listed_on": back.props["listed_on"], "delisted_on": "2026-06-01"}]
    assert _edge_end(store, dropped[0]) is None
    assert _designation(store, changed).props["reason"] != "Reworded in v2."

    again = ingest_lists(store, str(v3), settings=settings)  # the same version twice changes nothing
    assert again.written == 0 and again.unchanged == again.read
    assert _designation(store, dropped[0]).props["previous_periods"] == back.props["previous_periods"]
    assert store.get_doc("judgements", "j1") == decision
    assert [k for k, _ in store.iter_docs("judgements")] == ["j1"]


def test_an_older_file_does_not_delist_newer_facts(store: GraphStore, tmp_path: Path) -> None:
    v1, v2, _v3, dropped, _changed = _versions(tmp_path)
    settings = load_settings(cache_dir=str(tmp_path / "cache"))
    ingest_lists(store, str(v2), settings=settings)
    ingest_lists(store, str(v1), settings=settings)  # v1 is older (2026-02-27) and has everything
    older = ingest_lists(store, str(v2), settings=settings, version="2025-01-01")  # claims an older version
    assert not any(n.startswith("delisted") for n in older.notes)
    assert _designation(store, dropped[0]).props["status"] == "active"


def test_with_history_is_pure_and_idempotent() -> None:
    p = prov(source="un_sc_sanctions")
    old = Node(
        "designation:x:1",
        NodeKind.DESIGNATION,
        "x",
        p,
        {"status": "delisted", "listed_on": "2020-01-01", "delisted_on": "2021-01-01"},
    )
    new = Node(
        "designation:x:1",
        NodeKind.DESIGNATION,
        "x",
        p,
        {"status": "active", "listed_on": "2020-01-01", "delisted_on": None},
    )
    back = with_history(old, new, "2022-05-01")
    assert back.props["previous_periods"] == [{"listed_on": "2020-01-01", "delisted_on": "2021-01-01"}]
    assert with_history(back, new, "2023-01-01").props == back.props
    assert with_history(new, new, "2023-01-01") is new


@pytest.mark.parametrize(
    ("version", "date"),
    [
        ("2026-02-27T00:00:09.554Z", "2026-02-27"),
        ("20240601105703-abc", "2024-06-01"),
        ("2025", "2030-01-02"),
        ("", "2030-01-02"),
    ],
)
def test_version_dates(version: str, date: str) -> None:
    assert version_date(version, "2030-01-02T03:04:05Z") == date
