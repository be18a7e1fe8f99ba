"""Copying a bulk load's committed WAL frames into the store file from a second connection, beside the load.

In WAL mode every page a load writes goes first to the ``-wal`` file and is
later copied into the database file by a checkpoint. Left to the loading
connection, that copy (about a gigabyte in a 5M-edge load) runs inside its
commits, on the same core as the load's Python work. While a bulk load runs,
the store turns the loader's automatic checkpoints off and this thread runs
``PRAGMA wal_checkpoint(PASSIVE)`` every fraction of a second on its own
connection: SQLite copies whatever is committed without waiting for, or
blocking, the writer, and releases the GIL while it does. A checkpoint is
crash-safe; if one fails, the thread stops and the store's own checkpoint at
the end of the load does the rest (and reports any real error).
"""

from __future__ import annotations

import logging
import sqlite3
import threading

__all__ = ["Checkpointer"]

log = logging.getLogger(__name__)


class Checkpointer:
    """A daemon thread checkpointing ``path`` every ``interval`` seconds until :meth:`stop`."""

    def __init__(self, path: str, interval: float = 0.3) -> None:
        self.path = path
        self.interval = interval
        self.runs = 0  # checkpoints that ran (for tests and benchmarks)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rsgraph-checkpointer", daemon=True)

    def start(self) -> Checkpointer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60)
        except sqlite3.Error as exc:
            log.debug("background checkpoints off: %s", exc)
            return
        try:
            while not self._stop.wait(self.interval):
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                self.runs += 1
        except sqlite3.Error as exc:
            log.debug("background checkpoints stopped: %s", exc)
        finally:
            conn.close()
