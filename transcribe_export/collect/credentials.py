"""The client's configuration, checked once where it enters: the base URL, the credentials,
and what is done so that neither ever reaches a terminal, a log or a file."""

from __future__ import annotations

import ipaddress
from typing import Sequence
from urllib.parse import urlsplit

from transcribe_export.errors import ConfigurationError, printable
from transcribe_export.models import Word

__all__ = ["Redactor", "check_base_url", "check_credential", "is_loopback_url"]


def is_loopback_url(url: str) -> bool:
    """True if the URL's host is this machine (``localhost`` or 127.0.0.0/8, ::1).

    >>> is_loopback_url("http://127.0.0.1:8080"), is_loopback_url("https://api.heygen.com")
    (True, False)
    """
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_credential(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise ConfigurationError(f"the {what} is empty", hint="Set it to the value from your HeyGen dashboard.")
    # A header can't carry these; requests would raise InvalidHeader with the
    # value in its message, which would print the key.
    if not value.isascii() or not value.isprintable() or any(ch.isspace() for ch in value):
        raise ConfigurationError(
            f"the {what} contains spaces or characters that cannot be sent in an HTTP header",
            hint="Check for a stray quote or line break where it is set.",
        )
    return value


def check_base_url(url: str, allow_insecure_http: bool) -> str:
    """The API root, checked: http(s) with a host, no credentials in it, plain http only to loopback."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        raise ConfigurationError("the base URL is not a valid URL", key="base_url",
                                 hint="Use the form https://api.heygen.com.") from None
    if "@" in parts.netloc or parts.query or parts.fragment:
        # It may hold a password or a token: refuse it without repeating any of it.
        raise ConfigurationError(
            "the base URL holds a user name, password, query or fragment, which is not used and not shown",
            key="base_url",
            hint="Give only the scheme, host, port and path; put credentials in HEYGEN_API_KEY.",
        )
    shown = printable(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"the base URL {shown!r} is not an http(s) URL with a host",
            key="base_url",
            hint="Use the form https://api.heygen.com.",
        )
    if parts.scheme == "http" and not allow_insecure_http and not is_loopback_url(url):
        raise ConfigurationError(
            f"the base URL {shown!r} is plain http, which would send the API key unencrypted",
            key="base_url",
            hint="Use https, or `allow_insecure_http` if this is really wanted.",
        )
    return url.rstrip("/")


class Redactor:
    """Takes a client's own secrets out of any text a server sends back (and shows it on one line).

    A server (or a proxy) may echo the credentials it was sent; nothing the tool
    shows, logs or writes may repeat them.
    """

    def __init__(self, *secrets: str | None) -> None:
        self._secrets = [secret for secret in secrets if secret]

    def __call__(self, text: str, *, one_line: bool = True) -> str:
        """The text with the secrets replaced by ``[redacted]`` (and, for a message, control characters escaped)."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, "[redacted]")
        return printable(text) if one_line else text

    def words(self, words: Sequence[Word]) -> list[Word]:
        """The words, any that holds a secret redacted (text only; times kept)."""
        if not self._secrets:
            return list(words)
        return [
            Word(self(w.text, one_line=False), w.start, w.end) if any(s in w.text for s in self._secrets) else w
            for w in words
        ]
