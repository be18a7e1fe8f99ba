"""Every real list extract in ../shared/data/real loads, with the counts and legal effects it should have."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.model import EdgeKind, NodeKind, searchable_names
from graph.settings import Settings, load_settings
from graph.store import GraphStore
from ingest.lists import ingest_lists
from ingest.lists_detect import detect_format
from ingest.pipeline import IngestReport
from tests.conftest import SHARED

OS = SHARED / "opensanctions"
OFFICIAL = SHARED / "official_lists"
LEG = OS / "source_csv" / "us_special_leg"

# path, detected format, designations per list, skipped (not organisations)
CASES = [
    (OS / "eu_fsf/entities.ftm.json", "ftm", {"eu_fsf": 2}, {"Person": 4}),
    (
        OS / "ua_war_sanctions/targets.simple.subset.csv",
        "os_targets",
        {"ua_war_sanctions": 1317},
        {"Person": 779, "Vessel": 698},
    ),
    (
        OS / "source_csv/us_dod_chinese_milcorps/sanctions.subset.csv",
        "os_us_dod_chinese_milcorps",
        {"us_dod_chinese_milcorps": 164},
        {},
    ),
    (LEG / "section_1286.subset.csv", "os_us_special_leg", {"us_ndaa_1286": 158}, {}),
    (LEG / "section_353.subset.csv", "os_us_special_leg", {}, {"Person": 116}),
    (LEG / "section_889.csv", "os_us_special_leg", {"us_ndaa_889": 5}, {}),
    (LEG / "section_5949.csv", "os_us_special_leg", {"us_ndaa_5949": 3}, {}),
    (LEG / "section_154.csv", "os_us_special_leg", {"us_ndaa_154": 6}, {}),
    (LEG / "inksna.csv", "os_us_special_leg", {"us_state_isn": 14}, {"Person": 14}),
    (OS / "source_csv/us_bis_mieu/mieu.csv", "os_us_bis_mieu", {"us_bis_meu": 13}, {}),
    (OS / "source_csv/cn_sanctions/sanctions.subset.csv", "os_cn_sanctions", {"cn_sanctions": 197}, {"Person": 114}),
    (
        OFFICIAL / "trade_gov_csl/csl_2019.subset.csv",
        "csl_csv",
        {
            "us_bis_denied": 2,
            "us_bis_entity_list": 7,
            "us_bis_uvl": 2,
            "us_ofac_capta": 1,
            "us_ofac_sdn": 10,
            "us_ofac_ssi": 15,
        },
        {"Individual": 16, "Vessel": 2, "Person (inferred from name)": 15},
    ),
    (
        OFFICIAL / "trade_gov_csl/consolidated_2025.subset.csv",
        "csl_csv",
        {"us_bis_entity_list": 1, "us_ofac_ssi": 2},
        {"Individual": 4, "Person (inferred from name)": 1},
    ),
    (
        OFFICIAL / "ofac_sdn/sdn.subset.csv",
        "ofac_sdn",
        {"us_ofac_sdn": 1045},
        {"Individual": 1042, "Vessel": 141, "Aircraft": 60},
    ),
    (
        OFFICIAL / "ofac_sdn_2019_trio/sdn.subset.csv",
        "ofac_sdn",
        {"us_ofac_sdn": 292},
        {"Individual": 385, "Vessel": 32, "Aircraft": 27},
    ),
    (OFFICIAL / "bis_dpl/dpl.subset.txt", "bis_dpl", {"us_bis_denied": 61}, {"Person (inferred from name)": 193}),
    (OFFICIAL / "un_sc_consolidated/UN_consolidated.subset.xml", "un_xml", {"un_sc_sanctions": 128}, {"Person": 398}),
]


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"real extract not present: {path}")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(cache_dir=str(tmp_path / "cache"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:  # these run on the embedded store; history runs on both
    s = EmbeddedStore(tmp_path / "lists.db")
    yield s
    s.close()


def _skipped(report: IngestReport) -> dict[str, int]:
    note = next((n for n in report.notes if n.startswith("skipped")), "")
    parts = note.split(": ", 1)[1].split(", ") if note else []
    return {p.split(" ", 1)[1]: int(p.split(" ", 1)[0].replace(",", "")) for p in parts}


@pytest.mark.parametrize(("path", "fmt", "lists", "skipped"), CASES, ids=[c[0].name + ":" + c[1] for c in CASES])
def test_each_real_extract_loads_organisations_and_skips_persons(
    store: GraphStore, settings: Settings, path: Path, fmt: str, lists: dict[str, int], skipped: dict[str, int]
) -> None:
    _need(path)
    assert detect_format(path) == fmt
    report = ingest_lists(store, str(path), settings=settings)
    assert report.failed is None and report.rejected == []
    designations = list(store.iter_nodes(kind=NodeKind.DESIGNATION))
    assert dict(Counter(d.props["list"] for d in designations)) == lists
    assert _skipped(report) == skipped
    entities = list(store.iter_nodes(kind=NodeKind.ORGANISATION))
    assert len(entities) == len(designations)  # every source here lists an organisation once per list
    assert all(e.props["listed_entity"] and e.id.startswith("list:") for e in entities)
    edges = list(store.iter_edges(kind=EdgeKind.DESIGNATED_ON))
    assert len(edges) == len(designations)
    for d in designations:
        assert d.props["legal_effect"] in ("legal_restriction", "advisory")
        assert d.props["status"] in ("active", "delisted")
        assert d.provenance.dataset_version == report.dataset_version


def _designation(store: GraphStore, list_key: str, name: str) -> dict[str, object]:
    found = [
        d for d in store.iter_nodes(kind=NodeKind.DESIGNATION) if d.props["list"] == list_key and d.name.endswith(name)
    ]
    assert found, f"no designation on {list_key} for {name}"
    return dict(found[0].props)


def test_1286_and_1260h_entries_are_advisory_designations(store: GraphStore, settings: Settings) -> None:
    _need(LEG)
    ingest_lists(store, str(LEG / "section_1286.subset.csv"), settings=settings)
    ingest_lists(store, str(OS / "source_csv/us_dod_chinese_milcorps/sanctions.subset.csv"), settings=settings)
    effects = Counter((d.props["list"], d.props["legal_effect"]) for d in store.iter_nodes(kind=NodeKind.DESIGNATION))
    assert effects == {("us_ndaa_1286", "advisory"): 158, ("us_dod_chinese_milcorps", "advisory"): 164}
    amms = _designation(store, "us_ndaa_1286", "Academy of Military Medical Sciences")
    assert amms["listed_on"] == "2022" and amms["status"] == "active" and amms["of_concern"] is True
    assert [e["listed_on"] for e in amms["editions"]] == ["2022", "2024"]  # type: ignore[attr-defined]
    mabna = _designation(store, "us_ndaa_1286", "Mabna Institute")  # end-date 2026-07-23 in the source
    assert (mabna["status"], mabna["delisted_on"]) == ("delisted", "2026-07-23")
    megvii = _designation(store, "us_dod_chinese_milcorps", "Beijing Megvii Technology Co., Ltd.")
    assert (megvii["listed_on"], megvii["delisted_on"], megvii["status"]) == ("2024-01-31", "2025-01-07", "delisted")
    entity = store.get_node("list:us_dod_chinese_milcorps:beijing-zhidao-chuangyu-information-technology-co-ltd")
    assert entity is not None and {"Knownsec", "Beijing Kownsec"} <= set(entity.props["aliases"])


def test_legal_restrictions_and_lists_not_of_concern(store: GraphStore, settings: Settings) -> None:
    _need(OFFICIAL)
    ingest_lists(store, str(OFFICIAL / "trade_gov_csl/csl_2019.subset.csv"), settings=settings)
    ingest_lists(store, str(LEG / "section_154.csv"), settings=settings)
    ingest_lists(store, str(OS / "source_csv/cn_sanctions/sanctions.subset.csv"), settings=settings)
    by_list = {d.props["list"]: d.props for d in store.iter_nodes(kind=NodeKind.DESIGNATION)}
    for key in ("us_bis_entity_list", "us_ofac_sdn", "us_bis_uvl", "us_bis_denied", "us_ofac_ssi"):
        assert by_list[key]["legal_effect"] == "legal_restriction" and by_list[key]["of_concern"] is True
    assert by_list["us_ndaa_154"]["of_concern"] is False and by_list["us_ndaa_154"]["weight"] == 0.0
    assert by_list["cn_sanctions"]["of_concern"] is False
    el = _designation(store, "us_bis_entity_list", "54th Research Institute of China")
    assert el["listed_on"] == "2001-05-14" and el["authority"] == "Entity List (EL) - Bureau of Industry and Security"
    entity = store.get_node(str(el["entity"]))
    assert entity is not None and entity.props["country"] == "CN"
    assert "China Electronics Technology Group Corp. (CETC) 54th Research Institute" in entity.props["aliases"]


def test_names_in_every_script_ids_and_places_are_kept(store: GraphStore, settings: Settings) -> None:
    _need(OS)
    ingest_lists(store, str(OS / "eu_fsf/entities.ftm.json"), settings=settings)
    ingest_lists(store, str(OFFICIAL / "un_sc_consolidated/UN_consolidated.subset.xml"), settings=settings)
    ingest_lists(store, str(OS / "source_csv/cn_sanctions/sanctions.subset.csv"), settings=settings)
    tobacco = store.get_node("list:opensanctions:NK-2GdmHtZTeNXjNVrBGEXZNj")
    assert tobacco is not None and tobacco.name == "RAB „Inter Tobacco“"
    names = searchable_names(tobacco)
    assert "Общество с ограниченной ответственностью “Интер Тобако”" in names and len(names) == 12
    assert tobacco.props["ids"] == {"opensanctions": "NK-2GdmHtZTeNXjNVrBGEXZNj", "registration": "808000714"}
    assert tobacco.props["country"] == "BY" and tobacco.props["topics"] == ["sanction"]
    d = store.get_node("designation:eu_fsf:NK-2GdmHtZTeNXjNVrBGEXZNj")
    assert d is not None and d.props["listed_on"] == "2022-06-03" and d.props["legal_effect"] == "legal_restriction"
    uci = next(n for n in store.iter_nodes(kind=NodeKind.ORGANISATION) if n.name == "UGANDA COMMERCIAL IMPEX (UCI) LTD")
    assert (uci.props["city"], uci.props["country"]) == ("Kampala", "UG")
    ned = store.get_node("list:cn_sanctions:national-endowment-for-democracy")
    assert ned is not None and {"value": "美国国家民主基金会", "lang": "zh", "types": ["name"]} in ned.props["names"]


def test_ofac_sdn_joins_addresses_and_aliases_by_ent_num(store: GraphStore, settings: Settings) -> None:
    trio = OFFICIAL / "ofac_sdn_2019_trio" / "sdn.subset.csv"
    _need(trio)
    ingest_lists(store, str(trio), settings=settings)
    delvest = store.get_node("list:us_ofac_sdn:651")
    assert delvest is not None and delvest.name == "DELVEST HOLDING, S.A."
    assert "DELVEST HOLDING COMPANY" in delvest.props["aliases"]  # from alt.csv
    assert (delvest.props["city"], delvest.props["country"]) == ("Geneva", "CH")  # from add.csv
    caribex = store.get_node("list:us_ofac_sdn:751")
    assert caribex is not None and "CARIBEX" in caribex.props["aliases"]  # a.k.a. in the remarks
    d = store.get_node("designation:us_ofac_sdn:751")
    assert d is not None and d.props["programme"] == "CUBA" and d.props["legal_effect"] == "legal_restriction"


def test_ofac_sdn_2024_remarks_give_registration_and_tax_ids(store: GraphStore, settings: Settings) -> None:
    sdn = OFFICIAL / "ofac_sdn" / "sdn.subset.csv"
    _need(sdn)
    ingest_lists(store, str(sdn), settings=settings)
    node = store.get_node("list:us_ofac_sdn:48893")
    assert node is not None and node.name == "LIMITED LIABILITY COMPANY SIBANTHRACITE TEPLOSET"
    assert node.props["ids"] == {"ofac": "48893", "tax": "5443004807", "registration": "1135483000091"}
