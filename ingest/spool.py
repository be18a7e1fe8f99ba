"""Edges parked until every node of a run is written.

An edge may point at a node later in the input, so :func:`ingest.pipeline.load`
holds edges back until the nodes are in. The most recent edges stay in
memory (up to ``memory_limit``); older ones are pickled to a temporary file
in chunks, as flat tuples (no per-edge JSON), so memory stays bounded
whatever the input size. :meth:`EdgeSpool.drain` gives the edges back in the
order they were added.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from graph.model import Edge, EdgeKind, Provenance

__all__ = ["EdgeSpool"]

CHUNK = 20_000
MEMORY_LIMIT = 80_000
_KINDS = {k.value: k for k in EdgeKind}

_Row = tuple[Any, ...]


def _row(edge: Edge) -> _Row:
    p = edge.provenance
    props = edge.props if type(edge.props) is dict else dict(edge.props)
    return (
        edge.kind.value,
        edge.src,
        edge.dst,
        edge.key,
        edge.start,
        edge.end,
        props,
        p.source,
        p.source_id,
        p.url,
        p.retrieved_at,
        p.dataset_version,
    )


def _edges(rows: list[_Row]) -> list[Edge]:
    return [
        Edge(_KINDS[kind], src, dst, Provenance(source, sid, url, at, version), key, start, end, props)
        for kind, src, dst, key, start, end, props, source, sid, url, at, version in rows
    ]


class EdgeSpool:
    """Edges in arrival order: the latest in memory, the rest pickled to a temporary file."""

    def __init__(self, *, chunk: int = CHUNK, memory_limit: int = MEMORY_LIMIT) -> None:
        self._chunk, self._limit = chunk, max(chunk, memory_limit)
        self._chunks: list[list[Edge]] = [[]]
        self._in_memory = 0
        self._file: IO[bytes] | None = None
        self.count = 0

    def add(self, edge: Edge) -> None:
        last = self._chunks[-1]
        last.append(edge)
        self.count += 1
        self._in_memory += 1
        if len(last) >= self._chunk:
            if self._in_memory > self._limit:
                self._spill()
            self._chunks.append([])

    def _spill(self) -> None:
        """Write the oldest chunk in memory to the file."""
        oldest = self._chunks.pop(0)
        if self._file is None:
            self._file = tempfile.TemporaryFile()
        pickle.dump([_row(e) for e in oldest], self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._in_memory -= len(oldest)

    def drain(self) -> Iterator[list[Edge]]:
        """Every edge, in the order added, in lists of at most ``chunk``; the spool is empty after."""
        if self._file is not None:
            self._file.seek(0)
            while True:
                try:
                    rows = pickle.load(self._file)
                except EOFError:
                    break
                yield _edges(rows)
            self._file.close()
            self._file = None
        chunks, self._chunks, self._in_memory = self._chunks, [[]], 0
        for chunk in chunks:
            if chunk:
                yield chunk

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._chunks, self._in_memory = [[]], 0
