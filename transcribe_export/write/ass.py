r"""Advanced SubStation Alpha (``.ass``), written with ``pysubs2``.

ASS is what libass renders: ffmpeg's burn-in (``subtitles`` filter), mpv,
Aegisub. pysubs2 (https://github.com/tkarabela/pysubs2) writes the file;
we choose the style and make the text show as spoken:

- **Times** in centiseconds, as ASS counts them: in-times rounded up and
  out-times down, so that no gap between cues shrinks.
- **Style** for a 1920x1080 frame (``PlayResX``/``PlayResY``; libass scales
  to the real size): a sans-serif face at 54 px (5% of the height), white
  with a 3 px black outline and a 1 px shadow, bottom centre, a 60 px
  bottom margin and 10% side margins, so lines stay in the title-safe area.
  ``WrapStyle: 2`` stops libass from re-wrapping our lines.
- **Literal text.** In ASS a ``{`` opens an override block and ``\N``,
  ``\n``, ``\h`` are a line break or a hard space. A spoken ``{`` or ``}`` is
  written ``\{`` / ``\}`` (libass's escapes), and a U+2060 WORD JOINER
  (invisible, zero-width) follows each other backslash, so ``\N`` stays two
  characters on screen.
- **Right to left.** libass lays a line out left to right unless told
  otherwise, so an Arabic sentence's full stop would land at its right end.
  A line whose first strong character reads right to left starts and ends
  with U+200F RIGHT-TO-LEFT MARK: the punctuation at either end then takes
  the line's direction (Unicode Bidirectional Algorithm, rules W1-N2).
"""

from __future__ import annotations

import pysubs2

from transcribe_export.errors import FormatError
from transcribe_export.models import Transcript
from transcribe_export.scripts import RLM, WORD_JOINER, rtl_marked

__all__ = ["LAST_MS", "PLAY_RES", "escape", "render_ass", "unescape"]

PLAY_RES = (1920, 1080)
#: ASS times are H:MM:SS.cc, one digit of hours: the last time it can hold.
LAST_MS = 35_999_990


def escape(line: str) -> str:
    r"""One line of cue text as ASS text that libass shows literally.

    >>> escape(r"{\b1} a\Nb") == "\\{\\\u2060b1\\} a\\\u2060Nb"
    True
    >>> escape("مرحبا.") == "\u200fمرحبا.\u200f"
    True
    """
    out = []
    for char in line:
        if char in "{}":
            out.append("\\" + char)
        elif char == "\\":
            out.append("\\" + WORD_JOINER)
        else:
            out.append(char)
    return rtl_marked("".join(out))  # escaping adds no strong character: the direction is the line's


def unescape(text: str) -> list[str]:
    r"""The lines a reader shows for ASS event text we wrote (for ``check``): the inverse of :func:`escape`.

    Override blocks (``{...}``) are dropped, ``\N`` and ``\n`` break lines, ``\h`` is a hard space.

    >>> unescape(escape(r"{x} a\Nb") + r"\N" + escape("c}"))
    ['{x} a\\Nb', 'c}']
    >>> unescape(r"{\i1}hi{\i0}\Nthere")
    ['hi', 'there']
    """
    lines = [""]
    index = 0
    while index < len(text):
        char = text[index]
        pair = text[index : index + 2]
        if pair in ("\\{", "\\}"):
            lines[-1] += pair[1]
            index += 2
        elif pair in ("\\N", "\\n"):
            lines.append("")
            index += 2
        elif pair == "\\h":
            lines[-1] += "\u00a0"
            index += 2
        elif char == "{":
            close = text.find("}", index)
            index = len(text) if close < 0 else close + 1
        else:
            lines[-1] += char
            index += 1
    return [line.replace(WORD_JOINER, "").strip(RLM) for line in lines]


def render_ass(transcript: Transcript) -> str:
    """The transcript's cues as an ASS script with one ``Default`` style (UTF-8 text, LF line endings).

    Raises:
        FormatError: a cue ends past 9:59:59.99, the last time ASS can write.
    """
    if transcript.cues and transcript.cues[-1].end_ms > LAST_MS:
        raise FormatError(
            f"cue {len(transcript.cues)} ends at {transcript.cues[-1].end_ms / 1000:.3f} s; ASS times stop at 9:59:59.99",
            stream_id=transcript.stream_id, hint="Give an earlier `start_timecode`, or leave `ass` out of `formats`.",
        )
    subs = pysubs2.SSAFile()
    subs.info.update({"Title": transcript.stream_id, "PlayResX": str(PLAY_RES[0]), "PlayResY": str(PLAY_RES[1]),
                      "WrapStyle": "2", "ScaledBorderAndShadow": "yes"})
    subs.styles["Default"] = pysubs2.SSAStyle(
        fontname="Arial", fontsize=54, primarycolor=pysubs2.Color(255, 255, 255), outlinecolor=pysubs2.Color(0, 0, 0),
        backcolor=pysubs2.Color(0, 0, 0, 128), outline=3, shadow=1, borderstyle=1,
        alignment=pysubs2.Alignment.BOTTOM_CENTER, marginl=192, marginr=192, marginv=60,
    )
    # ASS counts centiseconds: in-times round up and out-times down, so no gap between cues shrinks.
    subs.events = [
        pysubs2.SSAEvent(start=-(-cue.start_ms // 10) * 10, end=max(cue.end_ms // 10 * 10, -(-cue.start_ms // 10) * 10 + 10),
                         text="\\N".join(escape(line) for line in cue.lines))
        for cue in transcript.cues
    ]
    return str(subs.to_string("ass"))
