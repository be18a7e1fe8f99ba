"""rsgraph watch add|remove|list: the organisations alert runs look at."""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict
from pathlib import Path

import click

from app.context import opened_store, store_option
from queries.watchlist import WatchError, unwatch, watch, watch_csv, watched

__all__ = ["watch_group"]


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


@click.group("watch")
def watch_group() -> None:
    """Watch organisations: alert runs report what changes around them."""


@watch_group.command("add")
@click.argument("name_or_id", required=False)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Add every row of a CSV (column id, name_or_id or name; optional why/note, by, country).",
)
@click.option("--by", "by", default=None, metavar="NAME", help="Who adds it (default: the login name).")
@click.option("--why", "why", default="", metavar="TEXT", help="Why it is watched, e.g. the partnership.")
@click.option(
    "--country",
    "country",
    default=None,
    metavar="CC",
    help="ISO-2 country to narrow a name (resolution only; never a signal).",
)
@store_option
def add(
    name_or_id: str | None, csv_path: Path | None, by: str | None, why: str, country: str | None, store: str | None
) -> None:
    """Watch NAME_OR_ID (any id form `rsgraph check` accepts, or a name), or every row of --csv."""
    if (name_or_id is None) == (csv_path is None):
        raise click.UsageError("give NAME_OR_ID or --csv FILE (one of them)")
    who = by or _user()
    with opened_store(store) as (_settings, handle):
        if csv_path is not None:
            try:
                result = watch_csv(handle, csv_path, by=who, why=why)
            except WatchError as exc:
                raise click.ClickException(str(exc)) from None
            for e in result.added:
                click.echo(f"watching {e.org_id} {e.name}")
            click.echo(
                f"{len(result.added)} added, {len(result.already)} already watched, {len(result.errors)} rejected"
            )
            for err in result.errors:
                click.echo(f"  rejected: {err}", err=True)
            if result.errors:
                raise SystemExit(1)
            return
        assert name_or_id is not None
        try:
            entry, new = watch(handle, name_or_id, by=who, why=why, country=country)
        except WatchError as exc:
            raise click.ClickException(str(exc)) from None
    if new:
        click.echo(f"watching {entry.org_id} {entry.name} (added by {entry.added_by})")
    else:
        click.echo(f"already watched: {entry.org_id} {entry.name} (added by {entry.added_by} at {entry.added_at})")


@watch_group.command("remove")
@click.argument("name_or_id")
@store_option
def remove(name_or_id: str, store: str | None) -> None:
    """Stop watching NAME_OR_ID."""
    with opened_store(store) as (_settings, handle):
        try:
            entry = unwatch(handle, name_or_id)
        except WatchError as exc:
            raise click.ClickException(str(exc)) from None
    if entry is None:
        raise click.ClickException(f"{name_or_id!r} is not watched; see `rsgraph watch list`")
    click.echo(f"no longer watching {entry.org_id} {entry.name}")


@watch_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the watchlist as JSON.")
@store_option
def list_(as_json: bool, store: str | None) -> None:
    """The watched organisations, who added each, when and why."""
    with opened_store(store) as (_settings, handle):
        entries = watched(handle)
    if as_json:
        click.echo(json.dumps([asdict(e) for e in entries], indent=2, ensure_ascii=False))
        return
    for e in entries:
        click.echo(f"{e.org_id}\t{e.name}\t{e.added_by}\t{e.added_at[:19]}Z\t{e.why}")
    click.echo(f"{len(entries)} watched")
