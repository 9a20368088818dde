"""A HeyGen-compatible server on loopback that serves sessions from a folder.

It answers the two endpoints the collector uses, with HeyGen's shapes:
status JSON, the words stream as SSE, HeyGen's error bodies, 401 for a
wrong key (when started with one) and 404 for an unknown id. Users can
point their own tooling at it instead of a HeyGen account; our tests run
the real HTTP path against it.

A session in the folder is ``<name>.sse``: the exact bytes the words
endpoint sends. Its id is the file name without ``.sse``; an id that is not
a plain file name is looked up under :func:`~transcribe_export.files.safe_name`.
Beside it, an optional ``<name>.status.json`` overrides the status answer,
e.g. ``{"status": "error", "error_message": "avatar failed to load"}``
(a status file with no ``.sse`` describes a session without words).
Without one, the status is ``completed``.

To test what the network does to a client, an id may name a scenario:
``drop--product-demo`` serves ``product-demo`` with its first connection
cut after 3 frames. :mod:`transcribe_export.emulate.scenarios` lists them all
(429 with Retry-After, 5xx bursts, pending -> streaming -> completed with
real pacing, CR or CRLF endings, one-byte chunks, a BOM, bad frames, a
redirect, …); a scenario file maps ids to scenarios with your own values.
"""

from __future__ import annotations

import hmac
import json
import logging
import socket
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from transcribe_export.emulate.scenarios import (
    HOSTILE,
    Scenario,
    SessionData,
    first_frame,
    load_scenario_file,
    render_stream,
    scenario_for_id,
)
from transcribe_export.errors import ConfigurationError
from transcribe_export.write.files import safe_name

__all__ = ["Emulator", "RequestRecord"]

log = logging.getLogger(__name__)

_PREFIX = "/v3/avatar-realtime/"


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the emulator received (for tests and debugging)."""

    method: str
    raw_path: str
    stream_id: str | None
    headers: dict[str, str]
    at: float = 0.0  # time.monotonic() when it arrived


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "param": None, "doc_url": None}}


_ERROR_BODIES = {
    429: ("rate_limit_exceeded", "Too many requests. Retry after the duration specified in the Retry-After header."),
    500: ("internal_error", "Internal server error."),
    502: ("bad_gateway", "Bad gateway."),
    503: ("service_unavailable", "Service temporarily unavailable."),
    504: ("gateway_timeout", "Gateway timeout."),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def setup(self) -> None:
        super().setup()
        # Each write should leave at once: tests split CRLF pairs across packets.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.debug("emulator: " + format, *args)

    def _send_json(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _credential(self) -> str:
        given = self.headers.get("x-api-key")
        bearer = self.headers.get("Authorization", "")
        if given is None and bearer.startswith("Bearer "):
            given = bearer[len("Bearer ") :]
        return given or ""

    def _drip(self, body: bytes, pause: float) -> None:
        """A whole answer, status line and headers included, one byte at a time."""
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        self.close_connection = True
        try:
            for byte in head + body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            log.debug("emulator: the client gave up on a dripping answer")

    def _send_page(self, status: int, html: str) -> None:
        payload = html.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _authorized(self) -> bool:
        key = self.server.api_key
        return key is None or hmac.compare_digest(self._credential().encode(), key.encode())

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        raw_path = self.path.split("?", 1)[0]
        segments = raw_path[len(_PREFIX) :].split("/") if raw_path.startswith(_PREFIX) else []
        stream_id = unquote(segments[0]) if segments and segments[0] else None
        self.server.record(RequestRecord("GET", self.path, stream_id, dict(self.headers.items()), time.monotonic()))
        if self.server.latency:
            time.sleep(self.server.latency)
        name, scenario = self.server.resolve(stream_id) if stream_id is not None else ("", Scenario())
        secret = self._credential()
        if not self._authorized():
            message = "Invalid or expired API key. Verify your x-api-key header."
            if scenario.echo:
                message = f"Invalid API key {HOSTILE.format(secret=secret)}"
            self._send_json(401, _error("authentication_failed", message))
            return
        if stream_id is None or len(segments) > 2 or (len(segments) == 2 and segments[1] != "words"):
            self._send_page(404, "<html><body><h1>404 Not Found</h1></body></html>")  # not the API: a web server's page
            return
        session = self.server.find(name)
        if session is None:
            self._send_json(404, _error("not_found", "Streaming session not found."))
            return
        kind = "status" if len(segments) == 1 else "words"
        started, count = self.server.visit(stream_id, kind)
        errors = scenario.status_errors if kind == "status" else scenario.words_errors
        if count <= len(errors):
            code = errors[count - 1]
            headers = {"Retry-After": scenario.retry_after} if scenario.retry_after and code in (429, 503) else {}
            self._send_json(code, _error(*_ERROR_BODIES.get(code, ("error", "Error."))), headers)
            return
        live = _Timeline(started, scenario, len(session.data.frames) if session.data else 0)
        if kind == "status":
            answer = live.status(session.status, scenario)
            if scenario.echo and answer.get("status") == "error":
                answer["error_message"] = f"avatar failed for key {HOSTILE.format(secret=secret)}"
            if scenario.drip_s:
                self._drip(json.dumps({"data": {"stream_id": stream_id, **answer}}).encode(), scenario.drip_s)
            else:
                self._send_json(200, {"data": {"stream_id": stream_id, **answer}})
        elif session.data is None:
            self._send_json(404, _error("not_found", "No word timestamps for this session."))
        elif scenario.redirect or scenario.redirect_words:
            target = scenario.redirect_words or self.server.redirect_target
            self.send_response(307)
            self.send_header("Location", target.rstrip("/") + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            try:
                self._send_stream(session.data, scenario, live, count - len(errors), self.headers.get("Last-Event-ID"), secret)
            except (BrokenPipeError, ConnectionResetError):
                log.debug("emulator: the client went away during %r", stream_id)

    # -- the words stream --------------------------------------------------

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _send(self, data: bytes, scenario: Scenario) -> None:
        if not scenario.chunk_bytes:
            self._chunk(data)
            return
        for i in range(0, len(data), scenario.chunk_bytes):
            self._chunk(data[i : i + scenario.chunk_bytes])
            if scenario.pace_s and not scenario.live:
                time.sleep(scenario.pace_s)

    def _wait(self, seconds: float, scenario: Scenario) -> None:
        """Stay quiet for ``seconds``, sending keep-alive comments if the scenario does."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            time.sleep(min(left, scenario.keepalive_s or left))
            if scenario.keepalive_s and end - time.monotonic() > 0:
                self._chunk(b": keep-alive" + scenario.eol.encode())

    def _send_stream(
        self, data: SessionData, scenario: Scenario, live: "_Timeline", connection: int, last_event_id: str | None,
        secret: str,
    ) -> None:
        first = first_frame(scenario, last_event_id)
        events, end = render_stream(data, scenario, connection, first=first, secret=secret)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        cut = scenario.drop_after is not None and connection <= scenario.drop_connections
        cut_at = len(events) if scenario.drop_after == -1 else scenario.drop_after
        for number, event in enumerate([*events, b""]):
            if cut and number == cut_at:
                # A chunk that promises 100 bytes and delivers 9: a cut, not an end.
                self.wfile.write(b"64\r\ndata: par")
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if number == len(events):
                break
            if scenario.idle_after is not None and number == scenario.idle_after:
                self._wait(scenario.idle_s, scenario)
            self._wait(live.until_frame(first - 1 + number), scenario)
            self._send(event, scenario)
        if end is not None:
            self._wait(live.until_frame(first - 1 + len(events)), scenario)
            self._send(end, scenario)
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


@dataclass(frozen=True, slots=True)
class _Timeline:
    """Where a live session is: pending, then one frame every ``pace_s``, then completed."""

    started: float
    scenario: Scenario
    frames: int

    def _elapsed(self) -> float:
        return time.monotonic() - self.started

    def until_frame(self, number: int) -> float:
        """Seconds until frame ``number`` (0-based; ``frames`` is the end) is published."""
        if not self.scenario.live:
            return 0.0
        return max(0.0, self.scenario.pending_s + (number + 1) * self.scenario.pace_s - self._elapsed())

    def status(self, recorded: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
        elapsed = self._elapsed()
        if elapsed < scenario.pending_s:
            return {"status": "pending"}
        if scenario.live and self.until_frame(self.frames) > 0:
            return {"status": "streaming", "hls_url": "https://example.invalid/live.m3u8"}
        return {**recorded, **(scenario.status or {})}


@dataclass(frozen=True, slots=True)
class _Session:
    status: dict[str, Any]
    data: SessionData | None


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        samples: Path,
        api_key: str | None,
        scenarios: dict[str, tuple[str, Scenario]],
        redirect_target: str | None,
    ) -> None:
        super().__init__(address, _Handler)
        self.samples = samples
        self.api_key = api_key
        self.scenarios = scenarios
        self.redirect_target = redirect_target or f"http://127.0.0.2:{self.server_address[1]}"
        self.requests: list[RequestRecord] = []
        self.latency = 0.0
        self._visits: dict[tuple[str, str], int] = {}
        self._started: dict[str, float] = {}
        self._lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client may hang up whenever it has what it needs (after the end
        # event, say): that is normal, not a server error worth a traceback.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            log.debug("emulator: client %s went away", client_address)
            return
        super().handle_error(request, client_address)

    def record(self, record: RequestRecord) -> None:
        with self._lock:
            self.requests.append(record)

    def visit(self, stream_id: str, kind: str) -> tuple[float, int]:
        """When this id was first asked for, and how many ``kind`` requests it has had (this one included)."""
        with self._lock:
            started = self._started.setdefault(stream_id, time.monotonic())
            count = self._visits[(stream_id, kind)] = self._visits.get((stream_id, kind), 0) + 1
            return started, count

    def resolve(self, stream_id: str) -> tuple[str, Scenario]:
        """The session file and the scenario an id asks for."""
        if stream_id in self.scenarios:
            return self.scenarios[stream_id]
        return scenario_for_id(stream_id) or (stream_id, Scenario())

    def find(self, name: str) -> _Session | None:
        for candidate in dict.fromkeys((name, safe_name(name))):
            if "/" in candidate or "\\" in candidate or candidate.startswith("."):
                continue  # never let an id reach outside the folder
            words_path = self.samples / f"{candidate}.sse"
            status_path = self.samples / f"{candidate}.status.json"
            if not words_path.is_file() and not status_path.is_file():
                continue
            status: dict[str, Any] = {"status": "completed"}
            if status_path.is_file():
                status = json.loads(status_path.read_text(encoding="utf-8"))
            data = SessionData.from_capture(words_path.read_bytes()) if words_path.is_file() else None
            return _Session(status, data)
        return None


class Emulator:
    """Run the emulator in a background thread: ``with Emulator(folder) as emu: emu.base_url``.

    Args:
        samples: the folder of sessions.
        host: the address to listen on (loopback by default).
        port: the port; 0 picks a free one.
        api_key: if given, requests must carry it (``x-api-key`` or Bearer);
            otherwise any request is served.
        scenarios: ids mapped to ``(session name, scenario)``, as
            :func:`~transcribe_export.emulate.scenarios.load_scenario_file` reads them.
        redirect_target: where the ``redirect`` scenario sends the words
            request (default: the same port on 127.0.0.2).
        latency: seconds added before every answer, like a far-away API.
    """

    def __init__(
        self,
        samples: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        scenarios: dict[str, tuple[str, Scenario]] | None = None,
        redirect_target: str | None = None,
        latency: float = 0.0,
    ) -> None:
        self._server = _Server((host, port), Path(samples), api_key, scenarios or {}, redirect_target)
        self._server.latency = latency
        self._thread: threading.Thread | None = None

    @classmethod
    def for_command(
        cls, samples: Path, *, port: int = 0, api_key: str | None = None, scenario_file: Path | None = None
    ) -> "Emulator":
        """An emulator for the ``emulate`` command: a scenario file read, the port bound.

        Raises:
            ConfigurationError: the scenario file is not valid, or the port can't be had.
        """
        scenarios = {}
        if scenario_file is not None:
            try:
                scenarios = load_scenario_file(scenario_file)
            except (ValueError, TypeError, yaml.YAMLError) as exc:
                raise ConfigurationError(
                    f"the scenario file is not valid: {exc}", key="scenarios", file=str(scenario_file)
                ) from None
        try:
            return cls(samples, port=port, api_key=api_key, scenarios=scenarios)
        except OSError as exc:
            raise ConfigurationError(
                f"cannot listen on 127.0.0.1:{port} ({exc.strerror})", key="port",
                hint="Choose another port, or 0 for any free one.",
            ) from None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``: pass it as ``base_url``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request received so far."""
        return list(self._server.requests)

    def sessions(self) -> list[str]:
        """The ids of the sessions with words in the folder, sorted."""
        return sorted(path.name[: -len(".sse")] for path in self._server.samples.glob("*.sse"))

    def start(self) -> "Emulator":
        """Start serving in a daemon thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="heygen-emulator", daemon=True
        )
        self._thread.start()
        return self

    def banner(self) -> str:
        """What ``transcribe-export emulate`` says when it starts: where, which ids, how to try it."""
        sessions = self.sessions()
        example = sessions[0] if sessions else "ID"
        return (
            f"Serving {len(sessions)} sessions from {self._server.samples} at {self.base_url}\n"
            f"  ids: {', '.join(sessions) or '(none)'}\n"
            f"  try: HEYGEN_BASE_URL={self.base_url} transcribe-export export {example}"
        )

    def serve_until_interrupted(self) -> None:
        """Serve in this thread until Ctrl-C, then stop."""
        try:
            self.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted."""
        self._server.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
