"""Evidence export: the subgraph behind a report, in GraphML, GEXF, JSON or CSV, with a manifest.

The evidence subgraph holds every record a report points to: the
organisation's records and the SAME_AS links between them, its parents and
children, the designations found (active and delisted) with their list
entries, and every node and edge of every tie path. GraphML and GEXF carry
typed scalar attributes (props flattened to ``p_<key>``, provenance to
``source``, ``source_id``, ``url``, ``dataset_version``, ``retrieved_at``,
and the full props as JSON in ``props``), so Gephi and yEd open them and
networkx reads them back unchanged. JSON and CSV carry the records as
stored.

``manifest.json`` names the query, parameters, dataset versions, rsgraph
and store versions, the time, and the SHA-256 of every file. The time is the
data's own date (the latest retrieval among the records searched), not the
clock, and every file is written in a fixed order: the same store and query
give byte-identical files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from graph.model import Edge, EdgeKind, Node
from graph.store import GraphStore, SubgraphQuery
from queries.report import DueDiligenceReport, as_plain

__all__ = ["EXPORT_FORMATS", "Manifest", "evidence_records", "export_evidence", "flat_graph"]

EXPORT_FORMATS = ("graphml", "gexf", "json", "csv")
_SCALARS = (str, int, float, bool)


@dataclass(frozen=True, slots=True)
class Manifest:
    files: Mapping[str, str]  # file name → SHA-256
    path: Path


def _wanted(report: DueDiligenceReport) -> tuple[set[str], set[str]]:
    """Ids of the nodes and edges a report points to."""
    nodes = {r.id for r in report.identity.records}
    edges = {e.edge_id for e in report.identity.same_as}
    nodes |= {r.id for r in (*report.identity.parents, *report.identity.children)}
    for d in (*report.designations.active, *report.designations.history):
        nodes |= {d.entry.designation_id, d.entry.entity_id, d.holder}
        edges |= {v.edge_id for v in d.via}
        edges.add(f"{EdgeKind.DESIGNATED_ON.value}|{d.entry.entity_id}|{d.entry.designation_id}|")
    for t in report.ties.ties:
        nodes |= {n.id for n in t.nodes}
        edges |= {e.edge_id for s in t.steps for e in s.evidence}
        for e in t.listings:
            nodes.add(e.designation_id)
            edges.add(f"{EdgeKind.DESIGNATED_ON.value}|{e.entity_id}|{e.designation_id}|")
    return nodes, edges


def _hierarchy(report: DueDiligenceReport) -> set[tuple[str, str]]:
    records = {r.id for r in report.identity.records}
    pairs = {(p.id, r) for p in report.identity.parents for r in records}
    return pairs | {(r, c.id) for c in report.identity.children for r in records}


def evidence_records(store: GraphStore, report: DueDiligenceReport) -> tuple[list[Node], list[Edge]]:
    """The stored nodes and edges behind a report, sorted by id."""
    node_ids, edge_ids = _wanted(report)
    parents_children = _hierarchy(report)
    g = store.subgraph(SubgraphQuery(tuple(sorted(node_ids)), hops=1))
    nodes = [Node.from_dict({"id": n, **g.nodes[n]}) for n in sorted(node_ids) if n in g]
    edges = [
        Edge.from_dict({**d, "src": u, "dst": v, "key": d.get("edge_key", "")})
        for u, v, k, d in g.edges(keys=True, data=True)
        if k in edge_ids or (d["kind"] == EdgeKind.PARENT_OF.value and (u, v) in parents_children)
    ]
    return nodes, sorted({e.id: e for e in edges}.values(), key=lambda e: e.id)


def _flat_props(props: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in sorted(props.items()):
        if isinstance(v, _SCALARS):
            out[f"p_{k}"] = v
        elif v is not None:
            out[f"p_{k}"] = json.dumps(v, ensure_ascii=False, sort_keys=True)
    return out


def _prov(record: Node | Edge) -> dict[str, str]:
    return record.provenance.as_dict()


def _node_attrs(n: Node) -> dict[str, Any]:
    props = json.dumps(dict(n.props), ensure_ascii=False, sort_keys=True)
    return {"label": n.name, "kind": n.kind.value, **_prov(n), "props": props, **_flat_props(n.props)}


def _edge_attrs(e: Edge) -> dict[str, Any]:
    count = e.props.get("count")
    weight = float(count) if isinstance(count, int | float) and not isinstance(count, bool) else 1.0
    attrs: dict[str, Any] = {"kind": e.kind.value, "edge_key": e.key, "weight": weight, **_prov(e)}
    attrs.update({"valid_from": e.start, "valid_to": e.end})
    attrs["props"] = json.dumps(dict(e.props), ensure_ascii=False, sort_keys=True)
    attrs.update(_flat_props(e.props))
    return {k: v for k, v in attrs.items() if v is not None}


def _uniform(items: Iterable[dict[str, Any]]) -> None:
    """Make each attribute one type across all items (mixed types become JSON strings)."""
    items = list(items)
    types: dict[str, set[type]] = defaultdict(set)
    for attrs in items:
        for k, v in attrs.items():
            types[k].add(type(v))
    mixed = {k for k, ts in types.items() if len(ts) > 1}
    for attrs in items:
        for k in mixed & attrs.keys():
            v = attrs[k]
            attrs[k] = v if isinstance(v, str) else json.dumps(v)


def flat_graph(nodes: list[Node], edges: list[Edge]) -> nx.MultiDiGraph:
    """The evidence as a multigraph with typed scalar attributes only (GraphML/GEXF-ready)."""
    node_attrs = {n.id: _node_attrs(n) for n in nodes}
    edge_attrs = [(e.src, e.dst, e.id, _edge_attrs(e)) for e in edges]
    _uniform(node_attrs.values())
    _uniform(a for *_x, a in edge_attrs)
    g = nx.MultiDiGraph()
    for n in sorted(node_attrs):
        g.add_node(n, **node_attrs[n])
    for u, v, k, attrs in edge_attrs:
        g.add_edge(u, v, key=k, **attrs)
    return g


def _graphml(g: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True, named_key_ids=True, edge_id_from_attribute=None)
    return buf.getvalue()


def _gexf(g: nx.MultiDiGraph, as_of: str) -> bytes:
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if isinstance(meta, Element):
        meta.set("lastmodifieddate", as_of)  # the data's date, not the clock: deterministic
    gexf_graph = nx.MultiDiGraph(g)
    for _u, _v, _k, d in gexf_graph.edges(keys=True, data=True):
        d.pop("weight", None)
    writer.add_graph(gexf_graph)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _json(nodes: list[Node], edges: list[Edge]) -> bytes:
    doc = {"nodes": [n.as_dict() for n in nodes], "edges": [e.as_dict() for e in edges]}
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _csv(rows: list[list[Any]], header: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


_PROV = ["source", "source_id", "url", "dataset_version", "retrieved_at"]


def _props_json(record: Node | Edge) -> str:
    return json.dumps(dict(record.props), ensure_ascii=False, sort_keys=True)


def _csv_files(nodes: list[Node], edges: list[Edge]) -> dict[str, bytes]:
    props = _props_json
    node_rows = [[n.id, n.kind.value, n.name, *_prov(n).values(), props(n)] for n in nodes]
    edge_rows = [
        [e.id, e.kind.value, e.src, e.dst, e.key, e.start or "", e.end or "", *_prov(e).values(), props(e)]
        for e in edges
    ]
    return {
        "nodes.csv": _csv(node_rows, ["id", "kind", "name", *_PROV, "props"]),
        "edges.csv": _csv(edge_rows, ["id", "kind", "src", "dst", "key", "start", "end", *_PROV, "props"]),
    }


def _files(fmt: str, nodes: list[Node], edges: list[Edge], as_of: str) -> dict[str, bytes]:
    if fmt == "graphml":
        return {"evidence.graphml": _graphml(flat_graph(nodes, edges))}
    if fmt == "gexf":
        return {"evidence.gexf": _gexf(flat_graph(nodes, edges), as_of)}
    if fmt == "json":
        return {"evidence.json": _json(nodes, edges)}
    if fmt == "csv":
        return _csv_files(nodes, edges)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")


def _versions(nodes: list[Node], edges: list[Edge], report: DueDiligenceReport) -> dict[str, list[str]]:
    by_source: dict[str, set[str]] = defaultdict(set)
    records: list[Node | Edge] = [*nodes, *edges]
    for r in records:
        by_source[r.provenance.source].add(r.provenance.dataset_version)
    for c in report.limits.lists:
        by_source[c.key].update(c.versions)
    return {k: sorted(v) for k, v in sorted(by_source.items())}


def export_evidence(store: GraphStore, report: DueDiligenceReport, out_dir: str | Path, fmt: str) -> Manifest:
    """Write the evidence subgraph of ``report`` in ``fmt`` plus manifest.json into ``out_dir``."""
    nodes, edges = evidence_records(store, report)
    files = _files(fmt, nodes, edges, report.ties.as_of)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    digests = {}
    for name, data in sorted(files.items()):
        (out / name).write_bytes(data)
        digests[name] = hashlib.sha256(data).hexdigest()
    manifest = {
        "query": {"input": report.query.input, "org_id": report.query.org_id},
        "parameters": {**as_plain(report.query), "format": fmt},
        "dataset_versions": _versions(nodes, edges, report),
        "rsgraph_version": report.rsgraph_version,
        "store_version": report.store_version,
        "time": report.ties.as_of,
        "time_note": "the data's own date (latest retrieval among the records searched), so reruns are byte-identical",
        "counts": {"nodes": len(nodes), "edges": len(edges)},
        "files": {name: {"sha256": digest, "bytes": len(files[name])} for name, digest in digests.items()},
    }
    path = out / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return Manifest(digests, path)
