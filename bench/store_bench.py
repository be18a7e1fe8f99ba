"""Store benchmark: bulk upsert rate and k-hop neighbourhood latency.

    python -m bench.store_bench --orgs 100000 --edges 500000 --store embedded
    python -m bench.store_bench --orgs 1000000 --edges 5000000 --store embedded
    python -m bench.store_bench --orgs 100000 --edges 500000 --store neo4j

Writes ``bench/out/store-<store>-<orgs>.json`` and prints a Markdown table
row; ``--doc`` appends it to docs/benchmarks.md. Upsert rates count only
time spent inside the store's upsert calls and its ``bulk()`` block (so
the embedded store's index rebuild at the end of a bulk load is counted),
not record generation; ``*_cpu_s`` rates use this process's CPU time over
the same spans, which is steadier on a shared machine. Each latency is
measured with full attributes and ids-only (``attributes=False``).
Peak resident memory is reported for the whole run and apart for the load
and the queries (Linux: the high-water mark is reset between phases), so a
large query result is not mistaken for the store's own footprint. ``--db``
builds the embedded store at that path and keeps it, so ``bench.check_bench``
and ``bench.alerts_bench`` can reuse the same 1M/5M graph.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from bench.generate import GraphSpec, generate_edges, generate_nodes, org_id
from graph.batching import batches
from graph.embedded import EmbeddedStore
from graph.model import Edge, Node
from graph.store import GraphStore, SubgraphQuery, UpsertResult

T = TypeVar("T", Node, Edge)
OUT = Path(__file__).parent / "out"
DOC = Path(__file__).parent.parent / "docs" / "benchmarks.md"
DEGREE_CAP = 1000


def timed_upsert(
    upsert: Callable[[list[T]], UpsertResult], records: Iterable[T], size: int = 50_000
) -> tuple[int, float, float]:
    """Records upserted, wall seconds and CPU seconds spent inside ``upsert``."""
    n, spent, cpu = 0, 0.0, 0.0
    for chunk in batches(records, size):
        t, c = time.perf_counter(), time.process_time()
        upsert(chunk)
        spent += time.perf_counter() - t
        cpu += time.process_time() - c
        n += len(chunk)
    return n, spent, cpu


def timed_bulk_load(
    store: GraphStore, upsert: Callable[[list[T]], UpsertResult], records: Iterable[T]
) -> tuple[int, float, float]:
    """Like :func:`timed_upsert` inside ``store.bulk()``, counting entering and leaving it too."""
    t, c = time.perf_counter(), time.process_time()
    block = store.bulk()
    block.__enter__()
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    try:
        n, spent, spent_cpu = timed_upsert(upsert, records)
    finally:
        t, c = time.perf_counter(), time.process_time()
        block.__exit__(None, None, None)
        wall += time.perf_counter() - t
        cpu += time.process_time() - c
    return n, wall + spent, cpu + spent_cpu


def peak_rss_mb(reset: bool = False) -> int:
    """This process's resident high-water mark in MB (Linux ``VmHWM``); ``reset`` starts a new phase."""
    status = Path("/proc/self/status")
    if not status.exists():
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    hwm = next(int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmHWM:"))
    if reset:
        Path("/proc/self/clear_refs").write_text("5")
    return round(hwm / 1024)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def query_latency(
    store: GraphStore, seeds: list[str], hops: int, cap: int | None, *, attributes: bool = True
) -> dict[str, float]:
    times: list[float] = []
    sizes: list[int] = []
    for seed in seeds:
        t = time.perf_counter()
        g = store.subgraph(SubgraphQuery((seed,), hops=hops, degree_cap=cap, attributes=attributes))
        times.append((time.perf_counter() - t) * 1000)
        sizes.append(g.number_of_nodes())
    return {
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "mean_nodes": round(statistics.mean(sizes)),
        "max_nodes": max(sizes),
    }


def latencies(store: GraphStore, seeds: list[str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, hops, cap in (("hop2", 2, None), ("hop2_capped", 2, DEGREE_CAP), ("hop3_capped", 3, DEGREE_CAP)):
        out[name] = query_latency(store, seeds, hops, cap)
        out[name + "_ids"] = query_latency(store, seeds, hops, cap, attributes=False)
    return out


def open_bench_store(kind: str, workdir: Path, db: Path | None = None) -> GraphStore:
    if kind == "embedded":
        return EmbeddedStore(db or workdir / "bench.db")
    from graph import neo4j_server
    from graph.neo4j_store import Neo4jStore

    info = neo4j_server.start(workdir / "neo4j", 17687)
    store = Neo4jStore(info.bolt_uri, user="neo4j", password=neo4j_server.password_for_uri(info.bolt_uri) or "")
    store.clear()
    return store


def load(store: GraphStore, spec: GraphSpec) -> dict[str, Any]:
    n_nodes, t_nodes, c_nodes = timed_bulk_load(store, store.upsert_nodes, generate_nodes(spec))
    n_edges, t_edges, c_edges = timed_bulk_load(store, store.upsert_edges, generate_edges(spec))
    return {
        "nodes": n_nodes,
        "edges": n_edges,
        "node_upsert_per_s": round(n_nodes / t_nodes),
        "edge_upsert_per_s": round(n_edges / t_edges),
        "node_upsert_per_cpu_s": round(n_nodes / c_nodes),
        "edge_upsert_per_cpu_s": round(n_edges / c_edges),
        "load_average_at_load": round(os.getloadavg()[0], 1),
    }


def run(
    kind: str, spec: GraphSpec, queries: int, workdir: Path, db: Path | None = None, reuse: bool = False
) -> dict[str, Any]:
    store = open_bench_store(kind, workdir, db)
    peak_rss_mb(reset=True)
    if reuse:
        counts = store.counts()
        loaded: dict[str, Any] = {"nodes": sum(counts.nodes.values()), "edges": sum(counts.edges.values())}
    else:
        loaded = load(store, spec)
    rss_load = peak_rss_mb(reset=True)
    rng = np.random.default_rng(7)
    candidates = [org_id(int(i)) for i in rng.integers(0, spec.orgs, size=queries * 3)]
    seeds = [s for s in candidates if store.degree(s) <= 5000][:queries]
    result = {
        "store": kind,
        "orgs": spec.orgs,
        **loaded,
        **latencies(store, seeds),
        "degree_cap": DEGREE_CAP,
        "queries": len(seeds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_load_mb": rss_load,
        "peak_rss_queries_mb": peak_rss_mb(),
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
    }
    if isinstance(store, EmbeddedStore):
        result["file_mb"] = round(Path(store.path).stat().st_size / 2**20)
    store.close()
    if kind == "neo4j":
        from graph import neo4j_server

        neo4j_server.stop(workdir / "neo4j")
    return result


def table_row(r: dict[str, Any]) -> str:
    return (
        f"| {r['store']} | {r['orgs']:,} / {r['edges']:,} | {r.get('node_upsert_per_s', 0):,} "
        f"| {r.get('edge_upsert_per_s', 0):,} "
        f"| {r['hop2']['p50_ms']} / {r['hop2']['p95_ms']} "
        f"| {r['hop2_capped']['p50_ms']} / {r['hop2_capped']['p95_ms']} "
        f"| {r['hop3_capped']['p50_ms']} / {r['hop3_capped']['p95_ms']} ({r['hop3_capped']['mean_nodes']:,} nodes) "
        f"| {r.get('peak_rss_load_mb', r['peak_rss_mb']):,} / {r.get('peak_rss_queries_mb', r['peak_rss_mb']):,} |"
    )


def with_row(doc: str, row: str) -> str:
    """``doc`` with ``row`` added at the end of the store table (the one whose header starts ``| store |``)."""
    lines = doc.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| store |"))
    end = start
    while end + 1 < len(lines) and lines[end + 1].startswith("|"):
        end += 1
    return "\n".join([*lines[: end + 1], row, *lines[end + 1 :]]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=500_000)
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=None, help="where the store is built (default: a temp dir)")
    parser.add_argument("--db", type=Path, default=None, help="embedded: build the store here and keep it")
    parser.add_argument("--reuse", action="store_true", help="with --db: query the store already there, no load")
    parser.add_argument("--doc", action="store_true", help="append the table row to docs/benchmarks.md")
    args = parser.parse_args()
    spec = GraphSpec(args.orgs, args.edges)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        result = run(args.store, spec, args.queries, Path(tmp), args.db, args.reuse and args.db is not None)
    OUT.mkdir(exist_ok=True)
    (OUT / f"store-{args.store}-{args.orgs}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print(table_row(result))
    if args.doc:
        DOC.write_text(with_row(DOC.read_text(encoding="utf-8"), table_row(result)), encoding="utf-8")


if __name__ == "__main__":
    main()
