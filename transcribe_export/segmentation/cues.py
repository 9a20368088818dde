"""From the program's cuts to cues: their times, overlaps divided, lines, and why each ends.

:mod:`.segmenter` chooses where cues and lines break; here each cut gets its
in- and out-times (the minimum duration, the reading-speed linger, chained
gaps, the minimum gap kept even where words abut, frame snapping), cues the
words' own times left no legal room for are divided, and each cue records why
it ends where it does (``break_reason``), including why a cue that stayed
shorter than the minimum duration, or of one word, was not joined to a
neighbour.
"""

from __future__ import annotations

import logging
import math
from fractions import Fraction
from typing import TYPE_CHECKING, Sequence

from transcribe_export.models import Cue, Word
from transcribe_export.segmentation.presets import FRAME_RATES
from transcribe_export.segmentation.text import join_chunks

if TYPE_CHECKING:
    from transcribe_export.segmentation.segmenter import _Plan

__all__ = ["Timed", "divide_overlaps", "duration_bound", "make_cues", "snap", "timing"]

log = logging.getLogger("transcribe_export.segmentation.segmenter")  # the segmenter's warnings, as before the split

Timed = tuple[int, int, tuple[int, ...], int, int, str]  # first chunk, stop, line splits, in, out, "overlap" or ""


def snap(ms: int, fps: Fraction, up: bool) -> int:
    """A time moved to a frame boundary (down for an in-time, up for an out-time)."""
    frames = ms * fps / 1000
    frame = math.ceil(frames) if up else math.floor(frames)
    boundary = frame * 1000 / fps
    return math.ceil(boundary) if up else math.floor(boundary)


def timing(plan: _Plan, cuts: list[tuple[int, int, tuple[int, ...]]]) -> tuple[list[tuple[int, int]], set[int]]:
    """In- and out-times: in on the first word; out lengthened to the minimum
    duration and, for reading speed, up to the linger; short gaps chained;
    never closer than the minimum gap to the next cue, even if that ends the cue
    up to the gap before its last word does (unless the next cue's words start
    within the gap of this cue's last word: then it ends just after that starts).

    Also the cues that, on frames, had to start later than their first word: it
    shares a frame with the previous cue's first word, and two cues can't start
    in one frame (their times overlap at that resolution).
    """
    preset = plan.preset
    times = []
    for number, (i, j, _) in enumerate(cuts):
        start = plan.starts[i]
        spoken_end = max(plan.ends[i:j])
        reading_ms = plan.width(i, j) / preset.max_cps * 1000
        out = max(spoken_end, start + preset.min_duration_ms)
        if start + reading_ms > out:
            out = max(out, min(start + math.ceil(reading_ms), spoken_end + preset.linger_ms))
        if number + 1 < len(cuts):
            next_start = plan.starts[cuts[number + 1][0]]
            out = min(out, next_start - preset.min_gap_ms)
            if next_start - out <= preset.chain_gap_ms:
                out = next_start - preset.min_gap_ms  # chain: close a short gap to the minimum
            # The minimum gap holds even where the words abut (N-TIM): the out-time is pulled back
            # into the last word, by the gap at most, so each word is shown all but the gap's length.
            # Only a next cue starting within the gap of this cue's last word start leaves less.
            out = max(out, min(spoken_end, next_start) - preset.min_gap_ms, min(plan.last_starts[j - 1] + 1, spoken_end))
            out = min(out, next_start)
            out = max(out, min(start + 1, next_start))
        times.append((start, max(out, start + 1)))
    pushed: set[int] = set()
    if preset.fps is not None:
        # On frames, the minimum gap is counted in frames of the video, whatever its rate
        # (N-TIM: 2 frames at every frame rate): the out-time is pulled back to keep it,
        # even into the last word when the words abut, as subtitlers do. A cue keeps one frame.
        fps = FRAME_RATES[preset.fps]
        firsts: list[int] = []
        for number, (start, _) in enumerate(times):
            first = math.floor(start * fps / 1000)
            if firsts and first <= firsts[-1]:
                first = firsts[-1] + 1
                pushed.add(number)
            firsts.append(first)
        snapped = []
        for number, (_, end) in enumerate(times):
            last = math.ceil(end * fps / 1000)
            if number + 1 < len(times):
                # the gap, but the cue still shows the frame its last word starts in (unless the next cue does)
                spoken = plan.last_starts[cuts[number][1] - 1]
                last = min(last, firsts[number + 1] - preset.min_gap_frames)
                last = max(last, min(math.floor(spoken * fps / 1000) + 1, firsts[number + 1]))
            last = max(last, firsts[number] + 1)
            # Each frame boundary to the nearest millisecond, the same way for an in- and an out-time,
            # so a cue ending on the frame where the next begins doesn't overlap it by a millisecond.
            half = Fraction(1, 2)
            snapped.append((math.floor(firsts[number] * 1000 / fps + half), math.floor(last * 1000 / fps + half)))
        times = snapped
    return times, pushed


def make_cues(plan: _Plan, words: Sequence[Word], timed: list[Timed], first: int = 0) -> list[Cue]:
    """The cues of ``timed[first:]``: their lines, why each ends and breaks where it does, their tokens.

    The cuts before ``first`` are the cues already given out (live): a cue's neighbour before
    it explains, as in the whole session's cut, why a short cue was not joined to it.
    """
    chunks = plan.chunks
    cues = []
    for number in range(first, len(timed)):
        i, j, splits, start, end, divided = timed[number]
        edges = [i, *splits, j]
        shown = tuple(tuple(chunks[a:b]) for a, b in zip(edges, edges[1:]))
        lines = tuple(join_chunks(line) for line in shown)
        line_reasons = tuple(plan.reasons[s - 1] for s in splits)
        reason = plan.reasons[j - 1] if j < len(chunks) else "end"
        if reason == "length" and duration_bound(plan, i, j):
            reason = "duration"
        reason = divided or reason
        if not divided:
            kept = why_kept(plan, timed, number)
            if kept:
                reason = f"{reason}; {kept}"
        tokens = tuple(words[chunks[i].first : chunks[j - 1].last + 1])
        cues.append(Cue(start, end, lines, tokens, reason, line_reasons, shown))
    return cues


def why_kept(plan: _Plan, timed: list[Timed], number: int) -> str:
    """Why cue ``number`` stayed shorter than the preset's minimum duration, or of a single word,
    when the program joins such cues to a neighbour where the limits allow; ``""`` for any other cue.

    Said from what is known when the cue is final (the cues before it, the chunk after it), so a
    live session explains it as the whole session's cut does:

    * ``short (0.80 s)`` or ``one word``; then, for the cue before: ``a pause of 2.10 s before``,
      ``no room in the cue before``, ``the cue before would last over 7 s`` or ``the cue before
      ends a sentence``, or ``it opens the session``;
    * for the words after: ``a pause of 1.50 s after``, ``no room for the next word``, ``over 7 s
      with the next word``, ``a new sentence follows`` or ``it ends the session``;
    * ``joining reads worse`` where the limits allowed a join and the costs chose otherwise.
    """
    i, j, _, start, end, _ = timed[number]
    preset = plan.preset
    if end - start < preset.min_duration_ms:
        what = f"short ({(end - start) / 1000:.2f} s)"
    elif j - i == 1 and plan.one_word[i]:
        what = "one word"
    else:
        return ""  # the usual cue
    if all(plan.label[k] for k in range(i, j)):
        return ""  # a sound label is as brief as its sound
    max_ms = preset.max_duration_ms
    reasons = []
    allowed = 0  # sides on which the limits would have allowed a join
    if number == 0:
        reasons.append("it opens the session")
    else:
        a = timed[number - 1][0]
        if plan.forced[i]:
            reasons.append(f"a pause of {(plan.starts[i] - plan.ends[i - 1]) / 1000:.2f} s before")
        elif plan.lines(a, j) is None:
            reasons.append("no room in the cue before")
        elif max_ms is not None and max(plan.ends[a:j]) - plan.starts[a] > max_ms:
            reasons.append(f"the cue before would last over {max_ms / 1000:g} s")
        elif plan.reasons[i - 1] == "sentence" and not plan.label[i - 1]:
            reasons.append("the cue before ends a sentence")
        else:
            allowed += 1
    if j >= plan.n:
        reasons.append("it ends the session")
    elif plan.forced[j]:
        reasons.append(f"a pause of {(plan.starts[j] - plan.ends[j - 1]) / 1000:.2f} s after")
    elif plan.lines(i, j + 1) is None:
        reasons.append("no room for the next word")
    elif max_ms is not None and max(plan.ends[i : j + 1]) - start > max_ms:
        reasons.append(f"over {max_ms / 1000:g} s with the next word")
    elif plan.reasons[j - 1] == "sentence":
        reasons.append("a new sentence follows")
    else:
        allowed += 1
    if allowed:
        reasons.append("joining reads worse")
    return f"{what}: {', '.join(reasons)}"


def divide_overlaps(plan: _Plan, timed: list[Timed], *, warn: bool = True) -> list[Timed]:
    """Cues that had to break the limits (the words' times overlap, so no cue could fit them) are
    divided into consecutive cues that each fit, with the span shared out among them, and a warning.

    The words of such a cue then no longer lie inside their cue's times: the times they came
    with left no way to show them legally. Their cues say why (``break_reason: overlap``).
    """
    preset, out = plan.preset, []
    max_ms = preset.max_duration_ms
    for number, (i, j, splits, start, end, flag) in enumerate(timed):
        if j not in plan.forced_stops:  # every other cue was chosen within the limits
            out.append((i, j, splits, start, end, flag))
            continue
        too_long = max_ms is not None and max(plan.ends[i:j]) - plan.starts[i] > max_ms  # spoken, as the program judges
        if j - i == 1 or (plan.lines(i, j) is not None and not too_long):
            out.append((i, j, splits, start, end, flag))
            continue
        groups, a = [], i
        while a < j:  # as many chunks as fit in one cue's lines
            b = a + 1
            while b < j and plan.lines(a, b + 1) is not None:
                b += 1
            groups.append((a, b))
            a = b
        if max_ms is not None:
            while (end - start) / len(groups) > max_ms and any(b - a > 1 for a, b in groups):
                a, b = max(groups, key=lambda g: g[1] - g[0])
                middle = (a + b) // 2
                index = groups.index((a, b))
                groups[index : index + 1] = [(a, middle), (middle, b)]
        following = timed[number + 1][3] if number + 1 < len(timed) else None
        stop = max(end, start + len(groups) * (preset.min_duration_ms + preset.min_gap_ms))  # room to read each
        if following is not None:
            stop = min(stop, following)
        room = (stop - start) // len(groups)
        fps = FRAME_RATES[preset.fps] if preset.fps is not None else None
        if room < (2 if fps is None else 2 * math.ceil(1000 / fps)):  # each needs a frame or two of its own
            if warn:
                log.warning("cue %d breaks the preset's limits: the words' times leave no room to divide it", len(out) + 1)
            out.append((i, j, splits, start, end, flag))
            continue
        if warn:
            log.warning(
                "cues %d-%d: the words' times overlap, so no cue could hold them within the limits;"
                " their %d-%d ms span was divided among %d cues",
                len(out) + 1, len(out) + len(groups), start, stop, len(groups),
            )
        for k, (a, b) in enumerate(groups):
            cue_start = start + k * room
            cue_end = cue_start + room - min(preset.min_gap_ms, room // 2) if k + 1 < len(groups) else max(cue_start + 1, stop)
            if fps is not None:  # on frame boundaries, like every other time, and never past the next cue
                cue_start, cue_end = snap(cue_start, fps, up=True), snap(cue_end, fps, up=False)
                cue_end = max(cue_end, snap(cue_start + 1, fps, up=True))
                if following is not None and cue_end > following:
                    cue_start, cue_end = min(cue_start, following - 1), following
            laid = plan.lines(a, b) if b - a > 1 else (0.0, ())
            out.append((a, b, laid[1] if laid is not None else plan._fill(a, b), cue_start, cue_end, "overlap"))
    return out


def duration_bound(plan: _Plan, i: int, j: int) -> bool:
    """True if the cue could not take the next chunk because of its duration, not its width."""
    limit = plan.preset.max_duration_ms
    if limit is None or j >= plan.n:
        return False
    return max(plan.ends[i : j + 1]) - plan.starts[i] > limit and plan.lines(i, j + 1) is not None
