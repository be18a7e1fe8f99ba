"""rsgraph check NAME_OR_ID: due diligence on one organisation (Markdown, HTML or JSON report)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from app.context import opened_store, store_option
from graph.model import Node
from graph.store import GraphStore
from ingest.lists_config import load_lists_config
from queries.identify import Ambiguous, Candidate, NotFound, WrongKind, identify
from queries.render import FORMATS, render
from queries.report import CheckQuery, due_diligence
from queries.ties import DEFAULT_DEGREE_CAP, DEFAULT_MAX_EDGES, DEFAULT_MIN_STRENGTH, MAX_HOPS

__all__ = ["check", "resolve_org", "search_options"]

F = TypeVar("F", bound=Callable[..., Any])


def _listing(candidates: tuple[Candidate, ...]) -> str:
    rows = [f"  {c.id:<28} {c.name} ({c.country or '??'}) — {c.band}, {c.explanation}" for c in candidates]
    return "\n".join(rows)


def resolve_org(store: GraphStore, text: str, country: str | None) -> Node:
    """The organisation NAME_OR_ID denotes, or a clear error (candidates, suggestions, wrong kind)."""
    try:
        found = identify(store, text, country=country)
    except WrongKind as exc:
        raise click.BadParameter(str(exc), param_hint="NAME_OR_ID") from exc
    if isinstance(found, Ambiguous):
        raise click.UsageError(
            f"{text!r} may be several organisations; choose one by id (e.g. rsgraph check {found.candidates[0].id}):\n"
            + _listing(found.candidates)
        )
    if isinstance(found, NotFound):
        hint = ("\nDid you mean:\n" + _listing(found.suggestions)) if found.suggestions else ""
        raise click.ClickException(f"no organisation found for {text!r}{hint}")
    return found.org


def _hops(_ctx: click.Context, _param: click.Parameter, value: int) -> int:
    if not 1 <= value <= MAX_HOPS:
        raise click.BadParameter(f"must be between 1 and {MAX_HOPS}, got {value}")
    return value


def _since(_ctx: click.Context, _param: click.Parameter, value: int | None) -> str | None:
    if value is None:
        return None
    if not 1900 <= value <= 2100:
        raise click.BadParameter(f"give a four-digit year, got {value}")
    return str(value)


def search_options(func: F) -> F:
    """The options shared by check and export."""
    for option in reversed(
        [
            click.option(
                "--country", metavar="CC", help="ISO-2 country; only narrows name resolution, never a signal."
            ),
            click.option("--hops", default=3, show_default=True, callback=_hops, help=f"Path length, 1..{MAX_HOPS}."),
            click.option("--since", type=int, callback=_since, metavar="YEAR", help="Only ties dated from YEAR on."),
            click.option(
                "--degree-cap",
                default=DEFAULT_DEGREE_CAP,
                show_default=True,
                help="Nodes with more edges are hubs: reached, not expanded.",
            ),
            click.option(
                "--min-strength",
                default=DEFAULT_MIN_STRENGTH,
                show_default=True,
                help="Ties longer than one hop below this strength are not searched (0 = all).",
            ),
            click.option(
                "--max-edges",
                default=DEFAULT_MAX_EDGES,
                show_default=True,
                help="Edges the tie search may read beyond the organisation's own, strongest first (0 = no bound).",
            ),
            click.option(
                "--lists-config",
                type=click.Path(dir_okay=False, path_type=Path),
                help="A lists.toml laid over the shipped one (weights, legal effect).",
            ),
            store_option,
        ]
    ):
        func = option(func)
    return func


@click.command("check")
@click.argument("name_or_id")
@search_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True, help="Report format.")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here (default: stdout)."
)
def check(
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
    output: Path | None,
) -> None:
    """Due diligence on NAME_OR_ID: identity, designations, indirect ties, profile, three signals, limits.

    NAME_OR_ID is a name in any script, an rsgraph id (ror:…), a ROR id or URL, an OpenAlex institution
    id, or a CORDIS PIC. An ambiguous name lists the candidates to choose from by id.
    """
    lists = load_lists_config(lists_config)
    with opened_store(store) as (_settings, handle):
        org = resolve_org(handle, name_or_id, country)
        query = CheckQuery(name_or_id, org.id, hops, since, degree_cap, min_strength, country, max_edges or None)
        text = render(due_diligence(handle, query, lists=lists), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
