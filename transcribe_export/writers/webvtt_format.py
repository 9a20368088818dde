r"""WebVTT (``.vtt``), written with ``webvtt-py``.

The WebVTT spec forbids a raw ``&`` or ``<`` in cue text (a stray ``<``
makes players drop the rest of the cue) and ``-->`` anywhere in a payload,
so ``&``, ``<`` and ``>`` are written as character references. Browsers
and ffmpeg turn them back into the characters that were spoken.

ffmpeg (and so mpv) converts WebVTT to ASS for libass: it escapes braces
itself, but passes a spoken ``\N`` or ``\h`` through as an ASS line break
or hard space. A U+2060 WORD JOINER after each backslash (invisible in
browsers too) keeps the backslash and the letter on screen.
"""

from __future__ import annotations

import webvtt

from transcribe_export.models import Transcript

__all__ = ["escape", "render_vtt", "timestamp"]


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


def render_vtt(transcript: Transcript) -> str:
    """The transcript's cues as a WebVTT document, each cue numbered from 1."""
    captions = [
        webvtt.Caption(
            start=timestamp(cue.start_ms),
            end=timestamp(cue.end_ms),
            text=[escape(line) for line in cue.lines],
            identifier=str(number),
        )
        for number, cue in enumerate(transcript.cues, 1)
    ]
    return str(webvtt.WebVTT(captions=captions).content)
