"""Screen a partner list: upload CSV/XLSX, see one decision and three signals per row, download the results."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import state
from app.uploads import MAX_ROWS, MAX_UPLOAD_BYTES, UploadError, read_upload, results_file

st.title("Screen a partner list")
st.caption(
    f"A .csv or .xlsx file with a **name** column; **country** (ISO-2, only to tell namesakes apart) and **id** are "
    f"optional. Up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB and {MAX_ROWS:,} rows here; "
    "larger lists: `rsgraph screen`. "
    "Only a *match* counts as a match; *possible* needs a human look."
)
upload = st.file_uploader("Partner list (.csv or .xlsx)", key="screen_upload")  # any file: bad ones get a clear message
if upload is None:
    st.stop()

try:
    rows, problems = read_upload(upload.name, upload.getvalue())
except UploadError as exc:
    st.error(str(exc))
    st.stop()
if problems:
    with st.expander(f"{len(problems)} row problem(s) — those rows are reported, not guessed", expanded=True):
        for p in problems:
            st.markdown(f"- {p}")

with st.spinner(f"Screening {len(rows)} rows…"):
    results = state.cached_screen(state.data_key(), tuple(rows))

table = pd.DataFrame([{"row": r.input.row, **r.as_dict()} for r in results])
counts = table["decision"].value_counts()
cols = st.columns(4)
for col, decision in zip(cols, ("match", "possible", "none", "invalid"), strict=True):
    col.metric(decision, int(counts.get(decision, 0)))
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_order=[
        "row",
        "name",
        "country",
        "decision",
        "match_name",
        "legal_restriction",
        "advisory_listing",
        "network_proximity",
        "strongest_path",
        "score",
        "match_id",
        "explanation",
        "id",
        "match_ror",
    ],
)

stem = upload.name.rsplit(".", 1)[0]
c1, c2, c3 = st.columns([1, 1, 2])
c1.download_button(
    "Download results (CSV)",
    results_file(results, "csv"),
    f"{stem}-screened.csv",
    "text/csv",
    key="dl_csv",
    on_click="ignore",
)
c2.download_button(
    "Download results (XLSX)",
    results_file(results, "xlsx"),
    f"{stem}-screened.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="dl_xlsx",
    on_click="ignore",
)
matched = {f"{r.match_name} ({r.match_id})": r.match_id for r in results if r.decision == "match"}
if matched:
    pick = c3.selectbox("Open the report of a match", list(matched), index=None, key="screen_open")
    if pick:
        state.choose_org(matched[pick])
        st.switch_page("views/search.py")
