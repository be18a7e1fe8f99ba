"""Upsert throughput and k-hop latency of the Neo4j store.

    python -m bench.neo4j_throughput                      # starts a scratch Neo4j
    python -m bench.neo4j_throughput --uri bolt://127.0.0.1:7687 --password ... --edge-batch-size 5000

Memory of the scratch server: ``RSGRAPH_NEO4J_HEAP`` / ``RSGRAPH_NEO4J_PAGECACHE``.
Loads ``--nodes`` organisations and ``--edges`` typed, partly dated edges
(random, seeded), then re-loads them (nothing changes), then times 2-hop
subgraphs and name searches. The database is wiped first and after, so
point ``--uri`` only at a scratch database. Reports whether the driver's
Rust packstream extension (package ``neo4j-rust-ext``) is active.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from graph.neo4j_store import Neo4jStore
from graph.store import SubgraphQuery

WORDS = "national institute university science technology academy centre research applied physics energy".split()
KINDS = [EdgeKind.COLLABORATED_WITH, EdgeKind.PARENT_OF, EdgeKind.RELATED_TO, EdgeKind.SAME_AS]


def prov(i: str) -> Provenance:
    return Provenance("bench", i, f"https://example.org/{i}", "2026-01-01T00:00:00Z", "v1")


def make(n_nodes: int, n_edges: int, seed: int) -> tuple[list[Node], list[Edge]]:
    rnd = random.Random(seed)
    nodes = [
        Node(f"bench:o{i}", NodeKind.ORGANISATION, f"{' '.join(rnd.sample(WORDS, 3))} {i}", prov(str(i)), {"n": i})
        for i in range(n_nodes)
    ]
    edges: dict[str, Edge] = {}
    while len(edges) < n_edges:
        a, b = rnd.randrange(n_nodes), rnd.randrange(n_nodes)
        if a == b:
            continue
        year = str(rnd.randint(2010, 2025)) if rnd.random() < 0.5 else None
        e = Edge(rnd.choice(KINDS), f"bench:o{a}", f"bench:o{b}", prov(f"{a}-{b}"), year or "", year, year, {"w": 1})
        edges[e.id] = e
    return nodes, list(edges.values())


SERVER_PID = 0  # the Neo4j JVM, when known: its CPU time is reported too


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), 0 if unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label: str, fn: Callable[[], Any], count: int = 0) -> Any:
    """Wall time and rate, plus client and server CPU seconds.

    On a shared, loaded machine wall time mostly measures the queue for a
    core; ``count / (client CPU + server CPU)`` estimates the rate on an
    otherwise idle machine (client and server take turns on each batch).
    """
    t0, c0, s0 = time.perf_counter(), time.process_time(), cpu_seconds(SERVER_PID)
    out = fn()
    dt, client, server = time.perf_counter() - t0, time.process_time() - c0, cpu_seconds(SERVER_PID) - s0
    rate = f"  {count / dt:9,.0f}/s" if count else ""
    cpu = f"  cpu client {client:6.1f} s server {server:6.1f} s" if SERVER_PID else f"  cpu client {client:6.1f} s"
    idle = f"  => {count / (client + server):9,.0f}/s cpu-bound" if SERVER_PID and count else ""
    print(f"{label:<36} {dt:8.2f} s{rate}{cpu}{idle}")
    return out


def rust_ext() -> bool:
    try:
        import neo4j._rust  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True


def run(store: Neo4jStore, n_nodes: int, n_edges: int, seed: int) -> None:
    rust = "on" if rust_ext() else "off"
    print(f"batch size {store.batch_size} nodes, {store.edge_batch_size} edges, neo4j-rust-ext {rust}")
    nodes, edges = make(n_nodes, n_edges, seed)
    store.clear()
    timed(f"upsert {len(nodes):,} nodes", lambda: store.upsert_nodes(nodes), len(nodes))
    timed(f"upsert {len(edges):,} relationships", lambda: store.upsert_edges(edges), len(edges))
    r = timed("re-upsert nodes (unchanged)", lambda: store.upsert_nodes(nodes), len(nodes))
    assert r.written == 0, r
    r = timed("re-upsert relationships (unchanged)", lambda: store.upsert_edges(edges), len(edges))
    assert r.written == 0, r
    rnd = random.Random(seed + 1)
    for label, q in [
        ("2-hop", lambda s: SubgraphQuery((s,), hops=2)),
        ("2-hop, ids only", lambda s: SubgraphQuery((s,), hops=2, attributes=False)),
        ("2-hop, degree_cap=8", lambda s: SubgraphQuery((s,), hops=2, degree_cap=8)),
        ("3-hop, COLLAB 2015-2020", lambda s: SubgraphQuery((s,), 3, frozenset(KINDS[:1]), "2015", "2020")),
    ]:
        times, sizes = [], []
        for _ in range(20):
            t0 = time.perf_counter()
            g = store.subgraph(q(f"bench:o{rnd.randrange(n_nodes)}"))
            times.append(time.perf_counter() - t0)
            sizes.append((g.number_of_nodes(), g.number_of_edges()))
        med = statistics.median(times) * 1000
        avg_n = sum(s[0] for s in sizes) / len(sizes)
        avg_e = sum(s[1] for s in sizes) / len(sizes)
        print(f"subgraph {label:<25} median {med:7.1f} ms  (avg {avg_n:.0f} nodes, {avg_e:.0f} edges)")
    for text in ["applied physics 4711", "university", "national institute of science"]:
        t0 = time.perf_counter()
        hits = store.search(text)
        print(f"search {text!r:<32} {1000 * (time.perf_counter() - t0):7.1f} ms  top={hits[0].id if hits else None}")
    store.clear()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uri")
    ap.add_argument("--user", default="neo4j")
    ap.add_argument("--password", default="")
    ap.add_argument("--database", default="neo4j")
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--edges", type=int, default=300_000)
    ap.add_argument("--batch-size", type=int, default=5000, help="nodes per transaction")
    ap.add_argument("--edge-batch-size", type=int, default=10_000, help="edges per transaction")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--server-pid", type=int, default=0, help="pid of the Neo4j JVM, to report its CPU time")
    args = ap.parse_args()
    global SERVER_PID
    SERVER_PID = args.server_pid
    sizes = {"batch_size": args.batch_size, "edge_batch_size": args.edge_batch_size}
    if args.uri:
        with Neo4jStore(args.uri, user=args.user, password=args.password, database=args.database, **sizes) as store:
            run(store, args.nodes, args.edges, args.seed)
        return
    from graph import neo4j_server

    with tempfile.TemporaryDirectory() as tmp:
        info = neo4j_server.start(Path(tmp), free_port())
        SERVER_PID = info.pid
        try:
            password = neo4j_server.password_for_uri(info.bolt_uri) or ""
            with Neo4jStore(info.bolt_uri, user="neo4j", password=password, **sizes) as store:
                run(store, args.nodes, args.edges, args.seed)
        finally:
            neo4j_server.stop(Path(tmp))


if __name__ == "__main__":
    main()
