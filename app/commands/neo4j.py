"""rsgraph neo4j start|stop|status: a real local Neo4j 5.26 LTS without Docker."""

from __future__ import annotations

from pathlib import Path

import click

from app.context import settings_from

_DATA = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("neo4j-data"),
    show_default=True,
    help="Data directory of the local instance (password kept there, mode 0600).",
)
_PORT = click.option("--port", default=7687, show_default=True, help="Bolt port on 127.0.0.1.")


@click.group("neo4j")
def neo4j() -> None:
    """Run a local Neo4j 5.26 LTS (built once with Maven, Bolt on 127.0.0.1)."""


@neo4j.command("start")
@_DATA
@_PORT
def start(data_dir: Path, port: int) -> None:
    """Start the local Neo4j (builds the launcher on first use)."""
    settings_from()
    from graph import neo4j_server

    info = neo4j_server.start(data_dir, port)
    click.echo(f"running {info.bolt_uri} (Neo4j {info.version}, pid {info.pid})")
    click.echo(f"use it: rsgraph stats --store {info.bolt_uri}")


@neo4j.command("stop")
@_DATA
def stop(data_dir: Path) -> None:
    """Stop the local Neo4j cleanly."""
    settings_from()
    from graph import neo4j_server

    stopped = neo4j_server.stop(data_dir)
    click.echo("stopped" if stopped else "not running")


@neo4j.command("status")
@_DATA
def status(data_dir: Path) -> None:
    """Print the Bolt URI, the Neo4j version and whether it runs."""
    settings_from()
    from graph import neo4j_server

    info = neo4j_server.status(data_dir)
    if info is None:
        click.echo(f"no local Neo4j in {data_dir}")
        raise SystemExit(1)
    state = "running" if info.running else "stopped"
    click.echo(f"{state} {info.bolt_uri} (Neo4j {info.version})")
