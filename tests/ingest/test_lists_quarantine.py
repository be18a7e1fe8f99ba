"""One malformed record is quarantined with file, line and field; the rest of the list loads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.model import NodeKind
from graph.settings import Settings, load_settings
from graph.store import GraphStore
from ingest.lists import ingest_lists
from tests.conftest import SHARED

CN = SHARED / "opensanctions/source_csv/cn_sanctions/sanctions.subset.csv"
SDN = SHARED / "official_lists/ofac_sdn/sdn.subset.csv"
UN = SHARED / "official_lists/un_sc_consolidated/UN_consolidated.subset.xml"
DPL = SHARED / "official_lists/bis_dpl/dpl.subset.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "lists"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    s = EmbeddedStore(tmp_path / "q.db")
    yield s
    s.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(cache_dir=str(tmp_path / "cache"))


def _need(*paths: Path) -> None:
    for p in paths:
        if not p.exists():
            pytest.skip(f"real extract not present: {p}")


def _quarantined(store: GraphStore) -> list[dict[str, object]]:
    return [doc for _key, doc in store.iter_docs("quarantine")]


def test_an_unparseable_date_in_a_curated_csv(tmp_path: Path, store: GraphStore, settings: Settings) -> None:
    _need(CN)
    lines = CN.read_text(encoding="utf-8").splitlines(keepends=True)
    assert ",02.12.2019," in lines[1]
    lines[1] = lines[1].replace(",02.12.2019,", ",31.02.2019,")  # National Endowment for Democracy
    bad = tmp_path / "sanctions.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    report = ingest_lists(store, str(bad), settings=settings)
    assert report.failed is None
    [rejected] = report.rejected
    assert (rejected.field, rejected.location, rejected.record_id) == (
        "Date",
        f"{bad}:2",
        "National Endowment for Democracy",
    )
    assert "day is out of range" in rejected.reason
    assert len(list(store.iter_nodes(kind=NodeKind.DESIGNATION))) == 196  # 197 less the bad row
    [doc] = _quarantined(store)
    assert doc["field"] == "Date" and doc["location"] == f"{bad}:2"


def test_a_wrong_column_count_in_sdn_csv(tmp_path: Path, store: GraphStore, settings: Settings) -> None:
    _need(SDN)
    data = SDN.read_bytes()
    lines = data.split(b"\r\n")
    lines[3] = lines[3].rsplit(b",", 1)[0]  # drop the remarks column of the fourth row
    bad = tmp_path / "sdn.csv"
    bad.write_bytes(b"\r\n".join(lines))
    report = ingest_lists(store, str(bad), settings=settings)
    [rejected] = report.rejected
    assert (rejected.field, rejected.location) == ("columns", f"{bad}:4")
    assert "expected 12 columns, got 11" in rejected.reason
    assert len(list(store.iter_nodes(kind=NodeKind.DESIGNATION))) == 1044


def test_an_unparseable_listing_date_in_the_un_list(tmp_path: Path, store: GraphStore, settings: Settings) -> None:
    _need(UN)
    people, entities = UN.read_text(encoding="utf-8").split("<ENTITIES>")
    entities = entities.replace("<LISTED_ON>2007-03-29</LISTED_ON>", "<LISTED_ON>sometime in 2007</LISTED_ON>", 1)
    text = f"{people}<ENTITIES>{entities}"
    bad = tmp_path / "un.xml"
    bad.write_text(text, encoding="utf-8")
    report = ingest_lists(store, str(bad), settings=settings)
    [rejected] = report.rejected
    assert (rejected.field, rejected.location, rejected.record_id) == ("LISTED_ON", f"{bad}#ENTITY[1]", "6908025")
    assert len(list(store.iter_nodes(kind=NodeKind.DESIGNATION))) == 127


def test_a_dpl_row_with_a_bad_us_date(tmp_path: Path, store: GraphStore, settings: Settings) -> None:
    _need(DPL)
    lines = DPL.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith('"AIR FREIGHT LTD"'))
    lines[index] = re.sub(r'"\d\d/\d\d/\d{4}"', '"13/45/2011"', lines[index], count=1)
    bad = tmp_path / "dpl.txt"
    bad.write_text("".join(lines), encoding="utf-8")
    report = ingest_lists(store, str(bad), settings=settings)
    [rejected] = report.rejected
    assert (rejected.field, rejected.location) == ("Effective_Date", f"{bad}:{index + 1}")


def test_a_file_broken_mid_way_fails_the_source_and_keeps_nothing_half_done(
    tmp_path: Path, store: GraphStore, settings: Settings
) -> None:
    text = (FIXTURES / "uk_sanctions_list.xml").read_text(encoding="utf-8")
    cut = tmp_path / "uk.xml"
    cut.write_text(text[: text.index("<UniqueID>RUS0305")], encoding="utf-8")
    report = ingest_lists(store, str(cut), settings=settings)
    assert report.failed is not None and "malformed XML" in report.failed and str(cut) in report.failed
    runs = [doc for _key, doc in store.iter_docs("ingest_runs")]
    assert runs[-1]["failed"] == report.failed
