"""The resolver on the look-alikes that matter: names, acronyms, affiliations, scripts, typos, identifiers."""

from __future__ import annotations

import pytest

from graph.resolve.matcher import Candidate, Query, top_match
from tests.resolve.conftest import CAS, HEU, HIT, IOP_CAS, MSU, NANJING, NORTHWESTERN, NPU, NUAA, resolver

R = resolver()


def best(text: str, country: str | None = None, **kw: object) -> Candidate | None:
    return top_match(R.resolve(Query(text, country=country, **kw)))  # type: ignore[arg-type]


def test_nanjing_university_is_not_nuaa() -> None:
    assert best("Nanjing University").id == NANJING.id  # type: ignore[union-attr]
    assert best("Nanjing University of Aeronautics and Astronautics").id == NUAA.id  # type: ignore[union-attr]
    without = resolver([NUAA, HIT])
    found = without.resolve(Query("Nanjing University", country="CN"))
    assert top_match(found) is None  # NUAA is only a look-alike when Nanjing University is absent
    assert all(c.band != "match" for c in found)


def test_northwestern_is_not_npu_across_countries() -> None:
    assert best("Northwestern University", "US").id == NORTHWESTERN.id  # type: ignore[union-attr]
    assert best("Northwestern Polytechnical University").id == NPU.id  # type: ignore[union-attr]
    assert top_match(resolver([NPU]).resolve(Query("Northwestern University"))) is None
    assert top_match(resolver([NORTHWESTERN]).resolve(Query("Northwestern Polytechnical University"))) is None


def test_hit_is_not_heu_in_the_same_city() -> None:
    assert best("Harbin Institute of Technology").id == HIT.id  # type: ignore[union-attr]
    assert best("Harbin Engineering University").id == HEU.id  # type: ignore[union-attr]
    assert top_match(resolver([HIT]).resolve(Query("Harbin Engineering University", country="CN"))) is None
    assert top_match(resolver([HEU]).resolve(Query("Harbin Institute of Technology", country="CN"))) is None


def test_truncation_does_not_match() -> None:
    assert top_match(resolver([HIT, NUAA]).resolve(Query("Harbin Institute"))) is None
    assert top_match(resolver([MSU]).resolve(Query("Moscow State"))) is None


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("NUAA", "CN", NUAA.id),  # unique in context
        ("HEU", "CN", HEU.id),
        ("N.U.A.A.", "CN", NUAA.id),
    ],
)
def test_acronym_unique_in_context_matches(text: str, country: str, expected: str) -> None:
    found = R.resolve(Query(text, country=country))
    assert found[0].id == expected and found[0].band == "match" and found[0].method == "acronym"
    assert "unique" in found[0].explanation


def test_acronym_ambiguous_or_without_context_does_not_match() -> None:
    cas = R.resolve(Query("CAS"))  # Chinese and Czech Academy of Sciences
    assert top_match(cas) is None and "ambiguous" in cas[0].explanation
    assert top_match(R.resolve(Query("CAS", country="CN"))).id == CAS.id  # type: ignore[union-attr]
    no_context = R.resolve(Query("NUAA"))
    assert no_context[0].id == NUAA.id and no_context[0].band == "possible"


def test_acronym_is_never_typo_corrected() -> None:
    assert top_match(R.resolve(Query("NUAB", country="CN"))) is None


@pytest.mark.parametrize(
    "text",
    [
        "School of Physics, Harbin Institute of Technology, Harbin, China",
        "Department of Computer Science, Harbin Institute of Technology, Harbin 150001, P.R. China",
        "State Key Laboratory of Robotics and System, HIT, Harbin, China",
        "HARBIN INSTITUTE OF TECHNOLOGY",
        "Harbin Inst. of Tech.",
    ],
)
def test_affiliation_strings_abbreviations_and_upper_case(text: str) -> None:
    found = best(text)
    assert found is not None and found.id == HIT.id, text
    assert found.explanation


def test_subunit_maps_to_parent_and_own_record_wins() -> None:
    cas = best("Institute of Theoretical Physics, Chinese Academy of Sciences, Beijing, China")
    assert cas is not None and cas.id == CAS.id and cas.method == "subunit"
    assert "sub-unit" in cas.explanation
    iop = best("Institute of Physics, Chinese Academy of Sciences, Beijing, China")
    assert iop is not None and iop.id == IOP_CAS.id  # the sub-unit's own record, not the Czech one


def test_city_or_country_context_decides_between_same_names() -> None:
    assert best("Institute of Physics, Prague, Czech Republic").id == "ror:02yhj4v17"  # type: ignore[union-attr]
    assert best("Institute of Physics, Beijing, China").id == IOP_CAS.id  # type: ignore[union-attr]
    assert best("Institute of Physics") is None  # ambiguous without context


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("南京航空航天大学", NUAA.id),
        ("哈尔滨工程大学", HEU.id),
        ("Московский государственный университет имени М. В. Ломоносова", MSU.id),
    ],
)
def test_other_script_labels(text: str, expected: str) -> None:
    found = best(text)
    assert found is not None and found.id == expected


def test_other_script_look_alike_does_not_match() -> None:
    assert top_match(resolver([NUAA]).resolve(Query("南京大学"))) is None


@pytest.mark.parametrize(
    "text", ["Harbin Instiute of Technology", "Nanjing Univeristy of Aeronautics and Astronautics"]
)
def test_typos_are_corrected(text: str) -> None:
    found = best(text)
    assert found is not None and "typo" in found.explanation


def test_typo_correction_never_turns_a_known_word_into_another() -> None:
    # "engineering" is a known word: "Harbin Engineering University" is no typo of HIT
    assert top_match(resolver([HIT, NUAA]).resolve(Query("Harbin Engineering University"))) is None


def test_identifiers_win_over_names() -> None:
    found = R.resolve(Query("Completely Different Name", ids={"wikidata": "q1303212"}))
    assert found[0].id == HIT.id and found[0].score == 1.0 and found[0].method == "identifier"
    conflict = R.resolve(Query("Harbin Institute of Technology", ids={"ror": "0000000aa"}))
    assert conflict[0].band == "none" and "identifiers differ" in conflict[0].explanation
    assert best("https://ror.org/01scyh794").id == NUAA.id  # type: ignore[union-attr]


def test_every_candidate_is_explained() -> None:
    for text in ("Nanjing University", "NUAA", "Harbin Institute", "Dept. of Physics, Nanjing University, China"):
        for c in R.resolve(Query(text)):
            assert c.explanation.strip(), (text, c)
