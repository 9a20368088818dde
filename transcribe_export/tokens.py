"""The two objects made for every word: a token as received (:class:`Word`) and tokens shown
glued together (:class:`Chunk`), with the time and punctuation helpers they need.

Part of :mod:`transcribe_export.models` (import them from there); a module of its own because the
compiled build (``hatch_build.py``) makes these two native classes: an hour of speech makes 10^4
of each, and a native one is made in about a third of the time. Every other model stays a plain
frozen data class (mypyc's own ``__init__`` for those would go through the frozen ``__setattr__``).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["COMPILED", "Chunk", "Word", "is_punctuation", "ms_text", "seconds_text", "to_ms"]

#: True where this module is the compiled build's (``pip install .`` with a C compiler: hatch_build.py).
COMPILED = __file__.endswith((".so", ".pyd"))


def to_ms(seconds: float) -> int:
    """Seconds (as received) to whole milliseconds, rounding half away from zero.

    Rounds the number as it was written, not its binary approximation:
    ``1.2345`` is really 1.23449999…, yet it gives 1235.

    >>> to_ms(1.2345), to_ms(0.0005), to_ms(3), to_ms(2.4996)
    (1235, 1, 3000, 2500)
    """
    if type(seconds) is int:
        return seconds * 1000
    scaled = seconds * 1000
    frac = scaled - math.floor(scaled)
    if scaled >= 0 and abs(frac - 0.5) > 1e-6:
        return round(scaled)  # not near a tie, so the nearest whole number is the answer
    # A tie (or a negative number): decide on the decimal digits as written.
    return int((Decimal(repr(seconds)) * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


#: The digits after the point of a time in whole milliseconds, as ``repr`` writes them: ``.0``, ``.001``, ``.5``.
_FRACTIONS = tuple(f".{n:03d}".rstrip("0") if n else ".0" for n in range(1000))


def seconds_text(seconds: int | float, ms: int) -> str:
    """``repr(seconds)`` (what ``json`` writes for the number), where ``ms`` is ``seconds`` in
    whole milliseconds (:func:`to_ms`).

    A float that is exactly ``ms / 1000`` is written from the integer: below 10^9 s, two decimals
    of at most three places are further apart than the float's precision, so the shortest digits
    that give the float back (``repr``'s rule) are those three places, trailing zeros dropped. The
    compiled build does this in under half of ``repr``'s time, and in the same time at any size,
    where ``repr`` slows down as the number grows longer. Anything else goes to ``repr``.

    >>> [seconds_text(s, to_ms(s)) for s in (1.5, 3600.25, 0.001, 7.0, 2, 1.2345, 0.0)]
    ['1.5', '3600.25', '0.001', '7.0', '2', '1.2345', '0.0']
    """
    if 0 < ms < 10**12 and type(seconds) is float and ms / 1000 == seconds:
        return str(ms // 1000) + _FRACTIONS[ms % 1000]
    return repr(seconds)


def ms_text(ms: int) -> str:
    """``repr(ms / 1000)``: a time in whole milliseconds as seconds, as ``json`` writes it.

    >>> [ms_text(ms) for ms in (0, 1500, 3600250, 1)]
    ['0.0', '1.5', '3600.25', '0.001']
    """
    if 0 <= ms < 10**12:
        return str(ms // 1000) + _FRACTIONS[ms % 1000]
    return repr(ms / 1000)


def is_punctuation(text: str) -> bool:
    """True if the token is only punctuation or symbols (and spaces).

    >>> is_punctuation(","), is_punctuation("¿"), is_punctuation("%"), is_punctuation("3.5")
    (True, True, True, False)
    >>> is_punctuation("。"), is_punctuation("don't"), is_punctuation(" ")
    (True, False, False)
    """
    stripped = text.strip()
    return bool(stripped) and all(unicodedata.category(ch)[0] in "PS" for ch in stripped)


@dataclass(frozen=True, slots=True, init=False)
class Word:
    """One token of the words stream: a word, a partial word or punctuation.

    Attributes:
        text: the token exactly as received (leading spaces included).
        start: start time in seconds, as received.
        end: end time in seconds, as received.
        start_ms: start time in whole milliseconds (computed once).
        end_ms: end time in whole milliseconds (computed once).
    """

    text: str
    start: int | float  # as received: an int stays an int (the compiled build would make a float of it)
    end: int | float
    start_ms: int = field(init=False, repr=False, compare=False)
    end_ms: int = field(init=False, repr=False, compare=False)

    def __init__(self, text: str, start: int | float, end: int | float) -> None:
        # Every stage needs the milliseconds, several times: work them out once.
        # to_ms, inline for the usual time (a float near no tie; see to_ms): 40% of a word's cost otherwise.
        scaled = start * 1000
        whole = round(scaled)
        start_ms = whole if -_NEAR_HALF < scaled - whole < _NEAR_HALF and scaled >= 0 else to_ms(start)
        scaled = end * 1000
        whole = round(scaled)
        end_ms = whole if -_NEAR_HALF < scaled - whole < _NEAR_HALF and scaled >= 0 else to_ms(end)
        if COMPILED:  # a native class (hatch_build.py): its own code sets its fields; frozen to everyone else
            self.text = text  # type: ignore[misc]
            self.start = start  # type: ignore[misc]
            self.end = end  # type: ignore[misc]
            self.start_ms = start_ms  # type: ignore[misc]
            self.end_ms = end_ms  # type: ignore[misc]
            return
        # Pure Python: the slots are set through their descriptors. Frozen dataclasses go through
        # object.__setattr__ by name, and an hour of speech makes 10^4 words (0.012 s that way, 0.007 s this way).
        _SET_TEXT(self, text)
        _SET_START(self, start)
        _SET_END(self, end)
        _SET_START_MS(self, start_ms)
        _SET_END_MS(self, end_ms)

    def __reduce__(self) -> tuple[type[Word], tuple[str, int | float, int | float]]:
        # pickle and copy make a word as the words stream does (the compiled class has no empty state)
        return Word, (self.text, self.start, self.end)

    @property
    def is_punctuation(self) -> bool:
        """True for a punctuation token (``,`` ``。`` ``¿``), which attaches to a word."""
        return is_punctuation(self.text)

    def as_dict(self) -> dict[str, Any]:
        """The token in HeyGen's (and Whisper's) shape: ``{word, start, end}``."""
        return {"word": self.text, "start": self.start, "end": self.end}


_NEAR_HALF = 0.5 - 1e-6  # closer than this to a whole millisecond: no tie, round() is exact
_SET_TEXT, _SET_START, _SET_END, _SET_START_MS, _SET_END_MS = (
    vars(Word)[name].__set__ for name in ("text", "start", "end", "start_ms", "end_ms")
)


@dataclass(frozen=True, slots=True, init=False)
class Chunk:
    """Tokens shown glued together (``Hello`` ``,`` -> ``Hello,``); breaks fall only between chunks.

    Attributes:
        text: the display text.
        first: index of the first token.
        last: index of the last token (inclusive).
        start_ms: start of the first token.
        end_ms: the latest end of any of its tokens.
        sep: what stands between the chunk before and this one: ``" "``, or
            ``""`` between CJK words (a break may fall there all the same).
        sentence_end: the text ends a sentence.
        clause_end: the text ends a clause (a comma, a semicolon...).
    """

    text: str
    first: int
    last: int
    start_ms: int
    end_ms: int
    sep: str = " "
    sentence_end: bool = False
    clause_end: bool = False

    def __init__(
        self, text: str, first: int, last: int, start_ms: int, end_ms: int,
        sep: str = " ", sentence_end: bool = False, clause_end: bool = False,
    ) -> None:
        if COMPILED:  # as for Word
            self.text = text  # type: ignore[misc]
            self.first = first  # type: ignore[misc]
            self.last = last  # type: ignore[misc]
            self.start_ms = start_ms  # type: ignore[misc]
            self.end_ms = end_ms  # type: ignore[misc]
            self.sep = sep  # type: ignore[misc]
            self.sentence_end = sentence_end  # type: ignore[misc]
            self.clause_end = clause_end  # type: ignore[misc]
            return
        # Slots set through their descriptors, as for Word: one chunk per word or so.
        _C_TEXT(self, text)
        _C_FIRST(self, first)
        _C_LAST(self, last)
        _C_START_MS(self, start_ms)
        _C_END_MS(self, end_ms)
        _C_SEP(self, sep)
        _C_SENTENCE_END(self, sentence_end)
        _C_CLAUSE_END(self, clause_end)

    def __reduce__(self) -> tuple[type[Chunk], tuple[str, int, int, int, int, str, bool, bool]]:
        return Chunk, (self.text, self.first, self.last, self.start_ms, self.end_ms, self.sep, self.sentence_end,
                       self.clause_end)


_C_TEXT, _C_FIRST, _C_LAST, _C_START_MS, _C_END_MS, _C_SEP, _C_SENTENCE_END, _C_CLAUSE_END = (
    vars(Chunk)[name].__set__
    for name in ("text", "first", "last", "start_ms", "end_ms", "sep", "sentence_end", "clause_end")
)
