"""Pure OpenAlex mapping: institutions, funders, awards and what a work says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.errors import RecordRejected
from graph.model import Edge, EdgeKind, Node, NodeKind
from ingest.openalex_map import map_award, map_funder, map_institution, oa_id, ror_short
from ingest.openalex_works import WorkFacts, aggregate_edge, aggregate_keys, cordis_project_id, work_facts
from ingest.pipeline import SourceRun
from tests.conftest import SHARED

OA = SHARED / "openalex"
RUN = SourceRun("openalex", "test", "test", "2026-11-01T00:00:00Z")


def _real(path: Path) -> Any:
    if not path.exists():
        pytest.skip(f"real data not present: {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def _inst(id_: str, name: str, **kw: Any) -> dict[str, Any]:
    return {"id": f"https://openalex.org/{id_}", "display_name": name, **kw}


def _work(id_: str, year: Any, *insts: str, **kw: Any) -> dict[str, Any]:
    authorships = [{"institutions": [_inst(i, f"Inst {i}", country_code="de", type="education")]} for i in insts]
    return {"id": f"https://openalex.org/{id_}", "publication_year": year, "authorships": authorships, **kw}


def test_ids_are_parsed_strictly() -> None:
    assert oa_id("https://openalex.org/I27837315", "I") == "I27837315"
    assert oa_id("openalex:i5", "I") == "I5"
    assert oa_id("https://openalex.org/F1", "I") is None
    assert oa_id("I12x", "I") is None
    assert ror_short("https://ror.org/00jmfr291") == "00jmfr291"
    assert ror_short("ror:05ejpqr48") == "05ejpqr48"
    assert ror_short("grid.1234.5") is None


def test_real_institution_maps_every_name_form() -> None:
    raw = _real(OA / "api" / "single" / "I27837315.json")
    node, *rest = map_institution(raw, RUN)
    assert isinstance(node, Node) and node.id == "openalex:I27837315" and node.kind is NodeKind.ORGANISATION
    assert node.name == "University of Michigan"
    names = {(n["value"], n["lang"]): n["types"] for n in node.props["names"]}
    assert names[("University of Michigan", None)] == ["display"]
    assert names[("UMich", None)] == ["alias"]
    assert names[("UM", None)] == ["acronym"]
    assert ("Université du Michigan", None) in names
    assert len([k for k in names if k[1] is not None]) == len(raw["international"]["display_name"])
    assert node.props["acronyms"] == ["UM"]
    assert node.props["country"] == "US" and node.props["city"] == "Ann Arbor"
    assert node.props["ids"]["ror"] == "https://ror.org/00jmfr291"
    assert node.props["ids"]["openalex"] == "https://openalex.org/I27837315"
    assert node.props["lineage"] == ["openalex:I27837315"]
    assert node.provenance.source == "openalex" and node.provenance.source_id == "I27837315"
    children = [r for r in rest if isinstance(r, Edge)]
    related = [a for a in raw["associated_institutions"] if a["relationship"] in ("parent", "child", "related")]
    assert len(children) == len(related) > 0
    stubs = [r for r in rest if isinstance(r, Node)]
    assert all(s.props["stub"] for s in stubs) and len(stubs) == len(related)


def test_relationship_directions() -> None:
    raw = _inst(
        "I10",
        "Unit",
        associated_institutions=[
            {**_inst("I1", "Parent"), "relationship": "parent"},
            {**_inst("I20", "Child"), "relationship": "child"},
            {**_inst("I3", "Sibling"), "relationship": "related"},
            {**_inst("I99", "Odd"), "relationship": "successor"},
        ],
    )
    edges = {(e.kind, e.src, e.dst) for e in map_institution(raw, RUN) if isinstance(e, Edge)}
    assert edges == {
        (EdgeKind.PARENT_OF, "openalex:I1", "openalex:I10"),
        (EdgeKind.PARENT_OF, "openalex:I10", "openalex:I20"),
        (EdgeKind.RELATED_TO, "openalex:I10", "openalex:I3"),  # src is the smaller id as a string
    }


def test_both_sides_of_a_relationship_give_the_same_edge() -> None:
    parent = _inst("I1", "P", associated_institutions=[{**_inst("I2", "C"), "relationship": "child"}])
    child = _inst("I2", "C", associated_institutions=[{**_inst("I1", "P"), "relationship": "parent"}])
    (a,) = [e for e in map_institution(parent, RUN) if isinstance(e, Edge)]
    (b,) = [e for e in map_institution(child, RUN) if isinstance(e, Edge)]
    assert a == b


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"id": "https://openalex.org/W1", "display_name": "x"}, "id"),
        ({"id": "https://openalex.org/I1"}, "display_name"),
    ],
)
def test_bad_institution_is_rejected_with_field(raw: dict[str, Any], field: str) -> None:
    (rejected,) = map_institution(raw, RUN, "part_000:7")
    assert isinstance(rejected, RecordRejected)
    assert rejected.field == field and rejected.location == "part_000:7"


def test_real_funder() -> None:
    raw = _real(OA / "api" / "single" / "F4320332161.json")
    (node,) = map_funder(raw, RUN)
    assert isinstance(node, Node) and node.kind is NodeKind.FUNDER and node.id == "openalex:F4320332161"
    assert "NIH" in node.props["aliases"] and node.props["ids"]["ror"] == "https://ror.org/01cwqze88"
    assert node.props["country"] == "US"


def test_award_entity_with_funder() -> None:
    raw = {
        "id": "https://openalex.org/G5453342221",
        "display_name": "Implementation of activities described in the Roadmap to Fusion",
        "funder_award_id": "633053",
        "funder": {"id": "https://openalex.org/F4320337670", "display_name": "H2020 Euratom", "ror": None},
        "amount": 1000.5,
        "currency": "EUR",
    }
    award, funder, edge = map_award(raw, RUN)
    assert isinstance(award, Node) and award.kind is NodeKind.AWARD and award.id == "openalex:G5453342221"
    assert award.props["funder_award_id"] == "633053" and award.props["amount"] == 1000.5
    assert isinstance(funder, Node) and funder.props["stub"] is True
    assert isinstance(edge, Edge) and (edge.kind, edge.src, edge.dst) == (
        EdgeKind.FUNDED_BY,
        "openalex:G5453342221",
        "openalex:F4320337670",
    )


def test_cordis_join_needs_an_eu_funder_and_a_numeric_id() -> None:
    assert cordis_project_id("633053", "H2020 Euratom", None) == "633053"
    assert cordis_project_id("101070000", "European Commission", None) == "101070000"
    assert cordis_project_id("101070000", "Some Agency", "https://ror.org/00k4n6c32") == "101070000"
    assert cordis_project_id("633053", "National Institutes of Health", None) is None
    assert cordis_project_id("R01 CA1234", "European Commission", None) is None


def test_work_pairs_every_distinct_institution_per_year() -> None:
    facts = work_facts(_work("W5", 2021, "I1", "I2", "I3", "I2"), RUN)
    assert isinstance(facts, WorkFacts)
    assert facts.institutions == ("openalex:I1", "openalex:I2", "openalex:I3")
    keys = aggregate_keys(facts)
    assert keys == [
        "COLLABORATED_WITH|openalex:I1|openalex:I2|2021",
        "COLLABORATED_WITH|openalex:I1|openalex:I3|2021",
        "COLLABORATED_WITH|openalex:I2|openalex:I3|2021",
    ]
    assert {s.id for s in facts.stubs} == set(facts.institutions)


def test_work_without_year_contributes_nothing_and_bad_year_is_rejected() -> None:
    facts = work_facts(_work("W5", None, "I1", "I2"), RUN)
    assert isinstance(facts, WorkFacts) and aggregate_keys(facts) == []
    bad = work_facts(_work("W5", "2021", "I1"), RUN, location="page 3")
    assert isinstance(bad, RecordRejected) and bad.field == "publication_year" and bad.location == "page 3"


def test_hyperauthored_work_gives_no_collaboration_pairs() -> None:
    insts = [f"I{i}" for i in range(1, 8)]
    facts = work_facts(_work("W1", 2020, *insts), RUN, max_institutions=5)
    assert isinstance(facts, WorkFacts) and facts.hyperauthored
    assert aggregate_keys(facts) == []


def test_work_funding_2026_schema_and_legacy_grants() -> None:
    raw = _work(
        "W7",
        2022,
        "I1",
        funders=[{"id": "https://openalex.org/F9", "display_name": "European Commission"}],
        awards=[
            {
                "id": "https://openalex.org/G3",
                "display_name": None,
                "funder_award_id": "101000001",
                "funder_id": "https://openalex.org/F9",
                "funder_display_name": "European Commission",
            }
        ],
        grants=[{"funder": "https://openalex.org/F8", "funder_display_name": "NSF", "award_id": "DMS 1/2"}],
    )
    facts = work_facts(raw, RUN)
    assert isinstance(facts, WorkFacts)
    assert facts.funders == ("openalex:F8", "openalex:F9")
    assert facts.awards == ("openalex:F8:award:DMS%201%2F2", "openalex:G3")
    award = next(s for s in facts.stubs if s.id == "openalex:G3")
    assert award.props["cordis_project_id"] == "101000001" and award.props["stub"] is True
    assert {(e.src, e.dst) for e in facts.edges} == {
        ("openalex:G3", "openalex:F9"),
        ("openalex:F8:award:DMS%201%2F2", "openalex:F8"),
    }
    assert sorted(aggregate_keys(facts)) == [
        "FUNDED_BY|openalex:I1|openalex:F8:award:DMS%201%2F2|2022",
        "FUNDED_BY|openalex:I1|openalex:F8|2022",
        "FUNDED_BY|openalex:I1|openalex:F9|2022",
        "FUNDED_BY|openalex:I1|openalex:G3|2022",
    ]


def test_aggregate_edge_counts_and_caps_examples_in_numeric_order() -> None:
    works = [f"W{i}" for i in (100, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 2)]
    edge = aggregate_edge("COLLABORATED_WITH|openalex:I1|openalex:I2|2021", works, RUN)
    assert edge.id == "COLLABORATED_WITH|openalex:I1|openalex:I2|2021"
    assert (edge.key, edge.start, edge.end) == ("2021", "2021", "2021")
    assert edge.props == {"count": 12, "works": ["W2", "W9", "W10", "W11", "W12", "W13", "W14", "W15", "W16", "W17"]}
    assert "institutions.id:I1,institutions.id:I2,publication_year:2021" in edge.provenance.url


def test_real_api_works_yield_pairs() -> None:
    page = _real(OA / "api" / "works_list" / "json_chunk_1_results_page_1.json")
    facts = [work_facts(w, RUN) for w in page["results"]]
    assert all(isinstance(f, WorkFacts) for f in facts)
    multi = [f for f in facts if isinstance(f, WorkFacts) and len(f.institutions) > 1]
    assert multi and all(aggregate_keys(f) for f in multi if f.year is not None)
