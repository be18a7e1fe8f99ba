"""Pure mapping of one OpenAlex work to what it says about institutions and funding.

Works themselves are not stored. A work contributes *evidence* to aggregated
edges, each named by its edge id (see :func:`graph.model.edge_id`):

- ``COLLABORATED_WITH|openalex:Ia|openalex:Ib|<year>`` for every unordered pair
  of distinct institutions among ``authorships[].institutions[]`` (src is the
  smaller id); skipped for works with more than ``max_institutions``
  institutions (hyper-authored consortium papers say nothing about a tie
  between any two of their hundreds of institutions);
- ``FUNDED_BY|openalex:I…|openalex:F…|<year>``: each institution of the work
  → each funder of the work (``funders[]``, ``awards[].funder``, legacy
  ``grants[].funder``). We chose institution → Funder (and institution →
  Award, below) keyed by publication year, with a work count, rather than a
  Work node, because the graph holds organisations, not papers; the count and
  example works are the evidence;
- ``FUNDED_BY|openalex:I…|openalex:G…|<year>``: each institution → each award
  of the work, so an EU-funded award joined to its CORDIS project
  (``cordis_project_id``) leads from the institution to the project.

The work also yields stubs (dehydrated institutions, funders, awards — written
only where no node exists yet) and the static edge Award FUNDED_BY Funder.
Legacy ``grants[]`` entries without an OpenAlex award id get a derived award
id ``openalex:F…:award:<award id, url-quoted>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any
from urllib.parse import quote

from graph.errors import RecordRejected
from graph.model import Edge, EdgeKind, Node, Provenance, edge_id
from ingest.openalex_map import (
    SOURCE,
    award_node,
    cordis_project_id,
    dehydrated_funder,
    dehydrated_institution,
    oa_id,
)
from ingest.pipeline import SourceRun

__all__ = [
    "EXAMPLE_WORKS",
    "MAX_INSTITUTIONS",
    "WorkFacts",
    "aggregate_edge",
    "aggregate_keys",
    "work_facts",
]

EXAMPLE_WORKS = 10
MAX_INSTITUTIONS = 50


@dataclass(frozen=True, slots=True)
class WorkFacts:
    """What one work contributes: aggregate keys plus stubs and static edges."""

    work: str  # "W123"
    year: int | None
    institutions: tuple[str, ...]  # sorted node ids "openalex:I…"
    funders: tuple[str, ...]  # sorted node ids "openalex:F…"
    awards: tuple[str, ...]  # sorted node ids "openalex:G…" (or derived legacy ids)
    stubs: tuple[Node, ...]
    edges: tuple[Edge, ...]  # Award FUNDED_BY Funder
    hyperauthored: bool = False


def _reject(raw: Any, field: str, reason: str, location: str) -> RecordRejected:
    rid = str(raw.get("id")) if isinstance(raw, Mapping) and raw.get("id") else "?"
    return RecordRejected(SOURCE, rid, field, f"work: {reason}", location)


def work_facts(
    raw: Any, run: SourceRun, *, location: str = "", max_institutions: int = MAX_INSTITUTIONS
) -> WorkFacts | RecordRejected:
    """One work → its :class:`WorkFacts`, or why it cannot be used."""
    work = oa_id(raw.get("id"), "W") if isinstance(raw, Mapping) else None
    if work is None:
        return _reject(raw, "id", "not an OpenAlex work id (W…)", location)
    year = raw.get("publication_year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1000 <= year <= 9999):
        return _reject(raw, "publication_year", f"not a year: {year!r}", location)
    authorships = raw.get("authorships") or []
    if not isinstance(authorships, list) or not all(isinstance(a, Mapping) for a in authorships):
        return _reject(raw, "authorships", "not a list of objects", location)
    stubs: dict[str, Node] = {}
    for authorship in authorships:
        for inst in authorship.get("institutions") or ():
            stub = dehydrated_institution(inst, run)
            if stub is not None:
                stubs.setdefault(stub.id, stub)
    institutions = tuple(sorted(i for i in stubs))
    funders, awards, edges = _funding(raw, run, stubs)
    return WorkFacts(
        work, year, institutions, funders, awards, tuple(stubs.values()), edges, len(institutions) > max_institutions
    )


def _funding(
    raw: Mapping[str, Any], run: SourceRun, stubs: dict[str, Node]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Edge, ...]]:
    funders: set[str] = set()
    awards: set[str] = set()
    edges: dict[str, Edge] = {}
    for f in _objects(raw.get("funders")):
        _add_funder(f, run, stubs, funders)
    for a in _objects(raw.get("awards")):
        funder: Mapping[str, Any] = (
            a["funder"]
            if isinstance(a.get("funder"), Mapping)
            else {"id": a.get("funder_id"), "display_name": a.get("funder_display_name"), "ror": a.get("funder_ror")}
        )
        _add_award(
            oa_id(a.get("id"), "G"),
            a.get("funder_award_id"),
            a.get("display_name"),
            funder,
            run,
            stubs,
            funders,
            awards,
            edges,
        )
    for g in _objects(raw.get("grants")):
        funder = {"id": g.get("funder"), "display_name": g.get("funder_display_name")}
        fshort = oa_id(g.get("funder"), "F")
        award = g.get("award_id")
        derived = f"{fshort}:award:{quote(str(award).strip(), safe='')}" if fshort and award else None
        _add_award(derived, award, None, funder, run, stubs, funders, awards, edges)
    return tuple(sorted(funders)), tuple(sorted(awards)), tuple(edges.values())


def _objects(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _add_funder(raw: Mapping[str, Any], run: SourceRun, stubs: dict[str, Node], funders: set[str]) -> str | None:
    fshort = oa_id(raw.get("id"), "F")
    if fshort is None:
        return None
    stub = dehydrated_funder(raw, run)
    if stub is not None:
        stubs.setdefault(stub.id, stub)
        funders.add(stub.id)  # only funders we can name get edges (a nameless id has no node)
    return stub.id if stub is not None else None


def _add_award(
    short: str | None,
    funder_award_id: Any,
    name: Any,
    funder: Mapping[str, Any],
    run: SourceRun,
    stubs: dict[str, Node],
    funders: set[str],
    awards: set[str],
    edges: dict[str, Edge],
) -> None:
    funder_node = _add_funder(funder, run, stubs, funders)
    if short is None:
        return
    award_id = str(funder_award_id).strip() if funder_award_id not in (None, "") else None
    funder_name = funder.get("display_name") if isinstance(funder.get("display_name"), str) else None
    cordis = cordis_project_id(award_id, funder_name, funder.get("ror") if isinstance(funder.get("ror"), str) else None)
    node = award_node(
        short,
        award_id,
        name if isinstance(name, str) and name.strip() else None,
        run,
        funder=funder_node,
        funder_name=funder_name,
        cordis_project_id=cordis,
        stub=True,
    )
    stubs.setdefault(node.id, node)
    awards.add(node.id)
    if funder_node is not None:
        prov = Provenance(
            SOURCE, short, f"https://api.openalex.org/awards/{short}", run.retrieved_at, run.dataset_version
        )
        edge = Edge(EdgeKind.FUNDED_BY, node.id, funder_node, prov)
        edges.setdefault(edge.id, edge)


def aggregate_keys(facts: WorkFacts) -> list[str]:
    """The aggregated edges (by edge id) this work is evidence for; empty without a year."""
    if facts.year is None:
        return []
    year = str(facts.year)
    keys: list[str] = []
    if not facts.hyperauthored:
        keys += [edge_id(EdgeKind.COLLABORATED_WITH, a, b, year) for a, b in combinations(facts.institutions, 2)]
    for inst in facts.institutions:
        keys += [edge_id(EdgeKind.FUNDED_BY, inst, target, year) for target in (*facts.funders, *facts.awards)]
    return keys


def _work_order(work: str) -> tuple[int, str]:
    digits = work[1:]
    return (int(digits), work) if digits.isdigit() else (0, work)


def sorted_works(works: Iterable[str]) -> list[str]:
    """Work ids in numeric order (W9 before W10): the order examples are taken in."""
    return sorted(set(works), key=_work_order)


def _evidence_url(kind: str, src: str, dst: str, year: str) -> str:
    a, b = src.removeprefix("openalex:"), dst.removeprefix("openalex:")
    target = (
        "institutions.id"
        if kind == EdgeKind.COLLABORATED_WITH.value
        else ("funders.id" if b.startswith("F") and ":" not in b else "awards.id")
    )
    return f"https://api.openalex.org/works?filter=institutions.id:{a},{target}:{b},publication_year:{year}"


def aggregate_edge(key: str, works: Sequence[str], run: SourceRun) -> Edge:
    """The edge named ``key`` with ``count`` = number of works and up to 10 example works (numeric order)."""
    kind, src, dst, year = key.split("|")
    ordered = sorted_works(works)
    examples = ordered[:EXAMPLE_WORKS]
    prov = Provenance(
        SOURCE,
        examples[0] if examples else key,
        _evidence_url(kind, src, dst, year),
        run.retrieved_at,
        run.dataset_version,
    )
    return Edge(EdgeKind(kind), src, dst, prov, year, year, year, {"count": len(ordered), "works": examples})
