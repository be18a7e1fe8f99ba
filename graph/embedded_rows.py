"""Pure preparation of embedded-store rows from records (no I/O).

Nodes and edges are keyed by a 64-bit hash of their stable id, so an
edge's endpoint keys are computed without lookups. Row lists end with a
version slot that the writer fills in inside its transaction.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import orjson

from graph.canonical import has_float
from graph.errors import RecordRejected
from graph.model import Edge, EdgeKind, Node, searchable_names
from graph.sqlite_schema import KIND_CODE
from graph.text import name_tokens
from graph.validate import _valid_date as valid_date
from graph.validate import admit
from graph.window import lower_bound, upper_bound

__all__ = [
    "BATCH",
    "FACTS",
    "UNDATED",
    "EdgeBatch",
    "NodeBatch",
    "edge_identities",
    "hash64",
    "node_tokens",
    "prepare_edges",
    "prepare_nodes",
]

BATCH = 20_000
UNDATED = 8  # length of an edge row without lo, hi
FACTS = 5  # index of an edge row's facts JSON
_PLAIN_FIELDS = frozenset({str, type(None), EdgeKind, dict})  # types an edge's facts list holds
_SCALARS = frozenset({str, int, bool, type(None)})  # written alike by orjson and json
_date_ok = lru_cache(maxsize=8192)(valid_date)  # dates repeat (years, project dates): check each once
_lower = lru_cache(maxsize=8192)(lower_bound)
_upper = lru_cache(maxsize=8192)(upper_bound)


_INT64 = struct.Struct(">q").unpack


def hash64(text: str, _blake2b: Any = hashlib.blake2b) -> int:
    """Signed 64-bit key of an id (SQLite INTEGER): the first 8 bytes of its BLAKE2b hash, big-endian."""
    return int(_INT64(_blake2b(text.encode("utf-8"), digest_size=8).digest())[0])


EdgeIdentity = tuple[int, int, int, str]  # src key, kind code, dst key, edge key


@dataclass(slots=True)
class EdgeBatch:
    """Admitted edge rows by identity (last one wins), and what was refused."""

    rows: dict[EdgeIdentity, list[Any]] = field(default_factory=dict)
    edges: dict[EdgeIdentity, Edge] = field(default_factory=dict)
    ends: set[int] = field(default_factory=set)
    rejected: list[RecordRejected] = field(default_factory=list)


@dataclass(slots=True)
class NodeBatch:
    rows: dict[int, list[Any]] = field(default_factory=dict)
    nodes: dict[int, Node] = field(default_factory=dict)
    rejected: list[RecordRejected] = field(default_factory=list)


def _plain_props(props: Mapping[str, Any]) -> bool:
    """No float in ``props``: the usual shapes (scalars, lists of scalars) inline, the rest by has_float."""
    if type(props) is not dict:
        return not has_float(props)
    for value in props.values():
        kind = type(value)
        if kind in _SCALARS or (kind is list and _SCALARS.issuperset(map(type, value))):
            continue
        return not has_float(props)
    return True


def prepare_edges(batch: Iterable[Edge], keys: dict[str, int]) -> EdgeBatch:
    """Rows ``[src, kind, dst, ekey, source, data, retrieved_at, lo, hi, version]``, without ``lo, hi`` when undated.

    Python's sqlite3 binds ``None`` through its adapter look-up (~0.2 µs a value), so an edge without
    dates (most of a load) leaves its two NULLs to the column defaults: :data:`UNDATED` is that length.

    The common case of :func:`graph.validate.admit` is inlined (this loop runs once per edge of a
    load): a plainly valid edge of plain types is written by orjson; anything else goes to ``admit``,
    which gives the same text or the reason it is refused.
    """
    out = EdgeBatch()
    rows, edges, ends, rejected = out.rows, out.edges, out.ends, out.rejected
    dumps, sorted_keys, plain_fields = orjson.dumps, orjson.OPT_SORT_KEYS, _PLAIN_FIELDS
    for e in batch:
        p, start, end, src_id, dst_id = e.provenance, e.start, e.end, e.src, e.dst
        listed = [e.kind, src_id, dst_id, e.key, start, end, e.props, p.source, p.source_id, p.url, p.dataset_version]
        facts: str | RecordRejected
        if (
            src_id
            and dst_id
            and src_id != dst_id
            and (start is None or _date_ok(start))
            and (end is None or _date_ok(end))
            and not (start and end and start > end)
            and p.source
            and p.source_id
            and p.retrieved_at
            and p.dataset_version
            and plain_fields.issuperset(map(type, listed))
            and _plain_props(e.props)
        ):
            try:
                facts = dumps(listed, option=sorted_keys).decode()
            except orjson.JSONEncodeError:
                facts = admit(e)
        else:
            facts = admit(e)
        if type(facts) is not str:
            rejected.append(facts)  # type: ignore[arg-type]
            continue
        src = keys.get(src_id)
        if src is None:
            src = keys[src_id] = hash64(src_id)
        dst = keys.get(dst_id)
        if dst is None:
            dst = keys[dst_id] = hash64(dst_id)
        ends.add(src)
        ends.add(dst)
        code = KIND_CODE[e.kind]
        ident = (src, code, dst, e.key)
        if start is None and end is None:  # the usual case: no NULLs to bind (sqlite3 binds None slowly)
            rows[ident] = [src, code, dst, e.key, p.source, facts, p.retrieved_at, 0]
        else:
            rows[ident] = [src, code, dst, e.key, p.source, facts, p.retrieved_at, _lower(start), _upper(end), 0]
        edges[ident] = e
    return out


def edge_identities(edge_id: str) -> list[EdgeIdentity]:
    """Every (src, kind, dst, key) an edge id string can denote (node ids may hold '|')."""
    kind, _, rest = edge_id.partition("|")
    code = KIND_CODE.get(kind)  # type: ignore[call-overload]
    if code is None:
        return []
    cuts = [i for i, ch in enumerate(rest) if ch == "|"]
    return [
        (hash64(rest[:a]), code, hash64(rest[a + 1 : b]), rest[b + 1 :])
        for n, a in enumerate(cuts)
        for b in cuts[n + 1 :]
    ]


def prepare_nodes(batch: Iterable[Node]) -> NodeBatch:
    """Rows ``[nid, id, kind, name, source, data, retrieved_at, version]``."""
    out = NodeBatch()
    for n in batch:
        facts = admit(n)
        if not isinstance(facts, str):
            out.rejected.append(facts)
            continue
        nid = hash64(n.id)
        out.rows[nid] = [nid, n.id, n.kind.value, n.name, n.provenance.source, facts, n.provenance.retrieved_at, 0]
        out.nodes[nid] = n
    return out


def node_tokens(node: Node) -> set[str]:
    """Every name-search token of a node."""
    return {t for s in searchable_names(node) for t in name_tokens(s)}
