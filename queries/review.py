"""The review queue: SAME_AS links an analyst should confirm or reject, with what helps decide.

Each row pairs a linker's SAME_AS edge (:func:`graph.resolve.linker.links_for_review`)
with both records' names, places, identifiers and sources, and the history
of judgements on the pair. Decisions are written by
:func:`graph.resolve.linker.judge` (stored apart from source data and applied
at read time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph.model import Node
from graph.resolve.judgements import Judgement, history
from graph.resolve.linker import links_for_review
from graph.store import GraphStore
from queries.evidence import Source, source_of

__all__ = ["Party", "ReviewRow", "review_queue"]


@dataclass(frozen=True, slots=True)
class Party:
    """One side of a link, as the analyst needs to see it."""

    id: str
    name: str
    other_names: tuple[str, ...]
    city: str | None
    country: str | None  # identification only
    ids: tuple[tuple[str, str], ...]
    listed: bool  # a list entry (an entity of concern as listed)
    source: Source


@dataclass(frozen=True, slots=True)
class ReviewRow:
    edge_id: str
    a: Party
    b: Party
    score: float
    band: str
    method: str
    explanation: str
    judgement: str | None  # the current decision: same | not_same | unsure | None
    holds: bool  # whether analysis follows the link now
    history: tuple[Judgement, ...]


def _party(n: Node) -> Party:
    p = n.props
    names = [str(x.get("value")) for x in p.get("names") or () if isinstance(x, Mapping) and x.get("value")]
    other = tuple(x for x in dict.fromkeys([*names, *(str(a) for a in p.get("aliases") or ())]) if x != n.name)
    raw = p.get("ids")
    ids: Mapping[str, object] = raw if isinstance(raw, Mapping) else {}
    city = p.get("city") or p.get("address")
    return Party(
        n.id,
        n.name,
        other[:8],
        str(city) if city else None,
        str(p["country"]) if isinstance(p.get("country"), str) else None,
        tuple(sorted((str(k), str(v)) for k, v in ids.items() if v)),
        bool(p.get("listed_entity")),
        source_of(n.provenance),
    )


def review_queue(
    store: GraphStore, *, band: str | None = "possible", judged: bool = False, limit: int = 200
) -> list[ReviewRow]:
    """Links to review, strongest first: by default possible links no analyst has judged yet."""
    items = [i for i in links_for_review(store, band=band) if judged or i.judgement is None][:limit]
    nodes = store.get_nodes({x for i in items for x in (i.edge.src, i.edge.dst)})
    rows = []
    for i in items:
        e = i.edge
        if e.src not in nodes or e.dst not in nodes:
            continue
        rows.append(
            ReviewRow(
                e.id,
                _party(nodes[e.src]),
                _party(nodes[e.dst]),
                float(e.props.get("score", 0.0)),
                str(e.props.get("band", "")),
                str(e.props.get("method", "")),
                str(e.props.get("explanation", "")),
                i.judgement,
                i.holds,
                tuple(history(store, e.src, e.dst)),
            )
        )
    return rows
