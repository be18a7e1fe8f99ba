"""The app's pages on a real Neo4j holding the sample world (the same AppTest checks as on the embedded store)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from tests.app.test_pages import frame_with, indirect, page

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def test_search_and_explore_work_on_neo4j(neo4j_store: Any, sample_db: Path, story: dict[str, Any]) -> None:
    with EmbeddedStore(sample_db) as samples:  # the resolved sample world, copied record by record
        neo4j_store.upsert_nodes(samples.iter_nodes())
        neo4j_store.upsert_edges(samples.iter_edges())
    old = os.environ.get("RSGRAPH_STORE")
    os.environ["RSGRAPH_STORE"] = neo4j_store.uri
    try:
        porto = indirect(story, 2)
        at = page("search", q=story["hops"][porto]["name"]).run()
        assert not at.exception
        assert "Nanjing University of Science and Technology" in set(
            frame_with(at, "designated entity")["designated entity"]
        )
        at = page("explore", org=f"ror:{porto}").run()
        assert not at.exception
        assert any(o.startswith("strongest tie to Nanjing") for o in at.selectbox(key="x_path").options)
    finally:
        if old is None:
            os.environ.pop("RSGRAPH_STORE", None)
        else:
            os.environ["RSGRAPH_STORE"] = old
