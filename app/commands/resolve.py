"""rsgraph resolve: SAME_AS links, analyst judgements and look-ups."""

from __future__ import annotations

import click

from app.context import opened_store, store_option
from graph.resolve.judgements import history
from graph.resolve.linker import DEFAULT_SOURCES, DEFAULT_TARGETS, judge, link, links_for_review, lookup


@click.group("resolve")
def resolve() -> None:
    """Link records of one organisation across sources and record analysts' judgements."""


@resolve.command("link")
@store_option
@click.option(
    "--source",
    "sources",
    multiple=True,
    default=DEFAULT_SOURCES,
    show_default=True,
    help="Id prefixes of the records to link (list entries, CORDIS participants).",
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    default=DEFAULT_TARGETS,
    show_default=True,
    help="Id prefixes of the organisations to link them to.",
)
def link_cmd(store: str | None, sources: tuple[str, ...], targets: tuple[str, ...]) -> None:
    """Create or update SAME_AS links (bands match and possible); remove links no longer found."""
    with opened_store(store) as (_settings, handle):
        report = link(handle, sources=sources, targets=targets)
    click.echo(
        f"linked {report.considered} records: {report.match} match, {report.possible} possible; "
        f"{report.written} links written, {report.removed} stale links removed"
    )


def _judge(store: str | None, a: str, b: str, decision: str, by: str, why: str) -> None:
    with opened_store(store) as (_settings, handle):
        try:
            j = judge(handle, a, b, decision, by=by, why=why)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"{j.decision}: {j.a} ~ {j.b} (by {j.by} at {j.at}: {j.why})")


def _judgement_command(name: str, decision: str, help_text: str) -> click.Command:
    @click.command(name, help=help_text)
    @click.argument("a")
    @click.argument("b")
    @click.option("--by", required=True, help="Who decides (analyst name).")
    @click.option("--why", required=True, help="Why (kept in the audit history).")
    @store_option
    def command(a: str, b: str, by: str, why: str, store: str | None) -> None:
        _judge(store, a, b, decision, by, why)

    return command


resolve.add_command(_judgement_command("confirm", "same", "Judge A and B the same organisation (the link holds)."))
resolve.add_command(_judgement_command("reject", "not_same", "Judge A and B different organisations (link hidden)."))
resolve.add_command(_judgement_command("unsure", "unsure", "Record that A ~ B could not be decided."))


@resolve.command("list")
@store_option
@click.option("--band", type=click.Choice(["match", "possible"]), default=None, help="Only links of this band.")
@click.option("--limit", type=int, default=100, show_default=True)
def list_cmd(store: str | None, band: str | None, limit: int) -> None:
    """SAME_AS links written by the linker, for review, with their judgement."""
    with opened_store(store) as (_settings, handle):
        items = links_for_review(handle, band=band)
        names = handle.get_nodes({x for i in items[:limit] for x in (i.edge.src, i.edge.dst)})
    for i in items[:limit]:
        e = i.edge
        status = i.judgement or "unjudged"
        src, dst = names.get(e.src), names.get(e.dst)
        click.echo(
            f"{e.props.get('score', 0):.3f} {e.props.get('band')} [{status}{'' if i.holds else ', hidden'}] "
            f"{e.src} ({src.name if src else '?'}) → {e.dst} ({dst.name if dst else '?'})"
        )
        click.echo(f"      {e.props.get('method')}: {e.props.get('explanation')}")
    click.echo(f"{len(items)} links" + (f" (showing {limit})" if len(items) > limit else ""))


@resolve.command("history")
@click.argument("a")
@click.argument("b")
@store_option
def history_cmd(a: str, b: str, store: str | None) -> None:
    """Every judgement on the pair A ~ B, oldest first (the audit trail)."""
    with opened_store(store) as (_settings, handle):
        past = history(handle, a, b)
    if not past:
        click.echo(f"no judgements on {a} ~ {b}")
    for j in past:
        click.echo(f"{j.at}  {j.decision:<8} by {j.by}: {j.why}")


@resolve.command("lookup")
@click.argument("name")
@click.option("--country", default=None, help="ISO-2 country: identity context only.")
@click.option("--limit", type=int, default=5, show_default=True)
@store_option
def lookup_cmd(name: str, country: str | None, limit: int, store: str | None) -> None:
    """Organisations NAME (a name, affiliation string or ROR id) may denote, explained."""
    with opened_store(store) as (_settings, handle):
        found = lookup(handle, name, country=country, limit=limit)
    if not found:
        click.echo("no candidates")
    for c in found:
        ror = f" https://ror.org/{c.ror}" if c.ror else ""
        click.echo(f"{c.score:.3f} {c.band:<8} {c.id} {c.name} [{c.country or '?'}]{ror}")
        click.echo(f"      {c.method}: {c.explanation}")
