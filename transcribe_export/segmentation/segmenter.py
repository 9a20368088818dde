"""Words -> cues, with cue breaks and line breaks chosen over the whole paragraph.

Greedy captioners (fill a line, break at the limit) split mid-clause and
strand single words. Here, in the spirit of Knuth and Plass's paragraph
breaking, every way of cutting the session into cues is scored and the
cheapest is kept, by dynamic programming over the *chunks* (tokens glued by
:mod:`transcribe_export.segmentation.text`; breaks fall only between chunks):

* the preset's limits are hard: characters per line, lines per cue, the
  longest cue, a long pause always ends a cue;
* the guides' preferences are costs: end a cue at a sentence end, then at
  clause punctuation, then at a pause; never right after an article,
  preposition, conjunction, subject pronoun or auxiliary (word lists per
  language), nor right before a Japanese or Chinese particle, nor between a
  first and a last name; a short top line over a longer bottom one; no
  single-word cue unless pauses isolate it; reading speed within the preset.

Each cue end looks back only as far as one cue can reach (its characters and
its duration are bounded), so the work grows linearly with the words.

Invariants, checked by property tests for every preset:

* every token appears exactly once, in order, in exactly one cue;
* every token lies inside the time span of its cue;
* cues never overlap, and each ends after it starts.
"""

from __future__ import annotations

import logging
import math
from bisect import bisect_right
from itertools import accumulate
from typing import Sequence

from transcribe_export.models import Chunk, Cue, Word
from transcribe_export.segmentation.breaks import breaks
from transcribe_export.segmentation.costs import (
    CUE_COST,
    FORCED,
    INF,
    INNER_SENTENCE,
    LONG_TOP_SLOPE,
    LONG_TOP_STEP,
    ORPHAN,
    SHORT_CUE,
    SHORT_TOP,
    SHORT_TOP_SLOPE,
    SPEED_SLOPE,
    SPEED_STEP,
    balance_cost,
)
from transcribe_export.segmentation.cues import divide_overlaps, make_cues, timing
from transcribe_export.segmentation.presets import Preset, PresetChoice, resolve_preset
from transcribe_export.segmentation.text import chunk_words

__all__ = ["ALGORITHM", "segment"]

log = logging.getLogger(__name__)

ALGORITHM = "dp-v2"

class _Plan:
    """Precomputed per-chunk arrays, so scoring a candidate cue is arithmetic."""

    def __init__(self, chunks: Sequence[Chunk], words: Sequence[Word], preset: Preset, *, depth: int = 0) -> None:
        """``depth``: for a stretch of a session (:mod:`.stream`), the brackets open before it (:func:`.breaks.breaks`)."""
        self.chunks = chunks
        self.preset = preset
        n = len(chunks)
        self.n = n
        self.widths: list[float]
        self.seps: list[float]
        if preset.width == "chars":  # Preset.measure, inline for the usual count
            self.widths = [len(c.text) for c in chunks]
            self.seps = [len(c.sep) for c in chunks]
        else:
            self.widths = [preset.measure(c.text) for c in chunks]
            self.seps = [preset.measure(c.sep) for c in chunks]
        if n:
            self.seps[0] = 0
        self.prefix = prefix = [0.0]
        for sep, width in zip(self.seps, self.widths):
            prefix.append(prefix[-1] + sep + width)
        self.starts = starts = [c.start_ms for c in chunks]
        self.ends = ends = [c.end_ms for c in chunks]
        # when each chunk's last spoken token starts (a zero-length mark only where nothing else is)
        self.last_starts = [
            c.start_ms if c.first == c.last
            else max((w.start_ms for w in words[c.first : c.last + 1] if w.end_ms > w.start_ms), default=c.start_ms)
            for c in chunks
        ]
        self.end_costs, self.line_costs, self.reasons = breaks(chunks, words, preset, depth)
        self.end_costs.append(0.0)
        self.cheapest_line = min(self.line_costs, default=0.0)  # a bound: no line break costs less
        # A cue may start at chunk k only after everything before it has ended
        # (and strictly after the chunk before starts): otherwise two cues overlap.
        self.allowed = allowed = [True] * (n + 1)
        self.forced = forced = [False] * (n + 1)
        pause_break = preset.pause_break_ms
        latest = -1
        for k in range(1, n):
            before = ends[k - 1]
            if before > latest:
                latest = before
            start = starts[k]
            allowed[k] = ok = start >= latest and start > starts[k - 1]
            forced[k] = ok and start - before >= pause_break
        self.one_word = [c.text.isalnum() or len(c.text.split()) == 1 for c in chunks]
        self.label = [not c.text.isalnum() and c.text.rstrip(".,;:!?").endswith((")", "]")) for c in chunks]  # (Applause)
        # The preset's numbers as plain attributes: the inner loops read them ~10^5 times.
        self.limit = float(preset.max_chars_per_line)
        self.min_gap = preset.min_gap_ms
        self.linger = float(preset.linger_ms)  # a float: the out-time it bounds is compared with float limits
        self.good_pause = preset.good_pause_ms
        self.max_cps = preset.max_cps
        self.forced_stops: set[int] = set()  # where solve() had to end a cue past the limits
        self.best: list[float] = []  # solve()'s cheapest cost of the session up to each place
        # prefix count of sentence ends (a sound label counts as one: it stands as its own unit)
        self.sentences = [0, *accumulate(c.sentence_end or is_label for c, is_label in zip(chunks, self.label))]

    def width(self, i: int, j: int) -> float:
        """The width of chunks i..j-1 on one line."""
        return self.prefix[j] - self.prefix[i] - self.seps[i]

    def lines(self, i: int, j: int) -> tuple[float, tuple[int, ...]] | None:
        """The cheapest way to lay chunks i..j-1 out in lines: (cost, split points), or None if none fits."""
        limit = self.limit
        if self.width(i, j) <= limit:
            return 0.0, ()
        if self.preset.max_lines >= 2:
            two = self._two_lines(i, j)
            if two is not None or self.preset.max_lines == 2:
                return two  # a third line only when two can't hold it
        for count in range(3, self.preset.max_lines + 1):
            found = self._split(i, j, count, limit)
            if found is not None:
                return found
        return None

    def _two_lines(self, i: int, j: int) -> tuple[float, tuple[int, ...]] | None:
        """The best single line break in chunks i..j-1 (the common case, kept fast)."""
        prefix, seps, limit, costs = self.prefix, self.seps, self.limit, self.line_costs
        cheapest = self.cheapest_line
        best_cost, best_split = INF, 0
        # From the last split point whose top line fits, back: the bottom line grows, the top shrinks.
        top_i, end = prefix[i] + seps[i], prefix[j]
        for s in range(min(j - 1, bisect_right(prefix, top_i + limit, i, j) - 1), i, -1):
            bottom = end - prefix[s] - seps[s]
            if bottom > limit:
                break
            top = prefix[s] - prefix[i] - seps[i]
            if top > bottom:  # costs.balance_cost, inline
                cost = costs[s - 1] + (LONG_TOP_STEP + (top - bottom) / limit * LONG_TOP_SLOPE)
            else:
                balance = (bottom - top) / limit * SHORT_TOP_SLOPE
                if balance + cheapest >= best_cost:
                    break  # the bottom line only grows from here, and its cost with it
                cost = costs[s - 1] + balance
            if s - i == 1:
                cost += SHORT_TOP
            if cost < best_cost:
                best_cost, best_split = cost, s
        return (best_cost, (best_split,)) if best_split else None

    def _split(self, i: int, j: int, count: int, limit: float) -> tuple[float, tuple[int, ...]] | None:
        if count == 1:
            return (0.0, ()) if self.width(i, j) <= limit else None
        best: tuple[float, tuple[int, ...]] | None = None
        for s in range(i + 1, j):
            top = self.width(i, s)
            if top > limit:
                break
            rest = self._split(s, j, count - 1, limit)
            if rest is None:
                continue
            bottom = self.width(s, j) if count == 2 else top  # balance is judged on the last pair
            cost = self.line_costs[s - 1] + balance_cost(top, bottom, limit) + (SHORT_TOP if s - i == 1 else 0.0)
            cost += rest[0]
            if best is None or cost < best[0]:
                best = (cost, (s, *rest[1]))
        return best

    def solve(
        self, *, complete: bool = True, begin: int = 0, seed: tuple[float, tuple[int, ...]] = (0.0, ())
    ) -> list[tuple[int, int, tuple[int, ...]]]:
        """The cheapest cutting: a list of (first chunk, stop, line split points).

        With ``complete`` off, more chunks will follow these (a live session): the program runs to the
        last chunk but one (a cue end needs the chunk after it) and returns only the cues that are
        final, those no later chunk can change (:meth:`_final_stop`); the first cue still open
        starts where the last of them stops.

        ``begin`` and ``seed``: for a stretch of a session (:mod:`.stream`) that starts with the last
        final cue, chunks 0 to ``begin``: the session's cheapest cost up to ``begin`` and that cue's
        line splits. Every cutting of the rest passes through ``begin``, so no cue may start before
        it; the cost is carried, not restarted at zero, so each sum is the very float the whole
        session's program adds.
        """
        n, preset = self.n, self.preset
        capacity = preset.max_chars_per_line * preset.max_lines
        max_ms = preset.max_duration_ms if preset.max_duration_ms is not None else math.inf
        prefix, seps, starts, ends = self.prefix, self.seps, self.starts, self.ends
        allowed, forced, sentences, end_costs = self.allowed, self.forced, self.sentences, self.end_costs
        min_gap, linger, max_cps, min_duration = self.min_gap, self.linger, self.max_cps, preset.min_duration_ms
        one_word, good_pause, label = self.one_word, self.good_pause, self.label
        limit, two_lines, two_only = self.limit, self._two_lines, preset.max_lines == 2
        best = [INF] * (n + 1)  # a place no cue may start at keeps INF: the loop below skips it
        self.best = best
        wide = pause = scanned = 0  # the first chunk a cue may start at: for its width, for the pauses inside it
        brief = 0  # and for its duration
        spoken = -1  # the latest end so far
        back: list[tuple[int, tuple[int, ...]]] = [(-1, ())] * (n + 1)
        best[begin] = seed[0]
        if begin:
            back[begin] = (0, seed[1])
        for j in range(1, n + 1 if complete else n):
            last_end = ends[j - 1]
            if last_end >= spoken:
                spoken = last_end
            if j <= begin:
                continue  # final already: a cue ends at begin
            if j < n and not allowed[j]:
                continue
            found = False
            # What every cue ending here costs whatever its start: CUE_COST and its end.
            fixed = CUE_COST + end_costs[j - 1]
            room_limit: float = starts[j] - min_gap if j < n else INF
            top_j = prefix[j]
            best_j = best[j]
            # How far back a cue ending here may start: it holds no forced break (a long pause), fits
            # the lines and lasts no longer than the preset allows (each only narrows as j grows, so
            # each bound only moves forward). A cue of one chunk is always tried.
            while wide < j - 1 and top_j - prefix[wide] - seps[wide] > capacity:
                wide += 1
            while scanned < j:  # the last forced break before j (j itself may have been skipped)
                if forced[scanned]:
                    pause = scanned
                scanned += 1
            # (the latest end of chunks i..j-1 is the latest so far when chunk j-1 holds it, the usual case)
            while brief < j - 1 and (spoken if last_end == spoken else max(ends[brief:j])) - starts[brief] > max_ms:
                brief += 1
            for i in range(j - 1, min(max(wide, pause, brief), j - 1) - 1, -1):
                cost = best[i] + fixed
                if cost < best_j:
                    width = top_j - prefix[i] - seps[i]
                    # The rest of the cue's cost: sentences inside it, reading speed, an orphan.
                    cost += INNER_SENTENCE * (sentences[j - 1] - sentences[i])
                    if cost >= best_j:
                        continue  # costs only grow from here
                    latest = last_end if last_end == spoken else max(ends[i:j])
                    room_end: float = latest + linger
                    if room_limit < room_end:
                        room_end = room_limit
                    shown_ms = (room_end if room_end > latest else latest) - starts[i]
                    cps = width / (shown_ms if shown_ms > 1 else 1) * 1000  # costs.reading_speed_cost, inline
                    if cps > max_cps:
                        cost += SPEED_STEP + SPEED_SLOPE * (cps / max_cps - 1)
                    # The next cue comes too soon for this one's minimum duration (a sound label, though,
                    # stands as its own unit: its brevity is the sound's).
                    if room_limit - starts[i] < min_duration and not label[j - 1]:
                        cost += SHORT_CUE * (min_duration - room_limit + starts[i]) / min_duration
                    if i == j - 1 and one_word[i] and not label[i] and not (
                        (i == 0 or starts[i] - ends[i - 1] >= good_pause) and (j == n or starts[j] - latest >= good_pause)
                    ):
                        cost += ORPHAN
                    # Line costs are never negative, so lay the lines out only for a cue that
                    # could still win (a finite best[j] means a fitting cue was found already).
                    if cost < best_j:
                        if width <= limit or i == j - 1:  # one line: the cheapest layout, the usual one
                            found = True
                            best_j = cost
                            back[j] = (i, ())
                            continue
                        laid = two_lines(i, j) if two_only else self.lines(i, j)
                        if laid is not None:
                            found = True
                            if cost + laid[0] < best_j:
                                best_j = cost + laid[0]
                                back[j] = (i, laid[1])
            best[j] = best_j
            if not found:
                # Overlapping timestamps leave no cue within the limits: take the
                # nearest place a cue may start, whatever the length.
                i = j - 1
                while not (allowed[i] and best[i] < INF):
                    i -= 1
                best[j], back[j] = best[i] + FORCED, (i, self._fill(i, j))
                self.forced_stops.add(j)
        cuts = []
        j = n if complete else self._final_stop(best, back)
        while j > 0:
            i, splits = back[j]
            cuts.append((i, j, splits))
            j = i
        return cuts[::-1]

    def _final_stop(self, best: list[float], back: list[tuple[int, tuple[int, ...]]]) -> int:
        """Where the final cues stop, with more chunks to come: the last place every cutting that
        is still possible passes through.

        A cue ending later spans at least the chunks from its start to the last one here, so it
        can start no earlier than its limits allow for those (no long pause inside, its width,
        its duration), or than the last place a cue may start at all (where the words' times
        leave no cue within the limits, the program falls back to that place). Every cheapest
        cutting of a longer session ends a cue at one of those places, so it follows one of
        their back-pointer chains; where all the chains meet, nothing before can change.
        """
        n, preset, allowed = self.n, self.preset, self.allowed
        capacity = preset.max_chars_per_line * preset.max_lines
        max_ms = preset.max_duration_ms if preset.max_duration_ms is not None else math.inf
        reach, latest = n - 1, -1
        while reach > 0:  # as solve's loop goes back from a later cue end, for the chunks known
            i = reach - 1
            latest = max(latest, self.ends[i], self.ends[n - 1])
            if self.forced[i + 1] or self.width(i, n) > capacity or latest - self.starts[i] > max_ms:
                break
            reach = i
        last = n - 1
        while last > 0 and not (allowed[last] and best[last] < INF):
            last -= 1
        places = {i for i in range(min(reach, last), n) if allowed[i] and best[i] < INF}
        while len(places) > 1:
            latest_place = max(places)
            places.remove(latest_place)
            places.add(back[latest_place][0])
        return places.pop() if places else 0

    def _fill(self, i: int, j: int) -> tuple[int, ...]:
        """Split points filling lines greedily (for a cue that can't fit anyway)."""
        splits, start = [], i
        for s in range(i + 1, j):
            if self.width(start, s + 1) > self.preset.max_chars_per_line:
                splits.append(s)
                start = s
        return tuple(splits)


def segment(words: Sequence[Word], *, preset: Preset | PresetChoice | str | None = None) -> list[Cue]:
    """Cut ordered words into cues.

    Args:
        words: tokens ordered by start time (as the collector returns them).
        preset: a :class:`Preset`, a :class:`PresetChoice`, a preset name,
            ``"auto"`` (chosen from the script of the words), or ``None`` for
            the default preset.

    >>> words = [Word("Hello", 0, 0.4), Word(",", 0.4, 0.4), Word("world", 0.5, 0.9), Word(".", 0.9, 0.9)]
    >>> [(c.start_ms, c.end_ms, c.lines, c.reason) for c in segment(words)]
    [(0, 900, ('Hello, world.',), 'end')]
    """
    preset = resolve_preset(preset, (w.text for w in words))
    # Only a session of nothing but blank tokens gives an empty chunk: no cues.
    chunks = [c for c in chunk_words(words, preset.language) if c.text]
    if not chunks:
        return []
    plan = _Plan(chunks, words, preset)
    cuts = plan.solve()
    times, pushed = timing(plan, cuts)
    if pushed:
        log.warning("cues %s: the words' times overlap at %s fps, so each starts a frame after the one before",
                    ", ".join(str(n + 1) for n in sorted(pushed)), preset.fps)
    timed = divide_overlaps(plan, [(*cut, *t, "overlap" if n in pushed else "") for n, (cut, t) in enumerate(zip(cuts, times))])
    return make_cues(plan, words, timed)
