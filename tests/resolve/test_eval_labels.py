"""The committed list-entry labels stay consistent with the real data they label."""

from __future__ import annotations

import json

import pytest

from bench.resolution_eval import Tally
from bench.resolution_lists import LABELS, S1260H, S1286, read_entries, read_labels
from tests.conftest import SHARED

ROR = SHARED / "ror" / "ror-records.subset.schema_v2.json"


@pytest.mark.skipif(not (S1286.exists() and S1260H.exists() and ROR.exists()), reason="shared real data absent")
def test_every_entry_is_labelled_with_a_real_ror_record_or_none() -> None:
    entries, labels = read_entries(), read_labels()
    assert set(entries) == set(labels), "bench/labels/lists_to_ror.csv must label every §1286 and 1260H entry"
    ror_ids = {"ror:" + r["id"].rsplit("/", 1)[-1] for r in json.loads(ROR.read_text(encoding="utf-8"))}
    positives = {v for v in labels.values() if v}
    assert positives and positives <= ror_ids
    assert all(note for note in LABELS.read_text(encoding="utf-8").splitlines()[1:])


def test_tally_counts_a_wrong_match_as_both_errors() -> None:
    t = Tally()
    t.add("ror:a", "ror:a")
    t.add("ror:a", "ror:b")  # wrong organisation: a false match and a miss
    t.add(None, "ror:c")  # a look-alike matched
    t.add("ror:d", None)
    assert (t.tp, t.fp, t.fn) == (1, 2, 2)
    assert t.precision == pytest.approx(1 / 3) and t.recall == pytest.approx(1 / 3)
