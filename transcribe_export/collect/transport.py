"""How the client's requests travel: a session that never carries credentials across a
redirect, and a watchdog that gives each request a total deadline.

``requests`` forwards a custom ``x-api-key`` header to any redirect target (it
strips only ``Authorization``), so :class:`SafeSession` drops both. A read
timeout bounds each silence, not the whole request: :class:`Watchdog` shuts
the connection down when the request's deadline passes, which interrupts a
read blocked in another thread (``close`` would not). It needs to know which
connection the request holds, so our pools report it (:class:`WatchedAdapter`).
``docs/collecting.md`` §2-3 has the measurements.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

import requests
import requests.adapters
import urllib3

__all__ = ["SafeSession", "WatchedAdapter", "Watchdog"]

_SENSITIVE = ("x-api-key", "authorization")


class SafeSession(requests.Session):
    """A session that never carries credentials across a redirect."""

    def rebuild_auth(self, prepared_request: requests.PreparedRequest, response: requests.Response) -> None:
        for header in _SENSITIVE:
            prepared_request.headers.pop(header, None)
        super().rebuild_auth(prepared_request, response)  # type: ignore[no-untyped-call]


_watched = threading.local()  # per requesting thread: where the pool reports the connection it hands out


class _WatchedConnections:
    """A pool that tells the running request which connection it got, so a watchdog can shut it down."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)  # type: ignore[misc]
        holder = getattr(_watched, "holder", None)
        if holder is not None:
            holder.append(conn)
        return conn


class _WatchedHTTPPool(_WatchedConnections, urllib3.HTTPConnectionPool):
    pass


class _WatchedHTTPSPool(_WatchedConnections, urllib3.HTTPSConnectionPool):
    pass


class WatchedAdapter(requests.adapters.HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class Watchdog:
    """The request's total deadline: when it passes, the connection is shut down under the blocked read.

    The read timeout bounds each silence, not the whole: a server that drips one byte
    every few seconds would hold a request (and the folder's lock) forever without this.
    ``shutdown`` interrupts a read blocked in another thread; ``close`` would not.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._connections: list[Any] = []
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def start(self) -> None:
        _watched.holder = self._connections
        self._timer.start()

    def disarm(self) -> None:
        """The request is done (or its body is the caller's to bound now)."""
        self._timer.cancel()
        if getattr(_watched, "holder", None) is self._connections:
            _watched.holder = None

    def _fire(self) -> None:
        # Only a connection really shut down counts: with a caller's own session the pool is
        # not ours, nothing is known to cut, and a late but good answer must not be thrown away.
        for conn in self._connections:
            sock = getattr(conn, "sock", None)
            if sock is not None:
                self.fired = True  # before the cut: the reading thread looks at it the moment its read fails
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
