"""Builders for organisation records shaped like ROR, CORDIS and list nodes (project conventions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.model import Node, NodeKind
from graph.resolve.features import profile_of
from graph.resolve.matcher import Resolver
from tests.factories import prov


def ror_org(
    short: str,
    name: str,
    *,
    country: str,
    city: str,
    labels: Sequence[tuple[str, str]] = (),
    aliases: Sequence[str] = (),
    acronyms: Sequence[str] = (),
    **ids: str,
) -> Node:
    names: list[dict[str, Any]] = [{"value": name, "lang": "en", "types": ["ror_display", "label"]}]
    names += [{"value": v, "lang": lang, "types": ["label"]} for lang, v in labels]
    names += [{"value": v, "lang": "en", "types": ["alias"]} for v in aliases]
    names += [{"value": v, "lang": None, "types": ["acronym"]} for v in acronyms]
    props = {
        "names": names,
        "aliases": list(aliases),
        "acronyms": list(acronyms),
        "country": country,
        "city": city,
        "ids": {"ror": f"https://ror.org/{short}", **ids},
        "status": "active",
    }
    return Node(f"ror:{short}", NodeKind.ORGANISATION, name, prov("ror", short), props)


def list_entry(
    entry_id: str, name: str, *, aliases: Sequence[str] = (), country: str | None = None, **ids: str
) -> Node:
    props: dict[str, Any] = {
        "names": [{"value": name, "types": ["name"]}] + [{"value": a, "types": ["alias"]} for a in aliases],
        "aliases": list(aliases),
        "listed_entity": True,
        "schema": "Organization",
        "ids": dict(ids),
    }
    if country:
        props["country"] = country
    return Node(f"list:test_list:{entry_id}", NodeKind.ORGANISATION, name, prov("test_list", entry_id), props)


def cordis_participant(pic: str, name: str, *, country: str, city: str = "", short_name: str = "") -> Node:
    props = {
        "names": [{"value": name, "types": ["legal_name"]}],
        "country": country,
        "city": city,
        "short_name": short_name,
        "ids": {"pic": pic},
    }
    return Node(f"cordis:pic:{pic}", NodeKind.ORGANISATION, name, prov("cordis", pic), props)


# Real ROR names, labels and acronyms of the institutions the tests are about.
NANJING = ror_org(
    "01rxvg760",
    "Nanjing University",
    country="CN",
    city="Nanjing",
    labels=[("zh", "南京大学")],
    acronyms=["NJU"],
    grid="grid.41156.37",
)
NUAA = ror_org(
    "01scyh794",
    "Nanjing University of Aeronautics and Astronautics",
    country="CN",
    city="Nanjing",
    labels=[("zh", "南京航空航天大学")],
    acronyms=["NUAA"],
)
NORTHWESTERN = ror_org("000e0be47", "Northwestern University", country="US", city="Evanston", acronyms=["NU"])
NPU = ror_org(
    "01y0j0j86",
    "Northwestern Polytechnical University",
    country="CN",
    city="Xi'an",
    labels=[("zh", "西北工业大学")],
    aliases=["Northwestern Polytechnic University"],
    acronyms=["NPU", "NWPU"],
)
HIT = ror_org(
    "01yqg2h08",
    "Harbin Institute of Technology",
    country="CN",
    city="Harbin",
    labels=[("zh", "哈尔滨工业大学")],
    acronyms=["HIT"],
    wikidata="Q1303212",
)
HEU = ror_org(
    "03x80pn82",
    "Harbin Engineering University",
    country="CN",
    city="Harbin",
    labels=[("zh", "哈尔滨工程大学")],
    acronyms=["HEU"],
)
CAS = ror_org(
    "034t30j35",
    "Chinese Academy of Sciences",
    country="CN",
    city="Beijing",
    labels=[("zh", "中国科学院")],
    acronyms=["CAS"],
)
IOP_CAS = ror_org(
    "05cvf7v30",
    "Institute of Physics",
    country="CN",
    city="Beijing",
    labels=[("zh", "中国科学院物理研究所")],
    aliases=["Institute of Physics, Chinese Academy of Sciences"],
    acronyms=["IOP CAS"],
)
IOP_CZ = ror_org(
    "02yhj4v17",
    "FZU ‒ Institute of Physics of the Academy of Sciences of the Czech Republic",
    country="CZ",
    city="Prague",
    aliases=["Institute of Physics"],
    acronyms=["FZU"],
)
MSU = ror_org(
    "010pmpe69",
    "Lomonosov Moscow State University",
    country="RU",
    city="Moscow",
    labels=[("ru", "Московский государственный университет имени М. В. Ломоносова")],
    aliases=["Moscow State University"],
    acronyms=["MSU"],
)
CAS_CZ = ror_org("053avzc18", "Czech Academy of Sciences", country="CZ", city="Prague", acronyms=["CAS"])

ORGS = [NANJING, NUAA, NORTHWESTERN, NPU, HIT, HEU, CAS, IOP_CAS, IOP_CZ, MSU, CAS_CZ]
PARENTS = {IOP_CAS.id: [CAS.id]}


def resolver(nodes: Sequence[Node] = ORGS) -> Resolver:
    return Resolver([profile_of(n, PARENTS.get(n.id, ())) for n in nodes])
