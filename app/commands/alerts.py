"""rsgraph alerts run|list|review|schedule: what changed around watched organisations, delivered once."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from app.context import opened_store, store_option
from graph.settings import Settings
from graph.store import GraphStore
from ingest.lists_config import load_lists_config
from queries.alert_digest import alert_payload
from queries.alert_job import run_job
from queries.alert_lock import RunLocked
from queries.alert_schedule import parse_every, run_every
from queries.alerts import RunReport, list_alerts, review_alert
from queries.delivery.jsonl import append_lines

__all__ = ["alerts"]

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


@click.group("alerts")
def alerts() -> None:
    """Alert runs over the watchlist: new designations, new paths, stronger ties, new SAME_AS links."""


def _refresh(handle: GraphStore, settings: Settings, config: Path) -> None:
    """Re-run the configured ingest (incremental: unchanged records are not rewritten), then re-link."""
    from graph.resolve.linker import link
    from ingest.config import run_config

    reports = run_config(handle, config, settings)
    for r in reports:
        click.echo(f"refresh: {r.summary().splitlines()[0]}")
    link(handle)


def _write_output(path: Path, report: RunReport) -> None:
    append_lines(path, [alert_payload(a) for a in report.raised], offset=0)


def _show(report: RunReport) -> None:
    counts = ", ".join(f"{n} {k}" for k, n in sorted(report.outcomes.items()) if k != "baselined") or "no changes"
    resumed = " (resumed after an interruption)" if report.resumed else ""
    click.echo(
        f"alert run {report.run_id}{resumed}: {report.watched} watched, {len(report.baselined)} baselined, "
        f"{len(report.raised)} new alert(s); {counts}; {report.seconds:.1f}s"
    )
    for a in report.raised:
        al = a.alert
        click.echo(f"  [{al.severity.upper()}] {al.org_name}: {al.title}  ({al.id})")
    for d in report.deliveries:
        click.echo(f"  {d.channel}: {d.status}, {d.alerts} alert(s), digest {d.digest}: {d.detail}")
    for err in report.errors:
        click.echo(f"  error: {err}", err=True)


def _job(
    store: str | None, refresh: Path | None, output: Path | None, hops: int | None, lists_config: str | None
) -> RunReport:
    lists = load_lists_config(lists_config)
    with opened_store(store) as (settings, handle):
        before = (lambda: _refresh(handle, settings, refresh)) if refresh is not None else None
        report = run_job(handle, settings, lists=lists, hops=hops, before=before)
    if output is not None:
        _write_output(output, report)
    _show(report)
    return report


def _run_options(func: F) -> F:
    for option in reversed(
        [
            click.option(
                "--refresh", is_flag=True, help="Re-run the ingest config (--config) incrementally first, then re-link."
            ),
            click.option(
                "--config",
                "config",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                default=None,
                help="Ingest config (TOML [[source]] list) that --refresh re-runs.",
            ),
            click.option(
                "--output",
                "output",
                type=click.Path(dir_okay=False, path_type=Path),
                default=None,
                help="Also write this run's new alerts to FILE as JSON lines.",
            ),
            click.option(
                "--hops",
                "hops",
                type=click.IntRange(1, 4),
                default=None,
                help="k for new paths (default: RSGRAPH_ALERTS_HOPS).",
            ),
            click.option(
                "--lists-config",
                "lists_config",
                type=click.Path(exists=True, dir_okay=False),
                default=None,
                help="A TOML file overriding or extending the shipped lists.toml.",
            ),
            store_option,
        ]
    ):
        func = option(func)
    return func


def _refresh_config(refresh: bool, config: Path | None) -> Path | None:
    if refresh and config is None:
        raise click.UsageError("--refresh needs --config FILE (the ingest config to re-run)")
    return config if refresh else None


@alerts.command("run")
@_run_options
def run(
    refresh: bool,
    config: Path | None,
    output: Path | None,
    hops: int | None,
    lists_config: str | None,
    store: str | None,
) -> None:
    """Compare every watched organisation with the last run, record new alerts, deliver them."""
    try:
        report = _job(store, _refresh_config(refresh, config), output, hops, lists_config)
    except RunLocked as exc:
        raise click.ClickException(str(exc)) from None
    if report.failed or report.errors:
        raise click.ClickException(
            f"{len(report.failed)} delivery(ies) failed and {len(report.errors)} organisation(s) could not be checked; "
            "undelivered alerts stay pending and go out with the next run"
        )


@alerts.command("schedule")
@click.option("--every", "every", required=True, metavar="INTERVAL", help="How often: e.g. 24h, 6h, 30m, 1d.")
@click.option("--runs", "runs", type=int, default=None, hidden=True, help="Stop after N runs (tests).")
@_run_options
def schedule(
    every: str,
    runs: int | None,
    refresh: bool,
    config: Path | None,
    output: Path | None,
    hops: int | None,
    lists_config: str | None,
    store: str | None,
) -> None:
    """Run the alert job every INTERVAL, for ever (Ctrl-C stops); an overlapping run is skipped."""
    try:
        seconds = parse_every(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    source = _refresh_config(refresh, config)

    def job() -> None:
        try:
            _job(store, source, output, hops, lists_config)
        except RunLocked as exc:
            click.echo(f"skipped: {exc}", err=True)
        except click.ClickException as exc:
            click.echo(f"alert run failed: {exc.format_message()}", err=True)

    click.echo(f"running alerts every {every} ({seconds:.0f}s); Ctrl-C stops")
    run_every(seconds, job, runs=runs)


@alerts.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include alerts already reviewed.")
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as JSON.")
@store_option
def list_(show_all: bool, as_json: bool, store: str | None) -> None:
    """Open alerts, most severe first (with --all, reviewed ones too)."""
    with opened_store(store) as (_settings, handle):
        views = list_alerts(handle, include_reviewed=show_all)
    if as_json:
        rows = [{**alert_payload(v.stored), "reviewed": v.reviewed, "deliveries": v.deliveries} for v in views]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for v in views:
        al = v.stored.alert
        mark = f"reviewed by {v.review.by}" if v.reviewed and v.review else "open"
        click.echo(f"{al.id}  [{al.severity.upper()}] {al.org_name}: {al.title}  ({mark}; raised {v.stored.raised_at})")
    click.echo(f"{len(views)} alert(s)")


@alerts.command("review")
@click.argument("alert_id")
@click.option("--by", "by", required=True, metavar="NAME", help="Who reviewed it.")
@click.option("--note", "note", default="", metavar="TEXT", help="What was concluded.")
@store_option
def review(alert_id: str, by: str, note: str, store: str | None) -> None:
    """Mark ALERT_ID reviewed: it is not raised again unless its evidence changes."""
    with opened_store(store) as (_settings, handle):
        try:
            r = review_alert(handle, alert_id, by=by, note=note)
        except (LookupError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"{r.alert_id} reviewed by {r.by} at {r.at}")
