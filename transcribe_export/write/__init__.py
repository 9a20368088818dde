"""Stage 3, write: a transcript in, the text of each file out, looked up by format name.

Each writer renders to a string in memory (:mod:`.subrip`, :mod:`.vtt`,
:mod:`.transcript_json`, :mod:`.ttml`, :mod:`.scc`, :mod:`.ass`, :mod:`.txt`);
:mod:`.files` writes them atomically, so a failing writer never leaves a
partial file. :data:`FORMATS` is the one list of formats: the command line's
choices, the default and every check come from it. :mod:`.timeline` holds
what applies to every format alike: the shift onto the editor's timeline,
line endings and the byte order mark.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Callable, Iterable

from transcribe_export.errors import ConfigurationError

if TYPE_CHECKING:
    from transcribe_export.models import Cue, Transcript
    from transcribe_export.write.ass import render_ass
    from transcribe_export.write.scc import render_scc
    from transcribe_export.write.subrip import render_srt
    from transcribe_export.write.timeline import WriteOptions
    from transcribe_export.write.transcript_json import render_json
    from transcribe_export.write.ttml import render_ttml
    from transcribe_export.write.txt import render_txt
    from transcribe_export.write.vtt import render_vtt

__all__ = [
    "BOM_FORMATS", "DEFAULT_FORMATS", "FORMATS", "HLS_MPEGTS", "HLS_SEGMENT_SECONDS", "LINE_ENDINGS", "WriteOptions",
    "finished", "parse_formats",
    "render", "render_ass", "render_json",
    "render_scc", "render_srt", "render_ttml", "render_txt", "render_vtt", "shifted",
]

#: format name (also the file suffix) -> the module of this package that renders it, with ``render_<name>``.
#: Writers load when a format is first rendered: a command that writes nothing never imports srt or webvtt.
FORMATS: dict[str, str] = {
    "srt": "subrip",
    "vtt": "vtt",
    "json": "transcript_json",
    "ttml": "ttml",
    "scc": "scc",
    "ass": "ass",
    "txt": "txt",
}

#: The HLS subtitle rendition's defaults (:mod:`.hls`), here so the command line reads them without loading
#: the writer: the MPEG-TS time the cues' zero is mapped to (90 kHz clock), 10 s as in Apple's segmenters and
#: webvtt-py; and a segment's duration, 6 s as Apple's HLS authoring guide advises.
HLS_MPEGTS = 900_000
HLS_SEGMENT_SECONDS = 6

#: Formats that may start with a byte order mark: not JSON (RFC 8259 §8.1 forbids
#: one) and not SCC (readers expect ``Scenarist_SCC`` as the file's first bytes).
BOM_FORMATS = frozenset({"srt", "vtt", "ttml", "ass", "txt"})

#: ``line_endings`` name -> what ends each line (:class:`~.timeline.WriteOptions`).
LINE_ENDINGS = {"lf": "\n", "crlf": "\r\n"}


def renderer(fmt: str) -> Callable[..., str]:
    """The function that renders format ``fmt`` (``render_srt`` for ``srt``)."""
    return getattr(importlib.import_module(f"{__name__}.{FORMATS[fmt]}"), f"render_{fmt}")  # type: ignore[no-any-return]


def __getattr__(name: str) -> Any:
    # The writers, and WriteOptions with the timeline code, load on first use: the command
    # line reads this module's names without loading the pipeline (models, fractions).
    fmt = name.removeprefix("render_")
    if name.startswith("render_") and fmt in FORMATS:
        return renderer(fmt)
    if name == "WriteOptions":
        from transcribe_export.write.timeline import WriteOptions

        return WriteOptions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: What is written when no format is named.
DEFAULT_FORMATS: tuple[str, ...] = ("srt", "vtt", "json")


def parse_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """Format names from ``"srt,vtt"`` or ``["srt", "vtt"]``: checked, in order, repeats dropped.

    >>> parse_formats("srt, VTT"), parse_formats(["json", "srt", "json"])
    (('srt', 'vtt'), ('json', 'srt'))

    Raises:
        ConfigurationError: an unknown format, or none at all.
    """
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    names = [str(item).strip().lower() for item in items if str(item).strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise ConfigurationError(
            f"unknown output format {unknown[0]!r}" if unknown else "no output format given",
            key="formats",
            hint=f"Choose from {', '.join(FORMATS)} (comma-separated).",
        )
    return tuple(dict.fromkeys(names))


def shifted(transcript: Transcript, shift_ms: int) -> Transcript:
    """The transcript with every cue (and each word's place on it) moved by ``shift_ms``.

    Raises:
        FormatError: a cue would start before zero.
    """
    if not shift_ms:
        return transcript
    from dataclasses import replace

    from transcribe_export.errors import FormatError

    first = transcript.cues[0] if transcript.cues else None
    if first is not None and first.start_ms + shift_ms < 0:
        raise FormatError(
            f"a shift of {shift_ms / 1000:+.3f} s would put cue 1 (at {first.start_ms / 1000:.3f} s) before zero",
            stream_id=transcript.stream_id, hint="Give a later `start_timecode` or a smaller negative `offset`.",
        )

    def move(cue: Cue) -> Cue:
        chunks = tuple(
            tuple(replace(c, start_ms=c.start_ms + shift_ms, end_ms=c.end_ms + shift_ms) for c in line) for line in cue.chunks
        )
        return replace(cue, start_ms=cue.start_ms + shift_ms, end_ms=cue.end_ms + shift_ms, chunks=chunks)

    return replace(transcript, cues=tuple(move(cue) for cue in transcript.cues))


def render(transcript: Transcript, fmt: str, *, word_timing: bool = False, options: WriteOptions | None = None) -> str:
    """Render ``transcript`` in format ``fmt`` (one of :data:`FORMATS`).

    Args:
        word_timing: WebVTT only: an inline timestamp before each word.
        options: the timeline shift, line endings and BOM (and word timing);
            every format but JSON is shifted, the JSON records the shift.

    Raises:
        FormatError: the format can't carry this transcript (see :func:`shifted`
            and :func:`~transcribe_export.write.scc.render_scc`).
    """
    if options is None:
        from transcribe_export.write.timeline import WriteOptions

        options = WriteOptions(word_timing=word_timing)
    if fmt == "json":
        text = renderer("json")(transcript, timeline=options.timeline())
    elif fmt == "vtt" and (options.word_timing or word_timing):
        text = renderer("vtt")(shifted(transcript, options.shift_ms), word_timing=True)
    else:
        text = renderer(fmt)(shifted(transcript, options.shift_ms))
    return finished(text, fmt, options)


def finished(text: str, fmt: str, options: WriteOptions) -> str:
    """A rendered text with the line endings and the byte order mark ``options`` ask for."""
    if options.line_endings != "lf":
        text = text.replace("\n", LINE_ENDINGS[options.line_endings])
    if options.bom and fmt in BOM_FORMATS:
        text = "\ufeff" + text
    return text
