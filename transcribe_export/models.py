"""The data that flows through the pipeline: words in, cues out.

Times are kept twice on purpose. ``Word.start``/``Word.end`` are the numbers
exactly as HeyGen sent them (an ``int`` stays an ``int``), so the JSON
transcript can reproduce them; every computation uses the integer
milliseconds (``start_ms``/``end_ms``), so no float drift reaches a file.
:class:`Word` and :class:`Chunk` live in :mod:`transcribe_export.tokens` (compiled in the
compiled build) and are imported from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

from transcribe_export.rates import FRAME_RATIOS
from transcribe_export.tokens import Chunk, Word, is_punctuation, to_ms

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
FRAME_RATES: dict[str, Fraction] = {name: Fraction(*ratio) for name, ratio in FRAME_RATIOS.items()}


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
