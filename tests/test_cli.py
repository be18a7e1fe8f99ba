"""The CLI: every command has --help; stats prints counts."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from app.cli import main
from graph.embedded import EmbeddedStore
from tests.factories import org


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out.extend(all_commands(cmd, (*prefix, name)))
    return out


@pytest.mark.parametrize("path", all_commands(main), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_stats_json(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with EmbeddedStore(db) as store:
        store.upsert_nodes([org("test:a"), org("test:b")])
    result = CliRunner().invoke(main, ["stats", "--store", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"nodes": {"Organisation": 2}, "edges": {}}


def test_stats_on_a_damaged_store_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "bad.db"
    db.write_text("garbage" * 1000)
    result = CliRunner().invoke(main, ["stats", "--store", str(db)])
    assert result.exit_code != 0
    assert "not an rsgraph store" in result.output
