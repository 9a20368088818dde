r"""WebVTT (``.vtt``), as ``webvtt-py`` writes it.

The WebVTT spec forbids a raw ``&`` or ``<`` in cue text (a stray ``<``
makes players drop the rest of the cue) and ``-->`` anywhere in a payload,
so ``&``, ``<`` and ``>`` are written as character references. Browsers
and ffmpeg turn them back into the characters that were spoken.

ffmpeg (and so mpv) converts WebVTT to ASS for libass: it escapes braces
itself, but passes a spoken ``\N`` or ``\h`` through as an ASS line break
or hard space. A U+2060 WORD JOINER after each backslash (invisible in
browsers too) keeps the backslash and the letter on screen. A right-to-left
line gets a U+200F mark at each end, for libass, which lays it out left to
right (browsers need nothing).
"""

from __future__ import annotations

from transcribe_export.models import Cue, Transcript
from transcribe_export.scripts import rtl_marked

__all__ = ["cue_block", "escape", "render_vtt", "timed_lines", "timestamp"]


def escape(text: str) -> str:
    r"""Escape cue text as the WebVTT spec requires.

    >>> escape("a < b && c --> d")
    'a &lt; b &amp;&amp; c --&gt; d'
    >>> escape("back\\Nslash") == "back\\\u2060Nslash"
    True
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\\", "\\\u2060")


def timestamp(ms: int) -> str:
    """``HH:MM:SS.mmm`` from milliseconds.

    >>> timestamp(3_723_004)
    '01:02:03.004'
    """
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def timed_lines(cue: Cue) -> list[str]:
    """The cue's lines, escaped, with an inline ``<hh:mm:ss.ttt>`` before each word after the first.

    Karaoke-style players highlight each word from its timestamp on. A
    timestamp must lie strictly inside the cue and after the one before, so
    a word starting with the cue (or with the word before) gets none. The
    words are the cue's chunks, as the segmenter laid them on each line.

    >>> from transcribe_export.models import Chunk
    >>> line1 = (Chunk("Hi", 0, 0, 1000, 1200), Chunk("there,", 1, 2, 1250, 1600))
    >>> cue = Cue(1000, 3000, ("Hi there,", "you."), (), chunks=(line1, (Chunk("you.", 3, 4, 2000, 2400),)))
    >>> timed_lines(cue)
    ['Hi <00:00:01.250>there,', '<00:00:02.000>you.']
    """
    last = cue.start_ms
    out = []
    for line in cue.chunks:
        parts: list[str] = []
        for position, chunk in enumerate(line):
            if position:
                parts.append(chunk.sep)
            if last < chunk.start_ms < cue.end_ms:
                parts.append(f"<{timestamp(chunk.start_ms)}>")
                last = chunk.start_ms
            parts.append(escape(chunk.text))
        out.append(rtl_marked("".join(parts)))
    return out


def render_vtt(transcript: Transcript, *, word_timing: bool = False) -> str:
    """The transcript's cues as a WebVTT document, each cue numbered from 1.

    The text is what ``webvtt-py`` writes for the same captions (``str(WebVTT(captions=...).content)``,
    a test holds the two together), composed here directly: webvtt-py parses back every timestamp
    it is given and checks every caption, which made it 4 times slower than this (0.017 s against
    0.004 s for an hour, ``benchmarks/speed.py``). It still reads every file back in the tests.

    Args:
        word_timing: add an inline timestamp before each word (one cue per
            phrase still; never one cue per word).
    """
    parts = ["WEBVTT\n"]
    for number, cue in enumerate(transcript.cues, 1):
        parts.append(cue_block(number, cue, word_timing=word_timing))
    return "".join(parts)


def cue_block(number: int, cue: Cue, *, word_timing: bool = False) -> str:
    """One cue as it stands in a WebVTT file, from the blank line before it to its last line's end.

    >>> cue_block(3, Cue(1000, 2500, ("a < b",), ()))
    '\\n3\\n00:00:01.000 --> 00:00:02.500\\na &lt; b\\n'
    """
    # No line is empty and none holds "-->" (">" is escaped): nothing could end a cue early.
    lines = timed_lines(cue) if word_timing and cue.chunks else [rtl_marked(escape(line)) for line in cue.lines]
    return f"\n{number}\n{timestamp(cue.start_ms)} --> {timestamp(cue.end_ms)}\n" + "\n".join(lines) + "\n"
