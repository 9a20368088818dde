"""Caption quality on the samples: ours against a greedy baseline and the peers.

    python benchmarks/quality.py

For each sample and preset, and each system, prints:

* hard: hard-rule violations found by ``transcribe-export check`` (excused ones not counted);
* good ends: share of cue ends at a sentence end, clause punctuation or a pause of >= 0.3 s;
* where possible: the same, not counting the plain cue ends the limits force: a
  clause (the words between two good points) too long for one cue needs that
  many more cues, so that many plain ends (the target is 95 %);
* orphans: one-word cues that pauses do not isolate (a word wider than a line is excused);
* top-heavy: share of two-line cues whose top line is the longer.

Systems: ``ours`` (the DP segmenter), ``greedy`` (fill each line to the limit,
break there: what most tools do), and, when installed in this environment,
``deepgram-captions`` (``pip install deepgram-captions``), openai-whisper's
SRT writer (``pip install openai-whisper``) and stable-ts (``pip install
stable-ts``; both need torch, and stable-ts a torchaudio built for the same
torch). They are not dependencies of the package; a missing one is listed as such.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import srt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transcribe_export.checker import check_text  # noqa: E402
from transcribe_export.collect.offline import load_input  # noqa: E402
from transcribe_export.models import CollectStats, Cue, Transcript, Word  # noqa: E402
from transcribe_export.segmentation.presets import Preset, load_preset  # noqa: E402
from transcribe_export.segmentation.segmenter import segment  # noqa: E402
from transcribe_export.segmentation.text import Chunk, chunk_words, join_chunks  # noqa: E402
from transcribe_export.write import render_srt  # noqa: E402

CASES = [
    ("product-demo", "netflix-en"), ("support-answer", "netflix-en"),
    ("es-bienvenida", "netflix-es"), ("ja-tutorial", "netflix-ja"),
    ("product-demo", "bbc"), ("support-answer", "bbc"), ("product-demo", "dcmp"), ("support-answer", "dcmp"),
    ("product-demo", "vertical"), ("support-answer", "vertical"),
]


def greedy(words: list[Word], preset: Preset) -> str:
    """The usual approach: fill a line to the limit, then the next; a new cue when lines or 7 s run out."""
    chunks = [c for c in chunk_words(words, preset.language) if c.text]
    groups: list[list[list[Chunk]]] = [[[]]]
    for chunk in chunks:
        cue = groups[-1]
        line = cue[-1]
        start = (cue[0][0] if cue[0] else chunk).start_ms
        too_long = preset.max_duration_ms is not None and chunk.end_ms - start > preset.max_duration_ms
        if line and preset.measure(join_chunks([*line, chunk])) > preset.max_chars_per_line:
            if len(cue) < preset.max_lines and not too_long:
                cue.append([chunk])
                continue
            groups.append([[chunk]])
        elif too_long and line:
            groups.append([[chunk]])
        else:
            line.append(chunk)
    cues = []
    for number, cue in enumerate(groups):
        flat = [c for line in cue for c in line]
        if not flat:
            continue
        start, end = flat[0].start_ms, max(c.end_ms for c in flat)
        if number + 1 < len(groups) and groups[number + 1][0]:
            end = min(end, groups[number + 1][0][0].start_ms)
        tokens = tuple(words[flat[0].first : flat[-1].last + 1])
        cues.append(Cue(start, max(end, start + 1), tuple(join_chunks(line) for line in cue), tokens))
    return render_srt(Transcript("x", "completed", None, None, tuple(words), tuple(cues), {}, CollectStats()))


def ours(words: list[Word], preset: Preset) -> str:
    cues = segment(words, preset=preset)
    return render_srt(Transcript("x", "completed", None, None, tuple(words), tuple(cues), {}, CollectStats()))


# The peers: each takes the same tokens, joined into words by our joiner (none of them joins
# HeyGen's separate punctuation tokens itself), in the input its own API reads (``*_input``),
# then makes its SRT (``*_srt``: what benchmarks/speed.py times).

def deepgram_input(words: list[Word], preset: Preset) -> dict[str, Any]:
    chunks = [c for c in chunk_words(words, preset.language) if c.text]
    dg_words = [
        {"word": c.text.lower().strip(".,!?;:"), "punctuated_word": c.text, "start": c.start_ms / 1000, "end": c.end_ms / 1000}
        for c in chunks
    ]
    transcript = " ".join(c.text for c in chunks)
    return {"results": {"channels": [{"alternatives": [{"transcript": transcript, "words": dg_words}]}]}}


def deepgram_srt(response: dict[str, Any], preset: Preset) -> str:
    from deepgram_captions import DeepgramConverter  # type: ignore[import-not-found]
    from deepgram_captions import srt as dg_srt

    return str(dg_srt(DeepgramConverter(response)))


def whisper_input(words: list[Word], preset: Preset) -> dict[str, Any]:
    """Whisper's result shape: one segment holding every word, each with its leading space."""
    chunks = [c for c in chunk_words(words, preset.language) if c.text]
    segment_words = [{"word": " " + c.text, "start": c.start_ms / 1000, "end": c.end_ms / 1000} for c in chunks]
    return {"language": preset.language, "segments": [
        {"start": chunks[0].start_ms / 1000, "end": chunks[-1].end_ms / 1000,
         "text": "".join(w["word"] for w in segment_words), "words": segment_words}]}


def whisper_srt(result: dict[str, Any], preset: Preset) -> str:
    """openai-whisper's SRT writer with its line options (greedy: fill a line, then the next)."""
    import io

    from whisper.utils import WriteSRT  # type: ignore[import-not-found]

    out = io.StringIO()
    WriteSRT(".").write_result(result, out, {"max_line_width": preset.max_chars_per_line,
                                             "max_line_count": preset.max_lines, "highlight_words": False})
    return out.getvalue()


def stable_ts_srt(result: dict[str, Any], preset: Preset) -> str:
    """stable-ts: its default regrouping (split at sentence ends, gaps, commas), then cues of at most
    the preset's lines of characters, then lines within a cue, as its README shows for line limits."""
    try:
        import stable_whisper  # type: ignore[import-not-found]
    except Exception as error:  # a torchaudio that doesn't match torch fails with OSError on import
        raise ImportError(f"stable-ts does not import here: {error}") from None
    regrouped = stable_whisper.WhisperResult(result)
    regrouped.regroup()
    regrouped.split_by_length(max_chars=preset.max_chars_per_line * preset.max_lines)
    regrouped.split_by_length(max_chars=preset.max_chars_per_line, newline=True)
    return str(regrouped.to_srt_vtt(word_level=False))


def deepgram(words: list[Word], preset: Preset) -> str:
    return deepgram_srt(deepgram_input(words, preset), preset)


def whisper_writer(words: list[Word], preset: Preset) -> str:
    return whisper_srt(whisper_input(words, preset), preset)


def stable_ts(words: list[Word], preset: Preset) -> str:
    return stable_ts_srt(whisper_input(words, preset), preset)


SYSTEMS: list[tuple[str, Callable[[list[Word], Preset], str]]] = [
    ("ours", ours), ("greedy", greedy), ("deepgram-captions", deepgram), ("whisper writer", whisper_writer),
    ("stable-ts", stable_ts),
]


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\u2060]+", "", text)


def measure(srt_text: str, words: list[Word], preset: Preset) -> dict[str, float]:
    report = check_text(srt_text, is_vtt=False, preset=preset, words=words)
    chunks = [c for c in chunk_words(words, preset.language) if c.text]
    ends_at: dict[int, int] = {}
    offset = 0
    for k, chunk in enumerate(chunks):
        offset += len(_squeeze(chunk.text))
        ends_at[offset] = k
    subs = list(srt.parse(srt_text))
    good = orphans = two_line = top_heavy = 0
    offset = 0
    cue_start = 0
    for number, sub in enumerate(subs):
        text = sub.content.replace("\u2060", "")
        offset += len(_squeeze(text))
        k = ends_at.get(offset)
        lines = [line for line in text.split("\n") if line.strip()]
        if len(lines) == 2:
            two_line += 1
            top_heavy += preset.measure(lines[0]) > preset.measure(lines[1])
        # A one-word cue is an orphan unless pauses isolate it, or the word is wider than a line (it must stand alone).
        if k is not None and k == cue_start and len(chunks[k].text.split()) == 1 and (
            preset.measure(chunks[k].text) <= preset.max_chars_per_line
        ):
            before = chunks[k].start_ms - chunks[k - 1].end_ms if k else 10**9
            after = chunks[k + 1].start_ms - chunks[k].end_ms if k + 1 < len(chunks) else 10**9
            orphans += not (before >= preset.good_pause_ms and after >= preset.good_pause_ms)
        if number + 1 < len(subs) and k is not None:
            good += _good(chunks, k, preset)
        cue_start = (k + 1) if k is not None else cue_start
    ends = max(len(subs) - 1, 1)
    avoidable = max(ends - _forced_plain_ends(chunks, preset), 1)
    return {
        "cues": len(subs),
        "hard": report.hard_failures,
        "good": good / ends,
        "possible": min(good / avoidable, 1.0),
        "orphans": orphans,
        "top_heavy": top_heavy / two_line if two_line else 0.0,
    }


def _good(chunks: list[Chunk], k: int, preset: Preset) -> bool:
    if k + 1 >= len(chunks):
        return True
    return chunks[k].sentence_end or chunks[k].clause_end or chunks[k + 1].start_ms - chunks[k].end_ms >= preset.good_pause_ms


def _fits(group: list[Chunk], preset: Preset) -> bool:
    """Could these chunks be one cue? (lines filled greedily: optimal for a count of lines)"""
    lines, used = 1, 0.0
    for number, chunk in enumerate(group):
        width = preset.measure(chunk.text)
        if number and used + preset.measure(chunk.sep) + width > preset.max_chars_per_line:
            lines, used = lines + 1, width
        else:
            used += (preset.measure(chunk.sep) if number else 0) + width
    if len(group) > 1 and any(preset.measure(c.text) > preset.max_chars_per_line for c in group):
        return False  # a word wider than a line must be a cue of its own
    spoken = max(c.end_ms for c in group) - group[0].start_ms
    return lines <= preset.max_lines and (preset.max_duration_ms is None or spoken <= preset.max_duration_ms or len(group) == 1)


def _forced_plain_ends(chunks: list[Chunk], preset: Preset) -> int:
    """How many cue ends no cutting can put at a good point: per clause, the cues it needs, less one."""
    forced = 0
    start = 0
    for k in range(len(chunks)):
        if k + 1 == len(chunks) or _good(chunks, k, preset):
            cues, first = 1, start
            for stop in range(start + 1, k + 2):
                if not _fits(chunks[first:stop], preset):
                    cues, first = cues + 1, stop - 1
            forced += cues - 1
            start = k + 1
    return forced


def main() -> None:
    print(f"{'sample':<15} {'preset':<11} {'system':<18} {'cues':>4} {'hard':>4} {'good ends':>9} "
          f"{'where possible':>14} {'orphans':>7} {'top-heavy':>9}")
    missing: set[str] = set()
    for sample, name in CASES:
        words = list(load_input(ROOT / "samples" / f"{sample}.sse").words)
        preset = replace(load_preset(name))
        for system, render in SYSTEMS:
            try:
                text = render(words, preset)
            except ImportError:
                missing.add(system)
                continue
            m = measure(text, words, preset)
            print(f"{sample:<15} {name:<11} {system:<18} {m['cues']:>4} {m['hard']:>4} {m['good']:>9.0%} "
                  f"{m['possible']:>14.0%} {m['orphans']:>7} {m['top_heavy']:>9.0%}")
    for system in sorted(missing):
        print(f"({system}: not installed in this environment, so not compared)")


if __name__ == "__main__":
    main()
