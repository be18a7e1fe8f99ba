"""One alert run at a time: an exclusive, non-blocking fcntl lock on a file beside the store.

The lock is released by the kernel when the process ends, however it ends,
so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from graph.open import is_neo4j_uri
from graph.settings import Settings

__all__ = ["RunLocked", "lock_path", "run_lock"]


class RunLocked(RuntimeError):
    """Another alert run holds the lock."""


def lock_path(settings: Settings) -> Path:
    """``<store file>.alerts.lock`` for the embedded store; a file in the state dir for a Neo4j URI."""
    if is_neo4j_uri(settings.store):
        digest = hashlib.sha256(f"{settings.store}|{settings.neo4j_database}".encode()).hexdigest()[:12]
        return Path(settings.state_dir) / f"alerts-{digest}.lock"
    return Path(f"{settings.store}.alerts.lock")


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """Hold the alert-run lock at ``path`` or raise :class:`RunLocked` at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            raise RunLocked(f"another alert run is in progress ({holder}; lock {path}); this one did nothing") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
