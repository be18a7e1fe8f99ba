"""Identifier links from OpenAlex nodes to ROR organisations and CORDIS projects.

Why a post-step and not edges in the mapped stream: a SAME_AS edge to a node
that is not in the store is rejected ("unknown node"), so emitting it while
mapping would either quarantine a valid fact whenever ROR or CORDIS is loaded
*after* OpenAlex, or make the result depend on ingest order. Instead the
mapper keeps the identifier on the node (``ids.ror``; an Award's
``cordis_project_id``) and :func:`link_identifiers` writes SAME_AS only where
the target exists. It is idempotent (the edge is a function of the node, not
of the run) and runs at the end of every OpenAlex ingest; run it again after
loading ROR or CORDIS (``rsgraph ingest openalex --link``) to add the links
that became possible. Targets still missing are counted, never quarantined.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.batching import batches
from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from graph.store import GraphStore
from ingest.openalex_map import SOURCE, ror_short

__all__ = ["LinkReport", "link_identifiers", "same_as_claims"]

_BATCH = 2000


@dataclass(slots=True)
class LinkReport:
    linked: int = 0  # SAME_AS edges present after the run (written or unchanged)
    written: int = 0
    missing_ror: int = 0  # claims whose ror:… node is not in the store
    missing_cordis: int = 0

    def note(self) -> str:
        return (
            f"identifier links: {self.linked:,} SAME_AS ({self.written:,} new or changed); "
            f"targets not in the store: {self.missing_ror:,} ROR, {self.missing_cordis:,} CORDIS project"
        )


def same_as_claims(node: Node) -> list[tuple[str, str]]:
    """(target node id, explanation) for each identifier link a node asserts."""
    claims: list[tuple[str, str]] = []
    ror = ror_short((node.props.get("ids") or {}).get("ror"))
    if ror and node.kind in (NodeKind.ORGANISATION, NodeKind.FUNDER):
        claims.append((f"ror:{ror}", f"OpenAlex record carries ROR id {ror}"))
    project = node.props.get("cordis_project_id")
    if project and node.kind is NodeKind.AWARD:
        funder = node.props.get("funder_name") or "the European Commission"
        award = node.props.get("funder_award_id")
        why = f"OpenAlex award {award} from {funder} equals CORDIS project id {project}"
        claims.append((f"cordis:project:{project}", why))
    return claims


def _edge(node: Node, target: str, explanation: str) -> Edge:
    p = node.provenance
    prov = Provenance(SOURCE, p.source_id, p.url, p.retrieved_at, p.dataset_version)
    props = {"score": 1.0, "method": "identifier", "band": "match", "explanation": explanation}
    return Edge(EdgeKind.SAME_AS, node.id, target, prov, props=props)


def link_identifiers(store: GraphStore) -> LinkReport:
    """Write SAME_AS from OpenAlex nodes to the ROR / CORDIS nodes their identifiers name, where present."""
    report = LinkReport()
    for chunk in batches(store.iter_nodes(source=SOURCE), _BATCH):
        claims = [(node, target, why) for node in chunk for target, why in same_as_claims(node)]
        present = store.get_nodes({target for _n, target, _w in claims})
        edges = [_edge(node, target, why) for node, target, why in claims if target in present]
        for _node, target, _why in claims:
            if target not in present:
                if target.startswith("ror:"):
                    report.missing_ror += 1
                else:
                    report.missing_cordis += 1
        if edges:
            result = store.upsert_edges(edges)
            report.written += result.written
            report.linked += result.written + result.unchanged
    return report
