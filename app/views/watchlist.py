"""Watchlist and alerts: add or remove watched organisations, read alerts, mark them reviewed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import state
from app.access import require_writer
from queries.alert_job import run_job
from queries.alert_lock import RunLocked
from queries.alerts import list_alerts, review_alert
from queries.audit import record_action
from queries.watchlist import WatchError, unwatch, watch, watched

st.title("Watchlist and alerts")
store = state.store()
if st.session_state.get("watch_flash"):
    st.success(st.session_state.pop("watch_flash"))

st.subheader("Watched organisations")
entries = sorted(watched(store), key=lambda e: e.name.casefold())
if entries:
    st.dataframe(
        pd.DataFrame(
            [
                {"organisation": e.name, "id": e.org_id, "why": e.why, "added by": e.added_by, "added": e.added_at[:10]}
                for e in entries
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.caption("Nobody is watched yet.")

with st.form("watch_add", clear_on_submit=True):
    c1, c2 = st.columns([2, 2])
    name = c1.text_input("Organisation to watch (name or id)", key="watch_name")
    why = c2.text_input("Why (kept with the entry)", key="watch_why")
    add = st.form_submit_button("Add to the watchlist")
if add:
    who = require_writer("add to the watchlist")
    if who and name.strip():
        try:
            entry, new = watch(store, name, by=who, why=why)
        except WatchError as exc:
            st.error(str(exc))
        else:
            if new:
                record_action(store, user=who, action="watch", target=entry.org_id, detail=why)
                state.bump()
            st.session_state["watch_flash"] = (
                f"Watching {entry.name} ({entry.org_id})." if new else f"{entry.name} was already watched."
            )
            st.rerun()
    elif who:
        st.warning("Give an organisation's name or id.")

if entries:
    c1, c2 = st.columns([3, 1])
    gone = c1.selectbox(
        "Stop watching",
        [e.org_id for e in entries],
        index=None,
        key="unwatch_id",
        format_func=lambda i: next(f"{e.name} ({i})" for e in entries if e.org_id == i),
    )
    if c2.button("Remove", key="unwatch_btn", disabled=gone is None):
        who = require_writer("change the watchlist")
        if who and gone:
            removed = unwatch(store, gone)
            record_action(store, user=who, action="unwatch", target=gone)
            state.bump()
            st.session_state["watch_flash"] = f"No longer watching {removed.name if removed else gone}."
            st.rerun()

st.subheader("Alerts")
c1, c2 = st.columns([1, 1])
show_all = c1.toggle("Show reviewed alerts too", key="alerts_all")
if c2.button("Check watched organisations now", key="alerts_run", disabled=not entries):
    who = require_writer("run an alert check")
    if who:
        try:
            with st.spinner("Checking…"):
                # the same job as `rsgraph alerts run`: the run lock and the configured channels
                run = run_job(store, state.settings(), lists=state.lists_config())
        except RunLocked as exc:
            st.warning(str(exc))
        else:
            record_action(store, user=who, action="alerts_run", target=run.run_id, detail=f"{len(run.raised)} raised")
            baselined = len(run.baselined)
            st.success(f"{len(run.raised)} new alert(s); {baselined} organisation(s) got their first baseline.")

alerts = list_alerts(store, include_reviewed=show_all)
if not alerts:
    st.caption("No open alerts. A first check records a baseline; alerts report changes after it.")
for view in alerts:
    a = view.stored.alert
    mark = "✓ reviewed · " if view.reviewed else ""
    with st.expander(f"{mark}{a.severity.upper()} · {a.org_name}: {a.title}"):
        st.caption(f"{a.kind} · raised {view.stored.raised_at} · alert `{a.id}`")
        for step in a.path:
            st.markdown(f"- {step}")
        if a.records:
            st.dataframe(
                pd.DataFrame(
                    [
                        {"record": r.id, "kind": r.kind, "source": r.source, "dataset version": r.dataset_version}
                        for r in a.records
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        if view.review:
            st.caption(f"reviewed by {view.review.by} at {view.review.at}: {view.review.note}")
        if not view.reviewed:
            note = st.text_input("Note", key=f"note-{a.id}")
            if st.button("Mark reviewed", key=f"rev-{a.id}"):
                who = require_writer("mark alerts reviewed")
                if who:
                    review_alert(store, a.id, by=who, note=note)
                    record_action(store, user=who, action="review_alert", target=a.id, detail=note)
                    state.bump()
                    st.rerun()
