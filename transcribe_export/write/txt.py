"""The plain transcript (``.txt``): running text, a paragraph per group of sentences or after a long pause.

For scripts, translation and captions review: no times, no markup, the
cues' lines joined as running text (with a space, none between Chinese or
Japanese characters) and the paragraphs separated by a blank line. A new
paragraph starts after a sentence that is followed by a pause of
:data:`PARAGRAPH_PAUSE` seconds or more, or that closes the
:data:`PARAGRAPH_SENTENCES`-th sentence of the paragraph; a paragraph never
ends inside a sentence, unless the speaker stops for :data:`LONG_PAUSE`.
"""

from __future__ import annotations

from transcribe_export.models import Transcript
from transcribe_export.scripts import join_lines

__all__ = ["LONG_PAUSE", "PARAGRAPH_PAUSE", "PARAGRAPH_SENTENCES", "render_txt", "sentence_ends"]

PARAGRAPH_PAUSE = 1.5
LONG_PAUSE = 4.0
PARAGRAPH_SENTENCES = 5
_CLOSERS = "\"')]}»’”」』）】〉》"
_FINAL = (".", "!", "?", "…", "。", "！", "？", "؟", "۔", "।")


def sentence_ends(text: str) -> bool:
    """The text ends a sentence (closing quotes and brackets aside).

    >>> sentence_ends('He said "no."'), sentence_ends("いいえ。」"), sentence_ends("e.g. a"), sentence_ends("why?)")
    (True, True, False, True)
    """
    return text.rstrip().rstrip(_CLOSERS).endswith(_FINAL)


def render_txt(transcript: Transcript) -> str:
    """The transcript as paragraphs of running text (UTF-8, LF line endings, a blank line between paragraphs)."""
    paragraphs: list[str] = []
    current: list[str] = []
    sentences = 0
    cues = transcript.cues
    for index, cue in enumerate(cues):
        text = join_lines(cue.lines)
        current.append(text)
        if index + 1 == len(cues):
            break
        following = cues[index + 1]
        spoken_end = max((w.end_ms for w in cue.words), default=cue.end_ms)
        pause = ((following.words[0].start_ms if following.words else following.start_ms) - spoken_end) / 1000
        if sentence_ends(text):
            sentences += 1
            if pause >= PARAGRAPH_PAUSE or sentences >= PARAGRAPH_SENTENCES:
                paragraphs.append(join_lines(current))
                current, sentences = [], 0
        elif pause >= LONG_PAUSE:
            paragraphs.append(join_lines(current))
            current, sentences = [], 0
    if current:
        paragraphs.append(join_lines(current))
    return "".join(f"{paragraph}\n\n" if n + 1 < len(paragraphs) else f"{paragraph}\n" for n, paragraph in enumerate(paragraphs))
