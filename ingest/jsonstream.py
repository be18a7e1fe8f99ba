"""Stream the records of a large JSON array (or JSON Lines) one at a time.

The ROR dump is one JSON array of ~120k records (~250 MB); CORDIS JSON
exports are arrays too. :func:`iter_json_records` reads the text in chunks
and decodes one element at a time with the C decoder, so memory stays flat
and a malformed element is reported (with its line) instead of losing the
whole file: after a bad element the reader resumes at the next line that
opens a record at the same indentation, which is how both the one-record-
per-line and the pretty-printed layouts place them. If no such line follows
but more records do (a single-line file), it raises ``ValueError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

__all__ = ["JsonRecord", "iter_json_records"]

_CHUNK = 1 << 20
_SLACK = 1 << 20  # an error this far before the buffer end is not a short read
_MAX_RECORD = 64 << 20
_WS = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()
_MORE_RECORDS = re.compile(r"\}\s*,\s*\{")


@dataclass(frozen=True, slots=True)
class JsonRecord:
    """One element: its value, or why it could not be read."""

    index: int  # 0-based position in the array
    line: int  # 1-based line where the element starts
    value: Any = None
    error: str | None = None


class _Reader:
    def __init__(self, stream: TextIO, chunk: int) -> None:
        self.stream, self.chunk = stream, chunk
        self.buf, self.pos, self.line, self.eof = "", 0, 1, False

    def fill(self) -> bool:
        """Read another chunk; False at end of input."""
        if self.eof:
            return False
        data = self.stream.read(self.chunk)
        if not data:
            self.eof = True
            return False
        # Keep the start of the current line: resync() needs its indentation.
        floor = max(0, self.pos - 4096)
        keep = self.buf.rfind("\n", floor, self.pos) + 1 or floor
        self.buf = self.buf[keep:] + data
        self.pos -= keep
        return True

    def advance(self, to: int) -> None:
        self.line += self.buf.count("\n", self.pos, to)
        self.pos = to

    def skip_ws(self) -> str:
        """The next non-blank character ('' at end of input), not consumed."""
        while True:
            match = _WS.match(self.buf, self.pos)
            end = match.end() if match else self.pos
            self.advance(end)
            if end < len(self.buf):
                return self.buf[end]
            if not self.fill():
                return ""

    def decode(self) -> tuple[Any, str | None]:
        """Decode the element at ``pos``: (value, None) or (None, error)."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                short_read = exc.pos + _SLACK >= len(self.buf) and len(self.buf) - self.pos < _MAX_RECORD
                if short_read and self.fill():
                    continue
                line = self.line + self.buf.count("\n", self.pos, exc.pos)
                return None, f"malformed JSON at line {line}: {exc.msg}"
            if end == len(self.buf) and self.fill():
                continue
            self.advance(end)
            return value, None

    def resync(self) -> bool:
        """Move to the next line opening a record at this record's indentation."""
        indent = self.buf[self.buf.rfind("\n", 0, self.pos) + 1 : self.pos]
        indent = "" if indent.strip() else indent
        pattern = re.compile("\n" + re.escape(indent) + r"\{")
        offset = 1  # where to search from, relative to pos (fill() re-bases the buffer)
        while True:
            match = pattern.search(self.buf, self.pos + offset)
            if match:
                self.advance(match.start() + 1 + len(indent))
                return True
            offset = max(1, len(self.buf) - self.pos - len(indent) - 1)
            if len(self.buf) - self.pos > _MAX_RECORD or not self.fill():
                break
        if _MORE_RECORDS.search(self.buf, self.pos + 1):
            raise ValueError(
                f"malformed JSON at line {self.line} and no later line starts a record: "
                "the rest of the input was not read"
            )
        self.advance(len(self.buf))
        return False


def iter_json_records(stream: TextIO, *, chunk: int = _CHUNK) -> Iterator[JsonRecord]:
    """Each element of a top-level JSON array, or each value of a JSON Lines text."""
    reader = _Reader(stream, chunk)
    first = reader.skip_ws()
    in_array = first == "["
    if in_array:
        reader.advance(reader.pos + 1)
    index = 0
    while True:
        c = reader.skip_ws()
        if c == "" or (in_array and c == "]"):
            return
        if in_array and c == ",":
            reader.advance(reader.pos + 1)
            continue
        line = reader.line
        value, error = reader.decode()
        yield JsonRecord(index, line, value, error)
        index += 1
        if error is not None and not reader.resync():
            return
