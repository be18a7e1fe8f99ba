"""Imports go one way: app → queries → graph ← ingest."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

# package -> packages it must never import
FORBIDDEN = {
    "graph": {"ingest", "queries", "app", "bench"},
    "ingest": {"queries", "app", "bench"},
    "queries": {"ingest", "app", "bench"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_go_one_way(package: str) -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(imported_packages(path) & FORBIDDEN[package])
        for path in (REPO / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_app_pages_hold_no_cypher_or_sql() -> None:
    pages = list((REPO / "app").rglob("*.py"))
    words = ("MATCH (", "MERGE (", "SELECT ", "INSERT INTO", "sqlite3", "neo4j.GraphDatabase")
    hits = {str(p.relative_to(REPO)): w for p in pages for w in words if w in p.read_text(encoding="utf-8")}
    assert hits == {}
