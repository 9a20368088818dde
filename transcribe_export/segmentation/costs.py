"""What the segmenter's dynamic program pays for each choice, and why.

The preset's limits are hard (a cue that breaks one is never chosen while
another way exists); the guides' *preferences* are these costs. Only their
relative sizes matter, and their order is the design: a cue that ends
mid-phrase is what viewers notice most, so a plain cue end costs far more
than a plain line break, and splitting an article from its noun costs more
than ending a cue anywhere else. Changing one reorders the guides'
priorities: run ``benchmarks/quality.py`` and ``tests/test_segmenter.py``
after, and regenerate the golden files on purpose.

Sources (links in ``docs/caption-rules.md``): Netflix Timed Text Style Guide,
General Requirements, "Line Treatment" (N-GEN) and Subtitle Timing
Guidelines (N-TIM); BBC Subtitle Guidelines (BBC, by section); DCMP
Captioning Key, "Line division" (DCMP).
"""

from __future__ import annotations

import math

__all__ = [
    "ADJECTIVE", "AFTER_ARTICLE", "BAD_AFTER", "CLAUSE_BEFORE", "CUE_COST", "CUE_END", "FORCED", "GOOD_BEFORE",
    "INNER_SENTENCE", "LINE_BREAK", "LONG_TOP_SLOPE", "LONG_TOP_STEP", "NAME", "ORPHAN", "PARTICLE", "SHORT_CUE",
    "SHORT_TOP", "SHORT_TOP_SLOPE", "SPEED_SLOPE", "SPEED_STEP", "balance_cost", "pause_bonus", "reading_speed_cost",
]

INF = math.inf

#: Every cue costs a little, so the text isn't cut into more cues than it needs
#: (N-GEN "Line Treatment": keep text together unless a limit forces a break).
CUE_COST = 10.0

#: A cue ending at each kind of break: at a sentence end, then clause punctuation,
#: then a pause (BBC 3.2 one sentence per subtitle, 3.9 clause boundaries; DCMP
#: "break at a logical point where speech pauses"); "length" is anywhere else.
CUE_END = {"sentence": 0.0, "clause": 4.0, "pause": 6.0, "length": 60.0}

#: The same kinds as a line break inside a cue: much cheaper, as a reader
#: takes in both lines at once (N-GEN "Line Treatment": after punctuation).
LINE_BREAK = {"sentence": 0.0, "clause": 2.0, "pause": 3.0, "length": 7.0}

#: A break right after a preposition, conjunction, subject pronoun or auxiliary
#: (N-GEN "Line Treatment"; BBC 3.4; DCMP: not after a conjunction).
BAD_AFTER = 45.0

#: A break right after an article or determiner: the noun must follow on the
#: same line (N-GEN "Line Treatment": never separate a noun from its article).
AFTER_ARTICLE = 75.0

#: A break right before a Japanese or Chinese particle, which belongs to the
#: word before it (Netflix Chinese guide: no particle alone on a line).
PARTICLE = 45.0

#: A break between an adjective and the content word after it, most likely its noun (N-GEN
#: "Line Treatment": do not separate a noun from its adjective). Lower than BAD_AFTER: the
#: adjective is guessed from a word list and endings.
ADJECTIVE = 20.0

#: A break between two capitalised words, likely a first and a last name
#: (N-GEN "Line Treatment"; DCMP: a name or title from its name).
NAME = 25.0

#: A bonus for a break right before a preposition or conjunction, where a new
#: phrase starts (N-GEN "Line Treatment": before conjunctions, before prepositions),
#: in full as a cue end and as a line break (a pause's bonus counts half as a line
#: break: both lines are read at once); the line shape is a tie-breaker after it
#: (N-GEN: the bottom-heavy pyramid "when several line breaks are possible").
GOOD_BEFORE = 4.0

#: More for a break right before a conjunction or a relative pronoun, on top of GOOD_BEFORE: a
#: clause starts there, a deeper boundary than a phrase's (BBC 3.9: "at clause boundaries, or at
#: major phrase boundaries"; N-GEN "Line Treatment" names conjunctions before prepositions).
CLAUSE_BEFORE = 4.0

#: A one-word cue that no pause sets apart (DCMP: avoid one-word captions).
ORPHAN = 30.0

#: A cue the next one follows too soon for it to stay up for the preset's minimum duration
#: (N-TIM: at least 5/6 of a second), in proportion to the time it lacks (this much for all of it):
#: joined to a neighbour where the limits allow, unless that costs more (a cue a few milliseconds
#: short stays rather than split a sentence across lines).
SHORT_CUE = 60.0

#: A top line of one word (Netflix Chinese and English guides: avoid a top line
#: of only one or two words).
SHORT_TOP = 6.0

#: A sentence ends inside a cue and another begins (BBC 3.2; DCMP: do not end one
#: sentence and begin another on the same line unless both are short).
INNER_SENTENCE = 16.0

#: A cue past the limits, taken only where the timestamps leave no other way.
FORCED = 1000.0


def pause_bonus(gap_ms: int) -> float:
    """The longer the pause at a break, the better the break (up to 3).

    >>> pause_bonus(300), pause_bonus(1000), pause_bonus(5000)
    (0.6, 2.0, 3.0)
    """
    return min(3.0, gap_ms / 500)


#: The shape of the two costs below (the segmenter's inner loops repeat them inline, with these names).
LONG_TOP_STEP, LONG_TOP_SLOPE, SHORT_TOP_SLOPE = 2.0, 10.0, 3.0
SPEED_STEP, SPEED_SLOPE = 2.0, 20.0


def balance_cost(top: float, bottom: float, limit: float) -> float:
    """Two lines of a cue: balanced lines cost nothing, a shorter top line a little, and a
    longer top line a step, then more (the bottom-heavy pyramid of the Netflix language guides).

    >>> balance_cost(30, 30, 42) < balance_cost(20, 30, 42) < balance_cost(30, 20, 42)
    True
    """
    return LONG_TOP_STEP + (top - bottom) / limit * LONG_TOP_SLOPE if top > bottom else (bottom - top) / limit * SHORT_TOP_SLOPE


def reading_speed_cost(cps: float, max_cps: float) -> float:
    """A cue read faster than the preset's characters per second: a step, then in
    proportion to the excess (N-EN reading speed limits; BBC 4 subtitle speed).

    >>> reading_speed_cost(15, 20), reading_speed_cost(25, 20)
    (0.0, 7.0)
    """
    return SPEED_STEP + SPEED_SLOPE * (cps / max_cps - 1) if cps > max_cps else 0.0
