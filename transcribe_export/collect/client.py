"""HeyGen's two Avatar Realtime endpoints over HTTP (with :mod:`.transport`, the only HTTP).

Security, measured against ``requests`` 2.34 and kept here (``docs/collecting.md``):

* ``requests`` forwards a custom ``x-api-key`` header to any redirect target
  (it strips only ``Authorization``). The API never redirects, so a 3xx is
  an error and redirects are never followed; our own session also strips
  both headers in ``rebuild_auth`` in case a caller follows one anyway.
* Every ``requests`` exception keeps the key in ``.request.headers``. They
  are caught here and turned into our errors ``from None``, with a message
  built from the host, the status and the error type only.
* ``repr(client)`` never shows the key.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence
from urllib.parse import quote, urlsplit

import requests
import requests.adapters
import urllib3

from transcribe_export._version import __version__
from transcribe_export.collect.credentials import Redactor, check_base_url, check_credential, is_loopback_url
from transcribe_export.collect.options import (
    CONNECT_TIMEOUT,
    DEFAULT_BASE_URL,
    READ_TIMEOUT,
    REQUEST_TIMEOUT,
    check_timeout,
    pause,
    stop_if_cancelled,
)
from transcribe_export.collect.retry import RETRYABLE_STATUS, RateLimiter, RetryPolicy, parse_retry_after
from transcribe_export.collect.transport import SafeSession, Watchdog, WatchedAdapter
from transcribe_export.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    DeadlineExceededError,
    NetworkError,
    NotFoundError,
    StreamError,
    TranscribeExportError,
)
from transcribe_export.models import SessionInfo, Word

__all__ = ["DEFAULT_BASE_URL", "HeyGenClient", "is_loopback_url"]

log = logging.getLogger(__name__)

USER_AGENT = f"transcribe-export/{__version__}"
# The most of a JSON answer (status or error) we read.
_ERROR_BODY_LIMIT = 64 * 1024
_READ_SIZE = 64 * 1024


def _path_segment(stream_id: str) -> str:
    """Percent-encode an id as exactly one path segment.

    >>> _path_segment("a/b"), _path_segment(".."), _path_segment("é 1")
    ('a%2Fb', '%2E%2E', '%C3%A9%201')
    """
    if stream_id in (".", ".."):
        return stream_id.replace(".", "%2E")  # dot segments would be resolved away
    return quote(stream_id, safe="")


def _network_reason(exc: BaseException) -> str:
    """A short, key-free reason for a low-level failure ("Connection refused")."""
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(exc))
    if match:
        return match.group(1).strip()
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError)):
        return "the server closed the connection in the middle of the response"
    if isinstance(exc, (urllib3.exceptions.ReadTimeoutError, requests.exceptions.ReadTimeout)):
        return "read timed out"
    return type(exc).__name__


class HeyGenClient:
    """A client for HeyGen's Avatar Realtime session and words endpoints.

    Args:
        api_key: sent as ``x-api-key``.
        bearer_token: sent as ``Authorization: Bearer``, HeyGen's alternative.
        base_url: the API root; plain ``http://`` is accepted only for
            loopback unless ``allow_insecure_http``.
        session: a ``requests.Session`` of your own (its adapters, proxies
            and pool are used as they are); by default one is made.
        timeout: ``(connect, read)`` seconds. The read timeout is the longest
            silence allowed between two received bytes, so keep-alive
            comments keep a quiet stream alive.
        request_timeout: the most one request may take, connecting, headers
            and (for the status) its body together, however the bytes trickle
            in. Needs our own session: a caller's ``session`` has only its timeouts.
        allow_insecure_http: allow ``http://`` to a host that is not loopback.
        retry: when to retry 429, 5xx and connection errors (never other 4xx).
        limiter: the pause shared after a 429; pass one limiter to several
            clients (or share one client between threads) to slow them all.
        pool_size: connections kept per host (our own session only); at least
            the number of threads sharing the client.

    Neither credential is required: a local emulator started without
    ``--api-key`` accepts requests without one.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        bearer_token: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
        request_timeout: float = REQUEST_TIMEOUT,
        allow_insecure_http: bool = False,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        pool_size: int = 10,
    ) -> None:
        self._api_key = check_credential(api_key, "API key") if api_key is not None else None
        self._bearer = check_credential(bearer_token, "bearer token") if bearer_token is not None else None
        self.base_url = check_base_url(base_url, allow_insecure_http)
        self._redactor = Redactor(self._api_key, self._bearer)
        if session is None:
            session = SafeSession()
            adapter = WatchedAdapter(pool_connections=pool_size, pool_maxsize=pool_size)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        self.session = session
        self.timeout = (check_timeout("connect_timeout", timeout[0]), check_timeout("read_timeout", timeout[1]))
        self.request_timeout = check_timeout("request_timeout", request_timeout)
        self.retry = retry if retry is not None else RetryPolicy()
        self.limiter = limiter if limiter is not None else RateLimiter()

    @classmethod
    def from_env(cls, *, api_key_file: str | os.PathLike[str] | None = None, **options: Any) -> "HeyGenClient":
        """A client from ``HEYGEN_API_KEY`` (or ``api_key_file``), ``HEYGEN_BEARER_TOKEN`` and ``HEYGEN_BASE_URL``.

        Other keyword arguments go to the constructor; an explicit
        ``base_url=None`` means the environment's or the default.

        Raises:
            ConfigurationError: the key file can't be read or is empty, or
                there are no credentials for a server that is not loopback.
        """
        if api_key_file is not None:
            try:
                key = Path(api_key_file).read_text(encoding="utf-8", errors="replace").strip()
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot read the API key file {str(api_key_file)!r} ({exc.strerror})", key="api_key_file"
                ) from None
            if not key:
                raise ConfigurationError(f"the API key file {str(api_key_file)!r} is empty", key="api_key_file")
            options.setdefault("api_key", key)
        options.setdefault("api_key", os.environ.get("HEYGEN_API_KEY") or None)
        options.setdefault("bearer_token", os.environ.get("HEYGEN_BEARER_TOKEN") or None)
        if options.get("base_url") is None:
            options["base_url"] = os.environ.get("HEYGEN_BASE_URL") or DEFAULT_BASE_URL
        if options["api_key"] is None and options["bearer_token"] is None and not is_loopback_url(options["base_url"]):
            raise ConfigurationError(
                "no HeyGen credentials",
                key="api_key",
                hint="Set HEYGEN_API_KEY (or HEYGEN_BEARER_TOKEN), or pass `api_key_file`."
                " The key is never accepted on the command line, where `ps` would show it.",
            )
        return cls(**options)

    def redact(self, text: str, *, one_line: bool = True) -> str:
        """Text from the server without this client's key and token (:class:`.credentials.Redactor`)."""
        return self._redactor(text, one_line=one_line)

    def redact_words(self, words: Sequence[Word]) -> list[Word]:
        """The words, any that holds this client's key or token redacted."""
        return self._redactor.words(words)

    def __repr__(self) -> str:
        auth = "x-api-key" if self._api_key else "bearer" if self._bearer else "none"
        return f"HeyGenClient(base_url={self.base_url!r}, auth={auth!r}, timeout={self.timeout!r})"

    # -- requests -------------------------------------------------------

    def session_url(self, stream_id: str) -> str:
        """``{base}/v3/avatar-realtime/{stream_id}``, the id as one path segment."""
        return f"{self.base_url}/v3/avatar-realtime/{_path_segment(stream_id)}"

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT}
        if self._api_key:
            headers["x-api-key"] = self._api_key
        if self._bearer:
            headers["Authorization"] = f"Bearer {self._bearer}"
        headers.update(extra or {})
        return headers

    def _get(
        self,
        stream_id: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        deadline: float | None = None,
        what: str = "the request",
        cancel: threading.Event | None = None,
    ) -> tuple[requests.Response, Watchdog]:
        """GET with the credentials and the retry policy; failures become our errors.

        429 waits for ``Retry-After`` (capped, and shared through the
        limiter); 500/502/503/504 and connection errors back off
        exponentially with jitter; any other 4xx fails at once. No wait runs
        past ``deadline`` (a ``time.monotonic()`` value).
        """
        attempt = 0
        while True:
            self._wait_for_limiter(stream_id, deadline, what, cancel)
            try:
                return self._get_once(stream_id, url, headers, deadline)
            except (APIError, NetworkError) as error:
                retryable = isinstance(error, NetworkError) or (
                    isinstance(error, APIError) and error.status in RETRYABLE_STATUS
                )
                if isinstance(error, DeadlineExceededError) or not retryable:
                    raise
                if attempt >= self.retry.retries:
                    if attempt:
                        error.add_note_to_message(f"gave up after {attempt + 1} attempts")
                    raise
                attempt += 1
                told = error.retry_after if isinstance(error, APIError) else None  # the server said when
                if told is not None:
                    wait = self.retry.capped_retry_after(told)
                    self.limiter.defer(wait)  # every request waits, through the shared limiter
                else:
                    wait = self.retry.backoff_for(attempt)
                log.warning(
                    "stream %r: %s; retrying in %.1f s (attempt %d of %d)",
                    stream_id, error.problem, wait, attempt + 1, self.retry.retries + 1,
                )
                _check_deadline(stream_id, deadline, wait, what)
                if told is None:
                    pause(wait, cancel, stream_id)

    def _wait_for_limiter(self, stream_id: str, deadline: float | None, what: str, cancel: threading.Event | None) -> None:
        _check_deadline(stream_id, deadline, self.limiter.pending(), what)
        self.limiter.wait(cancel)
        stop_if_cancelled(cancel, stream_id)

    def _timeout(self, deadline: float | None) -> tuple[float, float]:
        connect, read = self.timeout
        if deadline is None:
            return connect, read
        # Never block in one read past the deadline: the read timeout applies to each read, not in total.
        left = max(0.05, deadline - time.monotonic())
        return min(connect, left), min(read, left)

    def _get_once(
        self, stream_id: str, url: str, headers: dict[str, str] | None, deadline: float | None
    ) -> tuple[requests.Response, Watchdog]:
        """One GET under the request deadline; the watchdog stays armed for the caller to read a body under."""
        limit = self.request_timeout if deadline is None else max(0.05, min(self.request_timeout, deadline - time.monotonic()))
        watch = Watchdog(limit)
        watch.start()
        try:
            return self._request(stream_id, url, headers, deadline), watch
        except TranscribeExportError:
            watch.disarm()
            if watch.fired:
                raise self._too_slow(stream_id, url, watch) from None
            raise

    def _too_slow(self, stream_id: str, url: str, watch: Watchdog) -> NetworkError:
        return NetworkError(
            f"{urlsplit(url).netloc} took more than the {watch.seconds:g} s request deadline to answer"
            " (it sent its answer too slowly)",
            stream_id=stream_id,
            hint="Try again later; raise `request_timeout` if the server is really that slow.",
        )

    def _request(
        self, stream_id: str, url: str, headers: dict[str, str] | None, deadline: float | None
    ) -> requests.Response:
        """One GET; its failures as our errors, a redirect or an HTTP error included."""
        host = urlsplit(url).netloc
        try:
            response = self.session.get(
                url, headers=self._headers(headers), timeout=self._timeout(deadline), stream=True, allow_redirects=False
            )
        except requests.exceptions.ConnectTimeout:
            raise NetworkError(
                f"connecting to {host} timed out after {self.timeout[0]:g} s",
                stream_id=stream_id,
                hint="Check the network, or HEYGEN_BASE_URL / `base_url`.",
            ) from None
        except requests.exceptions.ReadTimeout:
            raise NetworkError(
                f"{host} sent no answer within the {self.timeout[1]:g} s read timeout", stream_id=stream_id
            ) from None
        except requests.exceptions.RequestException as exc:
            raise NetworkError(
                f"could not reach {host} ({_network_reason(exc)})",
                stream_id=stream_id,
                hint="Check the network, or HEYGEN_BASE_URL / `base_url`.",
            ) from None
        if 300 <= response.status_code < 400:
            where = urlsplit(response.headers.get("Location", "")).netloc.rpartition("@")[2]  # never its user info
            location = self.redact(where or "an unnamed location")
            response.close()
            raise APIError(
                f"HeyGen answered {response.status_code} with a redirect to {location}; redirects are refused"
                " so the API key is never sent to another server",
                stream_id=stream_id,
                status=response.status_code,
                url_path=urlsplit(url).path,
                hint="Check HEYGEN_BASE_URL / `base_url`.",
            )
        if response.status_code >= 400:
            try:
                error = self._http_error(stream_id, url, response)
                error.retry_after = parse_retry_after(response.headers.get("Retry-After"))
                raise error
            finally:
                response.close()
        return response

    def _http_error(self, stream_id: str, url: str, response: requests.Response) -> APIError:
        code, message = _error_body(response)
        code, message = (self.redact(code) if code else None), self.redact(message)
        status = response.status_code
        detail = f"{status} {code}: {message}" if code else f"{status}: {message}"
        path = urlsplit(url).path
        if status in (401, 403):
            return AuthenticationError(
                f"HeyGen rejected the API key ({detail})",
                stream_id=stream_id,
                status=status,
                code=code,
                url_path=path,
                hint="Set HEYGEN_API_KEY (or `api_key_file`) to a key from your HeyGen dashboard.",
            )
        if status == 404 and code is None:
            # Not HeyGen's answer (an HTML page, a proxy, a wrong path): the base URL is wrong, not the id.
            raise ConfigurationError(
                f"asking for stream {stream_id!r}, {self.redact(urlsplit(url).netloc)} answered 404 without HeyGen's"
                f" error body (for {self.redact(path)}), so `base_url` does not look like HeyGen's API root",
                key="base_url",
                hint="Check HEYGEN_BASE_URL / `base_url` (it is https://api.heygen.com, with no path).",
            )
        if status == 404:
            return NotFoundError(
                f"no session with id {stream_id!r} ({detail})",
                stream_id=stream_id,
                status=status,
                code=code,
                url_path=path,
                hint="Check the id, and that the key belongs to the space that created the session.",
            )
        return APIError(f"HeyGen answered HTTP {detail}", stream_id=stream_id, status=status, code=code, url_path=path)

    # -- endpoints --------------------------------------------------------

    def get_session(
        self, stream_id: str, *, deadline: float | None = None, cancel: threading.Event | None = None
    ) -> SessionInfo:
        """``GET /v3/avatar-realtime/{stream_id}``: the session's status.

        Args:
            deadline: a ``time.monotonic()`` value no wait may pass.
            cancel: when set, a wait for a retry stops at once (:class:`StoppedError`).
        """
        url = self.session_url(stream_id)
        response, watch = self._get(stream_id, url, deadline=deadline, what="reading the session status", cancel=cancel)
        try:
            raw = _read_limited(response, _ERROR_BODY_LIMIT)
            watch.disarm()
            if watch.fired:
                raise self._too_slow(stream_id, url, watch)
            body = json.loads(raw)
            data = body["data"] if isinstance(body, dict) and "data" in body else body
            status = data["status"]
            if not isinstance(status, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise APIError(
                "the session endpoint answered without a JSON status",
                stream_id=stream_id,
                status=response.status_code,
                url_path=urlsplit(url).path,
                hint="Check HEYGEN_BASE_URL / `base_url` points at HeyGen's API.",
            ) from None
        finally:
            watch.disarm()
            response.close()
        end_reason, error_message = _opt_str(data.get("end_reason")), _opt_str(data.get("error_message"))
        return SessionInfo(
            stream_id=stream_id,
            status=self.redact(status),
            end_reason=self.redact(end_reason) if end_reason is not None else None,
            error_message=self.redact(error_message) if error_message is not None else None,
        )

    @contextmanager
    def open_words(
        self,
        stream_id: str,
        *,
        last_event_id: str | None = None,
        deadline: float | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[Iterator[bytes]]:
        """``GET /v3/avatar-realtime/{stream_id}/words``: the raw SSE bytes.

        Yields an iterator of byte chunks, each delivered as soon as it
        arrives (``raw.read1``): ``iter_content(n)`` would hold a chunk back
        until ``n`` bytes came, and ``iter_lines`` splits CRLF pairs.
        A broken connection surfaces as :class:`NetworkError`.

        Args:
            last_event_id: sent as ``Last-Event-ID`` when reconnecting to a
                stream whose events carried ids.
            deadline: a ``time.monotonic()`` value no wait or read may pass.
        """
        url = self.session_url(stream_id) + "/words"
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache", "Accept-Encoding": "identity"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        response, watch = self._get(
            stream_id, url, headers=headers, deadline=deadline, what="opening the words stream", cancel=cancel
        )
        watch.disarm()  # the body is a live stream: the collector bounds it with its own deadline
        try:
            content_type = response.headers.get("Content-Type", "")
            if content_type.split(";")[0].strip().lower() != "text/event-stream":
                raise StreamError(
                    f"the words endpoint answered with Content-Type {self.redact(content_type)!r}, not text/event-stream",
                    stream_id=stream_id,
                    hint="Check HEYGEN_BASE_URL / `base_url` points at HeyGen's API.",
                )
            yield _read_chunks(stream_id, response)
        finally:
            response.close()


def _read_chunks(stream_id: str, response: requests.Response) -> Iterator[bytes]:
    raw: Any = response.raw
    while True:
        try:
            chunk = raw.read1(_READ_SIZE, decode_content=True)
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise NetworkError(f"the connection broke: {_network_reason(exc)}", stream_id=stream_id) from None
        if not chunk:
            return
        yield chunk


def _check_deadline(stream_id: str, deadline: float | None, wait: float, what: str) -> None:
    if deadline is not None and time.monotonic() + wait > deadline:
        raise DeadlineExceededError(
            f"the deadline passed while {what} (a wait of {wait:.1f} s was still due)",
            stream_id=stream_id,
            hint="Raise `max_duration` or `wait_timeout`, or try again later.",
        )


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _read_limited(response: requests.Response, limit: int) -> bytes:
    """Read at most ``limit`` bytes of a body, so a hostile server can't fill memory."""
    try:
        return bytes(response.raw.read(limit, decode_content=True) or b"")
    except (urllib3.exceptions.HTTPError, OSError):
        return b""


def _error_body(response: requests.Response) -> tuple[str | None, str]:
    """HeyGen's ``{"error": {"code", "message"}}``, or the reason phrase."""
    try:
        error = json.loads(_read_limited(response, _ERROR_BODY_LIMIT))["error"]
        code = error.get("code")
        message = error.get("message")
        if isinstance(message, str) and message:
            return (code if isinstance(code, str) else None), message
    except Exception:  # noqa: BLE001 - any odd body falls back to the reason phrase
        pass
    return None, response.reason or "no error message"
