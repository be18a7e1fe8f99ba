"""The one HTTP client every source uses.

:class:`HttpClient` wraps a ``requests`` session with the project's
User-Agent and timeouts and adds what bulk and API ingest need:

- retries with exponential backoff and jitter on 429, 5xx, connection
  resets, timeouts and truncated bodies (fewer bytes than Content-Length);
- ``Retry-After`` (seconds or an HTTP date) honoured on 429 and 503;
- a minimum interval between requests to the same host;
- :meth:`HttpClient.download`: streaming to a file, resumed with an HTTP
  ``Range`` request after a break, optionally verified against a SHA-256;
- :meth:`HttpClient.get_json` / :meth:`HttpClient.get_text`: an on-disk cache
  under ``<cache_dir>/http`` keyed by the URL without secrets, with a TTL.

Secrets (``api_key``, ``client-id`` and similar query parameters or headers)
never reach a log line or an exception message: they are redacted, and
urllib3's own debug log is filtered. The sleeper and clocks are injectable so
tests against a real local server need not wait. When retries are exhausted
:class:`graph.errors.SourceUnavailable` is raised (:class:`HttpStatusError`
for a non-retryable status such as 404, with ``status`` set).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qsl, quote, urlencode, urlsplit, urlunsplit

import requests

from graph.errors import SourceUnavailable
from graph.settings import Settings, load_settings

__all__ = [
    "DEFAULT_INTERVALS",
    "SECRET_NAMES",
    "HttpClient",
    "HttpStatusError",
    "redact",
    "retry_after_seconds",
    "safe_url",
    "shown_url",
]

log = logging.getLogger(__name__)

# Query parameters and headers whose values are secrets (compared case-insensitively).
SECRET_NAMES = frozenset(
    "api_key apikey api-key key token access_token client_id client-id x-api-key authorization "
    "subscription-key password secret".split()
)
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
_RETRY_AFTER_STATUS = frozenset({429, 503})
_RETRY_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
_SECRET_PARAM = re.compile(
    r"(?i)\b(" + "|".join(re.escape(n) for n in sorted(SECRET_NAMES, key=len, reverse=True)) + r")=([^&\s\"'#]+)"
)
# Seconds between two requests to a host, unless the caller says otherwise.
DEFAULT_INTERVALS: Mapping[str, float] = {
    "api.openalex.org": 0.1,  # hard cap 100/s; stay well under
    "api.ror.org": 0.15,  # 2,000 per 5 minutes with a client id
    "data.opensanctions.org": 0.2,
    "cordis.europa.eu": 0.5,
}
_CHUNK = 1 << 14  # what a broken stream loses at most before a resume

Params = Mapping[str, Any] | None


class HttpStatusError(SourceUnavailable):
    """A response with a status that retrying will not fix (e.g. 403, 404)."""

    def __init__(self, source: str, reason: str, status: int) -> None:
        super().__init__(source, reason)
        self.status = status


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with secret query values and the given secret strings masked."""
    text = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}=***", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***").replace(quote(secret, safe=""), "***")
    return text


def _query(url: str, params: Params) -> tuple[SplitResult, list[tuple[str, str]]]:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(k, str(v)) for k, v in (params or {}).items() if v is not None]
    return parts, query


def safe_url(url: str, params: Params = None) -> str:
    """The URL with ``params`` merged in, sorted, secret parameters removed (a cache key)."""
    parts, query = _query(url, params)
    kept = sorted((k, v) for k, v in query if k.lower() not in SECRET_NAMES)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), ""))


def shown_url(url: str, params: Params = None) -> str:
    """The URL with ``params`` merged in and secret values masked (for messages)."""
    parts, query = _query(url, params)
    masked = [(k, "***" if k.lower() in SECRET_NAMES else v) for k, v in query]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(masked, safe="*"), ""))


class _RedactFilter(logging.Filter):
    """Masks secret query values in urllib3's request log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


_URLLIB3_FILTER = _RedactFilter()
logging.getLogger("urllib3.connectionpool").addFilter(_URLLIB3_FILTER)


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


class _Retry(Exception):
    """One attempt failed in a way worth retrying."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


class HttpClient:
    """A requests session with retries, rate limits, resumable downloads and a cache."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        source: str = "http",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
        min_interval: float | Mapping[str, float] | None = None,
        retries: int | None = None,
        backoff: float = 1.0,
        backoff_max: float = 60.0,
        max_retry_after: float = 300.0,
        cache_ttl: float = 24 * 3600.0,
        cache_dir: str | Path | None = None,
    ) -> None:
        self.settings = settings or load_settings()
        self.source = source
        self.retries = self.settings.http_retries if retries is None else retries
        self.timeout = (min(10.0, self.settings.http_timeout), self.settings.http_timeout)
        self.backoff, self.backoff_max, self.max_retry_after = backoff, backoff_max, max_retry_after
        self.cache_ttl = cache_ttl
        self.cache_dir = Path(cache_dir or Path(self.settings.cache_dir) / "http")
        self._sleep, self._clock, self._wall, self._rng = sleep, clock, wall, rng
        self._interval = DEFAULT_INTERVALS if min_interval is None else min_interval
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self._secrets: tuple[str, ...] = ()
        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.settings.http_user_agent

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------

    def _remember_secrets(self, params: Params, headers: Mapping[str, str] | None) -> None:
        found = [str(v) for k, v in {**(params or {}), **(headers or {})}.items() if k.lower() in SECRET_NAMES and v]
        if found:
            self._secrets = tuple(dict.fromkeys((*self._secrets, *found)))

    def _clean(self, text: str) -> str:
        return redact(text, self._secrets)

    def _fail(self, url: str, reason: str) -> SourceUnavailable:
        return SourceUnavailable(self.source, self._clean(f"{reason} ({url})"))

    def _throttle(self, url: str) -> None:
        host = urlsplit(url).netloc
        interval = self._interval if isinstance(self._interval, float | int) else self._interval.get(host, 0.0)
        with self._lock:
            now = self._clock()
            ready = self._last.get(host, float("-inf")) + float(interval)
            if now < ready:
                self._sleep(ready - now)
                now = self._clock()
            self._last[host] = now

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.backoff_max, self.backoff * 2.0**attempt)
        return ceiling / 2 + float(self._rng()) * ceiling / 2

    def _check(self, response: requests.Response) -> None:
        """Raise _Retry for a retryable status, HttpStatusError for a fatal one."""
        status = response.status_code
        if status < 400:
            return
        if status in RETRY_STATUS:
            wait = None
            if status in _RETRY_AFTER_STATUS:
                wait = retry_after_seconds(response.headers.get("Retry-After"), self._wall())
            if wait is not None and wait > self.max_retry_after:
                raise self._fail(response.url, f"HTTP {status}; server asks to retry after {wait:.0f}s")
            raise _Retry(f"HTTP {status}", wait)
        raise HttpStatusError(self.source, self._clean(f"HTTP {status} for {response.url}"), status)

    def _attempts(self, url: str, call: Callable[[], Any]) -> Any:
        """Run ``call`` until it succeeds or the retries are spent."""
        last = "no attempt"
        for attempt in range(self.retries + 1):
            try:
                self._throttle(url)
                return call()
            except _Retry as exc:
                last, wait = exc.reason, exc.wait
            except _RETRY_ERRORS as exc:
                last, wait = f"{type(exc).__name__}: {exc}", None
            if attempt == self.retries:
                break
            delay = self._backoff(attempt) if wait is None else wait
            log.warning(
                "%s; retry %d/%d in %.1fs: %s", self._clean(last), attempt + 1, self.retries, delay, self._clean(url)
            )
            self._sleep(delay)
        raise self._fail(url, f"gave up after {self.retries + 1} attempts, last error: {last}")

    # -- GET ------------------------------------------------------------------

    def get(self, url: str, *, params: Params = None, headers: Mapping[str, str] | None = None) -> requests.Response:
        """GET with retries; the body is read whole and its length checked."""
        self._remember_secrets(params, headers)

        def call() -> requests.Response:
            response = self.session.get(url, params=params, headers=headers, timeout=self.timeout)
            self._check(response)
            expected = response.headers.get("Content-Length")
            if expected and expected.isdigit() and "Content-Encoding" not in response.headers:
                if len(response.content) != int(expected):
                    raise _Retry(f"truncated body: {len(response.content)} of {expected} bytes")
            return response

        return self._attempts(shown_url(url, params), call)  # type: ignore[no-any-return]

    def get_text(
        self, url: str, *, params: Params = None, headers: Mapping[str, str] | None = None, ttl: float | None = None
    ) -> str:
        """The body of a GET as text, from the on-disk cache while fresh."""
        ttl = self.cache_ttl if ttl is None else ttl
        key = safe_url(url, params)
        cached = self._cache_read(key, ttl)
        if cached is not None:
            return cached
        text = self.get(url, params=params, headers=headers).text
        if ttl > 0:
            self._cache_write(key, text)
        return text

    def get_json(
        self, url: str, *, params: Params = None, headers: Mapping[str, str] | None = None, ttl: float | None = None
    ) -> Any:
        """A GET parsed as JSON (cached like :meth:`get_text`)."""
        text = self.get_text(url, params=params, headers=headers, ttl=ttl)
        try:
            return json.loads(text)
        except ValueError as exc:
            self._cache_path(safe_url(url, params)).unlink(missing_ok=True)
            raise self._fail(shown_url(url, params), f"response is not JSON: {exc}") from None

    def _cache_path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}.json"

    def _cache_read(self, key: str, ttl: float) -> str | None:
        if ttl <= 0:
            return None
        path = self._cache_path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if entry.get("url") != key or self._wall() - float(entry.get("fetched", 0)) > ttl:
            return None
        return str(entry["body"])

    def _cache_write(self, key: str, body: str) -> None:
        path = self._cache_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"url": key, "fetched": self._wall(), "body": body}, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)

    # -- downloads --------------------------------------------------------------

    def download(
        self,
        url: str,
        dest: str | Path,
        *,
        sha256: str | None = None,
        params: Params = None,
        headers: Mapping[str, str] | None = None,
        refresh: bool = False,
    ) -> Path:
        """Stream ``url`` to ``dest``, resuming after breaks; verify ``sha256`` if given.

        An existing ``dest`` is reused unless ``refresh``; a partial download is
        kept beside it as ``<dest>.part`` and resumed with an HTTP Range request.
        """
        dest, shown = Path(dest), shown_url(url, params)
        if dest.exists() and not refresh and (sha256 is None or _file_sha256(dest) == sha256.lower()):
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_name(dest.name + ".part")
        self._remember_secrets(params, headers)
        for fresh_start in (False, True):
            if fresh_start:
                part.unlink(missing_ok=True)
            self._download_part(url, part, params, headers)
            if sha256 is None or _file_sha256(part) == sha256.lower():
                os.replace(part, dest)
                _validator_path(part).unlink(missing_ok=True)
                return dest
            log.warning("checksum mismatch for %s; downloading again from the start", self._clean(shown))
        part.unlink(missing_ok=True)
        raise self._fail(shown, f"SHA-256 of the download does not match the expected {sha256}")

    def _download_part(self, url: str, part: Path, params: Params, headers: Mapping[str, str] | None) -> None:
        """Fill ``part`` with the whole body; only failures that made no headway spend retries."""
        failures, last = 0, "no attempt"
        for _ in range((self.retries + 1) * 50):
            before = _size(part)
            try:
                self._throttle(url)
                self._stream_once(url, part, params, headers)
                return
            except _Retry as exc:
                last, wait = exc.reason, exc.wait
            except _RETRY_ERRORS as exc:
                last, wait = f"{type(exc).__name__}: {exc}", None
            failures = 0 if _size(part) > before else failures + 1
            if failures > self.retries:
                break
            delay = self._backoff(max(0, failures - 1)) if wait is None else wait
            log.warning(
                "download interrupted at %d bytes (%s); resuming in %.1fs: %s",
                _size(part),
                self._clean(last),
                delay,
                self._clean(shown_url(url, params)),
            )
            self._sleep(delay)
        raise self._fail(
            shown_url(url, params),
            f"download gave up after {self.retries + 1} attempts without progress, last error: {last}",
        )

    def _stream_once(self, url: str, part: Path, params: Params, headers: Mapping[str, str] | None) -> None:
        offset = _size(part)
        validator = _validator_path(part)
        request_headers = {**(headers or {}), "Accept-Encoding": "identity"}
        if offset:
            request_headers["Range"] = f"bytes={offset}-"
            if validator.exists():  # resume only if the file is unchanged, else the server sends it whole
                request_headers["If-Range"] = validator.read_text(encoding="utf-8")
        with self.session.get(url, params=params, headers=request_headers, timeout=self.timeout, stream=True) as resp:
            if resp.status_code == 416 and offset:
                total = _content_range_total(resp.headers.get("Content-Range"))
                if total == offset:
                    return
                part.unlink()
                raise _Retry("range not satisfiable; restarting the download")
            self._check(resp)
            if offset and resp.status_code != 206:
                offset = 0  # the server ignored Range, or the file changed: start again
            if not offset:
                _remember_validator(validator, resp)
            expected = _expected_total(resp, offset)
            with part.open("r+b" if offset else "wb") as fh:
                fh.seek(offset)
                fh.truncate()
                for chunk in resp.iter_content(_CHUNK):
                    fh.write(chunk)
            size = part.stat().st_size
            if expected is not None and size != expected:
                raise _Retry(f"truncated body: {size} of {expected} bytes")


def _validator_path(part: Path) -> Path:
    return part.with_name(part.name + ".validator")


def _remember_validator(path: Path, resp: requests.Response) -> None:
    """Keep the strong ETag (or Last-Modified) of a fresh download for If-Range on resume."""
    etag = resp.headers.get("ETag", "")
    value = etag if etag and not etag.startswith("W/") else resp.headers.get("Last-Modified", "")
    if value:
        path.write_text(value, encoding="utf-8")
    else:
        path.unlink(missing_ok=True)


def _content_range_total(value: str | None) -> int | None:
    match = re.search(r"/(\d+)\s*$", value or "")
    return int(match.group(1)) if match else None


def _expected_total(resp: requests.Response, offset: int) -> int | None:
    if resp.status_code == 206:
        total = _content_range_total(resp.headers.get("Content-Range"))
        if total is not None:
            return total
    length = resp.headers.get("Content-Length")
    return offset + int(length) if length and length.isdigit() else None


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()
