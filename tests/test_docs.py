"""Docs that tests keep true."""

from __future__ import annotations

from app.clidoc import render
from tests.conftest import REPO


def test_cli_reference_matches_the_commands() -> None:
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert doc == render(), "docs/cli.md is stale: run `python -m app.clidoc > docs/cli.md`"


def test_readme_opens_with_the_two_setup_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "python3 -m pip install -e . && rsgraph demo" in readme
    assert "bash scripts/check" in readme
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/check" in ci and "RSGRAPH_REQUIRE_NEO4J=1" in ci
