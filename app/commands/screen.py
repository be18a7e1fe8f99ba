"""rsgraph screen: screen a partner list (CSV or XLSX) against the store."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from app.context import opened_store, store_option
from graph.store import GraphStore
from ingest.lists_config import load_lists_config
from queries.concern import concern_index
from queries.equivalence import same_as_policy
from queries.screen import Annotator
from queries.screen import screen as screen_rows
from queries.screen_io import InputError, read_rows, write_rows
from queries.screen_signals import signals_annotator


def _signals(store: GraphStore) -> Annotator:
    lists, policy = load_lists_config(), same_as_policy(store)
    return signals_annotator(lists=lists, concern=concern_index(store, lists, policy), policy=policy)


@click.command("screen")
@click.argument("input_path", metavar="INPUT.csv|.xlsx", type=click.Path(path_type=Path))
@click.option(
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="Where to write the results (.csv or .xlsx).",
)
@click.option(
    "--signals/--no-signals",
    default=True,
    show_default=True,
    help="Fill legal_restriction, advisory_listing, network_proximity, strongest_path for matches.",
)
@store_option
def screen(input_path: Path, output: Path, signals: bool, store: str | None) -> None:
    """Resolve each row (columns: name, optional country as ISO-2, optional id) and write one result row each.

    Output columns: id, name, country, match_id, match_ror, match_name, score, decision (match | possible |
    none | invalid; only match counts as a match), explanation, then the due-diligence columns. Bad rows
    (empty name, unknown country code, bytes that are not UTF-8) are reported with their row number and
    the run goes on.
    """
    try:
        rows, problems = read_rows(input_path)
    except InputError as exc:
        raise click.ClickException(str(exc)) from exc
    for p in problems:
        click.echo(f"warning: {p}", err=True)
    with opened_store(store) as (_settings, handle):
        results = screen_rows(handle, rows, annotate=_signals(handle) if signals else None)
    written = write_rows(output, results)
    counts = Counter(r.decision for r in results)
    summary = ", ".join(f"{counts[d]} {d}" for d in ("match", "possible", "none", "invalid") if counts[d])
    click.echo(f"screened {written} rows → {output}: {summary or 'nothing'}; {len(problems)} problems reported")
