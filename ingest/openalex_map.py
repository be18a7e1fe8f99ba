"""Pure mapping of OpenAlex entity records (institutions, funders, awards).

No I/O: each function takes one raw JSON object and the :class:`SourceRun`
and returns records. Institutions become ``openalex:I…`` Organisation nodes
with every name form, PARENT_OF/RELATED_TO edges to their associated
institutions (``relationship`` says what the *other* institution is to this
one: ``parent`` → other PARENT_OF this, ``child`` → this PARENT_OF other,
``related`` → one RELATED_TO edge per unordered pair, src = smaller id).
A *dehydrated* institution (as embedded in works and ``associated_institutions``)
maps to a stub node (``props.stub = True``); the loader writes a stub only
when no node with that id exists, so a stub never overwrites a full record.
Identifier links (SAME_AS to ``ror:…`` or ``cordis:project:…``) are not
emitted here: see :mod:`ingest.openalex_link`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from graph.errors import RecordRejected
from graph.model import Edge, EdgeKind, Node, NodeKind, Provenance
from ingest.pipeline import Mapped, SourceRun

__all__ = [
    "SOURCE",
    "award_node",
    "dehydrated_funder",
    "dehydrated_institution",
    "map_award",
    "map_funder",
    "map_institution",
    "oa_id",
    "ror_short",
]

SOURCE = "openalex"
_OA_ID = re.compile(r"^(?:https?://openalex\.org/|openalex:)?([IFGWA]\d+)$", re.IGNORECASE)
_ROR_ID = re.compile(r"^(?:https?://ror\.org/|ror:)?(0[a-z0-9]{6}\d{2})$")


def oa_id(value: Any, prefix: str) -> str | None:
    """``https://openalex.org/I123`` (or ``I123``) → ``I123`` if it has ``prefix``, else None."""
    if not isinstance(value, str):
        return None
    m = _OA_ID.match(value.strip())
    if not m or m.group(1)[0].upper() != prefix:
        return None
    return m.group(1).upper()


def ror_short(value: Any) -> str | None:
    """``https://ror.org/05ejpqr48`` → ``05ejpqr48``; None if not a ROR id."""
    if not isinstance(value, str):
        return None
    m = _ROR_ID.match(value.strip().lower())
    return m.group(1) if m else None


def _prov(run: SourceRun, short: str, entity: str) -> Provenance:
    return Provenance(
        SOURCE, short, f"https://api.openalex.org/{entity}/{short}", run.retrieved_at, run.dataset_version
    )


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _strings(value: Any) -> list[str]:
    return [s for s in (_text(v) for v in value) if s] if isinstance(value, list) else []


def _names(entries: Iterable[tuple[str, str | None, str]]) -> list[dict[str, Any]]:
    """Merge (value, lang, type) triples into ``{"value", "lang", "types"}`` entries, first-seen order."""
    merged: dict[tuple[str, str | None], list[str]] = {}
    for value, lang, kind in entries:
        types = merged.setdefault((value, lang), [])
        if kind not in types:
            types.append(kind)
    return [{"value": v, "lang": lang, "types": types} for (v, lang), types in merged.items()]


def _institution_names(raw: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    entries: list[tuple[str, str | None, str]] = [(name, None, "display")]
    entries += [(a, None, "alias") for a in _strings(raw.get("display_name_alternatives"))]
    entries += [(a, None, "acronym") for a in _strings(raw.get("display_name_acronyms"))]
    international = (raw.get("international") or {}).get("display_name") or {}
    if isinstance(international, Mapping):
        entries += [(v, str(lang), "label") for lang, v in sorted(international.items()) if _text(v)]
    return _names((v.strip(), lang, kind) for v, lang, kind in entries)


def _ids(raw_ids: Any, **extra: str | None) -> dict[str, Any]:
    ids = {k: v for k, v in (raw_ids or {}).items() if v not in (None, "", [])} if isinstance(raw_ids, Mapping) else {}
    ids.update({k: v for k, v in extra.items() if v})
    return dict(sorted(ids.items()))


def _country(raw: Mapping[str, Any]) -> str | None:
    code = _text(raw.get("country_code")) or _text((raw.get("geo") or {}).get("country_code"))
    return code.upper() if code else None


def _reject(raw: Any, entity: str, field: str, reason: str, location: str) -> RecordRejected:
    rid = str(raw.get("id")) if isinstance(raw, Mapping) and raw.get("id") else "?"
    return RecordRejected(SOURCE, rid, field, f"{entity}: {reason}", location)


def map_institution(raw: Any, run: SourceRun, location: str = "") -> list[Mapped]:
    """One institution record → its Organisation node and hierarchy edges."""
    short = oa_id(raw.get("id"), "I") if isinstance(raw, Mapping) else None
    if short is None:
        return [_reject(raw, "institution", "id", "not an OpenAlex institution id (I…)", location)]
    name = _text(raw.get("display_name"))
    if name is None:
        return [_reject(raw, "institution", "display_name", "missing", location)]
    props = _institution_props(raw, short, name)
    node = Node(f"openalex:{short}", NodeKind.ORGANISATION, name, _prov(run, short, "institutions"), props)
    return [node, *_hierarchy_edges(raw, short, run)]


def _institution_props(raw: Mapping[str, Any], short: str, name: str) -> dict[str, Any]:
    names = _institution_names(raw, name)
    geo: Mapping[str, Any] = raw["geo"] if isinstance(raw.get("geo"), Mapping) else {}
    lineage = [f"openalex:{x}" for x in (oa_id(v, "I") for v in raw.get("lineage") or ()) if x]
    homepage = _text(raw.get("homepage_url"))
    return {
        "names": names,
        "acronyms": _strings(raw.get("display_name_acronyms")),
        "aliases": _strings(raw.get("display_name_alternatives")),
        "country": _country(raw),
        "city": _text(geo.get("city")),
        "types": [t for t in [_text(raw.get("type"))] if t],
        "ids": _ids(raw.get("ids"), openalex=f"https://openalex.org/{short}", ror=_text(raw.get("ror"))),
        "lineage": lineage,
        "is_super_system": bool(raw.get("is_super_system", False)),
        "works_count": raw.get("works_count") if isinstance(raw.get("works_count"), int) else None,
        "links": [homepage] if homepage else [],
        "updated_date": _text(raw.get("updated_date")),
    }


def _hierarchy_edges(raw: Mapping[str, Any], short: str, run: SourceRun) -> list[Mapped]:
    out: list[Mapped] = []
    for other in raw.get("associated_institutions") or ():
        other_short = oa_id(other.get("id"), "I") if isinstance(other, Mapping) else None
        if other_short is None or other_short == short:
            continue
        stub = dehydrated_institution(other, run)
        if stub is not None:
            out.append(stub)
        rel = str(other.get("relationship") or "").lower()
        if rel == "parent":
            out.append(_edge(EdgeKind.PARENT_OF, other_short, short, run, short))
        elif rel == "child":
            out.append(_edge(EdgeKind.PARENT_OF, short, other_short, run, other_short))
        elif rel == "related":
            lo, hi = sorted((short, other_short), key=lambda s: f"openalex:{s}")
            out.append(_edge(EdgeKind.RELATED_TO, lo, hi, run, lo))
    return out


def _edge(kind: EdgeKind, src: str, dst: str, run: SourceRun, witness: str) -> Edge:
    """A hierarchy edge; provenance names a fixed endpoint so both declaring records give the same edge."""
    return Edge(kind, f"openalex:{src}", f"openalex:{dst}", _prov(run, witness, "institutions"))


def dehydrated_institution(raw: Any, run: SourceRun) -> Node | None:
    """A stub Organisation from a dehydrated institution (id, display_name, ror, country_code, type)."""
    short = oa_id(raw.get("id"), "I") if isinstance(raw, Mapping) else None
    name = _text(raw.get("display_name")) if isinstance(raw, Mapping) else None
    if short is None or name is None:
        return None
    props = {
        "names": _names([(name, None, "display")]),
        "country": _country(raw),
        "types": [t for t in [_text(raw.get("type"))] if t],
        "ids": _ids(None, openalex=f"https://openalex.org/{short}", ror=_text(raw.get("ror"))),
        "stub": True,
    }
    return Node(f"openalex:{short}", NodeKind.ORGANISATION, name, _prov(run, short, "institutions"), props)


def map_funder(raw: Any, run: SourceRun, location: str = "") -> list[Mapped]:
    """One funder record → a Funder node ``openalex:F…``."""
    short = oa_id(raw.get("id"), "F") if isinstance(raw, Mapping) else None
    if short is None:
        return [_reject(raw, "funder", "id", "not an OpenAlex funder id (F…)", location)]
    name = _text(raw.get("display_name"))
    if name is None:
        return [_reject(raw, "funder", "display_name", "missing", location)]
    aliases = _strings(raw.get("alternate_titles"))
    props = {
        "names": _names([(name, None, "display"), *((a, None, "alias") for a in aliases)]),
        "aliases": aliases,
        "country": _country(raw),
        "description": _text(raw.get("description")),
        "ids": _ids(
            {k: str(v) for k, v in (raw.get("ids") or {}).items() if v}, openalex=f"https://openalex.org/{short}"
        ),
        "links": [h for h in [_text(raw.get("homepage_url"))] if h],
        "works_count": raw.get("works_count") if isinstance(raw.get("works_count"), int) else None,
        "updated_date": _text(raw.get("updated_date")),
    }
    return [Node(f"openalex:{short}", NodeKind.FUNDER, name, _prov(run, short, "funders"), props)]


def dehydrated_funder(raw: Any, run: SourceRun) -> Node | None:
    """A stub Funder from ``{id, display_name, ror, doi}`` (as in ``work.funders[]`` and ``award.funder``)."""
    short = oa_id(raw.get("id"), "F") if isinstance(raw, Mapping) else None
    name = _text(raw.get("display_name")) if isinstance(raw, Mapping) else None
    if short is None or name is None:
        return None
    ids = _ids(None, openalex=f"https://openalex.org/{short}", ror=_text(raw.get("ror")), doi=_text(raw.get("doi")))
    props = {"names": _names([(name, None, "display")]), "ids": ids, "stub": True}
    return Node(f"openalex:{short}", NodeKind.FUNDER, name, _prov(run, short, "funders"), props)


_EC_NAMES = re.compile(
    r"european commission|horizon 2020|horizon europe|\bh2020\b|seventh framework|\bfp7\b|european research council"
    r"|euratom|marie sk[lł]odowska|european research executive agency|european innovation council",
    re.IGNORECASE,
)
_EC_RORS = frozenset({"00k4n6c32", "0472cxd90"})  # European Commission; European Research Council
_CORDIS_ID = re.compile(r"^\d{5,9}$")


def cordis_project_id(funder_award_id: str | None, funder_name: str | None, funder_ror: str | None) -> str | None:
    """The CORDIS project id an award stands for, if its funder is the European Commission family."""
    if not funder_award_id or not _CORDIS_ID.match(funder_award_id.strip()):
        return None
    if (funder_ror and ror_short(funder_ror) in _EC_RORS) or (funder_name and _EC_NAMES.search(funder_name)):
        return funder_award_id.strip()
    return None


def award_node(short: str, award_id: str | None, name: str | None, run: SourceRun, **props: Any) -> Node:
    """An Award node; ``name`` falls back to the funder's award id."""
    label = name or (f"Award {award_id}" if award_id else short)
    return Node(
        f"openalex:{short}", NodeKind.AWARD, label, _prov(run, short, "awards"), {"funder_award_id": award_id, **props}
    )


def map_award(raw: Any, run: SourceRun, location: str = "") -> list[Mapped]:
    """One award record (``/awards`` entity) → Award node, funder stub and Award FUNDED_BY Funder."""
    short = oa_id(raw.get("id"), "G") if isinstance(raw, Mapping) else None
    if short is None:
        return [_reject(raw, "award", "id", "not an OpenAlex award id (G…)", location)]
    funder = raw.get("funder") if isinstance(raw.get("funder"), Mapping) else {}
    funder_short = oa_id(funder.get("id"), "F")
    amount = raw.get("amount")
    node = award_node(
        short,
        _text(str(raw["funder_award_id"])) if raw.get("funder_award_id") is not None else None,
        _text(raw.get("display_name")),
        run,
        amount=float(amount) if isinstance(amount, int | float) and not isinstance(amount, bool) else None,
        currency=_text(raw.get("currency")),
        funding_type=_text(raw.get("funding_type")),
        funder=f"openalex:{funder_short}" if funder_short else None,
        funder_name=_text(funder.get("display_name")),
        cordis_project_id=cordis_project_id(
            _text(str(raw["funder_award_id"])) if raw.get("funder_award_id") is not None else None,
            _text(funder.get("display_name")),
            _text(funder.get("ror")),
        ),
        start=_text(raw.get("start_date")),
        end=_text(raw.get("end_date")),
    )
    out: list[Mapped] = [node]
    if funder_short:
        stub = dehydrated_funder(funder, run)
        if stub is not None:
            out.append(stub)
        out.append(Edge(EdgeKind.FUNDED_BY, node.id, f"openalex:{funder_short}", _prov(run, short, "awards")))
    return out
