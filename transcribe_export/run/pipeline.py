"""One session through the three stages: collect -> segment -> write.

Everything a file needs is rendered in memory first, then all files of a
session are written atomically together, so a session either gets all its
files or none.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from transcribe_export.collect.options import CollectOptions
from transcribe_export.errors import OutputError
from transcribe_export.gcpause import paused_gc
from transcribe_export.models import Collected, SessionInfo, Transcript
from transcribe_export.segmentation.presets import Preset, PresetChoice, resolve_preset_detected
from transcribe_export.segmentation.segmenter import ALGORITHM, segment
from transcribe_export.write import DEFAULT_FORMATS, parse_formats, render
from transcribe_export.write.files import safe_name, write_atomic
from transcribe_export.write.timeline import WriteOptions

if TYPE_CHECKING:
    from transcribe_export.collect.client import HeyGenClient
    from transcribe_export.segmentation.languages import Detection

__all__ = ["build_transcript", "export_session", "recut", "scc_cut", "segmentation_settings", "write_texts",
           "write_transcript"]

log = logging.getLogger(__name__)

PresetLike = Preset | PresetChoice | str | None


def build_transcript(collected: Collected, preset: PresetLike = None) -> Transcript:
    """Cut collected words into cues and wrap everything as a :class:`Transcript`.

    Args:
        preset: a :class:`Preset`, a :class:`PresetChoice`, a name, ``"auto"``,
            or ``None`` for the default preset.
    """
    chosen, detection = resolve_preset_detected(preset, (w.text for w in collected.words))
    with paused_gc():
        cues = tuple(segment(collected.words, preset=chosen))
    return Transcript(
        stream_id=collected.session.stream_id,
        status=collected.session.status,
        end_reason=collected.session.end_reason,
        end_event=collected.end_event,
        words=collected.words,
        cues=cues,
        settings=segmentation_settings(chosen, detection),
        stats=collected.stats,
    )


def segmentation_settings(chosen: Preset, detection: Detection | None) -> dict[str, object]:
    """The JSON transcript's ``segmentation``: the algorithm, the preset, and what ``auto`` found."""
    settings: dict[str, object] = {"algorithm": ALGORITHM, **chosen.as_dict()}
    if detection is not None:  # auto: the language it found, how sure, and how (the preset is settings' name)
        settings["detected"] = detection.as_dict()
    return settings


def recut(transcript: Transcript | str | os.PathLike[str], *, preset: PresetLike = None) -> Transcript:
    """The same words cut again with another preset: a :class:`Transcript`, or the path of a JSON transcript.

    No network call: the words, the session's metadata and what the collector
    counted are kept; only the cues and the segmentation settings change.
    """
    if isinstance(transcript, Transcript):
        session = SessionInfo(transcript.stream_id, transcript.status, transcript.end_reason)
        collected = Collected(session, transcript.words, transcript.end_event, transcript.stats)
    else:
        from transcribe_export.collect.offline import load_input  # only this path reads files

        collected = load_input(Path(transcript))
    return build_transcript(collected, preset)


def scc_cut(transcript: Transcript) -> Transcript:
    """The transcript as SCC carries it: words in CEA-608's characters, cues of at most 4 rows of 32 on 29.97 fps frames.

    The transcript's own cues when they already fit; otherwise the same words
    cut again, with its preset where that fits the rows and columns (the
    ``scc`` preset in the same language where not), on 29.97 fps frames.
    """
    from dataclasses import replace

    from transcribe_export.models import Word
    from transcribe_export.segmentation.presets import load_preset, preset_of
    from transcribe_export.write.scc import COLUMNS, ROWS, scc_text

    own = preset_of(transcript.settings)
    words = tuple(word if (text := scc_text(word.text)[0]) == word.text else Word(text, word.start, word.end)
                  for word in transcript.words)
    fits = own is not None and own.max_chars_per_line <= COLUMNS and own.max_lines <= ROWS and own.width == "chars"
    if fits and own is not None and own.fps == "29.97" and all(a is b for a, b in zip(words, transcript.words)):
        return transcript
    language = str(transcript.settings.get("language", "en"))
    base = own if fits and own is not None else replace(load_preset("scc"), language=language)
    rules = replace(base, fps="29.97")
    with paused_gc():
        cues = tuple(segment(words, preset=rules))
    return replace(transcript, words=words, cues=cues, settings={"algorithm": ALGORITHM, **rules.as_dict()})


def write_transcript(
    transcript: Transcript,
    out_dir: str | os.PathLike[str],
    formats: str | Iterable[str] = DEFAULT_FORMATS,
    *,
    name: str | None = None,
    word_timing: bool = False,
    options: WriteOptions | None = None,
) -> list[Path]:
    """Write ``out_dir/<name>.<format>`` for each format, atomically (the folder is made if missing).

    Args:
        formats: ``"srt,vtt"`` or a sequence of format names.
        name: the file name without suffix; by default made safe from the stream id.
        word_timing: WebVTT with an inline timestamp before each word.
        options: the timeline shift, line endings and BOM (see
            :meth:`WriteOptions.make`); ``word_timing`` is added to them.

    Returns:
        The paths written, in the order of ``formats``.

    Raises:
        FormatError: a format can't carry this session; nothing was written.
        OutputError: the files can't be written; none of them was.
    """
    from dataclasses import replace

    folder = Path(out_dir)
    base = name if name is not None else safe_name(transcript.stream_id)
    options = options or WriteOptions()
    if word_timing and not options.word_timing:
        options = replace(options, word_timing=True)
    chosen = parse_formats(formats)

    def renderer(fmt: str) -> Callable[[], str]:  # each file rendered just before it is written: one text at a time
        return lambda: render(scc_cut(transcript) if fmt == "scc" else transcript, fmt, options=options)

    return write_texts(folder, base, {fmt: renderer(fmt) for fmt in chosen}, stream_id=transcript.stream_id)


def write_texts(
    out_dir: str | os.PathLike[str], name: str, texts: Mapping[str, str | Callable[[], str]], *, stream_id: str
) -> list[Path]:
    """Write ``out_dir/<name>.<format>`` for each format's text (or the function that renders it), atomically.

    Raises:
        OutputError: the files can't be written; none of them was.
    """
    folder = Path(out_dir)
    files = {folder / f"{name}.{fmt}": text for fmt, text in texts.items()}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with paused_gc():
            write_atomic(files)
    except OSError as exc:
        raise OutputError(
            f"cannot write its files in {str(folder)!r} ({exc.strerror or exc}); nothing was written",
            stream_id=stream_id,
            hint="Check the folder's permissions and free space.",
        ) from None
    for path in files:
        log.info("stream %r: wrote %s", stream_id, path)
    return list(files)


def export_session(
    stream_id: str,
    *,
    client: HeyGenClient | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    formats: str | Iterable[str] = DEFAULT_FORMATS,
    preset: PresetLike = None,
    options: CollectOptions | None = None,
    word_timing: bool = False,
    name: str | None = None,
    write_options: WriteOptions | None = None,
) -> Transcript:
    """Collect one session, cut its cues and (if ``out_dir`` is given) write its files.

    Args:
        client: a :class:`~transcribe_export.collect.client.HeyGenClient`; by
            default one from the environment (``HEYGEN_API_KEY``, ``HEYGEN_BASE_URL``).
        formats: ``"srt,vtt"`` or a sequence of format names (``srt vtt json ttml scc ass txt``).
        preset: a :class:`Preset`, a :class:`PresetChoice`, a preset name,
            ``"auto"``, or ``None`` for the default preset.
        options: waiting, retries and limits for the collector.
        word_timing: WebVTT with an inline timestamp before each word.
        name: the file name without suffix; by default made safe from the id.
        write_options: the timeline shift, line endings and BOM.

    Raises:
        TranscribeExportError: any expected failure, naming the stream id;
            no file is written then.
    """
    from transcribe_export.collect.client import HeyGenClient  # the network stack, only when used
    from transcribe_export.collect.session import collect

    chosen_formats = parse_formats(formats)
    if client is None:
        client = HeyGenClient.from_env()
    collected = collect(client, stream_id, options)
    with paused_gc():  # cut and written in one pause: the collector then passes over the words once, not twice
        transcript = build_transcript(collected, preset)
        if out_dir is not None:
            write_transcript(transcript, out_dir, chosen_formats, name=name, word_timing=word_timing, options=write_options)
    return transcript
