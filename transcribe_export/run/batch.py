"""Many sessions at once: parallel, idempotent, resumable. The engine behind
``transcribe-export export`` and ``convert``, and the library's :func:`export`
and :func:`convert`, which take the same options as the flags.

Each id ends in one outcome: ``exported``, ``up-to-date`` (an earlier run
exported it and its files are still there), ``not-ready`` (pending or
streaming, with ``no_wait``) or ``failed``. Outcomes go to the state store
in the output folder as they come, so a later run redoes only what is left:
transient failures are retried, permanent ones (the session failed at
HeyGen, no such session, a bad frame) only when asked.

Workers share one client, so one connection pool and one rate limiter: a
429 seen by any worker holds back every request until its ``Retry-After``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from transcribe_export._version import __version__
from transcribe_export.collect.options import (
    CONNECT_TIMEOUT,
    READ_TIMEOUT,
    REQUEST_TIMEOUT,
    RETRIES,
    RETRY_AFTER_MAX,
    CollectOptions,
)
from transcribe_export.errors import (
    AuthenticationError,
    ConfigurationError,
    InputError,
    InvalidFrameError,
    NotFoundError,
    NotReadyError,
    OutputFolderError,
    SessionFailedError,
    StoppedError,
    TranscribeExportError,
    bad_value,
)
from transcribe_export.gcpause import paused_gc
from transcribe_export.models import SessionInfo, Transcript
from transcribe_export.run import DEFAULT_JOBS, DEFAULT_NAME_TEMPLATE, DEFAULT_OUT_DIR
from transcribe_export.run.inputs import check_name_template, clash, file_name, id_problem
from transcribe_export.run.outcomes import SessionOutcome, check_report_path, write_report
from transcribe_export.run.pipeline import build_transcript, export_session, recut, write_texts, write_transcript
from transcribe_export.run.pool import bug_outcome, run_all, run_each
from transcribe_export.run.signals import Stop
from transcribe_export.segmentation.presets import DEFAULT_PRESET, Preset, PresetChoice
from transcribe_export.write import DEFAULT_FORMATS, parse_formats
from transcribe_export.write.files import remove_stale_temporaries
from transcribe_export.write.timeline import WriteOptions

if TYPE_CHECKING:
    from transcribe_export.collect.client import HeyGenClient
    from transcribe_export.run.stream import Converted

__all__ = ["PERMANENT", "convert", "export"]

log = logging.getLogger(__name__)

#: Failures that will fail the same way next time; retried only with ``retry_failed``.
PERMANENT = (SessionFailedError, NotFoundError, InvalidFrameError)


def _words_checksum(transcript: Transcript) -> str:
    import hashlib  # export's alone: convert never needs it (3 ms of start-up)

    digest = hashlib.sha256()
    for word in transcript.words:
        digest.update(f"{word.text}\0{word.start!r}\0{word.end!r}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _preset_choice(
    preset: Preset | PresetChoice | str | None, config: str | os.PathLike[str] | None, fps: str | float | None,
    language: str | None = None,
) -> Preset | PresetChoice:
    if isinstance(preset, (Preset, PresetChoice)):
        if config is not None or fps is not None or language is not None:
            raise ConfigurationError("`config`, `fps` and `language` go with a preset name, not a Preset object",
                                     key="config")
        return preset
    return PresetChoice(preset or DEFAULT_PRESET, config, fps, language)


def client_from_env(
    api_key_file: str | os.PathLike[str] | None, base_url: str | None, allow_insecure_http: bool,
    connect_timeout: float, read_timeout: float, request_timeout: float, retries: int, retry_after_max: float,
    *, pool_size: int = 10,
) -> HeyGenClient:
    """The client ``export`` and ``follow`` make from their flat network options (the key from the environment)."""
    from transcribe_export.collect.client import HeyGenClient  # the network stack, only when used
    from transcribe_export.collect.retry import RetryPolicy

    return HeyGenClient.from_env(
        api_key_file=api_key_file, base_url=base_url, timeout=(connect_timeout, read_timeout),
        request_timeout=request_timeout, allow_insecure_http=allow_insecure_http,
        retry=RetryPolicy(retries=retries, retry_after_max=retry_after_max), pool_size=pool_size,
    )


def _check_jobs(jobs: int) -> int:
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= 64:
        raise bad_value("jobs", jobs, "a whole number from 1 to 64")
    return jobs


def _prepare(out_dir: str | os.PathLike[str]) -> Path:
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFolderError(
            f"the output folder {str(folder)!r} can't be created ({exc.strerror or exc}); nothing was exported",
            hint="Check the path and its permissions.",
        ) from None
    return folder


def export(
    stream_ids: Iterable[str],
    *,
    out_dir: str | os.PathLike[str] = DEFAULT_OUT_DIR,
    formats: str | Iterable[str] = DEFAULT_FORMATS,
    client: HeyGenClient | None = None,
    base_url: str | None = None,
    api_key_file: str | os.PathLike[str] | None = None,
    allow_insecure_http: bool = False,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
    request_timeout: float = REQUEST_TIMEOUT,
    no_wait: bool = False,
    wait_timeout: float = CollectOptions.wait_timeout,
    max_duration: float = CollectOptions.max_duration,
    retries: int = RETRIES,
    retry_after_max: float = RETRY_AFTER_MAX,
    jobs: int = DEFAULT_JOBS,
    force: bool = False,
    retry_failed: bool = False,
    name_template: str = DEFAULT_NAME_TEMPLATE,
    report: str | os.PathLike[str] | None = None,
    preset: Preset | PresetChoice | str | None = DEFAULT_PRESET,
    config: str | os.PathLike[str] | None = None,
    fps: str | float | None = None,
    language: str | None = None,
    word_timing: bool = False,
    offset: str | float | None = None,
    start_timecode: str | None = None,
    line_endings: str = "lf",
    bom: bool = False,
    review: bool = False,
    lenient: bool = CollectOptions.lenient,
    max_frame_bytes: int = CollectOptions.max_frame_bytes,
    max_words: int = CollectOptions.max_words,
    options: CollectOptions | None = None,
    on_done: Callable[[SessionOutcome], None] | None = None,
    stop: threading.Event | None = None,
) -> list[SessionOutcome]:
    """Export many sessions into ``out_dir``, in parallel, skipping what is already done.

    The keyword arguments are the ``export`` command's options, by the same
    names (``--no-wait`` is ``no_wait=True``); each is checked here, before any
    network call.

    Args:
        stream_ids: the ids (duplicates are collapsed, order kept).
        out_dir: the output folder (created if missing); it holds the state store.
        client: the client to share; by default one is made from the
            environment and ``base_url``, ``api_key_file``, the timeouts and retries.
        options: the collector's options whole, instead of ``no_wait``,
            ``wait_timeout``, ``max_duration``, ``lenient``, ``max_frame_bytes``, ``max_words``.
        report: write a JSON summary of the run to this file.
        on_done: called (in this thread) with each outcome as it comes.
        stop: when set, no further session starts; those under way finish.

    Returns:
        One outcome per id, in the order given; ids never started (after a
        stop) are left out.

    Raises:
        ConfigurationError: a bad option, before any request.
        BusyError: another run holds the output folder.
    """
    from datetime import datetime, timezone  # only export stamps a report: convert never loads it

    from transcribe_export.run.state import StateStore

    chosen = parse_formats(formats)
    check_name_template(name_template)
    _check_jobs(jobs)
    check_report_path(report)
    rules = _preset_choice(preset, config, fps, language)
    writing = _write_options(rules, word_timing, offset, start_timecode, line_endings, bom)
    _check_review(review, chosen)
    cancel = stop.cancel if isinstance(stop, Stop) else None
    if options is None:
        options = CollectOptions(
            wait=not no_wait, wait_timeout=wait_timeout, max_duration=max_duration, lenient=lenient,
            max_frame_bytes=max_frame_bytes, max_words=max_words, cancel=cancel,
        )
    elif cancel is not None and options.cancel is None:
        options = dataclasses.replace(options, cancel=cancel)
    ids = list(dict.fromkeys(stream_ids))
    if client is None:
        client = client_from_env(api_key_file, base_url, allow_insecure_http, connect_timeout, read_timeout,
                                 request_timeout, retries, retry_after_max, pool_size=max(10, jobs))
    folder = _prepare(out_dir)
    started_at = datetime.now(timezone.utc)
    results: dict[str, SessionOutcome] = {}
    # A refused key, or a base URL that is not HeyGen's, fails every id alike: after the first, nothing else starts.
    refused = threading.Event()
    fingerprint = _fingerprint(rules, chosen, writing, name_template)
    recut_from: dict[str, Path] = {}  # ids whose files were made with other settings -> their JSON transcript
    with StateStore(folder) as state:
        for name in remove_stale_temporaries(folder):
            log.warning("removed %s, left by a run that was killed while writing", name)
        todo = []
        owners = state.owners()  # file name -> the id that wrote it, in earlier runs
        names: dict[str, str] = {}  # file name -> the id that will write it in this run
        for stream_id in ids:
            problem = id_problem(stream_id)
            files = [] if problem else [f"{file_name(name_template, stream_id)}.{fmt}" for fmt in chosen]
            if (problem := problem or clash(stream_id, files, names, owners)) is not None:
                reason = f"stream {stream_id!r}: {problem}; nothing was written."
                results[stream_id] = SessionOutcome(stream_id, "failed", reason, permanent=True)
                if on_done is not None:
                    on_done(results[stream_id])
                continue
            names.update(dict.fromkeys(files, stream_id))
            known = state.get(stream_id) if not force else None
            if known and known.outcome == "exported":
                if known.fingerprint == fingerprint and _still_there(folder, known.files, chosen, name_template, stream_id):
                    results[stream_id] = SessionOutcome(stream_id, "up-to-date", files=known.files)
                else:  # other settings, or a file gone: cut again from the saved transcript, or fetch without one
                    if (saved := _saved_transcript(folder, known.files)) is not None:
                        recut_from[stream_id] = saved
                    todo.append(stream_id)
                    continue
            elif known and known.outcome == "failed" and known.permanent and not retry_failed:
                reason = f"{known.last_error} (a permanent failure: `retry_failed` tries it again)"
                results[stream_id] = SessionOutcome(stream_id, "failed", reason=reason, permanent=True)
            else:
                todo.append(stream_id)
                continue
            if on_done is not None:
                on_done(results[stream_id])

        def one(stream_id: str) -> tuple[SessionOutcome | None, str | None]:
            started = time.monotonic()
            name = file_name(name_template, stream_id)
            if refused.is_set():
                return None, None  # not started: the key was refused for another id
            try:
                if stream_id in recut_from:
                    transcript = _recut_saved(stream_id, recut_from[stream_id], rules)
                    write_transcript(transcript, folder, chosen, name=name, options=writing)
                else:
                    transcript = export_session(
                        stream_id, client=client, out_dir=folder, formats=chosen, preset=rules, options=options,
                        name=name, write_options=writing,
                    )
            except NotReadyError as error:
                return SessionOutcome(stream_id, "not-ready", str(error), seconds=time.monotonic() - started), None
            except StoppedError:
                return None, None  # left unfinished when told to stop: not on record, so the next run does it
            except (AuthenticationError, ConfigurationError) as error:
                if refused.is_set():
                    return None, None  # under way when another id failed the same way: one message is enough
                refused.set()
                same = "the key" if isinstance(error, AuthenticationError) else "the base URL"
                reason = f"{error} Nothing else was started: {same} is the same for every session."
                configuration = isinstance(error, ConfigurationError)
                return SessionOutcome(stream_id, "failed", reason, seconds=time.monotonic() - started,
                                      configuration=configuration), None
            except TranscribeExportError as error:
                permanent = isinstance(error, PERMANENT)
                outcome = SessionOutcome(stream_id, "failed", str(error), seconds=time.monotonic() - started, permanent=permanent)
                return outcome, None
            except Exception as error:  # noqa: BLE001 - a bug in one session must not stop the others
                return bug_outcome(stream_id, error, started), None
            outcome = SessionOutcome(
                stream_id, "exported", None, tuple(f"{name}.{fmt}" for fmt in chosen), len(transcript.words),
                len(transcript.cues), time.monotonic() - started,
            )
            return outcome, _words_checksum(transcript)

        def record(outcome: SessionOutcome, checksum: str | None) -> None:
            if outcome.configuration:
                return  # the run's failure, not the session's: the next run, set right, must ask again
            state.put(
                outcome.stream_id, outcome.outcome, error=outcome.reason, permanent=outcome.permanent,
                files=outcome.files, words_sha256=checksum, fingerprint=fingerprint if outcome.outcome == "exported" else None,
            )

        run_all(todo, one, jobs, results, on_done, stop, record, refused)
    outcomes = [results[i] for i in ids if i in results]
    if review:
        _write_review(folder, outcomes)
    if report is not None:
        write_report(report, outcomes, len(ids), started_at)
    return outcomes


def convert(
    files: Iterable[str | os.PathLike[str]],
    *,
    out_dir: str | os.PathLike[str] = DEFAULT_OUT_DIR,
    formats: str | Iterable[str] = DEFAULT_FORMATS,
    preset: Preset | PresetChoice | str | None = DEFAULT_PRESET,
    config: str | os.PathLike[str] | None = None,
    fps: str | float | None = None,
    language: str | None = None,
    word_timing: bool = False,
    offset: str | float | None = None,
    start_timecode: str | None = None,
    line_endings: str = "lf",
    bom: bool = False,
    review: bool = False,
    lenient: bool = CollectOptions.lenient,
    max_frame_bytes: int = CollectOptions.max_frame_bytes,
    max_words: int = CollectOptions.max_words,
    on_done: Callable[[SessionOutcome], None] | None = None,
    stop: threading.Event | None = None,
) -> list[SessionOutcome]:
    """Convert saved inputs offline: SSE captures, JSON word lists or our JSON transcripts.

    Writes ``out_dir/<file name without .sse or .json>.<format>``; the keyword
    arguments are the ``convert`` command's options, by the same names. One
    outcome per file (``exported`` or ``failed``), named by its output name.

    Raises:
        ConfigurationError: a bad option, or two inputs that would be written
            under one name; before anything is read.
    """
    from transcribe_export.collect.offline import input_name, load_input

    chosen = parse_formats(formats)
    rules = _preset_choice(preset, config, fps, language)
    writing = _write_options(rules, word_timing, offset, start_timecode, line_endings, bom)
    _check_review(review, chosen)
    options = CollectOptions(lenient=lenient, max_frame_bytes=max_frame_bytes, max_words=max_words)
    names: dict[str, Path] = {}
    for item in files:
        path = Path(item)
        name = input_name(path)
        if name in names and names[name] != path:
            raise ConfigurationError(
                f"{str(names[name])!r} and {str(path)!r} would both be written as {name!r}",
                key="files", hint="Convert them into different output folders.",
            )
        names[name] = path
    folder = _prepare(out_dir)
    for name in names:
        for fmt in chosen:
            target = folder / f"{name}.{fmt}"
            victim = next((p for p in names.values() if target.exists() and os.path.samefile(target, p)), None)
            if victim is not None:
                raise ConfigurationError(
                    f"{str(victim)!r} would be overwritten by its own {fmt} output",
                    key="out_dir", hint="Convert into another folder (`out_dir`), or leave that format out.",
                )
    results: dict[str, SessionOutcome] = {}

    def one(name: str) -> SessionOutcome:
        started = time.monotonic()
        try:
            with paused_gc():  # read, cut, written and let go in one pause (a file is all computing): see gcpause
                converted = _streamed(names[name], name, rules, chosen, options, writing)
                if converted is not None:
                    written = write_texts(folder, name, converted.texts, stream_id=name)
                    counts = converted.words, converted.cues
                else:
                    transcript = build_transcript(load_input(names[name], options), rules)
                    written = write_transcript(transcript, folder, chosen, name=name, options=writing)
                    counts = len(transcript.words), len(transcript.cues)
                    del transcript
                del converted
        except TranscribeExportError as error:
            return SessionOutcome(name, "failed", str(error), seconds=time.monotonic() - started)
        except Exception as error:  # noqa: BLE001 - a bug in one file must not stop the others
            return bug_outcome(name, error, started)
        files_written = tuple(path.name for path in written)
        seconds = time.monotonic() - started
        return SessionOutcome(name, "exported", None, files_written, *counts, seconds)

    run_each(list(names), one, results, on_done, stop)
    outcomes = [results[name] for name in names if name in results]
    if review:
        _write_review(folder, outcomes)
    return outcomes


def _streamed(
    path: Path, name: str, rules: Preset | PresetChoice, formats: Sequence[str], options: CollectOptions, writing: WriteOptions
) -> Converted | None:
    """The files of a capture converted in stretches (run/stream.py), or ``None`` where only the whole
    session can give them (another input or format, a shift; or the capture itself: see CannotStream)."""
    from transcribe_export.collect.offline import capture_chunks
    from transcribe_export.run.stream import CannotStream, convert_capture, streamable

    if not streamable(formats, writing):
        return None
    chunks = capture_chunks(path)
    if chunks is None:
        return None
    try:
        return convert_capture(chunks, SessionInfo(name, "completed"), rules, formats=formats, options=options, writing=writing)
    except CannotStream as why:
        log.debug("file %r: converted whole (%s)", name, why)
        return None
    finally:
        chunks.close()


def _check_review(review: bool, formats: Sequence[str]) -> None:
    if review and "json" not in formats:
        raise ConfigurationError("`review` makes its pages from the JSON transcripts: keep json in `formats`",
                                 key="review")


def _write_review(folder: Path, outcomes: Sequence[SessionOutcome]) -> None:
    """Review pages for the sessions with files, and their index, in ``folder/review``."""
    from transcribe_export.reviewer import review

    done = [o for o in outcomes if o.outcome in ("exported", "up-to-date")]
    transcripts = [folder / f for o in done for f in o.files if f.endswith(".json")]
    if transcripts:
        for path in review(transcripts, out_dir=folder / "review"):
            log.info("wrote %s", path)


def _write_options(
    rules: Preset | PresetChoice, word_timing: bool, offset: str | float | None, start_timecode: str | None,
    line_endings: str, bom: bool,
) -> WriteOptions:
    """The write options, checked; a timecode's frames are read at the frame rate the captions are snapped to."""
    if isinstance(rules, Preset):
        rate = rules.fps
    elif rules.name == "auto":
        rate = rules.overrides.get("fps")
    else:
        rate = rules.resolve(()).fps
    return WriteOptions.make(offset=offset, start_timecode=start_timecode, fps=rate, word_timing=word_timing,
                             line_endings=line_endings, bom=bom)


def _fingerprint(rules: Preset | PresetChoice, formats: Sequence[str], writing: WriteOptions, name_template: str) -> str:
    """What shaped a session's files: the caption rules, the formats, the names and the exporter's version.

    A re-run whose fingerprint differs cuts the session again (from its saved transcript).
    """
    if isinstance(rules, Preset):
        caption: dict[str, Any] = rules.as_dict()
    elif rules.name == "auto":
        caption = {"auto": True, "overrides": rules.overrides}  # the language override is among them
    else:
        caption = rules.resolve(()).as_dict()
    shaped = {"caption": caption, "formats": list(formats), "writing": writing.as_dict(), "names": name_template,
              "version": __version__}
    import hashlib

    return hashlib.sha256(json.dumps(shaped, sort_keys=True, default=str).encode()).hexdigest()


def _saved_transcript(folder: Path, files: tuple[str, ...]) -> Path | None:
    saved = next((folder / f for f in files if f.endswith(".json")), None)
    return saved if saved is not None and saved.is_file() else None


def _recut_saved(stream_id: str, path: Path, rules: Preset | PresetChoice) -> Transcript:
    """A session cut again from the JSON transcript an earlier run left: no network call."""
    transcript = recut(path, preset=rules)
    if transcript.stream_id != stream_id:
        raise InputError(f"{path.name} holds stream {transcript.stream_id!r}, not this one", stream_id=stream_id)
    log.info("stream %r: re-cut from %s (the settings changed; no network call)", stream_id, path.name)
    return transcript


def _still_there(out_dir: Path, files: tuple[str, ...], formats: Sequence[str], template: str, stream_id: str) -> bool:
    """An earlier export counts only if every file asked for now is still on disk."""
    name = file_name(template, stream_id)
    wanted = {f"{name}.{fmt}" for fmt in formats}
    return wanted <= set(files) and all((out_dir / f).is_file() for f in wanted)
