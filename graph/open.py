"""Choose and open a store from one setting: a path or a Neo4j URI."""

from __future__ import annotations

from graph.embedded import EmbeddedStore
from graph.settings import Settings
from graph.store import GraphStore

__all__ = ["NEO4J_SCHEMES", "is_neo4j_uri", "open_store"]

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def is_neo4j_uri(spec: str) -> bool:
    return spec.startswith(NEO4J_SCHEMES)


def open_store(settings: Settings, spec: str | None = None) -> GraphStore:
    """Open the store named by ``spec`` (default: ``settings.store``)."""
    target = spec or settings.store
    if not is_neo4j_uri(target):
        return EmbeddedStore(target, bulk_commit=settings.bulk_commit_rows)
    from graph.neo4j_server import password_for_uri
    from graph.neo4j_store import Neo4jStore

    password = settings.neo4j_password or password_for_uri(target, state_dir=settings.state_dir) or ""
    return Neo4jStore(target, user=settings.neo4j_user, password=password, database=settings.neo4j_database)
