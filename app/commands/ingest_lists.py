"""rsgraph ingest lists: a list of entities of concern, in any format rsgraph reads."""

from __future__ import annotations

import sys

import click

from app.context import opened_store, store_option
from graph.errors import SourceUnavailable
from ingest.lists import FORMATS, UnknownFormat, ingest_lists
from ingest.lists_config import load_lists_config

__all__ = ["lists"]

SHOW_REJECTED = 10


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


@click.command("lists")
@click.argument("path_or_url")
@click.option(
    "--list",
    "list_key",
    default=None,
    metavar="NAME",
    help="List key (from lists.toml) for every entry; for a multi-list file (CSL) only that list's rows.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="The file's format; by default told from its content.",
)
@click.option(
    "--version",
    "version",
    default=None,
    metavar="VERSION",
    help="Dataset version; by default read from the file (or its latest listing date).",
)
@click.option(
    "--lists-config",
    "lists_config",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A TOML file whose [lists.<key>] tables override or extend the shipped lists.toml.",
)
@store_option
def lists(
    path_or_url: str,
    list_key: str | None,
    fmt: str | None,
    version: str | None,
    lists_config: str | None,
    store: str | None,
) -> None:
    """Ingest a list of entities of concern from PATH_OR_URL.

    Reads OpenSanctions exports (entities.ftm.json, delta files, targets.simple.csv) and curated CSVs
    (DoD 1260H, NDAA §1286 and siblings, BIS MEU, PRC counter-sanctions), the US Consolidated Screening
    List (CSV, JSON), OFAC sdn.csv (+ add.csv, alt.csv beside it), BIS Denied Persons, the EU Financial
    Sanctions File, the UK Sanctions List (XML, CSV) and the UN consolidated list. Organisations become
    designated entities; persons and vessels are counted and skipped. Exits non-zero only if the whole
    source failed.
    """
    try:
        config = load_lists_config(lists_config)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    counter = _Counter()
    with opened_store(store) as (settings, handle):
        try:
            report = ingest_lists(
                handle,
                path_or_url,
                list_key=list_key,
                settings=settings,
                config=config,
                version=version,
                fmt=fmt,
                progress=counter,
            )
        except (UnknownFormat, FileNotFoundError, SourceUnavailable) as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            counter.done()
    click.echo(report.summary())
    for rejected in report.rejected[:SHOW_REJECTED]:
        click.echo(f"  quarantined: {rejected}")
    if len(report.rejected) > SHOW_REJECTED:
        click.echo(f"  … and {len(report.rejected) - SHOW_REJECTED:,} more (see the store's quarantine)")
    if report.failed:
        raise click.ClickException(f"the whole source failed: {report.failed}")
