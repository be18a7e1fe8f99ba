"""Review possible SAME_AS links: confirm or reject each with a reason (stored as judgements, audited)."""

from __future__ import annotations

import streamlit as st

from app import state
from app.access import require_writer
from graph.resolve.linker import judge
from queries.audit import record_action
from queries.review import Party, ReviewRow, review_queue

st.title("Review possible links")
st.caption(
    "Resolution links a list entry or a CORDIS participant to an organisation when it is sure (*match*); when it is "
    "not (*possible*), analysis does not follow the link until someone confirms it. Your decision is stored apart "
    "from the source data, with your identity and reason, and survives re-ingesting."
)
c1, c2 = st.columns(2)
band = c1.radio("Links", ["possible", "match", "all"], horizontal=True, key="review_band")
judged = c2.toggle("Include links already judged", key="review_judged")
rows = review_queue(state.store(), band=None if band == "all" else band, judged=judged)
if not rows:
    st.success("Nothing to review with these filters.")


def _party(col: st.delta_generator.DeltaGenerator, p: Party) -> None:
    col.markdown(f"**{p.name}**" + (" · listed entity" if p.listed else ""))
    col.caption(" · ".join(x for x in (f"`{p.id}`", p.city or "", p.country or "") if x))
    if p.other_names:
        col.caption("also: " + "; ".join(p.other_names))
    if p.ids:
        col.caption("ids: " + "; ".join(f"{k} {v}" for k, v in p.ids))
    col.caption(
        f"source {p.source.source} · {p.source.dataset_version}" + (f" · {p.source.url}" if p.source.url else "")
    )


def _decide(row: ReviewRow, decision: str, why: str) -> None:
    who = require_writer("judge links")
    if not who:
        return
    if not why.strip():
        st.error("Give a reason: it is kept with the decision.")
        return
    try:
        j = judge(state.store(), row.a.id, row.b.id, decision, by=who, why=why)
    except ValueError as exc:
        st.error(str(exc))
        return
    record_action(state.store(), user=who, action=f"judge:{decision}", target=f"{j.a}|{j.b}", detail=why)
    state.bump()
    st.session_state["review_done"] = f"Recorded: {row.a.name} ~ {row.b.name} → {decision} (by {who})."
    st.rerun()


if st.session_state.get("review_done"):
    st.success(st.session_state.pop("review_done"))
for row in rows:
    with st.container(border=True):
        status = row.judgement or "not judged"
        st.markdown(
            f"**{row.band}** · score {row.score:.2f} · {row.method} · {status}"
            + ("" if row.holds else " · not followed")
        )
        st.caption(row.explanation)
        left, right = st.columns(2)
        _party(left, row.a)
        _party(right, row.b)
        for j in row.history:
            st.caption(f"{j.at[:19]} {j.by}: {j.decision} — {j.why}")
        why = st.text_input(
            "Reason",
            key=f"why-{row.edge_id}",
            placeholder="e.g. same address and ROR id; or: the alias names another institute",
        )
        b1, b2, b3, _ = st.columns([1, 1, 1, 3])
        if b1.button("Same organisation", key=f"same-{row.edge_id}"):
            _decide(row, "same", why)
        if b2.button("Different", key=f"notsame-{row.edge_id}"):
            _decide(row, "not_same", why)
        if b3.button("Unsure", key=f"unsure-{row.edge_id}"):
            _decide(row, "unsure", why)
