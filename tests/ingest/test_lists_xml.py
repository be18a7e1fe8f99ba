"""EU Financial Sanctions File, UK Sanctions List (XML and CSV) and the UN list: entries, versions, effects."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.model import NodeKind
from graph.settings import Settings, load_settings
from graph.store import GraphStore
from ingest.lists import ingest_lists

FIXTURES = Path(__file__).parent / "fixtures" / "lists"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    s = EmbeddedStore(tmp_path / "xml.db")
    yield s
    s.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(cache_dir=str(tmp_path / "cache"))


def test_eu_fsf_enterprises_with_names_in_their_languages(store: GraphStore, settings: Settings) -> None:
    report = ingest_lists(store, str(FIXTURES / "eu_fsf.xml"), settings=settings)
    assert (report.source, report.dataset_version) == ("eu_fsf", "2026-10-15T17:02:11.449+02:00")
    assert "skipped (not organisations) 1: 1 Person" in report.notes
    irgc = store.get_node("list:eu_fsf:2078")
    assert irgc is not None and irgc.name == "Iranian Revolutionary Guard Corps"
    names = {n["value"]: (n["lang"], n["types"]) for n in irgc.props["names"]}
    assert names["سپاه پاسداران انقلاب اسلامی"] == ("fa", ["name"])
    assert names["Sepah-e Pasdaran"] == (None, ["weak_alias"])
    assert (irgc.props["city"], irgc.props["country"]) == ("Tehran", "IR")
    d = store.get_node("designation:eu_fsf:2078")
    assert d is not None
    assert (d.props["listed_on"], d.props["programme"], d.props["legal_effect"]) == (
        "2012-03-23",
        "IRN",
        "legal_restriction",
    )
    assert d.props["source_url"] == "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32012R0267"
    tobacco = store.get_node("list:eu_fsf:8282")
    assert tobacco is not None and tobacco.props["ids"] == {"eu": "EU.8282.49", "regnumber": "808000714"}
    plant = store.get_node("designation:eu_fsf:11179")  # no designationDate: the first regulation's publication
    assert plant is not None and plant.props["listed_on"] == "2024-02-23"


@pytest.mark.parametrize("name", ["uk_sanctions_list.xml", "uk_sanctions_list.csv"])
def test_uk_sanctions_list_xml_and_csv_agree(store: GraphStore, settings: Settings, name: str) -> None:
    report = ingest_lists(store, str(FIXTURES / name), settings=settings)
    assert (report.source, report.dataset_version) == ("gb_fcdo_sanctions", "2026-10-15")
    assert "skipped (not organisations) 2: 1 Person, 1 Vessel" in report.notes
    vega = store.get_node("list:gb_fcdo_sanctions:RUS0305")
    assert vega is not None and vega.name == "JOINT STOCK COMPANY CONCERN OF RADIO ENGINEERING VEGA"
    assert {"value": "АО «Концерн радиостроения «Вега»", "lang": "ru", "types": ["name"]} in vega.props["names"]
    assert (vega.props["city"], vega.props["country"], vega.props["parent_names"]) == ("Moscow", "RU", ["Rostec"])
    hawala = store.get_node("list:gb_fcdo_sanctions:AFG0001")
    assert hawala is not None and hawala.props["ids"]["registration"] == "BR-99-XY"
    assert {"value": "Haji Hakim Hawala", "lang": None, "types": ["weak_alias"]} in hawala.props["names"]
    d = store.get_node("designation:gb_fcdo_sanctions:AFG0001")
    assert d is not None
    assert (d.props["listed_on"], d.props["legal_effect"], d.props["reason"]) == (
        "2012-06-29",
        "legal_restriction",
        "Involved in the financing of the Taliban.",
    )
    assert len(list(store.iter_nodes(kind=NodeKind.DESIGNATION))) == 2


def test_a_designation_without_a_name_is_quarantined(tmp_path: Path, store: GraphStore, settings: Settings) -> None:
    text = (FIXTURES / "uk_sanctions_list.xml").read_text(encoding="utf-8")
    text = text.replace(
        "<Name><Name6>JOINT STOCK COMPANY CONCERN OF RADIO ENGINEERING VEGA</Name6>"
        "<NameType>Primary Name</NameType></Name>",
        "",
    )
    text = text.replace(
        "<Name><Name6>VEGA RADIO ENGINEERING CORPORATION</Name6><NameType>Alias</NameType>"
        "<AliasStrength>Good quality a.k.a</AliasStrength></Name>",
        "",
    )
    text = text.replace("<NameNonLatinScript>АО «Концерн радиостроения «Вега»</NameNonLatinScript>", "")
    bad = tmp_path / "uk.xml"
    bad.write_text(text, encoding="utf-8")
    report = ingest_lists(store, str(bad), settings=settings)
    [rejected] = report.rejected
    assert (rejected.record_id, rejected.field, rejected.location) == ("RUS0305", "Names", f"{bad}#Designation[2]")
    assert store.get_node("designation:gb_fcdo_sanctions:AFG0001") is not None
