"""Every error transcribe_export raises on purpose.

One base class, so a caller can catch everything the tool expects with one
``except``; anything else that escapes is a bug and should show a traceback.

::

    TranscribeExportError            stream_id, hint, exit_code
    ├── ConfigurationError           bad option or preset; exit 2, no network used
    ├── APIError                     HeyGen answered with an HTTP error (status, code)
    │   ├── AuthenticationError      401 / 403: the key was refused
    │   └── NotFoundError            404: no session with that id
    ├── NetworkError                 could not reach HeyGen, or the connection broke
    │   └── DeadlineExceededError    a wait or a live stream outlasted its deadline
    ├── NotReadyError                pending or streaming, and told not to wait; exit 75
    ├── SessionFailedError           the session's status is ``error``
    ├── StoppedError                 told to stop while waiting (SIGTERM, a second Ctrl-C)
    ├── StreamError                  the words stream itself is wrong
    │   ├── IncompleteStreamError    it ended without the ``end`` event
    │   └── InvalidFrameError        a ``data`` frame is not a valid WordBatch (frame, field)
    ├── InputError                   an offline input file (``convert``) can't be read
    ├── FormatError                  a format can't carry this session (a shift before zero, text SCC lacks)
    └── OutputError                  the files can't be written (disk full, no permission)
        └── OutputFolderError        the output folder can't be used at all; exit 73

Messages read ``stream '<id>': <problem>. <hint>`` so that a line in a cron
mail says which session failed and what to do about it. No message ever
contains the API key: the client never puts it in one, and nothing here
formats a ``requests`` exception (whose ``.request.headers`` hold the key).
"""

from __future__ import annotations

import re

__all__ = [
    "APIError",
    "bad_value",
    "printable",
    "AuthenticationError",
    "ConfigurationError",
    "IncompleteStreamError",
    "FormatError",
    "InputError",
    "InvalidFrameError",
    "DeadlineExceededError",
    "NetworkError",
    "NotFoundError",
    "NotReadyError",
    "OutputError",
    "OutputFolderError",
    "SessionFailedError",
    "StoppedError",
    "StreamError",
    "TranscribeExportError",
]


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""Text from outside (a server, a file, an id) made safe to show on one terminal line.

    Control characters (ESC sequences that retitle a terminal or erase lines, newlines that
    forge a second line, bidi overrides that reorder it) are shown as escapes instead.

    >>> printable("ok\x1b]0;pwned\x07\nError: fake")
    'ok\\x1b]0;pwned\\x07\\nError: fake'
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class TranscribeExportError(Exception):
    """Base class: an expected failure, with the stream it concerns.

    Attributes:
        stream_id: the session the failure concerns, or ``None`` when it
            concerns no session (a bad option, for instance).
        problem: what went wrong, without the stream prefix.
        hint: how to fix it, or ``None``.
        exit_code: the CLI's exit status for this failure.
    """

    exit_code = 1

    def __init__(self, problem: str, *, stream_id: str | None = None, hint: str | None = None) -> None:
        self.problem = problem
        self.stream_id = stream_id
        self.hint = hint
        super().__init__(self._format())

    def add_note_to_message(self, note: str) -> None:
        """Append a remark to the problem (``"gave up after 6 attempts"``)."""
        self.problem = f"{self.problem} ({note})"
        self.args = (self._format(),)

    def __str__(self) -> str:
        return self._format()

    def _format(self) -> str:
        text = self.problem if self.stream_id is None else f"stream {self.stream_id!r}: {self.problem}"
        if not text.endswith((".", "?", "!")):
            text += "."
        return f"{text} {self.hint}" if self.hint else text


class ConfigurationError(TranscribeExportError):
    """An option, preset or config file is wrong; found before any network call.

    Attributes:
        key: the offending option or key, when there is one.
        file: the file it came from, when there is one.
    """

    exit_code = 2

    def __init__(self, problem: str, *, key: str | None = None, file: str | None = None, hint: str | None = None) -> None:
        self.key = key
        self.file = file
        super().__init__(problem, hint=hint)


class APIError(TranscribeExportError):
    """HeyGen answered with an HTTP error.

    Attributes:
        status: the HTTP status code.
        code: HeyGen's machine-readable ``error.code``, if the body had one.
        url_path: the path that was requested (never the headers).
        retry_after: the ``Retry-After`` header in seconds, if it was sent.
    """

    retry_after: float | None = None

    def __init__(
        self,
        problem: str,
        *,
        stream_id: str | None,
        status: int,
        code: str | None = None,
        url_path: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.url_path = url_path
        super().__init__(problem, stream_id=stream_id, hint=hint)


class AuthenticationError(APIError):
    """HeyGen refused the credentials (401 or 403)."""


class NotFoundError(APIError):
    """HeyGen has no session with this id (404)."""


class NetworkError(TranscribeExportError):
    """HeyGen could not be reached, or a connection broke or timed out."""


class DeadlineExceededError(NetworkError):
    """Waiting for a pending session, or following a live one, took too long."""


class NotReadyError(TranscribeExportError):
    """The session is still ``pending`` or ``streaming`` and waiting was not wanted.

    Not a failure: a later run (``--no-wait`` from cron) will pick it up.

    Attributes:
        status: the status HeyGen reported.
    """

    exit_code = 75  # EX_TEMPFAIL

    def __init__(self, problem: str, *, stream_id: str, status: str) -> None:
        self.status = status
        super().__init__(problem, stream_id=stream_id, hint="Export it again once the session has completed.")


class SessionFailedError(TranscribeExportError):
    """The session's status is ``error``; ``error_message`` is HeyGen's reason."""

    def __init__(self, problem: str, *, stream_id: str, error_message: str | None) -> None:
        self.error_message = error_message
        super().__init__(problem, stream_id=stream_id)


class StoppedError(TranscribeExportError):
    """Told to stop (SIGTERM, a second Ctrl-C) while waiting: the session was left, nothing written."""

    exit_code = 143


class StreamError(TranscribeExportError):
    """The words stream is not what the API promises."""


class IncompleteStreamError(StreamError):
    """The stream ended before its ``end`` event: the words may be cut short.

    Attributes:
        words_received: how many valid words arrived before the stream ended.
    """

    def __init__(self, problem: str, *, stream_id: str, words_received: int, hint: str | None = None) -> None:
        self.words_received = words_received
        super().__init__(problem, stream_id=stream_id, hint=hint)


class InvalidFrameError(StreamError):
    """A ``data`` frame is not a valid WordBatch.

    Attributes:
        frame: the 1-based number of the data frame in the stream.
        field: where in the frame the problem is (``words[3].start``), or ``None``.
    """

    def __init__(self, problem: str, *, stream_id: str, frame: int, field: str | None = None) -> None:
        self.frame = frame
        self.field = field
        super().__init__(problem, stream_id=stream_id)


class InputError(TranscribeExportError):
    """An offline input (a capture, a word list, a transcript) can't be used."""


class FormatError(TranscribeExportError):
    """A format asked for can't carry this session as it is; no file was written.

    A timeline shift that would put a cue before zero, or text that CEA-608
    (SCC) has no character for. Not permanent: other options may fit.
    """


class OutputError(TranscribeExportError):
    """The output files can't be written; nothing was left half-written."""


class OutputFolderError(OutputError):
    """The output folder (or the report's) can't be used at all; exit 73 (EX_CANTCREAT)."""

    exit_code = 73


def bad_value(key: str, value: object, allowed: str) -> ConfigurationError:
    """The error for an option outside what it allows, worded neutrally (the CLI names its flag).

    >>> str(bad_value("jobs", 0, "a whole number of 1 or more"))
    '`jobs` is 0; it must be a whole number of 1 or more.'
    """
    return ConfigurationError(f"`{key}` is {value!r}; it must be {allowed}", key=key)
