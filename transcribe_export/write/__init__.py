"""Stage 3, write: a transcript in, the text of each file out, looked up by format name.

Each writer renders to a string in memory (:mod:`.subrip`, :mod:`.vtt`,
:mod:`.transcript_json`); :mod:`.files` writes them atomically, so a failing
writer never leaves a partial file. :data:`FORMATS` is the one list of
formats: the command line's choices, the default and every check come from it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Callable, Iterable

from transcribe_export.errors import ConfigurationError

if TYPE_CHECKING:
    from transcribe_export.models import Transcript
    from transcribe_export.write.subrip import render_srt
    from transcribe_export.write.transcript_json import render_json
    from transcribe_export.write.vtt import render_vtt

__all__ = ["DEFAULT_FORMATS", "FORMATS", "parse_formats", "render", "render_json", "render_srt", "render_vtt"]

#: format name (also the file suffix) -> the module of this package that renders it, with ``render_<name>``.
#: Writers load when a format is first rendered: a command that writes nothing never imports srt or webvtt.
FORMATS: dict[str, str] = {
    "srt": "subrip",
    "vtt": "vtt",
    "json": "transcript_json",
}


def renderer(fmt: str) -> Callable[..., str]:
    """The function that renders format ``fmt`` (``render_srt`` for ``srt``)."""
    return getattr(importlib.import_module(f"{__name__}.{FORMATS[fmt]}"), f"render_{fmt}")  # type: ignore[no-any-return]


def __getattr__(name: str) -> Any:
    fmt = name.removeprefix("render_")
    if name.startswith("render_") and fmt in FORMATS:
        return renderer(fmt)
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


def render(transcript: Transcript, fmt: str, *, word_timing: bool = False) -> str:
    """Render ``transcript`` in format ``fmt`` (one of :data:`FORMATS`).

    Args:
        word_timing: WebVTT only: an inline timestamp before each word.
    """
    if fmt == "vtt" and word_timing:
        return renderer("vtt")(transcript, word_timing=True)
    return renderer(fmt)(transcript)
