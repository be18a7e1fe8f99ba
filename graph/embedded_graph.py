"""networkx graphs built straight from the embedded store's stored facts.

The same graphs as :func:`graph.subgraph.to_networkx` (a test holds them
equal), without rebuilding Node and Edge records first: each facts JSON
(:func:`graph.model.facts_json`) is parsed once and becomes the attribute
dicts directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph.canonical import parse_json
from graph.store import SubgraphQuery
from graph.subgraph import fill

__all__ = ["attributed_graph"]


def _provenance(source: str, source_id: str, url: str, retrieved_at: str, version: str) -> dict[str, str]:
    return {
        "source": source,
        "source_id": source_id,
        "url": url,
        "retrieved_at": retrieved_at,
        "dataset_version": version,
    }


def _node(data: str, retrieved_at: str, distance: int) -> tuple[str, dict[str, Any]]:
    node_id, kind, name, props, source, source_id, url, version = parse_json(data)
    attrs = {
        "kind": kind,
        "name": name,
        "props": props,
        "provenance": _provenance(source, source_id, url, retrieved_at, version),
        "distance": distance,
    }
    return node_id, attrs


def _edge(data: str, retrieved_at: str) -> tuple[str, str, str, dict[str, Any]]:
    kind, src, dst, key, start, end, props, source, source_id, url, version = parse_json(data)
    attrs = {
        "kind": kind,
        "edge_key": key,
        "start": start,
        "end": end,
        "props": props,
        "provenance": _provenance(source, source_id, url, retrieved_at, version),
    }
    return src, dst, f"{kind}|{src}|{dst}|{key}", attrs


def attributed_graph(
    node_rows: Iterable[tuple[int, str, str]],
    edge_rows: Iterable[tuple[str, str]],
    *,
    query: SubgraphQuery,
    distance: Mapping[int, int],
    pruned: Iterable[int],
) -> nx.MultiDiGraph:
    """Nodes from ``(key, data, retrieved_at)`` rows, edges from ``(data, retrieved_at)`` rows."""
    nodes: dict[int, tuple[str, dict[str, Any]]] = {}
    for key, data, retrieved_at in node_rows:
        nodes[key] = _node(data, retrieved_at, distance[key])
    g = nx.MultiDiGraph(seeds=list(query.seeds), hops=query.hops, pruned=sorted(nodes[k][0] for k in pruned))
    fill(g, nodes.values(), (_edge(*row) for row in edge_rows))
    return g
