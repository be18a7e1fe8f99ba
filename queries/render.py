"""Render a DueDiligenceReport as Markdown, self-contained HTML or JSON: same content in each.

Markdown and HTML come from the Jinja2 templates in ``queries/templates``;
JSON is the report record itself. The HTML is one file with inline CSS and
an inline SVG picture of the ties: no external asset, script or font, so it
can be attached to a file note and opened offline.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from queries.picture import ties_svg
from queries.report import DueDiligenceReport, as_plain
from queries.signals import describe_step

__all__ = ["FORMATS", "render", "render_html", "render_json", "render_markdown"]

FORMATS = ("md", "html", "json")
DETAILED_TIES = 25


def _md(text: object) -> str:
    """Escape text for a Markdown table cell or line."""
    s = "" if text is None else str(text)
    for ch in ("\\", "|", "*", "_", "`", "<", ">", "[", "]"):
        s = s.replace(ch, "\\" + ch)
    return s.replace("\n", " ")


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("queries", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md
    env.filters["num"] = lambda x: f"{x:.3f}"
    return env


def _context(report: DueDiligenceReport) -> dict[str, object]:
    names = {n.id: n.name for t in report.ties.ties for n in t.nodes}
    names[report.identity.id] = report.identity.name
    svg = ties_svg(report.identity.id, report.identity.name, report.ties.ties, report.ties.seeds)
    return {
        "r": report,
        "detailed": report.ties.ties[:DETAILED_TIES],
        "rest": report.ties.ties[DETAILED_TIES:],
        "step_text": lambda step: describe_step(step, names),
        "svg": svg,
        "svg_data_uri": "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii"),
    }


def render_markdown(report: DueDiligenceReport) -> str:
    return _env().get_template("report.md.j2").render(_context(report))


def render_html(report: DueDiligenceReport) -> str:
    return _env().get_template("report.html.j2").render(_context(report))


def render_json(report: DueDiligenceReport) -> str:
    return json.dumps(as_plain(report), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render(report: DueDiligenceReport, fmt: str) -> str:
    if fmt == "md":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    if fmt == "json":
        return render_json(report)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
