"""rsgraph export NAME_OR_ID: the evidence subgraph (GraphML, GEXF, JSON or CSV) with a manifest."""

from __future__ import annotations

from pathlib import Path

import click

from app.commands.check import resolve_org, search_options
from app.context import opened_store
from ingest.lists_config import load_lists_config
from queries.export import EXPORT_FORMATS, export_evidence
from queries.report import CheckQuery, due_diligence


@click.command("export")
@click.argument("name_or_id")
@search_options
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="File format.")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), required=True, help="Directory to write.")
def export(
    name_or_id: str,
    country: str | None,
    hops: int,
    since: str | None,
    degree_cap: int,
    min_strength: float,
    max_edges: int,
    lists_config: Path | None,
    store: str | None,
    fmt: str,
    output: Path,
) -> None:
    """Write the evidence behind `rsgraph check NAME_OR_ID` (nodes, edges, provenance) plus manifest.json.

    The same store and query give byte-identical files; manifest.json lists the SHA-256 of each.
    """
    lists = load_lists_config(lists_config)
    with opened_store(store) as (_settings, handle):
        org = resolve_org(handle, name_or_id, country)
        query = CheckQuery(name_or_id, org.id, hops, since, degree_cap, min_strength, country, max_edges or None)
        manifest = export_evidence(handle, due_diligence(handle, query, lists=lists), output, fmt)
    for name, digest in manifest.files.items():
        click.echo(f"{output / name}  sha256:{digest}")
    click.echo(f"{manifest.path}")
