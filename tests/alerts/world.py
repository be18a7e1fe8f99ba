"""The alerts scenario: a watched partner, its parent and a co-author, and a §1286-style list in versions.

Portela University (``ror:0partner01``, with its OpenAlex record) is watched.
Its ROR parent is Quebecia Polytechnic Institute; it co-authored 7 works in
2025 with Kilovia Institute of Technology (OpenAlex ``I22``, same as
``ror:0kilovi001``). Ostrava Technical College is watched too and nothing
happens around it. List versions are CSVs in the real curated §1286 format,
ingested with :func:`ingest.lists.ingest_lists` and linked with
:func:`graph.resolve.linker.link`, as a refresh would.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from graph.resolve.linker import link
from graph.settings import load_settings
from graph.store import GraphStore
from ingest.lists import ingest_lists

PARTNER = "ror:0partner01"
PARTNER_OA = "openalex:I11"
PARENT = "ror:0quebec001"
COAUTHOR = "ror:0kilovi001"
COAUTHOR_OA = "openalex:I22"
QUIET = "ror:0ostrava01"
LIST = "us_ndaa_1286"
PARENT_ENTITY = f"list:{LIST}:quebecia-polytechnic-institute"
COAUTHOR_ENTITY = f"list:{LIST}:kilovia-institute-of-technology"
COLLAB_2025 = f"COLLABORATED_WITH|{PARTNER_OA}|{COAUTHOR_OA}|2025"

COUNTRIES = {PARTNER: "PT", PARTNER_OA: "PT", PARENT: "CN", COAUTHOR: "CN", COAUTHOR_OA: "CN", QUIET: "CZ"}
NAMES = {
    PARTNER: "Portela University",
    PARTNER_OA: "Portela University",
    PARENT: "Quebecia Polytechnic Institute",
    COAUTHOR: "Kilovia Institute of Technology",
    COAUTHOR_OA: "Kilovia Institute of Technology",
    QUIET: "Ostrava Technical College",
}
_HEAD = "schema,name,aliases,topics,program,authority,reason,report-date,start-date,end-date,country,notes,source_url\n"


def prov(source: str, source_id: str) -> Provenance:
    version = {"ror": "v1.60", "openalex": "2026-10-01"}[source]
    return Provenance(source, source_id, f"https://example.org/{source_id}", "2026-11-01T00:00:00Z", version)


def org(node_id: str, countries: Mapping[str, str]) -> Node:
    name = NAMES[node_id]
    props = {
        "names": [{"value": name, "lang": "en", "types": ["ror_display"]}],
        "country": countries[node_id],
        "types": ["education"],
    }
    return Node(node_id, NodeKind.ORGANISATION, name, prov(node_id.split(":")[0], node_id), props)


def identifier_link(oa: str, ror: str) -> Edge:
    props = {
        "score": 1.0,
        "method": "identifier",
        "band": "match",
        "explanation": f"OpenAlex record carries ROR id {ror}",
    }
    return Edge(EdgeKind.SAME_AS, oa, ror, prov("openalex", oa), props=props)


def collab(year: int, count: int) -> Edge:
    src, dst = sorted((PARTNER_OA, COAUTHOR_OA))
    props = {"count": count, "works": [f"W{year}{i}" for i in range(min(count, 10))]}
    return Edge(
        EdgeKind.COLLABORATED_WITH,
        src,
        dst,
        prov("openalex", f"{src}-{dst}-{year}"),
        str(year),
        str(year),
        str(year),
        props,
    )


def load_base(store: GraphStore, countries: Mapping[str, str] = COUNTRIES) -> None:
    assert not store.upsert_nodes(org(n, countries) for n in NAMES).rejected
    edges = [
        identifier_link(PARTNER_OA, PARTNER),
        identifier_link(COAUTHOR_OA, COAUTHOR),
        Edge(EdgeKind.PARENT_OF, PARENT, PARTNER, prov("ror", f"{PARENT}>{PARTNER}")),
        collab(2025, 7),
    ]
    assert not store.upsert_edges(edges).rejected


def row(name: str, country: str, year: str) -> str:
    return f"Company,{name},,debarment,Section 1286 of the NDAA FY2019,United States Congress,,{year},,,{country},,https://example.org/1286\n"


def ingest_version(store: GraphStore, folder: Path, version: str, rows: list[str]) -> None:
    """Write one version of the list as a real CSV, ingest it and re-link, as ``alerts run --refresh`` does."""
    path = folder / f"section_1286-{version}.csv"
    path.write_text(_HEAD + "".join(rows), encoding="utf-8")
    report = ingest_lists(store, str(path), list_key=LIST, settings=load_settings(env={}), version=version)
    assert report.failed is None and not report.rejected
    link(store)


ZULU = row("Zulu Aerospace Academy", "RU", "2024")
QUEBECIA = row("Quebecia Polytechnic Institute", "CN", "2025")
KILOVIA = row("Kilovia Institute of Technology", "CN", "2025")
