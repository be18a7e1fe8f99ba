"""ingest.http against a real HTTP server on 127.0.0.1 that injects faults."""

from __future__ import annotations

import hashlib
import logging
from email.utils import formatdate
from pathlib import Path

import pytest

from graph.errors import SourceUnavailable
from graph.settings import load_settings
from ingest.http import HttpClient, HttpStatusError, redact, retry_after_seconds, safe_url
from tests.httpserver import HttpTestServer, Reply, paged

SECRET = "s3cr3t-KEY-0451"


class FakeTime:
    """A clock that only moves when slept on; records every sleep."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
def client(tmp_path: Path, fake: FakeTime) -> HttpClient:
    settings = load_settings(env={}, cache_dir=str(tmp_path / "cache"), http_retries=4, http_timeout=5.0)
    return HttpClient(settings, source="test", sleep=fake.sleep, clock=fake.clock, rng=lambda: 0.5)


def test_get_json_sends_user_agent_and_params(http_server: HttpTestServer, client: HttpClient) -> None:
    http_server.route("/items", [Reply.json({"items": [1, 2]})])
    assert client.get_json(http_server.url("/items"), params={"page": 2}) == {"items": [1, 2]}
    (seen,) = http_server.hits("/items")
    assert seen.query == {"page": "2"}
    assert seen.headers["User-Agent"] == client.settings.http_user_agent


def test_429_retry_after_seconds_is_honoured(http_server: HttpTestServer, client: HttpClient, fake: FakeTime) -> None:
    http_server.route("/x", [Reply(429, headers={"Retry-After": "7"}), Reply.json({"ok": True})])
    assert client.get_json(http_server.url("/x"), ttl=0) == {"ok": True}
    assert fake.sleeps == [7.0]
    assert len(http_server.hits("/x")) == 2


def test_503_retry_after_http_date_is_honoured(http_server: HttpTestServer, tmp_path: Path, fake: FakeTime) -> None:
    wall = 1_700_000_000.0
    settings = load_settings(env={}, cache_dir=str(tmp_path))
    client = HttpClient(settings, sleep=fake.sleep, clock=fake.clock, wall=lambda: wall)
    http_server.route("/x", [Reply(503, headers={"Retry-After": formatdate(wall + 42, usegmt=True)}), Reply.json(1)])
    assert client.get_json(http_server.url("/x"), ttl=0) == 1
    assert fake.sleeps == [pytest.approx(42.0, abs=1.0)]


def test_500s_back_off_exponentially_with_jitter(
    http_server: HttpTestServer, client: HttpClient, fake: FakeTime
) -> None:
    http_server.route("/x", [Reply(500), Reply(502), Reply(500), Reply.json("done")])
    assert client.get_json(http_server.url("/x"), ttl=0) == "done"
    # rng() = 0.5: each delay is 3/4 of the ceiling 1, 2, 4 s.
    assert fake.sleeps == [0.75, 1.5, 3.0]


def test_truncated_body_and_connection_reset_are_retried(
    http_server: HttpTestServer, client: HttpClient, fake: FakeTime
) -> None:
    body = {"results": list(range(500))}
    http_server.route(
        "/x",
        [
            Reply.json(body, fault="truncate"),
            Reply(fault="reset"),
            Reply.json(body, fault="reset_after"),
            Reply.json(body),
        ],
    )
    assert client.get_json(http_server.url("/x"), ttl=0) == body
    assert len(http_server.hits("/x")) == 4
    assert len(fake.sleeps) == 3


def test_exhausted_retries_raise_source_unavailable_without_secrets(
    http_server: HttpTestServer, client: HttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    http_server.route("/x", [Reply(500)])
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SourceUnavailable) as info:
        client.get_json(http_server.url("/x"), params={"api_key": SECRET, "q": "a"}, headers={"client-id": "cid-9"})
    assert len(http_server.hits("/x")) == client.retries + 1
    assert "gave up after 5 attempts" in str(info.value)
    assert SECRET not in str(info.value) and "cid-9" not in str(info.value)
    assert "api_key=***" in str(info.value)
    assert SECRET not in caplog.text and "cid-9" not in caplog.text
    assert http_server.hits("/x")[0].query["api_key"] == SECRET  # it was really sent


def test_connection_refused_is_source_unavailable(client: HttpClient) -> None:
    with pytest.raises(SourceUnavailable, match="ConnectionError"):
        client.get_json("http://127.0.0.1:9/nothing", params={"api_key": SECRET}, ttl=0)


def test_404_is_not_retried(http_server: HttpTestServer, client: HttpClient) -> None:
    with pytest.raises(HttpStatusError) as info:
        client.get_json(http_server.url("/missing"), params={"api_key": SECRET})
    assert info.value.status == 404
    assert len(http_server.requests) == 1
    assert SECRET not in str(info.value)


def test_long_retry_after_gives_up_at_once(http_server: HttpTestServer, client: HttpClient, fake: FakeTime) -> None:
    http_server.route("/x", [Reply(429, headers={"Retry-After": "86400"})])
    with pytest.raises(SourceUnavailable, match="retry after 86400s"):
        client.get_json(http_server.url("/x"))
    assert fake.sleeps == [] and len(http_server.requests) == 1


def test_rate_limit_spaces_requests_per_host(http_server: HttpTestServer, tmp_path: Path, fake: FakeTime) -> None:
    settings = load_settings(env={}, cache_dir=str(tmp_path))
    client = HttpClient(
        settings, sleep=fake.sleep, clock=fake.clock, min_interval={f"127.0.0.1:{http_server.port}": 0.25}
    )
    http_server.route("/x", [Reply.json(1)])
    for _ in range(3):
        client.get_json(http_server.url("/x"), ttl=0)
    assert fake.sleeps == [0.25, 0.25]
    other = HttpClient(settings, sleep=fake.sleep, clock=fake.clock, min_interval={"elsewhere.org": 5.0})
    other.get_json(http_server.url("/x"), ttl=0)
    other.get_json(http_server.url("/x"), ttl=0)
    assert fake.sleeps == [0.25, 0.25]


def test_cache_is_keyed_without_secrets_and_expires(http_server: HttpTestServer, tmp_path: Path) -> None:
    wall = [5_000.0]
    settings = load_settings(env={}, cache_dir=str(tmp_path))
    client = HttpClient(settings, wall=lambda: wall[0], cache_ttl=60)
    http_server.route("/inst", [Reply.json({"v": 1}), Reply.json({"v": 2})])
    url = http_server.url("/inst")
    assert client.get_json(url, params={"api_key": "k1", "id": "I1"}) == {"v": 1}
    assert client.get_json(url, params={"id": "I1", "api_key": "k2"}) == {"v": 1}
    assert len(http_server.hits("/inst")) == 1
    stored = b"".join(p.read_bytes() for p in (tmp_path / "http").rglob("*.json"))
    assert b"k1" not in stored and b"api_key" not in stored
    wall[0] += 61
    assert client.get_json(url, params={"id": "I1", "api_key": "k1"}) == {"v": 2}
    assert len(http_server.hits("/inst")) == 2


def test_paging_handler_serves_pages_after_faults(http_server: HttpTestServer, client: HttpClient) -> None:
    pages = {"*": Reply.json({"next": "c2", "r": [1]}), "c2": Reply.json({"next": None, "r": [2]})}
    http_server.route("/works", [Reply(503)], handler=paged("cursor", pages))
    cursor, got = "*", []
    while cursor:
        page = client.get_json(http_server.url("/works"), params={"cursor": cursor}, ttl=0)
        got += page["r"]
        cursor = page["next"]
    assert got == [1, 2]


DATA = bytes(range(256)) * 4096  # 1 MiB


def test_download_resumes_through_every_fault(http_server: HttpTestServer, client: HttpClient, tmp_path: Path) -> None:
    http_server.route(
        "/dump.zip",
        [
            Reply.file(DATA, fault="truncate", cut=8 * 16384),
            Reply(429, headers={"Retry-After": "3"}),
            Reply.file(DATA, fault="reset_after", cut=12 * 16384),
            Reply(fault="reset"),
            Reply(500),
            Reply.file(DATA),
        ],
    )
    digest = hashlib.sha256(DATA).hexdigest()
    path = client.download(http_server.url("/dump.zip"), tmp_path / "d" / "dump.zip", sha256=digest)
    assert path.read_bytes() == DATA
    ranges = [r.headers.get("Range") for r in http_server.hits("/dump.zip")]
    assert ranges[0] is None
    # The client keeps whole 16 KiB chunks received before a break and resumes after them.
    assert ranges[1] == "bytes=131072-"
    # A reset may drop bytes in flight, but the resume point never goes back.
    offsets = [int(r[len("bytes=") : -1]) for r in ranges[1:]]
    assert offsets == sorted(offsets) and offsets[-1] > 131072
    assert not (tmp_path / "d" / "dump.zip.part").exists()
    assert all(r.headers["Accept-Encoding"] == "identity" for r in http_server.hits("/dump.zip"))
    # A second call reuses the verified file without a request.
    before = len(http_server.requests)
    client.download(http_server.url("/dump.zip"), path, sha256=digest)
    assert len(http_server.requests) == before


def test_download_restarts_when_range_is_ignored(
    http_server: HttpTestServer, client: HttpClient, tmp_path: Path
) -> None:
    http_server.route("/f", [Reply(200, DATA, fault="truncate"), Reply(200, DATA)])
    path = client.download(http_server.url("/f"), tmp_path / "f.bin")
    assert path.read_bytes() == DATA


def test_resume_sends_if_range_and_restarts_when_the_file_changed(
    http_server: HttpTestServer, client: HttpClient, tmp_path: Path
) -> None:
    newer = DATA[::-1]
    http_server.route(
        "/f",
        [
            Reply.file(DATA, headers={"ETag": '"v1"'}, fault="truncate", cut=4 * 16384),
            Reply.file(DATA, headers={"ETag": '"v1"'}, fault="truncate", cut=4 * 16384),
            Reply.file(newer, headers={"ETag": '"v2"'}),
        ],
    )
    path = client.download(http_server.url("/f"), tmp_path / "f.bin")
    hits = http_server.hits("/f")
    assert [h.headers.get("If-Range") for h in hits] == [None, '"v1"', '"v1"']
    assert path.read_bytes() == newer  # not a splice of two versions
    assert not (tmp_path / "f.bin.part.validator").exists()


def test_download_checksum_mismatch_fails(http_server: HttpTestServer, client: HttpClient, tmp_path: Path) -> None:
    http_server.route("/f", [Reply.file(DATA)])
    with pytest.raises(SourceUnavailable, match="SHA-256"):
        client.download(http_server.url("/f"), tmp_path / "f.bin", sha256="0" * 64)
    assert not (tmp_path / "f.bin").exists() and not (tmp_path / "f.bin.part").exists()
    assert len(http_server.hits("/f")) == 2  # one fresh retry, then give up


def test_download_gives_up_without_headway(http_server: HttpTestServer, client: HttpClient, tmp_path: Path) -> None:
    http_server.route("/f", [Reply(fault="reset")])
    with pytest.raises(SourceUnavailable, match="without progress"):
        client.download(http_server.url("/f"), tmp_path / "f.bin", params={"api_key": SECRET})
    assert len(http_server.hits("/f")) == client.retries + 1


def test_redaction_helpers() -> None:
    assert redact(f"GET /w?api_key={SECRET}&page=2 HTTP/1.1") == "GET /w?api_key=***&page=2 HTTP/1.1"
    assert redact(f"token {SECRET} here", (SECRET,)) == "token *** here"
    assert safe_url("https://a.org/x?b=2&api_key=z", {"a": 1, "client-id": "c"}) == "https://a.org/x?a=1&b=2"
    assert retry_after_seconds("12", 0.0) == 12.0
    assert retry_after_seconds("garbage", 0.0) is None
