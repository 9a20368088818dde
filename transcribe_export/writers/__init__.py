"""Writers: a transcript in, the text of one file out, looked up by format name.

Each writer renders to a string in memory; :mod:`transcribe_export.files`
writes it atomically, so a failing writer never leaves a partial file.
"""

from __future__ import annotations

from typing import Callable

from transcribe_export.models import Transcript
from transcribe_export.writers.subrip import render_srt
from transcribe_export.writers.transcript_json import render_json
from transcribe_export.writers.webvtt_format import render_vtt

__all__ = ["FORMATS", "render", "render_json", "render_srt", "render_vtt"]

#: format name -> the function that renders it. The name is also the file suffix.
FORMATS: dict[str, Callable[[Transcript], str]] = {
    "srt": render_srt,
    "vtt": render_vtt,
    "json": render_json,
}


def render(transcript: Transcript, fmt: str, *, word_timing: bool = False) -> str:
    """Render ``transcript`` in format ``fmt`` (``srt``, ``vtt`` or ``json``).

    Args:
        word_timing: WebVTT only: an inline timestamp before each word.
    """
    if fmt == "vtt" and word_timing:
        return render_vtt(transcript, word_timing=True)
    return FORMATS[fmt](transcript)
