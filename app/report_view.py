"""The due-diligence report drawn in the page: identity, three signals, designations, ties, profile, limits.

Everything shown is a field of :class:`queries.report.DueDiligenceReport`;
nothing is computed here beyond layout.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from queries.designations import Designated
from queries.evidence import EdgeEvidence
from queries.report import DueDiligenceReport
from queries.signals import Signal, describe_step
from queries.ties import Tie

__all__ = ["LEVEL_COLOURS", "TAB_KEY", "render_report", "signal_card", "tie_rows"]

LEVEL_COLOURS = {"none": "#5f6368", "low": "#3f7fbf", "medium": "#c77700", "high": "#b3261e"}
DETAILED = 10
TAB_KEY = "report_tab"


def signal_card(s: Signal) -> None:
    colour = LEVEL_COLOURS.get(s.level.value, "#5f6368")
    with st.container(border=True):
        st.markdown(f"**{s.title}**")
        st.markdown(
            f'<span style="background:{colour};color:white;padding:2px 10px;border-radius:10px;font-weight:600">'
            f"{s.level.value.upper()}</span>",
            unsafe_allow_html=True,
        )
        st.caption(s.explanation)


def _identity(r: DueDiligenceReport) -> None:
    i = r.identity
    place = ", ".join(x for x in (i.city, i.country) if x)
    facts = [
        f"`{i.id}`",
        place,
        ", ".join(i.types),
        f"status {i.status}" if i.status else "",
        f"est. {i.established}" if i.established else "",
    ]
    st.caption(" · ".join(x for x in facts if x))


def tie_rows(ties: Sequence[Tie]) -> pd.DataFrame:
    """One row per tie, strongest first."""
    return pd.DataFrame(
        [
            {
                "rank": k,
                "designated entity": t.target_name,
                "lists": ", ".join(sorted({e.list_name for e in t.listings})),
                "legal effect": ", ".join(sorted({e.legal_effect for e in t.listings})),
                "strength": round(t.strength, 3),
                "level": t.level.value,
                "hops": t.hops,
                "path": " → ".join(n.name for n in t.nodes),
            }
            for k, t in enumerate(ties, 1)
        ],
        columns=["rank", "designated entity", "lists", "legal effect", "strength", "level", "hops", "path"],
    )


def _evidence_rows(ev: Sequence[EdgeEvidence]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "edge": e.edge_id,
                "kind": e.kind,
                "from": e.start or "",
                "until": e.end or "",
                "works": e.count,
                "example works": ", ".join(e.works[:3]),
                "source": e.source.source,
                "dataset version": e.source.dataset_version,
                "record": e.source.url or e.source.source_id,
            }
            for e in ev
        ]
    )


def _ties(r: DueDiligenceReport) -> None:
    ties = r.ties.ties
    if not ties:
        st.info(f"No designated entity within {r.query.hops} hops. This is not evidence of no risk: see Limits.")
        return
    st.dataframe(tie_rows(ties), hide_index=True, width="stretch")
    for k, t in enumerate(ties[:DETAILED], 1):
        names = {n.id: n.name for n in t.nodes}
        label = f"{k}. {t.target_name} — strength {t.strength:.3f} ({t.level.value}), {t.hops} hop(s)"
        box = st.expander(label, key=f"tie-{r.identity.id}-{k}", on_change="rerun")
        if not box.open:  # lazy: evidence is drawn when the analyst opens it
            continue
        with box:
            for step in t.steps:
                st.markdown(f"- {describe_step(step, names)}")
            st.dataframe(_evidence_rows([e for s in t.steps for e in s.evidence]), hide_index=True, width="stretch")
            for e in t.listings:
                who = e.authority or e.list_key
                st.caption(f"{e.list_name} ({who}) · listed {e.listed_on or '?'} · {e.legal_effect} · {e.source_url}")


def _designations(r: DueDiligenceReport) -> None:
    d = r.designations

    def rows(items: Sequence[Designated]) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "concerns": f"{x.relation}: {x.holder_name}",
                    "list": x.entry.list_name,
                    "programme": x.entry.programme,
                    "legal effect": x.entry.legal_effect,
                    "listed on": x.entry.listed_on or "",
                    "delisted on": x.entry.delisted_on or "",
                    "entry": x.entry.designation_id,
                    "source": x.entry.source_url,
                }
                for x in items
            ]
        )

    if d.active:
        st.dataframe(rows(d.active), hide_index=True, width="stretch")
    else:
        st.info(
            "No active designation on the organisation, its equivalent records, parents or children in the lists held."
        )
    if d.history:
        st.markdown("**History (delisted)**")
        st.dataframe(rows(d.history), hide_index=True, width="stretch")


def _records(r: DueDiligenceReport) -> None:
    i = r.identity
    st.markdown("**Names:** " + "; ".join(n.value + (f" ({n.lang})" if n.lang else "") for n in i.names))
    st.markdown("**Identifiers:** " + "; ".join(f"{k} `{v}`" for k, v in i.ids))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "record": x.id,
                    "name": x.name,
                    "source": x.source.source,
                    "dataset version": x.source.dataset_version,
                    "retrieved": x.source.retrieved_at,
                    "url": x.source.url,
                }
                for x in i.records
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    for e in i.same_as:
        st.caption(f"same organisation: `{e.src}` ~ `{e.dst}` — {e.same_as}")
    rel = [*i.parents, *i.children]
    if rel:
        st.markdown("**Parents and children (ROR hierarchy)**")
        st.dataframe(
            pd.DataFrame([{"relation": x.relation, "organisation": x.name, "id": x.id} for x in rel]), hide_index=True
        )


def _profile(r: DueDiligenceReport) -> None:
    p = r.profile
    c1, c2 = st.columns(2)
    c1.metric("co-authoring partners", p.partners)
    c2.metric("co-authored works", p.works)
    if p.per_year:
        st.bar_chart(
            pd.DataFrame({"year": [y.year for y in p.per_year], "works": [y.works for y in p.per_year]}).set_index(
                "year"
            )
        )
    if p.top_partners:
        st.dataframe(
            pd.DataFrame(
                [{"partner": x.name, "works": x.works, "first": x.first, "last": x.last} for x in p.top_partners]
            ),
            hide_index=True,
        )
    if p.projects:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "project": x.acronym,
                        "title": x.title,
                        "role": x.role,
                        "start": x.start,
                        "end": x.end,
                        "participants": x.participants,
                    }
                    for x in p.projects
                ]
            ),
            hide_index=True,
            width="stretch",
        )


def _limits(r: DueDiligenceReport) -> None:
    lim = r.limits
    for note in lim.notes:
        st.markdown(f"- {note}")
    if lim.look_alikes:
        st.markdown("**Look-alikes and links awaiting review**")
        st.dataframe(
            pd.DataFrame([{"record": x.id, "name": x.name, "why": x.reason} for x in lim.look_alikes]),
            hide_index=True,
            width="stretch",
        )
    if lim.lists:
        st.markdown("**Lists held**")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "list": x.name,
                        "legal effect": x.legal_effect,
                        "entries": x.entries,
                        "active": x.active,
                        "versions": ", ".join(x.versions),
                    }
                    for x in lim.lists
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    for m in lim.missing_lists:
        st.caption(f"configured but not ingested: {m.name} ({m.legal_effect})")


def render_report(r: DueDiligenceReport) -> None:
    """The whole report, signals first."""
    st.header(r.identity.name)
    _identity(r)
    st.caption(
        "Facts from the data and three separate signals — not a verdict. No signal uses country or nationality; "
        "a human must review before any conclusion."
    )
    cols = st.columns(3)
    for col, s in zip(cols, r.signals.all(), strict=True):
        with col:
            signal_card(s)
    st.caption(
        f"{len(r.ties.ties)} tie(s) to designated entities within {r.query.hops} hops · "
        f"{len(r.designations.active)} active designation(s) · {len(r.limits.notes)} note(s) on limits"
    )
    sections = {
        "Ties": _ties,
        "Designations": _designations,
        "Identity": _records,
        "Collaboration": _profile,
        "Limits": _limits,
    }
    tabs = st.tabs(list(sections), key=TAB_KEY, on_change="rerun")  # lazy: only the open tab is drawn
    for tab, draw in zip(tabs, sections.values(), strict=True):
        if tab.open:
            with tab:
                draw(r)
    st.caption(f"rsgraph {r.rsgraph_version} · store version {r.store_version} · data as of {r.ties.as_of}")
