"""Name analysis: pure functions, no store."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.resolve.acronyms import acronym_key, looks_like_acronym
from graph.resolve.affiliation import Role, near_country, segments, structural_role
from graph.resolve.countries import is_country_code, normalise_country
from graph.resolve.names import analyse, is_legal_form


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Nanjing Univ. of Aeronautics & Astronautics", "NANJING UNIVERSITY OF AERONAUTICS AND ASTRONAUTICS"),
        ("Natl. Inst. of Sci. & Tech.", "National Institute of Science and Technology"),
        ("Xi’an Technological University", "Xi'an Technological University"),
        ("Northwestern Polytechnic University", "Northwestern Polytechnical University"),
        ("Technische Universität München", "TECHNISCHE UNIVERSITAET MUENCHEN"),
        (
            "Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.",
            "FRAUNHOFER GESELLSCHAFT ZUR FOERDERUNG DER ANGEWANDTEN FORSCHUNG EV",
        ),
        ("Joint Stock Company Concern Gidropribor", "Concern Gidropribor JSC"),
        ("Aisino Co., Ltd.", "AISINO COMPANY LIMITED"),
        (
            "Federal State Budgetary Institution of Science Institute of Molecular and Cell Biology",
            "Institute of Molecular and Cell Biology",
        ),
        ("Chinese Academy of Engineering Physics", "China Academy of Engineering Physics"),
    ],
)
def test_variant_spellings_share_tokens(a: str, b: str) -> None:
    assert set(analyse(a).tokens) == set(analyse(b).tokens)


def test_distinct_institutions_keep_distinct_tokens() -> None:
    assert set(analyse("Nanjing University").tokens) < set(analyse("Nanjing University of Aeronautics").tokens)
    assert analyse("Hunan University").tokens != analyse("Henan University").tokens
    assert analyse("SA Health").tokens == ("sa", "health")  # "SA" is a legal form only at the end


def test_scripts() -> None:
    assert analyse("南京航空航天大学").cjk and "航" in analyse("南京航空航天大学").tokens
    assert analyse("Московский государственный университет").tokens[-1] == "university"
    assert analyse("Université de Lyon").tokens == analyse("UNIVERSITE DE LYON").tokens
    assert (
        analyse("NUAA").initials == "N"
        and analyse("Nanjing University of Aeronautics and Astronautics").initials == "NUAA"
    )


@settings(derandomize=True, max_examples=200)
@given(st.text(max_size=80))
def test_analysis_is_total_and_case_blind(text: str) -> None:
    form = analyse(text)
    assert all(t and " " not in t for t in form.tokens)
    assert analyse(text.upper()).tokens == analyse(text.lower()).tokens or not text.isascii()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NUAA", True),
        ("N.U.A.A.", True),
        ("IFM PAN", True),
        ("ФИЦ ИУ РАН", True),
        ("UrFU", True),
        ("Harbin", False),
        ("Harbin Institute of Technology", False),
        ("2021", False),
        ("A", False),
    ],
)
def test_acronyms(text: str, expected: bool) -> None:
    assert looks_like_acronym(text) is expected
    assert acronym_key("N.U.A.A.") == "NUAA"


def test_segments_and_roles() -> None:
    text = "School of Physics, Harbin Institute of Technology, Harbin 150001, P.R. China"
    assert segments(text) == ["School of Physics", "Harbin Institute of Technology", "Harbin 150001", "P.R. China"]
    assert segments("Chinese Academy of Sciences – Institute of Physics") == [
        "Chinese Academy of Sciences",
        "Institute of Physics",
    ]
    assert segments("CEPS/INSTEAD (Luxembourg)") == ["CEPS/INSTEAD", "Luxembourg"]
    assert structural_role("P.R. China", set(), "") == Role.COUNTRY
    assert structural_role("Harbin", {"harbin"}, "harbin") == Role.CITY
    assert structural_role("School of Physics", set(), "") == Role.ORGLIKE
    assert structural_role("Co., Ltd.", set(), "") == Role.LEGAL
    assert structural_role("No. 92 West Dazhi Street", set(), "") == Role.ADDRESS
    assert near_country("Fnland") == "FI" and near_country("Untied States") == "US" and near_country("Lyon") is None
    assert is_legal_form("Co., Ltd.") and not is_legal_form("Harbin")


def test_countries() -> None:
    assert normalise_country("cn") == "CN" and normalise_country("UK") == "GB" and normalise_country("EL") == "GR"
    assert normalise_country("P.R. China") == "CN" and normalise_country("XX") is None
    assert is_country_code("DE") and not is_country_code("XX")
