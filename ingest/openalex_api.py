"""The OpenAlex API: one institution and its works, budget-aware and resumable.

``GET /institutions/<I… | ror:…>`` is a free singleton call (a merged id
answers 301 to its successor, which ``requests`` follows; the record's own id
is then used). Works come from ``GET /works?filter=authorships.institutions.
lineage:I…,publication_year:>Y-1`` with cursor paging (``per_page=100``,
``cursor=*`` then ``meta.next_cursor``), folded page by page into aggregated
edges (:mod:`ingest.openalex_aggregate`).

Budget: list calls are counted per UTC day in the store (namespace
``openalex_budget``); the run stops before the count would pass
``Settings.openalex_daily_budget``. OpenAlex's own refusal (HTTP 403 over
budget, or a 429 whose ``Retry-After`` is too long to wait) also stops the
walk cleanly for the day; other failures (5xx after retries) fail the run. After every page the next cursor is saved
(namespace ``checkpoints``, key ``openalex:api:works:<I…>:<since>``), so a
budget stop, an HTTP 403/429 the client could not get past, or a killed
process resumes at the first page not yet applied. A finished walk starts
again from ``*`` next time (re-reading works changes no counts). The API key
travels as the ``api_key`` parameter and is redacted from every log line and
error by :mod:`ingest.http`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from graph.errors import RecordRejected, SourceUnavailable
from graph.store import GraphStore
from ingest.http import HttpClient, HttpStatusError
from ingest.openalex_aggregate import apply_works, write_records
from ingest.openalex_map import SOURCE, map_institution, oa_id, ror_short
from ingest.openalex_works import WorkFacts, work_facts
from ingest.pipeline import CHECKPOINTS, IngestReport, SourceRun

__all__ = ["BUDGET", "PER_PAGE", "Budget", "fetch_institution", "ingest_works", "institution_ref"]

log = logging.getLogger(__name__)

BUDGET = "openalex_budget"
PER_PAGE = 100
SELECT = "id,publication_year,authorships,funders,awards"
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def institution_ref(value: str) -> str:
    """The path segment for ``/institutions/<ref>``: ``I123`` or ``ror:0abcdef12``."""
    short = oa_id(value, "I")
    if short:
        return short
    ror = ror_short(value)
    if ror:
        return f"ror:{ror}"
    raise ValueError(f"not an OpenAlex institution id (I…) or a ROR id: {value!r}")


class Budget:
    """List calls spent per UTC day, kept in the store so every run shares the count."""

    def __init__(self, store: GraphStore, limit: int, day: str) -> None:
        self.store, self.limit, self.day = store, limit, day

    def used(self) -> int:
        return int((self.store.get_doc(BUDGET, self.day) or {}).get("list_calls", 0))

    def spend(self) -> bool:
        """Count one list call, or return False if that would pass the daily limit."""
        used = self.used()
        if used >= self.limit:
            return False
        self.store.put_doc(BUDGET, self.day, {"list_calls": used + 1, "limit": self.limit})
        return True


def _params(api_key: str, **params: Any) -> dict[str, Any]:
    return {**params, "api_key": api_key} if api_key else params


def fetch_institution(client: HttpClient, base: str, ref: str, api_key: str) -> dict[str, Any]:
    """The institution record (free singleton GET); raises SourceUnavailable."""
    raw = client.get_json(f"{base}/institutions/{ref}", params=_params(api_key), ttl=0)
    if not isinstance(raw, Mapping) or not oa_id(raw.get("id"), "I"):
        raise SourceUnavailable(SOURCE, f"/institutions/{ref} did not return an institution record")
    return dict(raw)


def load_institution(store: GraphStore, raw: Mapping[str, Any], run: SourceRun, report: IngestReport) -> str:
    """Write the institution with its hierarchy; returns its canonical short id (I…)."""
    report.read += 1
    write_records(store, map_institution(raw, run, run.location), report)
    return str(oa_id(raw.get("id"), "I"))


def _page_facts(results: list[Any], run: SourceRun, report: IngestReport, where: str) -> list[WorkFacts]:
    facts: list[WorkFacts] = []
    for index, raw in enumerate(results):
        mapped = work_facts(raw, run, location=f"{where} result {index}")
        if isinstance(mapped, RecordRejected):
            report.rejected.append(mapped)
        else:
            facts.append(mapped)
    return facts


def _over_budget(exc: SourceUnavailable) -> bool:
    """403 (over budget) or a 429 the client could not wait out: stop for today, not a failure."""
    if isinstance(exc, HttpStatusError):
        return exc.status in (403, 429)
    return "HTTP 429" in exc.reason  # ingest.http gave up on 429s (Retry-After too long, or retries spent)


def _page(client: HttpClient, base: str, params: dict[str, Any]) -> tuple[list[Any], str | None]:
    page = client.get_json(f"{base}/works", params=params, ttl=0)
    if not isinstance(page, Mapping) or not isinstance(page.get("results"), list):
        raise SourceUnavailable(SOURCE, "a /works page has no 'results' list")
    meta: Mapping[str, Any] = page["meta"] if isinstance(page.get("meta"), Mapping) else {}
    cursor = meta.get("next_cursor")
    return list(page["results"]), cursor if isinstance(cursor, str) and cursor else None


def ingest_works(
    store: GraphStore,
    client: HttpClient,
    institution: str,
    run: SourceRun,
    report: IngestReport,
    *,
    base: str,
    api_key: str,
    budget: Budget,
    since: int | None = None,
) -> bool:
    """Walk the institution's works from the saved cursor; True when the walk finished."""
    key = f"openalex:api:works:{institution}:{since if since is not None else 'all'}"
    saved = store.get_doc(CHECKPOINTS, key) or {}
    resuming = bool(saved) and not saved.get("complete")
    cursor = str(saved["cursor"]) if resuming else "*"
    pages, works = (int(saved.get("pages", 0)), int(saved.get("works", 0))) if resuming else (0, 0)
    if resuming:
        report.notes.append(f"resumed the works walk after {pages} pages ({works:,} works) at the saved cursor")
    filters = f"authorships.institutions.lineage:{institution}" + (f",publication_year:>{since - 1}" if since else "")
    while True:
        if not budget.spend():
            report.notes.append(
                f"stopped before the daily OpenAlex budget ({budget.limit:,} list calls, UTC {budget.day}) was spent; "
                f"{pages} pages done, the next run resumes at the saved cursor"
            )
            return False
        params = _params(api_key, filter=filters, per_page=PER_PAGE, cursor=cursor, select=SELECT)
        try:
            results, next_cursor = _page(client, base, params)
        except SourceUnavailable as exc:
            if not _over_budget(exc):
                raise
            note = f"OpenAlex refused a list call ({exc.reason}); stopped, the next run resumes at page {pages + 1}"
            report.notes.append(note)
            return False
        report.read += len(results)
        apply_works(store, _page_facts(results, run, report, f"works page {pages + 1}"), run, report)
        pages, works = pages + 1, works + len(results)
        if next_cursor is None or not results:
            store.put_doc(CHECKPOINTS, key, {"cursor": None, "pages": pages, "works": works, "complete": True})
            report.notes.append(f"works walk complete: {pages} pages, {works:,} works")
            return True
        store.put_doc(CHECKPOINTS, key, {"cursor": next_cursor, "pages": pages, "works": works, "complete": False})
        cursor = next_cursor
