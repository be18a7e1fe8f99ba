"""Each page's logic in Streamlit's AppTest, on the sample world (ingested and resolved).

The network drawing is a custom component (an iframe AppTest does not
render); its data is tested in test_explore.py and in a real browser in
test_browser.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from graph.embedded import EmbeddedStore
from graph.resolve.judgements import current
from queries.audit import audit_log
from queries.watchlist import watched
from tests.conftest import REPO, SAMPLES

ENTRY = REPO / "app" / "streamlit_app.py"
TIMEOUT = 60


def page(name: str, **params: str) -> AppTest:
    """The app (through its entry point and navigation) opened on one page."""
    at = AppTest.from_file(str(ENTRY), default_timeout=TIMEOUT)
    at.switch_page(f"views/{name}.py")
    for k, v in params.items():
        at.query_params[k] = v
    return at


def texts(at: AppTest) -> str:
    parts: list[Any] = [*at.header, *at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success]
    return "\n".join(str(p.value) for p in parts)


def frame_with(at: AppTest, column: str) -> Any:
    """The first table shown that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def indirect(story: dict[str, Any], hops: int) -> str:
    """A ROR id of the story with an indirect tie of exactly ``hops`` steps."""
    return next(ror for ror, h in story["hops"].items() if h["hops"] == hops)


# --- entry and navigation ------------------------------------------------------------------------


def test_entry_shows_navigation_and_single_user_mode(app_store: Path) -> None:
    at = AppTest.from_file(str(ENTRY), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "Single-user mode" in " ".join(str(c.value) for c in at.sidebar.caption)
    assert "Search an organisation" in [t.value for t in at.title]


# --- search and report ---------------------------------------------------------------------------


def test_search_by_name_shows_the_report_with_an_indirect_tie(app_store: Path, story: dict[str, Any]) -> None:
    ror = indirect(story, 2)  # Universidade do Porto: Porto — Wuhan University — NJUST
    at = page("search", q=story["hops"][ror]["name"]).run()
    assert not at.exception
    assert at.header[0].value == story["hops"][ror]["name"]
    assert at.session_state["org_id"] == f"ror:{ror}"
    shown = texts(at)
    assert "Legal restriction" in shown and "Advisory listing" in shown and "Network proximity" in shown
    ties = frame_with(at, "designated entity")
    assert "Nanjing University of Science and Technology" in set(ties["designated entity"])
    top = ties[ties["designated entity"] == "Nanjing University of Science and Technology"].iloc[0]
    assert top["hops"] >= 2 and "Wuhan University" in top["path"]


def test_search_by_id_of_a_designated_organisation(app_store: Path, story: dict[str, Any]) -> None:
    njust = story["designated"][0]["ror"]
    at = page("search", q=f"https://ror.org/{njust}")
    at.session_state["report_tab"] = "Designations"  # tabs are lazy: only the open one is drawn
    at.run()
    assert not at.exception
    assert at.header[0].value == story["designated"][0]["name"]
    designations = frame_with(at, "concerns")
    assert "NDAA FY2019 Section 1286 list" in set(designations["list"])


def test_search_not_found_and_wrong_kind_say_so(app_store: Path) -> None:
    at = page("search", q="TECHNISCHE UNIVERSITEIT DELFT").run()
    assert not at.exception
    assert "No organisation in the store matches" in texts(at)
    assert not at.header  # no report is shown for a guess
    at = page("search", q="cordis:project:9900001").run()
    assert not at.exception
    assert "not an organisation" in " ".join(e.value for e in at.error)


def test_ambiguous_name_lists_candidates_and_opens_the_one_chosen(app_store: Path) -> None:
    at = page("search", q="HUST").run()
    assert not at.exception
    assert "may be several organisations" in texts(at)
    assert not at.header
    opened = at.button[0]
    opened.click().run()
    assert not at.exception
    assert at.header and at.session_state["org_id"] == opened.key.removeprefix("amb-")


def test_since_must_be_a_year(app_store: Path, story: dict[str, Any]) -> None:
    at = page("search", org=f"ror:{indirect(story, 1)}").run()
    at.text_input(key="search_since").input("19xx").run()
    assert "is not a year" in " ".join(e.value for e in at.error)
    assert at.header  # the report is still shown, over all years


# --- explore -------------------------------------------------------------------------------------


def test_explore_filters_change_the_neighbourhood(app_store: Path, story: dict[str, Any]) -> None:
    at = page("explore", org=f"ror:{indirect(story, 2)}").run()
    assert not at.exception
    two_steps = at.caption[0].value
    at.slider(key="x_hops").set_value(1).run()
    one_step = at.caption[0].value
    assert int(one_step.split(" of ")[0]) < int(two_steps.split(" of ")[0])
    paths = at.selectbox(key="x_path").options
    assert any("Nanjing University of Science and Technology" in p for p in paths) or at.slider(key="x_hops").value == 1


def test_explore_highlights_the_strongest_tie_and_shows_node_facts(app_store: Path, story: dict[str, Any]) -> None:
    porto = f"ror:{indirect(story, 2)}"
    njust = f"ror:{story['designated'][0]['ror']}"
    at = page("explore", org=porto)
    at.session_state["explore_org"] = porto
    at.session_state["expanded"] = []
    at.session_state["reveal"] = []
    at.session_state["graph_ts"] = None
    at.session_state["selected"] = njust
    at.run()
    assert not at.exception
    side = texts(at)
    assert "NDAA FY2019 Section 1286 list" in side  # the designation, in the side panel
    assert "dataset" in side and "source ror" in side  # provenance of the records
    options = at.selectbox(key="x_path").options
    tie = next(o for o in options if o.startswith("strongest tie to Nanjing University of Science and Technology"))
    at.selectbox(key="x_path").set_value(tie).run()
    assert not at.exception


def test_explore_without_an_organisation_points_to_search(app_store: Path) -> None:
    at = page("explore").run()
    assert not at.exception
    assert "Choose an organisation first" in texts(at)


# --- screen --------------------------------------------------------------------------------------


def test_screen_upload_shows_three_signals_and_reports_bad_rows(app_store: Path) -> None:
    data = (SAMPLES / "screening" / "partners.csv").read_bytes()
    at = page("screen").run()
    at.file_uploader[0].set_value(("partners.csv", data, "text/csv")).run()
    assert not at.exception
    table = frame_with(at, "decision")
    assert {"legal_restriction", "advisory_listing", "network_proximity", "strongest_path"} <= set(table.columns)
    njust = table[table["name"] == "Nanjing University of Science and Technology"].iloc[0]
    assert njust["decision"] == "match" and njust["advisory_listing"] == "high"
    assert set(table[table["name"] == ""]["decision"]) == {"invalid"}
    assert "empty name" in texts(at)
    assert [b.label for b in at.get("download_button")] == ["Download results (CSV)", "Download results (XLSX)"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("partners.pdf", b"%PDF-1.4", "cannot be screened"),
        ("partners.csv", b"", "empty"),
        ("partners.csv", b"organisation,country\nETH Zurich,CH\n", "no 'name' column"),
        ("partners.xlsx", b"not a workbook", "not a readable .xlsx"),
    ],
)
def test_screen_bad_files_get_a_clear_message(app_store: Path, name: str, data: bytes, message: str) -> None:
    at = page("screen").run()
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception
    assert message in " ".join(e.value for e in at.error)
    assert name in " ".join(e.value for e in at.error)


# --- watchlist and alerts ------------------------------------------------------------------------


def test_watchlist_add_remove_and_alert_check_are_audited(writable_app_store: Path) -> None:
    at = page("watchlist").run()
    at.text_input(key="watch_name").input("Universidade do Porto")
    at.text_input(key="watch_why").input("new exchange agreement")
    at.button[0].click().run()
    assert not at.exception
    assert "Watching Universidade do Porto" in texts(at)
    at.button(key="alerts_run").click().run()
    assert "first baseline" in texts(at)
    store = EmbeddedStore(writable_app_store)
    try:
        entries = watched(store)
        assert [e.org_id for e in entries] == ["ror:043pwc612"] and entries[0].added_by.endswith("@localhost")
        assert {e.action for e in audit_log(store)} == {"watch", "alerts_run"}
    finally:
        store.close()
    at.selectbox(key="unwatch_id").set_value("ror:043pwc612").run()
    at.button(key="unwatch_btn").click().run()
    assert "No longer watching" in texts(at)


def test_watchlist_unknown_name_is_an_error_not_a_guess(writable_app_store: Path) -> None:
    at = page("watchlist").run()
    at.text_input(key="watch_name").input("TECHNISCHE UNIVERSITEIT DELFT")
    at.button[0].click().run()
    assert "no such organisation" in " ".join(e.value for e in at.error)


# --- review --------------------------------------------------------------------------------------


def test_review_rejects_a_link_with_a_reason(writable_app_store: Path) -> None:
    at = page("review").run()
    assert not at.exception
    first = at.text_input[0]
    edge = first.key.removeprefix("why-")
    a, b = edge.split("|")[1:3]
    at.button(key=f"notsame-{edge}").click().run()
    assert "Give a reason" in " ".join(e.value for e in at.error)
    at.text_input(key=f"why-{edge}").input("the alias names another institute")
    at.button(key=f"notsame-{edge}").click().run()
    assert not at.exception
    assert "Recorded" in texts(at)
    store = EmbeddedStore(writable_app_store)
    try:
        j = current(store, a, b)
        assert j is not None and j.decision == "not_same" and j.why == "the alias names another institute"
        assert [e.action for e in audit_log(store)] == ["judge:not_same"]
    finally:
        store.close()


# --- access --------------------------------------------------------------------------------------


AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "rsgraph",
    "client_secret": "s",
    "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
}


def test_with_login_configured_writes_need_a_signed_in_user(writable_app_store: Path) -> None:
    at = page("watchlist")
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.run()
    at.text_input(key="watch_name").input("Universidade do Porto")
    at.button[0].click().run()
    assert "Sign in to add to the watchlist" in texts(at)
    store = EmbeddedStore(writable_app_store)
    try:
        assert watched(store) == []
    finally:
        store.close()


def test_with_login_configured_a_signed_in_user_is_recorded(writable_app_store: Path) -> None:
    at = page("watchlist")
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "analyst@uni.example", "name": "An Analyst"}
    at.run()
    at.text_input(key="watch_name").input("Universidade do Porto")
    at.button[0].click().run()
    assert "Watching Universidade do Porto" in texts(at)
    store = EmbeddedStore(writable_app_store)
    try:
        assert watched(store)[0].added_by == "analyst@uni.example"
        assert audit_log(store)[0].user == "analyst@uni.example"
    finally:
        store.close()


# --- data ----------------------------------------------------------------------------------------


def test_data_page_shows_sources_versions_and_lists_in_force(app_store: Path) -> None:
    at = page("data").run()
    assert not at.exception
    lists = frame_with(at, "legal effect")
    assert {"NDAA FY2019 Section 1286 list", "BIS Entity List"} <= set(lists["list"])
    assert set(lists[lists["key"] == "us_ndaa_1286"]["legal effect"]) == {"advisory"}
    sources = frame_with(at, "failed runs")
    assert {"ror", "cordis", "openalex"} <= set(sources["source"])
    assert [m.label for m in at.metric][:3] == ["organisations", "edges", "last ingest"]


# --- export --------------------------------------------------------------------------------------


def test_export_offers_the_evidence_zip_and_the_report(app_store: Path, story: dict[str, Any]) -> None:
    at = page("export", org=f"ror:{indirect(story, 2)}").run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels[0].startswith("Evidence subgraph (zip") and "Report (HTML)" in labels
    assert "tie(s) within 3 hops" in texts(at)


def test_evidence_zip_holds_every_format_with_a_manifest_and_is_reproducible(
    sample_db: Path, story: dict[str, Any]
) -> None:
    import io
    import json
    import zipfile

    from queries.evidence_zip import evidence_zip
    from queries.report import CheckQuery, due_diligence

    org = f"ror:{indirect(story, 2)}"
    store = EmbeddedStore(sample_db)
    try:
        report = due_diligence(store, CheckQuery(org, org))
        first, again = evidence_zip(store, report), evidence_zip(store, report)
    finally:
        store.close()
    assert first == again
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("graphml/manifest.json"))
    assert {
        "graphml/evidence.graphml",
        "gexf/evidence.gexf",
        "json/evidence.json",
        "csv/nodes.csv",
        "csv/edges.csv",
    } <= names
    assert {f"{f}/manifest.json" for f in ("graphml", "gexf", "json", "csv")} <= names
    assert manifest["query"]["org_id"] == org and "evidence.graphml" in manifest["files"]
