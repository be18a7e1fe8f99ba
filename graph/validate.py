"""Checks a record must pass before any store accepts it."""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache

from graph.errors import RecordRejected
from graph.model import LEGAL_EFFECTS, Edge, Node, NodeKind, facts_json

__all__ = ["admit", "check_edge", "check_node"]

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@lru_cache(maxsize=8192)
def _valid_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def _reject(record: Node | Edge, field: str, reason: str) -> RecordRejected:
    return RecordRejected(record.provenance.source, record.id, field, reason)


def _check_json(record: Node | Edge) -> RecordRejected | None:
    try:
        json.dumps(dict(record.props), allow_nan=False)
    except (TypeError, ValueError) as exc:
        return _reject(record, "props", f"not JSON-serialisable: {exc}")
    return None


def _check_provenance(record: Node | Edge) -> RecordRejected | None:
    p = record.provenance
    for name in ("source", "source_id", "retrieved_at", "dataset_version"):
        if not getattr(p, name):
            return _reject(record, f"provenance.{name}", "missing")
    return None


def check_node(node: Node) -> RecordRejected | None:
    """None if the node may be stored, else the reason it may not."""
    return _node_structure(node) or _check_json(node)


def check_edge(edge: Edge) -> RecordRejected | None:
    """None if the edge may be stored, else the reason it may not."""
    return _edge_structure(edge) or _check_json(edge)


def admit(record: Node | Edge) -> str | RecordRejected:
    """The record's canonical facts JSON if it may be stored, else why not (one JSON pass)."""
    problem = _node_structure(record) if isinstance(record, Node) else _edge_structure(record)
    if problem:
        return problem
    try:
        return facts_json(record)
    except (TypeError, ValueError) as exc:
        return _reject(record, "props", f"not JSON-serialisable: {exc}")


def _node_structure(node: Node) -> RecordRejected | None:
    if not node.id or node.id != node.id.strip() or ":" not in node.id:
        return _reject(node, "id", "must be a non-empty id with a source prefix (e.g. 'ror:…')")
    if not node.name.strip():
        return _reject(node, "name", "empty name")
    if node.kind is NodeKind.DESIGNATION:
        effect = node.props.get("legal_effect")
        if effect not in LEGAL_EFFECTS:
            return _reject(node, "props.legal_effect", f"must be one of {sorted(LEGAL_EFFECTS)}, got {effect!r}")
    return _check_provenance(node)


def _edge_structure(edge: Edge) -> RecordRejected | None:
    if not edge.src or not edge.dst:
        return _reject(edge, "src" if not edge.src else "dst", "missing endpoint")
    if edge.src == edge.dst:
        return _reject(edge, "dst", "an edge may not join a node to itself")
    for name in ("start", "end"):
        value = getattr(edge, name)
        if value is not None and not _valid_date(value):
            return _reject(edge, name, f"not an ISO date (YYYY[-MM[-DD]]): {value!r}")
    if edge.start and edge.end and edge.start > edge.end:
        return _reject(edge, "end", f"ends ({edge.end}) before it starts ({edge.start})")
    return _check_provenance(edge)
