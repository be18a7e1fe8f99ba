"""The labelled resolution set built from the real ROR extract.

Records whose salted ``bucket(id) < STORED_BUCKETS`` (sha1 mod 100) are stored;
the rest are *absent*. Queries are realistic name forms of stored records
(positives, truth = the record) and look-alikes that must not match
(truth = none), each look-alike paired with a positive query for the
stored record it resembles, so that precision, recall and F1 are defined
per category. Deterministic: the same files and seed give the same set.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from graph.model import Edge, Node
from graph.resolve.acronyms import acronym_key
from graph.resolve.names import analyse, clean, is_cjk_char
from ingest.pipeline import SourceRun
from ingest.ror import map_record

__all__ = ["CATEGORIES", "LOOKALIKES", "ROR_DEFAULT", "Case", "RorPool", "build_cases", "load_pool"]

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
ROR_DEFAULT = SHARED / "ror" / "ror-records.subset.schema_v2.json"
STORED_BUCKETS = 60
PER_CATEGORY = 250
POSITIVES = ("alias", "other_script", "acronym", "upper_legal", "abbreviation", "affiliation", "typo")
LOOKALIKES = ("absent_same_city", "absent_other_country", "absent", "truncation", "ambiguous_acronym")
CATEGORIES = POSITIVES + LOOKALIKES


@dataclass(frozen=True, slots=True)
class Case:
    category: str
    text: str
    country: str | None
    truth: str | None  # node id, or None when nothing stored is this organisation
    role: str = "query"  # query | twin (the positive paired with a look-alike)


@dataclass(frozen=True, slots=True)
class RorPool:
    nodes: dict[str, Node]
    edges: list[Edge]
    stored: set[str]
    raw: dict[str, dict[str, object]]


def bucket(key: str) -> int:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 100


def load_pool(path: Path) -> RorPool:
    run = SourceRun("ror", "eval", str(path), "2026-01-01T00:00:00Z")
    records = json.loads(path.read_text(encoding="utf-8"))
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    raw: dict[str, dict[str, object]] = {}
    for r in records:
        for item in map_record(r, run):
            if isinstance(item, Node):
                nodes[item.id] = item
                raw[item.id] = r
            elif isinstance(item, Edge):
                edges.append(item)
    # Salted: the extract itself was cut with bucket(id) on the same ids, so an unsalted split would not be random.
    stored = {i for i in nodes if bucket(f"rsgraph-eval|{raw[i]['id']}") < STORED_BUCKETS}
    edges = [e for e in edges if e.src in stored and e.dst in stored]
    return RorPool(nodes, list({e.id: e for e in edges}.values()), stored, raw)


# -- name forms -------------------------------------------------------------

_ABBREV = [
    ("University", "Univ."),
    ("Institute", "Inst."),
    ("Technology", "Tech."),
    ("Technological", "Technol."),
    ("National", "Natl."),
    ("Academy", "Acad."),
    ("Sciences", "Sci."),
    ("Science", "Sci."),
    ("Research", "Res."),
    ("Laboratory", "Lab."),
    ("Center", "Ctr."),
    ("Centre", "Ctr."),
    ("Hospital", "Hosp."),
    ("Engineering", "Eng."),
    ("Medical", "Med."),
    ("International", "Intl."),
    ("Agricultural", "Agric."),
    ("Department", "Dept."),
    (" and ", " & "),
]
_DEPARTMENTS = [
    "Department of Physics",
    "School of Materials Science and Engineering",
    "College of Chemistry and Molecular Engineering",
    "State Key Laboratory of Tribology",
    "Faculty of Medicine",
    "School of Computer Science",
    "Department of Electrical Engineering",
    "Key Laboratory of Advanced Materials",
    "Graduate School of Engineering",
    "Division of Cardiology",
]
_LEGAL = {"DE": "GMBH", "FR": "SAS", "IT": "SPA", "ES": "SL", "GB": "LTD", "CN": "CO LTD", "JP": "CO LTD", "RU": "JSC"}
_KEYS = "qwertyuiopasdfghjklzxcvbnm"


def _latin(text: str) -> bool:
    return not any(is_cjk_char(ch) or (ch.isalpha() and not ch.isascii() and ord(ch) > 0x24F) for ch in text)


def _other_script(text: str) -> bool:
    return any(is_cjk_char(ch) or (ch.isalpha() and ord(ch) > 0x24F) for ch in text)


def _upper_legal(node: Node) -> str:
    text = node.name
    if node.props.get("country") == "DE":
        for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
            text = text.replace(a, b).replace(a.upper(), b.upper())
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).upper()
    if "company" in (node.props.get("types") or []):
        text = f"{text} {_LEGAL.get(str(node.props.get('country')), 'LTD')}"
    return text


def _abbreviate(name: str) -> str | None:
    out = name
    for long, short in _ABBREV:
        out = out.replace(long, short)
    return out if out != name else None


def _typo(name: str, rng: random.Random) -> str | None:
    words = [(m.start(), m.group()) for m in re.finditer(r"[A-Za-z]{5,}", name)]
    if not words:
        return None
    start, word = rng.choice(words)
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(["delete", "swap", "substitute", "double"])
    if op == "delete":
        new = word[:i] + word[i + 1 :]
    elif op == "swap":
        new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif op == "substitute":
        new = word[:i] + rng.choice([k for k in _KEYS if k != word[i].lower()]) + word[i + 1 :]
    else:
        new = word[:i] + word[i] + word[i:]
    return None if new == word else name[:start] + new + name[start + len(word) :]


def _affiliation(node: Node, rng: random.Random) -> str:
    parts = []
    if rng.random() < 0.75:
        parts.append(rng.choice(_DEPARTMENTS))
    parts.append(node.name)
    city = node.props.get("city")
    if city and rng.random() < 0.8:
        parts.append(f"{city} {rng.randrange(10000, 999999)}" if rng.random() < 0.3 else str(city))
    country = node.props.get("country")
    if country:
        import pycountry

        c = pycountry.countries.get(alpha_2=str(country))
        if c is not None:
            name = getattr(c, "common_name", None) or c.name
            parts.append(getattr(c, "official_name", None) or name if "," in name else name)
    return ", ".join(parts)


# -- the set ----------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(sorted(analyse(text).tokens))


def _name_keys(node: Node) -> set[str]:
    keys = {_key(node.name)}
    for n in node.props.get("names") or []:
        if "acronym" not in n.get("types", []):
            keys.add(_key(n["value"]))
    return keys - {""}


def _country(node: Node, rng: random.Random, always: bool = False) -> str | None:
    c = node.props.get("country")
    return str(c) if c and (always or rng.random() < 0.5) else None


def build_cases(
    pool: RorPool, seed: int = 20261121, per_category: int = PER_CATEGORY
) -> tuple[list[Case], Counter[str]]:
    """The labelled queries and, per category, how many were dropped as ambiguous."""
    rng = random.Random(seed)
    stored = sorted(pool.stored)
    absent = sorted(set(pool.nodes) - pool.stored)
    key_owners: dict[str, set[str]] = defaultdict(set)
    for i in stored:
        for k in _name_keys(pool.nodes[i]):
            key_owners[k].add(i)
    all_keys = {k for i in pool.nodes for k in _name_keys(pool.nodes[i])}
    dropped: Counter[str] = Counter()
    cases: list[Case] = []

    def positive(category: str, node: Node, text: str | None, country: str | None, role: str = "query") -> None:
        if not text:
            return
        owners = key_owners.get(_key(text), set())
        if owners - {node.id}:
            dropped[category] += 1
            return
        cases.append(Case(category, text, country, node.id, role))

    def take(category: str, items: Sequence[tuple[Node, str | None, str | None]]) -> None:
        chosen = list(items)
        rng.shuffle(chosen)
        for node, text, country in chosen[:per_category]:
            positive(category, node, text, country)

    nodes = [pool.nodes[i] for i in stored]
    take("alias", [(n, a, _country(n, rng)) for n in nodes for a in n.props.get("aliases") or []])
    take(
        "other_script",
        [
            (n, x["value"], _country(n, rng))
            for n in nodes
            for x in n.props["names"]
            if _other_script(x["value"]) and "acronym" not in x["types"]  # labels and aliases, not acronyms
        ],
    )
    take("upper_legal", [(n, _upper_legal(n), _country(n, rng)) for n in nodes if _latin(n.name)])
    take("abbreviation", [(n, _abbreviate(n.name), _country(n, rng)) for n in nodes if _latin(n.name)])
    take("affiliation", [(n, _affiliation(n, rng), None) for n in nodes if _latin(n.name)])
    take("typo", [(n, _typo(n.name, rng), _country(n, rng)) for n in nodes if _latin(n.name) and len(n.name) >= 10])
    cases += _acronym_cases(pool, rng, per_category)
    cases += _lookalike_cases(pool, nodes, [pool.nodes[i] for i in absent], all_keys, rng, per_category, positive)
    return cases, dropped


def _acronym_owners(pool: RorPool, ids: Sequence[str]) -> dict[tuple[str, str], set[str]]:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for i in ids:
        n = pool.nodes[i]
        country = str(n.props.get("country") or "")
        for a in n.props.get("acronyms") or []:
            owners[(acronym_key(a), country)].add(i)
        for k in {analyse(x["value"]).initials for x in n.props["names"]} | {analyse(n.name).initials}:
            if len(k) >= 3:
                owners[(k, country)].add(i)
    return owners


def _acronym_cases(pool: RorPool, rng: random.Random, per_category: int) -> list[Case]:
    everyone = _acronym_owners(pool, sorted(pool.nodes))
    stored_only = _acronym_owners(pool, sorted(pool.stored))
    unique, ambiguous = [], []
    for i in sorted(pool.stored):
        n = pool.nodes[i]
        country = str(n.props.get("country") or "")
        for a in n.props.get("acronyms") or []:
            key = acronym_key(a)
            if len(key) >= 2 and everyone[(key, country)] == {i}:
                unique.append(Case("acronym", a, country or None, i))
    for (key, country), ids in sorted(stored_only.items()):
        listed = [i for i in ids if key in {acronym_key(a) for a in pool.nodes[i].props.get("acronyms") or []}]
        if len(ids) >= 2 and listed:
            ambiguous.append(Case("ambiguous_acronym", key, country or None, None))
    rng.shuffle(unique)
    rng.shuffle(ambiguous)
    return unique[:per_category] + ambiguous[:per_category]


def _lookalike_cases(
    pool: RorPool,
    stored: list[Node],
    absent: list[Node],
    all_keys: set[str],
    rng: random.Random,
    per_category: int,
    positive: object,
) -> list[Case]:
    add = positive  # Callable[[str, Node, str | None, str | None, str], None]
    out: list[Case] = []
    choices = {n.id: clean(n.name) for n in stored if _latin(n.name)}
    related = {(e.src, e.dst) for e in pool.edges} | {(e.dst, e.src) for e in pool.edges}
    stored_keys = {k for n in stored for k in _name_keys(n)}
    buckets: dict[str, list[tuple[Node, Node]]] = defaultdict(list)
    for a in absent:
        if not _latin(a.name) or _name_keys(a) & stored_keys or _has_stored_parent(pool, a):
            continue
        best = process.extractOne(clean(a.name), choices, scorer=fuzz.token_set_ratio, score_cutoff=80)
        if best is None:
            continue
        twin = pool.nodes[best[2]]
        if (a.id, twin.id) in related:
            continue
        if a.props.get("country") != twin.props.get("country"):
            buckets["absent_other_country"].append((a, twin))
        elif a.props.get("city") and a.props.get("city") == twin.props.get("city"):
            buckets["absent_same_city"].append((a, twin))
        else:
            buckets["absent"].append((a, twin))
    for category in ("absent_same_city", "absent_other_country", "absent"):
        pairs = buckets[category]
        rng.shuffle(pairs)
        for a, twin in pairs[:per_category]:
            country = _country(a, rng)
            out.append(Case(category, a.name, country, None))
            add(category, twin, twin.name, _country(twin, rng), "twin")  # type: ignore[operator]
    out += _truncations(stored, all_keys, rng, per_category, add)
    return out


def _has_stored_parent(pool: RorPool, node: Node) -> bool:
    """Sub-units resolve to their parent by design; their truth is not 'none'."""
    rels = pool.raw[node.id].get("relationships") or []
    assert isinstance(rels, list)
    parents = {"ror:" + str(r.get("id", "")).rsplit("/", 1)[-1] for r in rels if r.get("type") == "parent"}
    return bool(parents & pool.stored)


_TRUNC = re.compile(
    r"^((?:(?!\bof\b)\S)+(?:\s(?:(?!\bof\b)\S)+){0,4}?\s"
    r"(?:University|Institute|Academy|College|School|Hospital|Center|Centre|Laboratory|Museum|"
    r"Foundation|Society|Council|Agency))\s+(?:of|for|in|on)\s+\S.*$"
)


def _truncations(stored: list[Node], all_keys: set[str], rng: random.Random, n: int, add: object) -> list[Case]:
    out = []
    items = [(node, m.group(1)) for node in stored if (m := _TRUNC.match(node.name))]
    rng.shuffle(items)
    for node, short in items:
        if len(out) >= n:
            break
        key = _key(short)
        if not key or key in all_keys or len(analyse(short).tokens) < 2 or re.search(r"[,;:()–—-]", short):
            continue
        country = _country(node, rng)
        out.append(Case("truncation", short, country, None))
        add("truncation", node, node.name, country, "twin")  # type: ignore[operator]
    return out


def iter_summary(cases: Sequence[Case]) -> Iterator[str]:
    counts = Counter((c.category, c.truth is None) for c in cases)
    for cat in CATEGORIES:
        yield f"{cat}: {counts[(cat, False)]} positives, {counts[(cat, True)]} look-alikes"
