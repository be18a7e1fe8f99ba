"""Shared CLI plumbing: settings, the --store option and opening the store."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from graph.errors import StoreError
from graph.open import open_store
from graph.settings import Settings, load_settings
from graph.store import GraphStore

__all__ = ["opened_store", "settings_from", "store_option"]

F = TypeVar("F", bound=Callable[..., Any])


def store_option(func: F) -> F:
    """Add ``--store PATH_OR_URI`` (default: RSGRAPH_STORE or rsgraph.db)."""
    return click.option(
        "--store",
        "store",
        default=None,
        metavar="PATH_OR_URI",
        help=(
            "Store: a file path (embedded) or neo4j://, neo4j+s://, bolt:// URI. Default: $RSGRAPH_STORE or rsgraph.db."
        ),
    )(func)


def settings_from(store: str | None = None) -> Settings:
    settings = load_settings(store=store)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return settings


@contextmanager
def opened_store(store: str | None) -> Iterator[tuple[Settings, GraphStore]]:
    settings = settings_from(store)
    try:
        handle = open_store(settings)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield settings, handle
    finally:
        handle.close()
