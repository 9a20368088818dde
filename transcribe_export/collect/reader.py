"""The words stream -> ordered, validated words: one connection's bytes, a
replay merged with what earlier connections brought, or a saved capture.

A :class:`WordStreamReader` takes one connection's bytes, turns them into
events (:mod:`.sse`) and each ``data`` frame into words (:mod:`.frames`); only
the ``end`` event makes a stream complete. The same reader reads a saved
capture (:func:`read_capture`), so ``convert`` judges a capture by the rules
``export`` applies to the network.

HeyGen replays the whole history to every subscriber, so each connection
yields the transcript from word 0: :func:`merge_replay` compares words one by
one (a replay may batch them differently) and either keeps, extends or starts
over.
"""

from __future__ import annotations

import logging
from typing import Iterable, Sequence

from transcribe_export.collect.frames import parse_word_batch
from transcribe_export.collect.options import CollectOptions
from transcribe_export.collect.sse import FrameTooLargeError, SSEParser
from transcribe_export.errors import IncompleteStreamError, StreamError
from transcribe_export.gcpause import paused_gc
from transcribe_export.models import Collected, CollectStats, Repair, SessionInfo, Word

__all__ = ["WordStreamReader", "merge_replay", "order_words", "read_capture", "reader_for", "result"]

log = logging.getLogger(__name__)


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
        max_frame_bytes: int = CollectOptions.max_frame_bytes,
        max_words: int = CollectOptions.max_words,
        lenient: bool = CollectOptions.lenient,
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
                hint="Raise `max_frame_bytes` if the frame is genuine.",
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
                    hint="Raise `max_words` if the session is genuine.",
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


def result(
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
    reader = reader_for(session.stream_id, options)
    with paused_gc():
        for chunk in chunks:
            if reader.feed(chunk):
                break
        reader.finish()
        return result(session, reader.words, reader, connections=0)


def reader_for(stream_id: str, options: CollectOptions) -> WordStreamReader:
    """A reader with the limits of ``options``."""
    return WordStreamReader(
        stream_id, max_frame_bytes=options.max_frame_bytes, max_words=options.max_words, lenient=options.lenient
    )


