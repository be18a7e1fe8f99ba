"""Cypher text and record mapping for the Neo4j store (pure, no I/O).

Everything that varies between queries is a parameter. Labels and
relationship types cannot be parameters in Cypher, so the only text spliced
into a query is a label or type taken from the :class:`NodeKind` /
:class:`EdgeKind` enums (:func:`node_label`, :func:`rel_types`), asserted to
be one of their values - never a string that came from a caller.

Layout in the database:

- ``(:Entity:<NodeKind> {id, kind, name, props, source, source_id, url,
  retrieved_at, dataset_version, hash, version, tokens})`` - ``props`` is a
  JSON string; ``tokens`` is the node's name tokens joined by single spaces.
- ``()-[:<EdgeKind> {eid, key, start_date, end_date, lo, hi, props, <provenance>,
  hash, version}]->()`` - ``lo``/``hi`` are the padded date bounds from
  :mod:`graph.window`, compared as strings.
- ``(:RsgraphMeta {key: 'store', version, schema_version})`` and
  ``(:RsgraphDoc {ns, key, value})``: bookkeeping nodes, no relationships.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance, searchable_names
from graph.text import name_tokens
from graph.window import lower_bound, upper_bound

__all__ = [
    "EDGE_COLUMNS",
    "EDGE_FIELDS",
    "ENTITY",
    "FULLTEXT_INDEX",
    "NODE_COLUMNS",
    "NODE_FIELDS",
    "SCHEMA_VERSION",
    "SCHEMES",
    "columns",
    "edge_from_record",
    "edge_row",
    "fulltext_term",
    "json_dict",
    "json_text",
    "kind_of_edge_id",
    "node_from_record",
    "node_label",
    "node_row",
    "rel_types",
    "safe_uri",
    "schema_statements",
    "scrub",
    "set_all",
    "token_set",
]

SCHEMA_VERSION = 1
SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")
ENTITY = "Entity"
FULLTEXT_INDEX = "rsgraph_entity_tokens"
_NAME = re.compile(r"^[A-Z][A-Za-z_]*$")
_NODE_KINDS = frozenset(k.value for k in NodeKind)
_EDGE_KINDS = frozenset(k.value for k in EdgeKind)
_PROV = ("source", "source_id", "url", "retrieved_at", "dataset_version")

NODE_FIELDS = "n{.id, .kind, .name, .props, .source, .source_id, .url, .retrieved_at, .dataset_version}"
EDGE_FIELDS = (
    "r{.eid, .key, .start_date, .end_date, .props, .source, .source_id, .url, .retrieved_at, .dataset_version, "
    "kind: type(r), src: startNode(r).id, dst: endNode(r).id}"
)


def node_label(kind: NodeKind) -> str:
    """The kind label of a node, checked to come from the enum."""
    label = NodeKind(kind).value
    assert label in _NODE_KINDS and _NAME.match(label), label
    return label


def rel_types(kinds: Iterable[EdgeKind]) -> str:
    """``A|B|C`` for a relationship pattern, each checked to come from the enum."""
    names = sorted({EdgeKind(k).value for k in kinds})
    assert names and all(n in _EDGE_KINDS and _NAME.match(n) for n in names), names
    return "|".join(names)


def schema_statements() -> list[tuple[str, str]]:
    """Idempotent constraints and indexes (name, statement), created when a store opens.

    Node ids are unique by constraint. Edge ids get a plain range index per
    type instead: a relationship uniqueness constraint made relationship
    writes about 1.6x slower (measured), and the store never creates an edge
    without first finding no edge with that id while holding the store's
    write lock, so edge ids stay unique.
    """
    out = [
        ("rsgraph_entity_id", f"FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE"),
        ("rsgraph_entity_version", f"FOR (n:{ENTITY}) ON (n.version)"),
        ("rsgraph_entity_source", f"FOR (n:{ENTITY}) ON (n.source)"),
        ("rsgraph_meta_key", "FOR (m:RsgraphMeta) REQUIRE m.key IS UNIQUE"),
        ("rsgraph_doc_key", "FOR (d:RsgraphDoc) REQUIRE (d.ns, d.key) IS UNIQUE"),
        (
            FULLTEXT_INDEX,
            f"FOR (n:{ENTITY}) ON EACH [n.tokens] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}}",
        ),
    ]
    for kind in EdgeKind:
        t = rel_types([kind])
        out.append((f"rsgraph_{t.lower()}_eid", f"FOR ()-[r:{t}]-() ON (r.eid)"))
        out.append((f"rsgraph_{t.lower()}_version", f"FOR ()-[r:{t}]-() ON (r.version)"))
    return [(name, _create(name, body)) for name, body in out]


def _create(name: str, body: str) -> str:
    what = "CONSTRAINT" if " REQUIRE " in body else "FULLTEXT INDEX" if name == FULLTEXT_INDEX else "INDEX"
    return f"CREATE {what} {name} IF NOT EXISTS {body}"


def token_set(node: Node) -> list[str]:
    """Distinct name tokens over every searchable name, in first-seen order."""
    return list(dict.fromkeys(t for name in searchable_names(node) for t in name_tokens(name)))


NODE_COLUMNS = ("id", "kind", "name", "props", *_PROV, "hash", "tokens")
EDGE_COLUMNS = ("eid", "key", "start_date", "end_date", "lo", "hi", "props", *_PROV, "hash")


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


def set_all(var: str, names: Sequence[str]) -> str:
    """``SET`` items writing every column of row ``i`` of ``$c`` (and ``$version``).

    Writing every column (None removes a property) replaces the record whole.
    """
    assert var.isidentifier() and all(n.isidentifier() for n in names)
    return ", ".join([*(f"{var}.{n} = $c.{n}[i]" for n in names), f"{var}.version = $version"])


def _provenance(rec: Mapping[str, Any]) -> Provenance:
    return Provenance(*(str(rec[k] or "") for k in _PROV))


def node_from_record(rec: Mapping[str, Any]) -> Node:
    """A node from a :data:`NODE_FIELDS` projection."""
    props = json_dict(rec["props"])
    return Node(str(rec["id"]), NodeKind(rec["kind"]), str(rec["name"]), _provenance(rec), props)


def edge_from_record(rec: Mapping[str, Any]) -> Edge:
    """An edge from an :data:`EDGE_FIELDS` projection."""
    props = json_dict(rec["props"])
    return Edge(
        EdgeKind(rec["kind"]),
        str(rec["src"]),
        str(rec["dst"]),
        _provenance(rec),
        str(rec["key"] or ""),
        rec["start_date"],
        rec["end_date"],
        props,
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


def json_text(value: Mapping[str, Any]) -> str:
    return json.dumps(dict(value), ensure_ascii=False, sort_keys=True)


def json_dict(text: str | None) -> dict[str, Any]:
    return dict(json.loads(text)) if text else {}
