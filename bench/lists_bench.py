"""Lists benchmark: stream an OpenSanctions-``default``-sized FtM file, watch memory stay flat.

    python -m bench.lists_bench                       # 1,000,000 lines: read + map, then ingest (embedded)
    python -m bench.lists_bench --lines 200000 --no-store

The file is generated in a temporary folder from the real shapes in
``../shared/data/real/opensanctions/eu_fsf/entities.ftm.json``: mostly persons,
like the real ``default`` export, about 20 % organisations, with Sanction and
Address entities placed before or after the organisation they belong to (so
the two-pass join is exercised). Each phase reports lines/s and the peak RSS
of the process (``resource.getrusage``; target < 500 MB), split from /proc into
anonymous memory (Python heap and SQLite page caches) and file-backed pages
(the embedded store maps up to 1 GB of its file; those pages are the page
cache, shared and reclaimable, not memory the ingest holds).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.embedded import EmbeddedStore
from graph.settings import load_settings
from ingest.lists import ingest_lists, read_list
from ingest.lists_entry import ListEntry

REAL = Path(__file__).resolve().parent.parent.parent / "shared/data/real/opensanctions/eu_fsf/entities.ftm.json"
SEED = 20261121
# share of lines per kind; the rest are relationship entities (not organisations, not persons)
MIX = (("Person", 0.55), ("Organization", 0.20), ("Sanction", 0.15), ("Address", 0.05), ("Vessel", 0.02))


def _templates() -> dict[str, list[dict[str, Any]]]:
    by_schema: dict[str, list[dict[str, Any]]] = {}
    for line in REAL.read_text(encoding="utf-8").splitlines():
        entity = json.loads(line)
        by_schema.setdefault(entity["schema"], []).append(entity)
    return by_schema


def _vary(template: dict[str, Any], eid: str, n: int, rng: random.Random) -> dict[str, Any]:
    entity: dict[str, Any] = json.loads(json.dumps(template))
    entity["id"] = eid
    props = entity.setdefault("properties", {})
    props["name"] = [f"{v} {n}" for v in props.get("name", [entity.get("caption", "x")])]
    entity["caption"] = props["name"][0]
    entity["datasets"] = [rng.choice(["eu_fsf", "us_ofac_sdn", "gb_fcdo_sanctions", "un_sc_sanctions"])]
    entity["last_seen"] = "2026-11-01T06:00:00"
    return entity


def generate(path: Path, lines: int) -> None:
    """Write ``lines`` FtM lines; deterministic for a given count (seeded)."""
    rng = random.Random(SEED)
    t = _templates()
    kinds = [k for k, _ in MIX] + ["Ownership"]
    weights = [w for _, w in MIX] + [1.0 - sum(w for _, w in MIX)]
    orgs: list[str] = []
    with path.open("w", encoding="utf-8") as fh:
        for n in range(lines):
            kind = rng.choices(kinds, weights)[0]
            if kind == "Organization":
                eid = f"NK-bench-org-{n}"
                orgs.append(eid)
                entity = _vary(rng.choice(t["Organization"]), eid, n, rng)
            elif kind in ("Person", "Vessel"):
                entity = _vary(rng.choice(t["Person"]), f"NK-bench-{kind.lower()}-{n}", n, rng)
                entity["schema"] = kind
            elif kind == "Sanction":
                target = orgs[rng.randrange(len(orgs))] if orgs and rng.random() < 0.5 else f"NK-bench-org-{n + 7}"
                entity = {
                    "id": f"bench-sanction-{n}",
                    "schema": "Sanction",
                    "datasets": ["eu_fsf"],
                    "properties": {
                        "entity": [target],
                        "program": ["EU-BENCH"],
                        "startDate": ["2022-06-03"],
                        "reason": [f"Bench reason {n}"],
                    },
                }
            elif kind == "Address":
                entity = {**t["Address"][0], "id": f"bench-addr-{n}", "referents": [f"addr-bench-{n}"]}
            else:
                entity = {"id": f"bench-own-{n}", "schema": "Ownership", "properties": {"owner": [f"NK-bench-{n}"]}}
            fh.write(json.dumps(entity, ensure_ascii=False) + "\n")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Sampler:
    """Peak anonymous (heap, SQLite page caches) and file-backed (mmap of the store) RSS, from /proc."""

    def __init__(self, every: float = 0.5) -> None:
        self.peak = {"RssAnon": 0, "RssFile": 0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _read(self) -> None:
        try:
            lines = Path("/proc/self/status").read_text().splitlines()
        except OSError:
            return
        for line in lines:
            key, _, value = line.partition(":")
            if key in self.peak:
                self.peak[key] = max(self.peak[key], int(value.split()[0]) // 1024)

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            self._read()

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._read()


def _phase(name: str, lines: int, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.monotonic()
    with _Sampler() as sampler:
        detail = run()
    elapsed = time.monotonic() - started
    row = {
        "phase": name,
        "lines": lines,
        "seconds": round(elapsed, 1),
        "lines_per_s": round(lines / elapsed),
        "peak_rss_mb": round(_rss_mb()),
        "peak_anon_mb": sampler.peak["RssAnon"],
        "peak_file_mb": sampler.peak["RssFile"],
        **detail,
    }
    print(json.dumps(row), flush=True)
    return row


def _read_only(path: Path) -> dict[str, Any]:
    entries = sum(isinstance(item, ListEntry) for item in read_list(path))
    return {"organisations": entries}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--no-store", action="store_true", help="only read and map; skip the embedded-store ingest")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rsgraph-lists-bench-") as tmp:
        path = Path(tmp) / "entities.ftm.json"
        started = time.monotonic()
        generate(path, args.lines)
        print(
            json.dumps(
                {
                    "generated": args.lines,
                    "bytes": path.stat().st_size,
                    "seconds": round(time.monotonic() - started, 1),
                    "peak_rss_mb": round(_rss_mb()),
                }
            ),
            flush=True,
        )
        _phase("read+map", args.lines, lambda: _read_only(path))
        if not args.no_store:

            def ingest() -> dict[str, Any]:
                with EmbeddedStore(Path(tmp) / "bench.db") as store:
                    report = ingest_lists(store, str(path), settings=load_settings(cache_dir=tmp))
                    return {"records": report.read, "written": report.written, "notes": report.notes}

            _phase("ingest embedded", args.lines, ingest)


if __name__ == "__main__":
    main()
