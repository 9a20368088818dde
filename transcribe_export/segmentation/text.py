"""Joining tokens into display text: which tokens take a space between them.

HeyGen sends punctuation as its own token (``Hello`` ``,`` ``world`` ``.``),
so the text a viewer reads has to be rebuilt. The rules are one table,
:data:`RULES`, applied in order to each pair of neighbouring tokens; the
first that matches decides. Tokens glued together form a *chunk*, the
unit a line or cue break may fall between.

>>> join(["Hello", ",", "world", "."])
'Hello, world.'
>>> join(["¿", "Qué", "tal", "?"])
'¿Qué tal?'
>>> join(["It", "grew", "3", ".", "5", "%"], times=[(0, 1), (1, 2), (2, 3), (3, 3), (3, 4), (4, 4)])
'It grew 3.5%'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from transcribe_export.models import Chunk, Word
from transcribe_export.scripts import char_class
from transcribe_export.segmentation.languages import UNSPACED_RANGES, Language
from transcribe_export.segmentation.languages import language as language_table

__all__ = [
    "CLAUSE_END", "RULES", "SENTENCE_END", "chunk_words", "display_token", "join", "join_chunks", "quotes_after", "shown_tokens",
    "uses_own_spacing",
]

# Tokens whose neighbours abut in time (gap at most this) may be glued:
# "3" "." "5" is a decimal, but "3" "." (pause) "5" is a sentence then a number.
ABUT_MS = 10

OPENING = set("([{“‘«¿¡「『（【〈《〔［｛")
CLOSING = set(".,;:!?%)]}”’»…。、，．！？：；」』）】〉》〕］｝،؛؟۔")
# Between abutting alphanumeric tokens these glue both sides: URLs, e-mail,
# times, decimals and hyphenated words (example . com / help, 10 : 30, well - known).
# Text-to-speech timings are often contiguous, so "." and ":" glue only where
# a sentence or clause can't be ending: "." before a digit or a lowercase
# letter (3.5, example.com), ":" between digits (10:30). "," "&" "?" never do.
CONNECTORS = {".", ":", "/", "@", "_", "-"}
CURRENCY = set("$€£¥₹#")
SENTENCE_END = set(".!?…。！？．؟۔")
# A full stop that ends one of these does not end the sentence.
ABBREVIATIONS = {
    "a.m.", "p.m.", "e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "jr.", "sr.",
    "no.", "approx.", "dept.", "inc.", "ltd.", "u.s.", "u.k.", "sra.", "dra.", "ud.", "uds.", "mme.", "m.",
}
_NOT_SENTENCE_END = ABBREVIATIONS - {"etc."}  # "etc." usually does end the sentence
CLAUSE_END = set(",;:—–、，；：،؛")
NBSP = "\u00a0"
# French and Italian elisions: the apostrophe glues to the next word (l'homme).
ELISIONS = {
    "l", "d", "j", "qu", "c", "n", "s", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu",
    "un", "dell", "all", "nell", "sull", "dall", "po",
}
# Runs of white space become one space; a no-break space is kept (French needs it).
_WHITESPACE = re.compile(r"[^\S\u00a0\u202f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff]")


def display_token(text: str) -> str:
    """A token as a player should show it: whitespace runs become one space,
    invisible control characters go (they can't be shown and some break parsers).

    >>> display_token("new\\nline"), display_token("a\\x00b"), display_token("  hi")
    ('new line', 'ab', ' hi')
    """
    if text.isprintable() and "  " not in text:
        return text  # the usual token: nothing to change (isprintable is False for controls and odd spaces)
    return _WHITESPACE.sub(" ", _CONTROL.sub("", text))


_UNSPACED = functools.cache(lambda: char_class(UNSPACED_RANGES))  # on first use: 2 ms to compile
# Below this code point no script is written without spaces, so two alphanumeric
# characters there can only take a space: the joiner's fast path. Derived from the
# language table, so a language added there (Thai, say) is never skipped by it.
_FAST_PATH_BELOW = chr(min((lo for lo, _ in UNSPACED_RANGES), default=0x110000))


def _unspaced(ch: str) -> bool:
    """A character of a script written without spaces between words.

    >>> _unspaced("語"), _unspaced("。"), _unspaced("a"), _unspaced("한")
    (True, True, False, False)
    """
    return _UNSPACED().match(ch) is not None


@dataclass(slots=True)  # not frozen: a frozen dataclass is slower to build, and one is built per punctuation token
class _Pair:
    """What a rule sees: the previous display text, this token, and their timing."""

    before: str  # the text of the token before the previous one ("" if none)
    prev: str
    cur: str
    gap_before_ms: int  # from the token before `prev` to `prev`
    gap_ms: int  # from `prev` to `cur`
    quote_open: bool  # a straight double quote is open
    single_open: bool  # a straight single quote is open
    language: Language


def _abuts(gap_ms: int) -> bool:
    return gap_ms <= ABUT_MS


def _connects(connector: str, left: str, right: str) -> bool:
    """May ``connector`` glue ``left`` (the char before) to ``right`` (the char after)?"""
    if not (left.isalnum() and right.isalnum()):
        return False
    if connector == ".":
        return right.isdigit() if left.isdigit() else right.isdigit() or right.islower()
    if connector == ":":
        return left.isdigit() and right.isdigit()
    return True


GLUE, SPACE, TIGHT, GLUE_NBSP = "glue", "space", "tight", "nbsp"
Rule = tuple[str, Callable[["_Pair"], "str | None"]]

# Each rule returns GLUE (no space, no break: "world" "."), GLUE_NBSP (a
# no-break space, no break: French "Quoi ?"), SPACE (a space, a break may
# fall there), TIGHT (no space, but a break may fall there, as between CJK
# words) or None (no opinion: the next rule decides).


def _no_break_space(p: _Pair) -> str | None:
    before, after = p.language.nbsp_before, p.language.nbsp_after
    return GLUE_NBSP if (before and p.cur[0] in before) or (after and p.prev[-1] in after) else None


def _opening(p: _Pair) -> str | None:
    return GLUE if p.prev[-1] in OPENING else None


def _straight_quote(p: _Pair) -> str | None:
    if p.cur == '"':
        return GLUE if p.quote_open else SPACE  # closing glues left; opening takes a space
    if p.cur == "'":
        return GLUE if p.single_open else SPACE  # single quotes pair the same way
    if p.prev == '"' and p.quote_open or p.prev == "'" and p.single_open:
        return GLUE  # an opening quote glues right
    return None


def _closing(p: _Pair) -> str | None:
    return GLUE if p.cur[0] in CLOSING else None


# What follows an apostrophe and belongs to the word before it (English contractions).
CLITICS = {"s", "t", "re", "ve", "ll", "d", "m"}


def _clitic(p: _Pair) -> str | None:
    # "'s" glues to its word; a quoted word ("'bye'") is not a clitic, and takes its space.
    return GLUE if p.cur[0] in "'’" and p.cur[1:].lower() in CLITICS else None


def _elision(p: _Pair) -> str | None:
    return GLUE if p.prev[-1] in "'’" and p.prev[:-1].lower() in ELISIONS and p.cur[0].isalpha() else None


def _abbreviation(p: _Pair) -> str | None:
    # "i.e" "." "not": the full stop closes the abbreviation, and the next word takes its space back.
    if p.prev == "." and p.before and (p.before + ".").lower() in ABBREVIATIONS and p.cur[0].isalpha():
        return SPACE
    return None


def _connector(p: _Pair) -> str | None:
    # The connector itself glues left when what follows it can be checked
    # only later, so "a" "/" glue here and "/" "b" glue below when both abut.
    if p.cur in CONNECTORS and p.cur not in ".:" and p.prev[-1].isalnum() and _abuts(p.gap_ms):
        return GLUE
    if p.prev in CONNECTORS and p.before and _abuts(p.gap_ms) and _abuts(p.gap_before_ms):
        return GLUE if _connects(p.prev, p.before[-1], p.cur[0]) else None
    return None


def _currency(p: _Pair) -> str | None:
    return GLUE if p.prev in CURRENCY and p.cur[0].isdigit() else None


def _tight(p: _Pair) -> str | None:
    return TIGHT if _unspaced(p.prev[-1]) and _unspaced(p.cur[0]) else None


def _space(p: _Pair) -> str | None:
    return SPACE


RULES: list[Rule] = [
    ("a no-break space where the language wants one (French: before ? ! : ; », after «)", _no_break_space),
    ("an opening bracket, quote, ¿ or ¡ glues to the next token", _opening),
    ("a straight double quote opens or closes by turns", _straight_quote),
    ("closing punctuation glues to the token before it", _closing),
    ("a clitic glues to its word (don 't, we 're)", _clitic),
    ("an elided article glues to its word (l' homme)", _elision),
    ("an abbreviation's full stop is followed by a space (i.e. not, a.m. to)", _abbreviation),
    ("a connector between abutting alphanumerics glues (3 . 5, example . com, 10 : 30, and / or)", _connector),
    ("a currency sign glues to the number after it ($ 20)", _currency),
    ("a script without spaces (CJK) takes none between words, but may break there", _tight),
    ("otherwise one space", _space),
]


#: how many tokens (after the first) tell whether tokens carry their own spaces: the answer depends on
#: these alone, so a live session knows it once they have arrived (and one odd token later can't
#: change how a whole session is joined).
OWN_SPACING_SAMPLE = 20


def uses_own_spacing(texts: Sequence[str]) -> bool:
    """True if the tokens carry their own leading spaces (Whisper and LLM tokens do): one of
    the first :data:`OWN_SPACING_SAMPLE` tokens after the first starts with white space.

    >>> uses_own_spacing(["Hello", " world", ","]), uses_own_spacing(["Hello", "world"])
    (True, False)
    """
    texts = texts[1 : OWN_SPACING_SAMPLE + 1]
    firsts = "".join([t[:1] for t in texts])
    if " " not in firsts and firsts.isprintable():
        return False  # no token starts with white space (printable excludes every white space but " ")
    return any(t[:1].isspace() for t in texts)


def _ends(text: str) -> tuple[bool, bool]:
    """Does the text end a sentence, or a clause? A closing quote or bracket after the mark counts.

    >>> _ends("it.”"), _ends("a.m."), _ends("well,"), _ends("日本語。")
    ((True, False), (False, False), (False, True), (True, False))
    """
    core = text.rstrip("\"'”’»)]」』）\u00a0")
    if not core:
        return False, False
    if core[-1] in SENTENCE_END:
        return core.rsplit(" ", 1)[-1].lower() not in _NOT_SENTENCE_END, False
    return False, core[-1] in CLAUSE_END


def shown_tokens(texts: Sequence[str]) -> list[str]:
    """The tokens as :func:`chunk_words` reads them (:func:`display_token` where one needs it)."""
    return [t if t.isprintable() and "  " not in t else display_token(t) for t in texts]


def quotes_after(texts: Sequence[str], quotes: tuple[bool, bool] = (False, False)) -> tuple[bool, bool]:
    """Whether a straight double and a straight single quote are open after these tokens
    (``quotes``: as they were before them), as :func:`chunk_words` pairs them."""
    double, single = quotes
    for text in shown_tokens([t for t in texts if '"' in t or "'" in t]):
        stripped = text.strip()
        double ^= stripped == '"'
        single ^= stripped == "'"
    return double, single


def chunk_words(
    words: Sequence[Word], language: str = "en", *, own_spacing: bool | None = None, quotes: tuple[bool, bool] = (False, False)
) -> list[Chunk]:
    """Glue tokens into chunks by :data:`RULES` (or by their own leading spaces).

    Tokens that show nothing (empty, or only control characters) ride with
    their neighbours, so no cue is ever blank. Only a session of nothing but
    blank tokens gives a chunk with empty text.

    For a stretch of a session read on its own (:mod:`.stream`): ``own_spacing``, the session's
    :func:`uses_own_spacing` (by default judged from these words), and ``quotes``, the straight
    quotes open before the first word (:func:`quotes_after` of the words before).
    """
    table = language_table(language)
    shown = shown_tokens([w.text for w in words])
    if own_spacing is None:
        own_spacing = uses_own_spacing(shown)
    starts = [w.start_ms for w in words]
    ends = [w.end_ms for w in words]
    chunks: list[Chunk] = []
    parts: list[str] = []
    visible = False  # the open chunk shows something
    first = end_ms = 0
    sep = " "  # what stands before the open chunk
    prev = before = ""
    prev_index = before_index = -1
    quote_open, single_open = quotes
    # After these marks, before a letter or digit, every rule but the last has no opinion (unless the
    # language puts a no-break space there): no connector, quote, apostrophe, bracket or currency sign.
    after_mark = set() if any(c.isalnum() for c in table.nbsp_before) else set(",;!?.") - set(table.nbsp_after)
    for index, text in enumerate(shown):
        stripped = text.strip()
        if not parts or not stripped or not visible:
            joint = GLUE if parts else SPACE
        elif own_spacing:
            joint = SPACE if text[:1].isspace() else GLUE
        elif stripped[0] < _FAST_PATH_BELOW and stripped[0].isalnum() and prev[-1] < _FAST_PATH_BELOW and (
            prev[-1].isalnum() or prev[-1] in after_mark and (prev != "." or starts[index] - ends[prev_index] > ABUT_MS)
        ):
            # A plain word after a plain word or a mark ending a clause or sentence (the usual cases): no
            # rule but "one space" can apply (a full stop between abutting words may be a connector,
            # 3.5, example.com). The open chunk closes and this word opens the next: what the code below
            # does, in fewer steps.
            if len(parts) == 1 and parts[0][-1:].isalnum():  # _chunk's usual case: one plain word
                chunks.append(Chunk(parts[0], first, index - 1, starts[first], end_ms, sep))
            else:
                chunks.append(_chunk(parts, sep, first, index - 1, starts, end_ms))
            parts = [stripped]
            first, end_ms, sep = index, ends[index], " "
            before, prev = prev, stripped
            before_index, prev_index = prev_index, index
            continue
        else:
            pair = _Pair(
                before=before,
                prev=prev,
                cur=stripped,
                gap_before_ms=starts[prev_index] - ends[before_index] if before_index >= 0 else 0,
                gap_ms=starts[index] - ends[prev_index],
                quote_open=quote_open,
                single_open=single_open,
                language=table,
            )
            for _, rule in RULES:
                found = rule(pair)
                if found is not None:
                    joint = found
                    break
        if joint not in (GLUE, GLUE_NBSP) and parts:
            chunks.append(_chunk(parts, sep, first, index - 1, starts, end_ms))
            parts = []
        if not parts:
            first, end_ms, visible = index, ends[index], False
            sep = "" if joint == TIGHT else " "
        parts.append(text if own_spacing else NBSP + stripped if joint == GLUE_NBSP else stripped)
        end_ms = max(end_ms, ends[index])
        if stripped:
            visible = True
            quote_open ^= stripped == '"'
            single_open ^= stripped == "'"
            before, prev = prev, stripped
            before_index, prev_index = prev_index, index
    if parts:
        chunks.append(_chunk(parts, sep, first, len(words) - 1, starts, end_ms))
    return chunks


def _chunk(parts: list[str], sep: str, first: int, last: int, starts: list[int], end_ms: int) -> Chunk:
    text = parts[0] if len(parts) == 1 else "".join(parts)
    if "  " in text:  # display_token left single spaces only; joined parts may put two together
        text = _WHITESPACE.sub(" ", text)
    text = text.strip()
    if text[-1:].isalnum():  # most chunks are a plain word: it ends neither a sentence nor a clause
        return Chunk(text, first, last, starts[first], end_ms, sep)
    return Chunk(text, first, last, starts[first], end_ms, sep, *_ends(text))


def join_chunks(chunks: Sequence[Chunk]) -> str:
    """The display text of consecutive chunks, each with its separator.

    >>> join_chunks(chunk_words([Word("日本", 0, 1), Word("語", 1, 2), Word("OK", 3, 4)]))
    '日本語 OK'
    """
    if not chunks:
        return ""
    return chunks[0].text + "".join(c.sep + c.text for c in chunks[1:])


def join(texts: Sequence[str], times: Sequence[tuple[float, float]] | None = None, language: str = "en") -> str:
    """Join tokens into one line of display text (a convenience for examples and tests)."""
    if times is None:
        times = [(i, i + 0.5) for i in range(len(texts))]  # well apart: nothing abuts
    words = [Word(t, s, e) for t, (s, e) in zip(texts, times)]
    return join_chunks(chunk_words(words, language))
