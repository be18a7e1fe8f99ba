"""NAME_OR_ID: ids resolve directly, names give candidates, wrong kinds are clear errors."""

from __future__ import annotations

import pytest

from graph.store import GraphStore
from queries.identify import Ambiguous, Found, NotFound, WrongKind, identify, parse_id
from tests.queries.world import ALPHA, load_world


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    return load_world(store)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("ror:05ejpqr48", ["ror:05ejpqr48"]),
        ("https://ror.org/05ejpqr48", ["ror:05ejpqr48"]),
        ("ror.org/05EJPQR48/", ["ror:05ejpqr48"]),
        ("05ejpqr48", ["ror:05ejpqr48"]),
        ("I27837315", ["openalex:I27837315"]),
        ("https://openalex.org/I27837315", ["openalex:I27837315"]),
        ("https://api.openalex.org/institutions/I27837315", ["openalex:I27837315"]),
        ("999842536", ["cordis:pic:999842536", "cordis:project:999842536"]),
        ("Tsinghua University", None),
        ("清华大学", None),
    ],
)
def test_parse_id(text: str, ids: list[str] | None) -> None:
    assert parse_id(text) == ids


@pytest.mark.parametrize(
    "text", [ALPHA, "https://ror.org/0alpha001", "0alpha001", "openalex:I100", "I100", "999999999"]
)
def test_ids_of_any_source_resolve_directly(world: GraphStore, text: str) -> None:
    found = identify(world, text)
    assert isinstance(found, Found) and found.how == "id"
    assert found.org.id in {ALPHA, "openalex:I100", "cordis:pic:999999999"}


@pytest.mark.parametrize("text", ["Alpha University", "Universität Alpha", "阿尔法大学"])
def test_names_in_any_script_resolve(world: GraphStore, text: str) -> None:
    found = identify(world, text)
    assert isinstance(found, Found) and found.org.id == ALPHA


def test_ambiguous_name_returns_candidates_and_country_narrows(world: GraphStore) -> None:
    found = identify(world, "Juliet University")
    assert isinstance(found, Ambiguous)
    assert {c.id for c in found.candidates} >= {"ror:0julie001", "ror:0julie002"}
    narrowed = identify(world, "Juliet University", country="nl")
    assert isinstance(narrowed, Found) and narrowed.org.id == "ror:0julie002"


def test_unknown_name_is_not_found_with_suggestions(world: GraphStore) -> None:
    found = identify(world, "Alpha Kilo Zzyzx")
    assert isinstance(found, NotFound)
    assert {"ror:0alpha001", "openalex:I200"} & {s.id for s in found.suggestions}
    assert isinstance(identify(world, "ror:0zzzzzz00"), NotFound)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cordis:project:101", "is a project"),
        ("designation:eu_fsf:3", "is a designation"),
        ("W2741809807", "is a work in OpenAlex"),
        ("https://openalex.org/A5023888391", "is an author"),
    ],
)
def test_ids_of_the_wrong_kind_are_errors(world: GraphStore, text: str, message: str) -> None:
    with pytest.raises(WrongKind, match=message):
        identify(world, text)


def test_empty_input_is_an_error(world: GraphStore) -> None:
    with pytest.raises(ValueError, match="give an organisation name or id"):
        identify(world, "  ")
