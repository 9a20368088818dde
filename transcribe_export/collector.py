"""Session status + words stream -> an ordered, validated word list.

The same :class:`WordStreamReader` reads a live HTTP stream and a saved
capture (``curl -N … > session.sse``), so ``convert`` judges a capture by
exactly the rules ``export`` applies to the network.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Iterable, Sequence

from transcribe_export.client import HeyGenClient
from transcribe_export.errors import IncompleteStreamError, NetworkError, SessionFailedError, StreamError
from transcribe_export.frames import parse_word_batch
from transcribe_export.models import CollectStats, SessionInfo, Word
from transcribe_export.sse import FrameTooLargeError, SSEParser

__all__ = ["Collected", "WordStreamReader", "collect", "order_words", "read_capture"]

log = logging.getLogger(__name__)

DEFAULT_MAX_FRAME_BYTES = 1024 * 1024
DEFAULT_MAX_WORDS = 1_000_000


@dataclass(frozen=True, slots=True)
class Collected:
    """What the collector brings back for one session."""

    session: SessionInfo
    words: tuple[Word, ...]
    end_event: str | None
    stats: CollectStats


class WordStreamReader:
    """Feed it the bytes of a words stream; it validates each frame as it completes.

    Args:
        stream_id: for every error message.
        max_frame_bytes: the largest line or event accepted.
        max_words: the most words one session may hold.
    """

    def __init__(
        self,
        stream_id: str,
        *,
        max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
        max_words: int = DEFAULT_MAX_WORDS,
    ) -> None:
        self.stream_id = stream_id
        self.max_words = max_words
        self.words: list[Word] = []
        self.frames = 0
        self.ended = False
        self.end_event: str | None = None
        self._parser = SSEParser(dispatch_empty_typed=True, max_event_bytes=max_frame_bytes)

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
            batch = parse_word_batch(event.data, stream_id=self.stream_id, frame=self.frames)
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


def _result(session: SessionInfo, reader: WordStreamReader, connections: int = 1) -> Collected:
    words, duplicates, reordered = order_words(reader.words)
    if duplicates or reordered:
        log.info(
            "stream %r: %d duplicate words removed, reordered: %s", session.stream_id, duplicates, reordered
        )
    stats = CollectStats(
        frames=reader.frames,
        words_received=len(reader.words),
        duplicates_removed=duplicates,
        reordered=reordered,
        connections=connections,
    )
    return Collected(session, words, reader.end_event, stats)


def read_capture(
    chunks: Iterable[bytes],
    session: SessionInfo,
    *,
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
    max_words: int = DEFAULT_MAX_WORDS,
) -> Collected:
    """Read a whole words stream from chunks of bytes (a file or a response)."""
    reader = WordStreamReader(session.stream_id, max_frame_bytes=max_frame_bytes, max_words=max_words)
    try:
        for chunk in chunks:
            if reader.feed(chunk):
                break
    except NetworkError as exc:
        raise IncompleteStreamError(
            f"the words stream broke after {len(reader.words)} words ({exc.problem})",
            stream_id=session.stream_id,
            words_received=len(reader.words),
            hint="Nothing was written; run the export again.",
        ) from None
    reader.finish()
    return _result(session, reader)


def collect(
    client: HeyGenClient,
    stream_id: str,
    *,
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
    max_words: int = DEFAULT_MAX_WORDS,
) -> Collected:
    """Read a session's status, then its whole words stream.

    A ``completed`` session is read from its durable snapshot; a ``pending``
    or ``streaming`` one is followed live until its ``end`` event.

    Raises:
        SessionFailedError: HeyGen reports the session's status as ``error``.
        IncompleteStreamError: the stream ended without its ``end`` event.
        InvalidFrameError: a frame is not a valid WordBatch.
        APIError, NetworkError: HeyGen refused or could not be reached.
    """
    session = client.get_session(stream_id)
    if session.status == "error":
        reason = session.error_message or "no error_message given"
        raise SessionFailedError(
            f"HeyGen reports the session failed: {reason}", stream_id=stream_id, error_message=session.error_message
        )
    if session.status != "completed":
        log.info("stream %r is %s: following it live until its end event", stream_id, session.status)
    with client.open_words(stream_id) as chunks:
        collected = read_capture(chunks, session, max_frame_bytes=max_frame_bytes, max_words=max_words)
    return collected
