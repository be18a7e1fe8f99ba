"""rsgraph ingest <source>: one subcommand per source, registered below."""

from __future__ import annotations

import click


@click.group("ingest")
def ingest() -> None:
    """Ingest a source into the store (records read, upserted, rejected are reported)."""


# Subcommands register here, one line each:
