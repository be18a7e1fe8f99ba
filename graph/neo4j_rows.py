"""Records to and from the Neo4j store's property rows (pure Python, no Cypher).

A node is stored as :data:`NODE_COLUMNS` plus ``version``; an edge as
:data:`EDGE_COLUMNS` plus ``version`` on a relationship whose type is its
kind. ``props`` is JSON text; ``tokens`` is the node's name tokens joined by
single spaces (the full-text index reads it); ``lo``/``hi`` are the padded
date bounds from :mod:`graph.window`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance, searchable_names
from graph.text import name_tokens
from graph.window import lower_bound, upper_bound

__all__ = [
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
    "columns",
    "edge_from_record",
    "edge_row",
    "fulltext_term",
    "json_dict",
    "json_text",
    "kind_of_edge_id",
    "node_from_record",
    "node_row",
    "safe_uri",
    "scrub",
    "token_set",
]

_PROV = ("source", "source_id", "url", "retrieved_at", "dataset_version")
_EDGE_KINDS = frozenset(k.value for k in EdgeKind)
NODE_COLUMNS = ("id", "kind", "name", "props", *_PROV, "hash", "tokens")
EDGE_COLUMNS = ("eid", "key", "start_date", "end_date", "lo", "hi", "props", *_PROV, "hash")


def json_text(value: Mapping[str, Any]) -> str:
    return json.dumps(dict(value), ensure_ascii=False, sort_keys=True)


def json_dict(text: str | None) -> dict[str, Any]:
    return dict(json.loads(text)) if text else {}


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


def edge_row(edge: Edge, digest: str) -> dict[str, Any]:
    """Endpoints plus every stored property of an edge but ``version`` (None = absent)."""
    return {
        "src": edge.src,
        "dst": edge.dst,
        "eid": edge.id,
        "key": edge.key,
        "start_date": edge.start,
        "end_date": edge.end,
        "lo": lower_bound(edge.start),
        "hi": upper_bound(edge.end),
        "props": json_text(edge.props),
        **edge.provenance.as_dict(),
        "hash": digest,
    }


def columns(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, list[Any]]:
    """Rows as one list per column: far cheaper to send over Bolt than a list of maps."""
    return {name: [row[name] for row in rows] for name in names}


def _provenance(rec: Mapping[str, Any]) -> Provenance:
    return Provenance(*(str(rec[k] or "") for k in _PROV))


def node_from_record(rec: Mapping[str, Any]) -> Node:
    """A node from a ``NODE_FIELDS`` projection (:mod:`graph.neo4j_cypher`)."""
    return Node(str(rec["id"]), NodeKind(rec["kind"]), str(rec["name"]), _provenance(rec), json_dict(rec["props"]))


def edge_from_record(rec: Mapping[str, Any]) -> Edge:
    """An edge from an ``EDGE_FIELDS`` projection (:mod:`graph.neo4j_cypher`)."""
    return Edge(
        EdgeKind(rec["kind"]),
        str(rec["src"]),
        str(rec["dst"]),
        _provenance(rec),
        str(rec["key"] or ""),
        rec["start_date"],
        rec["end_date"],
        json_dict(rec["props"]),
    )


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
