"""Name analysis: the comparison tokens of an organisation name.

``analyse("Nat'l Univ. of Defense Tech.")`` folds case and diacritics,
transliterates non-Latin scripts other than CJK (anyascii), keeps CJK
ideographs, kana and hangul as one token per character, expands common
abbreviations and merges variant spellings onto one stem ("Univ." →
university, "Technische" → technology), drops stopwords, single-letter
initials and legal forms ("Co., Ltd.", "JSC", "Federal State Unitary
Enterprise"). Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA

from graph.text import fold, is_cjk_char

__all__ = [
    "GENERIC_WORDS",
    "STOPWORDS",
    "NameForm",
    "analyse",
    "clean",
    "is_cjk_char",
    "is_legal_form",
    "raw_words",
    "stem",
    "strip_legal_prefix",
]

_STEMS: dict[str, list[str]] = {
    "university": (
        "universities univ uni universidad universidade universite universitat universita universiteit "
        "universitet universiteta universitatea uniwersytet universiti universitas universitaet unversity"
    ).split(),
    "institute": "institutes institut instituto istituto inst instit institution institutions institutt".split(),
    "technology": (
        "technologies technological technical tech techn technol technik technische technischen tecnologia "
        "tecnologico technologique technique technologii tekhnologii"
    ).split(),
    "science": "sciences scientific sci scientifique ciencias ciencia scienze nauk nauki".split(),
    "academy": "academia academie akademie akademiya akademii acad akad academic".split(),
    "national": "natl nat nacional nazionale nationale natsionalnyy natsionalnyi".split(),
    "laboratory": "laboratories lab labs laboratoire laboratorio lab.".split(),
    "center": "centre centres centers ctr cntr centro zentrum centrum tsentr".split(),
    "hospital": "hosp hopital ospedale hospitals".split(),
    "college": "coll colegio".split(),
    "research": "res recherche investigacion issledovatelskiy issledovatelskii".split(),
    "engineering": "eng engn engg ingenieria".split(),
    "medical": "med medicine medicina medicinal".split(),
    "polytechnic": (
        "polytechnical polytech politecnico polytechnique politechnika polytechnika politecnica politekhnicheskii"
    ).split(),
    "aeronautics": "aeronautical aeronautic".split(),
    "astronautics": "astronautical astronautic".split(),
    "agriculture": "agricultural agric agr".split(),
    "chemistry": "chemical chem chemicals".split(),
    "physics": "physical phys".split(),
    "electronics": "electronic".split(),
    "mathematics": "mathematical math maths".split(),
    "biology": "biological biol".split(),
    "economics": "economic econ".split(),
    "information": "info".split(),
    "communication": "communications commun".split(),
    "telecommunication": "telecommunications telecom".split(),
    "department": "dept dep departement departamento".split(),
    "association": "assoc assn".split(),
    "society": "soc".split(),
    "government": "govt".split(),
    "international": "intl".split(),
    "environment": "environmental environ".split(),
    "management": "mgmt".split(),
    "china": ["chinese"],
    "russia": ["russian"],
    "first": ["1st"],
    "second": ["2nd"],
    "third": ["3rd"],
    "fourth": ["4th"],
    "fifth": ["5th"],
}
_STEM_OF = {variant: stem for stem, variants in _STEMS.items() for variant in (stem, *variants)}

STOPWORDS = frozenset(
    "of the for and at in on to an de del della delle dei di du des la le les el los las der die das dem den "
    "und fur zur zum et da do dos named after imeni im na von van".split()
)

# Words that name a kind of organisation, a field or a generic quality: a short name made only
# of these ("Institute of Biophysics", "Central Hospital") says nothing about where it is.
GENERIC_WORDS = frozenset(
    "university institute academy college school hospital center laboratory department faculty division "
    "office bureau agency ministry council foundation association society company corporation station "
    "national state central international federal general public higher applied advanced basic clinical "
    "regional municipal provincial research science technology engineering medical physics chemistry "
    "biology mathematics economics information communication environment management agriculture "
    "biophysics biochemistry geology geophysics genetics ecology astronomy history archaeology philosophy "
    "law education health high cancer oncology pediatrics psychiatry neurology surgery pharmacy veterinary "
    "material energy nuclear space water food forestry marine social political language literature art "
    "music design architecture business finance trade industry industrial molecular cell microbiology "
    "immunology epidemiology hygiene toxicology statistics development innovation".split()
)

# Legal forms, stripped from the start or end of a name (as folded word sequences).
_LEGAL = [
    "federal state budgetary institution of science",
    "federal state budgetary educational institution of higher education",
    "federal state budgetary educational institution of higher professional education",
    "federal state autonomous educational institution of higher education",
    "federal state budgetary scientific institution",
    "federal state budgetary institution",
    "federal state budgetary institute",
    "federal state unitary enterprise",
    "federal state institution",
    "federal autonomous institution",
    "autonomous non profit organization for higher education",
    "autonomous nonprofit organization",
    "open joint stock company",
    "public joint stock company",
    "closed joint stock company",
    "joint stock company",
    "limited liability company",
    "company limited",
    "co ltd",
    "pty ltd",
    "pvt ltd",
    "private limited",
    "sp z o o",
    "s r o",
    "e v",
    "fgbou vo",
    *"jsc ojsc pjsc cjsc fsue fgup fgbu fgbun fgbou fsbi fsbei ooo oao zao pao llc ltd limited inc incorporated corp "
    "corporation plc gmbh ggmbh ag kg ev sa sas sarl spa srl bv nv oy asa aps sl sro kft zrt co".split(),
]
_LEGAL_SEQS = sorted((tuple(p.split()) for p in _LEGAL), key=len, reverse=True)
# Only these one-word forms are also stripped from the front (Russian usage: "JSC Gidropribor").
_PREFIX_FORMS = frozenset("jsc ojsc pjsc cjsc fsue fgup fgbu fgbun fgbou fsbi fsbei ooo oao zao pao llc".split())
# Long legal words also stripped when misspelt by one edit ("Liimted", "Coropration").
_LEGAL_WORDS_FUZZY = ("limited", "company", "corporation", "incorporated")
_LEGAL_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
_LEGAL_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _seq in _LEGAL_SEQS:
    if len(_seq) > 1 or _seq[0] in _PREFIX_FORMS:
        _LEGAL_BY_FIRST.setdefault(_seq[0], []).append(_seq)
    _LEGAL_BY_LAST.setdefault(_seq[-1], []).append(_seq)
_WORD = re.compile(r"\w+", re.UNICODE)
_APOSTROPHES = str.maketrans("", "", "'’‘`´ʼ")


@lru_cache(maxsize=200_000)
def clean(text: str) -> str:
    """Folded text with apostrophes dropped, '&' spelled out and non-CJK scripts in Latin letters."""
    text = text.translate(_APOSTROPHES)
    folded = text.lower().replace("&", " and ") if text.isascii() else fold(text).replace("&", " and ")
    if folded.isascii():
        return folded
    out = []
    for ch in folded:
        out.append(ch if ch.isascii() or is_cjk_char(ch) else anyascii(ch).lower())
    return "".join(out)


def raw_words(text: str) -> list[str]:
    """Words of the cleaned text; CJK runs split into single characters."""
    words: list[str] = []
    for word in _WORD.findall(clean(text)):
        if word.isascii():
            words.append(word)
            continue
        buf = ""
        for ch in word:
            if is_cjk_char(ch):
                if buf:
                    words.append(buf)
                    buf = ""
                words.append(ch)
            else:
                buf += ch
        if buf:
            words.append(buf)
    return [w for w in words if w != "_"]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """One comparison stem per variant spelling ("Univ" → university, "Sciences" → science)."""
    if word in _STEM_OF:
        return _STEM_OF[word]
    base = word
    if len(word) > 4 and word.isascii() and word.isalpha():
        if word.endswith("ies"):
            base = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
            base = word[:-1]
    if base in _STEM_OF:
        return _STEM_OF[base]
    if base.isascii():
        base = base.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    return base


def strip_legal_prefix(text: str) -> str:
    """The text without leading legal-form words and quotes ('ФГБОУ ВО "ЯГТУ"' → 'ЯГТУ')."""
    parts = text.translate(_QUOTES).split()
    while len(parts) > 1 and " ".join(raw_words(parts[0])) in _PREFIX_FORMS | {"fgbou", "vo"}:
        parts = parts[1:]
    return " ".join(parts)


_QUOTES = str.maketrans("", "", "\"'«»“”‘’„")


_LEGAL_ANY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _seq in _LEGAL_SEQS:
    _LEGAL_ANY_FIRST.setdefault(_seq[0], []).append(_seq)


@lru_cache(maxsize=100_000)
def is_legal_form(text: str) -> bool:
    """True when the text is only a legal form ("Co., Ltd.", "JSC", "Corporation")."""
    words = raw_words(text)
    while words:
        seq = next((q for q in _LEGAL_ANY_FIRST.get(words[0], ()) if tuple(words[: len(q)]) == q), None)
        if seq is None:
            return False
        words = words[len(seq) :]
    return bool(raw_words(text))


def _misspelt_legal(word: str) -> bool:
    return len(word) >= 6 and any(
        word[0] == w[0] and OSA.distance(word, w, score_cutoff=1) <= 1 for w in _LEGAL_WORDS_FUZZY
    )


def _strip_legal(words: list[str]) -> list[str]:
    if len(words) > 1 and words[-1] not in _LEGAL_BY_LAST and _misspelt_legal(words[-1]):
        words = words[:-1]
    changed = True
    while changed and words:
        changed = False
        for seq in _LEGAL_BY_FIRST.get(words[0], ()):
            if len(words) > len(seq) and tuple(words[: len(seq)]) == seq:
                words, changed = words[len(seq) :], True
                break
        for seq in _LEGAL_BY_LAST.get(words[-1], ()) if words else ():
            if len(words) > len(seq) and tuple(words[-len(seq) :]) == seq:
                words, changed = words[: -len(seq)], True
                break
    return words


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name as compared: original text, comparison tokens, initials."""

    text: str
    tokens: tuple[str, ...]
    initials: str  # upper-case initials of the significant Latin words ("NUAA")
    cjk: bool
    words: tuple[str, ...] = ()  # the word each token came from (before stemming), same order

    @property
    def key(self) -> str:
        return " ".join(self.tokens)


def _significant(word: str) -> bool:
    if word in STOPWORDS or stem(word) in STOPWORDS:  # "für" and "fuer" alike
        return False
    return len(word) > 1 or not word.isascii() or word.isdigit()


@lru_cache(maxsize=200_000)
def analyse(text: str) -> NameForm:
    """Comparison form of one name."""
    words = _strip_legal(raw_words(text))
    significant = [
        w
        for w in words
        if stem(w) not in STOPWORDS and w not in STOPWORDS and (len(w) > 1 or not w.isascii() or w.isdigit())
    ]
    source: dict[str, str] = {}
    for w in significant:
        source.setdefault(stem(w), w)
    cjk = any(is_cjk_char(w[0]) for w in words if w)
    initials = "" if cjk else "".join(w[0] for w in significant if w.isascii() and w.isalpha()).upper()
    return NameForm(text=text, tokens=tuple(source), initials=initials, cjk=cjk, words=tuple(source.values()))
