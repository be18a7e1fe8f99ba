"""Where a bulk source's bytes come from: a local path, a folder, a zip or a URL.

:func:`fetch` turns ``PATH_OR_URL`` into a local path (downloading a URL
through :class:`ingest.http.HttpClient` into ``<cache_dir>/downloads``) and
:func:`open_text` opens a file, or a member inside a zip, as UTF-8 text.
:func:`release_version` reads a release tag such as ``v1.55-2024-10-31``
from a file name.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TextIO, TypeVar
from urllib.parse import unquote, urlsplit

from graph.settings import Settings
from ingest.http import HttpClient, shown_url

__all__ = [
    "ARCHIVE_ERRORS",
    "Fetched",
    "Member",
    "fetch",
    "guarded",
    "is_url",
    "list_members",
    "member_size",
    "open_text",
    "release_version",
]

T = TypeVar("T")
ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError)

_VERSION = re.compile(r"v\d+(?:\.\d+)+(?:-\d{4}-\d{2}-\d{2})?")
DOWNLOAD_MAX_AGE = 24 * 3600.0


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Fetched:
    """A local copy of the input and how to name it in provenance."""

    path: Path
    location: str  # the URL (secrets masked) or the local path as given


@dataclass(frozen=True, slots=True)
class Member:
    """One readable file: a plain file or a member of a zip."""

    path: Path
    name: str  # the file name, or the member name inside the zip
    in_zip: bool = False

    @property
    def label(self) -> str:
        """How a quarantine entry names the file."""
        return f"{self.path.name}!{self.name}" if self.in_zip else self.path.name


def fetch(
    path_or_url: str,
    settings: Settings,
    *,
    source: str,
    client: HttpClient | None = None,
    max_age: float = DOWNLOAD_MAX_AGE,
) -> Fetched:
    """A local path for ``path_or_url``; a URL is downloaded (resumably) first.

    A finished download younger than ``max_age`` seconds is reused, so a rerun
    after a crash does not fetch the file again.
    """
    if not is_url(path_or_url):
        path = Path(path_or_url)
        if not path.exists():
            raise FileNotFoundError(f"{path_or_url}: no such file or folder")
        return Fetched(path, path_or_url)
    name = Path(unquote(urlsplit(path_or_url).path)).name or "download"
    dest = Path(settings.cache_dir) / "downloads" / source / name
    fresh = dest.exists() and time.time() - dest.stat().st_mtime < max_age
    own = client is None
    http = client or HttpClient(settings, source=source)
    try:
        http.download(path_or_url, dest, refresh=not fresh)
    finally:
        if own:
            http.close()
    return Fetched(dest, shown_url(path_or_url))


def list_members(path: Path) -> list[Member]:
    """The files inside ``path``: a folder (recursively), a zip, or the file itself."""
    if path.is_dir():
        return [Member(p, str(p.relative_to(path))) for p in sorted(path.rglob("*")) if p.is_file()]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            return [Member(path, info.filename, True) for info in zf.infolist() if not info.is_dir()]
    if path.suffix.lower() == ".zip":
        raise ValueError(f"{path}: not a readable zip archive (damaged or truncated?)")
    return [Member(path, path.name)]


def member_size(member: Member) -> int:
    """The member's size in bytes (uncompressed, for a zip member)."""
    if not member.in_zip:
        return member.path.stat().st_size
    with zipfile.ZipFile(member.path) as zf:
        return zf.getinfo(member.name).file_size


def open_text(member: Member) -> TextIO:
    """The member as UTF-8 text (a BOM is dropped); the caller closes it."""
    if not member.in_zip:
        return member.path.open("r", encoding="utf-8-sig", newline="")
    zf = zipfile.ZipFile(member.path)
    try:
        raw = zf.open(member.name)
    except (KeyError, zipfile.BadZipFile):
        zf.close()
        raise
    return _ZipText(raw, zf)


class _ZipText(io.TextIOWrapper):
    """Text over a zip member that also closes the archive."""

    def __init__(self, raw: IO[bytes], archive: zipfile.ZipFile) -> None:
        super().__init__(raw, encoding="utf-8-sig", newline="")
        self._archive = archive

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._archive.close()


def guarded(member: Member, items: Iterator[T]) -> Iterator[T]:
    """``items``, with a damaged archive reported as ValueError naming the file."""
    try:
        yield from items
    except ARCHIVE_ERRORS as exc:
        raise ValueError(f"{member.label}: damaged or truncated archive: {exc}") from exc
    except UnicodeDecodeError as exc:
        damaged = " (damaged archive?)" if member.in_zip else ""
        raise ValueError(f"{member.label}: not UTF-8 text{damaged}: {exc}") from exc


def release_version(*names: str) -> str | None:
    """The first release tag (``v1.55-2024-10-31``, ``v2.1``) found in ``names``."""
    for name in names:
        match = _VERSION.search(Path(name).name)
        if match:
            return match.group(0)
    return None
