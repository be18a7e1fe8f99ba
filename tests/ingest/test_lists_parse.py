"""Pure parsers shared by the list formats: dates, slugs, countries, the person guess."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.lists_config import load_lists_config
from ingest.lists_country import lang_code, to_iso2
from ingest.lists_parse import DateError, looks_like_person, parse_date, slug, split_address


@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        ("2024-01-31", "dmy", "2024-01-31"),
        ("2024-06-01T10:57:03", "dmy", "2024-06-01"),
        ("2026-02-27T00:00:09.554Z", "dmy", "2026-02-27"),
        ("2015-03-27-04:00", "dmy", "2015-03-27"),  # UN LISTED_ON with a zone offset
        ("2022", "dmy", "2022"),
        ("2023-12", "dmy", "2023-12"),
        ("02.12.2019", "dmy", "2019-12-02"),  # cn_sanctions DD.MM.YYYY
        ("13.07.20", "dmy", "2020-07-13"),  # cn_sanctions D.MM.YY
        ("1.02.21", "dmy", "2021-02-01"),
        ("29/06/2012", "dmy", "2012-06-29"),  # UK
        ("09/26/2013", "mdy", "2013-09-26"),  # BIS DPL
        ("October 1, 2027", "dmy", "2027-10-01"),  # NDAA §154 start-date
        ("December 2023", "dmy", "2023-12"),  # §353 end-date
        ("02-Oct-2026", "dmy", "2026-10-02"),  # UK CSV report date
        ("", "dmy", None),
        ("  ", "dmy", None),
    ],
)
def test_parse_date_reads_every_format_met_in_the_lists(raw: str, order: str, expected: str | None) -> None:
    assert parse_date(raw, order=order) == expected


@pytest.mark.parametrize("raw", ["31.02.2020", "soon", "2020-13-01", "Smarch 2020", "12/31/2020"])
def test_parse_date_rejects_what_it_cannot_read(raw: str) -> None:
    with pytest.raises(DateError):
        parse_date(raw)  # 12/31/2020 in day-month order has no month 31


@settings(derandomize=True, max_examples=200)
@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)))  # two-digit years pivot at 70
def test_every_written_form_of_a_day_parses_to_that_day(day: date) -> None:
    iso = day.isoformat()
    assert parse_date(iso) == iso
    assert parse_date(day.strftime("%d.%m.%Y")) == iso
    assert parse_date(f"{day.day}.{day.month:02d}.{day.year % 100:02d}") == iso
    assert parse_date(day.strftime("%m/%d/%Y"), order="mdy") == iso
    assert parse_date(day.strftime("%d/%m/%Y")) == iso


@settings(derandomize=True, max_examples=200)
@given(st.text(min_size=1, max_size=200))
def test_slug_is_stable_ascii_and_bounded(text: str) -> None:
    s = slug(text)
    assert s == slug(text)
    assert s and len(s) <= 80
    assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in s)


def test_slug_keeps_names_readable_and_tells_scripts_apart() -> None:
    assert slug("Academy of Military Medical Sciences") == "academy-of-military-medical-sciences"
    assert slug("Beijing Megvii Technology Co., Ltd.") == "beijing-megvii-technology-co-ltd"
    assert slug("中国科学院") != slug("中国工程院")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("cn", "CN"),
        ("CHN", "CN"),
        ("China", "CN"),
        ("Russia", "RU"),
        ("DPRK", "KP"),
        ("ROK", "KR"),
        ("UAE", "AE"),
        ("Iran (Islamic Republic of)", "IR"),
        ("RUSSIAN FEDERATION", "RU"),
        ("EU", None),
        ("", None),
        ("Atlantis", None),
    ],
)
def test_country_names_and_codes_become_iso2(value: str, code: str | None) -> None:
    assert to_iso2(value) == code


def test_language_names_become_iso639_1() -> None:
    assert (lang_code("Russian"), lang_code("RU"), lang_code("Pashto"), lang_code("")) == ("ru", "ru", "ps", None)


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("Gunther Migeotte", True),
        ("A.H. Shamnad", True),
        ("(SEAN) NAGHIBI", True),
        ("54th Research Institute of China", False),
        ("Gryphon Aerospace", False),
        ("A.C. International", False),
        ("KOTO COMMERCIO IBERICA, S.L.", False),
        ("P&P COMPUTERS", False),
        ("NIREF", False),
        ("Guangdong University of Technology", False),
    ],
)
def test_untyped_rows_are_taken_for_persons_only_when_the_name_looks_like_one(name: str, person: bool) -> None:
    assert looks_like_person(name) is person


def test_one_line_addresses_give_city_and_country() -> None:
    assert split_address("P.O. Box 42340, Dubai, 396, AE") == ("Dubai", "AE")
    assert split_address("38, Princes Court-88 Brompton Road Knightsbridge, London, SW3 1ES, GB") == ("London", "GB")
    assert split_address("CN") == (None, "CN")


def test_the_shipped_config_keeps_legal_effects_apart() -> None:
    config = load_lists_config()
    restrictions = {
        "us_bis_entity_list",
        "us_ofac_sdn",
        "eu_fsf",
        "gb_fcdo_sanctions",
        "un_sc_sanctions",
        "us_bis_denied",
        "us_bis_meu",
    }
    advisory = {"us_ndaa_1286", "ca_named_research_orgs", "us_dod_chinese_milcorps"}
    assert {k for k in restrictions if config.get(k).legal_effect == "legal_restriction"} == restrictions
    assert {k for k in advisory if config.get(k).legal_effect == "advisory"} == advisory
    assert "not a trade sanction" in config.get("us_dod_chinese_milcorps").description
    assert config.get("us_state_353").of_concern is False
    assert all(0.0 <= c.weight <= 1.0 and c.description for c in config.lists.values())
    unknown = config.get("xx_not_configured")
    assert (unknown.configured, unknown.of_concern, unknown.legal_effect) == (False, False, "advisory")


def test_a_user_config_overrides_and_a_bad_one_is_refused(tmp_path: object) -> None:
    from pathlib import Path

    base = Path(str(tmp_path))
    user = base / "lists.toml"
    user.write_text(
        '[lists.us_ndaa_1286]\nweight = 0.5\n[lists.my_list]\nname = "Mine"\nlegal_effect = "advisory"\n'
        "of_concern = true\nweight = 0.2\n",
        encoding="utf-8",
    )
    config = load_lists_config(user)
    assert config.get("us_ndaa_1286").weight == 0.5
    assert config.get("us_ndaa_1286").legal_effect == "advisory"  # untouched fields kept
    assert config.get("my_list").name == "Mine"
    bad = base / "bad.toml"
    bad.write_text('[lists.x]\nlegal_effect = "sanction"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.toml.*legal_effect"):
        load_lists_config(bad)
