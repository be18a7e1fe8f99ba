"""The sample world built once per session (ingest + resolution), and copies for tests that write."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.resolve.linker import link
from graph.settings import load_settings
from ingest.config import run_config
from tests.conftest import SAMPLES


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store holding the sample world, resolved (as `rsgraph demo` builds it)."""
    path = tmp_path_factory.mktemp("samples") / "samples.db"
    store = EmbeddedStore(path)
    try:
        reports = run_config(store, SAMPLES / "config.toml", load_settings(store=str(path)))
        assert not [r for r in reports if r.failed]
        link(store)
    finally:
        store.close()
    return path


@pytest.fixture
def writable_db(sample_db: Path, tmp_path: Path) -> Path:
    """A private copy of the sample store for a test that writes."""
    copy = tmp_path / "samples.db"
    shutil.copy(sample_db, copy)
    return copy


@pytest.fixture
def app_store(sample_db: Path) -> Iterator[Path]:
    """Point the app (RSGRAPH_STORE) at the shared sample store."""
    old = os.environ.get("RSGRAPH_STORE")
    os.environ["RSGRAPH_STORE"] = str(sample_db)
    yield sample_db
    if old is None:
        os.environ.pop("RSGRAPH_STORE", None)
    else:
        os.environ["RSGRAPH_STORE"] = old


@pytest.fixture
def writable_app_store(writable_db: Path) -> Iterator[Path]:
    old = os.environ.get("RSGRAPH_STORE")
    os.environ["RSGRAPH_STORE"] = str(writable_db)
    yield writable_db
    if old is None:
        os.environ.pop("RSGRAPH_STORE", None)
    else:
        os.environ["RSGRAPH_STORE"] = old


@pytest.fixture(scope="session")
def story() -> dict[str, Any]:
    return json.loads((SAMPLES / "story.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]
