"""The rsgraph command line: each command parses options and calls the library."""

from __future__ import annotations

import click

from app.commands.alerts import alerts
from app.commands.app import app
from app.commands.check import check
from app.commands.demo import demo
from app.commands.export import export
from app.commands.ingest import ingest
from app.commands.neo4j import neo4j
from app.commands.resolve import resolve
from app.commands.screen import screen
from app.commands.sources import sources
from app.commands.stats import stats
from app.commands.watch import watch_group

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rsgraph")
def main() -> None:
    """rsgraph: a knowledge graph for research-security due diligence."""


main.add_command(demo)
main.add_command(app)
main.add_command(stats)
main.add_command(neo4j)
main.add_command(ingest)
main.add_command(sources)
main.add_command(watch_group)
main.add_command(alerts)
main.add_command(resolve)
main.add_command(screen)
main.add_command(check)
main.add_command(export)


if __name__ == "__main__":
    main()
