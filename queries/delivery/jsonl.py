"""The JSON-lines file channel: one line per alert, each alert exactly once.

Before a digest is sent its file offset is recorded (``prepare``); sending
truncates the file to that offset and appends, then fsyncs. A digest
re-sent after a crash therefore replaces its own partial or complete lines
instead of adding a second copy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from queries.alert_digest import Digest, alert_payload, groups
from queries.delivery import Outcome

__all__ = ["FileChannel", "append_lines"]


def append_lines(path: Path, lines: list[dict[str, Any]], offset: int | None = None) -> None:
    """Append JSON lines durably, first cutting the file back to ``offset`` when given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
    try:
        if offset is not None and os.fstat(fd).st_size >= offset:  # smaller: rotated since; never pad
            os.ftruncate(fd, offset)
        os.lseek(fd, 0, os.SEEK_END)
        text = "".join(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n" for line in lines)
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


class FileChannel:
    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def name(self) -> str:
        return "file"

    def prepare(self) -> dict[str, Any]:
        return {"offset": self.path.stat().st_size if self.path.exists() else 0}

    def send(self, digest: Digest, prepared: Mapping[str, Any]) -> Outcome:
        lines = [{**alert_payload(a), "digest": digest.id} for g in groups(digest.alerts) for a in g.alerts]
        try:
            append_lines(self.path, lines, int(prepared.get("offset", 0)))
        except OSError as exc:
            return Outcome("failed", f"{self.path}: {exc}")
        return Outcome("delivered", f"{len(lines)} line(s) to {self.path}")
