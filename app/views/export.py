"""Export the chosen organisation's evidence: the subgraph (GraphML, GEXF, JSON, CSV + manifest) and the report."""

from __future__ import annotations

import streamlit as st

from app import state
from queries.evidence_zip import evidence_zip
from queries.render import render_html, render_json, render_markdown

st.title("Export")
org_id = state.chosen_org()
if not org_id:
    st.info("Choose an organisation first.")
    st.page_link("views/search.py", label="Search an organisation", icon=":material/search:")
    st.stop()

key = state.data_key()
hops = st.slider("Hops of the evidence", 1, 4, 3, key="export_hops")
report = state.cached_report(key, org_id, org_id, hops, None)
handle = state.store()
st.markdown(f"**{report.identity.name}** (`{org_id}`) · {len(report.ties.ties)} tie(s) within {hops} hops")
stem = f"rsgraph-{org_id.replace(':', '_')}"

st.subheader("Evidence subgraph")
st.caption(
    "Every record the report points to — the organisation's records, parents and children, designations and list "
    "entries, every node and edge of every tie — with all provenance, in GraphML and GEXF (open in Gephi or yEd), JSON "
    "and CSV; each format with a manifest.json (query, parameters, dataset versions, SHA-256 of every file)."
)
st.download_button(
    "Evidence subgraph (zip: GraphML, GEXF, JSON, CSV + manifest)",
    lambda: evidence_zip(handle, report),  # built on click
    f"{stem}-evidence.zip",
    "application/zip",
    key="exp_zip",
    on_click="ignore",
    type="primary",
)

st.subheader("Report")
st.caption("Self-contained: one file with inline styles and a picture of the ties; Markdown and JSON say the same.")
c1, c2, c3 = st.columns(3)
c1.download_button(
    "Report (HTML)", lambda: render_html(report), f"{stem}.html", "text/html", key="exp_html", on_click="ignore"
)
c2.download_button(
    "Report (Markdown)", lambda: render_markdown(report), f"{stem}.md", "text/markdown", key="exp_md", on_click="ignore"
)
c3.download_button(
    "Report (JSON)", lambda: render_json(report), f"{stem}.json", "application/json", key="exp_json", on_click="ignore"
)
