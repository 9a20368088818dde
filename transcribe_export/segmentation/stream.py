"""Cues from a session read in stretches: memory the size of a stretch, not of the session.

:class:`StreamSegmenter` takes words in start order (``add``) and gives out
the cues that have become final; ``finish`` gives the rest. Put together they
are :func:`~.segmenter.segment` of the whole session, cue for cue and byte for
byte, as :class:`~.live.LiveSegmenter`'s are; but where the live segmenter
cuts the whole session again on every call, this one cuts only a *stretch*:
the words from the last cue it gave out to the newest, and then lets the words
before it go. A ten-hour session is cut in the memory of a
few thousand words (``convert``, :mod:`transcribe_export.run.stream`).

Why the stretch gives the session's cues:

* its cues before ``begin`` (where the last given cue stops) are final: every
  cutting of the longer session passes through ``begin``
  (:meth:`.segmenter._Plan._final_stop`), so the program may start no cue
  before it, and carries the session's cost up to it
  (:meth:`.segmenter._Plan.solve`'s ``seed``): each sum is then the very float
  the whole session's program adds, and ties fall the same way;
* the stretch starts with the last given cue, cut again, so the next cue's
  times and reasons see their neighbour as the whole session's do
  (``why_kept``); what the program reads of the words before it is carried:
  the brackets open (a sound label's breaks) and the straight quotes open (how
  tokens join). Not the latest end so far, which decides where a cue may
  start: a cue starts where the stretch does, so everything before it has
  ended by then. The joins read the token before the previous one only where
  that previous one is a full stop or a connector (``3.5``, ``me@example``),
  and such a token, glued to what precedes it, never opens a cue; the
  stretch's chunks are checked against the last cut's all the same;
* what the whole session decides from its first words is decided from them:
  the language (``auto`` reads at most 3,000 words,
  :func:`.languages.identify`) and whether tokens carry their own spaces.

Where the words' times overlap so that no cue fits the limits, or two cues
share a frame, the whole session's cut divides or moves cues and warns with
their numbers: there :class:`CannotStream` is raised, and the caller cuts the
whole session instead. So is it for a word that starts before the one before
it (the collector then reorders the session). A stretch whose chunks come out
other than the stretch before read them raises it too: by the reasoning above
it never happens, and it would mean the carried state is incomplete.
"""

from __future__ import annotations

from typing import Iterable

from transcribe_export.models import Chunk, Cue, Word
from transcribe_export.segmentation.breaks import bracket_depth
from transcribe_export.segmentation.cues import make_cues, timing
from transcribe_export.segmentation.languages import Detection
from transcribe_export.segmentation.presets import DEFAULT_PRESET, Preset, PresetChoice, resolve_preset_detected
from transcribe_export.segmentation.segmenter import _Plan
from transcribe_export.segmentation.text import OWN_SPACING_SAMPLE, chunk_words, quotes_after, shown_tokens, uses_own_spacing

__all__ = ["LANGUAGE_SAMPLE", "STRETCH_WORDS", "CannotStream", "StreamSegmenter"]

#: The words ``auto`` may read before it is sure of the language (:func:`.languages.identify`).
LANGUAGE_SAMPLE = 3000
#: New words that make a stretch: more cuts the overlap (about a cue) again less often, fewer holds less memory.
STRETCH_WORDS = 2000


class CannotStream(Exception):
    """The session can't be cut in stretches to the byte (see the module): cut it whole."""


def _keys(chunks: list[Chunk], shift: int) -> list[tuple[object, ...]]:
    """What identifies each chunk, word indices ``shift`` back; not the first one's separator: a
    stretch can't know what stands before its first token, and nothing reads it (the first
    chunk of a cue or a line is shown without it)."""
    keys: list[tuple[object, ...]] = [(c.text, c.sep, c.first - shift, c.last - shift, c.start_ms, c.end_ms) for c in chunks]
    if keys:
        keys[0] = (keys[0][0], None, *keys[0][2:])
    return keys


class StreamSegmenter:
    """Cut words into cues in stretches (see the module).

    Args:
        preset: as for :func:`~.segmenter.segment`.
        stretch: the new words that make a stretch (:data:`STRETCH_WORDS`).

    >>> words, clock = [], 0.0
    >>> for text in ("Hello there . " * 30).split():
    ...     words.append(Word(text, clock, clock if text == "." else clock + 0.3))
    ...     clock = words[-1].end + (0.5 if text == "." else 0.05)
    >>> stream = StreamSegmenter("netflix-en", stretch=10)
    >>> cues = [c for start in range(0, len(words), 7) for c in stream.add(words[start : start + 7])] + stream.finish()
    >>> from transcribe_export.segmentation.segmenter import segment
    >>> cues == segment(words, preset="netflix-en"), len(stream.words) < 30
    (True, True)
    """

    def __init__(self, preset: Preset | PresetChoice | str | None = None, *, stretch: int = STRETCH_WORDS) -> None:
        self._choice = preset if isinstance(preset, (Preset, PresetChoice)) else PresetChoice(preset or DEFAULT_PRESET)
        self.stretch = stretch
        self.preset: Preset | None = None
        #: what ``auto`` found in the words (``None`` for a named preset), once the preset is known
        self.detection: Detection | None = None
        self.words: list[Word] = []  # the stretch's words: from the last given cue's first on
        self._fresh = 0  # words taken since the last stretch was cut
        self._last_start = -1
        self._own_spacing = False
        self._quotes = (False, False)  # straight quotes open before the stretch's first word
        self._depth = 0  # brackets open before the stretch's first chunk
        self._known: list[tuple[object, ...]] = []  # the stretch's complete chunks, as the last cut read them
        self._begin = 0  # the last given cue is the stretch's chunks 0 to _begin (0: none yet)
        self._seed: tuple[float, tuple[int, ...]] = (0.0, ())
        self._finished = False

    def add(self, words: Iterable[Word]) -> list[Cue]:
        """Take the next words (in start order); return the cues that have become final (possibly none).

        Raises:
            CannotStream: a word starts before the one before it, or the words' times need the whole session.
        """
        if self._finished:
            raise RuntimeError("the session has finished")
        last_start = self._last_start
        before = len(self.words)
        self.words.extend(words)
        for word in self.words[before:]:
            if word.start_ms < last_start:
                raise CannotStream("a word starts before the one before it")
            last_start = word.start_ms
        self._last_start = last_start
        self._fresh += len(self.words) - before
        if self._fresh < self.stretch or not self._ready(complete=False):
            return []
        self._fresh = 0
        return self._cut(complete=False)

    def finish(self) -> list[Cue]:
        """The session has ended: the cues not given out yet."""
        self._finished = True
        self._ready(complete=True)
        return self._cut(complete=True)

    def _ready(self, *, complete: bool) -> bool:
        """Decide what the session's first words decide, once they have arrived (False while they haven't)."""
        if self.preset is not None:
            return True
        sample = LANGUAGE_SAMPLE if self._choice.name == "auto" and self._choice.language is None else OWN_SPACING_SAMPLE + 1
        if not complete and len(self.words) < sample:
            return False
        texts = [w.text for w in self.words]
        self.preset, self.detection = resolve_preset_detected(self._choice, texts[:LANGUAGE_SAMPLE])
        self._own_spacing = uses_own_spacing(shown_tokens(texts[: OWN_SPACING_SAMPLE + 1]))
        return True

    def _cut(self, *, complete: bool) -> list[Cue]:
        preset, words = self.preset, self.words
        assert preset is not None
        chunks = [c for c in chunk_words(words, preset.language, own_spacing=self._own_spacing, quotes=self._quotes) if c.text]
        if _keys(chunks[: len(self._known)], 0) != self._known:
            raise CannotStream("the stretch's chunks differ from the last cut's")
        if not complete:
            chunks = chunks[:-1]  # the last may still take more tokens
            if len(chunks) < self._begin + 2:
                return []
        elif not chunks:
            return []
        plan = _Plan(chunks, words, preset, depth=self._depth)
        cuts = plan.solve(complete=complete, begin=self._begin, seed=self._seed)
        if plan.forced_stops:
            raise CannotStream("the words' times leave no cue within the limits")
        stop = cuts[-1][1] if cuts else self._begin
        if stop <= self._begin:
            return []
        timed_cuts = cuts if complete else [*cuts, (stop, stop + 1, ())]  # the next cue starts at stop: timed with it
        times, pushed = timing(plan, timed_cuts)
        if pushed:
            raise CannotStream("two cues share a frame")
        timed = [(*cut, *t, "") for cut, t in zip(timed_cuts, times) if cut[0] < stop]
        cues = make_cues(plan, words, timed, first=1 if self._begin else 0)
        # Let go of what no later cut reads: all but the last cue given out.
        keep, splits = cuts[-1][0], cuts[-1][2]
        first_word = chunks[keep].first
        self._quotes = quotes_after([w.text for w in words[:first_word]], self._quotes)
        self._depth = bracket_depth([c.text for c in chunks[:keep]], self._depth)
        self._known = _keys(chunks[keep:], first_word)
        self._begin, self._seed = stop - keep, (plan.best[stop], splits)
        self.words = words[first_word:]
        return cues
