"""The app's shared state: one cached store, query results cached per data state, the chosen organisation.

The store is opened once per store spec (``st.cache_resource``) and shared by
every session (both stores are thread-safe). Query results are cached with
``st.cache_data`` under a *data key*: the store version (moves with every
ingest) plus a fingerprint of analysts' judgements and an epoch bumped by
every write made in the app, so results never outlive the data they came
from. Pages call the functions here and never a backend.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from graph.open import open_store
from graph.resolve.judgements import all_current, fingerprint
from graph.settings import Settings, load_settings
from graph.store import GraphStore
from ingest.lists_config import ListsConfig, load_lists_config
from queries.concern import ConcernIndex, concern_index
from queries.equivalence import SameAsPolicy, same_as_policy
from queries.explore import ExploreQuery, Neighbourhood, NodeFacts, neighbourhood, node_facts
from queries.identify import Identification, identify
from queries.overview import OrgOption, Overview, organisation_options, overview
from queries.report import CheckQuery, DueDiligenceReport, due_diligence
from queries.screen import ScreenInput, ScreenRow, screen
from queries.screen_signals import signals_annotator

__all__ = [
    "ORG_PARAM",
    "STORE_ENV",
    "DataKey",
    "bump",
    "cached_facts",
    "cached_identify",
    "cached_neighbourhood",
    "cached_options",
    "cached_overview",
    "cached_report",
    "cached_screen",
    "choose_org",
    "chosen_org",
    "concern",
    "data_key",
    "lists_config",
    "policy",
    "store",
    "store_spec",
]

STORE_ENV = "RSGRAPH_STORE"
ORG_PARAM = "org"
_ORG = "org_id"


def store_spec() -> str:
    """The store this app serves: RSGRAPH_STORE (set by ``rsgraph app``) or the settings default."""
    return os.environ.get(STORE_ENV) or load_settings().store


def settings() -> Settings:
    """The settings this app runs with (alert channels, hops, …), for the store it serves."""
    return load_settings(store=store_spec())


@st.cache_resource(show_spinner=False)
def _open(spec: str) -> GraphStore:
    return open_store(load_settings(store=spec), spec)


def store() -> GraphStore:
    return _open(store_spec())


@dataclass(slots=True)
class _Epoch:
    value: int = 0


@st.cache_resource(show_spinner=False)
def _epoch(spec: str) -> _Epoch:
    return _Epoch()


@dataclass(frozen=True, slots=True)
class DataKey:
    """What cached results depend on: the store and the state of its data."""

    spec: str
    version: int
    judged: str  # hash of the current judgements
    epoch: int


def data_key() -> DataKey:
    spec = store_spec()
    handle = store()
    judged = hashlib.blake2b(repr(fingerprint(all_current(handle))).encode(), digest_size=8).hexdigest()
    return DataKey(spec, handle.version(), judged, _epoch(spec).value)


def bump() -> None:
    """After a write made in the app: drop every cached result."""
    _epoch(store_spec()).value += 1
    st.cache_data.clear()


@st.cache_resource(show_spinner=False)
def lists_config() -> ListsConfig:
    return load_lists_config()


@st.cache_resource(show_spinner=False, max_entries=4)
def _policy(key: DataKey) -> SameAsPolicy:
    return same_as_policy(store())


def policy() -> SameAsPolicy:
    return _policy(data_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _concern(key: DataKey) -> ConcernIndex:
    return concern_index(store(), lists_config(), _policy(key))


def concern() -> ConcernIndex:
    return _concern(data_key())


@st.cache_data(show_spinner=False, max_entries=256)
def cached_identify(key: DataKey, text: str, country: str | None = None) -> Identification:
    return identify(store(), text, country=country)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_report(key: DataKey, org_id: str, text: str, hops: int = 3, since: str | None = None) -> DueDiligenceReport:
    query = CheckQuery(input=text, org_id=org_id, hops=hops, since=since)
    return due_diligence(store(), query, lists=lists_config(), concern=_concern(key), policy=_policy(key))


@st.cache_data(show_spinner=False, max_entries=64)
def cached_neighbourhood(key: DataKey, query: ExploreQuery) -> Neighbourhood:
    return neighbourhood(store(), query, concern=_concern(key), policy=_policy(key))


@st.cache_data(show_spinner=False, max_entries=256)
def cached_facts(key: DataKey, view_id: str, records: Sequence[str]) -> NodeFacts:
    return node_facts(store(), view_id, records)


@st.cache_data(show_spinner=False, max_entries=4)
def cached_options(key: DataKey) -> list[OrgOption]:
    return organisation_options(store())


@st.cache_data(show_spinner=False, max_entries=4)
def cached_overview(key: DataKey) -> Overview:
    return overview(store(), lists_config(), _concern(key))


@st.cache_data(show_spinner=False, max_entries=8)
def cached_screen(key: DataKey, rows: tuple[ScreenInput, ...]) -> list[ScreenRow]:
    annotate = signals_annotator(lists=lists_config(), concern=_concern(key), policy=_policy(key))
    return screen(store(), rows, annotate=annotate)


def chosen_org() -> str | None:
    """The organisation chosen in this session (or named by ``?org=`` in the address)."""
    if _ORG not in st.session_state and st.query_params.get(ORG_PARAM):
        st.session_state[_ORG] = st.query_params[ORG_PARAM]
    value = st.session_state.get(_ORG)
    return str(value) if value else None


def choose_org(org_id: str | None) -> None:
    st.session_state[_ORG] = org_id
    if org_id:
        st.query_params[ORG_PARAM] = org_id
    elif ORG_PARAM in st.query_params:
        del st.query_params[ORG_PARAM]
