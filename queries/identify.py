"""Which organisation does NAME_OR_ID mean? Ids resolve directly; names give candidates.

Accepted: an rsgraph id (``ror:05ejpqr48``, ``openalex:I27837315``,
``cordis:pic:999999999``, ``list:…``), a ROR id or URL, an OpenAlex
institution id or URL, a CORDIS PIC (9 digits), or a name in any script.
A name resolves only when resolution finds one organisation in band
``match``; otherwise the candidates are returned for the caller to choose by
id (never picked silently), or "not found" with suggestions. An id of
something that is not an organisation (a project, a work, a designation) is
a :class:`WrongKind` error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.model import ID_PREFIXES, Node, NodeKind
from graph.resolve.linker import lookup
from graph.store import GraphStore

__all__ = ["Ambiguous", "Candidate", "Found", "Identification", "NotFound", "WrongKind", "identify", "parse_id"]

_ROR = re.compile(r"^(?:https?://)?(?:www\.)?ror\.org/(0[a-z0-9]{6}[0-9]{2})/?$|^(0[a-z0-9]{6}[0-9]{2})$", re.I)
_OPENALEX = re.compile(r"^(?:https?://)?(?:api\.)?openalex\.org/(?:[a-z]+/)?([A-Z]\d+)/?$|^([IWAFGSPT]\d+)$", re.I)
_PIC = re.compile(r"^\d{9}$")
_OPENALEX_KINDS = {
    "W": "a work",
    "A": "an author",
    "S": "a source",
    "P": "a publisher",
    "T": "a topic",
    "F": "a funder",
    "G": "an award",
}


class WrongKind(ValueError):
    """The id names something that is not an organisation."""


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    name: str
    country: str | None
    score: float
    band: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Found:
    org: Node
    query: str
    how: str  # "id" or the resolution explanation
    others: tuple[Candidate, ...] = ()  # other candidates for the same name (look-alikes)


@dataclass(frozen=True, slots=True)
class Ambiguous:
    query: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class NotFound:
    query: str
    suggestions: tuple[Candidate, ...]


Identification = Found | Ambiguous | NotFound


def parse_id(text: str) -> list[str] | None:
    """Store ids an input may denote (most likely first), or None when it is no id."""
    t = text.strip()
    if t.startswith(ID_PREFIXES):
        return [t]
    if m := _ROR.match(t):
        return [f"ror:{(m.group(1) or m.group(2)).lower()}"]
    if m := _OPENALEX.match(t):
        oid = (m.group(1) or m.group(2)).upper()
        return [f"openalex:{oid}"]
    if _PIC.match(t):
        return [f"cordis:pic:{t}", f"cordis:project:{t}"]
    return None


def _wrong_kind(node_id: str, node: Node | None) -> WrongKind:
    if node is not None:
        what = node.kind.value.lower()
        return WrongKind(
            f"{node_id} is a {what} ({node.name!r}), not an organisation; give an organisation's id or name"
        )
    letter = node_id.removeprefix("openalex:")[:1]
    what = _OPENALEX_KINDS.get(letter, "not an organisation")
    return WrongKind(f"{node_id} is {what} in OpenAlex, not an institution (institution ids start with I)")


def _by_id(store: GraphStore, text: str, ids: list[str]) -> Identification:
    nodes = store.get_nodes(ids)
    for node_id in ids:
        node = nodes.get(node_id)
        if node is not None and node.kind is NodeKind.ORGANISATION:
            return Found(node, text, "id")
        if node is not None:
            raise _wrong_kind(node_id, node)
    if ids[0].startswith("openalex:") and not ids[0].startswith("openalex:I"):
        raise _wrong_kind(ids[0], None)
    if ids[0].startswith(("designation:", "cordis:project:")):
        raise WrongKind(f"{ids[0]} is not an organisation id")
    return NotFound(text, ())


def _candidates(store: GraphStore, text: str, country: str | None, limit: int) -> list[Candidate]:
    return [
        Candidate(c.id, c.name, c.country, c.score, c.band, c.explanation)
        for c in lookup(store, text, country=country, limit=limit)
    ]


def _suggestions(store: GraphStore, text: str, limit: int) -> tuple[Candidate, ...]:
    found = store.search(text, kinds=[NodeKind.ORGANISATION], limit=limit)
    return tuple(Candidate(n.id, n.name, _country(n), 0.0, "suggestion", "shares words with the query") for n in found)


def _country(node: Node) -> str | None:
    value = node.props.get("country")
    return value if isinstance(value, str) else None


def identify(store: GraphStore, text: str, *, country: str | None = None, limit: int = 10) -> Identification:
    """The organisation ``text`` denotes, the candidates to choose from, or not found.

    ``country`` (ISO-2) only narrows name resolution; it never reaches a signal.
    """
    if not text.strip():
        raise ValueError("give an organisation name or id")
    ids = parse_id(text)
    if ids is not None:
        found = _by_id(store, text, ids)
        if not isinstance(found, NotFound):
            return found
        return NotFound(text, _suggestions(store, text, 5))
    candidates = _candidates(store, text, country.upper() if country else None, limit)
    if candidates and candidates[0].band == "match":
        org = store.get_node(candidates[0].id)
        if org is not None:
            return Found(org, text, candidates[0].explanation, tuple(candidates[1:]))
    if candidates:
        return Ambiguous(text, tuple(candidates))
    return NotFound(text, _suggestions(store, text, 5))
