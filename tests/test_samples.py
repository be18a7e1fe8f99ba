"""The sample world in data/samples: real formats, coherent ids, the demo story, and the demo graph.

Format checks use only the standard library. Where the real extracts in
../shared/data/real are present, rows said to be real are compared with them
byte for byte; otherwise those checks skip. The last tests load the samples
with ``rsgraph ingest all`` and check the graph they build.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from collections import defaultdict, deque
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, SAMPLES, SHARED

ROR = SAMPLES / "ror" / "ror-data-sample.json"
OPENALEX = SAMPLES / "openalex"
PROJECTS = SAMPLES / "cordis" / "project.csv"
ORGANIZATIONS = SAMPLES / "cordis" / "organization.csv"
LISTS = SAMPLES / "lists"
STORY = SAMPLES / "story.json"

PROJECT_HEADER = (
    "id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;topics;ecSignatureDate;"
    "frameworkProgramme;masterCall;subCall;fundingScheme;nature;objective;contentUpdateDate;rcn;grantDoi"
).split(";")
ORGANIZATION_HEADER = (
    "projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;activityType;street;postCode;city;"
    "country;nutsCode;geolocation;organizationURL;contactForm;contentUpdateDate;rcn;order;role;ecContribution;"
    "netEcContribution;totalCost;endOfParticipation;active"
).split(";")
HEADER_1286 = (
    "schema,name,aliases,topics,program,authority,reason,report-date,start-date,end-date,country,notes,source_url"
)
HEADER_1260H = "Name,Clean Name,Alias,Previous Name,Parent Name,Note,Start date,End date,Source Url"
HEADER_CSL = (
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,"
    "standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,"
    "vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,"
    "places_of_birth,source_information_url,ids"
)
REAL = {
    "lists/section_1286.csv": "opensanctions/source_csv/us_special_leg/section_1286.subset.csv",
    "lists/dod_1260h.csv": "opensanctions/source_csv/us_dod_chinese_milcorps/sanctions.subset.csv",
    "lists/consolidated_screening_list.csv": "official_lists/trade_gov_csl/consolidated_2025.subset.csv",
    "lists/eu_fsf_sample.ftm.json": "opensanctions/eu_fsf/entities.ftm.json",
}
ILLUSTRATIVE_OA_ID = re.compile(r"^https://openalex\.org/[IWAFGS]9\d{9}$")
ROR_URL = re.compile(r"^https://ror\.org/0[a-z0-9]{6}\d{2}$")
REAL_PROJECT_IDS = {"785219", "654148", "820394", "732642"}


def need_shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"real extracts not present at {SHARED}")
    return SHARED


@cache
def ror_records() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(ROR.read_text(encoding="utf-8")))


@cache
def ror_ids() -> frozenset[str]:
    return frozenset(r["id"] for r in ror_records())


def jsonl(entity: str) -> list[dict[str, Any]]:
    parts = sorted(OPENALEX.glob(f"{entity}/updated_date=*/part_*"))
    assert parts, f"no {entity} partition under {OPENALEX}"
    return [json.loads(line) for part in parts for line in part.read_text(encoding="utf-8").splitlines()]


def cordis(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def list_rows(name: str) -> list[dict[str, str]]:
    with (LISTS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def story() -> dict[str, Any]:
    return json.loads(STORY.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def sample_files() -> Iterator[Path]:
    return (p for p in SAMPLES.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


# --- size ------------------------------------------------------------------------------------------
def test_every_sample_file_is_small_and_the_whole_world_fits_in_1_5_mb() -> None:
    sizes = {p.relative_to(SAMPLES).as_posix(): p.stat().st_size for p in sample_files()}
    assert {k: v for k, v in sizes.items() if v >= 300_000} == {}
    assert sum(sizes.values()) < 1_500_000


# --- ROR -------------------------------------------------------------------------------------------
def test_ror_sample_is_a_json_array_of_schema_v2_records() -> None:
    records = ror_records()
    assert 40 <= len(records) <= 120
    keys = {
        "admin",
        "domains",
        "established",
        "external_ids",
        "id",
        "links",
        "locations",
        "names",
        "relationships",
        "status",
        "types",
    }
    for r in records:
        assert set(r) == keys, r["id"]
        assert ROR_URL.match(r["id"]), r["id"]
        assert sum("ror_display" in n["types"] for n in r["names"]) == 1, r["id"]
        assert r["status"] in {"active", "inactive", "withdrawn"}
    assert {r["status"] for r in records} == {"active", "inactive", "withdrawn"}


def test_ror_relationships_stay_inside_the_sample_and_cover_every_kind() -> None:
    kinds = set()
    for r in ror_records():
        for rel in r["relationships"]:
            assert rel["id"] in ror_ids(), f"{r['id']} -> {rel['id']}"
            kinds.add(rel["type"])
    assert kinds == {"parent", "child", "related", "successor", "predecessor"}


def test_ror_names_come_in_several_scripts_and_the_countries_are_many() -> None:
    langs = {n["lang"] for r in ror_records() for n in r["names"]}
    assert {"zh", "ru", "fa", "ja", "el"} <= langs
    countries = {r["locations"][0]["geonames_details"]["country_code"] for r in ror_records()}
    assert {"CN", "RU", "IR", "IN", "JP", "BR", "US", "GB", "DE", "FR", "PT", "CZ", "GR", "NL"} <= countries


def test_ror_records_are_the_real_records_with_relationships_cut_to_the_sample() -> None:
    pool = {
        r["id"]: r for r in json.loads((need_shared() / "ror/ror-records.subset.schema_v2.json").read_text("utf-8"))
    }
    for r in ror_records():
        real = dict(pool[r["id"]])
        real["relationships"] = [x for x in real["relationships"] if x["id"] in ror_ids()]
        assert r == real, r["id"]


# --- OpenAlex --------------------------------------------------------------------------------------
def test_openalex_partitions_are_json_lines_in_the_snapshot_layout() -> None:
    for entity in ("institutions", "funders", "awards", "works"):
        for part in OPENALEX.glob(f"{entity}/updated_date=*/part_*"):
            assert re.fullmatch(r"updated_date=\d{4}-\d{2}-\d{2}", part.parent.name)
            text = part.read_text(encoding="utf-8")
            assert text.endswith("\n") and "\n\n" not in text, part
            for n, line in enumerate(text.splitlines(), 1):
                assert isinstance(json.loads(line), dict), f"{part}:{n}"
    assert 60 <= len(jsonl("works")) <= 150


def test_openalex_ids_are_illustrative_and_cannot_collide_with_real_ones() -> None:
    ids = [rec["id"] for entity in ("institutions", "funders", "awards", "works") for rec in jsonl(entity)]
    for w in jsonl("works"):
        ids += [a["author"]["id"] for a in w["authorships"]]
        ids += [w["primary_location"]["source"]["id"]]
        assert w["doi"].startswith("https://doi.org/10.5555/")  # the Crossref test prefix
    assert [i for i in ids if not ILLUSTRATIVE_OA_ID.match(i)] == []
    assert len({rec["id"] for rec in jsonl("works")}) == len(jsonl("works"))


def test_every_ror_id_referenced_from_openalex_is_in_the_ror_sample() -> None:
    referenced = [i["ror"] for i in jsonl("institutions")]
    referenced += [f["ids"]["ror"] for f in jsonl("funders")]
    for w in jsonl("works"):
        referenced += [i["ror"] for a in w["authorships"] for i in a["institutions"]]
        referenced += [f["ror"] for f in w["funders"]]
    assert referenced and set(referenced) <= ror_ids()


def test_works_point_at_institution_records_that_agree_with_them() -> None:
    institutions = {i["id"]: i for i in jsonl("institutions")}
    for w in jsonl("works"):
        for a in w["authorships"]:
            for inst in a["institutions"]:
                full = institutions[inst["id"]]
                assert (inst["ror"], inst["display_name"], inst["country_code"]) == (
                    full["ror"],
                    full["display_name"],
                    full["country_code"],
                ), w["id"]
                assert inst["lineage"] == full["lineage"]
            assert a["countries"] == sorted({i["country_code"] for i in a["institutions"]}) or not a["institutions"]
        n_insts = len({i["id"] for a in w["authorships"] for i in a["institutions"]})
        assert w["institutions_distinct_count"] == n_insts


def test_works_link_institutions_across_countries() -> None:
    cross = [w for w in jsonl("works") if w["countries_distinct_count"] > 1]
    assert len(cross) >= 30


def test_every_eu_award_is_a_cordis_project_of_the_sample() -> None:
    projects = {p["id"] for p in cordis(PROJECTS)}
    ec = [a for w in jsonl("works") for a in w["awards"] if a["funder_display_name"] == "European Commission"]
    assert {a["funder_award_id"] for a in ec} <= projects
    assert len({a["funder_award_id"] for a in ec}) >= 8
    award_entities = jsonl("awards")
    assert {a["funder_award_id"] for a in award_entities} == {a["funder_award_id"] for a in ec}
    for a in award_entities:
        assert a["funder"]["ror"] == "https://ror.org/00k4n6c32"
        assert a["funded_outputs"] and a["funded_outputs_count"] == len(a["funded_outputs"])


# --- CORDIS ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "header"), [(PROJECTS, PROJECT_HEADER), (ORGANIZATIONS, ORGANIZATION_HEADER)])
def test_cordis_csv_is_semicolon_separated_with_every_field_quoted(path: Path, header: list[str]) -> None:
    raw = path.read_text(encoding="utf-8")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0] == header
    assert all(len(r) == len(header) for r in rows), "a row with the wrong number of columns"
    again = io.StringIO()
    csv.writer(again, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    assert again.getvalue() == raw  # nothing unquoted, no other delimiter, "\n" line ends


def test_cordis_sample_has_the_real_quirks() -> None:
    projects, orgs = cordis(PROJECTS), cordis(ORGANIZATIONS)
    assert 8 <= len(projects) <= 15 and 40 <= len(orgs) <= 80
    assert any("\n" in p["objective"] for p in projects)  # multi-line text inside quotes
    money = [r[k] for r in orgs for k in ("ecContribution", "netEcContribution", "totalCost")]
    money += [p[k] for p in projects for k in ("totalCost", "ecMaxContribution")]
    assert any(re.fullmatch(r"\d+,\d+", m) for m in money) and any(re.fullmatch(r"\d+\.\d+", m) for m in money)
    assert {"EL", "UK"} <= {r["country"] for r in orgs}
    assert {r["role"] for r in orgs} >= {"coordinator", "participant", "partner"}
    assert {p["status"] for p in projects} == {"SIGNED", "CLOSED", "TERMINATED"}
    assert all(re.fullmatch(r"\d{9}", r["organisationID"]) for r in orgs)
    assert {r["projectID"] for r in orgs} == {p["id"] for p in projects}
    assert all(p["frameworkProgramme"] == "H2020" for p in projects)


def test_cordis_legal_names_are_printed_as_cordis_prints_them() -> None:
    names = {r["name"] for r in cordis(ORGANIZATIONS)}
    assert {"EIDGENOESSISCHE TECHNISCHE HOCHSCHULE ZUERICH", "SORBONNE UNIVERSITE", "PANEPISTIMIO PATRON"} <= names


def test_cordis_rows_of_real_projects_are_the_real_rows() -> None:
    shared = need_shared()
    real_orgs = json.loads((shared / "cordis/organization.subset.json").read_text("utf-8"))
    real = {(str(o["projectID"]), str(o["organisationID"]), str(o["order"])): o for o in real_orgs}
    rows = [r for r in cordis(ORGANIZATIONS) if r["projectID"] in REAL_PROJECT_IDS]
    assert len(rows) >= 30
    for r in rows:
        o = real[(r["projectID"], r["organisationID"], r["order"])]
        assert (r["name"], r["role"], r["country"], r["vatNumber"]) == (
            o["name"],
            o["role"],
            o["country"],
            o["vatNumber"],
        )
        assert float(r["ecContribution"].replace(",", ".")) == float(o["ecContribution"])
    real_projects = {str(p["id"]): p for p in json.loads((shared / "cordis/project.subset.json").read_text("utf-8"))}
    for p in cordis(PROJECTS):
        if p["id"] in REAL_PROJECT_IDS:
            q = real_projects[p["id"]]
            assert (p["acronym"], p["title"], p["objective"], p["startDate"]) == (
                q["acronym"],
                q["title"],
                q["objective"],
                q["startDate"],
            )


# --- lists -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("section_1286.csv", HEADER_1286),
        ("dod_1260h.csv", HEADER_1260H),
        ("consolidated_screening_list.csv", HEADER_CSL),
    ],
)
def test_list_csv_headers_are_the_real_ones(name: str, header: str) -> None:
    assert (LISTS / name).read_text(encoding="utf-8").split("\n", 1)[0] == header


@pytest.mark.parametrize("name", sorted(REAL))
def test_every_list_row_is_a_real_row_copied_byte_for_byte(name: str) -> None:
    real_lines = set((need_shared() / REAL[name]).read_text(encoding="utf-8").split("\n"))
    ours = (SAMPLES / name).read_text(encoding="utf-8").split("\n")
    assert [line for line in ours if line and line not in real_lines] == []
    assert (SAMPLES / name).name not in {Path(REAL[name]).name}  # our own file name, not a copy of theirs


def test_list_rows_name_organisations_only_except_the_persons_kept_to_be_skipped() -> None:
    assert {r["schema"] for r in list_rows("section_1286.csv")} == {"Company"}
    assert all(r["Name"] and r["Start date"] for r in list_rows("dod_1260h.csv"))
    assert all(r["type"] in {"", "Entity"} for r in list_rows("consolidated_screening_list.csv"))
    ftm = [json.loads(line) for line in (LISTS / "eu_fsf_sample.ftm.json").read_text("utf-8").splitlines()]
    persons = {e["id"] for e in ftm if e["schema"] == "Person"}
    assert persons == {s["id"] for s in story()["skipped"]}
    assert {e["schema"] for e in ftm} - {"Person"} <= {"Organization", "Company", "LegalEntity", "PublicBody"}


def test_section_1286_rows_are_research_institutions_not_talent_programmes() -> None:
    names = {r["name"] for r in list_rows("section_1286.csv")}
    assert not any(re.search(r"talent|plan|professorship|project 5-100", n, re.IGNORECASE) for n in names)


def test_the_sample_has_a_delisted_designation_and_several_editions() -> None:
    ended = [r for r in list_rows("dod_1260h.csv") if r["End date"]]
    assert ended and all(r["End date"] > r["Start date"] for r in ended)
    editions = defaultdict(set)
    for r in list_rows("section_1286.csv"):
        editions[r["name"].strip()].add(r["report-date"])
    assert editions["Nanjing University of Science and Technology"] == {"2022", "2024", "2025"}


# --- the story --------------------------------------------------------------------------------------
def _listed_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {
        "us_ndaa_1286": {r["name"].strip() for r in list_rows("section_1286.csv")},
        "us_dod_chinese_milcorps": {r["Name"].strip() for r in list_rows("dod_1260h.csv")},
    }
    for r in list_rows("consolidated_screening_list.csv"):
        key = "us_bis_entity_list" if r["source"].startswith("Entity List") else "us_ofac_ssi"
        names.setdefault(key, set()).add(r["name"])
    ftm = [json.loads(line) for line in (LISTS / "eu_fsf_sample.ftm.json").read_text("utf-8").splitlines()]
    names["eu_fsf"] = {e["caption"] for e in ftm}
    return names


def test_story_names_only_entries_that_are_on_the_lists() -> None:
    listed = _listed_names()
    for d in story()["designated"]:
        assert f"https://ror.org/{d['ror']}" in ror_ids(), d["name"]
        assert set(d["entries"]) <= listed[d["list"]], d["name"]
    for entry in story()["list_only"]:
        assert entry["name"] in listed[entry["list"]], entry
    every = set().union(*listed.values())
    for look in story()["lookalikes"]:
        assert f"https://ror.org/{look['ror']}" in ror_ids()
        assert set(look["must_not_match"]) <= every, look["name"]


def test_lookalikes_are_not_designated_and_share_no_name_with_the_entries_they_resemble() -> None:
    records = {r["id"]: r for r in ror_records()}
    designated = {d["ror"] for d in story()["designated"]}
    for look in story()["lookalikes"]:
        assert look["ror"] not in designated
        names = {n["value"].casefold() for n in records[f"https://ror.org/{look['ror']}"]["names"]}
        exact_hits = names & {m.casefold() for m in look["must_not_match"]}
        assert look["ror"] == "03v8tnc06" or not exact_hits, look  # only IHEP shares a name (the point of it)


def _org_graph() -> dict[str, set[str]]:
    """Organisation steps: ROR hierarchy, co-authorship, shared CORDIS projects (PICs via the story's crosswalk)."""
    graph: dict[str, set[str]] = defaultdict(set)

    def link(a: str, b: str) -> None:
        if a != b:
            graph[a].add(b)
            graph[b].add(a)

    for r in ror_records():
        for rel in r["relationships"]:
            if rel["type"] in {"parent", "child", "related"}:
                link(r["id"][-9:], rel["id"][-9:])
    ror_of = {i["id"]: i["ror"][-9:] for i in jsonl("institutions")}
    for w in jsonl("works"):
        insts = sorted({ror_of[i["id"]] for a in w["authorships"] for i in a["institutions"]})
        for i, a in enumerate(insts):
            for b in insts[i + 1 :]:
                link(a, b)
    pics = story()["pic_to_ror"]
    members: dict[str, list[str]] = defaultdict(list)
    for row in cordis(ORGANIZATIONS):
        members[row["projectID"]].append(pics.get(row["organisationID"], f"pic:{row['organisationID']}"))
    for orgs in members.values():
        for i, a in enumerate(orgs):
            for b in orgs[i + 1 :]:
                link(a, b)
    return graph


def _hops_to_designated() -> dict[str, int]:
    graph = _org_graph()
    dist = {d["ror"]: 0 for d in story()["designated"]}
    queue = deque(dist)
    while queue:
        here = queue.popleft()
        for there in graph[here]:
            if there not in dist:
                dist[there] = dist[here] + 1
                queue.append(there)
    return dist


def test_story_hops_hold_in_the_sample_data() -> None:
    dist = _hops_to_designated()
    for ror, claim in story()["hops"].items():
        if ror == "about":
            continue
        assert dist.get(ror) == claim["hops"], f"{claim['name']}: {dist.get(ror)} steps, story says {claim['hops']}"


def test_clean_organisations_have_nothing_designated_within_three_steps() -> None:
    dist = _hops_to_designated()
    clean = story()["clean"]["ror"]
    assert [r for r in clean if dist.get(r, 99) <= 3] == []
    records = {r["id"][-9:]: r for r in ror_records()}
    countries = {records[r]["locations"][0]["geonames_details"]["country_code"] for r in clean}
    assert {"CN", "RU", "IR", "US", "JP", "BR", "IN", "PT", "NL"} <= countries  # country says nothing
    near = {r for r, d in dist.items() if d and d <= 3 and r in records}
    near_countries = {records[r]["locations"][0]["geonames_details"]["country_code"] for r in near}
    assert {"GB", "CH", "PT", "US", "CN", "GR", "IE", "FR", "DE"} <= near_countries


def test_every_crosswalked_pic_is_a_participant_and_its_ror_record_exists() -> None:
    pics = {k: v for k, v in story()["pic_to_ror"].items() if k != "about"}
    assert set(pics) <= {r["organisationID"] for r in cordis(ORGANIZATIONS)}
    assert {f"https://ror.org/{v}" for v in pics.values()} <= ror_ids()


# --- screening, watchlist, config -------------------------------------------------------------------
def test_partner_list_mixes_name_forms_and_has_one_bad_row() -> None:
    with (SAMPLES / "screening" / "partners.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["name", "country", "id"]
        rows = list(reader)
    names = [r["name"] for r in rows]
    assert names.count("") == 1
    assert any(n.isupper() and len(n) > 20 for n in names)  # CORDIS legal name
    assert any(re.fullmatch(r"[A-Z]{3,5}", n) for n in names)  # acronym
    assert any("," in n and re.search(r"\d{6}", n) for n in names)  # affiliation string
    assert any(re.search(r"[\u4e00-\u9fff]", n) for n in names) and any(re.search(r"[\u0400-\u04ff]", n) for n in names)
    assert any(re.search(r"[\u0600-\u06ff]", n) for n in names)
    pics = {r["organisationID"] for r in cordis(ORGANIZATIONS)}
    for r in rows:
        if r["id"]:
            short = r["id"].rsplit("/", 1)[-1].removeprefix("ror:")
            assert r["id"] in pics or f"https://ror.org/{short}" in ror_ids(), r


def test_watchlist_ids_are_organisations_of_the_sample() -> None:
    with (SAMPLES / "watchlist.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {f"https://ror.org/{r['id'].removeprefix('ror:')}" for r in rows} <= ror_ids()


def test_config_lists_every_sample_source_with_known_kinds_and_list_keys() -> None:
    config = tomllib.loads((SAMPLES / "config.toml").read_text(encoding="utf-8"))
    sources = config["source"]
    assert [s["kind"] for s in sources][:3] == ["ror", "cordis", "openalex-snapshot"]  # link targets first
    for s in sources:
        assert (SAMPLES / s["path"]).exists(), s
    listed = {s["path"] for s in sources if s["kind"] == "lists"}
    assert listed == {f"lists/{p.name}" for p in LISTS.iterdir()}
    lists_toml = REPO / "ingest" / "lists.toml"
    if lists_toml.exists():
        known = tomllib.loads(lists_toml.read_text(encoding="utf-8"))["lists"]
        assert {s["list"] for s in sources if "list" in s} <= set(known)
        assert {d["list"] for d in story()["designated"]} <= set(known)


# --- the demo graph -----------------------------------------------------------------------------------
EXPECTED_NODES = {"Award": 34, "Designation": 33, "Funder": 4, "Organisation": 228, "Project": 10}
EXPECTED_EDGES = {
    "COLLABORATED_WITH": 129,
    "DESIGNATED_ON": 33,
    "FUNDED_BY": 269,
    "PARENT_OF": 33,
    "PARTICIPATED_IN": 56,
    "RELATED_TO": 4,
    "SUCCEEDED_BY": 3,
}
# 75 OpenAlex institutions and 4 funders SAME_AS their ROR records, 9 EU awards SAME_AS their CORDIS projects
EXPECTED_SAME_AS = 75 + 4 + 9


def _run_config() -> Any:
    try:
        from ingest.config import run_config
    except ImportError as exc:  # the config runner is built in parallel with the samples
        pytest.skip(f"`rsgraph ingest all` is not available yet: {exc}")
    return run_config


def test_ingest_all_builds_the_demo_graph(store: Any, tmp_path: Path) -> None:
    from graph.settings import load_settings

    run_config = _run_config()
    settings = load_settings(env={}, cache_dir=str(tmp_path / "cache"), state_dir=str(tmp_path / "state"))
    reports = run_config(store, SAMPLES / "config.toml", settings)
    assert [r.failed for r in reports if r.failed] == []
    assert sum(len(r.rejected) for r in reports) == 0
    counts = store.counts()
    assert dict(counts.nodes) == EXPECTED_NODES
    edges = dict(counts.edges)
    same_as = edges.pop("SAME_AS", 0)
    assert edges == EXPECTED_EDGES
    assert same_as == EXPECTED_SAME_AS, "each EU award in the awards partition must link to its CORDIS project"


def test_demo_graph_holds_the_facts_the_story_needs(embedded_store: Any, tmp_path: Path) -> None:
    from graph.model import EdgeKind
    from graph.settings import load_settings

    run_config = _run_config()
    store = embedded_store
    settings = load_settings(env={}, cache_dir=str(tmp_path / "cache"))
    run_config(store, SAMPLES / "config.toml", settings)
    before = store.counts()
    again = run_config(store, SAMPLES / "config.toml", settings)  # re-ingesting the samples changes nothing
    assert store.counts() == before and sum(r.written for r in again) == 0
    institutions = {i["ror"][-9:]: "openalex:" + i["id"].rsplit("/", 1)[-1] for i in jsonl("institutions")}
    # identity: each OpenAlex institution is SAME_AS its ROR record
    same_as = {(e.src, e.dst) for e in store.iter_edges(kind=EdgeKind.SAME_AS)}
    assert all((oa, f"ror:{ror}") in same_as for ror, oa in institutions.items())
    # co-authorship NJUST -- Wuhan University, one edge per year with counts and example works
    njust, whu = institutions["00xp9wg62"], institutions["033vjfk17"]
    collab = [e for e in store.edges_of(njust, kinds=[EdgeKind.COLLABORATED_WITH]) if whu in (e.src, e.dst)]
    assert sorted(e.key for e in collab) == ["2019", "2020", "2021", "2022", "2023"]
    assert all(e.props["count"] >= 1 and e.props["works"] for e in collab)
    # a shared CORDIS project: the University of Patras and Ocean University of China in SEAWATCH
    seawatch = {e.src for e in store.edges_of("cordis:project:9900001", kinds=[EdgeKind.PARTICIPATED_IN])}
    assert {"cordis:pic:100000001", "cordis:pic:100000002"} <= seawatch
    # an EU award joins its CORDIS project (awards[].funder_award_id == CORDIS projectID)
    linked = {e.dst for e in store.iter_edges(kind=EdgeKind.SAME_AS) if e.dst.startswith("cordis:project:")}
    assert {"cordis:project:785219", "cordis:project:9900001"} <= linked
    # designations: NJUST on §1286 since the FY2022 edition, AVIC on the 1260H list, one 1260H entry delisted
    njust_entry = store.get_node("list:us_ndaa_1286:nanjing-university-of-science-and-technology")
    assert njust_entry is not None
    designation = store.get_node("designation:us_ndaa_1286:nanjing-university-of-science-and-technology")
    assert designation is not None
    assert designation.props["legal_effect"] == "advisory" and designation.props["listed_on"].startswith("2022")
    statuses = {
        n.props["status"] for n in store.iter_nodes() if n.id.startswith("designation:us_dod_chinese_milcorps:")
    }
    assert statuses == {"active", "delisted"}
    # a look-alike stays apart: nothing links Nanjing University to a list entry
    nju = institutions["01rxvg760"]
    assert not any(e.dst.startswith("list:") or e.src.startswith("list:") for e in store.edges_of(nju))
