"""A saved capture converted in stretches: the SRT, WebVTT and JSON texts in the memory of a few thousand words.

``convert`` of a capture reads its frames, cuts the words into cues and
renders each cue as it becomes final (:class:`~transcribe_export.segmentation.stream.StreamSegmenter`),
then lets the words and the cues go: only the texts grow with the session. The
texts are the very bytes the whole-session path writes (``build_transcript``,
then ``render``), which stays the path for everything else; a test holds the
two together on every sample, every preset and random sessions.

Why: a ten-hour session held whole (its words, their cues, the cutting
program's arrays) is a hundred megabytes of fresh memory, and the kernel's
work to provide it and the caches it misses made ten hours take about 10.4
times one hour where the words are 10.0 times as many (issue "Instant
commands", ``benchmarks/speed.py``). In stretches the memory stays that of a
stretch.

What it can't do to the byte it leaves to the whole-session path
(:class:`~transcribe_export.segmentation.stream.CannotStream`, raised before
anything is written): words out of start order (the collector reorders them), a
frame without an id sent again (recognised here by its hash, then judged by the
whole-session reader on the frame texts), times that need cues divided or moved,
a session of nothing but blank tokens, other formats, a shifted timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from transcribe_export.collect.options import CollectOptions
from transcribe_export.collect.reader import WordStreamReader, counted
from transcribe_export.models import Cue, SessionInfo, Transcript, Word
from transcribe_export.run.pipeline import PresetLike, segmentation_settings
from transcribe_export.scripts import join_lines
from transcribe_export.segmentation.stream import STRETCH_WORDS, CannotStream, StreamSegmenter
from transcribe_export.write import DEFAULT_FORMATS, finished, parse_formats
from transcribe_export.write.subrip import block
from transcribe_export.write.timeline import WriteOptions
from transcribe_export.write.transcript_json import assemble, header, segment, word
from transcribe_export.write.vtt import cue_block

__all__ = ["STREAMED_FORMATS", "CannotStream", "Converted", "convert_capture", "streamable"]

#: The formats a capture is converted to in stretches.
STREAMED_FORMATS = frozenset({"srt", "vtt", "json"})


@dataclass(frozen=True)
class Converted:
    """The texts of a converted capture, by format (in the order asked), and how many words and cues they hold."""

    texts: dict[str, str]
    words: int
    cues: int


def streamable(formats: Sequence[str], writing: WriteOptions) -> bool:
    """Can these files be written from a capture in stretches (:data:`STREAMED_FORMATS`, no shift)?"""
    return set(formats) <= STREAMED_FORMATS and not writing.shift_ms


class _Reader(WordStreamReader):
    """The words stream reader, but a frame without an id is remembered by its hash, not its text: a
    hash seen before (a frame sent again, or two texts of one hash) is left to the whole-session
    reader, which compares the texts."""

    def __init__(self, stream_id: str, options: CollectOptions) -> None:
        super().__init__(
            stream_id, max_frame_bytes=options.max_frame_bytes, max_words=options.max_words, lenient=options.lenient
        )
        self._hashes: set[int] = set()

    def _seen_before(self, data: str) -> bool:
        key = hash(data)
        if key in self._hashes:
            raise CannotStream("a frame without an id came again")
        self._hashes.add(key)
        return False

    def take(self) -> list[Word]:
        """The words read since the last call."""
        words = self.words
        self.words, self.word_ids = [], []
        self.taken += len(words)
        return words


class _Texts:
    """The files' texts, built cue by cue."""

    def __init__(self, formats: Sequence[str], writing: WriteOptions) -> None:
        self.formats, self.writing = formats, writing
        self.srt: list[str] = []
        self.vtt: list[str] = ["WEBVTT\n"]
        self.text: list[str] = []  # the JSON's ``text``, joined as join_lines joins the cues' texts
        self.last = ""  # its last character so far
        self.segments: list[str] = []
        self.tokens: list[str] = []
        self.cues = self.words = 0

    def add(self, cues: list[Cue]) -> None:
        if not cues:
            return
        first = self.cues
        if "srt" in self.formats:
            self.srt.extend([block(number, cue) for number, cue in enumerate(cues, first + 1)])
        if "vtt" in self.formats:
            timed = self.writing.word_timing
            self.vtt.extend([cue_block(number, cue, word_timing=timed) for number, cue in enumerate(cues, first + 1)])
        if "json" in self.formats:
            texts = [join_lines(cue.lines) for cue in cues]
            joined = join_lines([self.last, *texts])[len(self.last) :]  # the space before, where join_lines puts one
            if joined:
                self.text.append(joined)
                self.last = joined[-1]
            words: list[str] = []
            for index, (cue, text) in enumerate(zip(cues, texts), first):
                mine = [word(w) for w in cue.words]
                self.segments.append(segment(index, cue, text, mine))
                words.extend(mine)
            if words:
                self.tokens.append(",\n    ".join(words))
        self.cues += len(cues)
        self.words += sum(len(cue.words) for cue in cues)

    def finish(self, transcript: Transcript) -> dict[str, str]:
        texts = {}
        for fmt in self.formats:
            if fmt == "json":
                document = header(transcript, "".join(self.text), self.writing.timeline())
                text = assemble(document, self.segments, self.tokens)
                self.segments, self.tokens = [], []
            else:
                text = "".join(self.srt if fmt == "srt" else self.vtt)
            texts[fmt] = finished(text, fmt, self.writing)
        return texts


def convert_capture(
    chunks: Iterable[bytes],
    session: SessionInfo,
    preset: PresetLike = None,
    *,
    formats: str | Iterable[str] = DEFAULT_FORMATS,
    options: CollectOptions | None = None,
    writing: WriteOptions | None = None,
    stretch: int = STRETCH_WORDS,
) -> Converted:
    """A capture's files, each the text the whole-session path renders (see the module).

    Raises:
        CannotStream: only the whole-session path can convert this capture (nothing is lost: read it again).
        TranscribeExportError: the capture is invalid, as the whole-session reader says it.
    """
    chosen = parse_formats(formats)
    writing = writing or WriteOptions()
    if not streamable(chosen, writing):
        raise CannotStream(f"the formats {', '.join(chosen)} with a shift of {writing.shift_ms} ms")
    reader = _Reader(session.stream_id, options or CollectOptions())
    cutter = StreamSegmenter(preset, stretch=stretch)
    texts = _Texts(chosen, writing)
    for chunk in chunks:
        ended = reader.feed(chunk)
        if reader.words:
            texts.add(cutter.add(reader.take()))
        if ended:
            break
    reader.finish()
    texts.add(cutter.finish())
    if texts.words != reader.taken:
        raise CannotStream("some words are in no cue (a session of blank tokens)")
    preset_used = cutter.preset
    assert preset_used is not None  # finish() decides it
    stats = counted(session, reader, reader.taken, reader.duplicates, False, 0)
    transcript = Transcript(
        session.stream_id, session.status, session.end_reason, reader.end_event, (), (),
        segmentation_settings(preset_used, cutter.detection), stats,
    )
    return Converted(texts.finish(transcript), reader.taken, texts.cues)
