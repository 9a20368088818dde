"""Lint any SRT, WebVTT, TTML, SCC or ASS file against a preset, like Subtitle Edit's Netflix check.

SRT and WebVTT are read block by block, as players do. TTML and SCC are read
by ttconv (its IMSC and SCC readers) and ASS by pysubs2, the libraries made
for them; each is then judged by the same rules.

Hard rules (a delivery gate: ``check`` exits 1 if any is broken):
characters per line, lines per cue, longest duration, the minimum gap,
overlaps, order, empty cues, malformed or reversed times. Soft rules are
reported but pass: the shortest duration (it yields where the next cue
leaves no room), reading speed (set by how fast the speaker talks, which no
caption can change) and chaining of short gaps.

The excuses are recognised and said out loud: a single word longer than a
line, one word lasting longer than the longest cue, and (given the words)
two cues whose words are themselves closer than the minimum gap, and a
reading speed the speaker's pace forces (the cue's text over the longest it
could stay up: from its first word to its last word's end plus the linger,
not past the next word). Given the words, the reading-speed cues left are
the avoidable ones.
"""

from __future__ import annotations

import html
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from transcribe_export.errors import ConfigurationError, InputError, TranscribeExportError, printable
from transcribe_export.models import Word
from transcribe_export.segmentation.presets import DEFAULT_PRESET, Preset, PresetChoice

__all__ = ["HARD", "KINDS", "SOFT", "Report", "check", "check_file", "check_text"]

# The checker judges the segmenter's output, so it keeps its own idea of where a
# sentence or a clause ends (Latin, CJK, Arabic and Devanagari marks) instead of
# borrowing the segmenter's: a shared mistake would pass unseen.
_SENTENCE_MARKS = frozenset(".!?…。！？．؟۔")
_CLAUSE_MARKS = frozenset(",;:—–、，；：،؛")

HARD = (
    "characters per line", "lines per cue", "longest duration", "minimum gap", "overlap", "order", "empty cue", "malformed time"
)
SOFT = ("shortest duration", "reading speed", "unchained gap")

_SRT_TIME = r"\d{2,}:\d{2}:\d{2},\d{3}"
_VTT_TIME = r"(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}"
_TAGS = re.compile(r"<[^>]*>|\{\\[^}]*\}")


@dataclass(frozen=True, slots=True)
class _Cue:
    number: int
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]


@dataclass
class Report:
    """What ``check`` found in one file."""

    path: str
    preset: str
    cues: int = 0
    violations: dict[str, list[int]] = field(default_factory=lambda: {rule: [] for rule in HARD + SOFT})
    excused: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    cue_ends: dict[str, float] | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def hard_failures(self) -> int:
        """How many hard-rule violations (excused ones not counted), the file's own problems included."""
        return sum(len(self.violations[rule]) for rule in HARD) + len(self.problems)

    def format(self) -> str:
        """The report as text: a verdict line, then per rule its kind, count and cue numbers."""
        verdict = "passes" if self.hard_failures == 0 else f"FAILS ({self.hard_failures} hard violations)"
        lines = [f"{self.path}: {self.cues} cues against {self.preset}: {verdict}"]
        lines += [f"  file: {problem}" for problem in self.problems]
        for rule, cues in self.violations.items():
            kind = "hard" if rule in HARD else "soft"
            shown = ", ".join(map(str, cues[:20])) + (" ..." if len(cues) > 20 else "")
            lines.append(f"  {rule:<20} {kind}  {len(cues):>4}  {shown}".rstrip())
        for rule, items in self.excused.items():
            for cue, why in items:
                lines.append(f"  excused: cue {cue}, {rule}: {why}")
        if self.cue_ends is not None:
            ends = self.cue_ends
            lines.append(
                f"  cue ends: {ends['good']:.0%} at a sentence end, clause or pause"
                f" (sentence {ends['sentence']:.0%}, clause {ends['clause']:.0%}, pause {ends['pause']:.0%})"
            )
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """The report as a dict (``check --json``)."""
        return {
            "file": self.path,
            "preset": self.preset,
            "cues": self.cues,
            "passed": self.hard_failures == 0,
            "problems": self.problems,
            "rules": {
                rule: {"hard": rule in HARD, "count": len(cues), "cues": cues} for rule, cues in self.violations.items()
            },
            "excused": {rule: [{"cue": c, "why": why} for c, why in items] for rule, items in self.excused.items()},
            "cue_ends": self.cue_ends,
        }


def _ms(value: str) -> int:
    parts = re.split(r"[:.,]", value)
    *hms, millis = parts
    seconds = 0
    for part in hms:
        seconds = seconds * 60 + int(part)
    return seconds * 1000 + int(millis)


def _displayed(line: str, is_vtt: bool) -> str:
    """The text a player shows: tags removed, references decoded, invisible joiners and direction marks gone."""
    text = _TAGS.sub("", line)
    if is_vtt:
        text = html.unescape(text)
    return text.replace("\u2060", "").replace("\u200f", "").replace("\u200e", "")


def _parse(text: str, is_vtt: bool) -> tuple[list[_Cue], list[int], list[str]]:
    """The cues, the numbers of the cues whose timing line is malformed, and what is wrong with the file.

    Read block by block, as players do (a blank line ends a cue), so a
    broken cue is counted as itself and never swallows the next one; cues
    are numbered by their place in the file. A block that is no cue at all,
    and a last cue cut off before its text, are the file's problems.
    """
    time = _VTT_TIME if is_vtt else _SRT_TIME
    pattern = re.compile(rf"^\s*({time})[ \t]+-->[ \t]+({time})([ \t].*)?$")
    cues: list[_Cue] = []
    malformed: list[int] = []
    problems: list[str] = []
    number = 0
    blocks = [b for b in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")) if b.strip()]
    for position, block in enumerate(blocks):
        lines = block.strip("\n").split("\n")
        if lines[0].startswith(("NOTE", "STYLE", "REGION", "WEBVTT")):
            continue
        timing = next((k for k, line in enumerate(lines) if "-->" in line), None)
        last = position == len(blocks) - 1
        if timing is None:
            what = "cut off before its timing line" if last and lines[-1].strip().isdigit() and len(lines) == 1 else "no cue"
            problems.append(f"block {position + 1} is {what}: {printable(lines[0][:40])!r}")
            continue
        number += 1
        match = pattern.match(lines[timing])
        if match is None:
            malformed.append(number)
            continue
        shown = tuple(text for text in (_displayed(line, is_vtt) for line in lines[timing + 1 :]) if text.strip())
        if last and not shown and len(lines) == timing + 1:
            problems.append(f"cue {number} is cut off after its timing line: the file is truncated")
            continue
        cues.append(_Cue(number, _ms(match.group(1)), _ms(match.group(2)), shown))
    return cues, malformed, problems


#: what ``check`` reads, by suffix (a file's first bytes decide for any other suffix).
KINDS = {".srt": "srt", ".vtt": "vtt", ".ttml": "ttml", ".xml": "ttml", ".dfxp": "ttml", ".scc": "scc", ".ass": "ass",
         ".ssa": "ass"}


def _kind(suffix: str, text: str) -> str:
    if suffix.lower() in KINDS:
        return KINDS[suffix.lower()]
    head = text.lstrip("\ufeff \t\r\n")[:200]
    heads = (("WEBVTT", "vtt"), ("Scenarist_SCC", "scc"), ("[Script Info]", "ass"), ("<?xml", "ttml"), ("<tt", "ttml"))
    for start, kind in heads:
        if head.startswith(start):
            return kind
    return "srt"


def _timed_text_cues(doc: Any) -> list[_Cue]:
    """The cues a TTML or SCC document shows, from ttconv's intermediate synchronic documents (what is on screen when)."""
    from ttconv import model
    from ttconv.isd import ISD

    def lines_of(isd: Any) -> tuple[str, ...]:
        lines: list[str] = []

        def walk(element: Any) -> None:
            if isinstance(element, model.P):
                lines.append("")
            elif isinstance(element, model.Br):
                lines.append("")
            elif isinstance(element, model.Text):
                if not lines:
                    lines.append("")
                lines[-1] += element.get_text()
            for child in element:
                walk(child)

        for region in isd.iter_regions():
            walk(region)
        return tuple(line.strip() for line in lines if line.strip())

    shown = [(round(float(begin) * 1000), lines_of(isd)) for begin, isd in ISD.generate_isd_sequence(doc)]
    cues: list[_Cue] = []
    for (start, lines), (end, _) in zip(shown, shown[1:] + [(None, ())]):
        if lines and end is not None:
            cues.append(_Cue(len(cues) + 1, start, end, lines))
    return cues


def _read_cues(text: str, kind: str) -> tuple[list[_Cue], list[int], list[str]]:
    """The cues of a file of any kind ``check`` reads, the malformed ones' numbers, and the file's problems."""
    if kind in ("srt", "vtt"):
        return _parse(text, kind == "vtt")
    import logging

    problems: list[str] = []

    class _Collect(logging.Handler):  # ttconv reports what it cannot read as log records
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                problems.append(f"{kind.upper()} reader: {printable(record.getMessage())[:200]}")

    handler = _Collect()
    logger = logging.getLogger("ttconv")
    logger.addHandler(handler)
    try:
        if kind == "ass":
            import pysubs2

            from transcribe_export.write.ass import unescape

            events = [e for e in pysubs2.SSAFile.from_string(text, format_="ass").events if not e.is_comment]
            return [_Cue(n, e.start, e.end, tuple(line for line in unescape(e.text) if line.strip()))
                    for n, e in enumerate(events, 1)], [], problems
        if kind == "scc":
            from ttconv.scc import reader as scc_reader

            return _timed_text_cues(scc_reader.to_model(text)), [], problems
        import xml.etree.ElementTree as et

        from ttconv.imsc import reader as imsc_reader

        doc = imsc_reader.to_model(et.ElementTree(et.fromstring(text.encode("utf-8"))))
        if doc is not None and doc.get_body() is not None and not list(doc.iter_regions()):
            from ttconv import model  # no layout at all: TTML's default region (TTML2 §11.3.1.1) shows everything

            region = model.Region("default", doc)
            doc.put_region(region)
            doc.get_body().set_region(region)
        return _timed_text_cues(doc), [], problems
    except Exception as exc:  # noqa: BLE001 - whatever a reader raises, the file is what is wrong
        return [], [], problems + [f"{kind.upper()} reader could not read it: {printable(str(exc))[:200]}"]
    finally:
        logger.removeHandler(handler)


def check_text(
    text: str,
    *,
    is_vtt: bool = False,
    preset: Preset | PresetChoice,
    path: str = "-",
    words: Sequence[Word] | None = None,
    allow_empty: bool = False,
    kind: str | None = None,
) -> Report:
    """Check the text of a subtitle file against ``preset``.

    Args:
        is_vtt: the text is WebVTT (the same as ``kind="vtt"``).
        preset: a :class:`Preset`, or a :class:`PresetChoice` (``auto`` finds
            the language from the file's own text).
        kind: ``srt``, ``vtt``, ``ttml``, ``scc`` or ``ass``; SRT by default.
        allow_empty: a file without any cue passes (an empty session's files).
    """
    kind = kind or ("vtt" if is_vtt else "srt")
    text = text.lstrip("\ufeff")
    cues, malformed, problems = _read_cues(text, kind)
    if isinstance(preset, PresetChoice):
        preset = preset.resolve(word for cue in cues for line in cue.lines for word in line.split())
    report = Report(path, preset.name)
    if kind == "vtt" and not re.match(r"WEBVTT(?:[ \t][^\n]*)?(?:\r\n|\r|\n|$)", text):
        report.problems.append("it does not start with the WEBVTT header, so players take it for no WebVTT file")
    report.problems += problems
    if not cues and not malformed and not allow_empty:
        report.problems.append("it holds no cue" + (" (an empty session's file passes with allow_empty)" if not problems else ""))
    ends = _token_ends(cues, words) if words is not None else [None] * len(cues)
    report.cues = len(cues) + len(malformed)
    report.violations["malformed time"] = malformed
    bad = report.violations

    def excuse(rule: str, cue: int, why: str) -> None:
        report.excused.setdefault(rule, []).append((cue, why))

    # On frames (the preset's or `fps`), the minimum gap is its frames at the video's rate (N-TIM: 2 frames
    # at every rate), not at the rate the preset's other frame counts are written for.
    min_gap = preset.min_gap_ms
    if preset.fps is not None:
        from transcribe_export.segmentation.presets import FRAME_RATES

        min_gap = math.ceil(preset.min_gap_frames * 1000 / FRAME_RATES[preset.fps])

    for index, cue in enumerate(cues):
        shown = " ".join(cue.lines)
        duration = cue.end_ms - cue.start_ms
        if not shown.strip():
            bad["empty cue"].append(cue.number)
            continue
        if duration <= 0:
            bad["malformed time"].append(cue.number)
        for line in cue.lines:
            if preset.measure(line) > preset.max_chars_per_line:
                if " " not in line.strip():
                    excuse("characters per line", cue.number, "a single word longer than a line")
                else:
                    bad["characters per line"].append(cue.number)
                break
        if len(cue.lines) > preset.max_lines:
            bad["lines per cue"].append(cue.number)
        if preset.max_duration_ms is not None and duration > preset.max_duration_ms:
            if len(shown.split()) == 1:
                excuse("longest duration", cue.number, f"one word lasting over {preset.max_duration:g} s")
            else:
                bad["longest duration"].append(cue.number)
        if duration > 0 and preset.measure(shown) / (duration / 1000) > preset.max_cps:
            pace = _speaker_pace(index, ends, words, preset, preset.measure(shown))
            if pace is not None and pace > preset.max_cps:
                excuse("reading speed", cue.number,
                       f"forced by the speaker's pace: {pace:.1f} cps even shown for as long as the words allow")
            else:  # avoidable: the cue could have stayed up longer (or, without the words, can't say)
                bad["reading speed"].append(cue.number)
        nxt = cues[index + 1] if index + 1 < len(cues) else None
        if nxt is not None:
            gap = nxt.start_ms - cue.end_ms
            if nxt.start_ms < cue.start_ms:
                bad["order"].append(nxt.number)
            elif gap < 0:
                bad["overlap"].append(cue.number)
            elif gap < min_gap - 2:  # whole milliseconds either side of a frame-exact gap: it may read 2 ms short
                last = ends[index]
                if words is not None and last is not None and last + 1 < len(words) and (
                    words[last + 1].start_ms - words[last].end_ms < min_gap
                ):
                    excuse("minimum gap", cue.number, "its words are closer than the minimum gap to the next cue's")
                else:
                    bad["minimum gap"].append(cue.number)
            elif min_gap + 2 < gap <= preset.chain_gap_ms:
                bad["unchained gap"].append(cue.number)
        room = nxt.start_ms - cue.end_ms - min_gap if nxt is not None else preset.min_duration_ms
        if 0 < duration < preset.min_duration_ms and room >= preset.min_duration_ms - duration:
            bad["shortest duration"].append(cue.number)
    if words is not None:
        report.cue_ends = _cue_ends(ends[:-1], words, preset)
    return report


def _speaker_pace(index: int, ends: Sequence[int | None], words: Sequence[Word] | None, preset: Preset,
                  width: float) -> float | None:
    """The least reading speed any timing could give this cue: its text over the longest it may stay up.

    From its first word's start to its last word's end plus the preset's linger, but not past the
    minimum gap before the next word; ``None`` where the words don't line up with the cues.
    """
    last = ends[index]
    first = 0 if index == 0 else (ends[index - 1] + 1 if ends[index - 1] is not None else None)  # type: ignore[operator]
    if words is None or last is None or first is None or first > last:
        return None
    latest = words[last].end_ms + preset.linger_ms
    if last + 1 < len(words):
        latest = min(latest, words[last + 1].start_ms - preset.min_gap_ms)
    room = max(latest, words[last].end_ms) - words[first].start_ms
    return width / (room / 1000) if room > 0 else float("inf")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _token_ends(cues: Sequence[_Cue], words: Sequence[Word]) -> list[int | None]:
    """For each cue, the index of the token its text ends with (None if it ends mid-token)."""
    boundaries: dict[int, int] = {}  # squeezed character offset -> index of the token ending there
    offset = 0
    for index, word in enumerate(words):
        offset += len(_squeeze(word.text))
        boundaries[offset] = index
    result: list[int | None] = []
    offset = 0
    for cue in cues:
        offset += len(_squeeze("".join(cue.lines)))
        result.append(boundaries.get(offset))
    return result


def _cue_ends(ends: Sequence[int | None], words: Sequence[Word], preset: Preset) -> dict[str, float]:
    """The share of cue ends (the last cue excepted) at a sentence end, clause punctuation or a pause."""
    counts = {"sentence": 0, "clause": 0, "pause": 0, "other": 0}
    for index in ends:
        if index is None or index + 1 >= len(words):
            counts["other"] += 1
            continue
        last = words[index].text.strip().rstrip("\"'”’»)]」』）")
        if last and last[-1] in _SENTENCE_MARKS:
            counts["sentence"] += 1
        elif last and last[-1] in _CLAUSE_MARKS:
            counts["clause"] += 1
        elif words[index + 1].start_ms - words[index].end_ms >= preset.good_pause_ms:
            counts["pause"] += 1
        else:
            counts["other"] += 1
    total = max(len(ends), 1)
    shares = {kind: count / total for kind, count in counts.items()}
    shares["good"] = (counts["sentence"] + counts["clause"] + counts["pause"]) / total
    return shares


def check_file(
    path: Path, preset: Preset | PresetChoice, words: Sequence[Word] | None = None, *, allow_empty: bool = False
) -> Report:
    """Check one ``.srt``, ``.vtt``, ``.ttml``, ``.scc`` or ``.ass`` file (its first bytes decide for another suffix).

    The file must be text in UTF-8, or in UTF-16 with its byte order mark; anything else
    (another encoding, an image, a cut-off file) fails the check and says why.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r} ({exc.strerror})") from None
    text, problem = _decode(data)
    if problem is not None:
        report = Report(str(path), preset.name if isinstance(preset, Preset) else "auto")
        report.problems.append(problem)
        return report
    return check_text(text, kind=_kind(path.suffix, text), preset=preset, path=str(path), words=words, allow_empty=allow_empty)


def _decode(data: bytes) -> tuple[str, str | None]:
    """The file's text, or why it is not a text file check can read."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return "", f"it is not UTF-8 text (line {line} holds the byte 0x{data[exc.start]:02x}): not a subtitle file check reads"
    if "\x00" in text:
        return "", "it holds NUL characters: not a text subtitle file"
    return text, None


def check(
    files: Iterable[str | os.PathLike[str]],
    *,
    preset: Preset | str = DEFAULT_PRESET,
    config: str | os.PathLike[str] | None = None,
    fps: str | float | None = None,
    words: str | os.PathLike[str] | Sequence[Word] | None = None,
    allow_empty: bool = False,
) -> list[Report]:
    """Check subtitle files against a preset: what ``transcribe-export check`` does, as reports.

    Args:
        files: ``.srt``, ``.vtt``, ``.ttml``, ``.scc`` or ``.ass`` files.
        preset: ``auto`` (the default: each file's language, found from its text,
            chooses its preset), a bundled preset's name, a ``.yaml`` path, or a :class:`Preset`.
        config: a YAML file of preset keys merged over the preset.
        fps: the frame rate the files were snapped to: the minimum gap is counted in its frames.
        words: the session's words (a list, or our JSON transcript, a word list
            or a capture): also report where cues end, and excuse gaps the speech forces.
        allow_empty: a file without any cue passes (an empty session's files).

    Raises:
        ConfigurationError: a bad preset or config, or words that can't be read.
    """
    rules: Preset | PresetChoice
    if isinstance(preset, Preset):
        rules = preset
    elif preset == "auto":
        rules = PresetChoice("auto", config, fps)
    else:
        rules = PresetChoice(preset, config, fps).resolve(())
    tokens: Sequence[Word] | None = None
    if isinstance(words, (str, os.PathLike)):
        from transcribe_export.collect.offline import load_input

        try:
            tokens = load_input(Path(words)).words
        except TranscribeExportError as error:
            raise ConfigurationError(f"words: {error}", key="words", file=os.fspath(words)) from None
    elif words is not None:
        tokens = words
    return [check_file(Path(path), rules, tokens, allow_empty=allow_empty) for path in files]
