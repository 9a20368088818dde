"""Many sessions at once: parallel, idempotent, resumable. The engine behind
``transcribe-export export`` and :func:`export_many`.

Each id ends in one outcome: ``exported``, ``up-to-date`` (an earlier run
exported it and its files are still there), ``not-ready`` (pending or
streaming, with ``wait=False``) or ``failed``. Outcomes go to the state store
in the output folder as they come, so a later run redoes only what is left:
transient failures are retried, permanent ones (the session failed at
HeyGen, no such session, a bad frame) only when asked.

Workers share one client, so one connection pool and one rate limiter: a
429 seen by any worker holds back every request until its ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from transcribe_export.client import HeyGenClient
from transcribe_export.collector import CollectOptions
from transcribe_export.errors import (
    ConfigurationError,
    InvalidFrameError,
    NotFoundError,
    NotReadyError,
    SessionFailedError,
    TranscribeExportError,
)
from transcribe_export.files import safe_name
from transcribe_export.models import Transcript
from transcribe_export.pipeline import DEFAULT_FORMATS, check_formats, export_session
from transcribe_export.presets import Preset, PresetChoice
from transcribe_export.state import StateStore

__all__ = ["OUTCOMES", "SessionOutcome", "export_many", "file_name"]

log = logging.getLogger(__name__)

OUTCOMES = ("exported", "up-to-date", "not-ready", "failed")
#: Failures that will fail the same way next time; retried only with ``retry_failed``.
PERMANENT = (SessionFailedError, NotFoundError, InvalidFrameError)


@dataclass(frozen=True, slots=True)
class SessionOutcome:
    """How one id ended.

    Attributes:
        stream_id: the id.
        outcome: one of :data:`OUTCOMES`.
        reason: the error or the not-ready message, or ``None``.
        files: the file names written (in the output folder).
        words: words in the transcript.
        cues: cues written.
        seconds: how long it took.
        permanent: a failure that will not go away by itself.
    """

    stream_id: str
    outcome: str
    reason: str | None = None
    files: tuple[str, ...] = ()
    words: int = 0
    cues: int = 0
    seconds: float = 0.0
    permanent: bool = False

    def as_dict(self) -> dict[str, Any]:
        """For the ``--report`` file."""
        data = asdict(self)
        data["files"] = list(self.files)
        data["seconds"] = round(self.seconds, 3)
        return data


def file_name(template: str, stream_id: str) -> str:
    """The file name (without suffix) for an id: the template filled in, then made safe.

    >>> file_name("{stream_id}", "7f3c"), file_name("heygen-{stream_id}", "A/B").split("~")[0]
    ('7f3c', 'heygen-A_B')
    """
    return safe_name(template.format(stream_id=stream_id))


def _check_template(template: str) -> None:
    try:
        template.format(stream_id="x")
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigurationError(
            f"the name template {template!r} is not valid ({exc})", key="name_template",
            hint="Use {stream_id} as the only field, e.g. 'heygen-{stream_id}'.",
        ) from None
    if "{stream_id}" not in template:
        raise ConfigurationError(
            f"the name template {template!r} has no {{stream_id}}, so two sessions would share a file",
            key="name_template",
        )


def _words_checksum(transcript: Transcript) -> str:
    digest = hashlib.sha256()
    for word in transcript.words:
        digest.update(f"{word.text}\0{word.start!r}\0{word.end!r}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def export_many(
    stream_ids: Iterable[str],
    *,
    out_dir: Path,
    client: HeyGenClient | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    preset: Preset | PresetChoice | str | None = None,
    options: CollectOptions | None = None,
    jobs: int = 4,
    force: bool = False,
    retry_failed: bool = False,
    name_template: str = "{stream_id}",
    word_timing: bool = False,
    on_done: Callable[[SessionOutcome], None] | None = None,
    stop: threading.Event | None = None,
) -> list[SessionOutcome]:
    """Export many sessions into ``out_dir``, in parallel, skipping what is already done.

    Args:
        stream_ids: the ids (duplicates are collapsed, order kept).
        out_dir: the output folder (created if missing); it holds the state store.
        client: the client to share; by default one from the environment
            (:meth:`HeyGenClient.from_env`).
        jobs: sessions exported at once.
        force: export again even what is up to date.
        retry_failed: try again ids whose last failure was permanent.
        name_template: file names, with ``{stream_id}`` (still made safe).
        on_done: called (in this thread) with each outcome as it comes.
        stop: when set, no further session starts; those under way finish.

    Returns:
        One outcome per id, in the order given; ids never started (after a
        stop) are left out.

    Raises:
        ConfigurationError: a bad option, before any request.
        BusyError: another run holds the output folder.
    """
    formats = check_formats(formats)
    _check_template(name_template)
    if jobs < 1:
        raise ConfigurationError(f"jobs must be at least 1, not {jobs}", key="jobs")
    if isinstance(preset, PresetChoice):
        preset.validate()
    ids = list(dict.fromkeys(stream_ids))
    client = client if client is not None else HeyGenClient.from_env()
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, SessionOutcome] = {}
    with StateStore(out_dir) as state:
        todo = []
        for stream_id in ids:
            known = state.get(stream_id) if not force else None
            if known and known.outcome == "exported" and _still_there(out_dir, known.files, formats, name_template, stream_id):
                results[stream_id] = SessionOutcome(stream_id, "up-to-date", files=known.files)
            elif known and known.outcome == "failed" and known.permanent and not retry_failed:
                reason = f"{known.last_error} (a permanent failure: --retry-failed tries it again)"
                results[stream_id] = SessionOutcome(stream_id, "failed", reason=reason, permanent=True)
            else:
                todo.append(stream_id)
                continue
            if on_done is not None:
                on_done(results[stream_id])

        def one(stream_id: str) -> tuple[SessionOutcome, str | None]:
            started = time.monotonic()
            name = file_name(name_template, stream_id)
            try:
                transcript = export_session(
                    stream_id, client=client, out_dir=out_dir, formats=formats, preset=preset, options=options,
                    word_timing=word_timing, name=name,
                )
            except NotReadyError as error:
                return SessionOutcome(stream_id, "not-ready", str(error), seconds=time.monotonic() - started), None
            except TranscribeExportError as error:
                permanent = isinstance(error, PERMANENT)
                outcome = SessionOutcome(stream_id, "failed", str(error), seconds=time.monotonic() - started, permanent=permanent)
                return outcome, None
            outcome = SessionOutcome(
                stream_id, "exported", None, tuple(f"{name}.{fmt}" for fmt in formats), len(transcript.words),
                len(transcript.cues), time.monotonic() - started,
            )
            return outcome, _words_checksum(transcript)

        pending = iter(todo)
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="export") as pool:
            running: set[Future[tuple[SessionOutcome, str | None]]] = set()
            while True:
                # Start sessions only while not told to stop; those under way always finish.
                while len(running) < jobs and not (stop is not None and stop.is_set()):
                    following = next(pending, None)
                    if following is None:
                        break
                    running.add(pool.submit(one, following))
                if not running:
                    break
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome, checksum = future.result()
                    state.put(
                        outcome.stream_id, outcome.outcome, error=outcome.reason, permanent=outcome.permanent,
                        files=outcome.files, words_sha256=checksum,
                    )
                    results[outcome.stream_id] = outcome
                    if on_done is not None:
                        on_done(outcome)
    return [results[i] for i in ids if i in results]


def _still_there(out_dir: Path, files: tuple[str, ...], formats: Sequence[str], template: str, stream_id: str) -> bool:
    """An earlier export counts only if every file asked for now is still on disk."""
    name = file_name(template, stream_id)
    wanted = {f"{name}.{fmt}" for fmt in formats}
    return wanted <= set(files) and all((out_dir / f).is_file() for f in wanted)
