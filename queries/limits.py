"""What the data cannot show, so that "no hit" is never read as "no risk".

Reports the lists held (entries, versions, dates), lists of concern that are
configured but not ingested, the ingest runs behind the store, which sources
hold no record of the organisation, SAME_AS links awaiting review, listed
entities with similar names that are not linked, and how the tie search was
bounded (hops, window, pruned hubs, strength floor).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from graph.model import EdgeKind, Node
from graph.store import GraphStore, SubgraphQuery
from graph.text import fold
from queries.concern import ConcernIndex, ListCoverage
from queries.equivalence import SameAsPolicy, edge_from_nx
from queries.lists import ListsView

__all__ = ["RUNS_NAMESPACE", "IngestRun", "Limits", "LookAlike", "MissingList", "limits"]

RUNS_NAMESPACE = "ingest_runs"  # written by ingest.pipeline (a test keeps the two equal)
RESEARCH_SOURCES = {
    "ror": "ROR (identity, hierarchy)",
    "openalex": "OpenAlex (co-authorship)",
    "cordis": "CORDIS (EU projects)",
}
LOOK_ALIKE_SCORE = 85


@dataclass(frozen=True, slots=True)
class MissingList:
    key: str
    name: str
    legal_effect: str


@dataclass(frozen=True, slots=True)
class IngestRun:
    source: str
    dataset_version: str
    location: str
    started_at: str
    read: int
    written: int
    rejected: int
    failed: str | None


@dataclass(frozen=True, slots=True)
class LookAlike:
    """A record that may be this organisation but is not (yet) linked to it."""

    id: str
    name: str
    reason: str
    edge_id: str | None  # the possible SAME_AS link, when there is one


@dataclass(frozen=True, slots=True)
class Limits:
    lists: tuple[ListCoverage, ...]
    missing_lists: tuple[MissingList, ...]
    runs: tuple[IngestRun, ...]
    missing_sources: tuple[str, ...]  # research sources with no record of the organisation
    look_alikes: tuple[LookAlike, ...]
    notes: tuple[str, ...]


def _runs(store: GraphStore) -> list[IngestRun]:
    out = []
    for _key, r in store.iter_docs(RUNS_NAMESPACE):
        out.append(
            IngestRun(
                str(r.get("source", "")),
                str(r.get("dataset_version", "")),
                str(r.get("location", "")),
                str(r.get("started_at", "")),
                int(r.get("read", 0)),
                int(r.get("written", 0)),
                int(r.get("rejected", 0)),
                r.get("failed"),
            )
        )
    return out


def _possible_links(store: GraphStore, records: Sequence[str], policy: SameAsPolicy) -> list[LookAlike]:
    g = store.subgraph(SubgraphQuery(tuple(records), hops=1, edge_kinds=frozenset({EdgeKind.SAME_AS})))
    out = []
    for u, v, data in sorted(g.edges(data=True), key=lambda t: (t[0], t[1])):
        e = edge_from_nx(u, v, data)
        if policy.holds(e):
            continue
        other = v if u in records else u
        band, score = e.props.get("band", "?"), e.props.get("score", "?")
        decision = getattr(policy, "decision", lambda _a, _b: None)(u, v)
        if decision == "not_same":
            reason = f"judged not the same organisation by an analyst (link band {band}, score {score})"
        else:
            reason = f"possible SAME_AS link awaiting review (band {band}, score {score})"
        out.append(LookAlike(other, str(g.nodes[other].get("name", other)), reason, e.id))
    return out


def _similar_listed(names: Sequence[str], concern: ConcernIndex, skip: set[str]) -> list[LookAlike]:
    """Listed entities not linked to the organisation whose name is close to one of its names."""
    listed = concern.names
    choices = [(entity, name) for entity, name in concern.folded if entity not in skip]
    best: dict[str, float] = {}
    for name in names[:5]:
        for _text, score, i in process.extract(
            fold(name), [c for _e, c in choices], scorer=fuzz.token_set_ratio, score_cutoff=LOOK_ALIKE_SCORE, limit=50
        ):
            entity = choices[i][0]
            best[entity] = max(best.get(entity, 0.0), score)
    why = "listed entity with a similar name (similarity {:.0f}/100), not linked to this organisation"
    return [LookAlike(e, listed[e][0], why.format(s), None) for e, s in sorted(best.items())]


def limits(
    store: GraphStore,
    org: Node,
    records: Sequence[str],
    *,
    concern: ConcernIndex,
    lists: ListsView,
    policy: SameAsPolicy,
    search_notes: Sequence[str] = (),
) -> Limits:
    """What the data behind a check can and cannot show."""
    coverage = tuple(concern.coverage.values())
    held = set(concern.coverage)
    missing = [
        MissingList(k, info.name, info.legal_effect)
        for k, info in sorted(lists.lists.items())
        if info.of_concern and k not in held
    ]
    sources = {r.split(":")[0] for r in records}
    missing_sources = tuple(label for src, label in RESEARCH_SOURCES.items() if src not in sources)
    possible = _possible_links(store, records, policy)
    names = [
        org.name,
        *(str(x.get("value")) for x in org.props.get("names") or () if isinstance(x, dict) and x.get("value")),
    ]
    similar = _similar_listed(list(dict.fromkeys(names)), concern, set(records) | {p.id for p in possible})
    notes = list(search_notes)
    if not coverage:
        notes.append("No list of entities of concern is held in this store: no designation can be found.")
    if missing:
        notes.append(
            f"{len(missing)} configured list(s) of concern are not ingested; a designation there cannot be seen."
        )
    for label in missing_sources:
        notes.append(f"No {label} record is linked to this organisation; ties through that source cannot be seen.")
    return Limits(
        coverage, tuple(missing), tuple(_runs(store)), missing_sources, tuple(possible + similar), tuple(notes)
    )
