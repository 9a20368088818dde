"""Follow one session live: each cue as soon as it is final, files that grow, and at the end export's files.

The engine behind ``transcribe-export follow`` and the library's :func:`follow`
and :func:`follow_cues`. The words come from the collector exactly as for
``export`` (waiting while the session is pending, resuming after cuts, each word
once); each batch goes to a :class:`~.segmentation.live.LiveSegmenter`, whose
final cues are handed on at once:

* to ``on_cue`` (the command prints them: JSON lines, SRT or WebVTT);
* to ``OUT_DIR/<name>.srt`` and ``.vtt``, rewritten atomically with every cue
  final so far (a reader never sees half a cue);
* to an HLS subtitle rendition (:mod:`transcribe_export.write.hls`), if asked.

At the ``end`` event the session is cut whole, as ``export`` cuts it, and its
files written as ``export`` writes them: the same bytes. The cues given out live
are the first of those cues (:class:`~.segmentation.live.LiveSegmenter`); if
they ever differ (words that arrived out of start order), the log says so and
the files are still the whole session's.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from transcribe_export.collect.options import (
    CONNECT_TIMEOUT,
    READ_TIMEOUT,
    REQUEST_TIMEOUT,
    RETRIES,
    RETRY_AFTER_MAX,
    CollectOptions,
)
from transcribe_export.errors import OutputError
from transcribe_export.models import Cue, Transcript, Word
from transcribe_export.run import DEFAULT_OUT_DIR
from transcribe_export.run.pipeline import build_transcript, write_transcript
from transcribe_export.segmentation.live import LiveSegmenter
from transcribe_export.segmentation.presets import DEFAULT_PRESET, Preset, PresetChoice
from transcribe_export.write import DEFAULT_FORMATS, parse_formats, render
from transcribe_export.write.files import safe_name, write_atomic
from transcribe_export.write.hls import DEFAULT_MPEGTS, DEFAULT_SEGMENT_SECONDS, HLSWriter
from transcribe_export.write.subrip import subtitle
from transcribe_export.write.timeline import WriteOptions
from transcribe_export.write.vtt import cue_block

if TYPE_CHECKING:
    from transcribe_export.collect.client import HeyGenClient

__all__ = ["cue_text", "follow", "follow_cues", "follow_session"]

log = logging.getLogger(__name__)

#: the files kept growing while the session streams (those of them among the chosen formats)
GROWING = ("srt", "vtt")


def follow(
    stream_id: str,
    *,
    client: HeyGenClient | None = None,
    out_dir: str | os.PathLike[str] = DEFAULT_OUT_DIR,
    preset: Preset | PresetChoice | str | None = DEFAULT_PRESET,
    config: str | os.PathLike[str] | None = None,
    fps: str | float | None = None,
    language: str | None = None,
    word_timing: bool = False,
    offset: str | float | None = None,
    start_timecode: str | None = None,
    line_endings: str = "lf",
    bom: bool = False,
    hls_dir: str | os.PathLike[str] | None = None,
    hls_segment: int = DEFAULT_SEGMENT_SECONDS,
    hls_mpegts: int = DEFAULT_MPEGTS,
    base_url: str | None = None,
    api_key_file: str | os.PathLike[str] | None = None,
    allow_insecure_http: bool = False,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
    request_timeout: float = REQUEST_TIMEOUT,
    wait_timeout: float = CollectOptions.wait_timeout,
    max_duration: float = CollectOptions.max_duration,
    retries: int = RETRIES,
    retry_after_max: float = RETRY_AFTER_MAX,
    lenient: bool = CollectOptions.lenient,
    max_frame_bytes: int = CollectOptions.max_frame_bytes,
    max_words: int = CollectOptions.max_words,
    on_cue: Callable[[int, Cue], None] | None = None,
) -> Transcript:
    """Follow a pending, streaming or completed session until its end; return its transcript.

    Writes ``out_dir/<id>.srt``, ``.vtt`` and ``.json`` at the end, as ``export`` does (the same
    options by the same names); the SRT and WebVTT files grow meanwhile.

    Args:
        preset: as for ``export``; ``auto`` waits until the language is sure before the first cue.
        hls_dir: also keep an HLS subtitle rendition here (``captions.m3u8`` and its segments).
        hls_segment: the HLS segments' duration in whole seconds.
        hls_mpegts: the video's MPEG-TS time (90 kHz) at the session's zero, for ``X-TIMESTAMP-MAP``.
        on_cue: called with each cue's number (from 1) and the cue, as soon as it is final, in order.

    Raises:
        ConfigurationError: a bad option, before any request.
        TranscribeExportError: as ``export`` does, naming the stream id. The growing files then
            stay as they were (each whole), and no file of the end is written.
    """
    from transcribe_export.errors import ConfigurationError
    from transcribe_export.run.batch import _preset_choice, _write_options, client_from_env
    from transcribe_export.run.inputs import id_problem

    if (problem := id_problem(stream_id)) is not None:
        raise ConfigurationError(f"stream {stream_id!r}: {problem}", key="stream_id")
    rules = _preset_choice(preset, config, fps, language)
    writing = _write_options(rules, word_timing, offset, start_timecode, line_endings, bom)
    if type(hls_segment) is not int or hls_segment <= 0:
        raise ConfigurationError(f"`hls_segment` is {hls_segment!r}; a whole number of seconds above 0 is allowed",
                                 key="hls_segment")
    if type(hls_mpegts) is not int or not 0 <= hls_mpegts < 2**33:
        raise ConfigurationError(f"`hls_mpegts` is {hls_mpegts!r}; a whole number from 0 to 2**33 - 1 is allowed",
                                 key="hls_mpegts")
    options = CollectOptions(wait=True, wait_timeout=wait_timeout, max_duration=max_duration, lenient=lenient,
                             max_frame_bytes=max_frame_bytes, max_words=max_words)
    if client is None:
        client = client_from_env(api_key_file, base_url, allow_insecure_http, connect_timeout, read_timeout,
                                 request_timeout, retries, retry_after_max)
    return follow_session(stream_id, client=client, out_dir=out_dir, preset=rules, options=options,
                          write_options=writing, hls_dir=hls_dir, hls_segment=hls_segment, hls_mpegts=hls_mpegts,
                          on_cue=on_cue)


def follow_session(
    stream_id: str,
    *,
    client: HeyGenClient,
    out_dir: str | os.PathLike[str] = DEFAULT_OUT_DIR,
    formats: str | Iterable[str] = DEFAULT_FORMATS,
    preset: Preset | PresetChoice | str | None = DEFAULT_PRESET,
    options: CollectOptions | None = None,
    name: str | None = None,
    write_options: WriteOptions | None = None,
    hls_dir: str | os.PathLike[str] | None = None,
    hls_segment: int = DEFAULT_SEGMENT_SECONDS,
    hls_mpegts: int = DEFAULT_MPEGTS,
    on_cue: Callable[[int, Cue], None] | None = None,
) -> Transcript:
    """:func:`follow` with its parts made: a client, the collector's options, the write options."""
    from transcribe_export.collect.session import collect  # the network stack, only when used
    from transcribe_export.run.batch import _prepare

    chosen = parse_formats(formats)
    folder = _prepare(out_dir)  # before any request: a folder that can't be made is exit 73
    base = name if name is not None else safe_name(stream_id)
    write_options = write_options or WriteOptions()
    options = replace(options or CollectOptions(), wait=True)
    live = LiveSegmenter(preset)
    hls = None
    if hls_dir is not None:
        try:
            hls = HLSWriter(_prepare(hls_dir), seconds=hls_segment, mpegts=hls_mpegts)
        except OSError as exc:
            raise _cannot_write(stream_id, Path(hls_dir), exc) from None
    growing = [fmt for fmt in GROWING if fmt in chosen]
    settings: dict[str, Any] = {}

    def hand_on(cues: list[Cue]) -> None:  # the cues just added to live.given
        if on_cue is not None:
            for number, cue in enumerate(cues, len(live.given) - len(cues) + 1):
                on_cue(number, cue)

    def arrived(words: list[Word]) -> None:
        fresh = live.add(words)
        if not fresh:
            return
        if growing:  # the files first: a cue handed on is already in them
            if not settings and live.preset is not None:
                settings.update({"name": live.preset.name, "language": live.preset.language})
            partial = Transcript(stream_id, "streaming", None, None, tuple(live.words), tuple(live.given), settings)
            try:
                write_atomic({folder / f"{base}.{fmt}": _renders(partial, fmt, write_options) for fmt in growing})
            except OSError as exc:
                raise _cannot_write(stream_id, folder, exc) from None
        if hls is not None:
            try:
                hls.update(live.given, live.settled_ms)
            except OSError as exc:
                raise _cannot_write(stream_id, hls.folder, exc) from None
        hand_on(fresh)

    collected = collect(client, stream_id, options, on_words=arrived)
    transcript = build_transcript(collected, preset)
    given = len(live.given)
    if list(transcript.cues[:given]) != live.given:
        log.warning("stream %r: the cues shown live differ from the session's (words arrived out of start order);"
                    " the files hold the session's", stream_id)
    write_transcript(transcript, folder, chosen, name=base, options=write_options)
    if hls is not None:
        try:
            hls.finish(transcript.cues)
        except OSError as exc:
            raise _cannot_write(stream_id, hls.folder, exc) from None
    rest = list(transcript.cues[given:])
    live.given.extend(rest)
    hand_on(rest)  # after the files, as during the stream: a cue handed on is in them
    return transcript


def cue_text(number: int, cue: Cue, shown: str, *, word_timing: bool = False) -> str:
    """One final cue as ``follow`` prints it: a JSON line, an SRT block, or a WebVTT block
    (the first after the ``WEBVTT`` header), numbered as in the files.

    >>> cue_text(1, Cue(500, 1800, ("Hi,", "you"), (), "sentence"), "jsonl")
    '{"number": 1, "start": 0.5, "end": 1.8, "lines": ["Hi,", "you"], "break_reason": "sentence"}\\n'
    >>> cue_text(2, Cue(500, 1800, ("a < b",), ()), "srt")
    '2\\n00:00:00,500 --> 00:00:01,800\\na <\u2060 b\\n\\n'
    """
    if shown == "jsonl":
        record = {"number": number, "start": cue.start, "end": cue.end, "lines": list(cue.lines), "break_reason": cue.reason}
        return json.dumps(record, ensure_ascii=False) + "\n"
    if shown == "srt":
        return str(subtitle(number, cue).to_srt())
    if shown == "vtt":
        return ("WEBVTT\n" if number == 1 else "") + cue_block(number, cue, word_timing=word_timing)
    raise ValueError(f"cues are printed as jsonl, srt or vtt, not {shown!r}")


def _cannot_write(stream_id: str, folder: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"cannot write its files in {str(folder)!r} ({exc.strerror or exc}); what was written before is whole",
        stream_id=stream_id, hint="Check the folder's permissions and free space.",
    )


def _renders(partial: Transcript, fmt: str, options: WriteOptions) -> Callable[[], str]:
    return lambda: render(partial, fmt, options=options)


def follow_cues(stream_id: str, **kwargs: Any) -> Iterator[Cue]:
    """Every cue of a session, each as soon as it is final: a generator over :func:`follow` (same arguments).

    The session is followed in a thread of its own; an error there is raised here, after the
    cues that came before it.
    """
    handed: queue.Queue[tuple[str, Any]] = queue.Queue()

    def run() -> None:
        try:
            follow(stream_id, on_cue=lambda _, cue: handed.put(("cue", cue)), **kwargs)
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            handed.put(("error", error))
        else:
            handed.put(("end", None))

    worker = threading.Thread(target=run, name=f"follow-{stream_id}", daemon=True)
    worker.start()
    while True:
        kind, value = handed.get()
        if kind == "cue":
            yield value
        elif kind == "error":
            raise value
        else:
            return
