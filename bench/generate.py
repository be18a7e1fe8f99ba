"""A deterministic generator of a realistic research-collaboration graph.

Degree is skewed: organisation ``i`` is picked as a collaboration endpoint
with weight ``1 / (i + 1) ** ALPHA``, so a few hub universities gather
thousands of partners while most have a handful. Edges are typed
(hierarchy, yearly co-authorship with counts, project participation,
designations, SAME_AS) and names come in several scripts. The same
``seed`` always gives the same records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance

__all__ = ["GraphSpec", "generate_edges", "generate_nodes", "org_id"]

ALPHA = 0.9
YEARS = tuple(str(y) for y in range(2014, 2026))
_SYLLABLES = ["an", "bel", "cor", "dan", "el", "fen", "gor", "har", "is", "jin", "kal", "lun", "mor", "nan", "or"]
_CJK = "京南北东西华中山海天科技工业航空大学院所"
_CYR = "абвгдежзиклмнопрстуфхцчшэюя"
_FORMS = [
    ("University of {x}", "en"),
    ("{x} Institute of Technology", "en"),
    ("{x} Research Centre", "en"),
    ("{c}大学", "zh"),
    ("Университет {r}", "ru"),
    ("جامعة {x}", "ar"),
]


@dataclass(frozen=True, slots=True)
class GraphSpec:
    orgs: int
    edges: int
    seed: int = 20261121

    @property
    def projects(self) -> int:
        return max(1, self.orgs // 20)


def org_id(i: int) -> str:
    return f"bench:o{i}"


def _prov(record: str) -> Provenance:
    return Provenance("bench", record, f"https://bench.invalid/{record}", "2026-11-01T00:00:00Z", "bench-1")


def _name(i: int) -> tuple[str, str]:
    x = "".join(_SYLLABLES[(i // 15**k) % 15] for k in range(3)).capitalize() + str(i)
    c = "".join(_CJK[(i // 20**k) % 20] for k in range(3)) + str(i)
    r = "".join(_CYR[(i // 27**k) % 27] for k in range(3)).capitalize() + str(i)
    form, lang = _FORMS[i % len(_FORMS)]
    return form.format(x=x, c=c, r=r), lang


def generate_nodes(spec: GraphSpec) -> Iterator[Node]:
    """Organisations, projects and designations, in a fixed order."""
    countries = ["DE", "FR", "CN", "US", "GB", "RU", "IR", "IN", "JP", "BR", "NL", "IT"]
    for i in range(spec.orgs):
        name, lang = _name(i)
        yield Node(
            org_id(i),
            NodeKind.ORGANISATION,
            name,
            _prov(f"o{i}"),
            {"country": countries[i % len(countries)], "names": [{"value": name, "lang": lang, "types": ["label"]}]},
        )
    for p in range(spec.projects):
        yield Node(f"bench:p{p}", NodeKind.PROJECT, f"Project {p}", _prov(f"p{p}"), {"acronym": f"P{p}"})
    for d in range(_designated(spec)):
        effect = "legal_restriction" if d % 2 else "advisory"
        props = {"list": "bench_list", "legal_effect": effect, "listed_on": "2020-06-05", "status": "active"}
        yield Node(f"bench:d{d}", NodeKind.DESIGNATION, f"Designation {d}", _prov(f"d{d}"), props)


def _designated(spec: GraphSpec) -> int:
    return max(1, spec.orgs // 500)


def generate_edges(spec: GraphSpec) -> Iterator[Edge]:
    """About ``spec.edges`` typed edges over the nodes of :func:`generate_nodes`."""
    rng = np.random.default_rng(spec.seed)
    n = spec.orgs
    weights = 1.0 / np.arange(1, n + 1) ** ALPHA
    weights /= weights.sum()
    hierarchy = n // 20
    designations = _designated(spec)
    participations = spec.edges // 10
    children = rng.choice(np.arange(n // 100 + 1, n), size=hierarchy, replace=False)
    parents = rng.integers(0, n // 100 + 1, size=hierarchy)
    for parent, child in zip(parents.tolist(), children.tolist(), strict=True):
        yield Edge(EdgeKind.PARENT_OF, org_id(parent), org_id(child), _prov(f"h{child}"))
    stride = max(1, n // designations)
    for d in range(designations):
        yield Edge(
            EdgeKind.DESIGNATED_ON, org_id((d * stride + 7) % n), f"bench:d{d}", _prov(f"dd{d}"), start="2020-06-05"
        )
    pairs = np.unique(
        rng.choice(n, size=participations, p=weights).astype(np.int64) * spec.projects
        + rng.integers(0, spec.projects, size=participations)
    )
    orgs, projects = pairs // spec.projects, pairs % spec.projects
    for o, p in zip(orgs.tolist(), projects.tolist(), strict=True):
        yield Edge(
            EdgeKind.PARTICIPATED_IN, org_id(o), f"bench:p{p}", _prov(f"pp{o}-{p}"), props={"role": "participant"}
        )
    yield from _collaborations(rng, weights, spec.edges - hierarchy - designations - len(pairs))


def _collaborations(rng: np.random.Generator, weights: np.ndarray, count: int) -> Iterator[Edge]:
    """Distinct (pair, year) co-authorship edges, deduplicated in numpy."""
    n = len(weights)
    size = int(count * 1.3) + 100
    a = rng.choice(n, size=size, p=weights)
    b = rng.integers(0, n, size=size)
    years = rng.integers(0, len(YEARS), size=size)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    code = (lo[keep].astype(np.int64) * n + hi[keep]) * len(YEARS) + years[keep]
    _, first = np.unique(code, return_index=True)
    chosen = np.sort(first)[:count]
    lo, hi, years = lo[keep][chosen], hi[keep][chosen], years[keep][chosen]
    counts = rng.geometric(0.5, size=len(chosen))
    for x, y, yr, c in zip(lo.tolist(), hi.tolist(), years.tolist(), counts.tolist(), strict=True):
        src, dst = sorted((org_id(x), org_id(y)))
        year = YEARS[yr]
        yield Edge(
            EdgeKind.COLLABORATED_WITH,
            src,
            dst,
            _prov(f"c{x}-{y}-{year}"),
            key=year,
            start=year,
            end=year,
            props={"count": c, "works": [f"W{x}{y}{year}"]},
        )
