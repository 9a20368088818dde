"""Offline inputs for ``convert``: a saved SSE capture, a JSON word list, or
one of our own JSON transcripts (to re-cut captions without the API).

Each is checked by the same rules as a live stream: a capture must end with
its ``end`` event, and every word must be a valid ``{word, start, end}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generator, TypeVar

from transcribe_export.collect.frames import strict_loads, validate_word
from transcribe_export.collect.options import CollectOptions
from transcribe_export.collect.reader import order_words, read_capture
from transcribe_export.errors import InputError
from transcribe_export.models import TRANSCRIPT_FORMAT, Collected, CollectStats, Repair, SessionInfo, Word

__all__ = ["capture_chunks", "input_name", "load_input"]

_READ_SIZE = 1024 * 1024
# A capture of the words stream starts with an SSE field or a comment (WHATWG HTML §9.2.5).
_SSE_FIELDS = (b"data", b"event", b"id", b"retry", b":")
T = TypeVar("T")


def input_name(path: Path) -> str:
    """The output name for an input file: its name without ``.sse`` or ``.json``.

    >>> input_name(Path("captures/session-7.sse")), input_name(Path("words.json")), input_name(Path("a.txt"))
    ('session-7', 'words', 'a.txt')
    """
    return path.stem if path.suffix.lower() in (".sse", ".json") else path.name


def _chunks(path: Path) -> Generator[bytes, None, None]:
    with path.open("rb") as handle:
        while chunk := handle.read(_READ_SIZE):
            yield chunk


def _words(items: Any, name: str, where: str) -> list[Word]:
    if not isinstance(items, list):
        raise InputError(f"{where} is not a list of words", stream_id=name)
    words = []
    for index, item in enumerate(items):
        word, key, problem = validate_word(item)
        if word is None:
            field = f"{where}[{index}]" + (f".{key}" if key else "")
            raise InputError(f"{field} {problem}", stream_id=name)
        words.append(word)
    return words


def _text_or(value: Any, default: T) -> str | T:
    return value if isinstance(value, str) else default


def _is_capture(path: Path, name: str) -> bool:
    """Is the file an SSE capture (else a JSON document)?

    Raises:
        InputError: it can't be read, or is neither.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r} ({exc.strerror})", stream_id=name) from None
    if path.suffix.lower() == ".json" or head[:1] in (b"{", b"["):
        return False
    if not head.startswith(_SSE_FIELDS):
        raise InputError(
            f"{str(path)!r} is not a words capture or transcript (it starts with {head[:16]!r})", stream_id=name,
            hint="Give an SSE capture of the words stream, a JSON list of words, or a transcript this tool wrote.",
        )
    return True


def capture_chunks(path: Path) -> Generator[bytes, None, None] | None:
    """The bytes of an SSE capture, a megabyte at a time; ``None`` for a JSON input.

    Raises:
        InputError: the file can't be read, or is neither.
    """
    return _chunks(path) if _is_capture(path, input_name(path)) else None


def load_input(path: Path, options: CollectOptions | None = None) -> Collected:
    """Read one offline input into the same shape the live collector returns.

    Raises:
        InputError: the file can't be read or holds invalid words.
        IncompleteStreamError: a capture lacks its ``end`` event.
        InvalidFrameError: a capture holds a bad frame.
    """
    name = input_name(path)
    if _is_capture(path, name):
        return read_capture(_chunks(path), SessionInfo(stream_id=name, status="completed"), options=options)
    try:
        document = strict_loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{str(path)!r} is not UTF-8 text", stream_id=name) from None
    except ValueError as exc:
        raise InputError(f"{str(path)!r} is not valid JSON ({exc})", stream_id=name) from None
    session = SessionInfo(stream_id=name, status="completed")
    end_event = None
    kept: CollectStats | None = None
    if isinstance(document, dict) and document.get("format") == TRANSCRIPT_FORMAT:
        meta = document.get("session")
        meta = meta if isinstance(meta, dict) else {}
        session = SessionInfo(
            stream_id=_text_or(document.get("stream_id"), name),
            status=_text_or(meta.get("status"), "completed"),
            end_reason=_text_or(meta.get("end_reason"), None),
        )
        end_event = _text_or(meta.get("end_event"), None)
        raw = _words(document.get("tokens"), name, "tokens")
        kept = _kept_stats(document.get("collection"))
    elif isinstance(document, dict) and "words" in document:
        raw = _words(document["words"], name, "words")
    elif isinstance(document, list):
        raw = _words(document, name, "words")
    else:
        raise InputError(
            f"{str(path)!r} is not a words capture or transcript (a JSON document, but not a list of words,"
            " a WordBatch, nor a transcript this tool wrote)",
            stream_id=name,
        )
    words, reordered = order_words(raw)
    stats = CollectStats(frames=0, words_received=len(raw), duplicates_removed=0, reordered=reordered, connections=0)
    if kept is not None:
        stats = kept  # our own transcript: how its words were collected is kept through a re-cut
    return Collected(session, words, end_event, stats)


def _kept_stats(collection: Any) -> CollectStats | None:
    """The ``collection`` record of one of our transcripts, as it was written; None if it is not whole."""
    if not isinstance(collection, dict):
        return None
    try:
        counts = {key: collection[key] for key in ("frames", "words_received", "duplicates_removed", "connections", "restarts")}
        if not all(type(value) is int and value >= 0 for value in counts.values()) or type(collection["reordered"]) is not bool:
            return None
        repairs = tuple(
            Repair(int(r["frame"]), r["field"] if isinstance(r["field"], str) else None, str(r["problem"]))
            for r in collection["repairs"]
        )
    except (KeyError, TypeError, ValueError):
        return None
    return CollectStats(reordered=collection["reordered"], repairs=repairs, **counts)
