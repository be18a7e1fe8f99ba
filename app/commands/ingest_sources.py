"""rsgraph ingest ror | cordis | all: bulk sources and a configured set of them."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import click

from app.context import opened_store, store_option
from graph.resolve.linker import link
from graph.settings import Settings
from graph.store import GraphStore
from ingest.config import WHOLE_SOURCE_ERRORS, SourceSpec, failed_report, run_config
from ingest.cordis_files import ingest_cordis
from ingest.pipeline import IngestReport
from ingest.ror_dump import ingest_ror

__all__ = ["cordis", "ingest_all", "ror"]

SHOW_REJECTED = 5


class RateLine:
    """A records-and-rate line on stderr (a terminal only), redrawn at most twice a second."""

    def __init__(self, label: str) -> None:
        self.label, self.done, self.started = label, 0, time.monotonic()
        self._shown = 0.0
        self.live = sys.stderr.isatty()

    def __call__(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if self.live and now - self._shown >= 0.5:
            self._shown = now
            rate = self.done / max(now - self.started, 1e-9)
            click.echo(f"\r{self.label}: {self.done:,} records, {rate:,.0f}/s   ", nl=False, err=True)

    def close(self) -> None:
        if self._shown:
            click.echo("", err=True)


def show_report(report: IngestReport) -> None:
    """The summary and the first quarantined records with file/line, field and reason."""
    click.echo(report.summary())
    for rejected in report.rejected[:SHOW_REJECTED]:
        click.echo(f"  quarantined: {rejected}")
    more = len(report.rejected) - SHOW_REJECTED
    if more > 0:
        click.echo(f"  … and {more:,} more quarantined (kept in the store's quarantine)")


def _run(store: str | None, source: str, location: str, ingest: Callable[..., IngestReport], **kwargs: object) -> None:
    with opened_store(store) as (settings, handle):
        progress = RateLine(source)
        try:
            report = ingest(handle, location, settings=settings, progress=progress, **kwargs)
        except WHOLE_SOURCE_ERRORS as exc:
            progress.close()
            failed_report(handle, source, location, exc)
            raise click.ClickException(f"{source}: the whole source failed: {exc}") from None
        progress.close()
        show_report(report)
    if report.failed:
        raise click.ClickException(f"{source}: the whole source failed: {report.failed}")


@click.command("ror")
@click.argument("path_or_url")
@click.option(
    "--version", "version", default=None, help="Dataset version (default: from the file name, e.g. v1.55-2024-10-31)."
)
@store_option
def ror(path_or_url: str, version: str | None, store: str | None) -> None:
    """Ingest a ROR dump: .json (v1 or v2 records), the release .zip, or a URL to either."""
    _run(store, "ror", path_or_url, ingest_ror, version=version)


@click.command("cordis")
@click.argument("path_or_url")
@click.option("--version", "version", default=None, help="Dataset version (default: programme and newest update date).")
@store_option
def cordis(path_or_url: str, version: str | None, store: str | None) -> None:
    """Ingest CORDIS projects and participants: a bulk zip (CSV or JSON), a folder, a file, or a URL."""
    _run(store, "cordis", path_or_url, ingest_cordis, version=version)


def _ingest_all(handle: GraphStore, config: str, settings: Settings) -> list[IngestReport]:
    lines: list[RateLine] = []

    def progress_for(spec: SourceSpec) -> RateLine:
        lines.append(RateLine(spec.kind))
        return lines[-1]

    def on_report(report: IngestReport) -> None:
        for line in lines:
            line.close()
        lines.clear()
        show_report(report)

    return run_config(handle, config, settings, progress_for=progress_for, on_report=on_report)


@click.command("all")
@click.option(
    "--config",
    "config",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="TOML file listing [[source]] entries.",
)
@store_option
def ingest_all(config: str, store: str | None) -> None:
    """Ingest every source listed in a config file, in order; exits non-zero if any source failed entirely."""
    with opened_store(store) as (settings, handle):
        try:
            reports = _ingest_all(handle, config, settings)
        except (ValueError, OSError) as exc:
            raise click.ClickException(f"{config}: {exc}") from None
        linked = link(handle)
        click.echo(f"resolution: {linked.match} records linked, {linked.possible} possible links for review")
    failed = [r for r in reports if r.failed]
    click.echo(f"{len(reports) - len(failed)} of {len(reports)} sources ingested")
    if failed:
        raise click.ClickException("failed: " + "; ".join(f"{r.source} {r.location}: {r.failed}" for r in failed))
