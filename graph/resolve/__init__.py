"""Entity resolution: which records are one organisation, and what a name or affiliation denotes.

Pure name analysis and scoring (names, acronyms, affiliation, countries, features, index, evidence,
score, matcher) and the store-facing parts (judgements, linker). See docs/resolution.md.
"""

from graph.resolve.judgements import JudgedPolicy, Judgement, judged_policy
from graph.resolve.linker import Link, build_resolver, decide_link, effective_links, judge, link, lookup
from graph.resolve.matcher import Candidate, Query, Resolver, top_match

__all__ = [
    "Candidate",
    "JudgedPolicy",
    "Judgement",
    "Link",
    "Query",
    "Resolver",
    "build_resolver",
    "decide_link",
    "effective_links",
    "judge",
    "judged_policy",
    "link",
    "lookup",
    "top_match",
]
