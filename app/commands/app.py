"""rsgraph app: the Streamlit analyst app on a store, bound to 127.0.0.1 unless login is configured."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from app.access import auth_in_files, is_loopback
from app.context import settings_from, store_option
from graph.open import is_neo4j_uri

__all__ = ["APP", "app", "serve", "streamlit_command"]

APP = Path(__file__).resolve().parents[1] / "streamlit_app.py"


def streamlit_command(host: str, port: int) -> list[str]:
    """The ``streamlit run`` command line: headless, no telemetry, no file watching."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--server.maxUploadSize",
        "10",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--theme.base",
        "light",
    ]


def serve(store: str, *, host: str = "127.0.0.1", port: int = 8501) -> None:
    """Replace this process with the app serving ``store`` (never returns)."""
    if not is_loopback(host) and not auth_in_files():
        raise click.ClickException(
            f"refusing to listen on {host}: no login is configured ([auth] in .streamlit/secrets.toml). "
            "Without login the app is single-user and listens on 127.0.0.1 only."
        )
    spec = store if is_neo4j_uri(store) else str(Path(store).resolve())
    env = {**os.environ, "RSGRAPH_STORE": spec}
    click.echo(f"rsgraph app on http://{host}:{port} — store {spec} (Ctrl+C to stop)")
    sys.stdout.flush()
    os.execve(sys.executable, streamlit_command(host, port), env)


@click.command("app")
@store_option
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port to listen on.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback needs login configured in .streamlit/secrets.toml.",
)
def app(store: str | None, port: int, host: str) -> None:
    """Open the analyst app (search, explore, screen, watchlist, review, export, data) in a browser."""
    settings = settings_from(store)
    serve(settings.store, host=host, port=port)
