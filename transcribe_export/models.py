"""The data that flows through the pipeline: words in, cues out.

Times are kept twice on purpose. ``Word.start``/``Word.end`` are the numbers
exactly as HeyGen sent them (an ``int`` stays an ``int``), so the JSON
transcript can reproduce them; every computation uses the integer
milliseconds (``start_ms``/``end_ms``), so no float drift reaches a file.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Mapping

__all__ = [
    "FRAME_RATES",
    "TRANSCRIPT_FORMAT",
    "Chunk",
    "CollectStats",
    "Collected",
    "Cue",
    "Repair",
    "SessionInfo",
    "Transcript",
    "Word",
    "is_punctuation",
    "to_ms",
]

#: The ``format`` field of our JSON transcript: written by the JSON writer, read back by ``convert``.
TRANSCRIPT_FORMAT = "transcribe-export/transcript"

#: The frame rates times may be snapped to (``--fps``), with the exact NTSC fractions. Both
#: stages need them (the segmenter snaps, the writers count timecodes and TTML frames).
FRAME_RATES: dict[str, Fraction] = {
    "23.976": Fraction(24000, 1001),
    "24": Fraction(24),
    "25": Fraction(25),
    "29.97": Fraction(30000, 1001),
    "30": Fraction(30),
    "50": Fraction(50),
    "59.94": Fraction(60000, 1001),
    "60": Fraction(60),
}


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
    start: float
    end: float
    start_ms: int = field(init=False, repr=False, compare=False)
    end_ms: int = field(init=False, repr=False, compare=False)

    def __init__(self, text: str, start: float, end: float) -> None:
        # Every stage needs the milliseconds, several times: work them out once. The slots are set
        # through their descriptors: frozen dataclasses go through object.__setattr__ by name, and
        # an hour of speech makes 10^4 words (0.012 s that way, 0.007 s this way).
        _SET_TEXT(self, text)
        _SET_START(self, start)
        _SET_END(self, end)
        # to_ms, inline for the usual time (a float near no tie; see to_ms): 40% of a word's cost otherwise.
        scaled = start * 1000
        whole = round(scaled)
        _SET_START_MS(self, whole if -_NEAR_HALF < scaled - whole < _NEAR_HALF and scaled >= 0 else to_ms(start))
        scaled = end * 1000
        whole = round(scaled)
        _SET_END_MS(self, whole if -_NEAR_HALF < scaled - whole < _NEAR_HALF and scaled >= 0 else to_ms(end))

    @property
    def is_punctuation(self) -> bool:
        """True for a punctuation token (``,`` ``。`` ``¿``), which attaches to a word."""
        return is_punctuation(self.text)

    def as_dict(self) -> dict[str, Any]:
        """The token in HeyGen's (and Whisper's) shape: ``{word, start, end}``."""
        return {"word": self.text, "start": self.start, "end": self.end}


_NEAR_HALF = 0.5 - 1e-6  # closer than this to a whole millisecond: no tie, round() is exact
_SET_TEXT, _SET_START, _SET_END, _SET_START_MS, _SET_END_MS = (
    Word.__dict__[name].__set__ for name in ("text", "start", "end", "start_ms", "end_ms")
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
        # Slots set through their descriptors, as for Word: one chunk per word or so.
        _C_TEXT(self, text)
        _C_FIRST(self, first)
        _C_LAST(self, last)
        _C_START_MS(self, start_ms)
        _C_END_MS(self, end_ms)
        _C_SEP(self, sep)
        _C_SENTENCE_END(self, sentence_end)
        _C_CLAUSE_END(self, clause_end)


_C_TEXT, _C_FIRST, _C_LAST, _C_START_MS, _C_END_MS, _C_SEP, _C_SENTENCE_END, _C_CLAUSE_END = (
    Chunk.__dict__[name].__set__
    for name in ("text", "first", "last", "start_ms", "end_ms", "sep", "sentence_end", "clause_end")
)


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle: one or two lines shown from ``start_ms`` to ``end_ms``.

    Attributes:
        start_ms: in-time in milliseconds.
        end_ms: out-time in milliseconds (always greater than ``start_ms``).
        lines: the text lines as a player should show them.
        words: the tokens this cue shows, in order.
        reason: why the cue ends where it does (``sentence``, ``clause``,
            ``pause``, ``length``, ``duration``, ``end``).
        line_reasons: why each line break falls where it does (same words).
        chunks: per line, the chunks it shows (for writers that time each word).
    """

    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    words: tuple[Word, ...]
    reason: str = "end"
    line_reasons: tuple[str, ...] = ()
    chunks: tuple[tuple[Chunk, ...], ...] = field(default=(), compare=False, repr=False)

    @property
    def start(self) -> float:
        """In-time in seconds."""
        return self.start_ms / 1000

    @property
    def end(self) -> float:
        """Out-time in seconds."""
        return self.end_ms / 1000

    @property
    def text(self) -> str:
        """The lines joined with a newline."""
        return "\n".join(self.lines)


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """What ``GET /v3/avatar-realtime/{stream_id}`` said about a session."""

    stream_id: str
    status: str
    end_reason: str | None = None
    error_message: str | None = None


@dataclass(frozen=True, slots=True)
class Repair:
    """A bad word (or frame) dropped in ``--lenient`` mode.

    Attributes:
        frame: the 1-based data frame it was in.
        field: where in the frame (``words[3].start``), or ``None`` for the frame itself.
        problem: what was wrong with it.
    """

    frame: int
    field: str | None
    problem: str


@dataclass(frozen=True, slots=True)
class CollectStats:
    """Counts of what the collector saw and repaired, kept in the JSON transcript.

    Attributes:
        frames: data frames read on the connection that delivered the words.
        words_received: words in those frames (before ordering and de-duplication).
        duplicates_removed: exact duplicates dropped.
        reordered: the words did not arrive in start-time order.
        connections: connections made to the words stream.
        restarts: always 0 (kept for the JSON format): a replay that disagrees with what was
            collected now fails the session instead of starting over.
        repairs: what ``--lenient`` dropped.
    """

    frames: int = 0
    words_received: int = 0
    duplicates_removed: int = 0
    reordered: bool = False
    connections: int = 1
    restarts: int = 0
    repairs: tuple[Repair, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """A plain dict for the JSON transcript."""
        return {
            "frames": self.frames,
            "words_received": self.words_received,
            "duplicates_removed": self.duplicates_removed,
            "reordered": self.reordered,
            "connections": self.connections,
            "restarts": self.restarts,
            "repairs": [{"frame": r.frame, "field": r.field, "problem": r.problem} for r in self.repairs],
        }


@dataclass(frozen=True, slots=True)
class Collected:
    """What stage 1 brings back for one session: its status, ordered words and end event."""

    session: SessionInfo
    words: tuple[Word, ...]
    end_event: str | None
    stats: CollectStats = field(default_factory=CollectStats)


@dataclass(frozen=True, slots=True)
class Transcript:
    """A whole session: where it came from, its words and its cues.

    Attributes:
        stream_id: the HeyGen session id (or, for ``convert``, the input's name).
        status: the session status HeyGen reported (``completed`` normally).
        end_reason: HeyGen's ``end_reason``, if any.
        end_event: the ``end`` event's data exactly as received (``None`` if it had none).
        words: the validated tokens, ordered by start time, duplicates removed.
        cues: the subtitles cut from those words.
        settings: the segmentation settings used, for the JSON transcript.
        stats: what the collector counted and repaired.
    """

    stream_id: str
    status: str
    end_reason: str | None
    end_event: str | None
    words: tuple[Word, ...]
    cues: tuple[Cue, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)
    stats: CollectStats = field(default_factory=CollectStats)
