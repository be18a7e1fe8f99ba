"""Rebuild the sample world in ``data/samples`` from the real extracts in ``../shared/data/real``.

Run from the repository root: ``python data/samples/build_samples.py``. The
output is deterministic (same inputs, same bytes). What is real and what is
illustrative is stated in ``data/samples/README.md``; in short:

- ROR records, list rows, CORDIS rows of four real projects and the FtM
  entities are copied from the real extracts (ROR ``relationships`` are cut
  to the records inside the sample; CORDIS JSON rows are written in the CSV
  layout);
- OpenAlex records, co-authorships, six CORDIS projects (ids ``99000NN``) and
  their participations are illustrative, built from the tables below.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent.parent / "shared" / "data" / "real"
UPDATED = "2026-10-01"
UPDATED_TS = f"{UPDATED}T04:12:09.118421"

# --- the world: key -> (ROR id, raw affiliation string used in works) ------------------------------
INSTITUTIONS: dict[str, tuple[str, str]] = {
    # China (academies, universities, hospitals, a company)
    "CAS": ("034t30j35", "Chinese Academy of Sciences, Beijing 100864, China"),
    "IHEP": ("03v8tnc06", "Institute of High Energy Physics, Chinese Academy of Sciences, Beijing 100049, China"),
    "JUNO": ("0231an742", "Jiangmen Underground Neutrino Observatory, Kaiping 529300, China"),
    "USTC": (
        "04c4dkn09",
        "Hefei National Laboratory for Physical Sciences at the Microscale, "
        "University of Science and Technology of China, Hefei 230026, China",
    ),
    "UCAS": ("05qbk4x57", "University of Chinese Academy of Sciences, Beijing 100049, China"),
    "CIOMP": (
        "012rct222",
        "Changchun Institute of Optics, Fine Mechanics and Physics, Chinese Academy of Sciences, "
        "Changchun 130033, China",
    ),
    "APM": (
        "05cy2r844",
        "Innovation Academy for Precision Measurement Science and Technology, CAS, Wuhan 430071, China",
    ),
    "WIPM": ("00zky9d41", "Wuhan Institute of Physics and Mathematics, Chinese Academy of Sciences, Wuhan, China"),
    "NJUST": (
        "00xp9wg62",
        "School of Computer Science and Engineering, Nanjing University of Science and Technology, "
        "Nanjing 210094, China",
    ),
    "ZIJIN": ("0387aje64", "Nanjing University of Science and Technology ZiJin College, Nanjing 210023, China"),
    "NJU": ("01rxvg760", "School of Physics, Nanjing University, Nanjing 210093, China"),
    "BEIHANG": ("00wk2mp56", "School of Aeronautic Science and Engineering, Beihang University, Beijing 100191, China"),
    "THU": ("03cve4549", "Department of Chemical Engineering, Tsinghua University, Beijing 100084, China"),
    "PKU": ("02v51f717", "College of Chemistry and Molecular Engineering, Peking University, Beijing 100871, China"),
    "SYSU": ("0064kty71", "Zhongshan School of Medicine, Sun Yat-sen University, Guangzhou 510080, China"),
    "FAH": ("037p24858", "The First Affiliated Hospital, Sun Yat-sen University, Guangzhou 510080, China"),
    "ZOC": (
        "02z2yec16",
        "State Key Laboratory of Ophthalmology, Zhongshan Ophthalmic Center, Sun Yat-sen University, "
        "Guangzhou 510060, China",
    ),
    "WHU": ("033vjfk17", "School of Remote Sensing and Information Engineering, Wuhan University, Wuhan 430079, China"),
    "OUC": (
        "04rdtx186",
        "College of Oceanic and Atmospheric Sciences, Ocean University of China, Qingdao 266100, China",
    ),
    "SHOU": ("04n40zv07", "College of Marine Sciences, Shanghai Ocean University, Shanghai 201306, China"),
    "AMMS": ("02bv3c993", "Academy of Military Medical Sciences, Beijing 100850, China"),
    "BIME": (
        "03w50ns22",
        "State Key Laboratory of Pathogen and Biosecurity, Beijing Institute of Microbiology and Epidemiology, "
        "Beijing 100071, China",
    ),
    "CAEP": ("039vqpp67", "China Academy of Engineering Physics, Mianyang 621900, China"),
    "SCNS": ("03m9a6y90", "CAEP Software Center for High Performance Numerical Simulation, Beijing 100088, China"),
    "AVIC": ("02wq41p38", "Aviation Industry Corporation of China, Beijing 100028, China"),
    "BIAM": ("0099j7t54", "Beijing Institute of Aeronautical Materials, Beijing 100095, China"),
    "HRBUST": (
        "04e6y1282",
        "School of Materials Science and Engineering, Harbin University of Science and Technology, "
        "Harbin 150080, China",
    ),
    "BIPT": ("025s55q11", "Beijing Institute of Petrochemical Technology, Beijing 102617, China"),
    "XJTU": ("017zhmm22", "School of Energy and Power Engineering, Xi'an Jiaotong University, Xi'an 710049, China"),
    "XATU": ("01t8prc81", "School of Mechatronic Engineering, Xi'an Technological University, Xi'an 710021, China"),
    "XAFC": ("05gzn8n94", "PLA Air Force Xi'an Flying College, Xi'an, China"),
    "ZJU": ("00a2xv884", "College of Chemical and Biological Engineering, Zhejiang University, Hangzhou 310027, China"),
    "NSFC": ("01h0zpd94", "National Natural Science Foundation of China, Beijing 100085, China"),
    "HEBEI_OLD": ("05k812a28", "Hebei Science and Technology Department, Shijiazhuang, China"),
    "HEBEI": ("05a7g7f24", "Hebei Provincial Department of Science and Technology, Shijiazhuang, China"),
    # Hong Kong
    "HKU": ("02zhqgq86", "Department of Chemistry, The University of Hong Kong, Pokfulam, Hong Kong"),
    # Russia
    "HSE": ("055f7t516", "National Research University Higher School of Economics, Moscow, Russia"),
    "KFU": ("05256ym39", "Kazan Federal University, Kazan 420008, Russia"),
    "RAS": ("05qrfxd25", "Russian Academy of Sciences, Moscow, Russia"),
    "SBRAS": ("02frkq021", "Siberian Branch of the Russian Academy of Sciences, Novosibirsk, Russia"),
    "IAO": ("05m2n8847", "V.E. Zuev Institute of Atmospheric Optics SB RAS, Tomsk 634055, Russia"),
    "JINR": ("044yd9t77", "Joint Institute for Nuclear Research, Dubna 141980, Russia"),
    # Iran
    "TUMS": ("01c4pz451", "Tehran University of Medical Sciences, Tehran, Iran"),
    "IUT": ("00af3sa43", "Department of Chemistry, Isfahan University of Technology, Isfahan 84156-83111, Iran"),
    "SHIRAZ": ("028qtbk54", "Department of Chemistry, Shiraz University, Shiraz 71454, Iran"),
    # India, Japan, Brazil
    "AIIMS": ("02dwcqs71", "All India Institute of Medical Sciences, New Delhi 110029, India"),
    "IISER": ("02rb21j89", "Indian Institute of Science Education and Research Bhopal, Bhopal 462066, India"),
    "KYOTO": ("02kpeqv85", "Graduate School of Engineering, Kyoto University, Kyoto 615-8510, Japan"),
    "TDU": ("01pa62v70", "School of Engineering, Tokyo Denki University, Tokyo 120-8551, Japan"),
    "UFRGS": ("041yk2d64", "Universidade Federal do Rio Grande do Sul, Porto Alegre, RS, Brazil"),
    "HCPA": ("010we4y38", "Hospital de Clínicas de Porto Alegre, Porto Alegre, RS, Brazil"),
    "FIOCRUZ": ("04jhswv08", "Fundação Oswaldo Cruz, Rio de Janeiro, Brazil"),
    # United States
    "MIT": (
        "042nb2s44",
        "Department of Chemical Engineering, Massachusetts Institute of Technology, Cambridge, MA 02139, USA",
    ),
    "HARVARD": ("03vek6s52", "Harvard T.H. Chan School of Public Health, Harvard University, Boston, MA 02115, USA"),
    "MICHIGAN": ("00jmfr291", "Department of Physics, University of Michigan, Ann Arbor, MI 48109, USA"),
    "NSF": ("021nxhr62", "U.S. National Science Foundation, Alexandria, VA, USA"),
    # United Kingdom, Ireland, Switzerland
    "OXFORD": ("052gg0110", "Department of Economics, University of Oxford, Oxford OX1 3UQ, UK"),
    "CAMBRIDGE": ("013meh722", "Cambridge Graphene Centre, University of Cambridge, Cambridge CB3 0FA, UK"),
    "IMPERIAL": ("041kmwe10", "Department of Aeronautics, Imperial College London, London SW7 2AZ, UK"),
    "TCD": ("02tyrky19", "School of Physics and CRANN, Trinity College Dublin, Dublin 2, Ireland"),
    "ETH": ("05a28rw58", "Department of Physics, ETH Zurich, 8093 Zurich, Switzerland"),
    # European Union
    "SORBONNE": ("02en5vm52", "Sorbonne Université, CNRS, Institut des NanoSciences de Paris, 75005 Paris, France"),
    "CNRS": ("02feahw73", "Centre National de la Recherche Scientifique, Paris, France"),
    "BORDEAUX": ("057qpr032", "Université de Bordeaux, IMS, CNRS UMR 5218, 33405 Talence, France"),
    "BORDEAUX1": ("001anga17", "Université Bordeaux-I, Talence, France"),
    "HELMHOLTZ": ("0281dp749", "Helmholtz Association of German Research Centres, Berlin, Germany"),
    "KIT": (
        "04t3en479",
        "Institute of Meteorology and Climate Research, Karlsruhe Institute of Technology, "
        "76344 Eggenstein-Leopoldshafen, Germany",
    ),
    "HZDR": ("01zy2cs03", "Helmholtz-Zentrum Dresden-Rossendorf, 01328 Dresden, Germany"),
    "FRAUNHOFER": ("05hkkdn48", "Fraunhofer Institute for Applied Solid State Physics IAF, 79108 Freiburg, Germany"),
    "TUD": (
        "042aqky30",
        "Institut für Luft- und Raumfahrttechnik, Technische Universität Dresden, 01062 Dresden, Germany",
    ),
    "DFG": ("018mejw64", "Deutsche Forschungsgemeinschaft, Bonn, Germany"),
    "ULISBOA": ("01c27hj86", "Faculdade de Medicina, Universidade de Lisboa, 1649-028 Lisboa, Portugal"),
    "IST": ("03db2by73", "Instituto Superior Técnico, Universidade de Lisboa, 1049-001 Lisboa, Portugal"),
    "PORTO": ("043pwc612", "Faculdade de Engenharia, Universidade do Porto, 4200-465 Porto, Portugal"),
    "CHARLES": ("024d6js02", "Faculty of Mathematics and Physics, Charles University, 180 00 Prague, Czech Republic"),
    "PATRAS": ("017wvtq80", "Department of Physics, University of Patras, 26504 Patras, Greece"),
    "UTRECHT": ("04pp8hn57", "Department of Global Health, Utrecht University, 3584 CS Utrecht, The Netherlands"),
    "EC": ("00k4n6c32", "European Commission, Brussels, Belgium"),
}
# OpenAlex has no institution record for these (withdrawn/inactive ROR records, pure funders kept as funders).
NO_OPENALEX = {"HEBEI_OLD", "BORDEAUX1", "WIPM"}
SUPER_SYSTEMS = {"HELMHOLTZ"}
# Illustrative OpenAlex ids: 10 digits starting with 9, a range OpenAlex has not issued.
OA_INSTITUTION = {key: f"I{9000000001 + i}" for i, key in enumerate(INSTITUTIONS)}
LINEAGE: dict[str, list[str]] = {}  # key -> OpenAlex lineage (self first), filled by main() from ROR


def ror_url(key: str) -> str:
    return f"https://ror.org/{INSTITUTIONS[key][0]}"


def oa_url(kind_id: str) -> str:
    return f"https://openalex.org/{kind_id}"


# --- funders and awards (OpenAlex; ids illustrative) ---------------------------------------------
FUNDERS = {
    "EC": ("F9000000001", "European Commission", "EC", "executive body of the European Union"),
    "NSFC": ("F9000000002", "National Natural Science Foundation of China", "CN", "Chinese research funding agency"),
    "NSF": (
        "F9000000003",
        "U.S. National Science Foundation",
        "US",
        "United States government research funding agency",
    ),
    "DFG": ("F9000000004", "Deutsche Forschungsgemeinschaft", "DE", "German research funding organisation"),
}

# --- CORDIS: real projects (subset of participants, by PIC) and illustrative projects ----------
REAL_PROJECTS: dict[int, list[int]] = {
    785219: [  # GrapheneCore2
        999980373,
        999977172,
        999993468,
        999845446,
        999984059,
        990797674,
        999979015,
        999984350,
        999997930,
        909875521,
        999897729,
        999995893,
        999852818,
        917599631,
        999920330,
    ],
    654148: [999901318, 999995893, 954983722, 999980179, 906446474, 999997930, 999470541],  # LASERLAB-EUROPE
    820394: [999751938, 999997930, 999979015, 999984059, 999907914, 924659485],  # ASTERIQS
    732642: [],  # ULPEC: all participants
}

# Illustrative participants: key -> (PIC, legal name as CORDIS prints it, short name, activity type,
# city, CORDIS country code). PICs 1000000NN are illustrative; real PICs come from the CORDIS extract.
CORDIS_ORGS: dict[str, tuple[str, str, str, str, str, str]] = {
    "PATRAS": ("100000001", "PANEPISTIMIO PATRON", "UPAT", "HES", "RIO PATRAS", "EL"),
    "OUC": ("100000002", "OCEAN UNIVERSITY OF CHINA", "OUC", "HES", "QINGDAO", "CN"),
    "BEIHANG": ("100000003", "BEIHANG UNIVERSITY", "BUAA", "HES", "BEIJING", "CN"),
    "XJTU": ("100000004", "XI'AN JIAOTONG UNIVERSITY", "XJTU", "HES", "XI'AN", "CN"),
    "CHARLES": ("100000005", "UNIVERZITA KARLOVA", "CUNI", "HES", "PRAHA 1", "CZ"),
    "IHEP": (
        "100000006",
        "INSTITUTE OF HIGH ENERGY PHYSICS, CHINESE ACADEMY OF SCIENCES",
        "IHEP",
        "REC",
        "BEIJING",
        "CN",
    ),
    "JINR": ("100000007", "JOINT INSTITUTE FOR NUCLEAR RESEARCH", "JINR", "REC", "DUBNA", "RU"),
    "ULISBOA": ("100000008", "UNIVERSIDADE DE LISBOA", "ULISBOA", "HES", "LISBOA", "PT"),
    "FIOCRUZ": ("100000009", "FUNDACAO OSWALDO CRUZ", "FIOCRUZ", "REC", "RIO DE JANEIRO", "BR"),
    "TUMS": ("100000010", "TEHRAN UNIVERSITY OF MEDICAL SCIENCES", "TUMS", "HES", "TEHRAN", "IR"),
    "AIIMS": ("100000011", "ALL INDIA INSTITUTE OF MEDICAL SCIENCES", "AIIMS", "HES", "NEW DELHI", "IN"),
    "UTRECHT": ("100000012", "UNIVERSITEIT UTRECHT", "UU", "HES", "UTRECHT", "NL"),
    "IAO": (
        "100000013",
        "INSTITUTE OF ATMOSPHERIC OPTICS OF THE SIBERIAN BRANCH OF THE RUSSIAN ACADEMY OF SCIENCES",
        "IAO SB RAS",
        "REC",
        "TOMSK",
        "RU",
    ),
}
# Real PICs of world institutions (from the CORDIS extract) for use in illustrative projects.
REAL_PIC = {
    "IMPERIAL": 999993468,
    "TUD": 999897729,
    "KIT": 990797674,
    "SORBONNE": 909875521,
    "FORTH": 999995893,
    "IOANNINA": 999852818,
}

# (id, acronym, status, title, start, end, total cost, ec max, topics, sub call, scheme, objective, participants)
# participants: (key or real PIC, role, ec contribution or "")
ILLUSTRATIVE_PROJECTS: list[dict[str, Any]] = [
    {
        "id": "9900001",
        "acronym": "SEAWATCH",
        "status": "CLOSED",
        "title": "Sensing the Eastern Mediterranean and the Yellow Sea: coastal water quality observatories",
        "start": "2019-01-01",
        "end": "2022-12-31",
        "total": "1196000",
        "ec": "1196000",
        "topics": "MSCA-RISE-2018",
        "subCall": "H2020-MSCA-RISE-2018",
        "scheme": "MSCA-RISE",
        "objective": "SEAWATCH exchanges staff between coastal observatories to compare low-cost optical sensors "
        "for water quality in semi-enclosed seas.",
        "participants": [
            ("PATRAS", "coordinator", "690000"),
            ("FORTH", "participant", "506000"),
            ("IOANNINA", "participant", "0"),
            ("OUC", "partner", ""),
        ],
    },
    {
        "id": "9900002",
        "acronym": "AEROFLOW",
        "status": "CLOSED",
        "title": "Aerodynamic flow control with plasma actuators for quieter aircraft",
        "start": "2018-03-01",
        "end": "2022-02-28",
        "total": "874000",
        "ec": "874000",
        "topics": "MSCA-RISE-2017",
        "subCall": "H2020-MSCA-RISE-2017",
        "scheme": "MSCA-RISE",
        "objective": "AEROFLOW trains early-stage researchers in experimental aeroacoustics and plasma flow control.",
        "participants": [
            ("IMPERIAL", "coordinator", "460000"),
            ("TUD", "participant", "414000"),
            ("BEIHANG", "partner", ""),
            ("XJTU", "partner", ""),
        ],
    },
    {
        "id": "9900003",
        "acronym": "NUTECH",
        "status": "SIGNED",
        "title": "Neutrino detector technologies for large liquid scintillator experiments",
        "start": "2020-01-01",
        "end": "2024-12-31",
        "total": "1012000",
        "ec": "1012000",
        "topics": "MSCA-RISE-2019",
        "subCall": "H2020-MSCA-RISE-2019",
        "scheme": "MSCA-RISE",
        "objective": "NUTECH supports secondments on photodetector calibration and low-background techniques.",
        "participants": [("CHARLES", "coordinator", "1012000"), ("IHEP", "partner", ""), ("JINR", "partner", "")],
    },
    {
        "id": "9900004",
        "acronym": "GLOBHEALTH",
        "status": "SIGNED",
        "title": "Surveillance of antimicrobial resistance in primary care across four continents",
        "start": "2021-01-01",
        "end": "2024-06-30",
        "total": "3987512,5",
        "ec": "3499810",
        "topics": "SC1-BHC-2020",
        "subCall": "H2020-SC1-BHC-2018-2020",
        "scheme": "RIA",
        "objective": "GLOBHEALTH builds a shared protocol for antimicrobial resistance surveillance in primary care.\n"
        "It pilots the protocol in Brazil, India, Iran and Portugal and publishes the anonymised data "
        "under open licences.",
        "participants": [
            ("ULISBOA", "coordinator", "1549810"),
            ("FIOCRUZ", "participant", "650000"),
            ("TUMS", "participant", "400000"),
            ("AIIMS", "participant", "400000"),
            ("UTRECHT", "participant", "500000"),
        ],
    },
    {
        "id": "9900005",
        "acronym": "ATMOSENSE",
        "status": "CLOSED",
        "title": "Lidar sensing of aerosol layers over Siberia and Central Europe",
        "start": "2019-05-01",
        "end": "2022-10-31",
        "total": "1498750,75",
        "ec": "1498750",
        "topics": "LC-CLA-2018",
        "subCall": "H2020-LC-CLA-2018-2",
        "scheme": "RIA",
        "objective": "ATMOSENSE compares aerosol lidar climatologies from two continental sites.",
        "participants": [("KIT", "coordinator", "1198750.75"), ("IAO", "participant", "300000")],
    },
    {
        "id": "9900006",
        "acronym": "SPINTRONIQ",
        "status": "TERMINATED",
        "title": "Spin textures in two-dimensional magnets",
        "start": "2020-09-01",
        "end": "2023-08-31",
        "total": "1999375",
        "ec": "1999375",
        "topics": "ERC-2019-COG",
        "subCall": "ERC-2019-COG",
        "scheme": "ERC-COG",
        "objective": "SPINTRONIQ studies topological spin textures in van der Waals magnets.",
        "participants": [("SORBONNE", "coordinator", "1999375")],
    },
]


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


# --- ROR --------------------------------------------------------------------------------------------
def ror_records() -> list[dict[str, Any]]:
    pool = {r["id"]: r for r in _read_json(SHARED / "ror" / "ror-records.subset.schema_v2.json")}
    keep = {f"https://ror.org/{ror}" for ror, _ in INSTITUTIONS.values()}
    out = []
    for rid in sorted(keep):
        record = json.loads(json.dumps(pool[rid]))
        record["relationships"] = [r for r in record["relationships"] if r["id"] in keep]
        out.append(record)
    return out


def write_ror(records: list[dict[str, Any]]) -> None:
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    _write(HERE / "ror" / "ror-data-sample.json", f"[\n{lines}\n]\n")


# --- OpenAlex institutions (illustrative records in the snapshot shape, facts taken from ROR) -------
def _names(record: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    return [n for n in record["names"] if kind in n["types"]]


def _display(record: Mapping[str, Any]) -> str:
    return str(_names(record, "ror_display")[0]["value"])


def _external(record: Mapping[str, Any], kind: str) -> str | None:
    for ext in record["external_ids"]:
        if ext["type"] == kind:
            return str(ext["preferred"] or ext["all"][0])
    return None


def _oa_type(record: Mapping[str, Any]) -> str:
    types = [t for t in record["types"] if t != "funder"] or ["funder"]
    return "government" if types[0] == "funder" else str(types[0])


def _works_by_institution(works: list[dict[str, Any]]) -> dict[str, list[int]]:
    years: dict[str, list[int]] = {}
    for w in works:
        seen = {i["id"] for a in w["authorships"] for i in a["institutions"]}
        for iid in seen:
            years.setdefault(iid, []).append(int(w["publication_year"]))
    return years


def openalex_institutions(ror: list[dict[str, Any]], works: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_ror = {r["id"]: r for r in ror}
    key_of = {ror_url(k): k for k in INSTITUTIONS}
    counts = _works_by_institution(works)
    out = []
    for key in INSTITUTIONS:
        if key in NO_OPENALEX:
            continue
        out.append(_institution(key, by_ror, key_of, counts.get(oa_url(OA_INSTITUTION[key]), [])))
    return out


def _lineage(key: str, by_ror: Mapping[str, Any], key_of: Mapping[str, str]) -> list[str]:
    lineage, todo = [key], [key]
    while todo:
        record = by_ror[ror_url(todo.pop())]
        for rel in record["relationships"]:
            parent = key_of.get(rel["id"])
            if rel["type"] == "parent" and parent and parent not in lineage and parent not in SUPER_SYSTEMS:
                lineage.append(parent)
                todo.append(parent)
    return [oa_url(OA_INSTITUTION[k]) for k in lineage]


def _dehydrated(key: str, by_ror: Mapping[str, Any]) -> dict[str, Any]:
    record = by_ror[ror_url(key)]
    return {
        "id": oa_url(OA_INSTITUTION[key]),
        "ror": ror_url(key),
        "display_name": _display(record),
        "country_code": record["locations"][0]["geonames_details"]["country_code"],
        "type": _oa_type(record),
    }


def _institution(key: str, by_ror: Mapping[str, Any], key_of: Mapping[str, str], years: list[int]) -> dict[str, Any]:
    record = by_ror[ror_url(key)]
    geo = record["locations"][0]["geonames_details"]
    iid = OA_INSTITUTION[key]
    display = _display(record)
    labels = {n["lang"]: n["value"] for n in _names(record, "label") if n["lang"]}
    labels.setdefault("en", display)
    alternatives = [n["value"] for n in record["names"] if "alias" in n["types"]]
    alternatives += [v for v in labels.values() if v != display and v not in alternatives]
    associated = []
    for rel in record["relationships"]:
        other = key_of.get(rel["id"])
        if other and other not in NO_OPENALEX and rel["type"] in ("parent", "child", "related"):
            associated.append({**_dehydrated(other, by_ror), "relationship": rel["type"]})
    ids: dict[str, Any] = {"openalex": oa_url(iid), "ror": ror_url(key)}
    grid, wikidata = _external(record, "grid"), _external(record, "wikidata")
    if grid:
        ids["grid"] = grid
    if wikidata:
        ids["wikidata"] = f"https://www.wikidata.org/wiki/{wikidata}"
    website = next((link["value"] for link in record["links"] if link["type"] == "website"), None)
    roles = [{"role": "institution", "id": oa_url(iid), "works_count": len(years)}]
    if key in FUNDERS:
        roles.append({"role": "funder", "id": oa_url(FUNDERS[key][0]), "works_count": 0})
    by_year = sorted({y: years.count(y) for y in years}.items(), reverse=True)
    return {
        "id": oa_url(iid),
        "ror": ror_url(key),
        "display_name": display,
        "country_code": geo["country_code"],
        "type": _oa_type(record),
        "lineage": _lineage(key, by_ror, key_of),
        "is_super_system": key in SUPER_SYSTEMS,
        "homepage_url": website,
        "image_url": None,
        "image_thumbnail_url": None,
        "display_name_acronyms": [n["value"] for n in _names(record, "acronym")],
        "display_name_alternatives": alternatives,
        "repositories": [],
        "works_count": len(years),
        "cited_by_count": 7 * len(years),
        "summary_stats": {"2yr_mean_citedness": 0.0, "h_index": min(len(years), 3), "i10_index": 0},
        "ids": ids,
        "geo": {
            "city": geo["name"],
            "geonames_city_id": str(record["locations"][0]["geonames_id"]),
            "region": geo.get("country_subdivision_name"),
            "country_code": geo["country_code"],
            "country": geo["country_name"],
            "latitude": geo["lat"],
            "longitude": geo["lng"],
        },
        "international": {"display_name": dict(sorted(labels.items()))},
        "associated_institutions": associated,
        "counts_by_year": [{"year": y, "works_count": c, "oa_works_count": c, "cited_by_count": 0} for y, c in by_year],
        "roles": roles,
        "x_concepts": [],
        "works_api_url": f"https://api.openalex.org/works?filter=institutions.id:{iid}",
        "updated_date": UPDATED_TS,
        "created_date": "2016-06-24",
    }


# --- OpenAlex works (illustrative) ------------------------------------------------------------------
TOPICS: dict[str, tuple[str, list[str]]] = {
    "remote": (
        "Remote Sensing of Environment",
        [
            "Change detection in multi-temporal SAR images with attention networks",
            "Urban heat island mapping from Landsat and Sentinel-2 time series",
            "Coastline extraction from high-resolution optical imagery",
            "Self-supervised pretraining for land-cover classification",
            "Monitoring reservoir water levels with satellite altimetry",
            "Cloud removal in optical imagery using SAR guidance",
        ],
    ),
    "vision": (
        "Pattern Recognition",
        [
            "Few-shot object detection with prototype calibration",
            "Robust point cloud registration under partial overlap",
            "Lightweight semantic segmentation for embedded devices",
            "Domain adaptation for person re-identification across cameras",
            "Graph matching with learned affinity for image correspondence",
            "Uncertainty-aware depth completion from sparse lidar",
        ],
    ),
    "quantum": (
        "Physical Review A",
        [
            "Entanglement distribution over a metropolitan fibre network",
            "Error-mitigated variational eigensolvers on superconducting qubits",
            "Single-photon sources from quantum dots in micropillar cavities",
            "Noise spectroscopy of trapped-ion qubits",
            "Boson sampling with time-bin encoded photons",
            "Measurement-device-independent key distribution with finite-size effects",
        ],
    ),
    "neutrino": (
        "Nuclear Instruments and Methods in Physics Research Section A",
        [
            "Calibration of large-area photomultipliers for a liquid scintillator detector",
            "Radon background reduction in ultra-pure water shielding",
            "Energy resolution studies for a 20 kton liquid scintillator detector",
            "Electronics readout for large photomultiplier arrays",
            "Reactor antineutrino flux predictions and their uncertainties",
        ],
    ),
    "aero": (
        "Journal of Fluid Mechanics",
        [
            "Trailing-edge noise reduction with serrations at low Reynolds number",
            "Plasma actuators for separation control on a swept wing",
            "Large-eddy simulation of a jet in crossflow",
            "Boundary-layer transition on a flat plate with roughness elements",
            "Unsteady loads on a pitching aerofoil in turbulent inflow",
            "Thermal barrier coatings for turbine blades: a numerical study",
            "Fatigue of nickel superalloys under thermomechanical loading",
        ],
    ),
    "econ": (
        "Economics Letters",
        [
            "Regional inflation expectations and household savings",
            "Labour mobility and wage convergence across regions",
            "Firm entry and productivity after trade liberalisation",
        ],
    ),
    "eye": (
        "Investigative Ophthalmology & Visual Science",
        [
            "Deep learning screening for diabetic retinopathy in primary care",
            "Axial length growth in school-age children: a cohort study",
            "Retinal vessel calibre and cardiovascular risk",
            "Outcomes of cataract surgery in high myopia",
            "Choroidal thickness changes after atropine treatment",
        ],
    ),
    "ocean": (
        "Journal of Geophysical Research: Oceans",
        [
            "Seasonal stratification and chlorophyll in a semi-enclosed sea",
            "Low-cost optical sensors for coastal turbidity monitoring",
            "Internal waves on the continental shelf",
        ],
    ),
    "epi": (
        "Emerging Microbes & Infections",
        [
            "Genomic surveillance of seasonal influenza viruses",
            "Serological survey of tick-borne encephalitis virus",
        ],
    ),
    "hpc": (
        "Computer Physics Communications",
        [
            "A scalable adaptive mesh refinement framework for hydrodynamics",
            "Parallel sparse solvers for radiation transport on GPUs",
        ],
    ),
    "graphene": (
        "2D Materials",
        [
            "Liquid-phase exfoliation of graphene for printed electronics",
            "Raman fingerprints of defects in few-layer graphene",
            "Graphene photodetectors integrated on silicon photonics",
            "Hexagonal boron nitride encapsulation and carrier mobility",
            "Graphene-based inks for flexible supercapacitors",
        ],
    ),
    "laser": (
        "Optics Express",
        [
            "Few-cycle pulse generation in a hollow-core fibre",
            "Laser-driven proton acceleration from thin foils",
            "Nitrogen-vacancy magnetometry with a diamond waveguide",
            "Event-based vision sensors for high-speed tracking",
        ],
    ),
    "chem": (
        "ACS Catalysis",
        [
            "Single-atom catalysts for CO2 electroreduction",
            "Metal-organic frameworks for water harvesting",
            "Mechanistic insight into selective hydrogenation over Pd nanoparticles",
            "Photocatalytic hydrogen evolution on carbon nitride",
            "Zeolite confinement effects in methanol-to-olefins",
            "Operando spectroscopy of copper catalysts",
            "Solid electrolytes for lithium-metal batteries",
            "Polymer membranes for organic solvent nanofiltration",
            "Perovskite stability under humidity",
            "Enzyme immobilisation on mesoporous silica",
            "Green synthesis of silver nanoparticles with plant extracts",
            "Electrospun nanofibres for oil-water separation",
        ],
    ),
    "health": (
        "BMJ Global Health",
        [
            "Antimicrobial prescribing in primary care: a multi-country survey",
            "Hypertension control in urban clinics",
            "Maternal anaemia and birth outcomes",
            "Tuberculosis case finding with chest radiography",
            "Cost of diabetes care in public hospitals",
            "Vaccination coverage and equity in large cities",
            "Point-of-care CRP testing to reduce antibiotic use",
        ],
    ),
    "atmos": (
        "Atmospheric Chemistry and Physics",
        [
            "Aerosol layers in the free troposphere from lidar climatologies",
            "Wildfire smoke transport to Western Siberia",
            "Trends in aerosol optical depth over Central Europe",
        ],
    ),
    "materials": (
        "Acta Materialia",
        [
            "Grain boundary segregation in high-entropy alloys",
            "Additively manufactured titanium lattices under compression",
            "Corrosion of magnesium alloys in saline solution",
            "Dielectric breakdown in polymer nanocomposites",
        ],
    ),
    "robotics": (
        "IEEE Transactions on Industrial Electronics",
        [
            "Model predictive control of a quadruped robot",
            "Sensorless control of permanent-magnet motors",
        ],
    ),
}
SOURCES = {topic: f"S{9000000001 + i}" for i, topic in enumerate(TOPICS)}

# (institution keys, years, topic, funding, flags). funding: "EC:<project id>", "NSFC", "NSF", "DFG".
COLLABORATIONS: list[tuple[tuple[str, ...], tuple[int, ...], str, tuple[str, ...], tuple[str, ...]]] = [
    # NJUST -- Wuhan -- Porto -- IST: the 1-, 2- and 3-hop chain
    (("NJUST", "WHU"), (2019, 2020, 2021), "vision", ("NSFC",), ()),
    (("NJUST", "WHU"), (2022,), "vision", ("NSFC",), ("zh",)),
    (("NJUST", "WHU"), (2023,), "vision", ("NSFC",), ("unmatched",)),
    (("WHU", "PORTO"), (2021, 2022, 2023, 2024), "remote", (), ()),
    (("PORTO", "IST"), (2022, 2023, 2024), "remote", (), ()),
    (("NJUST",), (2022,), "robotics", ("NSFC",), ()),
    # physics: ETH -- USTC; the CAS family; neutrino collaborations
    (("ETH", "USTC"), (2019, 2021, 2022, 2023, 2024), "quantum", (), ()),
    (("USTC", "IHEP"), (2020, 2022), "quantum", ("NSFC",), ()),
    (("IHEP", "CHARLES", "JINR"), (2020,), "neutrino", (), ("dual",)),
    (("IHEP", "CHARLES", "JINR"), (2021, 2023), "neutrino", ("EC:9900003",), ()),
    (("IHEP", "JUNO", "CHARLES"), (2024,), "neutrino", ("EC:9900003",), ()),
    (("MICHIGAN", "IHEP"), (2018,), "neutrino", ("NSF",), ()),
    (("UCAS", "CIOMP"), (2021,), "laser", ("NSFC",), ()),
    (("APM", "UCAS"), (2022,), "quantum", ("NSFC",), ()),
    # aeronautics: Imperial -- Beihang; Xi'an; AVIC's institute
    (("IMPERIAL", "BEIHANG"), (2019, 2021), "aero", ("EC:9900002",), ()),
    (("IMPERIAL", "BEIHANG"), (2023,), "aero", (), ()),
    (("TUD", "IMPERIAL", "BEIHANG"), (2020,), "aero", ("EC:9900002", "DFG"), ()),
    (("BEIHANG", "XJTU"), (2022,), "aero", ("EC:9900002", "NSFC"), ()),
    (("XJTU", "XATU"), (2020, 2021), "materials", ("NSFC",), ()),
    (("BEIHANG", "BIAM"), (2022, 2023), "aero", ("NSFC",), ()),
    # economics: Oxford -- HSE, before 2022 only
    (("OXFORD", "HSE"), (2019, 2020, 2021), "econ", (), ()),
    # Sun Yat-sen University family and a US partner of its hospital
    (("MICHIGAN", "FAH"), (2021, 2022, 2024), "eye", ("NSF",), ()),
    (("SYSU", "ZOC"), (2020,), "eye", ("NSFC",), ()),
    (("SYSU", "FAH"), (2023,), "eye", ("NSFC",), ()),
    # ocean science: Patras -- Ocean University of China (SEAWATCH)
    (("PATRAS", "OUC"), (2020, 2022), "ocean", ("EC:9900001",), ()),
    # AMMS, CAEP
    (("AMMS", "BIME"), (2019,), "epi", (), ()),
    (("BIME", "UCAS"), (2021,), "epi", ("NSFC",), ()),
    (("CAEP", "SCNS"), (2020,), "hpc", (), ()),
    (("CAEP", "USTC"), (2022,), "hpc", ("NSFC",), ()),
    # European consortia (real projects)
    (("CAMBRIDGE", "TCD"), (2018, 2019), "graphene", ("EC:785219",), ()),
    (("CAMBRIDGE", "ETH", "CNRS"), (2019,), "graphene", ("EC:785219",), ()),
    (("KIT", "FRAUNHOFER"), (2019,), "graphene", ("EC:785219", "DFG"), ()),
    (("SORBONNE", "CNRS"), (2018, 2021), "graphene", (), ()),
    (("SORBONNE", "CNRS", "BORDEAUX"), (2020,), "laser", ("EC:732642",), ()),
    (("HZDR", "CNRS"), (2017,), "laser", ("EC:654148",), ()),
    (("ETH", "CNRS"), (2020,), "laser", ("EC:820394",), ()),
    (("ETH",), (2023,), "quantum", (), ()),
    # clean cluster: China, Hong Kong, Japan, United States
    (("NJU", "ZJU"), (2019, 2021, 2023), "chem", ("NSFC",), ()),
    (("ZJU", "HKU"), (2020, 2022), "chem", (), ()),
    (("HKU", "KYOTO"), (2021,), "chem", (), ()),
    (("KYOTO", "TDU"), (2019, 2022), "materials", (), ()),
    (("SHOU", "ZJU"), (2022,), "ocean", ("NSFC",), ()),
    (("HRBUST", "TDU"), (2021,), "materials", (), ()),
    (("BIPT", "ZJU"), (2020,), "chem", ("NSFC",), ()),
    (("MIT", "HKU"), (2023,), "chem", ("NSF",), ()),
    (("PKU", "MIT"), (2020, 2024), "chem", ("NSF",), ()),
    (("PKU", "HKU"), (2022,), "chem", (), ()),
    (("THU", "PKU"), (2021, 2023), "chem", ("NSFC",), ()),
    (("THU", "MIT"), (2022,), "chem", (), ()),
    (("THU",), (2024,), "chem", ("NSFC",), ()),
    # clean cluster: global health
    (("TUMS", "HARVARD"), (2019, 2021), "health", (), ()),
    (("AIIMS", "HARVARD"), (2020, 2023), "health", (), ()),
    (("FIOCRUZ", "UFRGS"), (2020, 2022), "health", (), ()),
    (("UFRGS", "HCPA"), (2021,), "health", (), ()),
    (("UFRGS", "HARVARD"), (2019,), "health", (), ()),
    (("IISER", "AIIMS"), (2022,), "health", (), ()),
    (("ULISBOA", "FIOCRUZ", "TUMS", "AIIMS", "UTRECHT"), (2022, 2024), "health", ("EC:9900004",), ()),
    (("UTRECHT", "TUMS"), (2023,), "health", (), ()),
    (("HARVARD",), (2021,), "health", (), ()),
    # clean cluster: Russia, Iran; atmospheric optics
    (("KFU", "SHIRAZ"), (2019, 2021), "chem", (), ()),
    (("SHIRAZ", "IUT"), (2020, 2022), "chem", (), ()),
    (("KFU", "IAO"), (2020,), "atmos", (), ()),
    (("KIT", "IAO"), (2021,), "atmos", ("EC:9900005",), ()),
]
ILLUSTRATIVE_AWARD_NUMBERS = {"NSFC": "6217{:04d}", "NSF": "21{:05d}", "DFG": "4{:08d}"}

_UNMATCHED_AFFILIATION = "Harbin Institute of Technology, Harbin 150001, China"
_ZH_AFFILIATION = "南京理工大学计算机科学与工程学院，南京 210094"


class _Ids:
    """Deterministic illustrative ids (10 digits starting with 9) and author placeholders."""

    def __init__(self) -> None:
        self.authors: dict[tuple[str, int], str] = {}
        self.awards: dict[tuple[str, str], str] = {}

    def author(self, key: str, n: int) -> str:
        return self.authors.setdefault((key, n), f"A{9000000001 + len(self.authors)}")

    def award(self, funder: str, number: str) -> str:
        return self.awards.setdefault((funder, number), f"G{9000000001 + len(self.awards)}")


def _authorship(
    ids: _Ids, key: str, n: int, position: str, by_ror: Mapping[str, Any], flags: tuple[str, ...]
) -> dict[str, Any]:
    keys = [key, "UCAS"] if ("dual" in flags and key == "IHEP" and n == 0) else [key]
    institutions = [{**_dehydrated(k, by_ror), "lineage": LINEAGE[k]} for k in keys]
    raws = [INSTITUTIONS[k][1] for k in keys]
    if "zh" in flags and key == "NJUST" and n == 0:
        raws = [_ZH_AFFILIATION]
    author = ids.author(key, n)
    return {
        "author_position": position,
        "author": {"id": oa_url(author), "display_name": f"Sample Author {author[-4:]}", "orcid": None},
        "institutions": institutions,
        "countries": sorted({i["country_code"] for i in institutions}),
        "is_corresponding": position == "first",
        "raw_author_name": f"Sample Author {author[-4:]}",
        "raw_affiliation_strings": raws,
        "affiliations": [
            {"raw_affiliation_string": raw, "institution_ids": [i["id"] for i in institutions]} for raw in raws
        ],
    }


def _authorships(
    ids: _Ids, keys: tuple[str, ...], by_ror: Mapping[str, Any], flags: tuple[str, ...]
) -> list[dict[str, Any]]:
    slots = [(keys[0], 0), *((k, 0) for k in keys[1:])]
    if len(keys) == 1:
        slots.append((keys[0], 1))
    out = []
    for i, (key, n) in enumerate(slots):
        position = "first" if i == 0 else ("last" if i == len(slots) - 1 else "middle")
        out.append(_authorship(ids, key, n, position, by_ror, flags))
    if "unmatched" in flags:
        unmatched = {
            "author_position": "middle",
            "author": {"id": oa_url(ids.author("HIT-RAW", 0)), "display_name": "Sample Author 9999", "orcid": None},
            "institutions": [],
            "countries": ["CN"],
            "is_corresponding": False,
            "raw_author_name": "Sample Author 9999",
            "raw_affiliation_strings": [_UNMATCHED_AFFILIATION],
            "affiliations": [{"raw_affiliation_string": _UNMATCHED_AFFILIATION, "institution_ids": []}],
        }
        out.insert(len(out) - 1, unmatched)
    return out


def _funding(
    ids: _Ids, funding: tuple[str, ...], grant: int, titles: Mapping[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    funders: dict[str, dict[str, Any]] = {}
    awards = []
    for item in funding:
        funder, _, number = item.partition(":")
        if not number:
            number = ILLUSTRATIVE_AWARD_NUMBERS[funder].format(100 + grant)  # one grant per collaboration
        fid, fname, _, _ = FUNDERS[funder]
        funders[funder] = {"id": oa_url(fid), "display_name": fname, "ror": ror_url(funder)}
        awards.append(
            {
                "id": oa_url(ids.award(funder, number)),
                "display_name": titles.get(number),
                "funder_award_id": number,
                "funder_id": oa_url(fid),
                "funder_display_name": fname,
                "doi": f"https://doi.org/10.3030/{number}" if funder == "EC" and len(number) == 6 else None,
            }
        )
    return list(funders.values()), awards


def openalex_works(ror: list[dict[str, Any]], titles: Mapping[str, str], ids: _Ids) -> list[dict[str, Any]]:
    by_ror = {r["id"]: r for r in ror}
    used: dict[str, int] = {}
    works: list[dict[str, Any]] = []
    for grant, (keys, years, topic, funding, flags) in enumerate(COLLABORATIONS):
        for year in years:
            serial = len(works) + 1
            journal, pool = TOPICS[topic]
            title = pool[used.get(topic, 0) % len(pool)]
            used[topic] = used.get(topic, 0) + 1
            wid = f"W{9000000000 + serial}"
            doi = f"https://doi.org/10.5555/rsgraph.sample.{serial:04d}"
            authorships = _authorships(ids, keys, by_ror, flags)
            funders, awards = _funding(ids, funding, grant, titles)
            insts = sorted({i["id"] for a in authorships for i in a["institutions"]})
            countries = sorted({c for a in authorships for c in a["countries"]})
            date = f"{year}-{1 + serial % 12:02d}-{1 + serial % 27:02d}"
            works.append(
                {
                    "id": oa_url(wid),
                    "doi": doi,
                    "title": title,
                    "display_name": title,
                    "publication_year": year,
                    "publication_date": date,
                    "ids": {"openalex": oa_url(wid), "doi": doi},
                    "language": "en",
                    "primary_location": {
                        "is_oa": serial % 3 == 0,
                        "landing_page_url": doi,
                        "pdf_url": None,
                        "source": {
                            "id": oa_url(SOURCES[topic]),
                            "display_name": journal,
                            "issn_l": None,
                            "issn": None,
                            "is_oa": False,
                            "is_in_doaj": False,
                            "host_organization": None,
                            "type": "journal",
                        },
                        "license": None,
                        "version": "publishedVersion",
                        "is_accepted": True,
                        "is_published": True,
                    },
                    "type": "article",
                    "type_crossref": "journal-article",
                    "indexed_in": ["crossref"],
                    "open_access": {
                        "is_oa": serial % 3 == 0,
                        "oa_status": "green" if serial % 3 == 0 else "closed",
                        "oa_url": None,
                        "any_repository_has_fulltext": serial % 3 == 0,
                    },
                    "authorships": authorships,
                    "countries_distinct_count": len(countries),
                    "institutions_distinct_count": len(insts),
                    "corresponding_author_ids": [authorships[0]["author"]["id"]],
                    "corresponding_institution_ids": [i["id"] for i in authorships[0]["institutions"]],
                    "cited_by_count": (serial * 7) % 41,
                    "biblio": {"volume": str(10 + serial % 90), "issue": None, "first_page": None, "last_page": None},
                    "is_retracted": False,
                    "is_paratext": False,
                    "funders": funders,
                    "awards": awards,
                    "referenced_works_count": 0,
                    "referenced_works": [],
                    "related_works": [],
                    "counts_by_year": [],
                    "updated_date": UPDATED_TS,
                    "created_date": date,
                }
            )
    return works


def openalex_funders(ror: list[dict[str, Any]], works: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_ror = {r["id"]: r for r in ror}
    out = []
    for key, (fid, name, _cc, description) in FUNDERS.items():
        record = by_ror[ror_url(key)]
        count = sum(1 for w in works if any(f["id"] == oa_url(fid) for f in w["funders"]))
        fundref = _external(record, "fundref")
        wikidata = _external(record, "wikidata")
        ids = {"openalex": oa_url(fid), "ror": ror_url(key)}
        if wikidata:
            ids["wikidata"] = f"https://www.wikidata.org/entity/{wikidata}"
        if fundref:
            ids["crossref"] = fundref
            ids["doi"] = f"https://doi.org/10.13039/{fundref}"
        roles = [{"role": "funder", "id": oa_url(fid), "works_count": count}]
        if key in OA_INSTITUTION:
            roles.append({"role": "institution", "id": oa_url(OA_INSTITUTION[key]), "works_count": 0})
        out.append(
            {
                "id": oa_url(fid),
                "display_name": name,
                "alternate_titles": [
                    n["value"] for n in record["names"] if "alias" in n["types"] or "acronym" in n["types"]
                ],
                "country_code": record["locations"][0]["geonames_details"]["country_code"],
                "description": description,
                "homepage_url": next((x["value"] for x in record["links"] if x["type"] == "website"), None),
                "image_url": None,
                "image_thumbnail_url": None,
                "grants_count": 0,
                "works_count": count,
                "cited_by_count": 0,
                "summary_stats": {"2yr_mean_citedness": 0.0, "h_index": 0, "i10_index": 0},
                "ids": ids,
                "counts_by_year": [],
                "roles": roles,
                "updated_date": UPDATED_TS,
                "created_date": "2023-02-13",
            }
        )
    return out


def openalex_awards(
    ids: _Ids, works: list[dict[str, Any]], projects: Mapping[str, Mapping[str, str]]
) -> list[dict[str, Any]]:
    """Award entities for the EC awards (joined to CORDIS); other funders' awards stay dehydrated in works."""
    out = []
    for (funder, number), gid in sorted(ids.awards.items(), key=lambda x: x[1]):
        if funder != "EC":
            continue
        project = projects[number]
        fid, fname, _, _ = FUNDERS[funder]
        outputs = [w["id"] for w in works if any(a["id"] == oa_url(gid) for a in w["awards"])]
        real = len(number) == 6
        out.append(
            {
                "id": oa_url(gid),
                "display_name": project["title"],
                "description": None,
                "funder_award_id": number,
                "funder": {
                    "id": oa_url(fid),
                    "display_name": fname,
                    "ror": ror_url(funder),
                    "doi": "https://doi.org/10.13039/501100000780",
                },
                "funded_outputs": outputs,
                "funded_outputs_count": len(outputs),
                "amount": float(project["ecMaxContribution"].replace(",", ".")),
                "currency": "EUR",
                "funding_type": "grant",
                "funder_scheme": project["fundingScheme"],
                "start_date": project["startDate"],
                "end_date": project["endDate"],
                "start_year": int(project["startDate"][:4]),
                "end_year": int(project["endDate"][:4]),
                "landing_page_url": f"https://cordis.europa.eu/project/id/{number}" if real else None,
                "doi": f"https://doi.org/10.3030/{number}" if real else None,
                "provenance": "crossref",
                "lead_investigator": None,
                "co_lead_investigator": None,
                "investigators": [],
                "works_api_url": f"https://api.openalex.org/works?filter=awards.id:{gid}",
                "created_date": "2026-01-15",
                "updated_date": UPDATED_TS,
            }
        )
    return out


def write_jsonl(path: Path, records: Iterable[Mapping[str, Any]]) -> None:
    _write(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


# --- CORDIS (H2020 CSV layout) ---------------------------------------------------------------------
PROJECT_HEADER = (
    "id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;topics;ecSignatureDate;"
    "frameworkProgramme;masterCall;subCall;fundingScheme;nature;objective;contentUpdateDate;rcn;grantDoi"
).split(";")
ORGANIZATION_HEADER = (
    "projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;activityType;street;postCode;city;"
    "country;nutsCode;geolocation;organizationURL;contactForm;contentUpdateDate;rcn;order;role;ecContribution;"
    "netEcContribution;totalCost;endOfParticipation;active"
).split(";")
_CONTACT = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/contact-form/project/{pic}/{project}"


def _num(value: Any, comma: bool = False) -> str:
    """A JSON number as CORDIS CSV prints it; ``comma`` uses the decimal comma some rows carry."""
    if value in ("", None):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    return text.replace(".", ",") if comma else text


def _flag(value: Any) -> str:
    return "" if value in ("", None) else ("true" if value else "false")


def _csv(header: list[str], rows: Iterable[Mapping[str, str]], final_newline: bool = True) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    text = buf.getvalue()
    return text if final_newline else text.rstrip("\n")


def cordis_real() -> tuple[list[dict[str, str]], list[dict[str, str]], dict[int, dict[str, Any]]]:
    projects = {p["id"]: p for p in _read_json(SHARED / "cordis" / "project.subset.json")}
    orgs = _read_json(SHARED / "cordis" / "organization.subset.json")
    by_pic = {o["organisationID"]: o for o in orgs}
    prow, orow = [], []
    for pid, pics in REAL_PROJECTS.items():
        p = projects[pid]
        prow.append(
            {
                "id": str(pid),
                "acronym": p["acronym"],
                "status": p["status"],
                "title": p["title"],
                "startDate": p["startDate"],
                "endDate": p["endDate"],
                "totalCost": _num(p["totalCost"], comma=pid == 654148),
                "ecMaxContribution": _num(p["ecMaxContribution"]),
                "legalBasis": p["legalBasis"],
                "topics": p["topics"],
                "ecSignatureDate": p["ecSignatureDate"],
                "frameworkProgramme": p["frameworkProgramme"],
                "masterCall": p["masterCall"],
                "subCall": p["subCall"],
                "fundingScheme": p["fundingScheme"],
                "nature": p["nature"],
                "objective": p["objective"],
                "contentUpdateDate": p["contentUpdateDate"],
                "rcn": str(p["rcn"]),
                "grantDoi": f"10.3030/{pid}",
            }
        )
        members = [o for o in orgs if o["projectID"] == pid and (not pics or o["organisationID"] in pics)]
        for o in sorted(members, key=lambda o: int(o["order"])):
            orow.append(_org_row(o, str(pid), p["acronym"]))
    return prow, orow, by_pic


def _postcode(o: Mapping[str, Any]) -> str:
    """The JSON extract stored postcodes as numbers; CORDIS CSV keeps the leading zeros of 5-digit codes."""
    code = o["postCode"]
    if isinstance(code, int) and o["country"] in {"DE", "FR", "IT", "ES", "FI", "EL", "SE"}:
        return f"{code:05d}"
    return str(code)


def _org_row(o: Mapping[str, Any], pid: str, acronym: str) -> dict[str, str]:
    return {
        "projectID": pid,
        "projectAcronym": acronym,
        "organisationID": str(o["organisationID"]),
        "vatNumber": o["vatNumber"],
        "name": o["name"],
        "shortName": o["shortName"],
        "SME": _flag(o["SME"]),
        "activityType": o["activityType"],
        "street": o["street"],
        "postCode": _postcode(o),
        "city": o["city"],
        "country": o["country"],
        "nutsCode": o["nutsCode"],
        "geolocation": o["geolocation"],
        "organizationURL": o["organizationURL"],
        "contactForm": o["contactForm"],
        "contentUpdateDate": o["contentUpdateDate"],
        "rcn": str(o["rcn"]),
        "order": str(o["order"]),
        "role": o["role"],
        "ecContribution": _num(o["ecContribution"]),
        "netEcContribution": _num(o["netEcContribution"]),
        "totalCost": _num(o["totalCost"], comma=True),
        "endOfParticipation": _flag(o["endOfParticipation"]),
        "active": _flag(o["active"]),
    }


def cordis_illustrative(
    by_pic: Mapping[int, Mapping[str, Any]], ror: list[dict[str, Any]]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    by_ror = {r["id"]: r for r in ror}
    prow, orow = [], []
    for n, p in enumerate(ILLUSTRATIVE_PROJECTS):
        prow.append(
            {
                "id": p["id"],
                "acronym": p["acronym"],
                "status": p["status"],
                "title": p["title"],
                "startDate": p["start"],
                "endDate": p["end"],
                "totalCost": p["total"],
                "ecMaxContribution": p["ec"],
                "legalBasis": "",
                "topics": p["topics"],
                "ecSignatureDate": "",
                "frameworkProgramme": "H2020",
                "masterCall": "",
                "subCall": p["subCall"],
                "fundingScheme": p["scheme"],
                "nature": "",
                "objective": p["objective"],
                "contentUpdateDate": "2024-05-14 10:21:33",
                "rcn": str(990001 + n),
                "grantDoi": "",
            }
        )
        for order, (who, role, ec) in enumerate(p["participants"], 1):
            if who in REAL_PIC:
                real = by_pic[REAL_PIC[who]]
                row = _org_row(real, p["id"], p["acronym"])
                row["contactForm"] = _CONTACT.format(pic=real["organisationID"], project=p["id"])
            else:
                pic, name, short, activity, city, country = CORDIS_ORGS[who]
                record = by_ror[ror_url(who)]
                geo = record["locations"][0]["geonames_details"]
                row = {
                    "projectID": p["id"],
                    "projectAcronym": p["acronym"],
                    "organisationID": pic,
                    "vatNumber": "",
                    "name": name,
                    "shortName": short,
                    "SME": "false",
                    "activityType": activity,
                    "street": "",
                    "postCode": "",
                    "city": city,
                    "country": country,
                    "nutsCode": "",
                    "geolocation": f"{geo['lat']},{geo['lng']}",
                    "organizationURL": next((x["value"] for x in record["links"] if x["type"] == "website"), ""),
                    "contactForm": _CONTACT.format(pic=pic, project=p["id"]),
                    "rcn": str(9000000 + int(pic) % 100),
                }
            row.update(
                {
                    "order": str(order),
                    "role": role,
                    "ecContribution": ec,
                    "netEcContribution": ec,
                    "totalCost": ec.replace(".", ","),
                    "endOfParticipation": "false",
                    "active": "",
                    "contentUpdateDate": "2024-05-14 10:21:33",
                }
            )
            orow.append(row)
    return prow, orow


# --- lists: real rows copied byte for byte ------------------------------------------------------
SECTION_1286 = {("Nanjing University of Science and Technology", y) for y in ("2022", "2024", "2025")} | {
    ("Beijing University of Aeronautics and Astronautics", "2024"),
    ("Beihang University", "2025"),
    ("University of Science and Technology of China", "2024"),
    ("Sun Yat-Sen University", "2022"),
    ("Sun Yat-Sen University", "2023"),
    ("Sun Yat-Sen University", "2024"),
    ("Academy of Military Medical Sciences", "2022"),
    ("Academy of Military Medical Sciences (AMMS)", "2023"),
    ("Academy of Military Medical Sciences", "2024"),
    ("Academy of Military Medical Sciences, Institute of Microbiology and Epidemiology", "2024"),
    ("Academy of Military Medical Sciences, Institute of Microbiology and Epidemiology", "2025"),
    ("Chinese Academy of Engineering Physics (CAEP)", "2023"),
    ("Chinese Academy of Engineering Physics", "2024"),
    ("Ocean University of China", "2024"),
    ("Ocean University of China", "2025"),
    ("Xi\u2019an Technological University", "2024"),
    ("Air Force Xi'an Flight Academy", "2024"),
    ("Moscow\u2019s Higher School of Economics", "2024"),
    ("Institute of High Energy Physics", "2022"),
    ("Institute of High Energy Physics", "2024"),
    ("Harbin Institute of Technology", "2022"),
    ("Harbin Institute of Technology", "2024"),
    ("Harbin Engineering University", "2022"),
    ("Harbin Engineering University", "2024"),
    ("Beijing Institute of Technology", "2022"),
    ("Beijing Institute of Technology", "2025"),
    ("Kazan National Research Technical University named after A.N. Tupolev-KAI", "2025"),
    ("Center for International Security and Strategy", "2024"),
    ("Center for International Security and Strategy of Tsinghua University", "2025"),
    ("Sharif University of Technology", "2024"),
    ("Sharif University of Technology", "2025"),
}
DOD_1260H_LINES = (9, 48, 70, 119, 136, 145, 174, 175, 185)  # 1-based lines of the real subset
CSL_IDS = ("18300", "28603", "99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be")
FTM_IDS = ("NK-2GdmHtZTeNXjNVrBGEXZNj", "NK-2Ka3UvopqbpZmVDFjWd4LA", "NK-2PacmNpiLUmoz4XD2mSt7A")


def list_1286() -> str:
    lines = (SHARED / "opensanctions/source_csv/us_special_leg/section_1286.subset.csv").read_text("utf-8").split("\n")
    kept = [lines[0]]
    for line in lines[1:]:
        row = next(csv.reader([line])) if line else []
        if row and (row[1].strip(), row[7]) in SECTION_1286:
            kept.append(line)
    found = {(next(csv.reader([x]))[1].strip(), next(csv.reader([x]))[7]) for x in kept[1:]}
    missing = SECTION_1286 - found
    if missing:
        raise SystemExit(f"section 1286 rows not found: {sorted(missing)}")
    return "\n".join(kept) + "\n"


def list_1260h() -> str:
    lines = (SHARED / "opensanctions/source_csv/us_dod_chinese_milcorps/sanctions.subset.csv").read_text("utf-8")
    rows = lines.split("\n")
    return "\n".join([rows[0], *(rows[i - 1] for i in DOD_1260H_LINES)]) + "\n"


def list_csl() -> str:
    rows = (SHARED / "official_lists/trade_gov_csl/consolidated_2025.subset.csv").read_text("utf-8").split("\n")
    kept = [rows[0], *(r for r in rows[1:] if r.split(",", 1)[0].strip('"') in CSL_IDS)]
    return "\n".join(kept)  # the real file has no final newline


def list_ftm() -> str:
    rows = (SHARED / "opensanctions/eu_fsf/entities.ftm.json").read_text("utf-8").splitlines()
    return "".join(r + "\n" for r in rows if json.loads(r)["id"] in FTM_IDS)


# --- screening input, watchlist, config ------------------------------------------------------------
PARTNERS: list[tuple[str, str, str]] = [
    ("Nanjing University of Science and Technology", "CN", ""),
    ("NANJING UNIVERSITY", "CN", ""),
    ("EIDGENOESSISCHE TECHNISCHE HOCHSCHULE ZUERICH", "CH", ""),
    ("SORBONNE UNIVERSITE", "FR", "909875521"),
    ("TECHNISCHE UNIVERSITEIT DELFT", "NL", ""),
    ("BUAA", "CN", ""),
    ("HUST", "CN", ""),
    ("School of Remote Sensing and Information Engineering, Wuhan University, Wuhan 430079, China", "CN", ""),
    ("Harbin University of Science and Technology", "CN", ""),
    ("Beijing Institute of Petrochemical Technology", "CN", ""),
    ("Institute of High Energy Physics", "CN", "https://ror.org/03v8tnc06"),
    ("中国科学技术大学", "CN", ""),
    ("Высшая школа экономики", "RU", ""),
    ("Kazan Federal University", "RU", ""),
    ("دانشگاه شیراز", "IR", ""),
    ("Tehran University of Medical Sciences", "IR", ""),
    ("Air Force Xi'an Flight Academy", "CN", ""),
    ("Tsinghua University", "CN", ""),
    ("Universidade do Porto", "PT", ""),
    ("University of Oxford", "GB", ""),
    ("Massachusetts Institute of Technology", "US", ""),
    ("Kyoto University", "JP", ""),
    ("", "DE", ""),
    ("Universidade Federal do Rio Grande do Sul", "BR", "ror:041yk2d64"),
]
WATCHLIST: list[tuple[str, str]] = [
    ("ror:043pwc612", "Universidade do Porto: partner in a planned remote-sensing project"),
    ("ror:033vjfk17", "Wuhan University: co-author of the Porto group"),
    ("ror:02tyrky19", "Trinity College Dublin: graphene consortium partner"),
    ("ror:01c4pz451", "Tehran University of Medical Sciences: GLOBHEALTH partner"),
    ("ror:0064kty71", "Sun Yat-sen University: parent of a hospital partner"),
]
CONFIG = """# Sources of the sample world, loaded in order by `rsgraph ingest all --config data/samples/config.toml`.
# Paths are relative to this file. `list` names a table in ingest/lists.toml; files whose rows route
# themselves (the Consolidated Screening List by its `source` column, FtM by dataset) need none.

[[source]]
kind = "ror"
path = "ror/ror-data-sample.json"

[[source]]
kind = "cordis"
path = "cordis"

# after ROR and CORDIS, so OpenAlex institutions link to ROR records and EU awards to CORDIS projects
[[source]]
kind = "openalex-snapshot"
path = "openalex"

[[source]]
kind = "lists"
path = "lists/section_1286.csv"
list = "us_ndaa_1286"

[[source]]
kind = "lists"
path = "lists/dod_1260h.csv"
list = "us_dod_chinese_milcorps"

[[source]]
kind = "lists"
path = "lists/consolidated_screening_list.csv"

[[source]]
kind = "lists"
path = "lists/eu_fsf_sample.ftm.json"
"""


def _simple_csv(header: list[str], rows: Iterable[Iterable[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def main() -> int:
    if not SHARED.is_dir():
        raise SystemExit(f"real extracts not found at {SHARED}")
    ror = ror_records()
    by_ror = {r["id"]: r for r in ror}
    key_of = {ror_url(k): k for k in INSTITUTIONS}
    LINEAGE.update({k: _lineage(k, by_ror, key_of) for k in INSTITUTIONS if k not in NO_OPENALEX})
    write_ror(ror)

    real_projects, real_orgs, by_pic = cordis_real()
    ill_projects, ill_orgs = cordis_illustrative(by_pic, ror)
    projects = real_projects + ill_projects
    _write(HERE / "cordis" / "project.csv", _csv(PROJECT_HEADER, projects))
    _write(HERE / "cordis" / "organization.csv", _csv(ORGANIZATION_HEADER, real_orgs + ill_orgs))

    ids = _Ids()
    titles = {p["id"]: p["title"] for p in projects}
    works = openalex_works(ror, titles, ids)
    oa = HERE / "openalex"
    part = f"updated_date={UPDATED}/part_000"
    write_jsonl(oa / "institutions" / part, openalex_institutions(ror, works))
    write_jsonl(oa / "funders" / part, openalex_funders(ror, works))
    write_jsonl(oa / "awards" / part, openalex_awards(ids, works, {p["id"]: p for p in projects}))
    half = (len(works) + 1) // 2  # two parts, as a snapshot partition holds several
    write_jsonl(oa / "works" / part, works[:half])
    write_jsonl(oa / "works" / part.replace("part_000", "part_001"), works[half:])

    lists = HERE / "lists"
    _write(lists / "section_1286.csv", list_1286())
    _write(lists / "dod_1260h.csv", list_1260h())
    _write(lists / "consolidated_screening_list.csv", list_csl())
    _write(lists / "eu_fsf_sample.ftm.json", list_ftm())

    _write(HERE / "screening" / "partners.csv", _simple_csv(["name", "country", "id"], PARTNERS))
    _write(HERE / "watchlist.csv", _simple_csv(["id", "note"], WATCHLIST))
    _write(HERE / "config.toml", CONFIG)
    return 0


if __name__ == "__main__":
    sys.exit(main())
