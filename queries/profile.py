"""Collaboration profile: top partners, works per year, shared CORDIS projects."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.model import EdgeKind
from graph.store import GraphStore, SubgraphQuery
from queries.equivalence import equivalents, same_as_policy
from queries.evidence import Source

__all__ = [
    "MAX_PROJECTS",
    "Partner",
    "Profile",
    "SharedProject",
    "YearCount",
    "collaboration_profile",
    "profile",
    "project_participants",
]

_COLLAB = EdgeKind.COLLABORATED_WITH.value
_PART = EdgeKind.PARTICIPATED_IN.value
MAX_PROJECTS = 100  # projects whose participants are read, most recent first


@dataclass(frozen=True, slots=True)
class Partner:
    id: str
    name: str
    works: int  # co-authored works (summed over years); shared projects for project partners
    first: str | None
    last: str | None


@dataclass(frozen=True, slots=True)
class YearCount:
    year: str
    works: int
    partners: int


@dataclass(frozen=True, slots=True)
class SharedProject:
    id: str
    acronym: str
    title: str
    start: str | None
    end: str | None
    role: str
    participants: int | None  # None: not counted (only the most recent projects are)
    source: Source


@dataclass(frozen=True, slots=True)
class Profile:
    org_id: str
    partners: int
    works: int
    top_partners: tuple[Partner, ...]
    per_year: tuple[YearCount, ...]
    projects: tuple[SharedProject, ...]
    project_partners: tuple[Partner, ...]  # organisations sharing most projects
    projects_not_counted: int = 0  # projects whose participants were not read (beyond MAX_PROJECTS)


def _other(u: str, v: str, seeds: set[str]) -> str:
    return v if u in seeds else u


def _partners(g: nx.MultiDiGraph, seeds: set[str], top: int) -> tuple[list[Partner], list[YearCount], int]:
    works: Counter[str] = Counter()
    years: dict[str, set[str]] = defaultdict(set)
    per_year: Counter[str] = Counter()
    year_partners: dict[str, set[str]] = defaultdict(set)
    for u, v, d in g.edges(data=True):
        if d["kind"] != _COLLAB or not ({u, v} & seeds) or {u, v} <= seeds:
            continue
        other, n, year = _other(u, v, seeds), int((d.get("props") or {}).get("count", 1)), (d.get("start") or "")[:4]
        works[other] += n
        if year:
            years[other].add(year)
            per_year[year] += n
            year_partners[year].add(other)
    ranked = sorted(works, key=lambda p: (-works[p], p))[:top]
    partners = [
        Partner(p, str(g.nodes[p].get("name", p)), works[p], min(years[p], default=None), max(years[p], default=None))
        for p in ranked
    ]
    trend = [YearCount(y, per_year[y], len(year_partners[y])) for y in sorted(per_year)]
    return partners, trend, len(works)


def _own_projects(g: nx.MultiDiGraph, seeds: set[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """The seeds' PARTICIPATED_IN edges ``(seed, project, data)``, by project then seed."""
    own = [(u, p, d) for u, p, d in g.edges(data=True) if d["kind"] == _PART and u in seeds]
    return sorted(own, key=lambda t: (t[1], t[0]))


def _shared(own: list[tuple[str, str, dict[str, Any]]], members: nx.MultiDiGraph, seeds: set[str]) -> Counter[str]:
    """Per other organisation: how many of the seeds' counted projects (those in ``members``) it takes part in."""
    shared: Counter[str] = Counter()
    for _u, p, _d in own:
        if p in members:
            shared.update({x for x, _p, dd in members.in_edges(p, data=True) if dd["kind"] == _PART and x not in seeds})
    return shared


def _ranked(shared: Counter[str], top: int) -> list[str]:
    return sorted(shared, key=lambda x: (-shared[x], x))[:top]


def _projects(
    g: nx.MultiDiGraph, members: nx.MultiDiGraph, seeds: set[str], top: int
) -> tuple[list[SharedProject], list[Partner]]:
    projects: list[SharedProject] = []
    own = _own_projects(g, seeds)
    for _u, p, d in own:
        counted = p in members
        others = (
            {x for x, _p, dd in members.in_edges(p, data=True) if dd["kind"] == _PART and x not in seeds}
            if counted
            else set()
        )
        props, prov = g.nodes[p].get("props") or {}, g.nodes[p]["provenance"]
        projects.append(
            SharedProject(
                p,
                str(props.get("acronym") or g.nodes[p].get("name", p)),
                str(props.get("title") or ""),
                d.get("start"),
                d.get("end"),
                str((d.get("props") or {}).get("role") or ""),
                len(others) + 1 if counted else None,
                Source(prov["source"], prov["source_id"], prov["url"], prov["dataset_version"], prov["retrieved_at"]),
            )
        )
    shared = _shared(own, members, seeds)
    partners = [Partner(x, str(members.nodes[x].get("name", x)), shared[x], None, None) for x in _ranked(shared, top)]
    return projects, partners


def collaboration_profile(
    g: nx.MultiDiGraph, org_id: str, seeds: Sequence[str], participants: nx.MultiDiGraph | None = None, *, top: int = 10
) -> Profile:
    """The profile read from the seeds' own edges and (optionally) their projects' participants."""
    members = set(seeds)
    partners, trend, count = _partners(g, members, top)
    projects, project_partners = _projects(g, participants if participants is not None else g, members, top)
    return Profile(
        org_id,
        count,
        sum(y.works for y in trend),
        tuple(partners),
        tuple(trend),
        tuple(projects),
        tuple(project_partners),
        sum(1 for p in projects if p.participants is None),
    )


def profile(store: GraphStore, org_id: str, *, since: str | None = None, top: int = 10) -> Profile:
    """Top partners, works per year and shared CORDIS projects of ``org_id`` and its equivalent records."""
    seeds = equivalents(store, org_id, same_as_policy(store)).members
    kinds = frozenset({EdgeKind.COLLABORATED_WITH, EdgeKind.PARTICIPATED_IN})
    g = store.subgraph(SubgraphQuery(seeds, hops=1, edge_kinds=kinds, since=since))
    return collaboration_profile(g, org_id, seeds, project_participants(store, g, seeds, since, top=top), top=top)


def project_participants(
    store: GraphStore,
    g: nx.MultiDiGraph,
    seeds: Sequence[str],
    since: str | None,
    *,
    limit: int = MAX_PROJECTS,
    top: int = 10,
) -> nx.MultiDiGraph:
    """Every participant of the seeds' ``limit`` most recent projects (the others are not counted).

    Read as ids and kinds only; the ``top`` organisations sharing most projects also get their names.
    """
    own = set(seeds)
    edges = _own_projects(g, own)
    ends: dict[str, str] = {}
    for _u, p, d in edges:  # a project several seeds take part in: its latest date
        ends[p] = max(ends.get(p, ""), d.get("end") or d.get("start") or "")
    recent = sorted(ends, key=lambda p: (ends[p], p), reverse=True)[:limit]
    if not recent:
        return nx.MultiDiGraph()
    kinds = frozenset({EdgeKind.PARTICIPATED_IN})
    query = SubgraphQuery(tuple(sorted(recent)), hops=1, edge_kinds=kinds, since=since, attributes=False)
    members = store.subgraph(query)
    for node in store.get_nodes(_ranked(_shared(edges, members, own), top)).values():
        members.nodes[node.id]["name"] = node.name
    return members
