"""transcribe_export: HeyGen Avatar Realtime word timestamps -> SRT, WebVTT, JSON.

The pipeline has three stages, each usable on its own:

1. collect: :func:`collect_words` reads a session's status and its whole
   words stream over HTTP and returns ordered, validated words;
2. segment: :func:`segment` cuts words into cues by caption rules;
3. write: :func:`to_srt`, :func:`to_vtt`, :func:`to_json` render a transcript.

:func:`export_session` runs all three and writes the files atomically.

:func:`export_many` does what the ``export`` command does: many sessions in
parallel, with the same outcomes, state store and lock.

Example::

    from pathlib import Path
    import transcribe_export as tx

    client = tx.HeyGenClient(api_key="...")           # or base_url= the emulator
    transcript = tx.export_session("7f3c2a1e", client=client, out_dir=Path("subs"))
    print(len(transcript.cues), "cues;", transcript.cues[0].text)

Nothing here prints or exits; failures raise subclasses of
:class:`TranscribeExportError` that carry the stream id.
"""

from __future__ import annotations

from transcribe_export._version import __version__
from transcribe_export.batch import SessionOutcome, export_many
from transcribe_export.client import DEFAULT_BASE_URL, HeyGenClient
from transcribe_export.collector import Collected, CollectOptions
from transcribe_export.collector import collect as _collect
from transcribe_export.emulator import Emulator
from transcribe_export.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    DeadlineExceededError,
    IncompleteStreamError,
    InputError,
    InvalidFrameError,
    NetworkError,
    NotFoundError,
    NotReadyError,
    OutputError,
    SessionFailedError,
    StreamError,
    TranscribeExportError,
)
from transcribe_export.models import CollectStats, Cue, SessionInfo, Transcript, Word
from transcribe_export.pipeline import build_transcript, export_session, write_transcript
from transcribe_export.presets import Preset, load_preset
from transcribe_export.segmenter import segment
from transcribe_export.state import BusyError
from transcribe_export.writers import render_json as to_json
from transcribe_export.writers import render_srt as to_srt
from transcribe_export.writers import render_vtt as to_vtt

__all__ = [
    "APIError",
    "AuthenticationError",
    "BusyError",
    "CollectOptions",
    "Collected",
    "CollectStats",
    "ConfigurationError",
    "Cue",
    "DEFAULT_BASE_URL",
    "DeadlineExceededError",
    "Emulator",
    "HeyGenClient",
    "IncompleteStreamError",
    "InputError",
    "InvalidFrameError",
    "NetworkError",
    "NotFoundError",
    "NotReadyError",
    "OutputError",
    "Preset",
    "SessionFailedError",
    "SessionInfo",
    "SessionOutcome",
    "StreamError",
    "Transcript",
    "TranscribeExportError",
    "Word",
    "__version__",
    "build_transcript",
    "collect_words",
    "export_many",
    "export_session",
    "load_preset",
    "segment",
    "to_json",
    "to_srt",
    "to_vtt",
    "write_transcript",
]


def collect_words(
    stream_id: str, *, client: HeyGenClient | None = None, options: CollectOptions | None = None
) -> Collected:
    """Stage 1 alone: the session's status and its ordered, validated words.

    Args:
        client: the client to use; by default one from the environment.
        options: waiting, retries and limits.
    """
    return _collect(client if client is not None else HeyGenClient.from_env(), stream_id, options)
