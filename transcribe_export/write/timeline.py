"""Where the session's time zero falls on the editor's timeline, and how files are laid out.

Editors rarely start a timeline at zero: broadcast masters start at
01:00:00:00, an edited cut where the clip was placed. ``--start-timecode``
and ``--offset`` move every cue of every format by the same amount; the
JSON transcript keeps the session's own times and records the shift.

SMPTE timecode (SMPTE ST 12-1) counts frames. ``HH:MM:SS:FF`` is read at the
frame rate of ``fps``; without one, the frames must be ``00`` and the time is
wall-clock time. ``HH:MM:SS;FF`` (a ``;`` before the frames) is drop-frame
timecode, which exists only at 29.97 and 59.94 fps: frame numbers 0 and 1
(0 to 3 at 59.94) are skipped at the start of every minute except every
tenth, so that the timecode keeps up with the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from transcribe_export.errors import ConfigurationError
from transcribe_export.models import FRAME_RATES
from transcribe_export.write import LINE_ENDINGS

__all__ = ["LINE_ENDINGS", "WriteOptions", "parse_offset", "parse_timecode"]

_DROP_FRAME = {"29.97": 2, "59.94": 4}  # frame numbers dropped each minute but every tenth
_TIMECODE = re.compile(r"(\d{1,2}):([0-5]\d):([0-5]\d)([:;])(\d{2})")
_SECONDS = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def parse_timecode(text: str, fps: str | None = None, *, key: str = "start_timecode") -> Fraction:
    """Seconds from an ``HH:MM:SS:FF`` (or drop-frame ``HH:MM:SS;FF``) timecode.

    >>> parse_timecode("01:00:00:00")
    Fraction(3600, 1)
    >>> float(parse_timecode("00:00:01:12", "24"))
    1.5
    >>> parse_timecode("01:00:00;00") == Fraction(107892 * 1001, 30000)
    True

    Raises:
        ConfigurationError: not a timecode, frames past the rate, a dropped
            frame number, drop-frame at a rate that has none, or frames
            without a frame rate.
    """
    match = _TIMECODE.fullmatch(text.strip())
    if match is None:
        raise ConfigurationError(
            f"`{key}` is {text!r}; it must be a timecode HH:MM:SS:FF (HH:MM:SS;FF for drop-frame)", key=key
        )
    hours, minutes, seconds, frames = (int(match.group(n)) for n in (1, 2, 3, 5))
    drop = match.group(4) == ";"
    if drop and fps is None:
        fps = "29.97" if frames < 30 else "59.94"
    if drop and fps not in _DROP_FRAME:
        raise ConfigurationError(
            f"`{key}` {text!r} is drop-frame (';'), which exists only at 29.97 and 59.94 fps, not at {fps}", key=key,
            hint="Use ':' before the frames for non-drop-frame timecode.",
        )
    if fps is None:
        if frames:
            raise ConfigurationError(
                f"`{key}` {text!r} counts frames, but no frame rate is set", key=key,
                hint="Give `fps` (the video's frame rate), or 00 frames.",
            )
        return Fraction(hours * 3600 + minutes * 60 + seconds)
    rate = FRAME_RATES[fps]
    nominal = round(rate)
    if frames >= nominal:
        raise ConfigurationError(f"`{key}` {text!r} has frame {frames}; at {fps} fps frames run 00 to {nominal - 1:02d}", key=key)
    count = (hours * 3600 + minutes * 60 + seconds) * nominal + frames
    if drop:
        dropped = _DROP_FRAME[fps]
        if seconds == 0 and frames < dropped and minutes % 10:
            raise ConfigurationError(
                f"`{key}` {text!r} names a frame that drop-frame timecode skips (frames 00 to {dropped - 1:02d} "
                "of every minute but every tenth)", key=key,
            )
        total_minutes = hours * 60 + minutes
        count -= dropped * (total_minutes - total_minutes // 10)
    return Fraction(count) / rate


def parse_offset(value: str | float | int, fps: str | None = None) -> Fraction:
    """Seconds from an offset: a number of seconds (negative allowed) or a timecode with an optional sign.

    >>> parse_offset("-1.5"), parse_offset(2), parse_offset("-00:00:10:00")
    (Fraction(-3, 2), Fraction(2, 1), Fraction(-10, 1))
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value or value in (float("inf"), float("-inf")):
            raise ConfigurationError(f"`offset` is {value!r}; it must be a number of seconds or a timecode", key="offset")
        return Fraction(value).limit_denominator(1000)
    text = str(value).strip()
    if _SECONDS.fullmatch(text):
        return Fraction(text)
    sign = -1 if text.startswith("-") else 1
    if _TIMECODE.fullmatch(text.lstrip("+-")) is None:
        raise ConfigurationError(
            f"`offset` is {value!r}; it must be seconds (like -1.5) or a timecode (like 00:00:10:00, with an optional -)",
            key="offset",
        )
    return sign * parse_timecode(text.lstrip("+-"), fps, key="offset")


@dataclass(frozen=True)
class WriteOptions:
    """How files are written, beyond their format: the timeline shift, WebVTT word timing, line endings, a BOM.

    Build it with :meth:`make` from the options as the user gave them.

    Attributes:
        shift_ms: milliseconds added to every time in every file but the JSON.
        offset: ``offset`` as given (recorded in the JSON).
        start_timecode: ``start_timecode`` as given (recorded in the JSON).
        word_timing: WebVTT with an inline timestamp before each word.
        line_endings: ``lf`` or ``crlf``.
        bom: start each text file that may have one with U+FEFF.
    """

    shift_ms: int = 0
    offset: str | None = None
    start_timecode: str | None = None
    word_timing: bool = False
    line_endings: str = "lf"
    bom: bool = False

    @classmethod
    def make(
        cls,
        *,
        offset: str | float | None = None,
        start_timecode: str | None = None,
        fps: str | float | None = None,
        word_timing: bool = False,
        line_endings: str = "lf",
        bom: bool = False,
    ) -> WriteOptions:
        """Check the options and work out the shift.

        >>> WriteOptions.make(start_timecode="01:00:00:00", offset="-0.5").shift_ms
        3599500

        Raises:
            ConfigurationError: a bad offset, timecode or line-ending name.
        """
        rate = None if fps is None else _rate_name(fps)
        seconds = Fraction(0)
        if start_timecode is not None:
            seconds += parse_timecode(str(start_timecode), rate)
        if offset is not None:
            seconds += parse_offset(offset, rate)
        if str(line_endings).lower() not in LINE_ENDINGS:
            raise ConfigurationError(f"`line_endings` is {line_endings!r}; it must be one of {', '.join(LINE_ENDINGS)}",
                                     key="line_endings")
        return cls(
            shift_ms=round(seconds * 1000),
            offset=None if offset is None else str(offset),
            start_timecode=None if start_timecode is None else str(start_timecode),
            word_timing=bool(word_timing),
            line_endings=str(line_endings).lower(),
            bom=bool(bom),
        )

    def timeline(self) -> dict[str, Any] | None:
        """What the JSON transcript records of the shift, or ``None`` when there is none."""
        if self.offset is None and self.start_timecode is None:
            return None
        return {"shift": self.shift_ms / 1000, "start_timecode": self.start_timecode, "offset": self.offset}

    def as_dict(self) -> dict[str, Any]:
        """Everything that changes the bytes of a file (for the state store's fingerprint)."""
        return {"shift_ms": self.shift_ms, "word_timing": self.word_timing, "line_endings": self.line_endings, "bom": self.bom}


def _rate_name(fps: str | float) -> str:
    """``"29.97"`` for 29.97 or ``"29.97"``; anything else is left to the preset's own check."""
    text = str(fps).strip()
    for name, rate in FRAME_RATES.items():
        try:
            if text == name or abs(float(text) - float(rate)) < 0.006:
                return name
        except ValueError:
            break
    raise ConfigurationError(f"`fps` is {fps!r}; it must be one of {', '.join(FRAME_RATES)}", key="fps")
