"""A real local Neo4j 5.26 LTS Community server, started without Docker.

The tiny Java launcher in ``graph/neo4j_launcher`` runs embedded Neo4j with
only the Bolt connector on 127.0.0.1. It is built once with Maven from Maven
Central artifacts into a cache directory keyed by a hash of its sources; the
build is self-contained (``neo4j-launcher.jar`` + ``lib/``), so starting a
server needs Java but no network and no Maven.

Layout of a data directory::

    password            random password of user ``neo4j`` (mode 0600)
    server.json         pid, port, bolt_uri, version of the last start
    data/, logs/        the Neo4j store and its logs; logs/launcher.log has the JVM's output

Local instances are registered in ``<state dir>/neo4j-instances.json``
(``127.0.0.1:PORT`` -> data directory) so that :func:`password_for_uri` finds
the password of ``bolt://127.0.0.1:PORT``. The password is never logged.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "LAUNCHER_SOURCES",
    "Neo4jServerError",
    "ServerInfo",
    "build_launcher",
    "password_for_uri",
    "start",
    "status",
    "stop",
]

log = logging.getLogger(__name__)

LAUNCHER_SOURCES = Path(__file__).resolve().parent / "neo4j_launcher"
LAUNCHER_JAR = "neo4j-launcher.jar"
CLASSPATH_FILE = "classpath.txt"
_BUILD_OK = "BUILD_OK"
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_DEFAULT_HEAP = "1g"
_DEFAULT_PAGECACHE = "512m"
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    # A young generation of at least half the heap: a write transaction's state (10,000 relationships)
    # then mostly dies young instead of being copied and promoted. Bulk relationship loads: GC CPU
    # 4.0 -> 2.3 s per 300k relationships, server CPU 50-53 -> 44-49 us per relationship (measured).
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:G1NewSizePercent=50",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:-OmitStackTraceInFastThrow",
    "-Dfile.encoding=UTF-8",
    "-Dio.netty.tryReflectionSetAccessible=true",
    # The jar's manifest also carries these (Add-Opens), they are repeated for `java -cp` users.
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
)


class Neo4jServerError(RuntimeError):
    """The local Neo4j could not be built, started or stopped."""


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """A local Neo4j instance, as recorded in ``<data_dir>/server.json``."""

    data_dir: Path
    pid: int
    port: int
    bolt_uri: str
    version: str
    running: bool


# --------------------------------------------------------------------------- paths and small helpers


def _cache_root(cache_dir: Path | str | None) -> Path:
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    env = os.environ.get("RSGRAPH_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "rsgraph"


def _state_root(state_dir: Path | str | None) -> Path:
    if state_dir is not None:
        return Path(state_dir).expanduser()
    env = os.environ.get("RSGRAPH_STATE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".local" / "state" / "rsgraph"


def _registry_path(state_dir: Path | str | None) -> Path:
    return _state_root(state_dir) / "neo4j-instances.json"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``path`` (created if needed), across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _write_json_atomic(path: Path, data: Any, mode: int = 0o644) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True)
            fh.write("\n")
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _require_tool(name: str, purpose: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise Neo4jServerError(
            f"`{name}` not found on PATH: it is needed to {purpose} (install Java 17+ and Maven 3.8+, "
            "e.g. `apt-get install openjdk-17-jdk-headless maven`)"
        )
    return found


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


# --------------------------------------------------------------------------- build


def _sources_hash() -> str:
    digest = hashlib.sha256()
    files = [LAUNCHER_SOURCES / "pom.xml", *sorted((LAUNCHER_SOURCES / "src").rglob("*.java"))]
    for f in files:
        digest.update(f.relative_to(LAUNCHER_SOURCES).as_posix().encode())
        digest.update(b"\0")
        digest.update(f.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def build_launcher(cache_dir: Path | None = None) -> Path:
    """Build the launcher once; return the directory holding ``neo4j-launcher.jar``, ``lib/`` and ``classpath.txt``.

    The build lands in ``<cache root>/neo4j-launcher/<hash of pom.xml + Java sources>/`` where the cache
    root is ``cache_dir``, else ``$RSGRAPH_CACHE_DIR``, else ``~/.cache/rsgraph``. A file lock makes
    concurrent callers (threads or processes) wait for one build; a finished build is never rebuilt.
    The first build needs Maven and Maven Central (several minutes with a cold ``~/.m2``).
    """
    base = _cache_root(cache_dir) / "neo4j-launcher"
    key = _sources_hash()
    target = base / key
    if (target / _BUILD_OK).is_file():
        return target
    with _locked(base / f"{key}.lock"):
        if (target / _BUILD_OK).is_file():
            return target
        mvn = _require_tool("mvn", "build the Neo4j launcher")
        _require_tool("java", "build and run the Neo4j launcher")
        if target.exists():  # left over by an interrupted build
            shutil.rmtree(target)
        work = Path(tempfile.mkdtemp(dir=base, prefix=f"{key}.build-"))
        try:
            shutil.copy2(LAUNCHER_SOURCES / "pom.xml", work / "pom.xml")
            shutil.copytree(LAUNCHER_SOURCES / "src", work / "src")
            build_log = work / "maven.log"
            log.info("building the Neo4j launcher with Maven in %s (first time only)", work)
            started = time.monotonic()
            with open(build_log, "wb") as out:
                proc = subprocess.run(
                    [mvn, "-B", "-q", "-Dstyle.color=never", "package"],
                    cwd=work,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    check=False,
                )
            if proc.returncode != 0:
                raise Neo4jServerError(
                    f"Maven build of the Neo4j launcher failed (exit {proc.returncode}); "
                    f"last lines of {build_log}:\n{_tail(build_log)}"
                )
            staging = work / "out"
            staging.mkdir()
            os.replace(work / "target" / LAUNCHER_JAR, staging / LAUNCHER_JAR)
            os.replace(work / "target" / "lib", staging / "lib")
            shutil.copy2(build_log, staging / "maven.log")
            jars = [staging / LAUNCHER_JAR, *sorted((staging / "lib").glob("*.jar"))]
            rel = [target / j.relative_to(staging) for j in jars]
            (staging / CLASSPATH_FILE).write_text(os.pathsep.join(map(str, rel)) + "\n", encoding="utf-8")
            (staging / _BUILD_OK).write_text(f"built in {time.monotonic() - started:.1f}s\n", encoding="utf-8")
            os.replace(staging, target)
            log.info("Neo4j launcher built in %.1fs: %s", time.monotonic() - started, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return target


# --------------------------------------------------------------------------- processes


def _pid_alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie counts as dead (the server is never our child: see _spawn_detached)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def _is_our_launcher(pid: int, data_dir: Path) -> bool:
    """Guard against pid reuse: the process must be the launcher serving ``data_dir``."""
    if not _pid_alive(pid):
        return False
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True  # no /proc: trust the pid
    return LAUNCHER_JAR.encode() in b" ".join(args) and str(data_dir).encode() in args


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1.0)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _spawn_detached(cmd: list[str], log_file: Path) -> int:
    """Start ``cmd`` in a new session, re-parented away from us (no zombie, no Popen to keep); return its pid."""
    script = 'log=$1; shift; "$@" >>"$log" 2>&1 </dev/null & echo $!'
    proc = subprocess.run(
        ["/bin/sh", "-c", script, "sh", str(log_file), *cmd],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=True,
        start_new_session=True,
    )
    return int(proc.stdout.strip())


def _ensure_password(data_dir: Path) -> Path:
    path = data_dir / "password"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(secrets.token_urlsafe(24) + "\n")
        log.info("generated a new password for user neo4j in %s", path)
    os.chmod(path, 0o600)
    return path


def _cds_flags(launcher: Path, java: str) -> tuple[list[str], Path | None, Path]:
    """JVM flags for class-data sharing, which roughly halves the JVM's start time.

    The archive is keyed by the java binary (a JDK upgrade makes a new one). Without it, the JVM is
    asked to write one when it exits; :func:`stop` promotes that file once the JVM has exited cleanly.
    Returns (flags, pending archive or None, final archive).
    """
    real = os.path.realpath(java)
    st = os.stat(real)
    key = hashlib.sha256(f"{real}:{st.st_mtime_ns}:{st.st_size}".encode()).hexdigest()[:12]
    archive = launcher / f"cds-{key}.jsa"
    quiet = "-Xlog:cds*=error"  # dumping warns about every class of a signed jar
    if archive.is_file():
        return [f"-XX:SharedArchiveFile={archive}", quiet], None, archive
    pending = launcher / f"cds-{key}.{secrets.token_hex(4)}.tmp"
    return [f"-XX:ArchiveClassesAtExit={pending}", quiet], pending, archive


def _promote_cds(record: dict[str, Any], clean: bool) -> None:
    pending, archive = record.get("cds_pending"), record.get("cds_archive")
    if not isinstance(pending, str) or not isinstance(archive, str):
        return
    path = Path(pending)
    if clean and path.is_file() and path.stat().st_size > 0:
        os.replace(path, archive)
        log.info("class-data archive for faster JVM starts saved: %s", archive)
    else:
        path.unlink(missing_ok=True)


def _register(port: int, data_dir: Path, state_dir: Path | str | None) -> None:
    registry = _registry_path(state_dir)
    with _locked(registry.with_name(registry.name + ".lock")):
        current = _read_json(registry)
        entries: dict[str, str] = current if isinstance(current, dict) else {}
        entries[f"127.0.0.1:{port}"] = str(data_dir)
        _write_json_atomic(registry, entries)


def _registered_owner(port: int, state_dir: Path | str | None) -> str | None:
    entries = _read_json(_registry_path(state_dir))
    if isinstance(entries, dict):
        owner = entries.get(f"127.0.0.1:{port}")
        return owner if isinstance(owner, str) else None
    return None


# --------------------------------------------------------------------------- public API


def status(data_dir: Path) -> ServerInfo | None:
    """The instance recorded in ``data_dir`` (``running`` tells whether it runs now), or None if never started."""
    data_dir = Path(data_dir).expanduser().resolve()
    record = _read_json(data_dir / "server.json")
    try:
        pid, port = int(record["pid"]), int(record["port"])
        bolt_uri, version = str(record["bolt_uri"]), str(record["version"])
    except (KeyError, TypeError, ValueError):
        return None
    running = pid > 0 and _is_our_launcher(pid, data_dir)
    return ServerInfo(data_dir=data_dir, pid=pid, port=port, bolt_uri=bolt_uri, version=version, running=running)


def start(
    data_dir: Path,
    port: int = 7687,
    *,
    timeout: float = 180,
    heap: str | None = None,
    pagecache: str | None = None,
    cache_dir: Path | None = None,
    state_dir: Path | str | None = None,
) -> ServerInfo:
    """Start a local Neo4j on ``bolt://127.0.0.1:<port>`` serving ``data_dir``; return its info.

    Builds the launcher first if needed (not counted in ``timeout``, which bounds the server's start).
    If this data directory's server already runs, its info is returned as is. ``heap`` (JVM ``-Xmx``,
    default ``$RSGRAPH_NEO4J_HEAP`` or 1g) and ``pagecache`` (default ``$RSGRAPH_NEO4J_PAGECACHE`` or
    512m) size the memory. Raises :class:`Neo4jServerError` if Java/Maven are missing, the port is
    taken by another process, or the server does not become ready in time.
    """
    data_dir = Path(data_dir).expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "logs").mkdir(exist_ok=True)
    with _locked(data_dir / ".server.lock"):
        current = status(data_dir)
        if current is not None and current.running:
            if current.port != port:
                log.warning("Neo4j for %s already runs on port %d (asked for %d)", data_dir, current.port, port)
            _register(current.port, data_dir, state_dir)
            return current
        java = _require_tool("java", "run the Neo4j launcher")
        if _port_in_use(port):
            owner = _registered_owner(port, state_dir)
            hint = f" (registered to the local instance in {owner})" if owner else ""
            raise Neo4jServerError(f"port {port} on 127.0.0.1 is already in use by another process{hint}")
        launcher = build_launcher(cache_dir)
        password_file = _ensure_password(data_dir)
        heap = heap or os.environ.get("RSGRAPH_NEO4J_HEAP") or _DEFAULT_HEAP
        pagecache = pagecache or os.environ.get("RSGRAPH_NEO4J_PAGECACHE") or _DEFAULT_PAGECACHE
        cds, cds_pending, cds_archive = _cds_flags(launcher, java)
        cmd = [
            java,
            f"-Xms{heap}",
            f"-Xmx{heap}",
            *_JVM_FLAGS,
            *cds,
            "-jar",
            str(launcher / LAUNCHER_JAR),
            "--data",
            str(data_dir),
            "--port",
            str(port),
            "--password-file",
            str(password_file),
            "--pagecache",
            pagecache,
        ]
        log_file = data_dir / "logs" / "launcher.log"
        offset = log_file.stat().st_size if log_file.exists() else 0
        started = time.monotonic()
        pid = _spawn_detached(cmd, log_file)
        log.info("starting Neo4j (pid %d) for %s on 127.0.0.1:%d", pid, data_dir, port)
        try:
            version = _wait_ready(pid, port, log_file, offset, started + timeout)
        except Neo4jServerError:
            if cds_pending is not None:
                cds_pending.unlink(missing_ok=True)
            raise
        bolt_uri = f"bolt://127.0.0.1:{port}"
        record: dict[str, Any] = {
            "pid": pid,
            "port": port,
            "bolt_uri": bolt_uri,
            "version": version,
            "data_dir": str(data_dir),
        }
        if cds_pending is not None:
            record.update(cds_pending=str(cds_pending), cds_archive=str(cds_archive))
        _write_json_atomic(data_dir / "server.json", record)
        _register(port, data_dir, state_dir)
        log.info("Neo4j %s ready at %s after %.1fs", version, bolt_uri, time.monotonic() - started)
        return ServerInfo(data_dir=data_dir, pid=pid, port=port, bolt_uri=bolt_uri, version=version, running=True)


def _wait_ready(pid: int, port: int, log_file: Path, offset: int, deadline: float) -> str:
    """Wait for the launcher's ``READY bolt://127.0.0.1:PORT VERSION`` line; return VERSION."""
    prefix = f"READY bolt://127.0.0.1:{port} "
    while True:
        with open(log_file, "rb") as fh:
            fh.seek(offset)
            for raw in fh.read().decode("utf-8", errors="replace").splitlines():
                if raw.startswith(prefix):
                    return raw[len(prefix) :].strip()
        if not _pid_alive(pid):
            raise Neo4jServerError(f"Neo4j exited before it was ready; last lines of {log_file}:\n{_tail(log_file)}")
        if time.monotonic() > deadline:
            _terminate(pid, 30)
            raise Neo4jServerError(f"Neo4j was not ready in time; last lines of {log_file}:\n{_tail(log_file)}")
        time.sleep(0.2)


def _terminate(pid: int, timeout: float) -> bool:
    """SIGTERM, wait up to ``timeout`` s, then SIGKILL. True if it exited on SIGTERM."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.2)
    log.warning("Neo4j (pid %d) did not stop within %.0fs: killing it", pid, timeout)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    for _ in range(50):
        if not _pid_alive(pid):
            break
        time.sleep(0.1)
    return False


def stop(data_dir: Path, timeout: float = 60) -> bool:
    """Stop the instance of ``data_dir`` cleanly (SIGTERM, SIGKILL after ``timeout`` s).

    Returns True if a running server was stopped, False if none was running. After a server's very
    first start from a fresh launcher build, its JVM also writes a class-data archive while exiting;
    that one stop may take up to 120 s longer before SIGKILL.
    """
    data_dir = Path(data_dir).expanduser().resolve()
    with _locked(data_dir / ".server.lock"):
        info = status(data_dir)
        if info is None or not info.running:
            return False
        record = _read_json(data_dir / "server.json")
        record = record if isinstance(record, dict) else {}
        started = time.monotonic()
        clean = _terminate(info.pid, timeout + (120 if "cds_pending" in record else 0))
        _promote_cds(record, clean)
        log.info(
            "Neo4j (pid %d) stopped %s in %.1fs",
            info.pid,
            "cleanly" if clean else "by SIGKILL",
            time.monotonic() - started,
        )
        return True


def password_for_uri(uri: str, *, state_dir: Path | str | None = None) -> str | None:
    """The password of the local instance registered for ``uri`` (127.0.0.1/localhost only), or None."""
    try:
        parts = urlsplit(uri)
        port = parts.port or 7687
    except ValueError:
        return None
    if parts.hostname not in _LOCAL_HOSTS:
        return None
    owner = _registered_owner(port, state_dir)
    if owner is None:
        return None
    try:
        return (Path(owner) / "password").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None
