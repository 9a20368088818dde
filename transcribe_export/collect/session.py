"""A live session: its status, waiting for it, and its words stream over every reconnection.

The lifecycle (HeyGen's "Get Avatar Realtime Session" and "Stream Avatar
Realtime Word Timestamps" references; ``docs/collecting.md``):

* ``pending``: poll the status with a growing interval, up to ``wait_timeout``;
* ``streaming``: follow the words live until the ``end`` event, up to ``max_duration``;
* ``completed``: read the durable snapshot;
* ``error``: fail with HeyGen's ``error_message``.

Only the ``end`` event makes a transcript complete. A cut stream (reset,
read timeout, chunked body cut short, EOF without ``end``) is reconnected,
waiting the server's ``retry`` if it sent one, with ``Last-Event-ID`` if its
events had ids; a :class:`~.reader.Collection` keeps each word once over all
connections, and a connection whose history contradicts the others fails the
session (:class:`StreamError`): a silent restart could only lose words.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Callable

from transcribe_export.collect.client import HeyGenClient
from transcribe_export.collect.options import CollectOptions, pause, stop_if_cancelled
from transcribe_export.collect.reader import Collection, ReplayContradiction, WordStreamReader, reader_for, result
from transcribe_export.errors import (
    APIError,
    DeadlineExceededError,
    IncompleteStreamError,
    NetworkError,
    NotReadyError,
    SessionFailedError,
    StreamError,
)
from transcribe_export.models import Collected, SessionInfo, Word

__all__ = ["collect"]

log = logging.getLogger(__name__)


def _failed(session: SessionInfo) -> SessionFailedError:
    reason = session.error_message or "no error_message given"
    return SessionFailedError(
        f"HeyGen reports the session failed: {reason}", stream_id=session.stream_id, error_message=session.error_message
    )


def _wait_until_started(client: HeyGenClient, stream_id: str, options: CollectOptions) -> SessionInfo:
    """Poll a pending session until it streams, completes or fails."""
    deadline = time.monotonic() + options.wait_timeout
    interval = options.poll_interval
    session = client.get_session(stream_id, cancel=options.cancel)
    while session.status not in ("streaming", "completed", "error"):
        if not options.wait and session.status == "pending":
            raise NotReadyError(f"the session is still {session.status}", stream_id=stream_id, status=session.status)
        if session.status != "pending":
            raise APIError(
                f"HeyGen reported the status {session.status!r}, which this version does not know; nothing was written",
                stream_id=stream_id, status=200, code="unknown_status",
                hint="Check the session in HeyGen's dashboard, or update transcribe-export.",
            )
        left = deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceededError(
                f"the session was still {session.status} after {options.wait_timeout:g} s of waiting",
                stream_id=stream_id,
                hint="Raise `wait_timeout`, or use `no_wait` and export it in a later run.",
            )
        log.info("stream %r is %s; asking again in %.1f s", stream_id, session.status, min(interval, left))
        pause(min(interval, left), options.cancel, stream_id)
        interval = min(interval * 1.5, options.poll_max)
        session = client.get_session(stream_id, cancel=options.cancel)
    if session.status == "error":
        raise _failed(session)
    if session.status == "streaming" and not options.wait:
        raise NotReadyError("the session is still streaming", stream_id=stream_id, status="streaming")
    return session


def collect(
    client: HeyGenClient, stream_id: str, options: CollectOptions | None = None, *,
    on_words: Callable[[list[Word]], None] | None = None,
) -> Collected:
    """Read a session's status, then its whole words stream, surviving cuts.

    Args:
        on_words: called with each word as soon as it has arrived (in batches, in arrival order,
            each word once over every connection, credentials masked): for following a session live.

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
    collection = Collection()
    connections = duplicates = 0
    last_id = ""
    delivered = 0  # words handed to on_words

    def deliver(reader: WordStreamReader) -> None:
        nonlocal delivered
        if on_words is None:
            return
        words = _so_far(collection, reader)
        if len(words) > delivered:
            fresh, delivered = words[delivered:], len(words)
            on_words(client.redact_words(fresh))

    while True:
        reader = reader_for(stream_id, options)
        connections += 1
        cause = ""
        try:
            with client.open_words(stream_id, last_event_id=last_id or None, deadline=deadline, cancel=options.cancel) as chunks:
                for chunk in chunks:
                    ended = reader.feed(chunk)
                    deliver(reader)
                    if ended:
                        break
                    stop_if_cancelled(options.cancel, stream_id)
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
        duplicates += reader.duplicates
        try:
            collection.add(reader.words, reader.word_ids, complete=reader.ended)
        except ReplayContradiction as contradiction:
            raise StreamError(
                f"connection {connections} to the words stream contradicts what the earlier ones delivered"
                f" ({contradiction.detail}); nothing was written",
                stream_id=stream_id,
                hint="Export it again later; if it persists, the server's history of the session is inconsistent.",
            ) from None
        if reader.ended:
            break
        if connections > client.retry.retries:
            raise IncompleteStreamError(
                f"the words stream was cut {connections} times without its 'end' event ({cause});"
                f" {len(collection.words)} words arrived, so nothing was written",
                stream_id=stream_id,
                words_received=len(collection.words),
                hint="Run the export again later, or raise `retries`.",
            )
        last_id = reader.last_event_id or last_id
        wait = (
            min(reader.retry_ms / 1000, options.server_retry_max)
            if reader.retry_ms is not None
            else client.retry.backoff_for(connections)
        )
        log.warning("stream %r: %s after %d words; reconnecting in %.1f s", stream_id, cause, len(reader.words), wait)
        _check_stream_deadline(stream_id, deadline, options, len(collection.words), wait=wait)
        pause(wait, options.cancel, stream_id)
        # A session may have failed meanwhile; don't reconnect to a dead one.
        current = client.get_session(stream_id, deadline=deadline, cancel=options.cancel)
        if current.status == "error":
            raise _failed(current)
    if session.status != "completed":
        session = _final_status(client, session)
    collected = result(session, collection, reader, connections=connections, duplicates=duplicates)
    # A server that echoes the credentials must not get them into a file either.
    end_event = client.redact(collected.end_event, one_line=False) if collected.end_event is not None else None
    return replace(collected, words=tuple(client.redact_words(collected.words)), end_event=end_event)


def _so_far(collection: Collection, reader: WordStreamReader) -> list[Word]:
    """The session's words so far: the earlier connections' and what this one brought beyond them."""
    if not collection.words:
        return reader.words
    if not reader.words:
        return collection.words
    trial = Collection()
    trial.words, trial.ids = list(collection.words), list(collection.ids)
    try:
        trial.add(reader.words, reader.word_ids)
    except ReplayContradiction:
        return collection.words  # the connection fails the session when it ends
    return trial.words


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
            hint="Raise `max_duration` if the session is really that long.",
        )
