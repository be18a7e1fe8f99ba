"""Pausing the cyclic collector: pauses nest, across threads, and the last one restores what the first found."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.memory import pause_gc, resume_gc
from tests.factories import org


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_nested_pauses_restore_the_collector_only_at_the_last_resume() -> None:
    gc.enable()
    pause_gc()
    pause_gc()
    assert not gc.isenabled()
    resume_gc()
    assert not gc.isenabled()
    resume_gc()
    assert gc.isenabled()


def test_a_collector_found_off_stays_off() -> None:
    gc.disable()
    pause_gc()
    resume_gc()
    assert not gc.isenabled()


def test_pauses_from_many_threads_leave_the_collector_on() -> None:
    gc.enable()
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        for _ in range(2000):
            pause_gc()
            resume_gc()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.isenabled()


def test_a_bulk_load_that_fails_still_gives_the_collector_back_and_stops_its_checkpointer(tmp_path: Path) -> None:
    gc.enable()
    store = EmbeddedStore(tmp_path / "g.db")
    with pytest.raises(RuntimeError), store.bulk():
        store.upsert_nodes([org("test:a")])
        assert not gc.isenabled()
        raise RuntimeError("the source went away")
    assert gc.isenabled()
    assert "rsgraph-checkpointer" not in [t.name for t in threading.enumerate()]
    assert store.get_node("test:a") is not None
    store.close()
