"""Invariants: judgement order never changes links; country only ever touches identity, never risk."""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.embedded import EmbeddedStore
from graph.model import Node
from graph.resolve.judgements import DECISIONS
from graph.resolve.linker import effective_links, judge, link
from graph.resolve.matcher import Query
from graph.store import GraphStore
from queries.screen import ScreenInput, screen
from tests.resolve.conftest import HEU, HIT, NUAA, ORGS, PARENTS, list_entry, resolver, ror_org

ENTRIES = [
    list_entry("1", "Harbin Institute of Technology"),
    list_entry("2", "NUAA Shanghai Office"),
    list_entry("3", "Harbin Engineering University"),
]
PAIRS = [(e.id, o.id) for e in ENTRIES for o in (HIT, HEU, NUAA)]
STAMPS = [f"2026-0{m}-01T00:00:00Z" for m in range(1, 10)]


def _fresh() -> GraphStore:
    store = EmbeddedStore(":memory:")
    store.upsert_nodes([*ORGS, *ENTRIES])
    return store


def _effective(store: GraphStore) -> dict[str, list[tuple[str, bool]]]:
    return {n.id: [(lk.other, lk.holds) for lk in effective_links(store, n.id)] for n in [*ORGS, *ENTRIES]}


judgements = st.lists(
    st.tuples(st.sampled_from(PAIRS), st.sampled_from(DECISIONS), st.sampled_from(STAMPS)),
    min_size=1,
    max_size=8,
    unique_by=lambda j: j[2],  # distinct times: the latest judgement on a pair is well defined
)


@settings(derandomize=True, max_examples=25, deadline=None)
@given(judgements, st.randoms(use_true_random=False), st.booleans())
def test_judgement_order_and_link_timing_do_not_change_links(
    js: list[tuple[tuple[str, str], str, str]], rnd: object, link_first: bool
) -> None:
    a, b = _fresh(), _fresh()
    link(a)
    shuffled = list(js)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    for (x, y), decision, at in js:
        judge(a, x, y, decision, by="analyst", why="property test", at=at)
    if link_first:
        link(b)
    for (x, y), decision, at in shuffled:
        judge(b, y, x, decision, by="analyst", why="property test", at=at)  # pair order swapped too
    if not link_first:
        link(b)
    link(a)  # re-link after judging changes nothing either
    assert _effective(a) == _effective(b)


COUNTRIES = ["CN", "US", "CZ", "RU", "DE", "IR", "FR", "BR", "ZA", "IN"]


def _recolour(node: Node, mapping: Mapping[str, str]) -> Node:
    props = dict(node.props)
    if props.get("country"):
        props["country"] = mapping[props["country"]]
    return Node(node.id, node.kind, node.name, node.provenance, props)


@settings(derandomize=True, max_examples=30, deadline=None)
@given(
    st.permutations(COUNTRIES),
    st.sampled_from(["Harbin Institute of Technology", "NUAA", "CAS", "Institute of Physics", "Nanjing University"]),
    st.sampled_from([None, *COUNTRIES]),
)
def test_no_country_is_special(perm: list[str], text: str, country: str | None) -> None:
    """Renaming every country consistently (store and query) leaves every score and decision unchanged."""
    mapping = dict(zip(COUNTRIES, perm, strict=True))
    before = resolver().resolve(Query(text, country=country))
    from graph.resolve.features import profile_of
    from graph.resolve.matcher import Resolver

    moved = Resolver([profile_of(_recolour(n, mapping), PARENTS.get(n.id, ())) for n in ORGS])
    after = moved.resolve(Query(text, country=mapping[country] if country else None))
    assert [(c.id, c.score, c.band) for c in before] == [(c.id, c.score, c.band) for c in after]


@settings(derandomize=True, max_examples=20, deadline=None)
@given(st.sampled_from([None, *COUNTRIES]), st.sampled_from([None, *COUNTRIES]))
def test_country_never_changes_a_risk_signal(row_country: str | None, org_country: str | None) -> None:
    """Country may change whether a row is the organisation (identity), never what is said about it (risk)."""
    calls: list[tuple[object, ...]] = []

    def annotate(store: GraphStore, org_id: str) -> dict[str, str]:
        calls.append((org_id,))
        return {"legal_restriction": f"none for {org_id}", "network_proximity": "low"}

    store = EmbeddedStore(":memory:")
    hit = ror_org("01yqg2h08", "Harbin Institute of Technology", country=org_country or "CN", city="Harbin")
    store.upsert_nodes([hit])
    rows = screen(store, [ScreenInput(2, "p", "Harbin Institute of Technology", row_country)], annotate=annotate)
    row = rows[0]
    if row.decision == "match":
        assert row.extra == {"legal_restriction": f"none for {hit.id}", "network_proximity": "low"}
        assert calls == [(hit.id,)]
    else:  # a country that contradicts the record only makes identity doubtful
        assert row_country is not None and row_country != hit.props["country"]
        assert row.decision == "possible" and row.extra == {} and calls == []
