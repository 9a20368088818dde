"""Cues while the words still arrive: each given out once no later word can change it.

:class:`LiveSegmenter` takes words as they come (``add``) and returns the cues
that have become final; ``finish`` returns the rest when the session ends. Put
together they are :func:`~.segmenter.segment` of the whole session, cue for
cue, so a file written from them is the file ``export`` writes.

What makes a cue final, with more words to come:

* its chunks and the chunk after it are complete (a chunk is complete once a
  token has started the next one; a break's cost needs the chunk after it);
* the program's answer up to its end can't change: every cutting still
  possible passes through its end (:meth:`.segmenter._Plan.solve` with
  ``complete=False``). A cue reaches back only as far as its limits let it
  (characters per line times lines, its longest duration, no long pause
  inside), so a cue is final at the latest about one cue's length after its
  end, or as soon as the speaker pauses for the preset's ``pause_break_ms``;
* what the whole session decides from its first words is decided: the
  language (``auto`` is sure at 50 words at the earliest, see
  :func:`.languages.identify`) and whether tokens carry their own spaces
  (the first :data:`.text.OWN_SPACING_SAMPLE` tokens after the first).

The words must arrive in start order (HeyGen sends them so). A word that
arrives earlier than words already in a final cue can't be shown where it
belongs: the live cues then differ from the session's files, and ``finish``
says so in the log.

Each ``add`` cuts the session so far again (about 0.07 s for an hour of speech).
"""

from __future__ import annotations

import logging
from typing import Iterable, Sequence

from transcribe_export.models import Cue, Word
from transcribe_export.segmentation.cues import divide_overlaps, make_cues, timing
from transcribe_export.segmentation.languages import identify_so_far
from transcribe_export.segmentation.presets import DEFAULT_PRESET, Preset, PresetChoice, resolve_preset
from transcribe_export.segmentation.segmenter import _Plan, segment
from transcribe_export.segmentation.text import OWN_SPACING_SAMPLE, chunk_words, display_token, uses_own_spacing

__all__ = ["LiveSegmenter", "live_cues"]

log = logging.getLogger(__name__)


class LiveSegmenter:
    """Cut words into cues as they arrive.

    Args:
        preset: as for :func:`~.segmenter.segment` (``auto`` or ``None`` waits until the
            language is sure).

    >>> live = LiveSegmenter("netflix-en")
    >>> said = "Hello there. " * 8 + "Bye now. The end."  # a pause of 2 s after each full stop
    >>> words, clock = [], 0.0
    >>> for text in said.replace(".", " .").split():
    ...     words.append(Word(text, clock, clock if text == "." else clock + 0.3))
    ...     clock = words[-1].end + (2.0 if text == "." else 0.05)
    >>> [c.text for c in live.add(words[:12])]  # 20 tokens must arrive before anything is sure
    []
    >>> [c.text for c in live.add(words[12:])][-2:]  # a pause past pause_break_ms ends a cue for sure
    ['Hello there.', 'Bye now.']
    >>> [c.text for c in live.finish()]  # the last word may still be followed by more
    ['The end.']
    """

    def __init__(self, preset: Preset | PresetChoice | str | None = None) -> None:
        self._choice = preset if isinstance(preset, (Preset, PresetChoice)) else PresetChoice(preset or DEFAULT_PRESET)
        self._preset: Preset | None = None
        if isinstance(preset, Preset):
            self._preset = preset
        elif self._choice.name != "auto" or self._choice.language is not None:
            self._preset = resolve_preset(self._choice, ())  # nothing to find out from the words
        self.words: list[Word] = []
        self.given: list[Cue] = []  # every cue given out so far, in order
        self._stops = 0  # the chunk where the cues given out stop
        self._finished = False
        #: every cue still to come starts at or after this time (ms): what was given out before it is all there is
        self.settled_ms = 0

    @property
    def preset(self) -> Preset | None:
        """The preset the cues are cut with, once it is known."""
        return self._preset

    def add(self, words: Iterable[Word]) -> list[Cue]:
        """Take the next words; return the cues that have become final (possibly none)."""
        if self._finished:
            raise RuntimeError("the session has finished")
        self.words.extend(words)
        fresh = self._final()
        self.given.extend(fresh)
        return fresh

    def finish(self) -> list[Cue]:
        """The session has ended: the cues not given out yet."""
        self._finished = True
        ordered = sorted(self.words, key=lambda w: w.start_ms)  # stable: as the collector orders them
        every = segment(ordered, preset=self._preset or self._choice)
        count = len(self.given)
        if every[:count] != self.given:
            log.warning("the live cues differ from the session's: words arrived out of start order")
        rest = every[count:]
        self.given.extend(rest)
        return rest

    def _final(self) -> list[Cue]:
        words = self.words
        if self._preset is None:
            texts = [w.text for w in words]
            if identify_so_far(texts, complete=False) is None:
                return []  # the language isn't sure yet
            self._preset = resolve_preset(self._choice, texts)
        if len(words) <= OWN_SPACING_SAMPLE and not uses_own_spacing([display_token(w.text) for w in words]):
            return []  # a later token may still show the tokens carry their own spaces
        chunks = [c for c in chunk_words(words, self._preset.language) if c.text]
        complete = chunks[:-1]  # the last may still take more tokens
        if len(complete) < 2:
            return []
        plan = _Plan(complete, words, self._preset)
        cuts = plan.solve(complete=False)
        if not cuts or cuts[-1][1] <= self._stops:
            return []
        stop = cuts[-1][1]
        # The next cue starts at ``stop``: timed with it, as the whole session times them.
        following = (stop, stop + 1, ())
        times, pushed = timing(plan, [*cuts, following])
        timed = divide_overlaps(  # quietly: the whole session's cut warns once, at the end
            plan, [(*cut, *t, "overlap" if n in pushed else "") for n, (cut, t) in enumerate(zip([*cuts, following], times))],
            warn=False,
        )
        timed = [t for t in timed if t[0] < stop]
        fresh = make_cues(plan, words, timed, first=next((n for n, t in enumerate(timed) if t[0] >= self._stops), len(timed)))
        self._stops = stop
        self.settled_ms = plan.starts[stop]  # a later cue starts with its first chunk, or later
        return fresh


def live_cues(batches: Iterable[Sequence[Word]], preset: Preset | PresetChoice | str | None = None) -> Iterable[Cue]:
    """Every cue of words arriving in ``batches``, each as soon as it is final (a generator)."""
    live = LiveSegmenter(preset)
    for batch in batches:
        yield from live.add(batch)
    yield from live.finish()
