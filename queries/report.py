"""The due-diligence report: one frozen record assembled from the queries.

:func:`due_diligence` runs every question about one organisation (identity,
designations, ties, profile, signals, limits) and returns a
:class:`DueDiligenceReport`; :mod:`queries.render` turns it into Markdown,
HTML or JSON with the same content. Nothing is written here that is not read
from the store: each part carries the ids and provenance of its facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from graph.model import Node
from graph.store import GraphStore
from queries.concern import ConcernIndex, ConcernNeighbourhood, shared_concern_index
from queries.designations import Designations, Relative, designations
from queries.equivalence import SameAsPolicy, same_as_policy
from queries.evidence import EdgeEvidence, Source, source_of
from queries.limits import Limits, limits
from queries.lists import AllListsCount, ListsView
from queries.profile import Profile, collaboration_profile, project_participants
from queries.scoring import Scoring
from queries.signals import Signals, signals
from queries.ties import (
    DEFAULT_DEGREE_CAP,
    DEFAULT_MAX_EDGES,
    DEFAULT_MIN_STRENGTH,
    PathNode,
    Tie,
    TieSearch,
    find_ties,
)

__all__ = [
    "CheckQuery",
    "DueDiligenceReport",
    "Identity",
    "NameForm",
    "Record",
    "TiesSection",
    "due_diligence",
    "rsgraph_version",
]


def rsgraph_version() -> str:
    try:
        return version("rsgraph")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0+unknown"


@dataclass(frozen=True, slots=True)
class CheckQuery:
    """What was asked: the input as given and every parameter of the search."""

    input: str
    org_id: str
    hops: int = 3
    since: str | None = None
    degree_cap: int | None = DEFAULT_DEGREE_CAP
    min_strength: float = DEFAULT_MIN_STRENGTH
    country: str | None = None  # only narrowed name resolution
    max_edges: int | None = DEFAULT_MAX_EDGES


@dataclass(frozen=True, slots=True)
class NameForm:
    value: str
    lang: str | None
    types: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Record:
    """One source record of the organisation."""

    id: str
    name: str
    source: Source


@dataclass(frozen=True, slots=True)
class Identity:
    id: str
    name: str
    country: str | None  # shown for identification only; never used by a signal
    city: str | None
    types: tuple[str, ...]
    status: str | None
    established: int | None
    names: tuple[NameForm, ...]
    ids: tuple[tuple[str, str], ...]
    records: tuple[Record, ...]
    same_as: tuple[EdgeEvidence, ...]
    parents: tuple[Relative, ...]
    children: tuple[Relative, ...]


@dataclass(frozen=True, slots=True)
class TiesSection:
    ties: tuple[Tie, ...]
    pruned: tuple[PathNode, ...]
    seeds: tuple[str, ...]
    examined_nodes: int
    examined_edges: int
    as_of: str
    cutoff: float = 0.0  # > 0: longer ties weaker than this may be missing (edge budget spent)


@dataclass(frozen=True, slots=True)
class DueDiligenceReport:
    rsgraph_version: str
    store_version: int
    query: CheckQuery
    identity: Identity
    designations: Designations
    ties: TiesSection
    profile: Profile
    signals: Signals
    limits: Limits


def _names(nodes: list[Node]) -> tuple[NameForm, ...]:
    seen: dict[tuple[str, str | None], NameForm] = {}
    for n in nodes:
        for entry in n.props.get("names") or ():
            if isinstance(entry, Mapping) and entry.get("value"):
                key = (str(entry["value"]), entry.get("lang"))
                seen.setdefault(key, NameForm(key[0], key[1], tuple(str(t) for t in entry.get("types") or ())))
        for alias in (*(n.props.get("aliases") or ()), *(n.props.get("acronyms") or ())):
            seen.setdefault((str(alias), None), NameForm(str(alias), None, ("alias",)))
    return tuple(seen.values())


def _ids(nodes: list[Node]) -> tuple[tuple[str, str], ...]:
    out: dict[tuple[str, str], None] = {}
    for n in nodes:
        out[(n.id.split(":")[0], n.id)] = None
        for k, v in (n.props.get("ids") or {}).items():
            if isinstance(v, str | int) and v:
                out[(str(k), str(v))] = None
    return tuple(sorted(out))


def _identity(org: Node, records: list[Node], found: Designations) -> Identity:
    p = org.props
    established = p.get("established")
    return Identity(
        id=org.id,
        name=org.name,
        country=p.get("country") if isinstance(p.get("country"), str) else None,
        city=p.get("city") if isinstance(p.get("city"), str) else None,
        types=tuple(str(t) for t in p.get("types") or ()),
        status=p.get("status") if isinstance(p.get("status"), str) else None,
        established=established if isinstance(established, int) else None,
        names=_names([org, *records]),
        ids=_ids([org, *records]),
        records=tuple(Record(n.id, n.name, source_of(n.provenance)) for n in [org, *records]),
        same_as=found.same_as,
        parents=found.parents,
        children=found.children,
    )


def _search_notes(search: TieSearch) -> list[str]:
    notes = [
        f"Ties were searched up to {search.max_hops} hops"
        + (f", over edges dated from {search.since} on (undated edges included)" if search.since else "")
        + f"; ties weaker than {search.min_strength:g} are not searched.",
    ]
    if search.cutoff:
        notes.append(
            f"The search read its budget of edges ({search.examined_edges} examined); ties of two or more steps "
            f"weaker than {search.cutoff:.3f} may be missing."
        )
    if search.pruned:
        cap = search.degree_cap
        notes.append(
            f"{len(search.pruned)} hub(s) with more than {cap} edges were reached but not expanded: "
            "paths through them are not shown."
        )
    return notes


def due_diligence(
    store: GraphStore,
    query: CheckQuery,
    *,
    lists: ListsView | None = None,
    scoring: Scoring | None = None,
    concern: ConcernIndex | None = None,
    policy: SameAsPolicy | None = None,
    cache: ConcernNeighbourhood | None = None,
) -> DueDiligenceReport:
    """Everything ``rsgraph check`` reports about ``query.org_id``.

    For batches pass ``concern`` (and ``cache``) built once per store version.
    """
    org = store.get_node(query.org_id)
    if org is None:
        raise LookupError(f"no organisation {query.org_id!r} in the store")
    lists = lists or AllListsCount()
    scoring = scoring or Scoring()
    policy = policy or same_as_policy(store)
    concern = concern or shared_concern_index(store, lists, policy)
    found = designations(store, org.id, policy)
    search = find_ties(
        store,
        org.id,
        max_hops=query.hops,
        since=query.since,
        degree_cap=query.degree_cap,
        min_strength=query.min_strength,
        lists=lists,
        scoring=scoring,
        concern=concern,
        policy=policy,
        cache=cache,
        max_edges=query.max_edges,
        records=(org.id, *(r for r in found.records if r != org.id)),
    )
    participants = project_participants(store, search.seed_graph, search.seeds, query.since)
    records = [n for i, n in sorted(store.get_nodes(found.records).items()) if i != org.id]
    return DueDiligenceReport(
        rsgraph_version=rsgraph_version(),
        store_version=store.version(),
        query=query,
        identity=_identity(org, records, found),
        designations=found,
        ties=TiesSection(
            search.ties,
            search.pruned,
            search.seeds,
            search.examined_nodes,
            search.examined_edges,
            search.as_of,
            search.cutoff,
        ),
        profile=collaboration_profile(search.seed_graph, org.id, search.seeds, participants),
        signals=signals(found, search.ties, org.name, max_hops=query.hops, scoring=scoring),
        limits=limits(
            store, org, found.records, concern=concern, lists=lists, policy=policy, search_notes=_search_notes(search)
        ),
    )


def as_plain(value: Any) -> Any:
    """A report (or any part) as JSON-ready dicts, lists and scalars."""
    from dataclasses import fields, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_plain(getattr(value, f.name)) for f in fields(value) if f.name != "graph"}
    if isinstance(value, Mapping):
        return {str(k): as_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_plain(v) for v in value]
    return value
