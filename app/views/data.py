"""What the store holds: sources and versions, last ingest, counts, lists of concern in force, recent writes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import state
from queries.audit import audit_log

st.title("Data")
key = state.data_key()
o = state.cached_overview(key)

c1, c2, c3, c4 = st.columns(4)
c1.metric("organisations", f"{o.nodes.get('Organisation', 0):,}")
c2.metric("edges", f"{sum(o.edges.values()):,}")
c3.metric("last ingest", (o.last_ingest or "never")[:10], help=o.last_ingest or "no ingest recorded")
c4.metric("store version", o.store_version)
if st.button(
    "Reload data", help="Drop cached results (they also refresh by themselves after an ingest).", key="reload"
):
    st.cache_data.clear()
    st.rerun()

st.subheader("Lists of entities of concern in force")
st.caption("Legal effect and weight come from the lists configuration, never from a country.")
st.dataframe(
    pd.DataFrame(
        [
            {
                "list": x.name,
                "key": x.key,
                "legal effect": x.legal_effect,
                "of concern": x.of_concern,
                "weight": x.weight,
                "authority": x.authority,
                "entries held": x.entries,
                "active": x.active,
                "delisted": x.delisted,
                "versions": ", ".join(x.versions) or "not ingested",
                "retrieved": x.retrieved_at[:10],
            }
            for x in o.lists
        ]
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("Sources")
st.dataframe(
    pd.DataFrame(
        [
            {
                "source": s.source,
                "dataset versions": ", ".join(s.dataset_versions),
                "runs": s.runs,
                "last run": s.last_run,
                "read": s.read,
                "written": s.written,
                "rejected": s.rejected,
                "failed runs": s.failed,
            }
            for s in o.sources
        ]
    ),
    hide_index=True,
    width="stretch",
)

c1, c2 = st.columns(2)
with c1:
    st.subheader("Nodes")
    st.dataframe(pd.DataFrame(list(o.nodes.items()), columns=["kind", "count"]), hide_index=True)
with c2:
    st.subheader("Edges")
    st.dataframe(pd.DataFrame(list(o.edges.items()), columns=["kind", "count"]), hide_index=True)

with st.expander(f"Ingest runs ({len(o.runs)})"):
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "started": r.started_at,
                    "source": r.source,
                    "dataset version": r.dataset_version,
                    "read": r.read,
                    "written": r.written,
                    "rejected": r.rejected,
                    "failed": r.failed or "",
                    "location": r.location,
                }
                for r in o.runs
            ]
        ),
        hide_index=True,
        width="stretch",
    )

with st.expander(f"Analysts' writes (judgements: {o.judgements}, watched: {o.watched})"):
    log = audit_log(state.store(), limit=100)
    if log:
        st.dataframe(
            pd.DataFrame(
                [{"at": e.at, "user": e.user, "action": e.action, "target": e.target, "detail": e.detail} for e in log]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("No writes made through the app yet.")
