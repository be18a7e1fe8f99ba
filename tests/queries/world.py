"""A small graph in the shapes ingest writes, covering every case ``check`` must handle.

The organisation under review is Alpha University (``ror:0alpha001``, with
its OpenAlex and CORDIS records). Around it:

- its parent, Alpha Academy, is on an advisory list (Canada NRO);
- 2 hops by co-authorship: Bravo Institute (BIS Entity List, legal restriction);
- 2 hops by a shared CORDIS project and the ROR hierarchy: Charlie Subsidiary (EU FSF, legal restriction),
  child of Charlie Works, with which Alpha shares project SHARED;
- 3 hops by co-authorship: Delta Lab (§1286, advisory);
- behind a hub (Hub University, 8 partners): Echo Institute (OFAC SDN) — pruned when the cap is 5;
- a delisted BIS designation on Alpha University itself (history, no signal);
- a *possible* SAME_AS link from Foxtrot Ltd (on the SDN list) to Alpha University, awaiting review.

Golf Polytechnic (``ror:0golf0001``) is itself on the BIS Entity List (direct legal restriction).
Two organisations are named Juliet University (FR and NL): a name that needs a choice.
"Alpha University of Technology" is a listed entity linked to nothing: a look-alike of Alpha.
"""

from __future__ import annotations

from typing import Any

from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from graph.store import GraphStore

RETRIEVED = "2026-11-01T00:00:00Z"
ALPHA = "ror:0alpha001"
ALPHA_OA = "openalex:I100"
ALPHA_PIC = "cordis:pic:999999999"
GOLF = "ror:0golf0001"

_VERSIONS = {"ror": "v1.55", "openalex": "2026-10-01", "cordis": "2026-09-15"}


def prov(source: str, source_id: str, version: str | None = None) -> Provenance:
    v = version or _VERSIONS.get(source, "2026-11-01")
    return Provenance(source, source_id, f"https://example.org/{source}/{source_id}", RETRIEVED, v)


def org(node_id: str, name: str, country: str, **props: Any) -> Node:
    source = node_id.split(":")[0]
    names = [{"value": name, "lang": "en", "types": ["ror_display"]}]
    names += [{"value": n, "lang": None, "types": ["alias"]} for n in props.pop("also", [])]
    return Node(
        node_id, NodeKind.ORGANISATION, name, prov(source, node_id), {"names": names, "country": country, **props}
    )


def listed(
    list_key: str, entry: str, name: str, country: str, effect: str, *, delisted: str | None = None
) -> list[Node]:
    entity = Node(
        f"list:{list_key}:{entry}",
        NodeKind.ORGANISATION,
        name,
        prov(list_key, entry, "2026-10-30"),
        {"names": [{"value": name, "lang": None, "types": ["name"]}], "country": country, "listed_entity": True},
    )
    designation = Node(
        f"designation:{list_key}:{entry}",
        NodeKind.DESIGNATION,
        f"{name} on {list_key}",
        prov(list_key, entry, "2026-10-30"),
        {
            "list": list_key,
            "list_name": list_key.replace("_", " ").upper(),
            "programme": f"{list_key.upper()}-PROGRAMME",
            "authority": "Some Authority",
            "listed_on": "2020-05-01",
            "delisted_on": delisted,
            "status": "delisted" if delisted else "active",
            "legal_effect": effect,
            "source_url": f"https://lists.example.org/{list_key}/{entry}",
            "reason": "listed for testing",
        },
    )
    return [entity, designation]


def designated_on(list_key: str, entry: str, *, delisted: str | None = None) -> Edge:
    return Edge(
        EdgeKind.DESIGNATED_ON,
        f"list:{list_key}:{entry}",
        f"designation:{list_key}:{entry}",
        prov(list_key, entry, "2026-10-30"),
        start="2020-05-01",
        end=delisted,
    )


def same_as(src: str, dst: str, band: str = "match", score: float = 0.97) -> Edge:
    return Edge(
        EdgeKind.SAME_AS,
        src,
        dst,
        prov("resolve", f"{src}={dst}", "r1"),
        props={"score": score, "method": "name+country", "band": band, "explanation": "names agree"},
    )


def collab(a: str, b: str, year: int, count: int) -> Edge:
    src, dst = sorted((a, b))
    works = [f"W{year}{sum(map(ord, src + dst)):05d}"]
    return Edge(
        EdgeKind.COLLABORATED_WITH,
        src,
        dst,
        prov("openalex", f"{src}-{dst}-{year}"),
        key=str(year),
        start=str(year),
        end=str(year),
        props={"count": count, "works": works},
    )


def participated(pic: str, project: str, start: str = "2021-01-01", end: str = "2024-12-31") -> Edge:
    return Edge(
        EdgeKind.PARTICIPATED_IN,
        pic,
        project,
        prov("cordis", f"{pic}-{project}"),
        start=start,
        end=end,
        props={"role": "participant", "ec_contribution": 100000.0, "order": 2},
    )


def parent_of(parent: str, child: str) -> Edge:
    return Edge(EdgeKind.PARENT_OF, parent, child, prov("ror", f"{parent}>{child}"))


def nodes() -> list[Node]:
    out = [
        org(ALPHA, "Alpha University", "DE", also=["Universität Alpha", "阿尔法大学"], acronyms=["AU"]),
        org(ALPHA_OA, "Alpha University", "DE", works_count=5000),
        org(ALPHA_PIC, "ALPHA UNIVERSITY", "DE", ids={"pic": "999999999"}),
        org("ror:0alphp001", "Alpha Academy", "DE"),
        org("ror:0alphc001", "Alpha Institute of Optics", "DE"),
        org("openalex:I200", "Kilo University", "FR"),
        org("openalex:I210", "Lima College", "FR"),
        org("openalex:I220", "Mike Institute", "GB"),
        org("openalex:I300", "Bravo Institute", "CN"),
        org("openalex:I400", "Delta Lab", "RU"),
        org("openalex:I900", "Hub University", "US"),
        org("openalex:I950", "Echo Institute", "IR"),
        org("cordis:pic:888888888", "CHARLIE WORKS", "BY"),
        org("ror:0charl001", "Charlie Works", "BY"),
        org("ror:0charc001", "Charlie Subsidiary", "BY"),
        org(GOLF, "Golf Polytechnic", "CN"),
        org("ror:0julie001", "Juliet University", "FR"),
        org("ror:0julie002", "Juliet University", "NL"),
        Node(
            "cordis:project:101",
            NodeKind.PROJECT,
            "SHARED",
            prov("cordis", "101"),
            {"acronym": "SHARED", "title": "Shared work"},
        ),
    ]
    out += [org(f"openalex:I91{i}", f"Spoke College {i}", "US") for i in range(7)]
    out += listed("ca_named_research_orgs", "1", "Alpha Academy", "DE", "advisory")
    out += listed("us_bis_entity_list", "7", "Bravo Institute", "CN", "legal_restriction")
    out += listed("eu_fsf", "3", "Charlie Subsidiary", "BY", "legal_restriction")
    out += listed("us_ndaa_1286", "4", "Delta Lab", "RU", "advisory")
    out += listed("us_ofac_sdn", "12", "Echo Institute", "IR", "legal_restriction")
    out += listed("us_bis_entity_list", "99", "Alpha University", "DE", "legal_restriction", delisted="2023-02-01")
    out += listed("us_ofac_sdn", "55", "Foxtrot Ltd", "DE", "legal_restriction")
    out += listed("us_bis_entity_list", "70", "Golf Polytechnic", "CN", "legal_restriction")
    out += listed("us_bis_entity_list", "80", "Alpha University of Technology", "CN", "legal_restriction")
    return out


def edges() -> list[Edge]:
    out = [
        same_as(ALPHA_OA, ALPHA, score=1.0),
        same_as(ALPHA_PIC, ALPHA),
        parent_of("ror:0alphp001", ALPHA),
        parent_of(ALPHA, "ror:0alphc001"),
        same_as("list:ca_named_research_orgs:1", "ror:0alphp001"),
        designated_on("ca_named_research_orgs", "1"),
        collab(ALPHA_OA, "openalex:I200", 2024, 12),
        collab(ALPHA_OA, "openalex:I200", 2025, 6),
        collab("openalex:I200", "openalex:I300", 2023, 4),
        same_as("list:us_bis_entity_list:7", "openalex:I300"),
        designated_on("us_bis_entity_list", "7"),
        participated(ALPHA_PIC, "cordis:project:101"),
        participated("cordis:pic:888888888", "cordis:project:101"),
        same_as("cordis:pic:888888888", "ror:0charl001"),
        parent_of("ror:0charl001", "ror:0charc001"),
        same_as("list:eu_fsf:3", "ror:0charc001"),
        designated_on("eu_fsf", "3"),
        collab(ALPHA_OA, "openalex:I210", 2025, 25),
        collab("openalex:I210", "openalex:I220", 2025, 20),
        collab("openalex:I220", "openalex:I400", 2024, 15),
        same_as("list:us_ndaa_1286:4", "openalex:I400"),
        designated_on("us_ndaa_1286", "4"),
        collab(ALPHA_OA, "openalex:I900", 2025, 30),
        collab("openalex:I900", "openalex:I950", 2025, 30),
        same_as("list:us_ofac_sdn:12", "openalex:I950"),
        designated_on("us_ofac_sdn", "12"),
        same_as("list:us_bis_entity_list:99", ALPHA),
        designated_on("us_bis_entity_list", "99", delisted="2023-02-01"),
        same_as("list:us_ofac_sdn:55", ALPHA, band="possible", score=0.71),
        designated_on("us_ofac_sdn", "55"),
        same_as("list:us_bis_entity_list:70", GOLF),
        designated_on("us_bis_entity_list", "70"),
        designated_on("us_bis_entity_list", "80"),
    ]
    out += [collab("openalex:I900", f"openalex:I91{i}", 2024, 1) for i in range(7)]
    return out


def load_world(store: GraphStore) -> GraphStore:
    assert not store.upsert_nodes(nodes()).rejected
    assert not store.upsert_edges(edges()).rejected
    return store
