"""rsgraph ingest openalex: the snapshot and/or one institution's works from the API."""

from __future__ import annotations

import sys

import click

from app.context import opened_store, store_option
from ingest.openalex import ingest_api, ingest_snapshot, link_identifiers
from ingest.pipeline import IngestReport

__all__ = ["openalex"]


class _Counter:
    """A one-line record counter on stderr while a long load runs (only on a terminal)."""

    def __init__(self) -> None:
        self.total = 0
        self.live = sys.stderr.isatty()

    def __call__(self, n: int) -> None:
        self.total += n
        if self.live:
            click.echo(f"\r  {self.total:,} records", nl=False, err=True)

    def done(self) -> None:
        if self.live and self.total:
            click.echo("", err=True)


def _show(report: IngestReport) -> bool:
    click.echo(report.summary())
    return report.failed is None


@click.command("openalex")
@click.option(
    "--snapshot",
    "snapshot",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Snapshot folder (2026 data/jsonl layout, legacy data/ layout, or <entity>/updated_date=… folders).",
)
@click.option(
    "--institution",
    default=None,
    metavar="ROR_OR_ID",
    help="Fetch this institution (I…, openalex URL, ROR id or URL) and its works from the API.",
)
@click.option(
    "--since", type=int, default=None, metavar="YEAR", help="With --institution: only works published in YEAR or later."
)
@click.option("--institutions-only", is_flag=True, help="With --institution: the institution record only, no works.")
@click.option(
    "--full", is_flag=True, help="With --snapshot: reload every partition, ignoring the updated_date checkpoints."
)
@click.option(
    "--link",
    "link_only",
    is_flag=True,
    help="Only (re)write SAME_AS links to ROR / CORDIS nodes now in the store (e.g. after ingesting ROR).",
)
@store_option
def openalex(
    snapshot: str | None,
    institution: str | None,
    since: int | None,
    institutions_only: bool,
    full: bool,
    link_only: bool,
    store: str | None,
) -> None:
    """Ingest OpenAlex: institutions, funders, awards and works aggregated into collaboration/funding edges.

    Needs --snapshot, --institution or --link. The API key comes from RSGRAPH_OPENALEX_API_KEY; list calls
    are counted against RSGRAPH_OPENALEX_DAILY_BUDGET and a stopped run resumes where it stopped.
    """
    if not (snapshot or institution or link_only):
        raise click.UsageError("give --snapshot PATH, --institution ROR_OR_ID, or --link")
    ok = True
    with opened_store(store) as (settings, graph):
        if link_only:
            click.echo(link_identifiers(graph).note())
        if snapshot:
            counter = _Counter()
            report = ingest_snapshot(graph, snapshot, settings=settings, full=full, progress=counter)
            counter.done()
            ok = _show(report) and ok
        if institution:
            try:
                report = ingest_api(
                    graph, institution, settings=settings, since=since, institutions_only=institutions_only
                )
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint="--institution") from exc
            ok = _show(report) and ok
    if not ok:
        sys.exit(1)
