"""Schema of the embedded store, versioned, with forward-only migrations."""

from __future__ import annotations

import sqlite3

from graph.errors import SchemaVersionError, StoreError

__all__ = ["SCHEMA_VERSION", "migrate"]

_V1 = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
    nid INTEGER PRIMARY KEY,          -- 64-bit hash of id
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    data TEXT NOT NULL,               -- graph.model.facts_json
    retrieved_at TEXT NOT NULL,
    hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    degree INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS nodes_kind ON nodes(kind);
CREATE INDEX IF NOT EXISTS nodes_source ON nodes(source);
CREATE INDEX IF NOT EXISTS nodes_version ON nodes(version);
CREATE TABLE IF NOT EXISTS edges (
    eid INTEGER PRIMARY KEY,          -- 64-bit hash of edge id
    kind TEXT NOT NULL,
    src INTEGER NOT NULL,
    dst INTEGER NOT NULL,
    source TEXT NOT NULL,
    data TEXT NOT NULL,               -- graph.model.facts_json
    retrieved_at TEXT NOT NULL,
    hash TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS edges_kind ON edges(kind);
CREATE INDEX IF NOT EXISTS edges_version ON edges(version);
CREATE TABLE IF NOT EXISTS adj (
    nid INTEGER NOT NULL,
    eid INTEGER NOT NULL,
    other INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    lo TEXT,
    hi TEXT,
    PRIMARY KEY (nid, eid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tokens (
    tok TEXT NOT NULL,
    nid INTEGER NOT NULL,
    PRIMARY KEY (tok, nid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS docs (
    ns TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (ns, key)
) WITHOUT ROWID;
"""

# Index i holds the script that takes the schema from version i to i + 1.
_MIGRATIONS: tuple[str, ...] = (_V1,)
SCHEMA_VERSION = len(_MIGRATIONS)


def _stored_version(conn: sqlite3.Connection) -> int:
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
    if not has_meta:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection, path: str) -> None:
    """Bring the file up to SCHEMA_VERSION, or refuse a newer one untouched."""
    try:
        stored = _stored_version(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not an rsgraph store: {exc}") from exc
    if stored > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path} has schema version {stored}, newer than this rsgraph understands "
            f"({SCHEMA_VERSION}); upgrade rsgraph. The file was not changed."
        )
    for version in range(stored, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _MIGRATIONS[version].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO meta(key, value) VALUES('schema_version', ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (str(version + 1),),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
