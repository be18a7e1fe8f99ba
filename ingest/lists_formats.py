"""Every list format rsgraph reads, as a :class:`Reader`: entries, version, provenance source.

A reader is *complete* when a file is a whole version of its lists (entries
missing from it were delisted), which every format is except an
OpenSanctions delta file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest.lists_config import ListsConfig
from ingest.lists_entry import ListEntry, Parsed
from ingest.lists_ftm import FtmFile, index_version
from ingest.lists_opensanctions_csv import read_curated, read_targets, targets_version
from ingest.lists_uk import read_uk_csv, read_uk_xml, uk_csv_version, uk_xml_version
from ingest.lists_us import csl_json_version, read_csl_csv, read_csl_json, read_dpl, read_sdn
from ingest.lists_xml import read_eu, read_un, xml_root

__all__ = ["Reader", "open_reader"]


def _none() -> str | None:
    return None


def _nothing() -> None:
    return None


@dataclass(frozen=True, slots=True)
class Reader:
    """How to read one file of one format."""

    fmt: str
    source: str  # provenance source of every record
    entries: Callable[[], Iterator[Parsed]]
    version: Callable[[], str | None] = _none  # the version the file states, if any
    complete: bool = True
    lists: frozenset[str] = field(default_factory=frozenset)  # lists always in delisting scope
    close: Callable[[], None] = _nothing


def _relabel(items: Iterator[Parsed], key: str) -> Iterator[Parsed]:
    """Single-list formats read with ``--list``: every listing goes to ``key``."""
    for item in items:
        if isinstance(item, ListEntry):
            item = replace(item, listings=tuple(replace(li, list_key=key) for li in item.listings))
        yield item


def _only(items: Iterator[Parsed], key: str) -> Iterator[Parsed]:
    """Multi-list formats read with ``--list``: only that list's entries."""
    for item in items:
        if not isinstance(item, ListEntry) or any(li.list_key == key for li in item.listings):
            yield item


def _attr(path: Path, name: str) -> Callable[[], str | None]:
    def version() -> str | None:
        return xml_root(path)[1].get(name) or None

    return version


def _ftm(path: Path, config: ListsConfig, list_key: str | None, delta: bool) -> Reader:
    ftm = FtmFile(path, config, list_key, delta=delta)

    def version() -> str | None:
        return index_version(path) or ftm.scan().last_seen or None

    return Reader(
        "ftm_delta" if delta else "ftm",
        "opensanctions",
        ftm.entries,
        version,
        complete=not delta,
        lists=frozenset({list_key}) if list_key else frozenset(),
        close=ftm.close,
    )


def _single(
    fmt: str,
    source: str,
    default_key: str,
    list_key: str | None,
    read: Callable[[], Iterator[Parsed]],
    version: Callable[[], str | None] = _none,
) -> Reader:
    key = list_key or default_key

    def entries() -> Iterator[Parsed]:
        return _relabel(read(), key) if list_key else read()

    return Reader(fmt, source, entries, version, lists=frozenset({key}))


def open_reader(fmt: str, path: Path, config: ListsConfig, list_key: str | None = None) -> Reader:
    """The reader for ``fmt`` (see :data:`ingest.lists_detect.FORMATS`)."""
    scope = frozenset({list_key}) if list_key else frozenset()
    if fmt in ("ftm", "ftm_delta"):
        return _ftm(path, config, list_key, fmt == "ftm_delta")
    if fmt == "os_targets":
        return Reader(
            fmt,
            "opensanctions",
            lambda: read_targets(path, config, list_key),
            lambda: targets_version(path),
            lists=scope,
        )
    if fmt.startswith("os_"):
        family = fmt[3:]
        return Reader(fmt, "opensanctions_csv", lambda: read_curated(path, family, config, list_key), lists=scope)
    if fmt in ("csl_csv", "csl_json"):
        read = read_csl_csv if fmt == "csl_csv" else read_csl_json

        def csl() -> Iterator[Parsed]:
            return _only(read(path, config), list_key) if list_key else read(path, config)

        return Reader(
            fmt, "us_trade_csl", csl, (lambda: csl_json_version(path)) if fmt == "csl_json" else _none, lists=scope
        )
    if fmt == "ofac_sdn":
        return _single(
            fmt, "us_ofac_sdn", config.by_csl_code("SDN") or "us_ofac_sdn", list_key, lambda: read_sdn(path, config)
        )
    if fmt == "bis_dpl":
        return _single(
            fmt, "us_bis_denied", config.by_csl_code("DPL") or "us_bis_denied", list_key, lambda: read_dpl(path, config)
        )
    if fmt == "eu_fsf_xml":
        return _single(
            fmt,
            "eu_fsf",
            config.by_dataset("eu_fsf"),
            list_key,
            lambda: read_eu(path, config),
            _attr(path, "generationDate"),
        )
    if fmt == "un_xml":
        return _single(
            fmt,
            "un_sc_sanctions",
            config.by_dataset("un_sc_sanctions"),
            list_key,
            lambda: read_un(path, config),
            _attr(path, "dateGenerated"),
        )
    if fmt == "uk_xml":
        return _single(
            fmt,
            "gb_fcdo_sanctions",
            config.by_dataset("gb_fcdo_sanctions"),
            list_key,
            lambda: read_uk_xml(path, config),
            lambda: uk_xml_version(path),
        )
    if fmt == "uk_csv":
        return _single(
            fmt,
            "gb_fcdo_sanctions",
            config.by_dataset("gb_fcdo_sanctions"),
            list_key,
            lambda: read_uk_csv(path, config),
            lambda: uk_csv_version(path),
        )
    raise ValueError(f"unknown list format {fmt!r}")
