"""Validate one ``data`` frame of the words stream: a WordBatch.

A WordBatch is ``{"words": [{"word": str, "start": number, "end": number}, …]}``
with times in seconds. Everything is checked, because a subtitle file built
from a silently bad frame is worse than a clear error: the frame number and
the field say exactly where to look in a capture.
"""

from __future__ import annotations

import json
import logging
import math
import re
from typing import Any

from transcribe_export.errors import InvalidFrameError
from transcribe_export.models import Repair, Word

__all__ = ["MAX_SECONDS", "NonFiniteNumberError", "parse_word_batch", "strict_loads", "validate_word"]

log = logging.getLogger(__name__)


_SURROGATE = re.compile("[" + chr(0xD800) + "-" + chr(0xDFFF) + "]")  # chr: a compiled module can't hold a lone surrogate literal
_NUMBER = (int, float)
#: The latest time a subtitle file can hold: SRT writes hours with two digits (99:59:59,999),
#: and HeyGen caps a session at one hour, so a later time is a broken frame, not a long session.
MAX_SECONDS = 359_999.999


class NonFiniteNumberError(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity`` in JSON text (Python's json accepts them; JSON does not)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"{name} is not a finite number (JSON has no {name})")


def _reject_constant(name: str) -> Any:
    raise NonFiniteNumberError(name)


# One decoder for every frame: json.loads(text, parse_constant=...) builds a new one per call,
# which cost as much again as the decoding (0.007 s of 0.017 s for an hour's 4,666 frames).
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_SCAN = _DECODER.scan_once  # type: ignore[attr-defined]  # what _DECODER.decode ends in, in C


def strict_loads(text: str) -> Any:
    """``json.loads`` that refuses ``NaN`` and the infinities, as JSON does.

    >>> strict_loads('{"a": 1.5}')
    {'a': 1.5}
    >>> strict_loads('[NaN]')
    Traceback (most recent call last):
    ...
    transcribe_export.collect.frames.NonFiniteNumberError: NaN is not a finite number (JSON has no NaN)
    """
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)  # as json.loads says it
    try:
        return _DECODER.decode(text)
    except RecursionError:
        # Deep nesting ([[[[…) exhausts Python's stack in the C decoder; JSON allows it, we can't.
        raise ValueError("it is nested too deeply to read") from None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {json.dumps(value)}"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    return f"a JSON {'array' if isinstance(value, list) else 'object'}"


def validate_word(item: Any) -> tuple[Word | None, str | None, str | None]:
    """Check one entry of ``words``.

    Returns:
        ``(word, None, None)`` when it is valid, else ``(None, field, problem)``
        where ``field`` is the key at fault (``""`` for the entry itself).

    >>> validate_word({"word": "hi", "start": 0, "end": 0.5})[0]
    Word(text='hi', start=0, end=0.5)
    >>> validate_word({"word": "hi", "start": 2, "end": 1})[1:]
    ('end', 'is 1, before its start 2')
    """
    if type(item) is dict:
        # The usual case, checked in one go: a string and two ordered finite non-negative numbers.
        text: Any = item.get("word")
        start: Any = item.get("start")
        end: Any = item.get("end")
        if (
            type(text) is str and type(start) in _NUMBER and type(end) in _NUMBER
            and 0 <= start <= end <= MAX_SECONDS and not _SURROGATE.search(text)
        ):
            return Word(text, start, end), None, None
    if not isinstance(item, dict):
        return None, "", f"is {_describe(item)}, not an object"
    for key in ("word", "start", "end"):
        if key not in item:
            return None, key, "is missing"
    text, start, end = item["word"], item["start"], item["end"]
    if not isinstance(text, str):
        return None, "word", f"is {_describe(text)}, not a string"
    if _SURROGATE.search(text):
        # json.loads accepts "\ud800"; it is not text and can't be written as UTF-8.
        return None, "word", f"is {text!r}, which holds an unpaired surrogate (not text)"
    for key, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, key, f"is {_describe(value)}, not a number"
        try:
            finite = math.isfinite(value)
        except OverflowError:  # an integer too large for a float
            finite = False
        if not finite:
            return None, key, f"is {_describe(value)}, not a finite number"
        if value < 0:
            return None, key, f"is {_describe(value)}, a negative time"
        if value > MAX_SECONDS:
            return None, key, f"is {_describe(value)}, past 99:59:59.999, the latest time a subtitle file can hold"
    if end < start:
        return None, "end", f"is {_describe(end)}, before its start {_describe(start)}"
    return Word(text, start, end), None, None


def parse_word_batch(
    data: str, *, stream_id: str, frame: int, repairs: list[Repair] | None = None
) -> list[Word]:
    """Parse and validate one frame.

    Strict by default: a bad frame raises :class:`InvalidFrameError`. With a
    ``repairs`` list (``--lenient``), a bad word is dropped instead, and a
    frame that holds no usable list is dropped whole; each drop is logged
    once and appended to ``repairs`` for the JSON transcript.

    Args:
        data: the frame's ``data`` exactly as the SSE parser joined it.
        stream_id: for the error message.
        frame: the 1-based number of this data frame in the stream.
        repairs: collect repairs here instead of raising.

    >>> parse_word_batch('{"words": [{"word": "Hi", "start": 0.1, "end": 0.4}]}', stream_id="s", frame=1)
    [Word(text='Hi', start=0.1, end=0.4)]
    >>> parse_word_batch('{"words": [{"word": "Hi", "start": NaN, "end": 1}]}', stream_id="s", frame=7)
    Traceback (most recent call last):
    ...
    transcribe_export.errors.InvalidFrameError: stream 's': frame 7 holds NaN, which is not a finite number (JSON has no NaN).
    >>> fixes = []
    >>> parse_word_batch('{"words": [{"word": "a", "start": 2, "end": 1}, {"word": "b", "start": 2, "end": 3}]}',
    ...                  stream_id="s", frame=3, repairs=fixes)
    [Word(text='b', start=2, end=3)]
    >>> fixes
    [Repair(frame=3, field='words[0].end', problem='is 1, before its start 2')]
    """
    batch = _object(data)
    if type(batch) is dict and type(batch.get("words")) is list:
        items = batch["words"]  # the usual frame: the checks below would pass
    else:
        items = _items(data, stream_id=stream_id, frame=frame, repairs=repairs)
    words: list[Word] = []
    for index, item in enumerate(items):
        if type(item) is dict:  # validate_word's usual case, inline: this loop runs for every word
            text: Any = item.get("word")
            start: Any = item.get("start")
            end: Any = item.get("end")
            if (
                type(text) is str and type(start) in _NUMBER and type(end) in _NUMBER
                and 0 <= start <= end <= MAX_SECONDS and (text.isascii() or not _SURROGATE.search(text))
            ):
                words.append(Word(text, start, end))
                continue
        word, key, problem = validate_word(item)
        if word is not None:
            words.append(word)
            continue
        where = f"words[{index}]" + (f".{key}" if key else "")
        if repairs is None:
            raise InvalidFrameError(f"frame {frame}: {where} {problem}", stream_id=stream_id, frame=frame, field=where)
        _record(repairs, stream_id, Repair(frame, where, problem or ""), "dropped the word")
    return words


def _object(data: str) -> Any:
    """The usual frame, one JSON object with nothing around it, decoded by the scanner that
    :func:`strict_loads` ends in (its checks, in Python, cost a third of the decoding); ``None``
    for anything else, which :func:`_items` reads the long way, with its errors."""
    if data[:1] == "{" and data[-1:] == "}":
        try:
            value, end = _SCAN(data, 0)
        except (StopIteration, ValueError, RecursionError):
            return None
        if end == len(data):
            return value
    return None


def _items(data: str, *, stream_id: str, frame: int, repairs: list[Repair] | None) -> list[Any]:
    """A frame's ``words`` list, or the error that says what is wrong with the frame."""

    def bad(problem: str, field: str | None = None) -> InvalidFrameError:
        return InvalidFrameError(problem, stream_id=stream_id, frame=frame, field=field)

    try:
        try:
            batch = strict_loads(data)
        except NonFiniteNumberError as constant:  # its own name: a compiled build types a name by its first use
            name = constant.name
            raise bad(f"frame {frame} holds {name}, which is not a finite number (JSON has no {name})") from None
        except ValueError as exc:
            detail = f"{exc.msg} at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise bad(f"frame {frame} is not valid JSON ({detail})") from None
        if not isinstance(batch, dict):
            raise bad(f'frame {frame} is {_describe(batch)}, not an object with a "words" list')
        if "words" not in batch:
            raise bad(f'frame {frame} has no "words" key', "words")
        items = batch["words"]
        if not isinstance(items, list):
            raise bad(f'frame {frame}: "words" is {_describe(items)}, not a list', "words")
    except InvalidFrameError as error:
        if repairs is None:
            raise
        _record(repairs, stream_id, Repair(frame, error.field, error.problem), "dropped the whole frame")
        return []
    return items


def _record(repairs: list[Repair], stream_id: str, repair: Repair, action: str) -> None:
    repairs.append(repair)
    where = f"frame {repair.frame}: {repair.field} " if repair.field and not repair.problem.startswith("frame") else ""
    log.warning("stream %r: %s%s; %s (`lenient`)", stream_id, where, repair.problem, action)
