"""A static picture of the ties: an inline SVG laid out in columns by hop.

The organisation (all its records) is the left column; each later column
holds the nodes one hop further along the strongest paths; designated
entities are coloured by legal effect. Layout comes from
``networkx.multipartite_layout``, so the same ties give the same picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import networkx as nx

from queries.ties import Tie

__all__ = ["ties_svg"]

WIDTH, HEIGHT, MARGIN = 960, 420, 60
_COLOURS = {"org": "#1f5fa8", "node": "#8a8f98", "legal_restriction": "#b3261e", "advisory": "#c77700"}
_KIND_LABEL = {
    "COLLABORATED_WITH": "co-authorship",
    "PARTICIPATED_IN": "project",
    "PARENT_OF": "parent/child",
    "RELATED_TO": "related",
    "SUCCEEDED_BY": "successor",
    "FUNDED_BY": "funding",
    "SAME_AS": "same as",
}


def _graph(org_id: str, org_name: str, ties: Sequence[Tie], seeds: set[str]) -> nx.Graph:
    g = nx.Graph()
    g.add_node(org_id, layer=0, label=org_name, role="org", title=org_id)
    for tie in ties:
        trail = len(tie.steps)
        while trail > 0 and tie.steps[trail - 1].kind == "SAME_AS":
            trail -= 1  # the listed entity's own records: one node in the picture
        nodes = tie.nodes[: trail + 1]
        ids = [org_id if n.id in seeds else n.id for n in nodes]
        for pos, node in enumerate(nodes):
            nid = ids[pos]
            if nid not in g:
                g.add_node(nid, layer=pos, label=node.name, role="node", title=node.id)
            g.nodes[nid]["layer"] = min(g.nodes[nid]["layer"], pos) if nid != org_id else 0
        effect = "legal_restriction" if any(e.legal_effect == "legal_restriction" for e in tie.listings) else "advisory"
        g.nodes[ids[-1]].update(role=effect, label=tie.target_name, title=f"{ids[-1]} = {tie.target}")
        for step, a, b in zip(tie.steps, ids, ids[1:], strict=False):
            if a != b:
                g.add_edge(a, b, kind=step.kind)
    return g


def _positions(g: nx.Graph) -> dict[str, tuple[float, float]]:
    layers = sorted({d["layer"] for _n, d in g.nodes(data=True)})
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g.nodes(data=True)))
    ordered.add_edges_from(g.edges(data=True))
    if len(layers) == 1:
        return {n: (MARGIN, HEIGHT / 2) for n in g}
    raw = nx.multipartite_layout(ordered, subset_key="layer", align="vertical")
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]

    def scale(v: float, lo: float, hi: float, size: float) -> float:
        return MARGIN + (size - 2 * MARGIN) * ((v - lo) / (hi - lo) if hi > lo else 0.5)

    return {n: (scale(x, min(xs), max(xs), WIDTH), scale(y, min(ys), max(ys), HEIGHT)) for n, (x, y) in raw.items()}


def _label(text: str, limit: int = 28) -> str:
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def ties_svg(org_id: str, org_name: str, ties: Sequence[Tie], seeds: Sequence[str], *, limit: int = 12) -> str:
    """SVG (a string, no external references) of the ``limit`` strongest ties."""
    g = _graph(org_id, org_name, ties[:limit], set(seeds))
    pos = _positions(g)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'role="img" aria-label="Ties to designated entities" font-family="sans-serif" font-size="11">'
    ]
    for a, b, d in sorted(g.edges(data=True)):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        dash = ' stroke-dasharray="4 3"' if d["kind"] == "SAME_AS" else ""
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#9aa0a6"{dash}/>')
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2 - 4
        label = _KIND_LABEL.get(d["kind"], d["kind"])
        parts.append(f'<text x="{mx:.1f}" y="{my:.1f}" fill="#5f6368" text-anchor="middle">{label}</text>')
    for n, d in sorted(g.nodes(data=True)):
        x, y = pos[n]
        colour = _COLOURS[d["role"]]
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{colour}"><title>{escape(d["title"])}</title></circle>'
        )
        parts.append(f'<text x="{x:.1f}" y="{y + 22:.1f}" text-anchor="middle">{_label(d["label"])}</text>')
    if g.number_of_nodes() == 1:
        parts.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="#5f6368">No ties found</text>')
    parts.append("</svg>")
    return "\n".join(parts)
