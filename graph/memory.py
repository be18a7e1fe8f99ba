"""Process memory: pausing the cyclic garbage collector around large acyclic builds, and handing freed memory back."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused", "pause_gc", "release_freed_memory", "resume_gc"]

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


def pause_gc() -> None:
    """Turn the cyclic collector off until the matching :func:`resume_gc` (pauses nest, across threads too).

    For blocks that make very many acyclic objects (a bulk load's rows, a
    large subgraph's attribute dicts): reference counting frees them, and the
    collector would only walk them again and again as they pile up.
    """
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1


def resume_gc() -> None:
    """End one pause; the last one to end restores the collector as the first one found it."""
    global _pauses
    with _lock:
        _pauses -= 1
        if _pauses == 0 and _was_enabled:
            gc.enable()


@contextmanager
def gc_paused() -> Iterator[None]:
    """The block runs with the cyclic collector paused (see :func:`pause_gc`)."""
    pause_gc()
    try:
        yield
    finally:
        resume_gc()


def release_freed_memory() -> None:
    """Hand memory that a large load freed back to the system (glibc keeps it otherwise); no-op elsewhere."""
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    if trim is not None:
        trim(0)
