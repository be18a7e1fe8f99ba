"""Search an organisation by any name form or id (type-ahead) and read its due-diligence report."""

from __future__ import annotations

import streamlit as st

from app import state
from app.report_view import render_report
from queries.identify import Ambiguous, Candidate, Found, Identification, NotFound, WrongKind
from queries.render import render_html

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
    if text:
        st.query_params["q"] = text
    else:
        text = st.query_params.get("q")  # a shared address: search?q=NAME_OR_ID
    with st.expander("Search options"):
        country = st.text_input(
            "Country (ISO-2), only to tell namesakes apart; never used by a signal", max_chars=2, key="search_country"
        )
        hops = st.slider("Search ties up to this many hops", 1, 4, 3, key="search_hops")
        since = st.text_input("Only ties dated from this year on (blank: all years)", max_chars=4, key="search_since")
since_year = since.strip() or None
if since_year and not (since_year.isdigit() and len(since_year) == 4):
    st.error(f"“{since_year}” is not a year; give four digits, e.g. 2019. Searching all years.")
    since_year = None


def _candidates(items: tuple[Candidate, ...], prefix: str) -> None:
    for c in items:
        cols = st.columns([5, 1])
        where = f" ({c.country})" if c.country else ""
        cols[0].markdown(f"**{c.name}**{where} — `{c.id}` · {c.band} {c.score:.2f}  \n{c.explanation}")
        if cols[1].button("Open", key=f"{prefix}-{c.id}"):
            state.choose_org(c.id)
            st.session_state["search_outcome"] = None
            st.query_params.pop("q", None)
            st.rerun()


if text and st.session_state.get("last_search") != (text, country):
    st.session_state["last_search"] = (text, country)
    if text in by_label:
        state.choose_org(by_label[text])
        st.session_state["search_outcome"] = None
    else:
        outcome: Identification | None
        try:
            outcome = state.cached_identify(key, text, country.strip().upper() or None)
        except (WrongKind, ValueError) as exc:
            outcome = None
            st.session_state["search_error"] = str(exc)
        else:
            st.session_state["search_error"] = None
        st.session_state["search_outcome"] = outcome
        state.choose_org(outcome.org.id if isinstance(outcome, Found) else None)

if st.session_state.get("search_error"):
    st.error(st.session_state["search_error"])
shown = st.session_state.get("search_outcome")
if isinstance(shown, Ambiguous):
    st.warning(f"“{shown.query}” may be several organisations; none is picked for you. Choose one:")
    _candidates(shown.candidates, "amb")
elif isinstance(shown, NotFound):
    st.warning(f"No organisation in the store matches “{shown.query}”.")
    if shown.suggestions:
        st.markdown("Did you mean:")
        _candidates(shown.suggestions, "sug")
elif isinstance(shown, Found) and shown.others:
    others = "; ".join(f"{c.name} `{c.id}`" for c in shown.others[:5])
    st.caption(f"Other organisations with similar names (not this one): {others}")

org_id = state.chosen_org()
if org_id:
    try:
        report = state.cached_report(key, org_id, text or org_id, hops, since_year)
    except LookupError as exc:
        st.error(str(exc))
        st.stop()
    render_report(report)
    c1, c2 = st.columns([1, 1])
    if c1.button("Explore the network", icon=":material/hub:", key="to_explore"):
        st.switch_page("views/explore.py")
    c2.download_button(
        "Download this report (HTML)",
        lambda: render_html(report),  # rendered on click, off the first paint
        file_name=f"rsgraph-report-{org_id.replace(':', '_')}.html",
        mime="text/html",
        key="report_html",
        on_click="ignore",
    )
else:
    st.info(
        "Type a name or id above. Names in any script, acronyms, former names and ROR/OpenAlex/PIC ids are accepted."
    )
