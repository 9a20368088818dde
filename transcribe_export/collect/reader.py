"""The words stream -> ordered, validated words: one connection's bytes, a
replay merged with what earlier connections brought, or a saved capture.

A :class:`WordStreamReader` takes one connection's bytes, turns them into
events (:mod:`.sse`) and each ``data`` frame into words (:mod:`.frames`); only
the ``end`` event makes a stream complete. The same reader reads a saved
capture (:func:`read_capture`), so ``convert`` judges a capture by the rules
``export`` applies to the network.

HeyGen replays the whole history to every subscriber, so each connection
yields the transcript from word 0, unless a server resumes after
``Last-Event-ID``: :class:`Collection` merges them so that every word is kept
once, and a history that contradicts itself is an error, never a silent
restart. Nothing is dropped for looking like another word: words with the
same text and times repeat legitimately (degenerate timings).
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

__all__ = [
    "Collection", "ReplayContradiction", "WordStreamReader", "counted", "order_words", "read_capture", "reader_for", "result",
]

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
        self.word_ids: list[str] = []  # the event id of each word's frame ("" without ids)
        self.taken = 0  # words taken out of ``words`` already (a capture read in stretches: run/stream.py)
        self.frames = 0
        self.duplicates = 0  # words in frames this connection sent twice
        self.ended = False
        self.end_event: str | None = None
        self.repairs: list[Repair] | None = [] if lenient else None
        self._parser = SSEParser(dispatch_empty_typed=True, max_event_bytes=max_frame_bytes)
        self._seen_ids: set[str] = set()
        self._seen_frames: set[str] = set()

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
            if self._sent_twice(event.id, event.data, batch):
                self.duplicates += len(batch)
                continue
            if self.taken + len(self.words) + len(batch) > self.max_words:
                raise StreamError(
                    f"the session holds more than {self.max_words:,} words",
                    stream_id=self.stream_id,
                    hint="Raise `max_words` if the session is genuine.",
                )
            self.words.extend(batch)
            self.word_ids.extend([event.id] * len(batch))
        return False

    def _sent_twice(self, event_id: str, data: str, batch: list[Word]) -> bool:
        """Is this frame one the connection already sent? By its id when it has one; else by its
        content, but only when its times identify a moment: words that all share one start and end
        (degenerate timings) may repeat legitimately, so such a frame is never taken for a repeat."""
        if event_id:
            repeated = event_id in self._seen_ids
            self._seen_ids.add(event_id)
            return repeated
        if not (batch and batch[0].end_ms > batch[0].start_ms) and len({(w.start_ms, w.end_ms) for w in batch}) < 2:
            return False
        return self._seen_before(data)

    def _seen_before(self, data: str) -> bool:
        """Has a frame without an id and with this text come before (it is remembered now)?"""
        repeated = data in self._seen_frames
        self._seen_frames.add(data)
        return repeated

    def finish(self) -> None:
        """The bytes have run out: fail unless the ``end`` event arrived."""
        cut_mid_event = self._parser.close()
        if not self.ended:
            detail = " in the middle of an event" if cut_mid_event else ""
            received = self.taken + len(self.words)
            raise IncompleteStreamError(
                f"the words stream ended{detail} without its 'end' event after {received} words;"
                " the transcript may be cut short, so nothing was written",
                stream_id=self.stream_id,
                words_received=received,
                hint="Export it again once the session has completed.",
            )


def order_words(words: Sequence[Word]) -> tuple[tuple[Word, ...], bool]:
    """Stable-sort by start time (batches may arrive out of order); nothing is dropped.

    Returns:
        ``(words, reordered)``.

    >>> a, b = Word("a", 0, 1), Word("b", 1, 2)
    >>> order_words([b, a, b])
    ((Word(text='a', start=0, end=1), Word(text='b', start=1, end=2), Word(text='b', start=1, end=2)), True)
    """
    starts = [w.start_ms for w in words]
    reordered = starts != sorted(starts)  # sorting a sorted list is one pass in C
    if not reordered:
        return tuple(words), False
    return tuple(words[i] for i in sorted(range(len(words)), key=starts.__getitem__)), True


class ReplayContradiction(Exception):
    """A new connection's history disagrees with what earlier connections delivered.

    Attributes:
        index: the 0-based position of the first word that disagrees.
        detail: what disagrees, for the message.
    """

    def __init__(self, index: int, detail: str) -> None:
        self.index, self.detail = index, detail
        super().__init__(detail)


class Collection:
    """The words of a session over all its connections, each word once.

    HeyGen replays the whole history to every subscriber; a server that
    honours ``Last-Event-ID`` resumes after (or at, or a little before) the
    last event instead. :meth:`add` tells these apart by event ids when every
    frame has one, else by content, and raises :class:`ReplayContradiction`
    when the new connection's history cannot be the same session's.

    >>> a, b, c = Word("a", 0, 1), Word("b", 1, 2), Word("c", 2, 3)
    >>> def merged(*connections):
    ...     collection = Collection()
    ...     for words in connections:
    ...         collection.add(list(words), [""] * len(words))
    ...     return "".join(w.text for w in collection.words), collection.duplicates
    >>> merged([a, b], [a, b, c]), merged([a, b], [a]), merged([a, b], [b, c]), merged([a, b], [c]), merged([a, b], [])
    (('abc', 2), ('ab', 1), ('abc', 1), ('abc', 0), ('ab', 0))
    """

    def __init__(self) -> None:
        self.words: list[Word] = []
        self.ids: list[str] = []
        self.duplicates = 0

    def add(self, words: list[Word], ids: list[str], *, complete: bool = False) -> None:
        """Merge one connection's words (with the event id of each word's frame)."""
        if not self.words:
            self.words, self.ids = list(words), list(ids)
            return
        if not words:
            return  # nothing new: a resumption that only sent the end event, or a cut before any frame
        if all(ids) and all(self.ids):
            self._add_by_id(words, ids)
        else:
            self._add_by_content(words, ids, complete)

    def _add_by_id(self, words: list[Word], ids: list[str]) -> None:
        known: dict[str, list[Word]] = {}
        for word, event_id in zip(self.words, self.ids):
            known.setdefault(event_id, []).append(word)
        replayed: dict[str, list[Word]] = {}
        for word, event_id in zip(words, ids):
            replayed.setdefault(event_id, []).append(word)
        for event_id, batch in replayed.items():
            if event_id not in known:
                self.words += batch
                self.ids += [event_id] * len(batch)
            elif known[event_id] == batch:
                self.duplicates += len(batch)
            else:
                raise ReplayContradiction(
                    self.words.index(known[event_id][0]), f"event {event_id!r} came back with other words or times"
                )

    def _add_by_content(self, words: list[Word], ids: list[str], complete: bool) -> None:
        before = self.words
        if words[0] == before[0]:  # a replay from the start: the two must agree word for word
            shared = min(len(before), len(words))
            for index in range(shared):
                if before[index] != words[index]:
                    raise ReplayContradiction(index, f"word {index + 1} is {_shown(words[index])}, not {_shown(before[index])}")
            if len(words) > len(before):
                self.words, self.ids = list(words), list(ids)
            elif complete and len(words) < len(before):
                raise ReplayContradiction(len(words), f"the complete replay has {len(words)} words, not {len(before)}")
            self.duplicates += shared
            return
        for start in range(1, len(before)):  # a resumption inside what we have: the longest overlap wins
            overlap = min(len(before) - start, len(words))
            if before[start : start + overlap] == words[:overlap]:
                self.duplicates += overlap
                self.words += words[overlap:]
                self.ids += ids[overlap:]
                return
        if words[0].start_ms >= before[-1].start_ms:  # a resumption after the last word
            self.words += words
            self.ids += ids
            return
        raise ReplayContradiction(0, f"it starts with {_shown(words[0])}, which is not in what was collected")


def _shown(word: Word) -> str:
    return f"{word.text!r} at {word.start!r}-{word.end!r} s"


def result(
    session: SessionInfo,
    collection: Collection,
    reader: WordStreamReader,
    *,
    connections: int = 1,
    duplicates: int = 0,
) -> Collected:
    """What the collector returns: the words in start order, with what was counted on the way."""
    words, reordered = order_words(collection.words)
    stats = counted(session, reader, len(words), duplicates + collection.duplicates, reordered, connections)
    return Collected(session, words, reader.end_event, stats)


def counted(
    session: SessionInfo, reader: WordStreamReader, words: int, duplicates: int, reordered: bool, connections: int
) -> CollectStats:
    """What the collector counted on the way to ``words`` words (and logs it where words were repeated or reordered)."""
    if duplicates or reordered:
        log.info("stream %r: %d repeated words removed, reordered: %s", session.stream_id, duplicates, reordered)
    return CollectStats(
        frames=reader.frames,
        words_received=words + duplicates,
        duplicates_removed=duplicates,
        reordered=reordered,
        connections=connections,
        repairs=tuple(reader.repairs or ()),
    )


def read_capture(chunks: Iterable[bytes], session: SessionInfo, *, options: CollectOptions | None = None) -> Collected:
    """Read a whole words stream from chunks of bytes (a saved capture)."""
    options = options or CollectOptions()
    reader = reader_for(session.stream_id, options)
    with paused_gc():
        for chunk in chunks:
            if reader.feed(chunk):
                break
        reader.finish()
        collection = Collection()
        collection.add(reader.words, reader.word_ids, complete=True)
        return result(session, collection, reader, connections=0, duplicates=reader.duplicates)


def reader_for(stream_id: str, options: CollectOptions) -> WordStreamReader:
    """A reader with the limits of ``options``."""
    return WordStreamReader(
        stream_id, max_frame_bytes=options.max_frame_bytes, max_words=options.max_words, lenient=options.lenient
    )


