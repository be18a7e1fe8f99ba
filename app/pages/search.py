"""Search an organisation by any name form or id (type-ahead) and read its due-diligence report."""

from __future__ import annotations

import streamlit as st

from app import state
from app.report_view import render_report
from queries.identify import Ambiguous, Candidate, Found, NotFound, WrongKind

st.title("Search an organisation")
key = state.data_key()
options = state.cached_options(key)
by_label = {o.label: o.id for o in options}

with st.container():
    text = st.selectbox(
        "Name, acronym, former name, name in any script, or id (ROR, OpenAlex, CORDIS PIC)",
        list(by_label),
        index=None,
        placeholder="Start typing, e.g. Wuhan University, BUAA, ror:00xp9wg62, 中国科学技术大学",
        accept_new_options=True,
        key="search_text",
    )
    with st.expander("Search options"):
        country = st.text_input("Country (ISO-2), only to tell namesakes apart; never used by a signal", max_chars=2, key="search_country")
        hops = st.slider("Search ties up to this many hops", 1, 4, 3, key="search_hops")
        since = st.text_input("Only ties dated from this year on (blank: all years)", max_chars=4, key="search_since")


def _candidates(items: tuple[Candidate, ...], prefix: str) -> None:
    for c in items:
        cols = st.columns([5, 1])
        where = f" ({c.country})" if c.country else ""
        cols[0].markdown(f"**{c.name}**{where} — `{c.id}` · {c.band} {c.score:.2f}  \n{c.explanation}")
        if cols[1].button("Open", key=f"{prefix}-{c.id}"):
            state.choose_org(c.id)
            st.rerun()


if text and st.session_state.get("last_search") != (text, country):
    st.session_state["last_search"] = (text, country)
    if text in by_label:
        state.choose_org(by_label[text])
        st.session_state["search_outcome"] = None
    else:
        try:
            outcome = state.cached_identify(key, text, country.strip().upper() or None)
        except (WrongKind, ValueError) as exc:
            outcome = None
            st.session_state["search_error"] = str(exc)
        else:
            st.session_state["search_error"] = None
        st.session_state["search_outcome"] = outcome
        if isinstance(outcome, Found):
            state.choose_org(outcome.org.id)

if st.session_state.get("search_error"):
    st.error(st.session_state["search_error"])
outcome = st.session_state.get("search_outcome")
if isinstance(outcome, Ambiguous):
    st.warning(f"“{outcome.query}” may be several organisations; none is picked for you. Choose one:")
    _candidates(outcome.candidates, "amb")
elif isinstance(outcome, NotFound):
    st.warning(f"No organisation in the store matches “{outcome.query}”.")
    if outcome.suggestions:
        st.markdown("Did you mean:")
        _candidates(outcome.suggestions, "sug")
elif isinstance(outcome, Found) and outcome.others:
    st.caption("Other organisations with similar names (not this one): " + "; ".join(f"{c.name} `{c.id}`" for c in outcome.others[:5]))

org_id = state.chosen_org()
if org_id:
    try:
        report = state.cached_report(key, org_id, text or org_id, hops, since.strip() or None)
    except LookupError as exc:
        st.error(str(exc))
        st.stop()
    render_report(report)
    c1, c2 = st.columns([1, 1])
    if c1.button("Explore the network", icon=":material/hub:", key="to_explore"):
        st.switch_page("pages/explore.py")
    c2.download_button(
        "Download this report (HTML)",
        state.cached_report_html(key, org_id, text or org_id, hops, since.strip() or None),
        file_name=f"rsgraph-report-{org_id.replace(':', '_')}.html",
        mime="text/html",
        key="report_html",
    )
else:
    st.info("Type a name or id above. Names in any script, acronyms, former names and ROR/OpenAlex/PIC ids are accepted.")
