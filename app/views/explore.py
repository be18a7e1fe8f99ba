"""Explore an organisation's neighbourhood: filters, expand on double-click, highlight a path, node facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st
from streamlit_cytoscape import Event, streamlit_cytoscape

from app import state
from app.explore_panel import edge_panel, group_panel, node_panel
from app.graphview import EDGE_LABELS, LARGE, edge_styles, elements, layout, legend_html, node_styles
from queries.explore import DEFAULT_KINDS, EXPLORE_KINDS, ExploreQuery
from queries.view import GROUP_KIND, tie_path, view_path

st.title("Explore the network")
org_id = state.chosen_org()
if not org_id:
    st.info("Choose an organisation first.")
    st.page_link("views/search.py", label="Search an organisation", icon=":material/search:")
    st.stop()

key = state.data_key()
ss = st.session_state
if ss.get("explore_org") != org_id:
    ss.update(explore_org=org_id, expanded=[], reveal=[], selected=None, graph_ts=None)

this_year = dt.date.today().year
with st.expander("Filters", expanded=True):
    c1, c2, c3 = st.columns([1, 2, 1])
    hops = c1.slider("Steps from the organisation", 1, 4, 2, key="x_hops")
    kinds = c2.multiselect(
        "Kinds of tie",
        EXPLORE_KINDS,
        default=[k for k in EXPLORE_KINDS if k in DEFAULT_KINDS],
        format_func=lambda k: EDGE_LABELS[k][0],
        key="x_kinds",
    )
    min_count = c3.number_input("Minimum co-authored works", 1, 1000, 1, key="x_min_count")
    c4, c5, c6 = st.columns([1, 2, 1])
    limit_years = c4.checkbox("Only ties in these years", key="x_limit_years")
    years = c5.slider("Years", 2000, this_year, (2015, this_year), disabled=not limit_years, key="x_years")
    max_nodes = c6.slider("Most nodes drawn", 50, 500, 300, step=50, key="x_max_nodes")
    concern = state.concern()
    held = sorted(concern.coverage)
    names = {k: concern.coverage[k].name for k in held}
    chosen_lists = st.multiselect(
        "Lists of concern that mark a node", held, default=held, format_func=lambda k: names.get(k, k), key="x_lists"
    )

query = ExploreQuery(
    org_id=org_id,
    hops=hops,
    kinds=frozenset(kinds),
    since=str(years[0]) if limit_years else None,
    until=str(years[1]) if limit_years else None,
    min_count=int(min_count),
    lists=frozenset(chosen_lists),
    max_nodes=max_nodes,
    expanded=tuple(ss.expanded),
    reveal=tuple(ss.reveal),
)
if not kinds:
    st.warning("Choose at least one kind of tie.")
    st.stop()
nb = state.cached_neighbourhood(key, query)
nodes, edges = list(nb.nodes), list(nb.edges)
by_id = {n.id: n for n in nodes}

folded = sum(n.hidden for n in nodes if n.kind == GROUP_KIND)
summary = f"{len(nodes) - sum(1 for n in nodes if n.kind == GROUP_KIND)} of {nb.reached} nodes drawn"
summary += f", {folded} folded into “+N more” nodes (double-click one to show them)" if folded else ""
summary += f" · {nb.below_count} co-authorship link(s) under the minimum hidden" if nb.below_count else ""
summary += f" · hubs not expanded: {', '.join(by_id[p].name for p in nb.pruned)}" if nb.pruned else ""
st.caption(summary)

report = state.cached_report(key, org_id, org_id, 3, None)
paths: dict[str, tuple[str, ...]] = {}
for t in report.ties.ties:
    p = tie_path([n.id for n in t.nodes], nb.record_of)
    if len(p) > 1:
        paths[f"strongest tie to {t.target_name} ({t.level.value}, {t.hops} hops)"] = p
selected = ss.get("selected")
if selected in by_id and selected != nb.seed:
    paths[f"shortest path to the selected node: {by_id[selected].name}"] = view_path(edges, nb.seed, selected)
choice = st.selectbox("Highlight a path", ["none", *paths], key="x_path")
path = paths.get(choice, ())

graph_col, side = st.columns([3, 1])
with graph_col:
    st.html(legend_html({e.kind for e in edges}))
    large = len(nodes) > LARGE
    filters = (hops, tuple(sorted(kinds)), min_count, limit_years, years, max_nodes, tuple(sorted(chosen_lists)))
    event: Any = streamlit_cytoscape(
        elements(nodes, edges, path),
        layout={**layout(len(nodes), nb.seed), "_filters": repr(filters)},
        node_styles=node_styles(large),
        edge_styles=edge_styles(large),
        height=640,
        key=f"graph-{org_id}",
        node_actions=["expand"],
        events=[Event("select_node", "tap", "node"), Event("select_edge", "tap", "edge")],
    )
    st.caption(
        "Click a node for its facts and sources; double-click (or the expand button) to grow the network from it."
    )

if isinstance(event, dict) and event.get("timestamp") != ss.graph_ts:
    ss.graph_ts = event.get("timestamp")
    action, data = event.get("action"), event.get("data") or {}
    if action == "expand":
        for node_id in data.get("node_ids") or ():
            if node_id.startswith("group:"):
                ss.reveal = [*ss.reveal, node_id.removeprefix("group:")]
            elif node_id not in ss.expanded:
                ss.expanded = [*ss.expanded, node_id]
        st.rerun()
    elif action in ("select_node", "select_edge"):
        ss.selected = data.get("target_id")
        st.rerun()

with side:
    target = ss.get("selected")
    if target in by_id and by_id[target].kind == GROUP_KIND:
        group_panel(by_id[target])
    elif target in by_id:
        node_panel(key, by_id[target], nb.seed)
    elif target and any(e.id == target for e in edges):
        edge_panel(next(e for e in edges if e.id == target), by_id)
    else:
        st.markdown("**Selected node**")
        st.caption("Click a node or a link in the network to see its facts and where they come from.")
    if ss.expanded or ss.reveal:
        if st.button("Reset expansions", key="x_reset"):
            ss.update(expanded=[], reveal=[])
            st.rerun()
