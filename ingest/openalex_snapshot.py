"""Read an OpenAlex snapshot: find partitions, stream JSON lines, load incrementally.

Layouts accepted (``PATH`` may be any of these roots):

- 2026: ``<root>/data/jsonl/<entity>/updated_date=YYYY-MM-DD/part_NNNN.gz``;
- legacy flat: ``<root>/data/<entity>/updated_date=…/part_NNN.gz`` (also under
  ``legacy-data/``) and a bare ``<root>/<entity>/updated_date=…/part_NNN``;
- an entity folder itself (``…/institutions``) to load just that entity.

Parts are gzip or plain text (told apart by their first bytes). Entities are
loaded institutions, funders, awards, then works; partitions in date order.

Incremental: a checkpoint per entity (namespace ``checkpoints``, key
``openalex:snapshot:<entity>``) remembers the newest partition date loaded;
the next run skips older partitions and reloads that date's partition in case
it grew (unchanged files are skipped by their own checkpoint). A checkpoint
per part file records the lines committed, so a run killed mid-file resumes
at the next batch. ``full=True`` ignores both.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from graph.errors import RecordRejected
from graph.store import GraphStore
from ingest.openalex_aggregate import apply_works, write_records
from ingest.openalex_map import SOURCE, map_award, map_funder, map_institution
from ingest.openalex_works import WorkFacts, work_facts
from ingest.pipeline import CHECKPOINTS, IngestReport, Mapped, SourceRun, now_iso

__all__ = ["ENTITIES", "Partition", "find_partitions", "load_part", "read_records"]

log = logging.getLogger(__name__)

ENTITIES = ("institutions", "funders", "awards", "works")
_PARTITION = re.compile(r"^updated_date=(\d{4}-\d{2}-\d{2})$")
_MAPPERS: dict[str, Callable[[Any, SourceRun, str], list[Mapped]]] = {
    "institutions": map_institution,
    "funders": map_funder,
    "awards": map_award,
}
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Partition:
    entity: str
    date: str
    files: tuple[Path, ...]


def _entity_partitions(folder: Path, entity: str) -> list[Partition]:
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        m = _PARTITION.match(sub.name)
        if m:
            files = tuple(sorted(f for f in sub.iterdir() if f.is_file() and f.name.startswith("part_")))
            if files:
                found.append(Partition(entity, m.group(1), files))
    return sorted(found, key=lambda p: p.date)


def find_partitions(path: str | Path) -> dict[str, list[Partition]]:
    """Partitions per entity (date order) under any accepted layout; empty when none."""
    path = Path(path)
    if path.name in ENTITIES and path.is_dir():
        return {path.name: _entity_partitions(path, path.name)}
    for base in (path / "data" / "jsonl", path / "data", path / "legacy-data" / "data", path / "legacy-data", path):
        found = {e: _entity_partitions(base / e, e) for e in ENTITIES if (base / e).is_dir()}
        found = {e: parts for e, parts in found.items() if parts}
        if found:
            return found
    return {}


def _open(path: Path) -> IO[bytes]:
    with path.open("rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_records(path: Path, start: int = 0) -> Iterator[tuple[int, Any | RecordRejected]]:
    """(line number, parsed JSON or why not) for each non-blank line after line ``start``."""
    with _open(path) as fh:
        for number, raw in enumerate(fh, 1):
            if number <= start or not raw.strip():
                continue
            try:
                yield number, json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                yield (
                    number,
                    RecordRejected(
                        SOURCE, f"{path.name}:{number}", "line", f"not a JSON object: {exc}", f"{path}:{number}"
                    ),
                )


def _file_key(part: Partition, path: Path) -> str:
    return f"openalex:snapshot:{part.entity}/updated_date={part.date}/{path.name}"


def load_part(
    store: GraphStore,
    part: Partition,
    path: Path,
    report: IngestReport,
    *,
    retrieved_at: str,
    full: bool = False,
    batch: int = 1000,
    progress: Progress | None = None,
) -> None:
    """Load one part file in batches, checkpointing the lines committed after each."""
    key, size = _file_key(part, path), path.stat().st_size
    done = store.get_doc(CHECKPOINTS, key) or {}
    if full or done.get("size") != size:
        done = {}
    if done.get("complete"):
        report.skipped_by_checkpoint += int(done.get("records", 0))
        return
    start = int(done.get("line", 0))
    records = int(done.get("records", 0))
    report.skipped_by_checkpoint += records
    run = SourceRun(SOURCE, f"updated_date={part.date}", str(path), retrieved_at)
    chunk: list[tuple[int, Any]] = []
    for number, value in read_records(path, start):
        chunk.append((number, value))
        if len(chunk) >= batch:
            records += _write_chunk(store, part.entity, chunk, run, report)
            store.put_doc(CHECKPOINTS, key, {"line": number, "records": records, "size": size, "complete": False})
            if progress:
                progress(len(chunk))
            chunk = []
    records += _write_chunk(store, part.entity, chunk, run, report)
    store.put_doc(CHECKPOINTS, key, {"line": 0, "records": records, "size": size, "complete": True, "at": now_iso()})
    if progress and chunk:
        progress(len(chunk))


def _write_chunk(
    store: GraphStore, entity: str, chunk: list[tuple[int, Any]], run: SourceRun, report: IngestReport
) -> int:
    report.read += len(chunk)
    if entity == "works":
        facts: list[WorkFacts] = []
        for number, value in chunk:
            mapped = (
                value
                if isinstance(value, RecordRejected)
                else work_facts(value, run, location=f"{run.location}:{number}")
            )
            if isinstance(mapped, RecordRejected):
                report.rejected.append(mapped)
            else:
                facts.append(mapped)
        apply_works(store, facts, run, report)
    else:
        mapper = _MAPPERS[entity]
        items: list[Mapped] = []
        for number, value in chunk:
            items += [value] if isinstance(value, RecordRejected) else mapper(value, run, f"{run.location}:{number}")
        write_records(store, items, report)
    return len(chunk)
