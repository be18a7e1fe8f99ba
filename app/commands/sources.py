"""rsgraph sources: what was ingested when, with versions and counts."""

from __future__ import annotations

import json

import click

from app.context import opened_store, store_option
from ingest.pipeline import run_log

__all__ = ["sources"]

_COLUMNS = (
    ("started_at", 20),
    ("source", 18),
    ("dataset_version", 22),
    ("read", 10),
    ("written", 10),
    ("rejected", 9),
    ("elapsed", 8),
    ("status", 6),
)


def _row(run: dict[str, object]) -> dict[str, object]:
    return {**run, "status": "FAILED" if run.get("failed") else "ok"}


def _cell(value: object, width: int) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
        return text.rjust(width)
    return str(value if value is not None else "").ljust(width)[:width]


@click.command("sources")
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print the run log as a JSON list, oldest first.")
def sources(store: str | None, as_json: bool) -> None:
    """Show every ingest run: source, dataset version, when, counts, and whether it failed."""
    with opened_store(store) as (_settings, handle):
        runs = sorted(run_log(handle), key=lambda r: str(r.get("started_at", "")))
    if as_json:
        click.echo(json.dumps(runs, indent=2, ensure_ascii=False))
        return
    if not runs:
        click.echo("no ingest runs recorded in this store")
        return
    click.echo("  ".join(name.ljust(width) if i < 3 else name.rjust(width) for i, (name, width) in enumerate(_COLUMNS)))
    for run in map(_row, runs):
        click.echo("  ".join(_cell(run.get(name), width) for name, width in _COLUMNS))
        click.echo(f"  {run.get('location', '')}")
        if run.get("failed"):
            click.echo(f"  failed: {run['failed']}")
        for note in run.get("notes") or []:  # type: ignore[attr-defined]
            click.echo(f"  {note}")
