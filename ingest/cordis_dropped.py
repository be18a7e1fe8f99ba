"""Participations a newer CORDIS release no longer lists: found and removed after a load.

A release lists every participant of each of its projects, so a stored
PARTICIPATED_IN edge of a project the new files list participants for, but
not this one, was dropped by the Commission (a correction, a withdrawn
partner). Only projects the files vouch for are touched: one with a
quarantined participation row keeps its stored edges, and a file with a row
that could not be read at all removes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.model import Edge, EdgeKind
from graph.store import GraphStore

__all__ = ["Participations", "remove_dropped"]


@dataclass(slots=True)
class Participations:
    """What the organisations file says, filled while its rows stream past."""

    by_project: dict[str, set[str]] = field(default_factory=dict)  # project id → participation edge ids
    unsure: set[str] = field(default_factory=set)  # projects with a quarantined participation row
    unreadable: bool = False  # a row that could not be read at all: nothing is removed

    def listed(self, edge: Edge) -> None:
        self.by_project.setdefault(edge.dst, set()).add(edge.id)

    def dropped(self, edge: Edge) -> bool:
        """Whether a stored participation is one the files no longer list."""
        listed = self.by_project.get(edge.dst)
        return listed is not None and edge.dst not in self.unsure and edge.id not in listed


def remove_dropped(store: GraphStore, seen: Participations, source: str) -> int:
    """Remove the stored participations of ``source`` that ``seen`` shows were dropped; how many."""
    if seen.unreadable or not seen.by_project:
        return 0
    stale = [e.id for e in store.iter_edges(kind=EdgeKind.PARTICIPATED_IN, source=source) if seen.dropped(e)]
    return store.remove_edges(stale) if stale else 0
