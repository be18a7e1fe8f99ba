"""Ingest throughput into the embedded store, on full-size inputs generated from real shapes.

    python -m bench.ingest_bench                  # ROR 120k records + CORDIS 35k/180k
    python -m bench.ingest_bench --only ror --ror 50000

Targets (issue #3): ROR dump size ≥ 5,000 records/s; CORDIS H2020 size
(35k projects, 180k participations) under 60 s. Besides the end-to-end
numbers, each source is split into phases — reading and parsing, mapping,
and the store — so a miss says where the time goes. CPU seconds are
reported next to wall seconds because a busy machine inflates the latter.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench.source_gen import write_cordis_csv, write_ror_dump
from graph.embedded import EmbeddedStore
from graph.settings import load_settings
from ingest.cordis_files import cordis_records, find_inputs, ingest_cordis, read_rows
from ingest.jsonstream import iter_json_records
from ingest.pipeline import SourceRun, cyclic_gc_paused
from ingest.ror import map_record
from ingest.ror_dump import choose_member, ingest_ror
from ingest.sourcefile import open_text

__all__ = ["bench_cordis", "bench_ror", "main"]


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def timed_phase(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """:func:`timed`, with the garbage collector paused as the pipeline pauses it."""
    with cyclic_gc_paused():
        return timed(fn)


def _count(items: Iterable[Any]) -> int:
    return sum(1 for _ in items)


def bench_ror(workdir: Path, count: int) -> dict[str, Any]:
    dump, gen_s, _ = timed(lambda: write_ror_dump(workdir / "v9.9-2026-01-01-ror-data_schema_v2.json", count))
    member = choose_member(dump)
    run = SourceRun("ror", "bench", str(dump))

    def parse() -> int:
        with open_text(member) as fh:
            return _count(iter_json_records(fh))

    def parse_map() -> int:
        with open_text(member) as fh:
            return sum(len(map_record(r.value, run)) for r in iter_json_records(fh))

    _, parse_s, parse_cpu = timed_phase(parse)
    items, map_s, map_cpu = timed_phase(parse_map)
    store = EmbeddedStore(workdir / "ror.db")
    cfg = load_settings(env={}, cache_dir=str(workdir / "cache"))
    load_before = os.getloadavg()
    report, wall, cpu = timed(lambda: ingest_ror(store, str(dump), settings=cfg))
    nodes = store.counts().nodes.get("Organisation", 0)
    edges = sum(store.counts().edges.values())
    store.close()
    return {
        "records": count,
        "file_mb": round(dump.stat().st_size / 2**20, 1),
        "generate_s": round(gen_s, 1),
        "nodes": nodes,
        "edges": edges,
        "mapped_items": items,
        "ingest_wall_s": round(wall, 1),
        "ingest_cpu_s": round(cpu, 1),
        "load_average_around_ingest": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "records_per_s_wall": round(count / wall),
        "records_per_s_cpu": round(count / cpu),
        "phase_cpu_s": {
            "read_parse": round(parse_cpu, 1),
            "map": round(map_cpu - parse_cpu, 1),
            "pipeline_and_store": round(cpu - map_cpu, 1),
        },
        "phase_wall_s": {"read_parse": round(parse_s, 1), "parse_and_map": round(map_s, 1)},
        "target_records_per_s": 5000,
        "bulk": report.bulk,
        "rejected": len(report.rejected),
        "failed": report.failed,
    }


def bench_cordis(workdir: Path, projects: int, participations: int) -> dict[str, Any]:
    folder, gen_s, _ = timed(lambda: write_cordis_csv(workdir / "cordis", projects, participations))
    inputs = find_inputs(folder)
    run = SourceRun("cordis", "bench", str(folder))

    def parse() -> int:
        return sum(_count(read_rows(m)) for m in (inputs.projects, inputs.organisations) if m is not None)

    def parse_map() -> int:
        rows = list(read_rows(inputs.projects)) if inputs.projects else []
        return _count(cordis_records(run, rows, inputs.organisations))

    _, parse_s, parse_cpu = timed_phase(parse)
    items, map_s, map_cpu = timed_phase(parse_map)
    store = EmbeddedStore(workdir / "cordis.db")
    cfg = load_settings(env={}, cache_dir=str(workdir / "cache"))
    load_before = os.getloadavg()
    report, wall, cpu = timed(lambda: ingest_cordis(store, str(folder), settings=cfg))
    counts = store.counts()
    store.close()
    return {
        "projects": projects,
        "participations": participations,
        "csv_mb": round(sum(p.stat().st_size for p in (folder / "csv").iterdir()) / 2**20, 1),
        "generate_s": round(gen_s, 1),
        "nodes": dict(counts.nodes),
        "edges": dict(counts.edges),
        "mapped_items": items,
        "ingest_wall_s": round(wall, 1),
        "ingest_cpu_s": round(cpu, 1),
        "load_average_around_ingest": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "phase_cpu_s": {
            "read_parse": round(parse_cpu, 1),
            "map": round(map_cpu - parse_cpu, 1),
            "pipeline_and_store": round(cpu - map_cpu, 1),
        },
        "phase_wall_s": {"read_parse": round(parse_s, 1), "parse_and_map": round(map_s, 1)},
        "target_s": 60,
        "bulk": report.bulk,
        "rejected": len(report.rejected),
        "failed": report.failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ror", type=int, default=120_000, help="ROR records to generate")
    parser.add_argument("--projects", type=int, default=35_000)
    parser.add_argument("--participations", type=int, default=180_000)
    parser.add_argument("--only", choices=["ror", "cordis"], default=None)
    parser.add_argument("--workdir", type=Path, default=None, help="where inputs and stores go (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rsgraph-ingest-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        result: dict[str, Any] = {"load_average_at_start": os.getloadavg(), "cpus": os.cpu_count()}
        if args.only in (None, "ror"):
            result["ror"] = bench_ror(workdir, args.ror)
        if args.only in (None, "cordis"):
            result["cordis"] = bench_cordis(workdir, args.projects, args.participations)
        result["load_average_at_end"] = os.getloadavg()
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
