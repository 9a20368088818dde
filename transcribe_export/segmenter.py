"""Words -> cues: where each subtitle starts and ends, and where its line breaks.

The rules come from ``../shared/CAPTION-RULES.md`` (Netflix general and
English requirements): at most 2 lines of 42 characters, at most 7 s, at
least 5/6 s when the silence after allows, and breaks preferably at a
sentence end, then at clause punctuation, then at a pause.

The algorithm is chosen by :func:`segment` from ``settings.algorithm``;
everything else (text joining, timing, writers) is shared, so a better
algorithm replaces only :func:`_cut_greedy`.

Invariants every algorithm keeps, checked by property tests:

* every token appears exactly once, in order, in exactly one cue;
* every token lies inside the time span of its cue;
* cues never overlap, and each ends after it starts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Sequence

from transcribe_export.models import Cue, Word
from transcribe_export.text import Chunk, chunk_words, join_chunks

__all__ = ["SegmentSettings", "segment", "split_lines"]


@dataclass(frozen=True, slots=True)
class SegmentSettings:
    """How cues are cut. The defaults are Netflix's English numbers.

    Attributes:
        max_chars_per_line: characters per line (N-EN: 42).
        max_lines: lines per cue (N-GEN: 2).
        max_duration_ms: longest cue (N-GEN §1: 7 s).
        min_duration_ms: shortest cue, where the silence after allows (N-GEN §1: 5/6 s).
        min_gap_ms: the least gap kept when a cue is lengthened (N-TIM: 2 frames at 24 fps).
        pause_ms: a silence this long is a good place to end a cue.
        force_pause_ms: a silence this long always ends a cue.
    """

    max_chars_per_line: int = 42
    max_lines: int = 2
    max_duration_ms: int = 7000
    min_duration_ms: int = 833
    min_gap_ms: int = 83
    pause_ms: int = 300
    force_pause_ms: int = 1500
    algorithm: str = "greedy-v1"

    def as_dict(self) -> dict[str, Any]:
        """The settings as written into the JSON transcript."""
        return asdict(self)


def _width(chunks: Sequence[Chunk]) -> int:
    return len(join_chunks(chunks))


def _lines_needed(chunks: Sequence[Chunk], limit: int) -> int:
    """How many lines first-fit filling needs (optimal for a count of lines)."""
    lines, used = 1, 0
    for number, chunk in enumerate(chunks):
        width = len(chunk.text)
        if number and used + len(chunk.sep) + width > limit:
            lines, used = lines + 1, width
        else:
            used += (len(chunk.sep) if number else 0) + width
    return lines


def split_lines(chunks: Sequence[Chunk], settings: SegmentSettings) -> tuple[str, ...]:
    """Break one cue's chunks into lines.

    One line when it fits. Otherwise two lines, choosing the break that
    fits and reads best: after punctuation, then the most balanced pair,
    with a shorter top line preferred (the "bottom-heavy pyramid").
    A cue that cannot fit (a word longer than a line) is filled greedily.
    """
    limit = settings.max_chars_per_line
    if _width(chunks) <= limit or len(chunks) == 1:
        return (join_chunks(chunks),)
    best: tuple[float, int] | None = None
    if settings.max_lines >= 2:
        for split in range(1, len(chunks)):
            top, bottom = _width(chunks[:split]), _width(chunks[split:])
            if top > limit or bottom > limit:
                continue
            cost = abs(top - bottom) + (4 if top > bottom else 0)
            before = chunks[split - 1]
            if before.sentence_end:
                cost -= 30
            elif before.clause_end:
                cost -= 20
            if best is None or cost < best[0]:
                best = (cost, split)
    if best is not None:
        split = best[1]
        return (join_chunks(chunks[:split]), join_chunks(chunks[split:]))
    lines: list[list[Chunk]] = [[]]
    for chunk in chunks:
        if lines[-1] and _width(lines[-1] + [chunk]) > limit:
            lines.append([])
        lines[-1].append(chunk)
    return tuple(join_chunks(line) for line in lines)


_RANK_WEIGHT = {"sentence": 2.0, "clause": 1.2, "pause": 0.8, "length": 0.0}


def _cut_greedy(chunks: Sequence[Chunk], settings: SegmentSettings) -> list[tuple[int, int, str]]:
    """Cut chunks into cues: ``(first, stop, reason)`` ranges of chunk indexes.

    From each cue start, grow the cue while it fits (lines, characters,
    duration). Each boundary passed is a candidate, ranked by what it ends
    on. When the cue can grow no further, the best candidate wins: rank
    weight plus how full the cue is, so a sentence end beats a clause
    unless it would leave a tiny cue. A long pause or the last word ends a
    cue outright.

    A break is only allowed where the next chunk starts after this cue
    starts and after all of its words end; otherwise the two cues would
    overlap. Where timestamps overlap for a long stretch, the cue grows past
    the limits rather than break that rule.
    """
    n = len(chunks)
    capacity = settings.max_chars_per_line * settings.max_lines
    cuts: list[tuple[int, int, str]] = []
    i = 0
    while i < n:
        start = chunks[i].start_ms
        latest_end = chunks[i].end_ms
        candidates: list[tuple[int, str]] = []
        forced: tuple[int, str] | None = None
        k = i + 1
        while True:
            if k == n:
                forced = (n, "end")
                break
            nxt, prev = chunks[k], chunks[k - 1]
            gap = nxt.start_ms - prev.end_ms
            if nxt.start_ms > start and nxt.start_ms >= latest_end:
                reason = (
                    "sentence" if prev.sentence_end else
                    "clause" if prev.clause_end else
                    "pause" if gap >= settings.pause_ms else "length"
                )
                if gap >= settings.force_pause_ms:
                    forced = (k, "pause")
                    break
                candidates.append((k, reason))
            # Without a candidate the cue must grow whatever the limits.
            if candidates and (
                max(latest_end, nxt.end_ms) - start > settings.max_duration_ms
                or _lines_needed(chunks[i : k + 1], settings.max_chars_per_line) > settings.max_lines
            ):
                break
            latest_end = max(latest_end, nxt.end_ms)
            k += 1
        if forced is not None:
            stop, reason = forced
        else:
            # Rank weight plus fill; ties go to the later break (reversed + max keeps the first).
            scored = [(_RANK_WEIGHT[r] + _width(chunks[i:k]) / capacity, k, r) for k, r in reversed(candidates)]
            _, stop, reason = max(scored, key=lambda item: item[0])
            if reason == "length":
                reason = "duration" if chunks[stop - 1].end_ms - start >= settings.max_duration_ms * 0.9 else "length"
        cuts.append((i, stop, reason))
        i = stop
    return cuts


def segment(words: Sequence[Word], settings: SegmentSettings | None = None) -> list[Cue]:
    """Cut ordered words into cues.

    Args:
        words: tokens ordered by start time (as the collector returns them).
        settings: the caption rules; Netflix English by default.

    >>> words = [Word("Hello", 0, 0.4), Word(",", 0.4, 0.4), Word("world", 0.5, 0.9), Word(".", 0.9, 0.9)]
    >>> [(c.start_ms, c.end_ms, c.lines) for c in segment(words)]
    [(0, 900, ('Hello, world.',))]
    """
    settings = settings or SegmentSettings()
    # Only a session of nothing but blank tokens gives an empty chunk: no cues.
    chunks = [c for c in chunk_words(words) if c.text]
    cuts = _cut_greedy(chunks, settings)
    cues: list[Cue] = []
    for number, (first, stop, reason) in enumerate(cuts):
        group = chunks[first:stop]
        start = group[0].start_ms
        end = max(c.end_ms for c in group)
        next_start = chunks[cuts[number + 1][0]].start_ms if number + 1 < len(cuts) else None
        # Lengthen a short cue into the silence after it, keeping the gap.
        wanted = max(end, start + settings.min_duration_ms)
        if next_start is not None:
            wanted = max(end, min(wanted, next_start - settings.min_gap_ms))
            if wanted <= start:
                wanted = min(start + 1, next_start)
        end = max(wanted, start + 1)
        tokens = tuple(words[group[0].first : group[-1].last + 1])
        cues.append(Cue(start, end, split_lines(group, settings), tokens, reason))
    return cues
