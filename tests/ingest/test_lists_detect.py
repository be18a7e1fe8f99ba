"""The list format is told from the content, whatever the file is called."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.lists_detect import UnknownFormat, detect_format
from tests.conftest import SHARED

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
REAL = [
    ("opensanctions/eu_fsf/entities.ftm.json", "ftm"),
    ("opensanctions/ua_war_sanctions/targets.simple.subset.csv", "os_targets"),
    ("opensanctions/source_csv/us_dod_chinese_milcorps/sanctions.subset.csv", "os_us_dod_chinese_milcorps"),
    ("opensanctions/source_csv/us_special_leg/section_1286.subset.csv", "os_us_special_leg"),
    ("opensanctions/source_csv/us_bis_mieu/mieu.csv", "os_us_bis_mieu"),
    ("opensanctions/source_csv/cn_sanctions/sanctions.subset.csv", "os_cn_sanctions"),
    ("official_lists/trade_gov_csl/csl_2019.subset.csv", "csl_csv"),
    ("official_lists/trade_gov_csl/consolidated_2025.subset.csv", "csl_csv"),
    ("official_lists/ofac_sdn/sdn.subset.csv", "ofac_sdn"),
    ("official_lists/ofac_sdn_2019_trio/sdn.subset.csv", "ofac_sdn"),
    ("official_lists/bis_dpl/dpl.subset.txt", "bis_dpl"),
    ("official_lists/un_sc_consolidated/UN_consolidated.subset.xml", "un_xml"),
]


@pytest.mark.parametrize(("rel", "fmt"), REAL, ids=[r[1] + ":" + Path(r[0]).name for r in REAL])
def test_real_files_are_recognised_even_when_renamed(tmp_path: Path, rel: str, fmt: str) -> None:
    path = SHARED / rel
    if not path.exists():
        pytest.skip(f"real extract not present: {path}")
    renamed = tmp_path / "download.bin"
    shutil.copyfile(path, renamed)
    assert detect_format(renamed) == fmt


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("eu_fsf.xml", "eu_fsf_xml"), ("uk_sanctions_list.xml", "uk_xml"), ("uk_sanctions_list.csv", "uk_csv")],
)
def test_handwritten_fixtures_are_recognised(name: str, fmt: str) -> None:
    assert detect_format(FIXTURES / name) == fmt


def test_json_shapes(tmp_path: Path) -> None:
    delta = tmp_path / "a"
    delta.write_text('{"op": "DEL", "entity": {"id": "NK-1"}}\n', encoding="utf-8")
    csl = tmp_path / "b"
    csl.write_text('{\n  "total": 1,\n  "results": [\n    {"id": "x", "source": "Entity List (EL)"}\n  ]\n}\n')
    assert (detect_format(delta), detect_format(csl)) == ("ftm_delta", "csl_json")


def test_an_unknown_file_is_refused_with_its_name_and_first_line(tmp_path: Path) -> None:
    odd = tmp_path / "mystery.csv"
    odd.write_text("alpha,beta,gamma\n1,2,3\n", encoding="utf-8")
    with pytest.raises(UnknownFormat, match=r"mystery\.csv: cannot tell the list format.*alpha,beta,gamma.*--format"):
        detect_format(odd)
    empty = tmp_path / "empty.json"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(UnknownFormat, match=r"empty\.json: the file is empty"):
        detect_format(empty)


def test_ofac_side_files_point_at_the_sdn_file() -> None:
    add = SHARED / "official_lists/ofac_sdn_2019_trio/add.subset.csv"
    if not add.exists():
        pytest.skip("real extract not present")
    with pytest.raises(UnknownFormat, match=r"add\.subset\.csv: this is OFAC add\.csv; ingest the sdn\.csv"):
        detect_format(add)
