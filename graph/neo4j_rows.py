"""Records to and from the Neo4j store's property rows (pure Python, no Cypher).

A node is stored as :data:`NODE_COLUMNS` plus ``version``; an edge as
:data:`EDGE_COLUMNS` plus ``version`` on a relationship whose type is its
kind. ``props`` is JSON text; ``tokens`` is the node's name tokens joined by
single spaces (the full-text index reads it); ``lo``/``hi`` are the padded
date bounds from :mod:`graph.window`.

An edge keeps as properties of their own only what Cypher reads (``eid`` and
``version``, indexed; ``lo``/``hi`` for date windows; ``source`` for paging by
source; ``hash`` for the diff); the facts only ever returned whole go in one
JSON array ``data`` (:data:`EDGE_DATA`). Fewer properties per relationship
made bulk relationship writes about a quarter cheaper on the server.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from graph.canonical import canonical_json, parse_json
from graph.errors import RecordRejected
from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance, hash_text, searchable_names
from graph.text import name_tokens
from graph.validate import admit
from graph.window import lower_bound, upper_bound

__all__ = [
    "EDGE_COLUMNS",
    "EDGE_DATA",
    "NODE_COLUMNS",
    "EdgeBatch",
    "NodeBatch",
    "columns",
    "edge_data",
    "edge_from_record",
    "edge_row",
    "fulltext_term",
    "json_dict",
    "json_text",
    "kind_of_edge_id",
    "legacy_edge_data",
    "node_from_record",
    "node_row",
    "prepare_edges",
    "prepare_nodes",
    "safe_uri",
    "scrub",
    "select",
    "token_set",
]

_PROV = ("source", "source_id", "url", "retrieved_at", "dataset_version")
_EDGE_KINDS = frozenset(k.value for k in EdgeKind)
NODE_COLUMNS = ("id", "kind", "name", "props", *_PROV, "hash", "tokens")
# The facts packed into an edge's ``data`` property, in this order (schema version 1 kept them apart).
EDGE_DATA = ("key", "start_date", "end_date", "props", *_PROV[1:])
EDGE_COLUMNS = ("eid", "lo", "hi", "source", "data", "hash")


def json_text(value: Mapping[str, Any]) -> str:
    return canonical_json(dict(value))


def json_dict(text: str | None) -> dict[str, Any]:
    return dict(parse_json(text)) if text else {}


def token_set(node: Node) -> list[str]:
    """Distinct name tokens over every searchable name, in first-seen order."""
    return list(dict.fromkeys(t for name in searchable_names(node) for t in name_tokens(name)))


def node_row(node: Node, digest: str) -> dict[str, Any]:
    """Every stored property of a node but ``version`` (:data:`NODE_COLUMNS`)."""
    return {
        "id": node.id,
        "kind": node.kind.value,
        "name": node.name,
        "props": json_text(node.props),
        **node.provenance.as_dict(),
        "hash": digest,
        "tokens": " ".join(token_set(node)),
    }


def edge_data(edge: Edge) -> str:
    """The ``data`` property of an edge: a JSON array of :data:`EDGE_DATA`."""
    p = edge.provenance
    facts = [edge.key, edge.start, edge.end, dict(edge.props), p.source_id, p.url, p.retrieved_at, p.dataset_version]
    return canonical_json(facts)


def legacy_edge_data(rec: Mapping[str, Any]) -> str:
    """The ``data`` property for an edge stored in schema version 1 (each fact its own property)."""
    key, start, end, props, *prov = (rec[name] for name in EDGE_DATA)
    return canonical_json([str(key or ""), start, end, json_dict(props), *(str(v or "") for v in prov)])


def edge_row(edge: Edge, digest: str) -> dict[str, Any]:
    """Endpoints plus every stored property of an edge but ``version`` (None = absent)."""
    return {
        "src": edge.src,
        "dst": edge.dst,
        "eid": edge.id,
        "lo": lower_bound(edge.start),
        "hi": upper_bound(edge.end),
        "source": edge.provenance.source,
        "data": edge_data(edge),
        "hash": digest,
    }


def columns(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, list[Any]]:
    """Rows as one list per column: far cheaper to send over Bolt than a list of maps."""
    return {name: [row[name] for row in rows] for name in names}


def select(cols: Mapping[str, list[Any]], indexes: Sequence[int]) -> dict[str, list[Any]]:
    """The rows ``indexes`` of columns ``cols`` (all of them, unsliced, when that is every row)."""
    if len(indexes) == len(next(iter(cols.values()), ())) and list(indexes) == list(range(len(indexes))):
        return dict(cols)
    return {name: [col[i] for i in indexes] for name, col in cols.items()}


@dataclass(frozen=True, slots=True)
class NodeBatch:
    """Nodes ready to write: the rejected ones, and the admitted ones (last of each id) as columns."""

    rejected: tuple[RecordRejected, ...]
    kinds: list[NodeKind]
    cols: dict[str, list[Any]]  # NODE_COLUMNS


@dataclass(frozen=True, slots=True)
class EdgeBatch:
    """Edges ready to write: the rejected ones, and the admitted ones (last of each id) as columns."""

    rejected: tuple[RecordRejected, ...]
    kinds: list[EdgeKind]
    sources: list[str]  # provenance source, to name an edge rejected later for a missing endpoint
    cols: dict[str, list[Any]]  # "src", "dst" and EDGE_COLUMNS


def _admitted(records: Iterable[Any]) -> tuple[list[RecordRejected], dict[str, tuple[Any, str]]]:
    """Validation verdicts: rejected records, and ``{id: (record, hash)}`` of the rest (last wins)."""
    rejected: list[RecordRejected] = []
    latest: dict[str, tuple[Any, str]] = {}
    for record in records:
        verdict = admit(record)
        if isinstance(verdict, RecordRejected):
            rejected.append(verdict)
        else:
            latest[record.id] = (record, hash_text(verdict))
    return rejected, latest


def _prov_tuple(p: Provenance) -> tuple[str, str, str, str, str]:
    return (p.source, p.source_id, p.url, p.retrieved_at, p.dataset_version)  # the order of _PROV


def _as_columns(names: Sequence[str], rows: list[tuple[Any, ...]]) -> dict[str, list[Any]]:
    if not rows:
        return {name: [] for name in names}
    return dict(zip(names, map(list, zip(*rows, strict=True)), strict=True))


def prepare_nodes(batch: Iterable[Node]) -> NodeBatch:
    """Validate, hash and lay out a batch of nodes (pure; the store runs it ahead in a thread)."""
    rejected, latest = _admitted(batch)
    table = [
        (i, n.kind.value, n.name, json_text(n.props), *_prov_tuple(n.provenance), h, " ".join(token_set(n)))
        for i, (n, h) in latest.items()
    ]
    return NodeBatch(tuple(rejected), [n.kind for n, _h in latest.values()], _as_columns(NODE_COLUMNS, table))


def _edge_tuple(eid: str, e: Edge, digest: str) -> tuple[Any, ...]:
    """``src``, ``dst`` and :data:`EDGE_COLUMNS`, in that order."""
    bounds = (lower_bound(e.start), upper_bound(e.end))
    return (e.src, e.dst, eid, *bounds, e.provenance.source, edge_data(e), digest)


def prepare_edges(batch: Iterable[Edge]) -> EdgeBatch:
    """Validate, hash and lay out a batch of edges (pure; the store runs it ahead in a thread)."""
    rejected, latest = _admitted(batch)
    table = [_edge_tuple(i, e, h) for i, (e, h) in latest.items()]
    kinds = [e.kind for e, _h in latest.values()]
    sources = [e.provenance.source for e, _h in latest.values()]
    return EdgeBatch(tuple(rejected), kinds, sources, _as_columns(("src", "dst", *EDGE_COLUMNS), table))


def _provenance(rec: Mapping[str, Any]) -> Provenance:
    return Provenance(*(str(rec[k] or "") for k in _PROV))


def node_from_record(rec: Mapping[str, Any]) -> Node:
    """A node from a ``NODE_FIELDS`` projection (:mod:`graph.neo4j_cypher`)."""
    return Node(str(rec["id"]), NodeKind(rec["kind"]), str(rec["name"]), _provenance(rec), json_dict(rec["props"]))


def edge_from_record(rec: Mapping[str, Any]) -> Edge:
    """An edge from an ``EDGE_FIELDS`` projection (:mod:`graph.neo4j_cypher`)."""
    key, start, end, props, *prov = parse_json(rec["data"])
    source = Provenance(str(rec["source"] or ""), *prov)
    return Edge(EdgeKind(rec["kind"]), str(rec["src"]), str(rec["dst"]), source, key, start, end, dict(props))


def kind_of_edge_id(edge_id: str) -> EdgeKind | None:
    """The kind an edge id names (its first ``|`` field), or None."""
    head = edge_id.split("|", 1)[0]
    return EdgeKind(head) if head in _EDGE_KINDS else None


_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def fulltext_term(token: str) -> str:
    """A Lucene query matching exactly one whitespace-analysed token."""
    return '"' + _LUCENE_SPECIAL.sub(r"\\\1", token) + '"'


def safe_uri(uri: str) -> str:
    """The URI without any user:password part or query, for messages and logs."""
    try:
        parts = urlsplit(uri)
        netloc = parts.netloc.rsplit("@", 1)[-1]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        return "<unparseable Neo4j URI>"


def scrub(message: str, uri: str, password: str) -> str:
    """A driver message with the URI's credentials and the password masked."""
    message = message.replace(uri, safe_uri(uri))
    secret = urlsplit(uri).password if "@" in uri else None
    for value in (password, secret):
        if value:
            message = message.replace(value, "***")
    return message
