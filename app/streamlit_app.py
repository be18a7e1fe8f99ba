"""rsgraph analyst app: the entry point (``rsgraph app`` runs ``streamlit run`` on this file).

Pages live in ``app/pages``; each calls query functions through
:mod:`app.state` and never talks to a backend directly.
"""

from __future__ import annotations

import streamlit as st

from app.access import access_panel
from app.state import store_spec

st.set_page_config(page_title="rsgraph — research-security due diligence", page_icon="🔎", layout="wide")

PAGES = {
    "Due diligence": [
        st.Page("pages/search.py", title="Search & report", icon=":material/search:", default=True),
        st.Page("pages/explore.py", title="Explore network", icon=":material/hub:"),
        st.Page("pages/screen.py", title="Screen a partner list", icon=":material/checklist:"),
    ],
    "Follow-up": [
        st.Page("pages/watchlist.py", title="Watchlist & alerts", icon=":material/notifications:"),
        st.Page("pages/review.py", title="Review links", icon=":material/rule:"),
        st.Page("pages/export.py", title="Export", icon=":material/download:"),
    ],
    "About": [
        st.Page("pages/data.py", title="Data", icon=":material/database:"),
    ],
}

page = st.navigation(PAGES)
st.sidebar.caption(f"store: `{store_spec()}`")
access_panel()
page.run()
