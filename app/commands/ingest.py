"""rsgraph ingest <source>: one subcommand per source, registered below."""

from __future__ import annotations

import click

from app.commands.ingest_lists import lists
from app.commands.ingest_openalex import openalex
from app.commands.ingest_sources import cordis, ingest_all, ror


@click.group("ingest")
def ingest() -> None:
    """Ingest a source into the store (records read, upserted, rejected are reported)."""


# Subcommands register here, one line each:
ingest.add_command(openalex)
ingest.add_command(lists)
ingest.add_command(ror)
ingest.add_command(cordis)
ingest.add_command(ingest_all)
