"""Store-facing resolution: SAME_AS links, name look-ups and effective links.

``link(store)`` resolves list entries and CORDIS participants against ROR
and OpenAlex organisations and writes SAME_AS edges (source ``resolve``)
in bands ``match`` and ``possible`` with score, method and explanation;
links it no longer finds are removed. ``lookup(store, text)`` answers
"check NAME" and screening. ``effective_links(store, node_id)`` is what
analysis follows: SAME_AS edges with judgements applied at read time
(``not_same`` hides a link, ``same`` adds or keeps one).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from graph.resolve.features import normalise_ids, profile_of
from graph.resolve.judgements import JudgedPolicy, Judgement, all_current, fingerprint, judged_policy, record
from graph.resolve.matcher import Candidate, Query, Resolver
from graph.resolve.score import MATCH, band_of
from graph.store import GraphStore

__all__ = [
    "DEFAULT_SOURCES",
    "DEFAULT_TARGETS",
    "RESOLVER_VERSION",
    "SOURCE",
    "Link",
    "LinkReport",
    "ReviewItem",
    "build_resolver",
    "decide_link",
    "effective_links",
    "judge",
    "link",
    "links_for_review",
    "lookup",
    "query_of",
]

log = logging.getLogger(__name__)

SOURCE = "resolve"
RESOLVER_VERSION = "resolve-1"
DEFAULT_SOURCES = ("list", "cordis")
DEFAULT_TARGETS = ("ror", "openalex")


def _prefix(node_id: str) -> str:
    return node_id.split(":", 1)[0]


def _clusters(edges: Iterable[Edge], policy: JudgedPolicy) -> dict[str, str]:
    """Node id → smallest id of its effective SAME_AS component (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    pairs = [(e.src, e.dst) for e in edges if policy.holds(e)]
    pairs += [(j.a, j.b) for j in policy.same_pairs()]
    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in list(parent)}


def build_resolver(store: GraphStore, *, targets: Sequence[str] | None = None) -> Resolver:
    """A resolver over the store's organisations (all, or those whose id prefix is in ``targets``)."""
    wanted = set(targets) if targets else None
    parents: dict[str, list[str]] = defaultdict(list)
    for e in store.iter_edges(kind=EdgeKind.PARENT_OF):
        parents[e.dst].append(e.src)
    profiles = [
        profile_of(n, parents.get(n.id, ()))
        for n in store.iter_nodes(kind=NodeKind.ORGANISATION)
        if wanted is None or _prefix(n.id) in wanted
    ]
    clusters = _clusters(store.iter_edges(kind=EdgeKind.SAME_AS), judged_policy(store))
    log.info("resolver over %d organisations (%d in SAME_AS clusters)", len(profiles), len(clusters))
    return Resolver(profiles, clusters=clusters)


_CACHE: dict[int, tuple[tuple[Any, ...], Resolver]] = {}


def _cached_resolver(store: GraphStore) -> Resolver:
    key = (store.version(), fingerprint(all_current(store)))
    hit = _CACHE.get(id(store))
    if hit is None or hit[0] != key:
        _CACHE.clear()
        _CACHE[id(store)] = (key, build_resolver(store))
    return _CACHE[id(store)][1]


def lookup(
    store: GraphStore,
    text: str,
    *,
    country: str | None = None,
    limit: int = 5,
    resolver: Resolver | None = None,
) -> list[Candidate]:
    """Organisations a name (or affiliation string, or ROR id) may denote, best first.

    Only the first candidate can be in band ``match``. The resolver is built
    once per store version and judgement state and reused; pass one to
    control it (screening does).
    """
    res = resolver or _cached_resolver(store)
    return res.resolve(Query(text=text, country=country), limit)


def query_of(node: Node) -> Query:
    """A resolution query from a record (list entry, CORDIS participant): all names, ids, country."""
    profile = profile_of(node)
    names = tuple(n.form.text for n in profile.names if n.form.text != node.name)
    ids = normalise_ids(node.id, node.props.get("ids") if isinstance(node.props.get("ids"), Mapping) else None)
    return Query(
        text=node.name, country=profile.country, names=names, ids=ids, exclude=frozenset({node.id}), strict=True
    )


@dataclass(frozen=True, slots=True)
class LinkReport:
    considered: int = 0
    match: int = 0
    possible: int = 0
    written: int = 0
    removed: int = 0


def _edge(src: str, c: Candidate, at: str) -> Edge:
    prov = Provenance(SOURCE, f"{src}|{c.id}", "", at, RESOLVER_VERSION)
    props = {"score": c.score, "method": c.method, "band": c.band, "explanation": c.explanation}
    return Edge(EdgeKind.SAME_AS, src, c.id, prov, props=props)


SUBUNIT_NOTE = "a sub-unit is named: the record is not this organisation itself (for review)"


def decide_link(candidates: Sequence[Candidate]) -> Candidate | None:
    """The link to store for a record: its match, else its best possible (for review), else none.

    Stricter than screening, because a designation linked to the wrong
    organisation stigmatises it: a record naming a sub-unit ("Academy of
    Military Medical Sciences, Institute of Toxicology") links to the parent
    only as ``possible``; acronym-only candidates are not stored as possible.
    """
    if not candidates or candidates[0].band == "none":
        return None
    best = candidates[0]
    if best.method == "subunit":
        score = min(best.score, MATCH - 0.01)
        return replace(best, score=score, band=band_of(score), explanation=f"{best.explanation}; {SUBUNIT_NOTE}")
    if best.band == "possible" and best.method == "acronym":
        return None
    return best


def link(
    store: GraphStore,
    *,
    sources: Sequence[str] = DEFAULT_SOURCES,
    targets: Sequence[str] = DEFAULT_TARGETS,
    at: str | None = None,
) -> LinkReport:
    """Create/update SAME_AS links from records of ``sources`` to organisations of ``targets``."""
    at = at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    resolver = build_resolver(store, targets=targets)
    wanted = set(sources)
    new: dict[str, Edge] = {}
    considered = 0
    for node in store.iter_nodes(kind=NodeKind.ORGANISATION):
        if _prefix(node.id) not in wanted:
            continue
        considered += 1
        chosen = decide_link(resolver.resolve(query_of(node), limit=3))
        if chosen is not None and chosen.band != "none":
            edge = _edge(node.id, chosen, at)
            new[edge.id] = edge
    for j in judged_policy(store).same_pairs():
        src, dst = (j.a, j.b) if _prefix(j.a) in wanted else (j.b, j.a)
        if not any(e.src == src and e.dst == dst for e in new.values()):
            c = Candidate(dst, "", None, None, 1.0, "match", "judgement", f"confirmed by {j.by} at {j.at}: {j.why}")
            new[_edge(src, c, at).id] = _edge(src, c, at)
    stale = [
        e.id
        for e in store.iter_edges(kind=EdgeKind.SAME_AS, source=SOURCE)
        if _prefix(e.src) in wanted and e.id not in new
    ]
    removed = store.remove_edges(stale) if stale else 0
    result = store.upsert_edges(new.values())
    bands = [e.props["band"] for e in new.values()]
    report = LinkReport(considered, bands.count("match"), bands.count("possible"), result.written, removed)
    log.info(
        "linked %d records: %d match, %d possible; %d edges written, %d stale removed",
        report.considered,
        report.match,
        report.possible,
        report.written,
        report.removed,
    )
    return report


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A stored SAME_AS link with its current judgement, for review."""

    edge: Edge
    judgement: str | None
    holds: bool


def links_for_review(store: GraphStore, *, band: str | None = None, source: str | None = SOURCE) -> list[ReviewItem]:
    """SAME_AS links (those written by the linker by default), optionally of one band, strongest first."""
    policy = judged_policy(store)
    items = [
        ReviewItem(e, policy.decision(e.src, e.dst), policy.holds(e))
        for e in store.iter_edges(kind=EdgeKind.SAME_AS, source=source)
        if band is None or e.props.get("band") == band
    ]
    return sorted(items, key=lambda i: (-float(i.edge.props.get("score", 0.0)), i.edge.id))


def judge(store: GraphStore, a: str, b: str, decision: str, *, by: str, why: str, at: str | None = None) -> Judgement:
    """Record an analyst's judgement on two stored organisations (both must exist)."""
    missing = [x for x in (a, b) if store.get_node(x) is None]
    if missing:
        raise ValueError(f"not in the store: {', '.join(missing)}")
    return record(store, a, b, decision, by=by, why=why, at=at)


@dataclass(frozen=True, slots=True)
class Link:
    """A SAME_AS link as analysis sees it, judgement applied."""

    other: str
    score: float
    band: str
    method: str
    explanation: str
    judgement: str | None  # same | not_same | unsure | None
    holds: bool


def effective_links(store: GraphStore, node_id: str, *, include_hidden: bool = False) -> list[Link]:
    """SAME_AS links of a node with judgements applied at read time.

    A link *holds* when it is in band ``match`` or judged ``same``, and is not
    judged ``not_same``. By default only holding links are returned; with
    ``include_hidden`` possible and rejected links come too (for review).
    A ``same`` judgement with no edge yet still yields a holding link.
    """
    policy = judged_policy(store)
    links: dict[str, Link] = {}
    for e in store.edges_of(node_id, kinds=[EdgeKind.SAME_AS]):
        other = e.dst if e.src == node_id else e.src
        link_ = Link(
            other,
            float(e.props.get("score", 0.0)),
            str(e.props.get("band", "")),
            str(e.props.get("method", "")),
            str(e.props.get("explanation", "")),
            policy.decision(e.src, e.dst),
            policy.holds(e),
        )
        if other not in links or link_.holds:
            links[other] = link_
    for j in policy.same_pairs():
        if node_id in (j.a, j.b):
            other = j.b if j.a == node_id else j.a
            if other not in links:
                links[other] = Link(other, 1.0, "match", "judgement", f"confirmed by {j.by}: {j.why}", "same", True)
    return sorted((lk for lk in links.values() if include_hidden or lk.holds), key=lambda lk: (-lk.score, lk.other))
