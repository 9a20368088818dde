"""SubRip (``.srt``), composed with the ``srt`` library.

SRT has no escaping, yet players read markup in it: ffmpeg (and so mpv)
turns ``<i>`` (even ``< i>``) into italics and drops any other ``<tag>``,
passes ``{\\an8}``-style overrides and ``\\N`` line breaks through to libass,
and a line with ``-->`` can be taken for a timing line. A word spoken as
``<b>`` must still be shown as ``<b>``, so after each ``<``, ``{`` and ``\\``
(and inside ``-->``) we put U+2060 WORD JOINER: invisible, zero-width, no
line break, and enough to stop every such parser (checked with ffmpeg 5.1:
``<\\u2060i>`` is shown literally). One limit remains: libass hides any
``{…}`` pair whatever it holds, so a spoken ``{x}`` disappears in libass
players; the WebVTT file is not affected.

A right-to-left line (Arabic, Hebrew, Persian, Urdu) gets a U+200F mark at
each end (:func:`transcribe_export.scripts.rtl_marked`): libass lays SRT out
left to right, and would put its full stop at the wrong end.
"""

from __future__ import annotations

from datetime import timedelta

import srt

from transcribe_export.models import Cue, Transcript
from transcribe_export.scripts import WORD_JOINER, rtl_marked

__all__ = ["WORD_JOINER", "neutralize", "render_srt", "subtitle"]



def neutralize(line: str) -> str:
    """Make a line of text show literally in SRT players.

    >>> neutralize("use <b> & {x} --> a\\\\Nb") == "use <\\u2060b> & {\\u2060x} --\\u2060> a\\\\\\u2060Nb"
    True
    """
    line = line.replace("-->", "--" + WORD_JOINER + ">")
    for mark in ("<", "{", "\\"):
        line = line.replace(mark, mark + WORD_JOINER)
    return line


def render_srt(transcript: Transcript) -> str:
    """The transcript's cues as an SRT document (UTF-8 text, LF line endings)."""
    subtitles = [subtitle(number, cue) for number, cue in enumerate(transcript.cues, 1)]
    # Cues are already in order; reindex=False keeps our numbering as is.
    return str(srt.compose(subtitles, reindex=False))


def subtitle(number: int, cue: Cue) -> srt.Subtitle:
    """One cue as the ``srt`` library's subtitle (``.to_srt()`` gives its block in the file)."""
    return srt.Subtitle(
        index=number,
        start=timedelta(milliseconds=cue.start_ms),
        end=timedelta(milliseconds=cue.end_ms),
        content="\n".join(neutralize(rtl_marked(line)) for line in cue.lines),
    )
