"""rsgraph demo: the main job on the embedded default with the samples, ending in the analyst app."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from app.commands.app import serve
from app.context import opened_store, store_option
from graph.resolve.linker import link
from ingest.config import run_config
from ingest.pipeline import IngestReport

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples" / "config.toml"


@click.command("demo")
@store_option
@click.option(
    "--config",
    "config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=SAMPLES,
    show_default="data/samples/config.toml",
    help="Ingest config to load.",
)
@click.option(
    "--serve/--no-serve",
    "serve_app",
    default=True,
    show_default=True,
    help="After loading, open the analyst app on the demo store (--no-serve: just load).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port of the app.")
def demo(store: str | None, config: Path, serve_app: bool, port: int) -> None:
    """Build the demo graph from data/samples/, print what it holds, then open the app on it."""
    with opened_store(store) as (settings, handle):
        logging.getLogger("ingest").setLevel(logging.WARNING)
        logging.getLogger("graph.resolve").setLevel(logging.WARNING)
        click.echo(f"building the demo graph in {settings.store} from {config}")
        reports = run_config(handle, config, settings, on_report=_echo)
        linked = link(handle)
        click.echo(f"  resolution: {linked.match} records linked, {linked.possible} possible links for review")
        counts = handle.counts().as_dict()
    failed = [r for r in reports if r.failed]
    click.echo(f"\n{len(reports) - len(failed)} of {len(reports)} sources ingested")
    for section in ("nodes", "edges"):
        click.echo(f"{section}: " + ", ".join(f"{k} {v:,}" for k, v in counts[section].items()))
    if failed:
        raise SystemExit(1)
    if not serve_app:
        click.echo(f"\nnext: rsgraph app --store {settings.store}")
        return
    click.echo("")
    serve(settings.store, port=port)


def _echo(report: IngestReport) -> None:
    click.echo("  " + report.summary().splitlines()[0])
