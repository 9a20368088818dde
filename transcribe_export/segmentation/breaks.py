"""Where a break may fall, and what it costs: one pass over the chunks before the segmenter cuts.

Each place between two chunks gets a kind (a sentence ends there, a clause,
a pause, or only the length forces it) and two costs, as a cue end and as a
line break: the guides' preferences of :mod:`.costs` (never right after an
article, a preposition, an auxiliary, an adjective before its noun, a number
before its unit; not inside a bracketed label or a quotation; not between a
first and a last name; not before a Japanese or Chinese particle; a bonus
before a preposition or a conjunction, and for a pause).
"""

from __future__ import annotations

import re
from typing import Sequence

from transcribe_export.models import Chunk, Word
from transcribe_export.segmentation.costs import (
    ADJECTIVE,
    AFTER_ARTICLE,
    BAD_AFTER,
    CLAUSE_BEFORE,
    CUE_END,
    GOOD_BEFORE,
    LINE_BREAK,
    NAME,
    PARTICLE,
    pause_bonus,
)
from transcribe_export.segmentation.languages import COPULAS, PARTICIPLE_ENDINGS, language
from transcribe_export.segmentation.presets import Preset

__all__ = ["bracket_depth", "breaks"]

_TRAILING = "\"'”’»)]」』）.,;:!?…。、，！？：；"


def _first_word(chunk: Chunk) -> str:
    return chunk.text.split(" ", 1)[0].strip(_TRAILING + "¿¡«“‘(").lower()


def _last_word(chunk: Chunk) -> str:
    return chunk.text.rsplit(" ", 1)[-1].strip(_TRAILING).lower()


_NUMBER = re.compile(r"[$€£¥]?\d[\d.,:]*%?")
_OPENERS = "([「『"
_CLOSERS = ")]」』"
_BRACKET = re.compile("[" + re.escape(_OPENERS + _CLOSERS) + "]")


def bracket_depth(texts: Sequence[str], depth: int = 0) -> int:
    """How deep inside brackets or Japanese quotes the chunks with these texts leave a session that
    was ``depth`` deep before them (as :func:`breaks` counts, chunk by chunk)."""
    for text in texts:
        if not text.isalnum() and _BRACKET.search(text):
            depth = max(0, depth + sum(text.count(c) for c in _OPENERS) - sum(text.count(c) for c in _CLOSERS))
    return depth


def breaks(
    chunks: Sequence[Chunk], words: Sequence[Word], preset: Preset, depth: int = 0
) -> tuple[list[float], list[float], list[str]]:
    """The break after each chunk (the last has none): its cost as a cue end, its cost as a line break,
    and its kind (``sentence``, ``clause``, ``pause``, ``length``), as three lists.

    ``depth``: the brackets open before the first chunk (:func:`bracket_depth`), for a stretch of a session.
    """
    table = language(preset.language)
    after, articles, before, particles = table.no_break_after, table.articles, table.break_before, table.particles
    # the bonus before a word that starts a new unit: a phrase, or more for a clause
    opens = {word: GOOD_BEFORE + (CLAUSE_BEFORE if word in table.clause_before else 0.0) for word in before}
    copulas = frozenset(COPULAS.get(table.code, "").split())
    participles = PARTICIPLE_ENDINGS.get(table.code, ())
    adjectives, adjective_endings = table.adjectives, table.adjective_endings
    good_pause = preset.good_pause_ms
    cue_costs: list[float] = []
    line_costs: list[float] = []
    reasons: list[str] = []
    # depth: inside brackets or Japanese quotes (a sound label, a quotation)
    for k in range(len(chunks) - 1):
        chunk, nxt = chunks[k], chunks[k + 1]
        text = chunk.text
        gap = nxt.start_ms - chunk.end_ms
        plain = text.isalnum()  # one plain word (the usual chunk): no bracket, no mark
        if not plain and _BRACKET.search(text):
            depth = bracket_depth((text,), depth)
        if chunk.sentence_end or nxt.text.startswith(("(", "[")) or (
            not plain and depth == 0 and text.rstrip(".,;:!?").endswith((")", "]"))
        ):
            reason = "sentence"  # a sentence, or a sound label, stands as its own unit
        elif chunk.clause_end:
            reason = "clause"
        elif gap >= good_pause:
            reason = "pause"
        else:
            reason = "length"
        bonus = pause_bonus(gap) if reason == "pause" else 0.0
        pause_part = bonus  # a pause counts half as a line break (both lines are read at once); syntax counts in full
        penalty = 0.0
        if reason == "length" or reason == "pause":
            if plain:
                raw = last = text.lower()
            else:
                raw = text.rsplit(" ", 1)[-1].lower().replace("\u2019", "'")
                last = _last_word(chunk).replace("\u2019", "'")
                if "'" in last:  # an elided form counts as its word: n'est -> est, c'était -> était
                    last = last.rsplit("'", 1)[1]
            if last in articles or raw.endswith("'"):  # l', qu': the apostrophe binds it to the next word
                penalty += AFTER_ARTICLE
            elif (last[:1].isdigit() or last[:1] in "$€£¥") and _NUMBER.fullmatch(last):
                penalty += BAD_AFTER  # a number stays with its unit: $20 / per month, 3.5% / discount
            elif last in after and last not in copulas:
                penalty += BAD_AFTER
            else:
                following = nxt.text.lower() if nxt.text.isalnum() else _first_word(nxt)
                if (
                    (last in adjectives or len(last) > 4 and last.endswith(adjective_endings))
                    and following.isalpha() and following not in after and following not in before
                ):
                    penalty += ADJECTIVE  # an adjective, then a content word: most likely its noun
                if last in copulas:
                    if not following.endswith(participles):
                        pass  # a copula: its predicate may go to the next line (only an auxiliary binds its verb)
                    elif last in after:
                        penalty += BAD_AFTER
                    elif following in before:
                        bonus += opens[following]
                elif following in before:
                    bonus += opens[following]
            if (
                k > 0 and text[:1].isupper() and nxt.text[:1].isupper() and not chunks[k - 1].sentence_end
                and " " not in text and _last_word(chunk) != "i"
            ):
                penalty += NAME
        if particles and words[nxt.first].text.strip() in particles:
            penalty += PARTICLE
        if depth:  # keep a bracketed label or a 「quotation」 whole where the limits allow
            penalty += BAD_AFTER
        cue_costs.append(CUE_END[reason] - bonus + penalty)
        line_costs.append(LINE_BREAK[reason] - bonus + pause_part / 2 + penalty)
        reasons.append(reason)
    return cue_costs, line_costs, reasons
