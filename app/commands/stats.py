"""rsgraph stats: node and edge counts per kind."""

from __future__ import annotations

import json

import click

from app.context import opened_store, store_option


@click.command("stats")
@store_option
@click.option("--json", "as_json", is_flag=True, help='Print {"nodes": {KIND: N}, "edges": {KIND: N}} as JSON.')
def stats(store: str | None, as_json: bool) -> None:
    """Count nodes and edges per kind."""
    with opened_store(store) as (_settings, handle):
        counts = handle.counts().as_dict()
    if as_json:
        click.echo(json.dumps(counts, indent=2, sort_keys=True))
        return
    for section in ("nodes", "edges"):
        click.echo(f"{section}:")
        for kind, n in counts[section].items():
            click.echo(f"  {kind:<20} {n:>10,}")
        click.echo(f"  {'total':<20} {sum(counts[section].values()):>10,}")
