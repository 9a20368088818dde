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
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from transcribe_export.files import safe_name

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


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "param": None, "doc_url": None}}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

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

    def _authorized(self) -> bool:
        key = self.server.api_key
        if key is None:
            return True
        given = self.headers.get("x-api-key")
        bearer = self.headers.get("Authorization", "")
        if given is None and bearer.startswith("Bearer "):
            given = bearer[len("Bearer ") :]
        return given is not None and hmac.compare_digest(given.encode(), key.encode())

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        raw_path = self.path.split("?", 1)[0]
        segments = raw_path[len(_PREFIX) :].split("/") if raw_path.startswith(_PREFIX) else []
        stream_id = unquote(segments[0]) if segments and segments[0] else None
        self.server.record(RequestRecord("GET", self.path, stream_id, dict(self.headers.items())))
        if not self._authorized():
            self._send_json(401, _error("authentication_failed", "Invalid or expired API key. Verify your x-api-key header."))
            return
        if stream_id is None or len(segments) > 2 or (len(segments) == 2 and segments[1] != "words"):
            self._send_json(404, _error("not_found", "Resource not found."))
            return
        session = self.server.find(stream_id)
        if session is None:
            self._send_json(404, _error("not_found", "Streaming session not found."))
            return
        if len(segments) == 1:
            self._send_json(200, {"data": {"stream_id": stream_id, **session.status}})
        elif session.words is None:
            self._send_json(404, _error("not_found", "No word timestamps for this session."))
        else:
            self._send_stream(session.words)

    def _send_stream(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        # One HTTP chunk per event, as a live server would flush them.
        for event in _split_events(body):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")


def _split_events(body: bytes) -> list[bytes]:
    """Cut a capture after each blank line, keeping every byte.

    Only the HTTP chunking depends on it (the client must cope with any
    chunking), so mixed line endings that it misses just make larger chunks.

    >>> _split_events(b"data: a\\n\\ndata: b\\r\\n\\r\\nrest")
    [b'data: a\\n\\n', b'data: b\\r\\n\\r\\n', b'rest']
    """
    pieces, start = [], 0
    for match in _EVENT_END.finditer(body):
        pieces.append(body[start : match.end()])
        start = match.end()
    if start < len(body):
        pieces.append(body[start:])
    return pieces


@dataclass(frozen=True, slots=True)
class _Session:
    status: dict[str, Any]
    words: bytes | None


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], samples: Path, api_key: str | None) -> None:
        super().__init__(address, _Handler)
        self.samples = samples
        self.api_key = api_key
        self.requests: list[RequestRecord] = []
        self._lock = threading.Lock()

    def record(self, record: RequestRecord) -> None:
        with self._lock:
            self.requests.append(record)

    def find(self, stream_id: str) -> _Session | None:
        for name in dict.fromkeys((stream_id, safe_name(stream_id))):
            if "/" in name or "\\" in name or name.startswith("."):
                continue  # never let an id reach outside the folder
            words_path = self.samples / f"{name}.sse"
            status_path = self.samples / f"{name}.status.json"
            if not words_path.is_file() and not status_path.is_file():
                continue
            status: dict[str, Any] = {"status": "completed"}
            if status_path.is_file():
                status = json.loads(status_path.read_text(encoding="utf-8"))
            words = words_path.read_bytes() if words_path.is_file() else None
            return _Session(status, words)
        return None


class Emulator:
    """Run the emulator in a background thread: ``with Emulator(folder) as emu: emu.base_url``.

    Args:
        samples: the folder of sessions.
        host: the address to listen on (loopback by default).
        port: the port; 0 picks a free one.
        api_key: if given, requests must carry it (``x-api-key`` or Bearer);
            otherwise any request is served.
    """

    def __init__(self, samples: Path, *, host: str = "127.0.0.1", port: int = 0, api_key: str | None = None) -> None:
        self._server = _Server((host, port), Path(samples), api_key)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``: pass it as ``--base-url``."""
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
