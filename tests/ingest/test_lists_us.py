"""US Consolidated Screening List: CSV and JSON agree, rows route by `source`, versions delist per list."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.model import NodeKind
from graph.settings import Settings, load_settings
from graph.store import GraphStore
from ingest.lists import ingest_lists
from tests.conftest import SHARED

CSL_2025 = SHARED / "official_lists/trade_gov_csl/consolidated_2025.subset.csv"
CSL_2019 = SHARED / "official_lists/trade_gov_csl/csl_2019.subset.csv"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    s = EmbeddedStore(tmp_path / "csl.db")
    yield s
    s.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(cache_dir=str(tmp_path / "cache"))


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        pytest.skip(f"real extract not present: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _as_api_result(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row in the shape of the trade.gov JSON API (lists and address objects)."""
    out: dict[str, Any] = {k: (v or None) for k, v in row.items() if k != "_id"}
    out["id"] = row["_id"]
    for key in ("programs", "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth"):
        out[key] = [p for p in (row.get(key) or "").split("; ") if p]
    out["addresses"] = [
        {
            "address": a.rsplit(", ", 1)[0],
            "city": None,
            "state": None,
            "postal_code": None,
            "country": a.rsplit(", ", 1)[-1],
        }
        for a in (row.get("addresses") or "").split("; ")
        if a
    ]
    out["ids"] = [
        dict(zip(("type", "number", "country"), i.split(", ", 2), strict=False))
        for i in (row.get("ids") or "").split("; ")
        if i
    ]
    return out


def _designations(store: GraphStore) -> dict[str, dict[str, Any]]:
    return {d.id: dict(d.props) for d in store.iter_nodes(kind=NodeKind.DESIGNATION)}


def test_json_and_csv_give_the_same_designations(tmp_path: Path, settings: Settings) -> None:
    rows = _rows(CSL_2025)
    api = tmp_path / "consolidated.json"
    api.write_text(
        json.dumps(
            {
                "total": len(rows),
                "sources_used": [
                    {
                        "source": "Entity List (EL) - Bureau of Industry and Security",
                        "source_last_updated": "2025-06-24",
                    }
                ],
                "results": [_as_api_result(r) for r in rows],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    with EmbeddedStore(tmp_path / "a.db") as a, EmbeddedStore(tmp_path / "b.db") as b:
        from_csv = ingest_lists(a, str(CSL_2025), settings=settings)
        from_json = ingest_lists(b, str(api), settings=settings)
        assert from_json.dataset_version == "2025-06-24" and from_csv.dataset_version == "2018-08-01"
        left, right = _designations(a), _designations(b)
        assert (
            sorted(left)
            == sorted(right)
            == [
                "designation:us_bis_entity_list:99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be",
                "designation:us_ofac_ssi:18300",
                "designation:us_ofac_ssi:28603",
            ]
        )
        for key in left:
            assert {k: left[key][k] for k in ("list", "listed_on", "legal_effect", "programme")} == {
                k: right[key][k] for k in ("list", "listed_on", "legal_effect", "programme")
            }
        cetc = b.get_node("list:us_bis_entity_list:99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be")
        assert cetc is not None and "Hebei Semiconductor Research Institute" in cetc.props["aliases"]
        assert cetc.props["country"] == "CN"


def test_a_newer_csl_delists_only_what_left_each_list(tmp_path: Path, store: GraphStore, settings: Settings) -> None:
    rows = _rows(CSL_2019)
    gone = {"A.C. International", "7 KARNES"}  # one Entity List row, one SDN row
    v2 = tmp_path / "csl_v2.csv"
    with v2.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(r for r in rows if r["name"] not in gone)
    ingest_lists(store, str(CSL_2019), settings=settings, version="2019-12-03")
    before = _designations(store)
    report = ingest_lists(store, str(v2), settings=settings, version="2020-01-15")
    after = _designations(store)
    delisted = {k for k, v in after.items() if v["status"] == "delisted"}
    assert delisted == {"designation:us_bis_entity_list:a-c-international", "designation:us_ofac_sdn:12449"}
    assert all(after[k]["delisted_on"] == "2020-01-15" for k in delisted)
    assert set(after) == set(before) and any("delisted 2 designations" in n for n in report.notes)


def test_list_option_reads_one_list_of_a_multi_list_file(store: GraphStore, settings: Settings) -> None:
    _rows(CSL_2019)
    ingest_lists(store, str(CSL_2019), settings=settings, version="2019-12-03")
    only = ingest_lists(store, str(CSL_2019), settings=settings, version="2020-01-15", list_key="us_bis_uvl")
    assert "organisations 2 on lists: us_bis_uvl" in only.notes
    assert {v["status"] for v in _designations(store).values()} == {"active"}  # other lists out of scope
    uvl = store.get_node("designation:us_bis_uvl:guangdong-university-of-technology")
    assert uvl is not None and uvl.props["legal_effect"] == "legal_restriction"
