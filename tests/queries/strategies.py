"""Hypothesis strategies: small random graphs in the shapes ingest writes."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance

COUNTRIES = ["CN", "DE", "FR", "IR", "RU", "US", "GB", "BR"]
LISTS = [("us_bis_entity_list", "legal_restriction"), ("eu_fsf", "legal_restriction"), ("us_ndaa_1286", "advisory")]


def prov(source: str, sid: str) -> Provenance:
    return Provenance(source, sid, f"https://example.org/{sid}", "2026-11-01T00:00:00Z", "v1")


@dataclass(frozen=True)
class World:
    nodes: list[Node]
    edges: list[Edge]
    orgs: list[str]

    def with_countries(self, countries: dict[str, str]) -> World:
        """The same world with each organisation's country replaced."""
        nodes = [
            Node(n.id, n.kind, n.name, n.provenance, {**n.props, "country": countries[n.id]})
            if n.id in countries
            else n
            for n in self.nodes
        ]
        return World(nodes, self.edges, self.orgs)


def _org(i: int, country: str) -> Node:
    return Node(f"test:o{i}", NodeKind.ORGANISATION, f"Org {i}", prov("test", f"o{i}"), {"country": country})


@st.composite
def worlds(draw: st.DrawFn, max_orgs: int = 9) -> World:
    n = draw(st.integers(3, max_orgs))
    orgs = [_org(i, draw(st.sampled_from(COUNTRIES))) for i in range(n)]
    projects = [Node(f"test:p{j}", NodeKind.PROJECT, f"P{j}", prov("cordis", f"p{j}"), {}) for j in range(2)]
    funder = Node("test:f0", NodeKind.FUNDER, "Funder", prov("openalex", "f0"), {})
    nodes: list[Node] = [*orgs, *projects, funder]
    edges: dict[str, Edge] = {}
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    for a, b in draw(st.lists(pair, min_size=n, max_size=3 * n)):
        kinds = [EdgeKind.COLLABORATED_WITH] * 3 + [EdgeKind.PARENT_OF, EdgeKind.RELATED_TO, EdgeKind.SAME_AS]
        kind = draw(st.sampled_from(kinds))
        src, dst = (f"test:o{a}", f"test:o{b}")
        if kind is EdgeKind.SAME_AS:
            band = draw(st.sampled_from(["match", "possible"]))
            e = Edge(kind, src, dst, prov("resolve", f"{src}={dst}"), props={"band": band, "score": 0.9})
        elif kind is EdgeKind.COLLABORATED_WITH:
            src, dst = sorted((src, dst))
            year = str(draw(st.integers(2012, 2026)))
            props = {"count": draw(st.integers(1, 40)), "works": [f"W{a}{b}{year}"]}
            e = Edge(kind, src, dst, prov("openalex", f"{src}-{dst}-{year}"), year, year, year, props)
        else:
            e = Edge(kind, src, dst, prov("ror", f"{src}-{dst}"))
        edges[e.id] = e
    for a in draw(st.lists(st.integers(0, n - 1), max_size=2)):
        e = Edge(EdgeKind.FUNDED_BY, f"test:o{a}", "test:f0", prov("openalex", f"{a}-f0"), "2021", "2021", "2021")
        edges[e.id] = e
    for a, j in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 1)), max_size=n)):
        e = Edge(
            EdgeKind.PARTICIPATED_IN,
            f"test:o{a}",
            f"test:p{j}",
            prov("cordis", f"{a}-{j}"),
            "",
            "2020-01-01",
            "2023-12-31",
        )
        edges[e.id] = e
    for k, (a, (list_key, effect)) in enumerate(
        draw(st.lists(st.tuples(st.integers(1, n - 1), st.sampled_from(LISTS)), min_size=1, max_size=4))
    ):
        active = draw(st.booleans()) or k == 0
        entity = Node(
            f"list:{list_key}:{k}",
            NodeKind.ORGANISATION,
            f"Listed {k}",
            prov(list_key, str(k)),
            {"listed_entity": True},
        )
        designation = Node(
            f"designation:{list_key}:{k}",
            NodeKind.DESIGNATION,
            f"Listed {k} on {list_key}",
            prov(list_key, str(k)),
            {
                "list": list_key,
                "legal_effect": effect,
                "status": "active" if active else "delisted",
                "listed_on": "2020-01-01",
                "delisted_on": None if active else "2022-01-01",
            },
        )
        nodes += [entity, designation]
        band = draw(st.sampled_from(["match", "match", "possible"]))
        for e in (
            Edge(
                EdgeKind.SAME_AS, entity.id, f"test:o{a}", prov("resolve", f"{k}"), props={"band": band, "score": 0.9}
            ),
            Edge(
                EdgeKind.DESIGNATED_ON,
                entity.id,
                designation.id,
                prov(list_key, str(k)),
                "",
                "2020-01-01",
                None if active else "2022-01-01",
            ),
        ):
            edges[e.id] = e
    return World(nodes, list(edges.values()), [o.id for o in orgs])
