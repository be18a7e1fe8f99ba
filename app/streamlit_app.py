"""rsgraph analyst app: the entry point (``rsgraph app`` runs ``streamlit run`` on this file).

Pages live in ``app/views``, not ``app/pages``: a folder named ``pages`` next to this file switches
Streamlit to its legacy multipage mode, which runs the first page asked for without this entry point
(no navigation, no access panel). Each page calls query functions through :mod:`app.state` and never
talks to a backend directly.
"""

from __future__ import annotations

import streamlit as st

from app.access import access_panel
from app.state import store_spec

st.set_page_config(page_title="rsgraph — research-security due diligence", page_icon="🔎", layout="wide")

PAGES = {
    "Due diligence": [
        st.Page("views/search.py", title="Search & report", icon=":material/search:", default=True),
        st.Page("views/explore.py", title="Explore network", icon=":material/hub:"),
        st.Page("views/screen.py", title="Screen a partner list", icon=":material/checklist:"),
    ],
    "Follow-up": [
        st.Page("views/watchlist.py", title="Watchlist & alerts", icon=":material/notifications:"),
        st.Page("views/review.py", title="Review links", icon=":material/rule:"),
        st.Page("views/export.py", title="Export", icon=":material/download:"),
    ],
    "About": [
        st.Page("views/data.py", title="Data", icon=":material/database:"),
    ],
}

page = st.navigation(PAGES)
st.sidebar.caption(f"store: `{store_spec()}`")
access_panel()
page.run()
