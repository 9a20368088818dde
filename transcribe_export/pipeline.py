"""The three stages joined: collect -> segment -> write.

Everything a file needs is rendered in memory first, then all files of a
session are written atomically together, so a session either gets all its
files or none.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

from transcribe_export.client import HeyGenClient
from transcribe_export.collector import Collected, CollectOptions, collect
from transcribe_export.errors import ConfigurationError, OutputError
from transcribe_export.files import safe_name, write_atomic
from transcribe_export.gcpause import paused_gc
from transcribe_export.models import Transcript
from transcribe_export.presets import Preset, PresetChoice
from transcribe_export.segmenter import ALGORITHM, resolve_preset, segment
from transcribe_export.writers import FORMATS, render

__all__ = ["DEFAULT_FORMATS", "build_transcript", "check_formats", "export_session", "write_transcript"]

log = logging.getLogger(__name__)

DEFAULT_FORMATS: tuple[str, ...] = ("srt", "vtt", "json")


def check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """Validate format names, keeping their order and dropping repeats."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ConfigurationError(
            f"unknown output format {unknown[0]!r}" if unknown else "no output format given",
            key="format",
            hint=f"Choose from {', '.join(FORMATS)} (comma-separated).",
        )
    return tuple(dict.fromkeys(formats))


def build_transcript(collected: Collected, preset: Preset | PresetChoice | str | None = None) -> Transcript:
    """Cut collected words into cues and wrap everything as a :class:`Transcript`.

    Args:
        preset: a :class:`Preset`, a name, ``"auto"``, or ``None`` for Netflix English.
    """
    chosen = resolve_preset(preset, collected.words)
    with paused_gc():
        cues = tuple(segment(collected.words, preset=chosen))
    return Transcript(
        stream_id=collected.session.stream_id,
        status=collected.session.status,
        end_reason=collected.session.end_reason,
        end_event=collected.end_event,
        words=collected.words,
        cues=cues,
        settings={"algorithm": ALGORITHM, **chosen.as_dict()},
        stats=collected.stats,
    )


def write_transcript(
    transcript: Transcript,
    out_dir: Path,
    formats: Sequence[str] = DEFAULT_FORMATS,
    *,
    name: str | None = None,
    word_timing: bool = False,
) -> list[Path]:
    """Write ``out_dir/<name>.<format>`` for each format, atomically (the folder is made if missing).

    Args:
        name: the file name without suffix; by default made safe from the stream id.
        word_timing: WebVTT with an inline timestamp before each word.
        name: the file name without suffix; by default made safe from the stream id.

    Returns:
        The paths written, in the order of ``formats``.

    Raises:
        OutputError: the files can't be written; none of them was.
    """
    base = name if name is not None else safe_name(transcript.stream_id)
    with paused_gc():
        rendered = {
            out_dir / f"{base}.{fmt}": render(transcript, fmt, word_timing=word_timing) for fmt in check_formats(formats)
        }
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(rendered)
    except OSError as exc:
        raise OutputError(
            f"cannot write its files in {str(out_dir)!r} ({exc.strerror or exc}); nothing was written",
            stream_id=transcript.stream_id,
            hint="Check the folder's permissions and free space.",
        ) from None
    for path in rendered:
        log.info("stream %r: wrote %s", transcript.stream_id, path)
    return list(rendered)


def export_session(
    stream_id: str,
    *,
    client: HeyGenClient | None = None,
    out_dir: Path | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    preset: Preset | PresetChoice | str | None = None,
    options: CollectOptions | None = None,
    word_timing: bool = False,
    name: str | None = None,
) -> Transcript:
    """Collect one session, cut its cues and (if ``out_dir`` is given) write its files.

    Args:
        client: the client to use; by default one from the environment
            (``HEYGEN_API_KEY``, ``HEYGEN_BASE_URL``; :meth:`HeyGenClient.from_env`).
        formats: any of ``srt``, ``vtt``, ``json``.
        preset: a :class:`Preset`, a preset name, ``"auto"``, or ``None`` for Netflix English.
        options: waiting, retries and limits for the collector.
        word_timing: WebVTT with an inline timestamp before each word.

    Raises:
        TranscribeExportError: any expected failure, naming the stream id;
            no file is written then.
    """
    formats = check_formats(formats)
    client = client if client is not None else HeyGenClient.from_env()
    transcript = build_transcript(collect(client, stream_id, options), preset)
    if out_dir is not None:
        write_transcript(transcript, out_dir, formats, name=name, word_timing=word_timing)
    return transcript
