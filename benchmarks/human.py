"""How close our breaks come to a human subtitler's: subtitles made by people, segmented again by us and by others.

    python benchmarks/human.py
    python benchmarks/human.py --lines   # the line breaks where we and the people differ, in cues cut alike,
                                         # and how well we agree at sentence ends, clause punctuation and elsewhere

The references are in ``benchmarks/human/`` (unmodified, with their licence
notices). Each file's breaks are taken out and its words get timing that does
not reveal them: a speech-rate model (a word lasts 60 ms a character plus
80 ms) with pauses only at punctuation (250 ms after a comma, semicolon or
colon, 500 ms after a sentence). The words are then segmented by each system
with the language's preset, and the breaks compared, word by word:

* EOB: cue breaks (``<eob>``), EOL: line breaks inside a cue (``<eol>``),
  precision, recall and F1; any-break F1 counts a break of either kind;
* Sigma (Karakanta, Buet, Cettolo, Yvon 2022, "Evaluating Subtitle
  Segmentation for End-to-end Generation Systems", LREC): with the text
  identical, BLEU over the break-tagged tokens without the brevity penalty,
  corpus-level over sentences, n-grams up to 4;
* hard: lines longer than the preset allows and cues of more than its lines,
  for each system and for the people;
* best possible: the most each F1 could be for a segmenter held only to the
  preset's hard limits (characters per line, lines per cue, the longest cue),
  each column its own optimum: an upper bound for every system, which tells
  a target the limits rule out from one a better segmenter could reach.

Line-break references are the files with many two-line cues (named in
``benchmarks/human/w3c-wai/NOTICE.md``); every file counts for cue breaks.
Targets on the English line-break references: any-break F1 >= 0.80, EOL
F1 >= 0.60, Sigma >= 85, and no hard rule broken more often than the people
break it. The MuST-Cinema test sets are not used: they are kept for
independent evaluation.
"""

from __future__ import annotations

import html
import itertools
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import srt
import webvtt

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from quality import SYSTEMS  # noqa: E402

from transcribe_export.models import Word  # noqa: E402
from transcribe_export.segmentation.presets import Preset, load_preset  # noqa: E402

REFERENCES = HERE / "human"
LINE_REFERENCES = {
    "abilities-barriers_auditory.en", "abilities-barriers_cognitive.en", "abilities-barriers_visual.en",
    "abilities-barriers_physical.en", "tools-techniques_input.en", "user-stories_8.en", "user-stories_9.en",
    "user-stories_6.es",
}
PRESETS = {"en": "netflix-en", "es": "netflix-es", "fr": "netflix-fr", "de": "netflix-de"}
TARGETS = {"any F1": 0.80, "EOL F1": 0.60, "Sigma": 85.0}
_MARKUP = re.compile(r"<[^>]*>")
_SENTENCE_END = re.compile(r"[.!?…][\"'»”’)\]]*$")
_CLAUSE_END = re.compile(r"[,;:][\"'»”’)\]]*$")


@dataclass
class Reference:
    name: str
    language: str
    tokens: list[str]
    tags: list[str]  # after each token: "" (none), "eol" or "eob"
    lines: list[list[str]]  # the people's cues, as lines, for the hard rules

    @property
    def line_breaks(self) -> bool:
        return self.name in LINE_REFERENCES


def read_reference(path: Path) -> Reference:
    """A human subtitle file as tokens and the break after each (markup dropped, references decoded)."""
    if path.suffix == ".vtt":
        texts = [caption.raw_text for caption in webvtt.read(str(path)).captions]
    else:
        texts = [subtitle.content for subtitle in srt.parse(path.read_text(encoding="utf-8-sig"))]
    tokens: list[str] = []
    tags: list[str] = []
    cues: list[list[str]] = []
    for text in texts:
        lines = [html.unescape(_MARKUP.sub("", line)).strip() for line in text.splitlines()]
        lines = [line for line in lines if line.split()]
        if not lines:
            continue
        cues.append(lines)
        for number, line in enumerate(lines):
            words = line.split()
            tokens += words
            tags += [""] * (len(words) - 1) + ["eob" if number == len(lines) - 1 else "eol"]
    name = path.stem  # "user-stories_6.es", "tos-en"
    language = name.rsplit(".", 1)[1] if "." in name else name.rsplit("-", 1)[1]
    return Reference(name, language, tokens, tags, cues)


def timed_words(tokens: list[str]) -> list[Word]:
    """Timing from a speech-rate model: nothing in it shows where the people broke."""
    words = []
    clock = 0.0
    for token in tokens:
        end = clock + 0.08 + 0.06 * len(token)
        words.append(Word(token, round(clock, 3), round(end, 3)))
        clock = end + (0.5 if _SENTENCE_END.search(token) else 0.25 if _CLAUSE_END.search(token) else 0.0)
    return words


def tags_from_srt(text: str, tokens: list[str]) -> tuple[list[str], list[list[str]]]:
    """The break after each token in a system's SRT, by the characters shown (spacing may differ), and its cues."""
    owner = [index for index, token in enumerate(tokens) for _ in token]  # character -> token
    tags = [""] * len(tokens)
    cues = []
    position = 0
    for subtitle in srt.parse(text):
        lines = [line.replace("\u2060", "") for line in subtitle.content.splitlines() if line.strip()]
        cues.append(lines)
        for number, line in enumerate(lines):
            position += len("".join(line.split()))
            if position == 0:
                continue
            last = owner[position - 1]
            tags[last] = "eob" if number == len(lines) - 1 else (tags[last] or "eol")
    if position != len(owner):
        raise ValueError(f"the output shows {position} characters of {len(owner)}")
    return tags, cues


def scores(pairs: list[tuple[list[str], list[str]]], kinds: tuple[str, ...]) -> tuple[float, float, float]:
    """Precision, recall and F1 of breaks of ``kinds``: ``pairs`` of (system tags, reference tags)."""
    hits = made = wanted = 0
    for ours, theirs in pairs:
        for a, b in zip(ours, theirs):
            made += a in kinds
            wanted += b in kinds
            hits += a in kinds and (b == a or len(kinds) > 1 and b in kinds)
    precision = hits / made if made else 0.0
    recall = hits / wanted if wanted else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _bleu_tokens(tokens: list[str], tags: list[str]) -> list[list[str]]:
    """Sentences of tokens with <eol>/<eob> after the words they follow; punctuation split off, as BLEU's 13a does."""
    sentences: list[list[str]] = [[]]
    for token, tag in zip(tokens, tags):
        sentences[-1] += re.findall(r"\w+|[^\w\s]", token)
        if tag:
            sentences[-1].append(f"<{tag}>")
        if _SENTENCE_END.search(token):
            sentences.append([])
    return [s for s in sentences if s]


def sigma(pairs: list[tuple[list[str], list[str], list[str]]]) -> float:
    """Sigma with identical text: corpus BLEU over break-tagged tokens, no brevity penalty (Karakanta et al. 2022)."""
    matched = [0] * 4
    total = [0] * 4
    for tokens, ours, theirs in pairs:
        for hyp, ref in zip(_bleu_tokens(tokens, ours), _bleu_tokens(tokens, theirs)):
            for n in range(1, 5):
                grams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))
                wanted = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
                matched[n - 1] += sum(min(count, wanted[gram]) for gram, count in grams.items())
                total[n - 1] += sum(grams.values())
    if not all(matched):
        return 0.0
    return 100 * math.exp(sum(math.log(m / t) for m, t in zip(matched, total)) / 4)


def hard(cues: list[list[str]], preset: Preset) -> tuple[int, int]:
    """Lines over the preset's width (a single word excused) and cues over its lines."""
    long_lines = sum(1 for cue in cues for line in cue if preset.measure(line) > preset.max_chars_per_line and " " in line)
    return long_lines, sum(1 for cue in cues if len(cue) > preset.max_lines)


def evaluate(system: Callable[[list[Word], Preset], str], references: list[Reference]) -> dict[str, float]:
    line_pairs, cue_pairs, sigma_pairs = [], [], []
    long_lines = tall = 0
    for reference in references:
        preset = load_preset(PRESETS[reference.language])
        tags, cues = tags_from_srt(system(timed_words(reference.tokens), preset), reference.tokens)
        a, b = hard(cues, preset)
        long_lines, tall = long_lines + a, tall + b
        cue_pairs.append(([t if t == "eob" else "" for t in tags], [t if t == "eob" else "" for t in reference.tags]))
        if reference.line_breaks:
            line_pairs.append((tags, reference.tags))
            sigma_pairs.append((reference.tokens, tags, reference.tags))
    result = {"EOB F1 (all files)": scores(cue_pairs, ("eob",))[2], "long lines": long_lines, "tall cues": tall}
    if line_pairs:
        for label, kinds in (("EOB", ("eob",)), ("EOL", ("eol",)), ("any", ("eob", "eol"))):
            p, r, f = scores(line_pairs, kinds)
            result.update({f"{label} P": p, f"{label} R": r, f"{label} F1": f})
        result["Sigma"] = sigma(sigma_pairs)
    return result


def best_tags(reference: Reference, preset: Preset, value: Callable[[int, str], float]) -> list[str]:
    """The breaks that a segmenter held only to the preset's hard limits (characters per line, a
    single word excused; lines per cue; the longest cue, on :func:`timed_words`' clock) would make to
    get the most ``value(i, kind)`` summed over its breaks (``kind`` "eol" or "eob" after token i)."""
    tokens, words = reference.tokens, timed_words(reference.tokens)
    width = preset.max_chars_per_line
    longest = preset.max_duration_ms

    def fits(start: int, end: int) -> bool:  # tokens[start:end] as one line
        return end - start == 1 or preset.measure(" ".join(tokens[start:end])) <= width

    def lines_from(start: int, last: int) -> dict[int, tuple[float, list[int]]]:
        """A line from ``start`` to each end up to ``last``, as far as it fits."""
        ends = range(start + 1, last + 1)
        return {end: (0.0, [end]) for end in itertools.takewhile(lambda end: fits(start, end), ends)}

    # best[e]: the most value of tokens[:e] cut into cues; how[e]: that last cue's start and line ends
    best: list[float] = [0.0] + [-math.inf] * len(tokens)
    how: list[tuple[int, list[int]]] = [(0, [])] * (len(tokens) + 1)
    for start in range(len(tokens)):
        if best[start] == -math.inf:
            continue
        # the cue's last possible end: a single word always may be a cue; no more words than its lines can
        # hold (counting characters, a line of k > 1 words is at least 2k - 1 wide); none past the longest cue
        most = preset.max_lines * max(1, (width + 1) // 2) if preset.width == "chars" else len(tokens)
        last = start + 1
        while last < len(tokens) and last - start < most and (
            longest is None or words[last].end_ms - words[start].start_ms <= longest
        ):
            last += 1
        # layers[k][m]: the most value of tokens[start:m] as k + 1 lines (a line break after each but the last)
        layers = [lines_from(start, last)]
        for _ in range(1, preset.max_lines):
            following: dict[int, tuple[float, list[int]]] = {}
            for m, (got, ends) in layers[-1].items():
                for n in lines_from(m, last):
                    candidate = (got + value(m - 1, "eol"), ends + [n])
                    if n not in following or candidate[0] > following[n][0]:
                        following[n] = candidate
            layers.append(following)
        for end in range(start + 1, last + 1):
            options = [layer[end] for layer in layers if end in layer]
            if options:
                got, ends = max(options, key=lambda option: option[0])
                if best[start] + got + value(end - 1, "eob") > best[end]:
                    best[end] = best[start] + got + value(end - 1, "eob")
                    how[end] = (start, ends)
    tags = [""] * len(tokens)
    end = len(tokens)
    while end:
        start, cuts = how[end]
        tags[end - 1] = "eob"
        for cut in cuts[:-1]:
            tags[cut - 1] = "eol"
        end = start
    return tags


def ceiling(references: list[Reference], kinds: tuple[str, ...]) -> float:
    """The best F1 of breaks of ``kinds`` (as :func:`scores` counts them) that any segmenter held to the presets'
    hard limits could reach on these references: an upper bound for every system, whatever its costs.

    F1 = 2 hits / (made + wanted) is a ratio, so it is maximised by Dinkelbach's method: the best
    breaks for ``2 hits - f * made`` (:func:`best_tags`) give a better F1 ``f`` until none does.
    """
    f = 0.0
    while True:
        pairs = []
        for reference in references:
            def value(i: int, kind: str, tags: list[str] = reference.tags, f: float = f) -> float:
                if kind not in kinds:
                    return 0.0
                return 2.0 * (tags[i] == kind or len(kinds) > 1 and tags[i] in kinds) - f
            pairs.append((best_tags(reference, load_preset(PRESETS[reference.language]), value), reference.tags))
        better = scores(pairs, kinds)[2]
        if better <= f + 1e-9:
            return f
        f = better


def people(references: list[Reference]) -> dict[str, float]:
    long_lines = tall = 0
    for reference in references:
        a, b = hard(reference.lines, load_preset(PRESETS[reference.language]))
        long_lines, tall = long_lines + a, tall + b
    return {"long lines": long_lines, "tall cues": tall}


def disagreements(language: str = "en") -> None:
    """Where we and the people cut the same cue but break its lines differently, and how often each
    breaks a line right after a word the guides keep with the next (``python benchmarks/human.py --lines``)."""
    from transcribe_export.segmentation.languages import language as language_table

    table = language_table(language)
    binding = table.no_break_after | table.articles
    alike = with_lines = same_lines = 0
    after_binding = {"people": [0, 0], "ours": [0, 0]}
    for reference in (r for r in load_references() if r.line_breaks and r.language == language):
        tags = our_tags(reference)
        for name, given in (("people", reference.tags), ("ours", tags)):
            for token, tag in zip(reference.tokens, given):
                if tag == "eol":
                    after_binding[name][0] += 1
                    after_binding[name][1] += token.lower().strip(".,;:!?\"") in binding
        ends = [k for k, tag in enumerate(tags) if tag == "eob"]
        first = 0
        for k, tag in enumerate(reference.tags):
            if tag != "eob":
                continue
            span = range(first, k + 1)
            # cut alike: we end a cue where the people's starts and where it ends, and nowhere between
            if k in ends and (first == 0 or first - 1 in ends) and not any(tags[i] == "eob" for i in range(first, k)):
                alike += 1
                theirs = [i for i in span if reference.tags[i] == "eol"]
                mine = [i for i in span if tags[i] == "eol"]
                if theirs or mine:
                    with_lines += 1
                    same_lines += theirs == mine
                    if theirs != mine:
                        shown = [" ".join(reference.tokens[i] + (" /" if i in breaks else "") for i in span)
                                 for breaks in (theirs, mine)]
                        print(f"people: {shown[0]}\nours:   {shown[1]}\n")
            first = k + 1
    print(f"{language}: cues cut alike {alike}, with a line break {with_lines}, the line break in the same place {same_lines}")
    print("where the words end (any break; ours against the people's):")
    for kind, pairs in by_position(language).items():
        p, r, f = scores(pairs, ("eob", "eol"))
        made, wanted = (sum(1 for pair in pairs for tag in pair[side] if tag) for side in (0, 1))
        print(f"  {kind:<28} ours {made:>4}, people {wanted:>4}: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}")
    for name, (count, bound) in after_binding.items():
        print(f"{name}: {count} line breaks, {bound} ({bound / count:.0%}) right after an article, preposition, "
              "conjunction, subject pronoun or auxiliary")


def our_tags(reference: Reference) -> list[str]:
    """The break after each token as our segmenter cuts the reference's words with its language's preset."""
    srt_text = dict(SYSTEMS)["ours"](timed_words(reference.tokens), load_preset(PRESETS[reference.language]))
    return tags_from_srt(srt_text, reference.tokens)[0]


def by_position(language: str) -> dict[str, list[tuple[list[str], list[str]]]]:
    """Our tags and the people's on the line-break references, kept apart by what ends the word before
    the break: a sentence end, clause punctuation, or nothing (where only the words tell)."""
    kinds: dict[str, list[tuple[list[str], list[str]]]] = {"a sentence end": [], "clause punctuation": [], "no punctuation": []}
    for reference in (r for r in load_references() if r.line_breaks and r.language == language):
        tags = our_tags(reference)
        for token, mine, theirs in zip(reference.tokens, tags, reference.tags):
            kind = "a sentence end" if _SENTENCE_END.search(token) else \
                "clause punctuation" if _CLAUSE_END.search(token) else "no punctuation"
            kinds[kind].append(([mine], [theirs]))
    return kinds


def load_references() -> list[Reference]:
    return [read_reference(p) for p in sorted(REFERENCES.glob("*/*")) if p.suffix in (".vtt", ".srt")]


def main() -> None:
    references = load_references()
    columns = ["EOB P", "EOB R", "EOB F1", "EOL P", "EOL R", "EOL F1", "any F1", "Sigma", "EOB F1 (all files)",
               "long lines", "tall cues"]
    for language in sorted({r.language for r in references}):
        group = [r for r in references if r.language == language]
        two = sum(1 for r in group if r.line_breaks)
        print(f"\n{language}: {len(group)} files ({two} line-break references), {sum(len(r.tokens) for r in group)} words, "
              f"preset {PRESETS[language]}")
        print(f"{'system':<20}" + "".join(f"{c:>19}" if c.startswith("EOB F1 (") else f"{c:>11}" for c in columns))
        rows = [(name, system) for name, system in SYSTEMS]
        for name, system in rows:
            try:
                result = evaluate(system, group)
            except ImportError:
                print(f"{name:<20} not installed")
                continue
            cells = []
            for column in columns:
                value = result.get(column)
                width = 19 if column.startswith("EOB F1 (") else 11
                text = "-" if value is None else f"{value:.0f}" if column in ("long lines", "tall cues") else \
                    f"{value:.1f}" if column == "Sigma" else f"{value:.3f}"
                cells.append(f"{text:>{width}}")
            print(f"{name:<20}" + "".join(cells))
        human = people(group)
        print(f"{'people':<20}" + " " * (11 * 8 + 19) + f"{human['long lines']:>11.0f}{human['tall cues']:>11.0f}")
        lined = [r for r in group if r.line_breaks]
        bounds = {"EOB F1": ceiling(lined, ("eob",)), "EOL F1": ceiling(lined, ("eol",)),
                  "any F1": ceiling(lined, ("eob", "eol")), "EOB F1 (all files)": ceiling(group, ("eob",))} if lined \
            else {"EOB F1 (all files)": ceiling(group, ("eob",))}
        print(f"{'best possible':<20}" + "".join(
            (f"{bounds[c]:>19.3f}" if c.startswith("EOB F1 (") else f"{bounds[c]:>11.3f}") if c in bounds
            else " " * (19 if c.startswith("EOB F1 (") else 11) for c in columns[:-2]))
    english = [r for r in references if r.language == "en"]
    ours = evaluate(dict(SYSTEMS)["ours"], english)
    print("\ntargets, English line-break references: " + ", ".join(
        f"{k} {ours[k]:.3g} (>= {v:g}: {'pass' if ours[k] >= v else 'FAIL'})" for k, v in TARGETS.items()))


if __name__ == "__main__":
    if sys.argv[1:] == ["--lines"]:
        disagreements()
    else:
        main()
