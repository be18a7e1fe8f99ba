"""rsgraph demo: the main job on the embedded default with the samples."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from app.context import opened_store, store_option
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
def demo(store: str | None, config: Path) -> None:
    """Build the demo graph from data/samples/ and print what it holds."""
    with opened_store(store) as (settings, handle):
        logging.getLogger("ingest").setLevel(logging.WARNING)
        click.echo(f"building the demo graph in {settings.store} from {config}")
        reports = run_config(handle, config, settings, on_report=_echo)
        counts = handle.counts().as_dict()
    failed = [r for r in reports if r.failed]
    click.echo(f"\n{len(reports) - len(failed)} of {len(reports)} sources ingested")
    for section in ("nodes", "edges"):
        click.echo(f"{section}: " + ", ".join(f"{k} {v:,}" for k, v in counts[section].items()))
    click.echo(f"\nnext: rsgraph stats --store {settings.store}")
    if failed:
        raise SystemExit(1)


def _echo(report: IngestReport) -> None:
    click.echo("  " + report.summary().splitlines()[0])
