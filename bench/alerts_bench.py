"""Alert-run benchmark: 1,000 watched organisations on the generated graph, embedded store.

    python -m bench.alerts_bench --orgs 100000 --edges 500000
    python -m bench.alerts_bench --orgs 1000000 --edges 5000000 --db /tmp/alerts-1m.db

Builds the graph of :mod:`bench.generate` (or reuses ``--db`` when it holds
it), watches ``--watched`` organisations drawn at random (seeded; by default
uniformly, ``--sample weighted`` draws them like collaboration partners, so
hubs are over-represented), then times three full alert runs: the first
(baselines), a second with no data change (must raise nothing), and a third
after designating organisations next to some watched ones (must raise
alerts). Writes ``bench/out/alerts-embedded-<orgs>.json`` and prints it.
Target: a run over 1,000 watched organisations on the 1M/5M graph in under
5 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from collections import Counter
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from bench.generate import ALPHA, GraphSpec, generate_edges, generate_nodes, org_id
from bench.store_bench import timed_upsert
from graph.embedded import EmbeddedStore
from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from queries.alert_kinds import DEFAULT_MIN_PATH_LEVEL
from queries.alerts import RunReport, run_alerts
from queries.watchlist import NAMESPACE, WatchEntry

OUT = Path(__file__).parent / "out"
ADDED_AT = "2026-11-01T00:00:00.000000Z"


def build(spec: GraphSpec, db: Path) -> EmbeddedStore:
    store = EmbeddedStore(db)
    counts = store.counts()
    if counts.nodes.get("Organisation") == spec.orgs and sum(counts.edges.values()) >= spec.edges * 0.95:
        print(f"reusing {db}: {counts.as_dict()}", flush=True)
        return store
    t = time.perf_counter()
    timed_upsert(store.upsert_nodes, generate_nodes(spec))
    timed_upsert(store.upsert_edges, generate_edges(spec))
    print(f"built {db} in {time.perf_counter() - t:.0f}s: {store.counts().as_dict()}", flush=True)
    return store


def choose(spec: GraphSpec, n: int, sample: str) -> list[str]:
    rng = np.random.default_rng(11)
    if sample == "weighted":
        weights = 1.0 / np.arange(1, spec.orgs + 1) ** ALPHA
        picked = rng.choice(spec.orgs, size=n, replace=False, p=weights / weights.sum())
    else:
        picked = rng.choice(spec.orgs, size=n, replace=False)
    return [org_id(int(i)) for i in sorted(picked.tolist())]


def watch_all(store: EmbeddedStore, ids: list[str]) -> None:
    for doc_id, node in store.get_nodes(ids).items():
        entry = WatchEntry(doc_id, node.name, "bench", ADDED_AT, "benchmark", doc_id)
        store.put_doc(NAMESPACE, doc_id, asdict(entry))


def designate_neighbours(store: EmbeddedStore, watched: list[str], count: int) -> list[str]:
    """Put a co-author of each of the first ``count`` watched organisations on a new list (version 2)."""
    prov = Provenance("bench", "d-new", "https://bench.invalid/new", "2026-11-02T00:00:00Z", "bench-2")
    targets: list[str] = []
    for org in watched:
        partners = [e.dst if e.src == org else e.src for e in store.edges_of(org, kinds=[EdgeKind.COLLABORATED_WITH])]
        fresh = [p for p in partners if p not in watched and p not in targets]
        if fresh:
            targets.append(fresh[0])
        if len(targets) == count:
            break
    nodes = [
        Node(
            f"bench:dnew{i}",
            NodeKind.DESIGNATION,
            f"New designation {i}",
            prov,
            {
                "list": "bench_list_2",
                "legal_effect": "legal_restriction",
                "listed_on": "2026-11-02",
                "status": "active",
            },
        )
        for i in range(len(targets))
    ]
    store.upsert_nodes(nodes)
    store.upsert_edges(
        Edge(EdgeKind.DESIGNATED_ON, t, f"bench:dnew{i}", prov, start="2026-11-02") for i, t in enumerate(targets)
    )
    return targets


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed_run(store: EmbeddedStore, hops: int, workers: int, level: str) -> tuple[RunReport, float, float]:
    """The run's report, wall seconds and CPU seconds (this process and its finished workers)."""
    t, c = time.perf_counter(), _cpu()
    opener = partial(EmbeddedStore, store.path)
    report = run_alerts(store, hops=hops, workers=workers, opener=opener, min_path_level=level)
    return report, time.perf_counter() - t, _cpu() - c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=500_000)
    parser.add_argument("--watched", type=int, default=1000)
    parser.add_argument("--hops", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="processes computing states (RSGRAPH_ALERTS_WORKERS)")
    parser.add_argument("--sample", choices=["uniform", "weighted"], default="uniform")
    parser.add_argument(
        "--min-path-level",
        choices=["low", "medium", "high"],
        default=DEFAULT_MIN_PATH_LEVEL,
        help="least level of a multi-hop tie that alerts (RSGRAPH_ALERTS_MIN_PATH_LEVEL)",
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="store file to build or reuse (default: /tmp/alerts-bench-<orgs>.db)"
    )
    args = parser.parse_args()
    spec = GraphSpec(args.orgs, args.edges)
    store = build(spec, args.db or Path(f"/tmp/alerts-bench-{args.orgs}.db"))
    for ns in (NAMESPACE, "alert_state", "alerts", "alert_reviews", "alert_delivery", "alert_digests", "alert_runs"):
        for key, _doc in list(store.iter_docs(ns)):
            store.delete_doc(ns, key)
    stale = [e.id for e in store.iter_edges(kind=EdgeKind.DESIGNATED_ON) if e.dst.startswith("bench:dnew")]
    store.remove_edges(stale)  # designations added by an earlier benchmark run
    watched = choose(spec, args.watched, args.sample)
    watch_all(store, watched)
    degrees = sorted(store.degree(w) for w in watched)
    first, t1, c1 = timed_run(store, args.hops, args.workers, args.min_path_level)
    print(f"run 1 (baselines): {t1:.1f}s wall, {c1:.1f}s CPU", flush=True)
    second, t2, c2 = timed_run(store, args.hops, args.workers, args.min_path_level)
    print(f"run 2 (no change): {t2:.1f}s wall, {c2:.1f}s CPU, {len(second.raised)} alerts", flush=True)
    targets = designate_neighbours(store, watched, 20)
    third, t3, c3 = timed_run(store, args.hops, args.workers, args.min_path_level)
    print(f"run 3 ({len(targets)} designated): {t3:.1f}s wall, {c3:.1f}s CPU, {len(third.raised)} alerts", flush=True)
    result: dict[str, Any] = {
        "store": "embedded",
        "orgs": spec.orgs,
        "edges": spec.edges,
        "watched": len(watched),
        "sample": args.sample,
        "hops": args.hops,
        "workers": args.workers,
        "loadavg_1m_at_end": round(os.getloadavg()[0], 1),
        "watched_degree": {
            "p50": degrees[len(degrees) // 2],
            "p95": degrees[int(len(degrees) * 0.95)],
            "max": degrees[-1],
        },
        "run1_baseline_s": round(t1, 1),
        "run1_cpu_s": round(c1, 1),
        "run2_cpu_s": round(c2, 1),
        "run3_cpu_s": round(c3, 1),
        "run2_unchanged_s": round(t2, 1),
        "run2_alerts": len(second.raised),
        "run3_changed_s": round(t3, 1),
        "run3_designated": len(targets),
        "run3_alerts": len(third.raised),
        "run3_alert_kinds": sorted({a.alert.kind for a in third.raised}),
        "run3_alerts_by_severity": dict(Counter(a.alert.severity for a in third.raised).most_common()),
        "min_path_level": args.min_path_level,
        "baselined": len(first.baselined),
        "errors": len(first.errors) + len(second.errors) + len(third.errors),
        "per_org_ms": round(t2 / max(1, len(watched)) * 1000, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "machine": platform.machine(),
    }
    store.close()
    OUT.mkdir(exist_ok=True)
    (OUT / f"alerts-embedded-{spec.orgs}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
