"""SAME_AS links in a real store (both backends): bands, explanations, stale links, judgements at read time."""

from __future__ import annotations

from graph.model import EdgeKind, Node
from graph.resolve.judgements import history, judged_policy
from graph.resolve.linker import SOURCE, effective_links, judge, link, links_for_review, lookup
from graph.store import GraphStore
from tests.factories import edge
from tests.resolve.conftest import CAS, HEU, HIT, IOP_CAS, NANJING, NUAA, ORGS, cordis_participant, list_entry

ENTRIES = [
    list_entry("1", "Harbin Institute of Technology", aliases=["HIT"]),
    list_entry("2", "Nanjing University of Aeronautics and Astronautics"),
    list_entry("3", "Academy of Military Medical Sciences, Institute of Toxicology"),  # parent absent: no link
    list_entry("4", "Chinese Academy of Sciences – Institute of Theoretical Physics"),  # sub-unit: possible only
    list_entry("5", "Totally Unrelated Widget Factory"),
    list_entry("6", "Whatever the list calls it", wikidata="Q1303212"),  # identifier wins
]
PARTICIPANT = cordis_participant("999887766", "HARBIN ENGINEERING UNIVERSITY", country="CN", city="HARBIN")


def _load(store: GraphStore) -> None:
    store.upsert_nodes([*ORGS, *ENTRIES, PARTICIPANT])
    store.upsert_edges([edge(EdgeKind.PARENT_OF, CAS.id, IOP_CAS.id)])


def _links(store: GraphStore) -> dict[str, tuple[str, str, str]]:
    return {
        e.src: (e.dst, e.props["band"], e.props["method"])
        for e in store.iter_edges(kind=EdgeKind.SAME_AS, source=SOURCE)
    }


def test_link_writes_bands_methods_and_explanations(store: GraphStore) -> None:
    _load(store)
    report = link(store)
    links = _links(store)
    assert links["list:test_list:1"] == (HIT.id, "match", "name")
    assert links["list:test_list:2"] == (NUAA.id, "match", "name")
    assert links["list:test_list:4"][:2] == (CAS.id, "possible")  # a sub-unit never becomes its parent
    assert links["list:test_list:6"] == (HIT.id, "match", "identifier")
    assert links[PARTICIPANT.id] == (HEU.id, "match", "name")
    assert "list:test_list:3" not in links and "list:test_list:5" not in links
    assert report.match == 4 and report.possible == 1
    for e in store.iter_edges(kind=EdgeKind.SAME_AS, source=SOURCE):
        assert e.props["explanation"] and 0 <= e.props["score"] <= 1


def test_relink_is_idempotent_and_removes_stale_links(store: GraphStore) -> None:
    _load(store)
    link(store)
    again = link(store)
    assert again.written == 0 and again.removed == 0
    renamed = list_entry("2", "Nanjing University")  # the list corrected its entry
    store.upsert_nodes([renamed, NANJING])
    third = link(store)
    assert _links(store)["list:test_list:2"] == (NANJING.id, "match", "name")
    assert third.removed == 1


def test_reject_hides_a_link_and_survives_reingest_and_relink(store: GraphStore) -> None:
    _load(store)
    link(store)
    judge(store, "list:test_list:2", NUAA.id, "not_same", by="analyst", why="different entity on reading the PDF")
    assert effective_links(store, "list:test_list:2") == []
    hidden = effective_links(store, "list:test_list:2", include_hidden=True)
    assert [(lk.other, lk.judgement, lk.holds) for lk in hidden] == [(NUAA.id, "not_same", False)]
    store.upsert_nodes([*ORGS, *ENTRIES])  # re-ingest
    link(store)  # re-link
    assert effective_links(store, "list:test_list:2") == []
    assert judged_policy(store).holds(next(e for e in store.edges_of(NUAA.id, kinds=[EdgeKind.SAME_AS]))) is False


def test_confirm_adds_a_link_the_score_did_not(store: GraphStore) -> None:
    _load(store)
    link(store)
    assert effective_links(store, "list:test_list:5") == []
    judge(store, "list:test_list:5", HEU.id, "same", by="analyst", why="trade name of the university's spin-off")
    assert [lk.other for lk in effective_links(store, "list:test_list:5")] == [HEU.id]
    link(store)  # re-link writes an edge for the confirmed pair so graph traversal sees it
    same_as = [e for e in store.edges_of("list:test_list:5", kinds=[EdgeKind.SAME_AS])]
    assert [(e.dst, e.props["method"]) for e in same_as] == [(HEU.id, "judgement")]


def test_history_is_audited_and_review_list_shows_judgements(store: GraphStore) -> None:
    _load(store)
    link(store)
    judge(store, "list:test_list:4", CAS.id, "unsure", by="a", why="need the PDF", at="2026-01-01T00:00:00Z")
    judge(store, "list:test_list:4", CAS.id, "not_same", by="b", why="a sub-unit", at="2026-01-02T00:00:00Z")
    past = history(store, CAS.id, "list:test_list:4")
    assert [(j.decision, j.by) for j in past] == [("unsure", "a"), ("not_same", "b")]
    review = {i.edge.src: i for i in links_for_review(store, band="possible")}
    assert review["list:test_list:4"].judgement == "not_same" and not review["list:test_list:4"].holds


def test_judging_unknown_records_is_refused(store: GraphStore) -> None:
    _load(store)
    try:
        judge(store, "list:test_list:1", "ror:nope", "same", by="a", why="b")
    except ValueError as exc:
        assert "ror:nope" in str(exc)
    else:
        raise AssertionError("judging a missing record must fail")


def test_lookup_uses_the_whole_store_and_is_cached_per_version(store: GraphStore) -> None:
    _load(store)
    link(store)
    found = lookup(store, "Harbin Institute of Technology")
    assert found[0].band == "match" and found[0].ror == "01yqg2h08"
    assert lookup(store, "Harbin Institute of Technology") == found
    store.upsert_nodes([list_entry("7", "Harbin Institute of Technology Shenzhen Campus Robotics Centre")])
    assert lookup(store, "Harbin Institute of Technology")[0].id in (HIT.id, "list:test_list:1")


def test_records_of_other_sources_do_not_make_a_name_ambiguous(store: GraphStore) -> None:
    """Before linking, a CORDIS participant named like a ROR record is not a rival: the ROR record matches."""
    _load(store)
    found = lookup(store, "Harbin Engineering University")
    assert found[0].id == HEU.id and found[0].band == "match"
    twin = ror_org_like_heu()
    store.upsert_nodes([twin])
    rival = lookup(store, "Harbin Engineering University")  # two ROR records: truly ambiguous
    assert rival[0].band == "possible" and "ambiguous" in rival[0].explanation


def ror_org_like_heu() -> Node:
    from tests.resolve.conftest import ror_org

    return ror_org("0aaaaaa00", "Harbin Engineering University", country="CN", city="Harbin")
