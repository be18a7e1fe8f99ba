"""How a neighbourhood is drawn: Cytoscape.js elements, styles and the legend.

Drawn with ``streamlit-cytoscape`` (MIT; a maintained fork of
st-link-analysis, which is MIT too), which renders Cytoscape.js and returns
node events to Python. Colours follow the signals, never a country:
red = legal restriction, amber = advisory listing; resolved organisations
(joined to a ROR identity) have a solid outline, unresolved records a dashed
one. Large views switch to a fast layout, straight edges and labels that
appear on zoom, so 500 nodes stay responsive.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from typing import Any

from queries.view import GROUP_KIND, ViewEdge, ViewNode

__all__ = [
    "EDGE_LABELS",
    "LEGEND",
    "STYLE_OF",
    "Selector",
    "edge_styles",
    "elements",
    "layout",
    "legend_html",
    "node_styles",
]

LARGE = 150  # nodes above which the fast drawing mode is used

# category -> (colour, shape, caption)
STYLE_OF: Mapping[str, tuple[str, str, str]] = {
    "Searched organisation": ("#1f5fa8", "ellipse", "the organisation you searched"),
    "Legal restriction": ("#b3261e", "ellipse", "designated: sanctions or export control"),
    "Advisory listing": ("#c77700", "ellipse", "designated: advisory list"),
    "Organisation": ("#3f8f7f", "ellipse", "organisation"),
    "Project": ("#7b5ea7", "round-rectangle", "EU project (CORDIS)"),
    "Funder": ("#8d6e63", "diamond", "funder"),
    "Award": ("#9e9e9e", "triangle", "grant / award"),
    "More": ("#c9ccd1", "round-rectangle", "folded nodes: expand to show"),
}
EDGE_LABELS: Mapping[str, tuple[str, str]] = {
    "COLLABORATED_WITH": ("co-authorship", "#4c78a8"),
    "PARTICIPATED_IN": ("project participation", "#7b5ea7"),
    "PARENT_OF": ("parent → child", "#2a6f63"),
    "RELATED_TO": ("related", "#8a8f98"),
    "SUCCEEDED_BY": ("succeeded by", "#6d4c41"),
    "FUNDED_BY": ("funded by", "#8d6e63"),
    "SAME_AS": ("possible same organisation (awaiting review)", "#b0b0b0"),
    GROUP_KIND: ("folded", "#c9ccd1"),
}
LEGEND = STYLE_OF


def category(n: ViewNode) -> str:
    if n.kind == GROUP_KIND:
        return "More"
    if n.seed:
        return "Searched organisation"
    if n.designation == "legal_restriction":
        return "Legal restriction"
    if n.designation == "advisory":
        return "Advisory listing"
    return n.kind if n.kind in STYLE_OF else "Organisation"


def _node(n: ViewNode, path: Collection[str], large: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": n.id,
        "label": category(n),
        "name": n.name if len(n.name) <= 48 else n.name[:47] + "…",
        "kind": n.kind,
        "steps": n.distance,
    }
    if n.lists:
        data["lists"] = ", ".join(n.lists)
    if n.kind == "Organisation":
        data["resolution"] = "resolved (ROR identity)" if n.resolved else "unresolved record"
        data["records"] = len(n.records)
    if n.hub:
        data["note"] = "hub: not expanded (double-click to expand)"
    if n.hidden:
        data["folded"] = n.hidden
    if n.kind == "Organisation" and not n.resolved:
        data["_unresolved"] = True
    if n.seed:
        data["_seed"] = True
    if n.id in path:
        data["_path"] = True
    return {"data": data}


def _edge(e: ViewEdge, path_pairs: Collection[frozenset[str]]) -> dict[str, Any]:
    label = EDGE_LABELS.get(e.kind, (e.kind.lower(), "#9aa0a6"))[0]
    data: dict[str, Any] = {"id": e.id, "source": e.src, "target": e.dst, "label": e.kind, "tie": label}
    if e.count is not None:
        data["works"] = e.count
    if e.first:
        data["years"] = e.first if e.first == e.last else f"{e.first}–{e.last}"
    data["_w"] = min(e.count or e.edges, 20)
    if frozenset((e.src, e.dst)) in path_pairs:
        data["_path"] = True
    return {"data": data}


def elements(
    nodes: list[ViewNode], edges: list[ViewEdge], path: tuple[str, ...] = ()
) -> dict[str, list[dict[str, Any]]]:
    """Cytoscape elements; nodes and edges on ``path`` are marked for highlighting."""
    large = len(nodes) > LARGE
    pairs = {frozenset(p) for p in pairwise(path)}
    return {"nodes": [_node(n, set(path), large) for n in nodes], "edges": [_edge(e, pairs) for e in edges]}


@dataclass(frozen=True, slots=True)
class Selector:
    """A Cytoscape style rule with any selector (the component's own styles select by label only)."""

    selector: str
    style: Mapping[str, Any]

    def dump(self) -> dict[str, Any]:
        return {"selector": self.selector, "style": dict(self.style)}


def node_styles(large: bool) -> list[Selector]:
    font = {
        "font-size": 8 if large else 10,
        "min-zoomed-font-size": 12 if large else 0,
        "text-wrap": "ellipsis",
        "text-max-width": 140,
    }
    rules = [
        Selector(
            f"node[label='{name}']",
            {
                "background-color": colour,
                "shape": shape,
                "label": "data(name)",
                "border-width": 2,
                "border-color": "#30343b",
                **font,
            },
        )
        for name, (colour, shape, _caption) in STYLE_OF.items()
    ]
    rules += [
        Selector(
            "node[?_unresolved]",
            {"border-style": "dashed", "border-width": 3, "border-color": "#5f6368", "background-opacity": 0.55},
        ),
        Selector("node[?_seed]", {"width": 42, "height": 42, "border-width": 4, "font-weight": "bold"}),
        Selector("node[label='More']", {"color": "#3c4043", "font-style": "italic"}),
        Selector("node[?_path]", {"border-color": "#ffb000", "border-width": 6, "border-style": "solid"}),
    ]
    return rules


def edge_styles(large: bool) -> list[Selector]:
    curve = "haystack" if large else "bezier"
    rules = [
        Selector(
            f"edge[label='{kind}']",
            {"line-color": colour, "curve-style": curve, "opacity": 0.8, "width": "mapData(_w, 1, 20, 1.5, 7)"},
        )
        for kind, (_label, colour) in EDGE_LABELS.items()
    ]
    for kind in ("PARENT_OF", "SUCCEEDED_BY"):
        if not large:
            rules.append(
                Selector(
                    f"edge[label='{kind}']",
                    {"target-arrow-shape": "triangle", "target-arrow-color": EDGE_LABELS[kind][1]},
                )
            )
    rules += [
        Selector("edge[label='SAME_AS']", {"line-style": "dashed"}),
        Selector(f"edge[label='{GROUP_KIND}']", {"line-style": "dotted"}),
        Selector("edge[?_path]", {"line-color": "#ffb000", "width": 7, "opacity": 1, "z-index": 10}),
    ]
    return rules


def layout(n_nodes: int, seed: str) -> dict[str, Any]:
    """Animated force layout for small views; for large ones the steps from the organisation as rings around it."""
    if n_nodes > LARGE:
        root = seed.replace("\\", "\\\\").replace('"', '\\"')
        return {
            "name": "breadthfirst",
            "roots": f'[id = "{root}"]',
            "circle": True,
            "spacingFactor": 0.9,
            "animate": False,
            "fit": True,
            "padding": 20,
            "avoidOverlap": False,
        }
    return {
        "name": "fcose",
        "animate": True,
        "animationDuration": 400,
        "fit": True,
        "padding": 30,
        "nodeDimensionsIncludeLabels": True,
        "nodeRepulsion": 8000,
        "idealEdgeLength": 90,
    }


def _chip(swatch: str, text: str) -> str:
    outer = "display:inline-flex;align-items:center;margin:0 12px 4px 0"
    inner = f"display:inline-block;margin-right:5px;{swatch}"
    return f'<span style="{outer}"><span style="{inner}"></span>{escape(text)}</span>'


def legend_html(kinds: Collection[str]) -> str:
    """A compact legend of node categories, outlines and the edge kinds shown."""
    nodes = [
        _chip(
            f"width:12px;height:12px;border-radius:{6 if shape == 'ellipse' else 2}px;background:{colour};"
            "border:1px solid #30343b",
            name,
        )
        for name, (colour, shape, _c) in STYLE_OF.items()
    ]
    nodes.append(_chip("width:12px;height:12px;border-radius:6px;border:2px dashed #5f6368", "unresolved record"))
    edges = [
        _chip(
            f"width:18px;height:0;border-top:3px {'dashed' if k == 'SAME_AS' else 'solid'} {EDGE_LABELS[k][1]}",
            EDGE_LABELS[k][0],
        )
        for k in EDGE_LABELS
        if k in kinds
    ]
    edges.append(_chip("width:18px;height:0;border-top:4px solid #ffb000", "highlighted path"))
    return f'<div style="font-size:0.85rem;line-height:1.6">{"".join(nodes)}<br>{"".join(edges)}</div>'
