"""Writing systems: what the stages need to know about characters.

Shared by the segmenter (which scripts take no spaces between words) and the
writers (running text joins Chinese and Japanese lines without a space), so
neither reaches into the other. Which script a *language* uses lives in
:mod:`transcribe_export.segmentation.languages`.
"""

from __future__ import annotations

import functools
import re
from typing import Sequence

__all__ = ["CJK_RANGES", "RLM", "WORD_JOINER", "is_cjk", "is_rtl", "join_lines", "rtl_marked"]

#: Chinese and Japanese characters and full-width marks (Hangul is spaced, so not here):
#: CJK radicals, symbols and punctuation, kana, bopomofo, ideographs (with extension A
#: and the compatibility block), full- and half-width forms, and extensions B onwards.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),
    (0x3000, 0x30FF),
    (0x3100, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)


def char_class(ranges: Sequence[tuple[int, int]]) -> re.Pattern[str]:
    """A regular expression matching one character in any of ``ranges``.

    >>> bool(char_class([(0x41, 0x5A)]).match("Q")), bool(char_class([(0x41, 0x5A)]).match("q"))
    (True, False)
    """
    return re.compile("[" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges) + "]")


@functools.cache
def _cjk() -> re.Pattern[str]:
    return char_class(CJK_RANGES)  # on first use: a class this wide takes 2 ms to compile
_CJK_FIRST = chr(min(lo for lo, _ in CJK_RANGES))  # below it, no character is CJK


def is_cjk(ch: str) -> bool:
    """A Chinese or Japanese character or full-width mark.

    >>> is_cjk("語"), is_cjk("。"), is_cjk("a"), is_cjk("한")
    (True, True, False, False)
    """
    return _cjk().match(ch) is not None


def join_lines(pieces: Sequence[str]) -> str:
    """Join lines or cue texts into running text: a space between, none between CJK.

    >>> join_lines(["Hello,", "world."]), join_lines(["日本語です。", "はい。"])
    ('Hello, world.', '日本語です。はい。')
    """
    # One list joined once: `out += piece` is quadratic once the text outgrows what realloc can
    # extend in place (the whole transcript's text of ten hours took 0.13 s that way under a profiler).
    out: list[str] = []
    last = ""  # the last character written so far
    for piece in pieces:
        if not piece:
            continue
        if last and not (last >= _CJK_FIRST and piece[0] >= _CJK_FIRST and is_cjk(last) and is_cjk(piece[0])):
            out.append(" ")
        out.append(piece)
        last = piece[-1]
    return "".join(out)


def is_rtl(text: str) -> bool:
    """The text's first strong character reads right to left (Arabic, Hebrew, ...): its base direction (UAX #9, P2-P3).

    >>> is_rtl("«مرحبا» world"), is_rtl("3 שלום"), is_rtl("hello مرحبا"), is_rtl("123.")
    (True, True, False, False)
    """
    if text.isascii():
        return False  # no right-to-left letter in it (the usual line: checked in constant time)
    from unicodedata import bidirectional

    for ch in text:
        kind = bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


#: U+200F RIGHT-TO-LEFT MARK: invisible, a strong right-to-left character.
RLM = "\u200f"
#: U+2060 WORD JOINER: invisible, zero-width, no line break; the writers put it after a mark a
#: player would read as markup (``<``, ``{``, ``\``), so the mark is shown as spoken.
WORD_JOINER = "\u2060"


def rtl_marked(line: str) -> str:
    """A right-to-left line with a U+200F mark at each end, so its punctuation takes the line's direction.

    Players that lay a line out left to right (libass: ffmpeg, mpv) would put an Arabic
    sentence's full stop at its right end; between two right-to-left marks it goes to the
    left, where it belongs (Unicode Bidirectional Algorithm, rules N1-N2). Browsers find
    the direction from the text anyway; the marks change nothing there.

    >>> rtl_marked("مرحبا.") == "\u200fمرحبا.\u200f", rtl_marked("Hello.")
    (True, 'Hello.')
    """
    return f"{RLM}{line}{RLM}" if is_rtl(line) else line
