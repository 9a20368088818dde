"""Session status + words stream -> an ordered, validated word list.

The lifecycle (``../shared/heygen-api/``, SSE-NOTES §5.4):

* ``pending``: poll the status with a growing interval, up to ``wait_timeout``;
* ``streaming``: follow the words live until the ``end`` event, up to ``max_duration``;
* ``completed``: read the durable snapshot;
* ``error``: fail with HeyGen's ``error_message``.

Only the ``end`` event makes a transcript complete. A cut stream (reset,
read timeout, chunked body cut short, EOF without ``end``) is reconnected,
waiting the server's ``retry`` if it sent one, with ``Last-Event-ID`` if its
events had ids. HeyGen replays the whole history to every subscriber, so
each connection yields the transcript from word 0: it must agree with what
was collected before (then it replaces it), or the collection starts over
with a warning. Words are compared one by one, not batch by batch, because
a replay may batch them differently.

The same :class:`WordStreamReader` reads a saved capture, so ``convert``
judges a capture by the rules ``export`` applies to the network.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from transcribe_export.client import HeyGenClient
from transcribe_export.errors import (
    APIError,
    DeadlineExceededError,
    IncompleteStreamError,
    NetworkError,
    NotReadyError,
    SessionFailedError,
    StreamError,
)
from transcribe_export.frames import parse_word_batch
from transcribe_export.gcpause import paused_gc
from transcribe_export.models import CollectStats, Repair, SessionInfo, Word
from transcribe_export.sse import FrameTooLargeError, SSEParser

__all__ = ["CollectOptions", "Collected", "WordStreamReader", "collect", "merge_replay", "order_words", "read_capture"]

log = logging.getLogger(__name__)

DEFAULT_MAX_FRAME_BYTES = 1024 * 1024
DEFAULT_MAX_WORDS = 1_000_000


@dataclass(frozen=True, slots=True)
class CollectOptions:
    """How long to wait, how strict to be, and how much to accept.

    Attributes:
        wait: wait for a ``pending`` session and follow a ``streaming`` one;
            ``False`` (``--no-wait``) raises :class:`NotReadyError` instead.
        wait_timeout: seconds to wait for a ``pending`` session to start.
        max_duration: seconds to follow the words stream (HeyGen caps
            sessions at one hour, so 65 minutes by default).
        poll_interval: first wait between two status polls; it grows by half
            each time up to ``poll_max``.
        poll_max: the longest wait between two status polls.
        server_retry_max: the longest SSE ``retry`` a server may ask for.
        lenient: drop bad words (with a warning each) instead of failing.
        max_frame_bytes: the largest frame accepted.
        max_words: the most words one session may hold.
    """

    wait: bool = True
    wait_timeout: float = 600.0
    max_duration: float = 3900.0
    poll_interval: float = 1.0
    poll_max: float = 10.0
    server_retry_max: float = 30.0
    lenient: bool = False
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES
    max_words: int = DEFAULT_MAX_WORDS


@dataclass(frozen=True, slots=True)
class Collected:
    """What the collector brings back for one session."""

    session: SessionInfo
    words: tuple[Word, ...]
    end_event: str | None
    stats: CollectStats = field(default_factory=CollectStats)


class WordStreamReader:
    """Feed it the bytes of one connection's words stream; it validates each frame as it completes.

    Args:
        stream_id: for every error message.
        max_frame_bytes: the largest line or event accepted.
        max_words: the most words one session may hold.
        lenient: drop bad words into :attr:`repairs` instead of raising.
    """

    def __init__(
        self,
        stream_id: str,
        *,
        max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
        max_words: int = DEFAULT_MAX_WORDS,
        lenient: bool = False,
    ) -> None:
        self.stream_id = stream_id
        self.max_words = max_words
        self.words: list[Word] = []
        self.frames = 0
        self.ended = False
        self.end_event: str | None = None
        self.repairs: list[Repair] | None = [] if lenient else None
        self._parser = SSEParser(dispatch_empty_typed=True, max_event_bytes=max_frame_bytes)

    @property
    def last_event_id(self) -> str:
        """The id to resume from, if the server sent ids."""
        return self._parser.last_event_id

    @property
    def retry_ms(self) -> int | None:
        """The reconnection time the server asked for, if any."""
        return self._parser.retry_ms

    def feed(self, chunk: bytes) -> bool:
        """Take the next bytes; return True once the ``end`` event has arrived."""
        if self.ended:
            return True
        try:
            events = self._parser.feed(chunk)
        except FrameTooLargeError as exc:
            raise StreamError(
                f"frame {self.frames + 1} is larger than the {exc.limit:,}-byte limit",
                stream_id=self.stream_id,
                hint="Raise the limit if the frame is genuine (--max-frame-bytes).",
            ) from None
        for event in events:
            if event.type == "end":
                # The end payload's shape is undocumented: keep it as received.
                self.ended = True
                self.end_event = event.data if event.has_data else None
                return True
            if event.type != "message" or not event.has_data:
                log.debug("stream %r: ignoring %r event", self.stream_id, event.type)
                continue
            self.frames += 1
            batch = parse_word_batch(event.data, stream_id=self.stream_id, frame=self.frames, repairs=self.repairs)
            if len(self.words) + len(batch) > self.max_words:
                raise StreamError(
                    f"the session holds more than {self.max_words:,} words",
                    stream_id=self.stream_id,
                    hint="Raise the limit if the session is genuine (--max-words).",
                )
            self.words.extend(batch)
        return False

    def finish(self) -> None:
        """The bytes have run out: fail unless the ``end`` event arrived."""
        cut_mid_event = self._parser.close()
        if not self.ended:
            detail = " in the middle of an event" if cut_mid_event else ""
            raise IncompleteStreamError(
                f"the words stream ended{detail} without its 'end' event after {len(self.words)} words;"
                " the transcript may be cut short, so nothing was written",
                stream_id=self.stream_id,
                words_received=len(self.words),
                hint="Export it again once the session has completed.",
            )


def order_words(words: Sequence[Word]) -> tuple[tuple[Word, ...], int, bool]:
    """Stable-sort by start time and drop exact duplicates (a replayed history).

    A duplicate is the same token with the same start and end; the same word
    spoken twice has different times and is kept.

    Returns:
        ``(words, duplicates_removed, reordered)``.

    >>> a, b = Word("a", 0, 1), Word("b", 1, 2)
    >>> order_words([b, a, b])
    ((Word(text='a', start=0, end=1), Word(text='b', start=1, end=2)), 1, True)
    """
    starts = [w.start_ms for w in words]
    reordered = any(later < earlier for earlier, later in zip(starts, starts[1:]))
    order = sorted(range(len(words)), key=starts.__getitem__) if reordered else range(len(words))
    seen: set[tuple[str, int, int]] = set()
    kept: list[Word] = []
    for index in order:
        word = words[index]
        key = (word.text, starts[index], word.end_ms)
        if key in seen:
            continue
        seen.add(key)
        kept.append(word)
    return tuple(kept), len(words) - len(kept), reordered


def merge_replay(before: list[Word], replay: list[Word], *, complete: bool) -> tuple[list[Word], bool]:
    """Combine what earlier connections collected with what a new one replayed.

    Args:
        before: the words collected so far.
        replay: the words of the new connection (from its first frame).
        complete: the new connection delivered the ``end`` event.

    Returns:
        ``(words, agreed)``; ``agreed`` is False when the replay contradicted
        what was collected, so the collection started over from it.

    >>> a, b, c = Word("a", 0, 1), Word("b", 1, 2), Word("c", 2, 3)
    >>> merge_replay([a, b], [a, b, c], complete=True)     # a full replay, longer
    ([Word(text='a', start=0, end=1), Word(text='b', start=1, end=2), Word(text='c', start=2, end=3)], True)
    >>> merge_replay([a, b], [a], complete=False)          # cut again, sooner
    ([Word(text='a', start=0, end=1), Word(text='b', start=1, end=2)], True)
    >>> merge_replay([a, b], [c], complete=True)           # resumed after the last word
    ([Word(text='a', start=0, end=1), Word(text='b', start=1, end=2), Word(text='c', start=2, end=3)], True)
    >>> merge_replay([a, c], [a, b], complete=False)       # disagrees: start over
    ([Word(text='a', start=0, end=1), Word(text='b', start=1, end=2)], False)
    """
    if not before:
        return list(replay), True
    shared = min(len(before), len(replay))
    if before[:shared] == replay[:shared]:
        if len(replay) >= len(before):
            return list(replay), True
        # A shorter replay that agrees: keep the longer copy unless this one is final.
        return (list(replay), False) if complete else (before, True)
    if replay and replay[0] != before[0] and replay[0].start_ms >= before[-1].start_ms and replay[0] not in before:
        # The server resumed after what we had (it honoured Last-Event-ID).
        return before + replay, True
    return list(replay), False


def _result(
    session: SessionInfo,
    words_in: list[Word],
    reader: WordStreamReader,
    *,
    connections: int = 1,
    restarts: int = 0,
) -> Collected:
    words, duplicates, reordered = order_words(words_in)
    if duplicates or reordered:
        log.info("stream %r: %d duplicate words removed, reordered: %s", session.stream_id, duplicates, reordered)
    stats = CollectStats(
        frames=reader.frames,
        words_received=len(words_in),
        duplicates_removed=duplicates,
        reordered=reordered,
        connections=connections,
        restarts=restarts,
        repairs=tuple(reader.repairs or ()),
    )
    return Collected(session, words, reader.end_event, stats)


def read_capture(chunks: Iterable[bytes], session: SessionInfo, *, options: CollectOptions | None = None) -> Collected:
    """Read a whole words stream from chunks of bytes (a saved capture)."""
    options = options or CollectOptions()
    reader = _reader(session.stream_id, options)
    with paused_gc():
        for chunk in chunks:
            if reader.feed(chunk):
                break
        reader.finish()
        return _result(session, reader.words, reader, connections=0)


def _reader(stream_id: str, options: CollectOptions) -> WordStreamReader:
    return WordStreamReader(
        stream_id, max_frame_bytes=options.max_frame_bytes, max_words=options.max_words, lenient=options.lenient
    )


def _failed(session: SessionInfo) -> SessionFailedError:
    reason = session.error_message or "no error_message given"
    return SessionFailedError(
        f"HeyGen reports the session failed: {reason}", stream_id=session.stream_id, error_message=session.error_message
    )


def _wait_until_started(client: HeyGenClient, stream_id: str, options: CollectOptions) -> SessionInfo:
    """Poll a pending session until it streams, completes or fails."""
    deadline = time.monotonic() + options.wait_timeout
    interval = options.poll_interval
    session = client.get_session(stream_id)
    while session.status not in ("streaming", "completed", "error"):
        if not options.wait:
            raise NotReadyError(f"the session is still {session.status}", stream_id=stream_id, status=session.status)
        if session.status != "pending":
            log.warning("stream %r: unknown status %r; waiting as if pending", stream_id, session.status)
        left = deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceededError(
                f"the session was still {session.status} after {options.wait_timeout:g} s of waiting",
                stream_id=stream_id,
                hint="Raise --wait-timeout, or use --no-wait and export it in a later run.",
            )
        log.info("stream %r is %s; asking again in %.1f s", stream_id, session.status, min(interval, left))
        time.sleep(min(interval, left))
        interval = min(interval * 1.5, options.poll_max)
        session = client.get_session(stream_id)
    if session.status == "error":
        raise _failed(session)
    if session.status == "streaming" and not options.wait:
        raise NotReadyError("the session is still streaming", stream_id=stream_id, status="streaming")
    return session


def collect(client: HeyGenClient, stream_id: str, options: CollectOptions | None = None) -> Collected:
    """Read a session's status, then its whole words stream, surviving cuts.

    Raises:
        NotReadyError: pending or streaming, and ``options.wait`` is off.
        SessionFailedError: HeyGen reports the session's status as ``error``.
        DeadlineExceededError: ``wait_timeout`` or ``max_duration`` ran out.
        IncompleteStreamError: no ``end`` event even after every reconnection.
        InvalidFrameError: a frame is not a valid WordBatch (strict mode).
        APIError, NetworkError: HeyGen refused, or could not be reached.
    """
    options = options or CollectOptions()
    session = _wait_until_started(client, stream_id, options)
    if session.status == "streaming":
        log.info("stream %r is streaming: following it live until its end event", stream_id)
    deadline = time.monotonic() + options.max_duration
    collected: list[Word] = []
    connections = restarts = 0
    last_id = ""
    while True:
        reader = _reader(stream_id, options)
        connections += 1
        cause = ""
        try:
            with client.open_words(stream_id, last_event_id=last_id or None, deadline=deadline) as chunks:
                for chunk in chunks:
                    if reader.feed(chunk):
                        break
                    _check_stream_deadline(stream_id, deadline, options, len(reader.words))
        except DeadlineExceededError:
            raise
        except NetworkError as error:
            # A read timeout cut short to the deadline is the deadline, not a cut.
            _check_stream_deadline(stream_id, deadline, options, len(reader.words))
            cause = error.problem
        else:
            if not reader.ended:
                cause = "the stream ended without its 'end' event"
        collected, agreed = merge_replay(collected, reader.words, complete=reader.ended)
        if not agreed:
            restarts += 1
            log.warning(
                "stream %r: connection %d replayed a history that differs from what was collected; starting over",
                stream_id, connections,
            )
        if reader.ended:
            break
        if connections > client.retry.retries:
            raise IncompleteStreamError(
                f"the words stream was cut {connections} times without its 'end' event ({cause});"
                f" {len(collected)} words arrived, so nothing was written",
                stream_id=stream_id,
                words_received=len(collected),
                hint="Run the export again later, or raise --retries.",
            )
        last_id = reader.last_event_id or last_id
        wait = (
            min(reader.retry_ms / 1000, options.server_retry_max)
            if reader.retry_ms is not None
            else client.retry.backoff_for(connections)
        )
        log.warning("stream %r: %s after %d words; reconnecting in %.1f s", stream_id, cause, len(reader.words), wait)
        _check_stream_deadline(stream_id, deadline, options, len(collected), wait=wait)
        time.sleep(wait)
        # A session may have failed meanwhile; don't reconnect to a dead one.
        current = client.get_session(stream_id, deadline=deadline)
        if current.status == "error":
            raise _failed(current)
    if session.status != "completed":
        session = _final_status(client, session)
    return _result(session, collected, reader, connections=connections, restarts=restarts)


def _final_status(client: HeyGenClient, session: SessionInfo) -> SessionInfo:
    """After a live session's end event, ask once more for its end_reason.

    The words are complete either way, so a failure here only costs the
    end_reason (the status may also lag a moment behind the end event).
    """
    try:
        return client.get_session(session.stream_id)
    except (NetworkError, APIError) as error:
        log.warning("stream %r: could not read the final status (%s); end_reason unknown", session.stream_id, error.problem)
        return session


def _check_stream_deadline(stream_id: str, deadline: float, options: CollectOptions, words: int, wait: float = 0.0) -> None:
    if time.monotonic() + wait >= deadline:
        raise DeadlineExceededError(
            f"the words stream had no 'end' event after {options.max_duration:g} s ({words} words so far);"
            " nothing was written",
            stream_id=stream_id,
            hint="Raise --max-duration if the session is really that long.",
        )
