"""The HTTP client against small real servers: redirects, odd answers, secrecy."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterator

import pytest
import requests

from transcribe_export.collect.client import HeyGenClient
from transcribe_export.collect.retry import RetryPolicy
from transcribe_export.collect.session import collect
from transcribe_export.errors import APIError, ConfigurationError, IncompleteStreamError, NetworkError, StreamError

NO_RETRY = RetryPolicy(retries=0)

SECRET = "secret-key-4417"

Reply = Callable[[BaseHTTPRequestHandler], None]


class Server:
    """A loopback HTTP server whose every GET is answered by ``reply``; it records headers."""

    def __init__(self, reply: Reply, host: str = "127.0.0.1") -> None:
        self.seen: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                outer.seen.append({k.lower(): v for k, v in self.headers.items()})
                reply(self)

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send(status: int, body: bytes, content_type: str = "application/json", **headers: str) -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(body)

    return reply


@pytest.fixture
def other_host() -> Iterator[Server]:
    """A second listener on another loopback address: it must never see the key."""
    with Server(send(200, b'{"data": {"status": "completed"}}'), host="127.0.0.2") as server:
        yield server


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_is_refused_and_the_key_never_leaves(code: int, other_host: Server) -> None:
    with Server(send(code, b"", Location=f"{other_host.url}/v3/avatar-realtime/x")) as api:
        client = HeyGenClient(api_key=SECRET, base_url=api.url)
        with pytest.raises(APIError) as caught:
            client.get_session("x")
    assert other_host.seen == []
    assert api.seen[0]["x-api-key"] == SECRET
    assert str(caught.value) == (
        f"stream 'x': HeyGen answered {code} with a redirect to {other_host.url[len('http://'):]};"
        " redirects are refused so the API key is never sent to another server. Check HEYGEN_BASE_URL / `base_url`."
    )
    assert SECRET not in str(caught.value)


def test_our_session_strips_both_credentials_if_a_redirect_is_followed(other_host: Server) -> None:
    # A caller who follows redirects through our session still never leaks the key.
    with Server(send(307, b"", Location=f"{other_host.url}/elsewhere")) as api:
        client = HeyGenClient(api_key=SECRET, bearer_token=SECRET, base_url=api.url)
        client.session.get(f"{api.url}/x", headers=client._headers(), timeout=5)
    assert len(other_host.seen) == 1
    assert "x-api-key" not in other_host.seen[0] and "authorization" not in other_host.seen[0]


def test_a_callers_session_is_used_as_is() -> None:
    session = requests.Session()
    session.headers["X-Trace"] = "abc"
    with Server(send(200, b'{"data": {"stream_id": "x", "status": "completed", "end_reason": "final_marker"}}')) as api:
        info = HeyGenClient(base_url=api.url, session=session).get_session("x")
    assert (info.status, info.end_reason) == ("completed", "final_marker")
    assert api.seen[0]["x-trace"] == "abc"


def test_error_without_json_body_uses_the_reason_phrase() -> None:
    with Server(send(502, b"<html>bad gateway</html>", "text/html")) as api:
        with pytest.raises(APIError) as caught:
            HeyGenClient(base_url=api.url, retry=NO_RETRY).get_session("x")
    assert str(caught.value) == "stream 'x': HeyGen answered HTTP 502: Bad Gateway."
    assert caught.value.status == 502


def test_error_code_and_message_are_shown() -> None:
    body = b'{"error": {"code": "rate_limit_exceeded", "message": "Too many requests.", "param": null, "doc_url": null}}'
    with Server(send(429, body, Retry_After="1")) as api:
        with pytest.raises(APIError) as caught:
            HeyGenClient(base_url=api.url, retry=NO_RETRY).get_session("x")
    assert str(caught.value) == "stream 'x': HeyGen answered HTTP 429 rate_limit_exceeded: Too many requests."
    assert (caught.value.code, caught.value.retry_after) == ("rate_limit_exceeded", 1.0)


def test_status_that_is_not_json() -> None:
    with Server(send(200, b"hello", "text/plain")) as api:
        with pytest.raises(APIError, match="answered without a JSON status"):
            HeyGenClient(base_url=api.url).get_session("x")


def test_words_endpoint_with_the_wrong_content_type() -> None:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        body = b'{"data": {"status": "completed"}}' if not handler.path.endswith("/words") else b"data: x\n\n"
        send(200, body, "application/json" if not handler.path.endswith("/words") else "text/plain")(handler)

    with Server(reply) as api:
        with pytest.raises(StreamError, match="answered with Content-Type 'text/plain', not text/event-stream"):
            collect(HeyGenClient(base_url=api.url), "x")


def test_connection_cut_mid_stream_is_an_incomplete_stream() -> None:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        if not handler.path.endswith("/words"):
            send(200, b'{"data": {"status": "completed"}}')(handler)
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        event = b'data: {"words": [{"word": "a", "start": 0, "end": 1}]}\n\n'
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
        handler.wfile.write(b"64\r\ndata: par")  # promises 100 bytes, sends 9, closes
        handler.wfile.flush()
        handler.close_connection = True

    with Server(reply) as api:
        with pytest.raises(IncompleteStreamError) as caught:
            collect(HeyGenClient(base_url=api.url, retry=RetryPolicy(retries=1, backoff=0.01)), "x")
    assert caught.value.words_received == 1
    assert str(caught.value).startswith(
        "stream 'x': the words stream was cut 2 times without its 'end' event (the connection broke:"
    )


def test_read_timeout_names_the_stream() -> None:
    release = threading.Event()

    def reply(handler: BaseHTTPRequestHandler) -> None:
        release.wait(30)  # silent until the client has given up

    with Server(reply) as api:
        with pytest.raises(NetworkError) as caught:
            HeyGenClient(base_url=api.url, timeout=(2, 0.2), retry=NO_RETRY).get_session("slow")
        release.set()
    assert str(caught.value) == f"stream 'slow': {api.url[len('http://'):]} sent no answer within the 0.2 s read timeout."


def test_repr_never_shows_the_key() -> None:
    client = HeyGenClient(api_key=SECRET, base_url="https://api.heygen.com")
    assert SECRET not in repr(client)
    assert repr(client) == "HeyGenClient(base_url='https://api.heygen.com', auth='x-api-key', timeout=(10.0, 60.0))"


def test_errors_do_not_chain_requests_exceptions() -> None:
    client = HeyGenClient(api_key=SECRET, base_url="http://127.0.0.1:9", retry=NO_RETRY)
    with pytest.raises(NetworkError) as caught:
        client.get_session("x")
    # A requests exception holds the key in .request.headers; ours must not expose it.
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("url", ["http://10.0.0.1", "http://api.heygen.com", "https://user:pw@api.heygen.com", "api.heygen.com"])
def test_unsafe_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigurationError):
        HeyGenClient(base_url=url)


def test_insecure_http_can_be_allowed_explicitly() -> None:
    assert HeyGenClient(base_url="http://10.0.0.1/", allow_insecure_http=True).base_url == "http://10.0.0.1"
