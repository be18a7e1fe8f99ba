"""The side panel of the network view: the selected node's or link's facts and where they come from."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from app import state
from app.graphview import EDGE_LABELS, category
from queries.explore import NodeFacts
from queries.view import ViewEdge, ViewNode

__all__ = ["edge_panel", "group_panel", "node_panel"]


def _designations(f: NodeFacts) -> None:
    d = f.designations
    if d is None:
        return
    if not d.active and not d.history:
        st.caption("No designation on this organisation, its equivalent records, parents or children.")
    for x in d.active:
        e = x.entry
        who = "" if x.relation == "self" else f" ({x.relation}: {x.holder_name})"
        effect = e.legal_effect.replace("_", " ")
        st.error(f"**{e.list_name}**{who} · {effect} · listed {e.listed_on or '?'}  \n{e.source_url}")
    for x in d.history:
        st.caption(f"delisted: {x.entry.list_name} ({x.entry.listed_on or '?'} – {x.entry.delisted_on or '?'})")


def _records(f: NodeFacts) -> None:
    for r in f.records:
        s = r.source
        with st.expander(f"{r.id} · {s.source}", expanded=len(f.records) == 1):
            st.markdown(f"**{r.name}** ({r.kind})")
            st.caption(
                f"source {s.source} · record {s.source_id} · dataset {s.dataset_version} · retrieved {s.retrieved_at}"
            )
            if s.url:
                st.markdown(f"[{s.url}]({s.url})")
            if r.facts:
                st.dataframe(pd.DataFrame(r.facts, columns=["fact", "value"]), hide_index=True, width="stretch")


def node_panel(key: state.DataKey, node: ViewNode, seed: str) -> None:
    """Facts, designations and provenance of the records behind a view node."""
    st.markdown(f"**{node.name}**")
    st.caption(f"{category(node)} · {node.distance} step(s) from the organisation · `{node.id}`")
    if node.kind == "Organisation":
        st.caption(
            "resolved: joined to a ROR identity" if node.resolved else "unresolved: no ROR identity linked (yet)"
        )
    facts = state.cached_facts(key, node.id, tuple(node.records))
    _designations(facts)
    cols = st.columns(2)
    if node.kind == "Organisation" and node.id != seed and cols[0].button("Report", key=f"open-{node.id}"):
        state.choose_org(node.id)
        st.switch_page("views/search.py")
    if node.id not in st.session_state.expanded and cols[1].button("Expand", key=f"expand-{node.id}"):
        st.session_state.expanded = [*st.session_state.expanded, node.id]
        st.rerun()
    st.markdown("**Records and sources**")
    _records(facts)


def group_panel(node: ViewNode) -> None:
    st.markdown(f"**{node.name}**")
    st.caption("Folded to keep the view responsive; they are reached through the node this one hangs off.")
    if st.button("Show them all", key=f"reveal-{node.id}"):
        st.session_state.reveal = [*st.session_state.reveal, node.id.removeprefix("group:")]
        st.rerun()


def edge_panel(edge: ViewEdge, nodes: Mapping[str, ViewNode]) -> None:
    a, b = nodes.get(edge.src), nodes.get(edge.dst)
    label = EDGE_LABELS.get(edge.kind, (edge.kind, ""))[0]
    st.markdown(f"**{label}**")
    st.caption(f"{a.name if a else edge.src} — {b.name if b else edge.dst}")
    years = f"{edge.first}–{edge.last}" if edge.first and edge.last != edge.first else (edge.first or "undated")
    st.caption(
        f"{edge.edges} stored edge(s) · {years}"
        + (f" · {edge.count} co-authored work(s)" if edge.count is not None else "")
    )
    rows = [
        {
            "edge": e.edge_id,
            "from": e.start,
            "until": e.end,
            "works": e.count,
            "role": e.role,
            "source": e.source.source,
            "dataset version": e.source.dataset_version,
            "record": e.source.url or e.source.source_id,
        }
        for e in edge.evidence
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
