"""App benchmark in a real headless Chromium: first paint of a searched organisation, and a 500-node network.

    python -m bench.app_bench                 # samples (first paint) + a generated 1,500-partner hub (network)
    python -m bench.app_bench --partners 3000

First paint (target < 2 s on the samples), every organisation asked once (a
cold report): *searched* — from picking it in the type-ahead until its heading
and three signals are on screen; *page_load* — from opening ``/?org=ID`` in the
browser (the Streamlit front end boots too) until the signals show.
Network: the neighbourhood of a hub with ``--partners`` co-authors drawn with
the "most nodes" slider at 500; measured are the data preparation
(:func:`queries.explore.neighbourhood`), the time until Cytoscape holds every
node, the time of a zoom redraw, and the round trip of a node click to its
facts in the side panel. Writes ``bench/out/app.json`` and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graph.embedded import EmbeddedStore
from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from graph.resolve.linker import link
from graph.settings import load_settings
from ingest.config import run_config
from queries.explore import ExploreQuery, neighbourhood

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
OUT = Path(__file__).parent / "out"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CY = "document.getElementById('cy')._cyreg.cy"
ZOOM = f"""() => new Promise(done => {{ const cy = {CY}; const t = performance.now(); cy.zoom(cy.zoom() * 1.5);
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t))); }})"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: Path) -> Iterator[str]:
    port = _port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "app", "--store", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def sample_store(folder: Path) -> tuple[Path, dict[str, Any]]:
    db = folder / "samples.db"
    with EmbeddedStore(db) as store:
        run_config(store, SAMPLES / "config.toml", load_settings(store=str(db)))
        link(store)
    story = json.loads((SAMPLES / "story.json").read_text(encoding="utf-8"))
    return db, story["hops"]


def hub_store(folder: Path, partners: int) -> tuple[Path, str]:
    """A hub co-authoring with ``partners`` organisations, a fifth of which have a partner of their own."""
    db = folder / "hub.db"
    prov = Provenance("bench", "hub", "", "2026-01-01T00:00:00Z", "bench")
    ids = [f"bench:p{i:05d}" for i in range(partners)]
    outer = [f"{p}x" for p in ids[: partners // 5]]
    with EmbeddedStore(db) as store:
        store.upsert_nodes(
            Node(i, NodeKind.ORGANISATION, f"Partner {i[7:]}", prov) for i in ["bench:hub", *ids, *outer]
        )
        co = EdgeKind.COLLABORATED_WITH
        store.upsert_edges(
            Edge(co, "bench:hub", p, prov, "2024", "2024", "2024", {"count": 1 + k % 9}) for k, p in enumerate(ids)
        )
        store.upsert_edges(
            Edge(co, p, f"{p}x", prov, "2024", "2024", "2024", {"count": 1}) for p in ids[: partners // 5]
        )
    return db, "bench:hub"


def searched(ctx: Any, url: str, names: list[str]) -> list[float]:
    """Type a name, pick it in the type-ahead, wait for its report's heading and signals (a cold report each)."""
    page = ctx.new_page()
    page.goto(url)
    box = page.get_by_role("combobox").first
    box.wait_for(timeout=60_000)
    main = page.locator('[data-testid="stMain"]')
    out = []
    for name in names:
        box.fill(name)
        option = page.get_by_role("option").filter(has_text=name).filter(has_text="— ror:").first
        option.wait_for(timeout=60_000)
        t0 = time.perf_counter()
        option.click()
        main.get_by_role("heading", name=name).wait_for(timeout=60_000)
        main.get_by_text("Network proximity").first.wait_for(timeout=60_000)
        out.append(time.perf_counter() - t0)
    page.close()
    return out


def opened(ctx: Any, url: str, orgs: list[str]) -> list[float]:
    """Open ``/?org=ID`` in a fresh page load (the browser boots the app too) until the signals show."""
    page = ctx.new_page()
    out = []
    for org in orgs:
        t0 = time.perf_counter()
        page.goto(f"{url}/?org={org}", wait_until="commit")
        page.get_by_text("Network proximity").first.wait_for(timeout=60_000)
        out.append(time.perf_counter() - t0)
    page.close()
    return out


def network(ctx: Any, url: str, hub: str) -> dict[str, float]:
    page = ctx.new_page()
    page.goto(f"{url}/explore?org={hub}")
    slider = page.get_by_role("slider", name="Most nodes drawn")
    slider.wait_for(timeout=60_000)
    page.wait_for_selector('iframe[title*="streamlit_cytoscape"]', timeout=60_000)
    t0 = time.perf_counter()
    slider.press("End")  # 500 nodes
    frame = next(f for f in page.frames if "streamlit_cytoscape" in f.url)
    frame.wait_for_function(f"() => {CY}.nodes().length >= 450", timeout=60_000)
    drawn = time.perf_counter() - t0
    nodes = frame.evaluate(f"() => {CY}.nodes().length")
    zoom_ms = frame.evaluate(ZOOM)
    iframe = page.locator('iframe[title*="streamlit_cytoscape"]')
    iframe.scroll_into_view_if_needed()
    frame.evaluate(f"() => {CY}.fit()")
    page.wait_for_timeout(500)
    box = iframe.bounding_box()
    cy = frame.evaluate("() => document.getElementById('cy').getBoundingClientRect().toJSON()")
    at = frame.evaluate(f"() => {CY}.nodes('[?_seed]')[0].renderedPosition()")  # the hub, centre of the rings
    t1 = time.perf_counter()
    page.mouse.click(box["x"] + cy["x"] + at["x"], box["y"] + cy["y"] + at["y"])
    page.get_by_text("Records and sources").first.wait_for(timeout=60_000)
    click = time.perf_counter() - t1
    page.close()
    return {"nodes_drawn": nodes, "draw_s": drawn, "zoom_redraw_ms": zoom_ms, "click_to_facts_s": click}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--partners", type=int, default=1500)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        folder = Path(tmp)
        ctx = p.chromium.launch_persistent_context(
            str(folder / "profile"),
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            viewport={"width": 1440, "height": 1000},
        )
        db, hops = sample_store(folder)
        names = sorted({h["name"] for h in hops.values()})
        half = len(hops) // 2
        with serving(db) as url:
            typed = searched(ctx, url, names[:half])
            loaded = opened(ctx, url, [f"ror:{r}" for r in sorted(hops)][half:])
        result["first_paint_s"] = {
            "searched": {"median": statistics.median(typed), "max": max(typed), "n": len(typed)},
            "page_load": {"median": statistics.median(loaded), "max": max(loaded), "n": len(loaded)},
        }
        hub_db, hub = hub_store(folder, args.partners)
        with EmbeddedStore(hub_db) as store:
            t0 = time.perf_counter()
            nb = neighbourhood(store, ExploreQuery(hub, hops=2, max_nodes=500))
            result["neighbourhood_prep_s"] = time.perf_counter() - t0
            result["reached"], result["shown"] = nb.reached, len(nb.nodes)
        with serving(hub_db) as url:
            result["network"] = network(ctx, url, hub)
        ctx.close()
    OUT.mkdir(exist_ok=True)
    (OUT / "app.json").write_text(json.dumps(result, indent=2))
    net = result["network"]
    for how, fp in result["first_paint_s"].items():
        print(
            f"first paint, {how} ({fp['n']} organisations, cold reports): median {fp['median']:.2f} s, "
            f"max {fp['max']:.2f} s (target < 2 s)"
        )
    print(f"network: {result['reached']} reached, {result['shown']} shown; prep {result['neighbourhood_prep_s']:.2f} s")
    print(
        f"network: drawn in {net['draw_s']:.2f} s; zoom redraw {net['zoom_redraw_ms']:.0f} ms; "
        f"click → facts {net['click_to_facts_s']:.2f} s"
    )


if __name__ == "__main__":
    main()
