"""The three signals for screening: an annotator for :func:`queries.screen.screen`.

For each row decided ``match`` it runs the same questions as the report —
designations (:func:`queries.designations.designations`), ties
(:func:`queries.ties.find_ties`) and signals (:func:`queries.signals.signals`) —
and returns their levels and the strongest path in words. It receives only
the matched organisation's id: the row's country never reaches it.
"""

from __future__ import annotations

from collections.abc import Mapping

from graph.store import GraphStore
from queries.concern import ConcernIndex
from queries.designations import designations
from queries.equivalence import SameAsPolicy
from queries.lists import ListsView
from queries.screen import Annotator
from queries.signals import describe_tie, signals
from queries.ties import find_ties

__all__ = ["signals_annotator"]


def signals_annotator(*, lists: ListsView, concern: ConcernIndex, policy: SameAsPolicy, hops: int = 3) -> Annotator:
    """An annotator filling legal_restriction, advisory_listing, network_proximity and strongest_path."""

    def annotate(store: GraphStore, org_id: str) -> Mapping[str, str]:
        org = store.get_node(org_id)
        if org is None:
            return {}
        found = designations(store, org_id, policy)
        search = find_ties(store, org_id, max_hops=hops, lists=lists, concern=concern, policy=policy)
        s = signals(found, search.ties, org.name, max_hops=hops)
        return {
            "legal_restriction": s.legal_restriction.level.value,
            "advisory_listing": s.advisory_listing.level.value,
            "network_proximity": s.network_proximity.level.value,
            "strongest_path": describe_tie(search.ties[0]) if search.ties else "",
        }

    return annotate
