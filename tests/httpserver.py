"""A real HTTP server on 127.0.0.1 for tests, with per-route fault injection.

Use the ``http_server`` fixture (tests/conftest.py) or start one yourself::

    server = HttpTestServer().start()
    server.route("/v2/organizations", [Reply.json({"items": []})])
    server.route("/dump.zip", [
        Reply(429, headers={"Retry-After": "1"}),     # honoured by ingest.http
        Reply(500),
        Reply.file(data, fault="truncate", cut=1000),   # full Content-Length, 1000 bytes, close
        Reply.file(data, fault="reset_after"),          # headers + half the body, then RST
        Reply(fault="reset"),                           # RST before any byte
        Reply.file(data),                               # honours Range: bytes=N-
    ])
    server.route("/works", [Reply(503)], handler=paged("cursor", {"*": page1, "c2": page2}))
    server.url("/works", cursor="*")   # -> "http://127.0.0.1:PORT/works?cursor=%2A"
    server.requests                    # every request seen: Seen(method, path, query, headers)
    server.hits("/dump.zip")           # requests to one path
    server.stop()

A route's replies are served in order; once they are used up, ``handler``
(a callable ``Seen -> Reply``) answers, or else the last reply repeats.
Unknown paths get 404. ``Reply.file`` honours ``Range`` (and ``If-Range``
against its ``ETag``/``Last-Modified`` headers). Faults: ``"truncate"`` announces the whole
Content-Length, sends ``cut`` bytes (default: half) and closes;
``"reset"`` closes with a TCP RST before answering; ``"reset_after"`` sends
the headers and ``cut`` bytes, then RST. ``delay`` waits before answering.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

__all__ = ["HttpTestServer", "Reply", "Seen", "paged"]

FAULTS = (None, "truncate", "reset", "reset_after")


@dataclass(frozen=True, slots=True)
class Seen:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float


@dataclass(frozen=True, slots=True)
class Reply:
    """One canned answer."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    ranges: bool = False  # honour "Range: bytes=N-" with 206
    fault: str | None = None
    cut: int | None = None  # bytes of the body sent before a truncate/reset_after fault
    delay: float = 0.0

    def __post_init__(self) -> None:
        if self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}; one of {FAULTS}")

    @classmethod
    def json(cls, value: Any, status: int = 200, **kw: Any) -> Reply:
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        return cls(status, body, {"Content-Type": "application/json", **kw.pop("headers", {})}, **kw)

    @classmethod
    def file(cls, data: bytes, **kw: Any) -> Reply:
        headers = {"Content-Type": "application/octet-stream", **kw.pop("headers", {})}
        return cls(200, data, headers, ranges=True, **kw)


Handler = Callable[[Seen], Reply]


def paged(param: str, pages: Mapping[str, Reply]) -> Handler:
    """A handler that answers with ``pages[query[param]]`` (404 for an unknown key)."""

    def handle(seen: Seen) -> Reply:
        return pages.get(seen.query.get(param, ""), Reply(404, b"no such page"))

    return handle


@dataclass(slots=True)
class _Route:
    replies: list[Reply]
    handler: Handler | None
    served: int = 0

    def next(self, seen: Seen) -> Reply:
        with _LOCK:
            index = self.served
            self.served += 1
        if index < len(self.replies):
            return self.replies[index]
        if self.handler is not None:
            return self.handler(seen)
        return self.replies[-1] if self.replies else Reply(404)


_LOCK = threading.Lock()


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        parts = urlsplit(self.path)
        seen = Seen(
            self.command,
            parts.path,
            dict(parse_qsl(parts.query, keep_blank_values=True)),
            dict(self.headers.items()),
            time.monotonic(),
        )
        owner = self.server.owner
        owner.requests.append(seen)
        route = owner.routes.get(parts.path)
        reply = route.next(seen) if route else Reply(404, b"not found")
        if reply.delay:
            time.sleep(reply.delay)
        if reply.fault == "reset":
            self._reset()
            return
        status, body, headers = _ranged(reply, self.headers.get("Range"), self.headers.get("If-Range"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not send_body:
            return
        if reply.fault in ("truncate", "reset_after"):
            cut = len(body) // 2 if reply.cut is None else min(reply.cut, len(body))
            self.wfile.write(body[:cut])
            self.wfile.flush()
            if reply.fault == "reset_after":
                self._reset()
            else:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_WR)
            return
        self.wfile.write(body)

    def _reset(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


def _ranged(reply: Reply, header: str | None, if_range: str | None) -> tuple[int, bytes, dict[str, str]]:
    headers = dict(reply.headers)
    if reply.ranges:
        headers["Accept-Ranges"] = "bytes"
    if not (reply.ranges and header and header.startswith("bytes=") and reply.status == 200):
        return reply.status, reply.body, headers
    if if_range is not None and if_range not in (headers.get("ETag"), headers.get("Last-Modified")):
        return reply.status, reply.body, headers  # changed since: the whole new body
    first, _, last = header[len("bytes=") :].partition("-")
    total = len(reply.body)
    start = int(first or 0)
    end = min(int(last), total - 1) if last else total - 1
    if start >= total:
        return 416, b"", {**headers, "Content-Range": f"bytes */{total}"}
    return 206, reply.body[start : end + 1], {**headers, "Content-Range": f"bytes {start}-{end}/{total}"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: HttpTestServer


class HttpTestServer:
    """A threading HTTP server on a free 127.0.0.1 port serving registered routes."""

    def __init__(self) -> None:
        self.routes: dict[str, _Route] = {}
        self.requests: list[Seen] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> HttpTestServer:
        self._server = _Server(("127.0.0.1", 0), _RequestHandler)
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="http-test-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return int(self._server.server_address[1])

    def route(self, path: str, responses: Sequence[Reply] = (), *, handler: Handler | None = None) -> None:
        """Serve ``responses`` in order at ``path``, then ``handler`` (or the last reply again)."""
        self.routes[path] = _Route(list(responses), handler)

    def url(self, path: str, **query: Any) -> str:
        suffix = f"?{urlencode(query)}" if query else ""
        return f"http://127.0.0.1:{self.port}{path}{suffix}"

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]
