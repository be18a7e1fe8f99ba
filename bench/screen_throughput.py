"""Screening throughput against a store of 100,000+ organisations built from real ROR shapes.

    python -m bench.screen_throughput [--orgs 100000] [--queries 2000] [--store PATH]

The real ROR extract (3,795 records) is stored as is; the rest are
synthetic organisations made from it: a real record's names with its place
swapped for another real city (and that city's country), acronyms from the
new initials. So token frequencies, name lengths and name patterns are
those of ROR. The queries are realistic partner-list rows (names, upper-case
legal names, affiliation strings, typos, acronyms with a country,
abbreviations) of real and synthetic records, plus names of organisations
that are not in the store. Reported: store build, resolver build, and
screened names per second of wall time (the target is ≥ 200/s) and per second
of this process's CPU time (what the machine gives when other work competes:
the load average is printed too).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from bench.resolution_cases import ROR_DEFAULT, _abbreviate, _affiliation, _typo, _upper_legal, load_pool
from graph.embedded import EmbeddedStore
from graph.model import Node, NodeKind, Provenance
from graph.resolve.linker import build_resolver
from queries.screen import ScreenInput, screen

SEED = 20261122


def _swap_place(text: str, old: str, new: str) -> str:
    if old and re.search(rf"\b{re.escape(old)}\b", text):
        return re.sub(rf"\b{re.escape(old)}\b", new, text)
    return f"{new} {text}"


def synthetic(real: Sequence[Node], n: int, rng: random.Random) -> Iterator[Node]:
    """``n`` organisations shaped like real ROR records, each with a swapped place."""
    places = sorted({(str(r.props["city"]), str(r.props["country"])) for r in real if r.props.get("city")})
    latin = [r for r in real if r.name.isascii()]
    for k in range(n):
        template = rng.choice(latin)
        city, country = rng.choice(places)
        old = str(template.props.get("city") or "")
        name = _swap_place(template.name, old, city)
        aliases = [_swap_place(a, old, city) for a in template.props.get("aliases") or [] if a.isascii()]
        names = [{"value": name, "lang": "en", "types": ["ror_display", "label"]}]
        names += [{"value": a, "lang": "en", "types": ["alias"]} for a in aliases]
        initials = "".join(w[0] for w in re.findall(r"[A-Z][a-z]+", name))
        if len(initials) >= 3:
            names.append({"value": initials, "lang": None, "types": ["acronym"]})
        props = {
            "names": names,
            "aliases": aliases,
            "acronyms": [initials] if len(initials) >= 3 else [],
            "country": country,
            "city": city,
            "types": template.props.get("types") or [],
        }
        prov = Provenance("bench", f"org{k}", "", "2026-01-01T00:00:00Z", "bench")
        yield Node(f"bench:org:{k}", NodeKind.ORGANISATION, name, prov, props)


def queries(real: Sequence[Node], fake: Sequence[Node], count: int, rng: random.Random) -> list[ScreenInput]:
    rows: list[ScreenInput] = []
    pool = list(real) + list(rng.sample(list(fake), min(len(fake), count)))
    forms = ["name", "upper", "affiliation", "typo", "acronym", "abbreviation", "absent"]
    while len(rows) < count:
        node = rng.choice(pool)
        form = rng.choice(forms)
        country = str(node.props.get("country") or "") or None
        text: str | None = node.name
        if form == "upper":
            text = _upper_legal(node)
        elif form == "affiliation":
            text, country = _affiliation(node, rng), None
        elif form == "typo":
            text = _typo(node.name, rng)
        elif form == "acronym":
            text = next(iter(node.props.get("acronyms") or []), None)
        elif form == "abbreviation":
            text = _abbreviate(node.name)
        elif form == "absent":
            text = f"{node.name} Innovation Campus {rng.randrange(1, 9)}"
        if text:
            rows.append(ScreenInput(len(rows) + 2, f"q{len(rows)}", text, country))
    return rows


def run(ror: Path, orgs: int, count: int, store_path: Path) -> dict[str, object]:
    rng = random.Random(SEED)
    real = [n for n in load_pool(ror).nodes.values()]
    fake = list(synthetic(real, max(0, orgs - len(real)), rng))
    start = time.perf_counter()
    with EmbeddedStore(store_path) as store:
        store.upsert_nodes([*real, *fake])
        stored = sum(store.counts().nodes.values())
        store_s = time.perf_counter() - start
        start = time.perf_counter()
        resolver = build_resolver(store)
        build_s = time.perf_counter() - start
        rows = queries(real, fake, count, rng)
        start, cpu = time.perf_counter(), time.process_time()
        results = screen(store, rows, resolver=resolver)
        screen_s, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    return {
        "organisations": stored,
        "store_build_s": round(store_s, 1),
        "resolver_build_s": round(build_s, 1),
        "names": len(rows),
        "screen_s": round(screen_s, 2),
        "names_per_s": round(len(rows) / screen_s, 1),
        "names_per_cpu_s": round(len(rows) / cpu_s, 1),
        "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "decisions": dict(Counter(r.decision for r in results)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ror", type=Path, default=ROR_DEFAULT)
    ap.add_argument("--orgs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=2_000)
    ap.add_argument("--store", type=Path, default=None, help="store file to build (default: a temporary file)")
    args = ap.parse_args(argv)
    if not args.ror.exists():
        print(f"ROR extract not found: {args.ror}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        res = run(args.ror, args.orgs, args.queries, args.store or Path(tmp) / "bench.db")
    for key, value in res.items():
        print(f"{key:>18}: {value}")
    ok = float(res["names_per_s"]) >= 200  # type: ignore[arg-type]
    verdict = "PASS" if ok else "FAIL"
    print(f"{verdict} screening throughput ≥ 200 names/s against {res['organisations']:,} organisations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
