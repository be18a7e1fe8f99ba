"""Compute watched organisations' states in parallel worker processes (reads only).

Each worker opens its own store connection (``opener``, a picklable
callable such as ``functools.partial(open_store, settings)``) and builds its
own run context; states come back in watchlist order. Everything that
writes — recording alerts, storing states, delivering — stays in the
calling process, so crash safety does not depend on the workers.

The run context is large (every edge touching a designated entity) and lives
for the whole run, so it is moved out of the garbage collector's way
(``gc.freeze``) once built: otherwise every full collection rescans it, which
tripled the time of some organisations' states on the 1M-organisation graph.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from graph.store import GraphStore
from queries.alert_facts import OrgState
from queries.alert_state import StateContext, org_state, state_context
from queries.lists import ListsView
from queries.watchlist import WatchEntry

__all__ = ["Opener", "states"]

Opener = Callable[[], GraphStore]
Result = tuple[WatchEntry, OrgState | Exception]

_worker: tuple[GraphStore, StateContext] | None = None


def _init(opener: Opener, hops: int, lists: ListsView | None) -> None:
    global _worker
    store = opener()
    _worker = (store, state_context(store, hops=hops, lists=lists))
    gc.freeze()  # the worker's context lives as long as the worker


def _compute(store: GraphStore, ctx: StateContext, entry: WatchEntry) -> Result:
    try:
        return entry, org_state(store, entry.org_id, ctx, watched_since=entry.added_at)
    except Exception as exc:  # reported per organisation by the run
        return entry, exc


def _in_worker(entry: WatchEntry) -> Result:
    assert _worker is not None, "worker not initialised"
    return _compute(*_worker, entry)


@contextmanager
def states(
    entries: Sequence[WatchEntry],
    *,
    store: GraphStore,
    hops: int,
    lists: ListsView | None,
    workers: int = 1,
    opener: Opener | None = None,
) -> Iterator[Iterator[Result]]:
    """(entry, state or the exception that stopped it) for each entry, in order."""
    if workers <= 1 or opener is None or len(entries) < 2 * workers:
        ctx = state_context(store, hops=hops, lists=lists)
        gc.freeze()
        try:
            yield (_compute(store, ctx, e) for e in entries)
        finally:
            gc.unfreeze()  # the context becomes collectable again once the run is over
        return
    with multiprocessing.get_context("spawn").Pool(workers, _init, (opener, hops, lists)) as pool:
        yield pool.imap(_in_worker, entries, chunksize=4)
