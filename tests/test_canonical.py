"""canonical_json writes exactly what json.dumps wrote, and the embedded rows carry facts_json."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.canonical import canonical_json, parse_json
from graph.embedded_rows import FACTS, prepare_edges
from graph.model import Edge, EdgeKind, Provenance, facts_json

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=-1e-3, max_value=1e-3)
    | st.text()
    | st.characters(min_codepoint=0, max_codepoint=0x7F).map(lambda c: c * 3)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text() | st.integers(), inner, max_size=4)
    ),
    max_leaves=12,
)


def old_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@settings(max_examples=800, derandomize=True)
@given(VALUES)
def test_same_text_as_json_dumps_or_the_same_refusal(value: Any) -> None:
    try:
        want = old_json(value)
        want.encode("utf-8")
    except (TypeError, ValueError):
        with pytest.raises((TypeError, ValueError)):
            canonical_json(value)
        return
    assert canonical_json(value) == want


@pytest.mark.parametrize("value", [float("nan"), float("inf"), {"a": [1, {"b": float("-inf")}]}, {"a"}, "\ud800"])
def test_what_json_cannot_hold_is_refused(value: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        canonical_json(value)


def test_values_orjson_writes_differently_fall_back_to_json() -> None:
    assert canonical_json({"x": 1e-05, "y": 10**30}) == '{"x":1e-05,"y":1000000000000000000000000000000}'
    assert canonical_json({2: "a", 10: "b"}) == old_json({2: "a", 10: "b"}) == '{"2":"a","10":"b"}'


@settings(max_examples=500, derandomize=True)
@given(
    props=st.dictionaries(st.text(max_size=5), VALUES, max_size=3),
    key=st.text(max_size=4),
    start=st.none() | st.sampled_from(["2020", "2020-02", "2020-02-29"]),
)
def test_embedded_edge_rows_hold_facts_json(props: dict[str, Any], key: str, start: str | None) -> None:
    prov = Provenance("test", "r1", "https://example.org/r1", "2026-01-01T00:00:00Z", "v1")
    e = Edge(EdgeKind.COLLABORATED_WITH, "test:a", "test:b", prov, key, start, None, props)
    batch = prepare_edges([e], {})
    try:
        want = facts_json(e)
        want.encode("utf-8")
    except (TypeError, ValueError):
        assert not batch.rows
        assert [r.field for r in batch.rejected] == ["props"]
        return
    (row,) = batch.rows.values()
    assert row[FACTS] == want


@settings(max_examples=500, derandomize=True)
@given(VALUES)
def test_parse_json_reads_what_json_loads_reads(value: Any) -> None:
    try:
        text = canonical_json(value)
    except (TypeError, ValueError):
        return
    assert repr(parse_json(text)) == repr(json.loads(text))  # repr: 1 and 1.0 differ


@pytest.mark.parametrize(
    "number",
    [
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "999999999999999999",
        "1.7976931348623157e308",
        "5e-324",
        "0.30000000000000004",
        "-0.0",
        "1e400",
        "NaN",
    ],
)
def test_parse_json_numbers_at_the_edges_of_64_bits_and_doubles(number: str) -> None:
    text = f'{{"n":{number},"s":"{number}"}}'
    assert repr(parse_json(text)) == repr(json.loads(text))


@settings(max_examples=2000, derandomize=True)
@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(min_value=-(2**70), max_value=2**70))
def test_parse_json_numbers_read_as_json_reads_them(number: float | int) -> None:
    text = f'[{json.dumps(number)}, {{"x": {json.dumps(number)}}}]'
    assert repr(parse_json(text)) == repr(json.loads(text))
