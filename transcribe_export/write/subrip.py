"""SubRip (``.srt``), as the ``srt`` library composes it.

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
from typing import TYPE_CHECKING

from transcribe_export.models import Cue, Transcript
from transcribe_export.scripts import WORD_JOINER, rtl_marked

if TYPE_CHECKING:
    import srt

__all__ = ["WORD_JOINER", "block", "neutralize", "render_srt", "subtitle", "timestamp"]



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
    """The transcript's cues as an SRT document (UTF-8 text, LF line endings).

    The text is what ``srt.compose(subtitles, reindex=False)`` writes for the cues' :func:`subtitle`
    (a test holds the two together), composed here directly: a ``timedelta`` and a ``Subtitle`` for
    each cue, formatted back, made it twice as slow (0.0067 s against 0.003 s for an hour,
    ``benchmarks/speed.py``). The ``srt`` library still reads every file back in the tests.
    """
    return "".join([block(number, cue) for number, cue in enumerate(transcript.cues, 1)])


def block(number: int, cue: Cue) -> str:
    """One cue as it stands in an SRT file, its blank line after it included.

    >>> block(2, Cue(1000, 2500, ("a <b>",), ())) == "2\\n00:00:01,000 --> 00:00:02,500\\na <\\u2060b>\\n\\n"
    True
    """
    content = "\n".join([neutralize(rtl_marked(line)) for line in cue.lines])
    if not content or content[0] == "\n" or "\n\n" in content:  # never from the segmenter; as srt's strict mode
        import srt  # only here (and for subtitle): it costs `convert` 2.5 ms of start-up

        content = srt.make_legal_content(content)
    return f"{number}\n{timestamp(cue.start_ms)} --> {timestamp(cue.end_ms)}\n{content}\n\n"


def timestamp(ms: int) -> str:
    """``HH:MM:SS,mmm`` from milliseconds, as ``srt.timedelta_to_srt_timestamp`` writes it.

    >>> timestamp(3_723_004), timestamp(360_000_000)
    ('01:02:03,004', '100:00:00,000')
    """
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


def subtitle(number: int, cue: Cue) -> srt.Subtitle:
    """One cue as the ``srt`` library's subtitle (``.to_srt()`` gives its block in the file)."""
    import srt

    return srt.Subtitle(
        index=number,
        start=timedelta(milliseconds=cue.start_ms),
        end=timedelta(milliseconds=cue.end_ms),
        content="\n".join(neutralize(rtl_marked(line)) for line in cue.lines),
    )
