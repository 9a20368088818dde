"""Server-Sent Events: bytes in, events out. Pure, no I/O.

This follows the WHATWG HTML standard, §9.2.5–9.2.6 ("Parsing an event
stream", "Interpreting an event stream"), rule by rule. It is ours on
purpose: of the SSE libraries that work with ``requests``, none passes all
of these cases (split CRLF pairs, lone CR, a leading BOM, invalid UTF-8, the
partial event at EOF); ``docs/collecting.md`` §1 has the measurements.

Why bytes and not text: a network chunk may end inside a UTF-8 character or
between the CR and LF of one line ending. Splitting on the bytes CR and LF
is safe, because those bytes never occur inside a multi-byte UTF-8
sequence, so each *complete* line is decoded on its own. The stream is
always UTF-8 (invalid bytes become U+FFFD), whatever the Content-Type says.

>>> p = SSEParser()
>>> [e.data for e in p.feed(b"data: a\\r")] + [e.data for e in p.feed(b"\\ndata: b\\r\\n\\r\\n")]
['a\\nb']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Event", "FrameTooLargeError", "SSEParser", "parse"]

_BOM = b"\xef\xbb\xbf"
# A line ends at CRLF, at a lone CR, or at a lone LF (§9.2.5 end-of-line).
_EOL = re.compile(rb"\r\n?|\n")


@dataclass(frozen=True, slots=True)
class Event:
    """One dispatched event.

    Attributes:
        type: the ``event`` field, or ``"message"`` when there was none.
        data: the ``data`` lines joined with ``\\n``.
        id: the last event ID string at the time of dispatch (it carries over).
        has_data: False only for a data-less typed event, which the spec
            would not dispatch; see ``SSEParser(dispatch_empty_typed=True)``.
    """

    type: str
    data: str
    id: str = ""
    has_data: bool = True


class FrameTooLargeError(ValueError):
    """A line or an event grew past the parser's limit (a hostile or broken server).

    Attributes:
        limit: the limit in bytes that was passed.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"an event is larger than {limit} bytes")


class SSEParser:
    """Incremental event-stream parser: call :meth:`feed` with each chunk.

    Args:
        dispatch_empty_typed: also yield an event that has an ``event`` field
            but no ``data`` line (``has_data=False``). The spec drops such
            frames; HeyGen's ``end`` event has no documented payload, so the
            collector must not mistake a data-less ``end`` for a cut stream.
        max_event_bytes: the most bytes one line or one event's data may
            hold before :class:`FrameTooLargeError`; ``None`` for no limit.

    Attributes:
        last_event_id: the ID to send as ``Last-Event-ID`` on reconnection.
        retry_ms: the reconnection time the server asked for, or ``None``.
    """

    def __init__(self, *, dispatch_empty_typed: bool = False, max_event_bytes: int | None = None) -> None:
        self.dispatch_empty_typed = dispatch_empty_typed
        self.max_event_bytes = max_event_bytes
        self.last_event_id = ""
        self.retry_ms: int | None = None
        self._head = b""  # the first bytes, until we know whether they are a BOM
        self._started = False
        self._pending = bytearray()  # an incomplete line (never holds CR or LF)
        self._skip_lf = False  # the previous chunk ended in CR: a leading LF belongs to it
        self._data: list[str] = []
        self._data_size = 0
        self._type = ""
        self._id_buffer = ""

    def feed(self, chunk: bytes) -> list[Event]:
        """Parse the next bytes of the stream and return the events they complete."""
        if not self._started:
            self._head += chunk
            if len(self._head) < len(_BOM) and _BOM.startswith(self._head):
                return []  # could still be a BOM split across chunks
            chunk = self._head[len(_BOM) :] if self._head.startswith(_BOM) else self._head
            self._head = b""
            self._started = True
        if not chunk:
            return []
        events: list[Event] = []
        pos = 0
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                pos = 1
        if b"\r" not in chunk:
            # The usual stream: LF line endings only. Every complete line is decoded in one go and
            # split on LF: an LF byte never occurs inside a UTF-8 sequence, and an invalid sequence
            # cut short by a line end decodes to the same U+FFFD as that line decoded alone.
            last = chunk.rfind(b"\n", pos)
            if last >= 0:
                complete = chunk[pos:last]
                if self._pending:
                    complete = bytes(self._pending) + complete
                    self._pending.clear()
                data, limit = self._data, self.max_event_bytes
                for text in complete.decode("utf-8", "replace").split("\n"):
                    # _line and _dispatch, inline for the usual lines: "data: ..." and the blank line
                    # that ends an event without a type (an hour of speech is 10^4 of them).
                    if text.startswith("data: "):
                        value = text[6:]
                        data.append(value)
                        if limit is not None:
                            self._data_size += len(value) + 1
                            if self._data_size > limit:
                                raise FrameTooLargeError(limit)
                    elif text or self._type or not data:
                        self._line(text, events)
                        data = self._data
                    else:
                        self.last_event_id = self._id_buffer
                        events.append(Event("message", "\n".join(data), self._id_buffer))
                        self._data = data = []
                        self._data_size = 0
                pos = last + 1
        for match in _EOL.finditer(chunk, pos):
            if self._pending:
                self._pending += chunk[pos : match.start()]
                line = bytes(self._pending)
                self._pending.clear()
            else:
                line = chunk[pos : match.start()]
            self._line(line.decode("utf-8", "replace"), events)
            pos = match.end()
            if pos == len(chunk) and match.group() == b"\r":
                self._skip_lf = True
        if pos < len(chunk):
            self._pending += chunk[pos:]
            if self.max_event_bytes is not None and len(self._pending) > self.max_event_bytes:
                raise FrameTooLargeError(self.max_event_bytes)
        return events

    def close(self) -> bool:
        """End of stream: discard any unfinished event, as the spec requires.

        Returns:
            True if something was discarded (the stream was cut mid-event).
        """
        cut = bool(self._pending or self._data or self._type or (self._head and not self._started))
        self._pending.clear()
        self._data.clear()
        self._data_size = 0
        self._type = ""
        return cut

    def _line(self, line: str, events: list[Event]) -> None:
        if not line:
            self._dispatch(events)
            return
        if line[0] == ":":
            return  # a comment, e.g. a keep-alive
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
            self._data_size += len(value) + 1
            if self.max_event_bytes is not None and self._data_size > self.max_event_bytes:
                raise FrameTooLargeError(self.max_event_bytes)
        elif name == "event":
            self._type = value
        elif name == "id":
            if "\0" not in value:
                self._id_buffer = value
        elif name == "retry":
            if value.isascii() and value.isdigit():
                self.retry_ms = int(value)
        # Any other field name (including "Data", " data") is ignored.

    def _dispatch(self, events: list[Event]) -> None:
        self.last_event_id = self._id_buffer
        if self._data:
            events.append(Event(self._type or "message", "\n".join(self._data), self.last_event_id))
        elif self.dispatch_empty_typed and self._type:
            events.append(Event(self._type, "", self.last_event_id, has_data=False))
        self._data = []
        self._data_size = 0
        self._type = ""


def parse(stream: bytes, *, dispatch_empty_typed: bool = False) -> list[Event]:
    """Parse a whole captured stream at once (an unfinished last event is dropped).

    >>> [(e.type, e.data) for e in parse(b"event: end\\ndata: {}\\n\\ndata: lost")]
    [('end', '{}')]
    """
    parser = SSEParser(dispatch_empty_typed=dispatch_empty_typed)
    events = parser.feed(stream)
    parser.close()
    return events
