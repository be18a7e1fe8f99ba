"""Resolution evaluation: rsgraph's resolver vs nomenklatura logic-v2, same candidates.

    python -m bench.resolution_eval [--ror PATH] [--per-category N] [--json OUT] [--no-lists]

Builds the labelled set of :mod:`bench.resolution_cases` from the real ROR
extract, stores the stored part in a fresh embedded store, resolves every
query with :func:`graph.resolve.linker.lookup` and, when nomenklatura is
installed (``pip install -e '.[eval]'``), scores the very same candidates
with logic-v2 (threshold 0.7). Reports precision/recall/F1 per category and
overall, and throughput. Then the real list-entry evaluation of
:mod:`bench.resolution_lists`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.resolution_cases import CATEGORIES, LOOKALIKES, Case, build_cases, load_pool
from graph.embedded import EmbeddedStore
from graph.resolve.linker import build_resolver
from graph.resolve.matcher import Query, Resolver

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
ROR = SHARED / "ror" / "ror-records.subset.schema_v2.json"
THRESHOLD = 0.7


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    n: int = 0

    def add(self, truth: str | None, predicted: str | None) -> None:
        self.n += 1
        if predicted is not None and predicted == truth:
            self.tp += 1
            return
        if predicted is not None:
            self.fp += 1
        if truth is not None:
            self.fn += 1

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


Predict = Callable[[Case], str | None]


def evaluate(cases: Sequence[Case], predict: Predict) -> tuple[dict[str, Tally], float]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    start = time.perf_counter()
    for case in cases:
        got = predict(case)
        tallies[case.category].add(case.truth, got)
        tallies["overall"].add(case.truth, got)
    return tallies, len(cases) / (time.perf_counter() - start)


def ours(resolver: Resolver) -> Predict:
    def predict(case: Case) -> str | None:
        found = resolver.resolve(Query(case.text, country=case.country), limit=1)
        return found[0].id if found and found[0].band == "match" else None

    return predict


def logic_v2(resolver: Resolver) -> tuple[Predict, Callable[[], int]] | None:
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:
        return None
    algorithm = get_algorithm("logic-v2")
    assert algorithm is not None
    config = ScoringConfig(weights={}, config={})
    entities: dict[str, Any] = {}
    pairs = [0, 0]

    def entity(node_id: str) -> Any:
        if node_id not in entities:
            p = resolver.index.profiles[resolver.index.position[node_id]]
            e = model.make_entity("Organization")
            e.id = node_id.replace(":", "-")
            e.add("name", p.name)
            e.add("alias", [n.form.text for n in p.names if n.form.text != p.name] + sorted(p.acronyms))
            if p.country:
                e.add("country", p.country.lower())
            entities[node_id] = e
        return entities[node_id]

    def predict(case: Case) -> str | None:
        q = model.make_entity("Organization")
        pairs[1] += 1
        q.id = f"query-{pairs[1]}"  # unique: nomenklatura caches name analysis per entity id
        q.add("name", case.text)
        if case.country:
            q.add("country", case.country.lower())
        best: tuple[float, str] | None = None
        for cid in resolver.candidate_ids(Query(case.text, country=case.country)):
            pairs[0] += 1
            score = algorithm.compare(q, entity(cid), config).score
            if best is None or score > best[0]:
                best = (score, cid)
        return best[1] if best and best[0] >= THRESHOLD else None

    return predict, lambda: pairs[0]


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def table(results: dict[str, dict[str, Tally]], categories: Iterable[str]) -> list[str]:
    names = list(results)
    head = f"{'category':<22}{'n':>5} " + " ".join(f"{m + ' P/R/F1':>23}" for m in names)
    lines = [head, "-" * len(head)]
    for cat in categories:
        first = results[names[0]].get(cat)
        if first is None:
            continue
        cells = []
        for m in names:
            t = results[m].get(cat, Tally())
            cells.append(f"{_fmt(t.precision)}/{_fmt(t.recall)}/{_fmt(t.f1)}".rjust(23))
        lines.append(f"{cat:<22}{first.n:>5} " + " ".join(cells))
    return lines


def run(ror: Path, per_category: int, with_lists: bool) -> dict[str, Any]:
    pool = load_pool(ror)
    cases, dropped = build_cases(pool, per_category=per_category)
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "eval.db")
        store.upsert_nodes(pool.nodes[i] for i in sorted(pool.stored))
        store.upsert_edges(pool.edges)
        start = time.perf_counter()
        resolver = build_resolver(store)
        build_s = time.perf_counter() - start
        store.close()
    results: dict[str, dict[str, Tally]] = {}
    speed: dict[str, float] = {}
    results["rsgraph"], speed["rsgraph"] = evaluate(cases, ours(resolver))
    nk = logic_v2(resolver)
    pairs = 0
    if nk is not None:
        results["logic-v2"], speed["logic-v2"] = evaluate(cases, nk[0])
        pairs = nk[1]()
    out = {
        "stored": len(pool.stored),
        "absent": len(pool.nodes) - len(pool.stored),
        "cases": len(cases),
        "dropped_ambiguous": dict(dropped),
        "resolver_build_s": round(build_s, 2),
        "queries_per_s": {k: round(v, 1) for k, v in speed.items()},
        "logic_v2_pairs": pairs,
        "results": {m: {c: t.as_dict() for c, t in r.items()} for m, r in results.items()},
        "lines": table(results, [*CATEGORIES, "overall"]),
        "logic_v2": "compared" if nk is not None else "skipped: nomenklatura not installed (pip install -e '.[eval]')",
    }
    if with_lists:
        from bench.resolution_lists import run_lists

        out["lists"] = run_lists(pool)
    return out


def targets(res: dict[str, Any]) -> list[str]:
    """Which issue-#4 targets hold on this run."""
    r = res["results"]["rsgraph"]
    lines = []

    def check(label: str, value: float | None, floor: float) -> None:
        ok = value is None or value >= floor
        lines.append(f"{'PASS' if ok else 'FAIL'} {label}: {_fmt(value)} (target ≥ {floor})")

    check("precision overall", r["overall"]["precision"], 0.99)
    for cat in LOOKALIKES:
        if cat in r:
            check(f"precision {cat}", r[cat]["precision"], 0.99)
    check("recall overall", r["overall"]["recall"], 0.95)
    for cat in ("other_script", "affiliation"):
        check(f"recall {cat}", r[cat]["recall"], 0.90)
    if "logic-v2" in res["results"]:
        nk = res["results"]["logic-v2"]
        for cat in [*CATEGORIES, "overall"]:
            if cat in r:
                a, b = r[cat]["f1"], nk[cat]["f1"]
                if a is None and b is None:  # only look-alikes: fewer false matches is better
                    a, b = -r[cat]["fp"], -nk[cat]["fp"]
                    verdict = "PASS" if a > b else "TIE " if a == b else "FAIL"
                    lines.append(f"{verdict} ahead of logic-v2 on {cat}: false matches {-a} vs {-b}")
                    continue
                verdict = "PASS" if (a or 0) > (b or 0) else "TIE " if (a or 0) == (b or 0) else "FAIL"
                lines.append(f"{verdict} ahead of logic-v2 on {cat}: F1 {_fmt(a)} vs {_fmt(b)}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ror", type=Path, default=ROR)
    ap.add_argument("--per-category", type=int, default=250)
    ap.add_argument("--json", type=Path, default=None, help="also write the full results as JSON")
    ap.add_argument("--no-lists", action="store_true", help="skip the real list-entry evaluation")
    args = ap.parse_args(argv)
    if not args.ror.exists():
        print(f"ROR extract not found: {args.ror}", file=sys.stderr)
        return 2
    res = run(args.ror, args.per_category, not args.no_lists)
    print(f"stored {res['stored']} ROR records, {res['absent']} absent; {res['cases']} labelled queries")
    print(f"dropped as ambiguous (name form shared by another stored record): {res['dropped_ambiguous']}")
    print(f"logic-v2: {res['logic_v2']}")
    print("precision/recall/F1 (a look-alike category's precision counts the false matches on its look-alikes")
    print("against the correct matches on their paired stored twins; '-' = no match made):")
    print("\n".join(res["lines"]))
    print(
        f"throughput (queries/s, one query = candidates + scoring): {res['queries_per_s']}; "
        f"logic-v2 pairs compared: {res['logic_v2_pairs']}; resolver build {res['resolver_build_s']} s"
    )
    if "lists" in res:
        print("\nreal list entries (§1286 + 1260H) against the whole ROR extract:")
        print("\n".join(res["lists"]["lines"]))
    print("\ntargets:")
    print("\n".join(targets(res)))
    if args.json:
        res.pop("lines", None)
        args.json.write_text(json.dumps(res, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
