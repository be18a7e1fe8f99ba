"""Compute the state of a watched organisation from the store.

The state is filled from the due-diligence queries, never recomputed here:
:func:`queries.designations.designations` (the organisation, its equivalent
records, parents and children), :func:`queries.ties.find_ties` (paths of at
most k hops to designated entities, hubs pruned, weak ties below the
queries' ``min_strength`` not searched; the last hop of every search read
from one :class:`queries.concern.ConcernNeighbourhood` built per run) and
the SAME_AS edges of its records
with analysts' judgements applied (:mod:`graph.resolve.judgements`). Ties
to an entity that is already a direct designation (of the organisation, a
parent or a child) are left to the designation facts, so one event gives one
alert. Nothing about any country is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graph.model import Edge, EdgeKind, Node
from graph.resolve.judgements import JudgedPolicy, judged_policy
from graph.store import GraphStore
from queries.alert_facts import DesignationFact, OrgState, Record, SameAsFact, StepFact, TieFact
from queries.concern import ConcernIndex, ConcernNeighbourhood, concern_index, concern_neighbourhood
from queries.designations import Designated, designations
from queries.equivalence import SameAsPolicy, same_as_policy
from queries.evidence import EdgeEvidence, Source, source_of
from queries.lists import AllListsCount, ListsView
from queries.signals import describe_step
from queries.ties import DEFAULT_DEGREE_CAP, TIE_KINDS, Tie, check_hops, find_ties

__all__ = ["StateContext", "org_state", "state_context"]


@dataclass(frozen=True, slots=True)
class StateContext:
    """What one alert run computes once and every organisation shares."""

    hops: int
    lists: ListsView
    policy: SameAsPolicy
    judged: JudgedPolicy
    concern: ConcernIndex
    near: ConcernNeighbourhood  # every edge touching a designated entity: the last hop of every search
    degree_cap: int | None


def state_context(
    store: GraphStore, *, hops: int, lists: ListsView | None = None, degree_cap: int | None = DEFAULT_DEGREE_CAP
) -> StateContext:
    check_hops(hops)
    lists = lists or AllListsCount()
    policy = same_as_policy(store)
    concern = concern_index(store, lists, policy)
    near = concern_neighbourhood(store, concern, TIE_KINDS)
    return StateContext(hops, lists, policy, judged_policy(store), concern, near, degree_cap)


def _record(record_id: str, kind: str, src: Source) -> Record:
    return Record(record_id, kind, src.source, src.dataset_version, src.url)


def _edge_record(e: EdgeEvidence) -> Record:
    return _record(e.edge_id, e.kind, e.source)


def _designation(d: Designated) -> DesignationFact:
    e = d.entry
    return DesignationFact(
        designation_id=e.designation_id,
        entity_id=e.entity_id,
        holder=d.holder,
        holder_name=d.holder_name,
        relation=d.relation,
        list_key=e.list_key,
        list_name=e.list_name,
        programme=e.programme,
        authority=e.authority,
        legal_effect=e.legal_effect,
        listed_on=e.listed_on,
        delisted_on=e.delisted_on,
        active=e.active,
        source_url=e.source_url,
        records=(_record(e.designation_id, "Designation", e.source), *(_edge_record(v) for v in d.via)),
    )


def _works_by_year(tie: Tie) -> tuple[tuple[str, int], ...]:
    """Co-authored works per year when the tie is direct co-authorship with the designated entity."""
    organisational = [s for s in tie.steps if s.kind != "SAME_AS"]
    if len(organisational) != 1 or organisational[0].kind != "COLLABORATED_WITH":
        return ()
    years: dict[str, int] = {}
    for e in organisational[0].evidence:
        year = (e.start or "")[:4] or "undated"
        years[year] = years.get(year, 0) + (e.count or 0)
    return tuple(sorted(years.items()))


def _tie(tie: Tie) -> TieFact:
    names = {n.id: n.name for n in tie.nodes}
    steps = tuple(
        StepFact(s.src, s.dst, s.kind, tuple(e.edge_id for e in s.evidence), describe_step(s, names)) for s in tie.steps
    )
    records = [_edge_record(e) for s in tie.steps for e in s.evidence]
    records += [_record(x.designation_id, "Designation", x.source) for x in tie.listings]
    return TieFact(
        target=tie.target,
        target_name=tie.target_name,
        strength=round(tie.strength, 6),
        level=tie.level.value,
        hops=tie.hops,
        nodes=tuple((n.id, n.name) for n in tie.nodes),
        steps=steps,
        listings=tuple(x.designation_id for x in tie.listings),
        legal_effects=tuple(sorted({x.legal_effect for x in tie.listings})),
        works_by_year=_works_by_year(tie),
        records=tuple({r.id: r for r in records}.values()),
    )


def _is_listed(node: Node) -> bool:
    return bool(node.props.get("listed_entity")) or node.id.startswith("list:")


def _link(member: str, e: Edge, other: Node, judged: JudgedPolicy) -> SameAsFact:
    score = e.props.get("score")
    return SameAsFact(
        edge_id=e.id,
        member=member,
        listed=other.id,
        listed_name=other.name,
        band=str(e.props.get("band") or ""),
        score=float(score) if isinstance(score, int | float) else None,
        method=str(e.props.get("method") or ""),
        explanation=str(e.props.get("explanation") or ""),
        judgement=judged.decision(e.src, e.dst),
        holds=judged.holds(e),
        records=(
            _record(e.id, "SAME_AS", source_of(e.provenance)),
            _record(other.id, "Organisation", source_of(other.provenance)),
        ),
    )


def _same_as_links(store: GraphStore, members: Iterable[str], judged: JudgedPolicy) -> list[SameAsFact]:
    """SAME_AS links (match or possible, not judged ``not_same``) from the organisation's records to listed entities."""
    found: list[tuple[str, Edge, str]] = []
    for member in members:
        for e in store.edges_of(member, kinds=[EdgeKind.SAME_AS]):
            other = e.dst if e.src == member else e.src
            if other != member and judged.decision(e.src, e.dst) != "not_same":
                found.append((member, e, other))
    nodes = store.get_nodes({other for _m, _e, other in found})
    links = {e.id: _link(m, e, nodes[o], judged) for m, e, o in found if o in nodes and _is_listed(nodes[o])}
    return sorted(links.values(), key=lambda x: x.edge_id)


def _name(store: GraphStore, org_id: str) -> str:
    node = store.get_node(org_id)
    return node.name if node else org_id


def org_state(store: GraphStore, org_id: str, ctx: StateContext, *, watched_since: str) -> OrgState:
    """The facts alerts compare for one watched organisation."""
    found = designations(store, org_id, ctx.policy)
    facts: Sequence[DesignationFact] = [_designation(d) for d in (*found.active, *found.history)]
    direct = {d.entity_id for d in facts}
    search = find_ties(
        store,
        org_id,
        max_hops=ctx.hops,
        degree_cap=ctx.degree_cap,
        lists=ctx.lists,
        concern=ctx.concern,
        policy=ctx.policy,
        cache=ctx.near,
    )
    ties = [_tie(t) for t in search.ties if t.target not in direct]
    return OrgState(
        org_id=org_id,
        name=_name(store, org_id),
        hops=ctx.hops,
        watched_since=watched_since,
        designations={d.key: d for d in facts},
        ties={t.target: t for t in ties},
        same_as={s.edge_id: s for s in _same_as_links(store, found.records, ctx.judged)},
    )
