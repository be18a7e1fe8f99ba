"""Real list entries (§1286 and 1260H) linked to the ROR extract, against hand labels.

Entries are read from the OpenSanctions source CSVs (one entry per list and
name; aliases and country merged over the yearly editions) and resolved as
the linker does (:func:`graph.resolve.linker.decide_link`: a record naming a
sub-unit links to the parent only as ``possible``); only ``match`` counts.
The truth is ``bench/labels/lists_to_ror.csv`` (each label's note says how
it was decided). logic-v2 scores the same candidates (threshold 0.7).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.resolution_cases import RorPool
from graph.resolve.countries import normalise_country
from graph.resolve.features import profile_of
from graph.resolve.linker import decide_link
from graph.resolve.matcher import Query, Resolver

__all__ = ["Entry", "read_entries", "run_lists"]

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "opensanctions" / "source_csv"
S1286 = SHARED / "us_special_leg" / "section_1286.subset.csv"
S1260H = SHARED / "us_dod_chinese_milcorps" / "sanctions.subset.csv"
LABELS = Path(__file__).resolve().parent / "labels" / "lists_to_ror.csv"


@dataclass
class Entry:
    list: str
    name: str
    aliases: set[str]
    country: str | None = None

    @property
    def category(self) -> str:
        return self.list


def _split(value: str) -> list[str]:
    return [a.strip() for a in value.split(";") if a.strip()]


def read_entries(s1286: Path = S1286, s1260h: Path = S1260H) -> dict[tuple[str, str], Entry]:
    entries: dict[tuple[str, str], Entry] = {}
    with s1286.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            e = entries.setdefault(("us_1286", r["name"].strip()), Entry("us_1286", r["name"].strip(), set()))
            e.aliases.update(_split(r["aliases"]))
            e.country = e.country or normalise_country(r["country"])
    with s1260h.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            name = (r["Clean Name"] or r["Name"]).strip()
            e = entries.setdefault(("us_1260h", name), Entry("us_1260h", name, set()))
            e.aliases.update(a.strip() for a in (r["Alias"], r["Previous Name"]) if a.strip())
    return entries


def read_labels(path: Path = LABELS) -> dict[tuple[str, str], str | None]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["list"], r["name"]): (f"ror:{r['ror']}" if r["ror"] else None) for r in csv.DictReader(fh)}


def _query(e: Entry) -> Query:
    return Query(e.name, country=e.country, names=tuple(sorted(e.aliases - {e.name})), strict=True)


def run_lists(pool: RorPool) -> dict[str, Any]:
    from bench.resolution_eval import Tally, logic_v2, table

    resolver = Resolver([profile_of(n) for n in pool.nodes.values()])
    entries = read_entries()
    labels = read_labels()
    unlabelled = sorted(k for k in entries if k not in labels)
    if unlabelled:
        raise SystemExit(f"{LABELS}: {len(unlabelled)} entries have no label, e.g. {unlabelled[:3]}")

    def ours(e: Entry) -> str | None:
        chosen = decide_link(resolver.resolve(_query(e), limit=3))
        return chosen.id if chosen is not None and chosen.band == "match" else None

    results: dict[str, dict[str, Tally]] = {}
    errors: dict[str, list[str]] = {}
    predictors: dict[str, Callable[[Entry], str | None]] = {"rsgraph": ours}
    nk = logic_v2(resolver)
    if nk is not None:
        predict_case = nk[0]

        def theirs(e: Entry) -> str | None:
            from bench.resolution_cases import Case

            return predict_case(Case(e.list, e.name, e.country, None))

        predictors["logic-v2"] = theirs
    for method, predict in predictors.items():
        tallies: dict[str, Tally] = {}
        errors[method] = []
        for key, e in sorted(entries.items()):
            got, truth = predict(e), labels[key]
            for cat in (e.category, "overall"):
                tallies.setdefault(cat, Tally()).add(truth, got)
            if got != truth:
                errors[method].append(f"{e.list} | {e.name} | truth {truth} | got {got}")
        results[method] = tallies
    return {
        "entries": len(entries),
        "positives": sum(1 for v in labels.values() if v),
        "results": {m: {c: t.as_dict() for c, t in r.items()} for m, r in results.items()},
        "errors": errors,
        "lines": table(results, ["us_1286", "us_1260h", "overall"]),
    }
