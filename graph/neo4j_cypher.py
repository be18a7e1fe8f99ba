"""Every Cypher statement of the Neo4j store (text only, no I/O).

Everything that varies between calls is a parameter. Labels and
relationship types cannot be parameters in Cypher, so the only text spliced
into a statement is a label or type taken from the :class:`NodeKind` /
:class:`EdgeKind` enums (:func:`node_label`, :func:`rel_types`), asserted to
be one of their values - never a string that came from a caller.

Layout in the database (property rows: :mod:`graph.neo4j_rows`):

- ``(:Entity:<NodeKind> {id, kind, name, props, <provenance>, hash, version,
  tokens})``, ``id`` unique; ``tokens`` under a whitespace full-text index.
- ``()-[:<EdgeKind> {eid, lo, hi, source, data, hash, version}]->()``, ``eid``
  and ``version`` range-indexed; ``data`` holds the other facts as one JSON
  array (schema version 2; version 1 kept each fact apart, see :func:`legacy_edges`).
- ``(:RsgraphMeta {key: 'store', version, schema_version})`` and
  ``(:RsgraphDoc {ns, key, value})``: bookkeeping nodes without relationships,
  so they touch neither degrees, k-hop nor counts.

Bulk reads return one row holding ``collect(...) AS out``: the Python driver
spends far more per record than per list element.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from graph.model import EdgeKind, NodeKind
from graph.neo4j_rows import EDGE_COLUMNS, EDGE_DATA, NODE_COLUMNS

__all__ = [
    "BUMP",
    "CHANGES",
    "CLEAR",
    "COUNTS",
    "DEGREE",
    "DEGREES",
    "DELETE_DOC",
    "DOCS",
    "EDGE_FIELDS",
    "ELEMENT_IDS",
    "ENTITY",
    "FULLTEXT_INDEX",
    "GET_DOC",
    "LOCK",
    "MIGRATE_EDGES",
    "MIGRATION_LOCK",
    "NODES",
    "NODE_DIFF",
    "NODE_FIELDS",
    "PRESENT",
    "PRESENT_KINDS",
    "PUT_DOC",
    "SCHEMA_VERSION",
    "SCHEMES",
    "SEARCH_DF",
    "SEARCH_DF_CAPPED",
    "SEARCH_POSTINGS",
    "STAMP_SCHEMA",
    "VERSION",
    "create_edges",
    "edge_diff",
    "edges_of",
    "hop",
    "hop_ids",
    "legacy_edges",
    "node_label",
    "page_edges",
    "page_nodes",
    "rel_types",
    "remove_edges",
    "schema_statements",
    "set_all",
    "update_edges",
    "write_nodes",
]

SCHEMA_VERSION = 2  # 2: an edge's facts but eid, lo, hi, source and hash in one `data` property
SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")
ENTITY = "Entity"
FULLTEXT_INDEX = "rsgraph_entity_tokens"
_NAME = re.compile(r"^[A-Z][A-Za-z_]*$")
_NODE_KINDS = frozenset(k.value for k in NodeKind)
_EDGE_KINDS = frozenset(k.value for k in EdgeKind)


def node_label(kind: NodeKind) -> str:
    """The kind label of a node, checked to come from the enum."""
    label = NodeKind(kind).value
    assert label in _NODE_KINDS and _NAME.match(label), label
    return label


def rel_types(kinds: Iterable[EdgeKind]) -> str:
    """``A|B|C`` for a relationship pattern, each checked to come from the enum."""
    names = sorted({EdgeKind(k).value for k in kinds})
    assert names and all(n in _EDGE_KINDS and _NAME.match(n) for n in names), names
    return "|".join(names)


def set_all(var: str, names: Sequence[str]) -> str:
    """``SET`` items writing every column of row ``i`` of ``$c`` (and ``$version``).

    Writing every column (None removes a property) replaces the record whole.
    """
    assert var.isidentifier() and all(n.isidentifier() for n in names)
    return ", ".join([*(f"{var}.{n} = $c.{n}[i]" for n in names), f"{var}.version = $version"])


# -- schema -----------------------------------------------------------------


def schema_statements() -> list[tuple[str, str]]:
    """Idempotent constraints and indexes (name, statement), created when a store opens.

    Node ids are unique by constraint. Edge ids get a plain range index per
    type instead: a relationship uniqueness constraint made relationship
    writes about 1.6x slower (measured), and the store never creates an edge
    without first finding no edge with that id while holding the store's
    write lock, so edge ids stay unique.
    """
    out = [
        ("rsgraph_entity_id", f"FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE"),
        ("rsgraph_entity_version", f"FOR (n:{ENTITY}) ON (n.version)"),
        ("rsgraph_entity_source", f"FOR (n:{ENTITY}) ON (n.source)"),
        ("rsgraph_meta_key", "FOR (m:RsgraphMeta) REQUIRE m.key IS UNIQUE"),
        ("rsgraph_doc_key", "FOR (d:RsgraphDoc) REQUIRE (d.ns, d.key) IS UNIQUE"),
        (
            FULLTEXT_INDEX,
            f"FOR (n:{ENTITY}) ON EACH [n.tokens] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}}",
        ),
    ]
    for kind in EdgeKind:
        t = rel_types([kind])
        out.append((f"rsgraph_{t.lower()}_eid", f"FOR ()-[r:{t}]-() ON (r.eid)"))
        out.append((f"rsgraph_{t.lower()}_version", f"FOR ()-[r:{t}]-() ON (r.version)"))
    return [(name, _create(name, body)) for name, body in out]


def _create(name: str, body: str) -> str:
    what = "CONSTRAINT" if " REQUIRE " in body else "FULLTEXT INDEX" if name == FULLTEXT_INDEX else "INDEX"
    return f"CREATE {what} {name} IF NOT EXISTS {body}"


# -- projections and lookups -------------------------------------------------

NODE_FIELDS = "n{.id, .kind, .name, .props, .source, .source_id, .url, .retrieved_at, .dataset_version}"
EDGE_FIELDS = "r{.eid, .source, .data, kind: type(r), src: startNode(r).id, dst: endNode(r).id}"
NODES = f"UNWIND $ids AS id MATCH (n:{ENTITY} {{id: id}}) RETURN collect({NODE_FIELDS}) AS out"
PRESENT = f"UNWIND $ids AS id MATCH (n:{ENTITY} {{id: id}}) RETURN collect(id) AS out"
# The element ids of the nodes ``$ids`` that exist: a write then finds them by element id, not by index.
ELEMENT_IDS = f"UNWIND $ids AS id MATCH (n:{ENTITY} {{id: id}}) RETURN collect([id, elementId(n)]) AS out"
PRESENT_KINDS = f"UNWIND $ids AS id MATCH (n:{ENTITY} {{id: id}}) RETURN collect([id, n.kind]) AS out"
DEGREE = f"MATCH (n:{ENTITY} {{id: $id}}) RETURN COUNT {{ (n)--() }} AS d"
DEGREES = f"UNWIND $ids AS id MATCH (n:{ENTITY} {{id: id}}) RETURN collect([id, COUNT {{ (n)--() }}]) AS out"


def edges_of(kinds: Iterable[EdgeKind] | None) -> str:
    types = "" if kinds is None else ":" + rel_types(kinds)
    return f"MATCH (n:{ENTITY} {{id: $id}})-[r{types}]-() RETURN collect({EDGE_FIELDS}) AS out"


def hop(kinds: Iterable[EdgeKind] | None) -> str:
    """Distinct passing edges at the nodes ``$ids``; ``$lo``/``$hi`` bound the date window."""
    types = "" if kinds is None else ":" + rel_types(kinds)
    return (
        f"UNWIND $ids AS id MATCH (:{ENTITY} {{id: id}})-[r{types}]-() "
        "WHERE ($lo IS NULL OR r.hi IS NULL OR r.hi >= $lo) AND ($hi IS NULL OR r.lo IS NULL OR r.lo <= $hi) "
        f"WITH DISTINCT r RETURN collect({EDGE_FIELDS}) AS out"
    )


def hop_ids(kinds: Iterable[EdgeKind] | None) -> str:
    """Like :func:`hop`, ids only: ``[eid, type, expanded node is start, expanded id, other id, other kind]``.

    An edge between two expanded nodes comes twice (once from each end).
    """
    types = "" if kinds is None else ":" + rel_types(kinds)
    return (
        f"UNWIND $ids AS id MATCH (s:{ENTITY} {{id: id}})-[r{types}]-(o) "
        "WHERE ($lo IS NULL OR r.hi IS NULL OR r.hi >= $lo) AND ($hi IS NULL OR r.lo IS NULL OR r.lo <= $hi) "
        "RETURN collect([r.eid, type(r), startNode(r) = s, id, o.id, o.kind]) AS out"
    )


SEARCH_POSTINGS = (
    "CALL db.index.fulltext.queryNodes($index, $q) YIELD node "
    "RETURN collect([node.id, node.name, node.kind, node.tokens]) AS out"
)
SEARCH_DF = "CALL db.index.fulltext.queryNodes($index, $q) YIELD node RETURN count(node) AS n"
SEARCH_DF_CAPPED = "CALL db.index.fulltext.queryNodes($index, $q, {limit: $cap}) YIELD node RETURN count(node) AS n"

# -- writes ------------------------------------------------------------------

# Taking the write lock: every write transaction starts here, so writers queue.
LOCK = (
    "MERGE (m:RsgraphMeta {key: 'store'}) "
    "SET m.version = coalesce(m.version, 0), m.schema_version = $schema RETURN m.version AS v"
)
VERSION = "MATCH (m:RsgraphMeta {key: 'store'}) RETURN m.version AS v, m.schema_version AS schema"
BUMP = "MATCH (m:RsgraphMeta {key: 'store'}) SET m.version = $v"
# Which records (ids[i], hashes[i]) are new and which changed, as two lists: indexes ``new``,
# and ``old`` as indexes (nodes) or ``[index, element id]`` pairs (edges, then replaced by element id).
_DIFF = (
    "UNWIND range(0, size($ids) - 1) AS i OPTIONAL MATCH {pattern} "
    "WITH i, x WHERE x IS NULL OR x.hash <> $hashes[i] "
    "RETURN collect(CASE WHEN x IS NULL THEN i END) AS new, collect(CASE WHEN x IS NOT NULL THEN {old} END) AS old"
)
NODE_DIFF = _DIFF.format(pattern=f"(x:{ENTITY} {{id: $ids[i]}})", old="i")
_ALL_KIND_LABELS = ":".join(node_label(k) for k in NodeKind)


def write_nodes(kind: NodeKind, exists: bool) -> str:
    """Create, or replace in place (relabelled to its kind), the nodes in columns ``$c``."""
    label, sets = node_label(kind), set_all("n", NODE_COLUMNS)
    if exists:
        return (
            f"UNWIND range(0, size($c.id) - 1) AS i MATCH (n:{ENTITY} {{id: $c.id[i]}}) "
            f"REMOVE n:{_ALL_KIND_LABELS} SET n:{label}, {sets}"
        )
    return f"UNWIND range(0, size($c.id) - 1) AS i CREATE (n:{ENTITY}:{label}) SET {sets}"


def _by_eid(var: str, kind: EdgeKind, value: str) -> str:
    """A relationship of ``kind`` by ``eid``, through its index always.

    The hint matters: a plan made while the type had no relationships (a fresh store) scans the type
    instead, and that plan stays cached while the type grows - each lookup then reads every edge.
    """
    t = rel_types([kind])
    return f"()-[{var}:{t} {{eid: {value}}}]->() USING INDEX {var}:{t}(eid)"


def edge_diff(kind: EdgeKind) -> str:
    """The diff of a batch of one kind. Run every kind's diff before writing any edge: a relationship
    index seek in a transaction that already created relationships costs several times more
    (measured: about 6 µs per edge before any creates, 36 µs after).
    """
    return _DIFF.format(pattern=_by_eid("x", kind, "$ids[i]"), old="[i, elementId(x)]")


def create_edges(kind: EdgeKind) -> str:
    """Create the edges in columns ``$c``; ``$c.a``/``$c.b`` hold the element ids of their endpoints,
    ``$c.src``/``$c.dst`` their ids. An element id whose node is gone, or now another node (element
    ids are reused after a delete), matches nothing: ``n`` then falls short of the rows sent."""
    return (
        f"UNWIND range(0, size($c.eid) - 1) AS i MATCH (a) WHERE elementId(a) = $c.a[i] AND a.id = $c.src[i] "
        f"MATCH (b) WHERE elementId(b) = $c.b[i] AND b.id = $c.dst[i] CREATE (a)-[r:{rel_types([kind])}]->(b) "
        f"SET {set_all('r', EDGE_COLUMNS)} RETURN count(*) AS n"
    )


def update_edges(kind: EdgeKind) -> str:
    """Replace in place the edges in columns ``$c``; ``$c.r`` holds their element ids (from the diff)."""
    return (
        f"UNWIND range(0, size($c.eid) - 1) AS i MATCH ()-[r:{rel_types([kind])}]->() WHERE elementId(r) = $c.r[i] "
        f"SET {set_all('r', EDGE_COLUMNS)}"
    )


def remove_edges(kind: EdgeKind) -> str:
    return f"UNWIND $ids AS id MATCH {_by_eid('r', kind, 'id')} DELETE r RETURN count(*) AS n"


# -- schema version 1 -> 2: pack each edge's facts into `data` --------------------------


def legacy_edges(kind: EdgeKind) -> str:
    """A page (in eid order after ``$after``) of edges still in the version 1 layout, with their element ids."""
    t, fields = rel_types([kind]), ", ".join(f".{name}" for name in EDGE_DATA)
    return (
        f"MATCH ()-[r:{t}]->() USING INDEX SEEK r:{t}(eid) WHERE r.eid > $after "
        f"WITH r ORDER BY r.eid LIMIT $page "
        f"RETURN collect(r{{.eid, .data, {fields}, element: elementId(r)}}) AS out"
    )


# Holds the store's write lock for a migration step, without stamping a schema version.
MIGRATION_LOCK = (
    "MATCH (m:RsgraphMeta {key: 'store'}) SET m.schema_version = m.schema_version RETURN m.schema_version AS schema"
)
MIGRATE_EDGES = (
    "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row[0] "
    f"SET r.data = row[1] REMOVE {', '.join(f'r.{name}' for name in EDGE_DATA)}"
)
STAMP_SCHEMA = "MATCH (m:RsgraphMeta {key: 'store'}) SET m.schema_version = $schema"

CLEAR = (
    f"MATCH (:{ENTITY})-[r]->() WITH r LIMIT $n DELETE r RETURN count(*) AS c",
    f"MATCH (n:{ENTITY}|RsgraphDoc|RsgraphMeta) WITH n LIMIT $n DETACH DELETE n RETURN count(*) AS c",
)

# -- versions, counts, iteration ---------------------------------------------

# Records written after version $v: nodes, then each relationship type (one index seek each,
# hinted: a plan cached while the store was empty would scan).
CHANGES = " UNION ALL ".join(
    [
        f"MATCH (n:{ENTITY}) USING INDEX n:{ENTITY}(version) WHERE n.version > $v "
        f"RETURN collect([n.version, {NODE_FIELDS}]) AS out",
        *(
            f"MATCH ()-[r:{rel_types([k])}]->() USING INDEX r:{rel_types([k])}(version) WHERE r.version > $v "
            f"RETURN collect([r.version, {EDGE_FIELDS}]) AS out"
            for k in EdgeKind
        ),
    ]
)
# Counts per label and per relationship type, all from Neo4j's count store.
COUNTS = " UNION ALL ".join(
    [
        *(
            f"MATCH (n:{node_label(k)}) RETURN false AS edge, '{node_label(k)}' AS kind, count(n) AS c"
            for k in NodeKind
        ),
        *(
            f"MATCH ()-[r:{rel_types([k])}]->() RETURN true AS edge, '{rel_types([k])}' AS kind, count(r) AS c"
            for k in EdgeKind
        ),
    ]
)


# Pages in id order after $after. USING INDEX SEEK forces the id index's range
# seek, which compares by code point like Python; the scan-and-filter plan the
# planner may pick for small types would compare UTF-16 units (as a Cypher
# sort does), which disagree past U+FFFF.
def page_nodes(kind: NodeKind | None, by_source: bool) -> str:
    where = "" if kind is None else f" AND n:{node_label(kind)}"
    where += " AND n.source = $source" if by_source else ""
    return (
        f"MATCH (n:{ENTITY}) USING INDEX SEEK n:{ENTITY}(id) WHERE n.id > $after{where} "
        f"WITH n ORDER BY n.id LIMIT $page RETURN collect({NODE_FIELDS}) AS out"
    )


def page_edges(kind: EdgeKind, by_source: bool) -> str:
    t, where = rel_types([kind]), " AND r.source = $source" if by_source else ""
    return (
        f"MATCH ()-[r:{t}]->() USING INDEX SEEK r:{t}(eid) WHERE r.eid > $after{where} "
        f"WITH r ORDER BY r.eid LIMIT $page RETURN collect({EDGE_FIELDS}) AS out"
    )


# -- documents ----------------------------------------------------------------

PUT_DOC = "MERGE (d:RsgraphDoc {ns: $ns, key: $key}) SET d.value = $value"
GET_DOC = "MATCH (d:RsgraphDoc {ns: $ns, key: $key}) RETURN d.value AS v"
DOCS = "MATCH (d:RsgraphDoc {ns: $ns}) RETURN collect([d.key, d.value]) AS out"
DELETE_DOC = "MATCH (d:RsgraphDoc {ns: $ns, key: $key}) DELETE d RETURN 1 AS gone"
