"""transcribe_export: HeyGen Avatar Realtime word timestamps -> SRT, WebVTT, JSON.

The pipeline has three stages, one folder each, read in the order data flows:

1. ``collect/``: :func:`collect_words` reads a session's status and its whole
   words stream over HTTP and returns ordered, validated words;
2. ``segmentation/``: :func:`segment` cuts words into cues by caption rules;
3. ``write/``: :func:`to_srt`, :func:`to_vtt`, :func:`to_json` render a transcript.

``run/`` joins them: :func:`export_session` (one session, files written
atomically) and :func:`export` / :func:`convert` (many, with the state store,
the lock and the report: what the commands of the same names do, with the
same option names). :func:`check` lints subtitle files and :func:`recut`
cuts a transcript again with another preset.

Example::

    import transcribe_export as tx

    outcomes = tx.export(["7f3c2a1e"], out_dir="subs", formats="srt,vtt")  # HEYGEN_API_KEY from the environment
    transcript = tx.recut("subs/7f3c2a1e.json", preset="vertical")
    print(len(transcript.cues), "cues;", transcript.cues[0].text)

Nothing here prints or exits; failures raise subclasses of
:class:`TranscribeExportError` that carry the stream id. Log records go to
the ``transcribe_export`` logger, which has a ``NullHandler``: nothing
reaches stderr unless the caller configures logging.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from transcribe_export._version import __version__

if TYPE_CHECKING:
    from transcribe_export.checker import Report, check
    from transcribe_export.collect.client import HeyGenClient
    from transcribe_export.collect.options import DEFAULT_BASE_URL, CollectOptions
    from transcribe_export.collect.retry import RetryPolicy
    from transcribe_export.emulate.server import Emulator
    from transcribe_export.errors import (
        APIError,
        AuthenticationError,
        ConfigurationError,
        DeadlineExceededError,
        FormatError,
        IncompleteStreamError,
        InputError,
        InvalidFrameError,
        NetworkError,
        NotFoundError,
        NotReadyError,
        OutputError,
        OutputFolderError,
        SessionFailedError,
        StreamError,
        TranscribeExportError,
    )
    from transcribe_export.models import Collected, CollectStats, Cue, SessionInfo, Transcript, Word
    from transcribe_export.reviewer import review
    from transcribe_export.run.batch import convert, export
    from transcribe_export.run.follow import follow, follow_cues
    from transcribe_export.run.outcomes import SessionOutcome
    from transcribe_export.run.pipeline import build_transcript, export_session, recut, write_transcript
    from transcribe_export.run.signals import Stop
    from transcribe_export.run.state import BusyError
    from transcribe_export.segmentation.live import LiveSegmenter
    from transcribe_export.segmentation.presets import Preset, PresetChoice, load_preset, preset_names
    from transcribe_export.segmentation.segmenter import segment
    from transcribe_export.write import render_ass as to_ass
    from transcribe_export.write import render_json as to_json
    from transcribe_export.write import render_scc as to_scc
    from transcribe_export.write import render_srt as to_srt
    from transcribe_export.write import render_ttml as to_ttml
    from transcribe_export.write import render_txt as to_txt
    from transcribe_export.write import render_vtt as to_vtt

logging.getLogger(__name__).addHandler(logging.NullHandler())

# public name -> (module, name there). Imported on first use, so that
# `import transcribe_export` (and `transcribe-export --help`) stays light:
# the network stack, the emulator and sqlite load only when used.
_ERRORS = (
    "APIError", "AuthenticationError", "ConfigurationError", "DeadlineExceededError", "IncompleteStreamError",
    "FormatError", "InputError", "InvalidFrameError", "NetworkError", "NotFoundError", "NotReadyError", "OutputError",
    "OutputFolderError", "SessionFailedError", "StreamError", "TranscribeExportError",
)
_PUBLIC: dict[str, tuple[str, str]] = {
    **{name: ("transcribe_export.errors", name) for name in _ERRORS},
    **{
        name: ("transcribe_export.models", name)
        for name in ("Collected", "CollectStats", "Cue", "SessionInfo", "Transcript", "Word")
    },
    "HeyGenClient": ("transcribe_export.collect.client", "HeyGenClient"),
    "DEFAULT_BASE_URL": ("transcribe_export.collect.options", "DEFAULT_BASE_URL"),
    "CollectOptions": ("transcribe_export.collect.options", "CollectOptions"),
    "RetryPolicy": ("transcribe_export.collect.retry", "RetryPolicy"),
    "Preset": ("transcribe_export.segmentation.presets", "Preset"),
    "PresetChoice": ("transcribe_export.segmentation.presets", "PresetChoice"),
    "load_preset": ("transcribe_export.segmentation.presets", "load_preset"),
    "preset_names": ("transcribe_export.segmentation.presets", "preset_names"),
    "segment": ("transcribe_export.segmentation.segmenter", "segment"),
    "LiveSegmenter": ("transcribe_export.segmentation.live", "LiveSegmenter"),
    "follow": ("transcribe_export.run.follow", "follow"),
    "follow_cues": ("transcribe_export.run.follow", "follow_cues"),
    **{f"to_{fmt}": ("transcribe_export.write", f"render_{fmt}") for fmt in ("ass", "json", "scc", "srt", "ttml", "txt", "vtt")},
    "build_transcript": ("transcribe_export.run.pipeline", "build_transcript"),
    "export_session": ("transcribe_export.run.pipeline", "export_session"),
    "recut": ("transcribe_export.run.pipeline", "recut"),
    "write_transcript": ("transcribe_export.run.pipeline", "write_transcript"),
    "SessionOutcome": ("transcribe_export.run.outcomes", "SessionOutcome"),
    "Stop": ("transcribe_export.run.signals", "Stop"),
    "export": ("transcribe_export.run.batch", "export"),
    "convert": ("transcribe_export.run.batch", "convert"),
    "BusyError": ("transcribe_export.run.state", "BusyError"),
    "check": ("transcribe_export.checker", "check"),
    "review": ("transcribe_export.reviewer", "review"),
    "Report": ("transcribe_export.checker", "Report"),
    "Emulator": ("transcribe_export.emulate.server", "Emulator"),
}

__all__ = [
    "APIError",
    "AuthenticationError",
    "BusyError",
    "CollectOptions",
    "CollectStats",
    "Collected",
    "ConfigurationError",
    "Cue",
    "DEFAULT_BASE_URL",
    "DeadlineExceededError",
    "Emulator",
    "FormatError",
    "HeyGenClient",
    "IncompleteStreamError",
    "InputError",
    "InvalidFrameError",
    "LiveSegmenter",
    "NetworkError",
    "NotFoundError",
    "NotReadyError",
    "OutputError",
    "OutputFolderError",
    "Preset",
    "PresetChoice",
    "Report",
    "RetryPolicy",
    "SessionFailedError",
    "SessionInfo",
    "SessionOutcome",
    "Stop",
    "StreamError",
    "TranscribeExportError",
    "Transcript",
    "Word",
    "__version__",
    "build_transcript",
    "check",
    "collect_words",
    "convert",
    "export",
    "export_session",
    "follow",
    "follow_cues",
    "load_preset",
    "preset_names",
    "recut",
    "review",
    "segment",
    "to_ass",
    "to_json",
    "to_scc",
    "to_srt",
    "to_ttml",
    "to_txt",
    "to_vtt",
    "write_transcript",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _PUBLIC[name]
    except KeyError:
        raise AttributeError(f"module 'transcribe_export' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # once looked up, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def collect_words(
    stream_id: str, *, client: HeyGenClient | None = None, options: CollectOptions | None = None
) -> Collected:
    """Stage 1 alone: the session's status and its ordered, validated words.

    Pass the result to :func:`build_transcript` (or its ``.words`` to :func:`segment`).

    Args:
        client: the client to use; by default one from the environment.
        options: waiting, retries and limits.
    """
    from transcribe_export.collect.client import HeyGenClient
    from transcribe_export.collect.session import collect

    return collect(client if client is not None else HeyGenClient.from_env(), stream_id, options)
