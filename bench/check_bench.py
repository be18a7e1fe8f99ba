"""`rsgraph check` benchmark: due diligence with 3 hops on a generated graph, and the sample report.

    python -m bench.check_bench --orgs 1000000 --edges 5000000 --db /tmp/bench-1m.db
    python -m bench.check_bench --orgs 100000 --edges 500000 --store neo4j
    python -m bench.check_bench --samples-only

The graph comes from :mod:`bench.generate` (skewed degrees: a few hubs with
thousands of partners). ``--db`` keeps the embedded store between runs (it is
built once; building 1M/5M takes most of an hour). Organisations are sampled
as in ``bench.store_bench`` (random, at most 5,000 edges) and also per degree
band up to 5,000, so the hubs the target names are measured, not averaged away.

One untimed pass over the random sample first brings the store's pages into
the OS cache, as for a store in use. Three ways of running a check are
timed, each = everything ``rsgraph check``
does after opening the store and resolving the id (designations, ties,
profile, signals, limits) plus rendering Markdown:

- ``single``: as one CLI call: the concern index is built inside the check;
- ``warm``: as the app and ``screen`` run: the concern index is built once per
  store version (its time is reported apart);
- ``cached``: ``warm`` plus the concern neighbourhood, built once, so the
  last step of every path is read from memory.

After building the two indexes the benchmark calls ``gc.freeze()``: without
it, Python's collector rescans the large long-lived indexes during checks and
adds up to a second to some of them (measured: warm p95 1.07 s → 0.33 s).

The sample report (``data/samples``, built with ``rsgraph demo --no-serve``) is
timed end to end as a user runs it: ``rsgraph check NAME --format html`` in a
new process, name resolution included.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench.generate import GraphSpec, generate_edges, generate_nodes, org_id
from bench.store_bench import percentile, timed_upsert
from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from queries.concern import concern_index, concern_neighbourhood
from queries.lists import AllListsCount
from queries.render import render_markdown
from queries.report import CheckQuery, due_diligence
from queries.ties import TIE_KINDS

OUT = Path(__file__).parent / "out"
BANDS = ((1, 10), (11, 100), (101, 1000), (1001, 5000))
SAMPLE_NAMES = ("University of Porto", "Imperial College London", "Wuhan University", "Beihang University")


def build_embedded(path: Path, spec: GraphSpec) -> EmbeddedStore:
    store = EmbeddedStore(path)
    counts = store.counts().as_dict()
    if sum(counts["nodes"].values()) == 0:
        print(f"building {spec.orgs:,} organisations / {spec.edges:,} edges in {path} …", flush=True)
        timed_upsert(store.upsert_nodes, generate_nodes(spec))
        timed_upsert(store.upsert_edges, generate_edges(spec))
    return store


def build_neo4j(workdir: Path, spec: GraphSpec) -> GraphStore:
    from bench.store_bench import open_bench_store

    store = open_bench_store("neo4j", workdir)
    timed_upsert(store.upsert_nodes, generate_nodes(spec))
    timed_upsert(store.upsert_edges, generate_edges(spec))
    return store


def sample(store: GraphStore, spec: GraphSpec, queries: int) -> dict[str, list[str]]:
    """Random organisations (≤ 5,000 edges) and up to ``queries // 8`` per degree band."""
    rng = np.random.default_rng(7)
    ids = [org_id(int(i)) for i in rng.integers(0, spec.orgs, size=queries * 3)]
    degree = {i: store.degree(i) for i in ids}
    groups = {"random": [i for i in ids if degree[i] <= 5000][:queries]}
    per_band = max(5, queries // 8)
    for lo, hi in BANDS:
        band: list[str] = []
        candidates = [org_id(i) for i in range(min(spec.orgs, 20_000))] if lo > 100 else ids
        for i in candidates:
            d = degree.get(i) if i in degree else store.degree(i)
            if lo <= (d or 0) <= hi:
                band.append(i)
            if len(band) >= per_band:
                break
        groups[f"degree {lo}-{hi}"] = band
    return groups


def timed(check: Callable[[str], int], ids: list[str]) -> dict[str, Any]:
    times, cpu, ties = [], [], []
    for i in ids:
        t, c = time.perf_counter(), time.process_time()
        ties.append(check(i))
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    if not times:
        return {"n": 0}
    return {
        "n": len(times),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "max_ms": round(max(times), 1),
        "cpu_p50_ms": round(percentile(cpu, 50), 1),  # CPU time: comparable when the machine is shared
        "cpu_p95_ms": round(percentile(cpu, 95), 1),
        "mean_ties": round(float(np.mean(ties)), 1),
    }


def run_checks(store: GraphStore, groups: dict[str, list[str]], hops: int) -> dict[str, Any]:
    lists = AllListsCount()  # the generated designations are on "bench_list", which lists.toml does not know
    t = time.perf_counter()
    concern = concern_index(store, lists)
    concern_s = time.perf_counter() - t
    t = time.perf_counter()
    cache = concern_neighbourhood(store, concern, TIE_KINDS)
    cache_s = time.perf_counter() - t
    gc.freeze()  # long-lived indexes out of the collector's way, as a long-running app would do

    def single(i: str) -> int:
        fresh = concern_index(store, lists)  # not the process's shared index: a CLI call builds its own
        r = due_diligence(store, CheckQuery(i, i, hops), lists=lists, concern=fresh)
        render_markdown(r)
        return len(r.ties.ties)

    def warm(i: str) -> int:
        r = due_diligence(store, CheckQuery(i, i, hops), lists=lists, concern=concern)
        render_markdown(r)
        return len(r.ties.ties)

    def cached(i: str) -> int:
        r = due_diligence(store, CheckQuery(i, i, hops), lists=lists, concern=concern, cache=cache)
        render_markdown(r)
        return len(r.ties.ties)

    out: dict[str, Any] = {"concern_index_s": round(concern_s, 2), "concern_neighbourhood_s": round(cache_s, 2)}
    out["concern_entities"] = concern.entities
    for i in groups["random"]:
        warm(i)  # one untimed pass: the store's pages in the OS cache, as for a store in use
    for name, ids in groups.items():
        few = ids[: max(5, len(ids) // 10)]
        out[name] = {"single": timed(single, few), "warm": timed(warm, ids), "cached": timed(cached, ids)}
        print(f"  {name}: {json.dumps(out[name])}", flush=True)
    return out


def sample_report(workdir: Path) -> dict[str, Any]:
    """`rsgraph check NAME --format html` on the sample world, end to end in a new process."""
    db = workdir / "samples.db"
    rsgraph = [sys.executable, "-m", "app.cli"]
    subprocess.run([*rsgraph, "demo", "--no-serve", "--store", str(db)], check=True, capture_output=True)
    times = {}
    for name in SAMPLE_NAMES:
        t = time.perf_counter()
        out = workdir / "report.html"
        subprocess.run(
            [*rsgraph, "check", name, "--store", str(db), "--format", "html", "--output", str(out)],
            check=True,
            capture_output=True,
        )
        times[name] = round(time.perf_counter() - t, 2)
    return {"seconds": times, "max_s": max(times.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=500_000)
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--db", type=Path, default=None, help="embedded store file to build once and reuse")
    parser.add_argument("--queries", type=int, default=100, help="random organisations (bands get a share)")
    parser.add_argument("--hops", type=int, default=3)
    parser.add_argument("--samples-only", action="store_true", help="only time the sample report")
    args = parser.parse_args()
    result: dict[str, Any] = {
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "hops": args.hops,
        "loadavg_1m_at_start": round(os.getloadavg()[0], 1),
    }
    with tempfile.TemporaryDirectory() as tmp:
        result["sample_report"] = sample_report(Path(tmp))
        print(f"sample report: {result['sample_report']}", flush=True)
        if not args.samples_only:
            spec = GraphSpec(args.orgs, args.edges)
            db = args.db or Path(tmp) / "bench.db"
            store = build_embedded(db, spec) if args.store == "embedded" else build_neo4j(Path(tmp), spec)
            result.update(store=args.store, orgs=args.orgs, edges=args.edges)
            try:
                result["checks"] = run_checks(store, sample(store, spec, args.queries), args.hops)
            finally:
                store.close()
                if args.store == "neo4j":
                    from graph import neo4j_server

                    neo4j_server.stop(Path(tmp) / "neo4j")
    OUT.mkdir(exist_ok=True)
    name = "samples" if args.samples_only else f"{args.store}-{args.orgs}"
    (OUT / f"check-{name}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
