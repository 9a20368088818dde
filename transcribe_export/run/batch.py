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

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import signal
import string
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from transcribe_export._version import __version__
from transcribe_export.collect.options import CONNECT_TIMEOUT, READ_TIMEOUT, REQUEST_TIMEOUT, CollectOptions
from transcribe_export.collect.retry import RetryPolicy
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
    printable,
)
from transcribe_export.models import Transcript
from transcribe_export.run.pipeline import build_transcript, export_session, write_transcript
from transcribe_export.segmentation.presets import DEFAULT_PRESET, Preset, PresetChoice
from transcribe_export.write import DEFAULT_FORMATS, parse_formats
from transcribe_export.write.files import remove_stale_temporaries, safe_name, write_atomic

if TYPE_CHECKING:
    from transcribe_export.collect.client import HeyGenClient

__all__ = [
    "DEFAULT_NAME_TEMPLATE", "OUTCOMES", "SessionOutcome", "Stop", "check_name_template", "convert", "export", "file_name",
    "read_ids", "summarize",
]

log = logging.getLogger(__name__)

OUTCOMES = ("exported", "up-to-date", "not-ready", "failed")
#: Failures that will fail the same way next time; retried only with ``retry_failed``.
PERMANENT = (SessionFailedError, NotFoundError, InvalidFrameError)
DEFAULT_NAME_TEMPLATE = "{stream_id}"
DEFAULT_JOBS = 4


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
        bug: the failure was an unexpected exception (its traceback is in the log).
        configuration: the failure was the run's configuration (a base URL that is not
            HeyGen's API, say), not the session's: it stopped the batch and is not recorded.
    """

    stream_id: str
    outcome: str
    reason: str | None = None
    files: tuple[str, ...] = ()
    words: int = 0
    cues: int = 0
    seconds: float = 0.0
    permanent: bool = False
    bug: bool = False
    configuration: bool = False

    def as_dict(self) -> dict[str, Any]:
        """For the ``--report`` file."""
        data = asdict(self)
        data["files"] = list(self.files)
        data["seconds"] = round(self.seconds, 3)
        return data


def check_name_template(template: str) -> str:
    """A file-name template: text with exactly one ``{stream_id}`` field and nothing else to fill in.

    >>> check_name_template("heygen-{stream_id}")
    'heygen-{stream_id}'
    >>> check_name_template("heygen-{{stream_id}}")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    transcribe_export.errors.ConfigurationError: `name_template` 'heygen-{{stream_id}}' has no {stream_id} field, ...
    """
    hint = "Use {stream_id} once, e.g. 'heygen-{stream_id}'."
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ConfigurationError(f"`name_template` {template!r} is not valid ({exc})", key="name_template", hint=hint) from None
    if not fields:
        raise ConfigurationError(
            f"`name_template` {template!r} has no {{stream_id}} field, so every session would write the same file",
            key="name_template", hint=hint,
        )
    if len(fields) > 1 or fields[0] != ("stream_id", "", None):
        raise ConfigurationError(
            f"`name_template` {template!r} must hold exactly one {{stream_id}} field and no other", key="name_template", hint=hint
        )
    return template


def file_name(template: str, stream_id: str) -> str:
    """The file name (without suffix) for an id: the template filled in, then made safe.

    >>> file_name("{stream_id}", "7f3c"), file_name("heygen-{stream_id}", "A/B").split("~")[0]
    ('7f3c', 'heygen-A_B')
    """
    return safe_name(template.format(stream_id=stream_id))


def read_ids(arguments: Sequence[str] = (), ids_file: str | os.PathLike[str] | None = None) -> list[str]:
    """Ids from arguments and an ids file (``-`` for standard input, as an argument too).

    One id a line; blank lines and ``#`` comments are skipped; repeats collapse, order kept.

    Raises:
        ConfigurationError: a file can't be read, or there are no ids at all.
    """
    lines: list[str] = []
    sources: list[str] = [os.fspath(ids_file)] if ids_file is not None else []
    for argument in arguments:
        if argument == "-":
            sources.append("-")
        else:
            lines.append(argument)
    for source in dict.fromkeys(sources):
        try:
            data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        except OSError as exc:
            raise ConfigurationError(f"cannot read the ids file {source!r} ({exc.strerror})", key="ids_file") from None
        lines += [line.split("#", 1)[0].strip() for line in _decode_ids(data, "standard input" if source == "-" else source)]
    ids = list(dict.fromkeys(line for line in lines if line))
    if not ids:
        raise ConfigurationError(
            "no stream ids given", key="stream_ids",
            hint="Pass ids as arguments, in an ids file, or on standard input with -.",
        )
    return ids


def _decode_ids(data: bytes, source: str) -> list[str]:
    """The lines of an ids file: UTF-8, a byte order mark dropped; anything else is refused, naming the line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ConfigurationError(f"the ids file {source!r} is UTF-16, not UTF-8", key="ids_file",
                                 hint="Save it as UTF-8 (one id a line).")
    try:
        return data.decode("utf-8").removeprefix("\ufeff").splitlines()
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigurationError(
            f"the ids file {source!r} is not UTF-8 (line {line} holds the byte 0x{data[exc.start]:02x})",
            key="ids_file", hint="Save it as UTF-8 (one id a line).",
        ) from None


def id_problem(stream_id: str) -> str | None:
    """Why an id can't be asked for (it can't be sent in a URL path as UTF-8), or None.

    >>> id_problem("7f3c2a1e"), id_problem("bad\\udcff"), id_problem("a\\nb")
    (None, 'it is not valid UTF-8', 'it holds control characters')
    """
    try:
        stream_id.encode("utf-8")
    except UnicodeEncodeError:
        return "it is not valid UTF-8"
    if printable(stream_id) != stream_id:
        return "it holds control characters"
    if len(stream_id) > 1000:
        return "it is longer than 1,000 characters"
    return None


def _words_checksum(transcript: Transcript) -> str:
    digest = hashlib.sha256()
    for word in transcript.words:
        digest.update(f"{word.text}\0{word.start!r}\0{word.end!r}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _preset_choice(
    preset: Preset | PresetChoice | str | None, config: str | os.PathLike[str] | None, fps: str | float | None
) -> Preset | PresetChoice:
    if isinstance(preset, (Preset, PresetChoice)):
        if config is not None or fps is not None:
            raise ConfigurationError("`config` and `fps` go with a preset name, not a Preset object", key="config")
        return preset
    return PresetChoice(preset or DEFAULT_PRESET, config, fps)


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


def _check_report(path: str | os.PathLike[str] | None) -> None:
    """Fail before any work if the report could not be written at the end."""
    if path is None:
        return
    parent = Path(path).parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK) or Path(path).is_dir():
        raise OutputFolderError(
            f"the report {str(path)!r} can't be written (its folder is missing or not writable); nothing was exported",
            hint="Create the folder first, or choose another path.",
        )


def export(
    stream_ids: Iterable[str],
    *,
    out_dir: str | os.PathLike[str] = ".",
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
    retries: int = RetryPolicy.retries,
    retry_after_max: float = RetryPolicy.retry_after_max,
    jobs: int = DEFAULT_JOBS,
    force: bool = False,
    retry_failed: bool = False,
    name_template: str = DEFAULT_NAME_TEMPLATE,
    report: str | os.PathLike[str] | None = None,
    preset: Preset | PresetChoice | str | None = DEFAULT_PRESET,
    config: str | os.PathLike[str] | None = None,
    fps: str | float | None = None,
    word_timing: bool = False,
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
    from transcribe_export.collect.client import HeyGenClient  # the network stack, only when used
    from transcribe_export.run.state import StateStore

    chosen = parse_formats(formats)
    check_name_template(name_template)
    _check_jobs(jobs)
    _check_report(report)
    rules = _preset_choice(preset, config, fps)
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
        client = HeyGenClient.from_env(
            api_key_file=api_key_file, base_url=base_url, timeout=(connect_timeout, read_timeout),
            request_timeout=request_timeout,
            allow_insecure_http=allow_insecure_http, retry=RetryPolicy(retries=retries, retry_after_max=retry_after_max),
            pool_size=max(10, jobs),
        )
    folder = _prepare(out_dir)
    started_at = datetime.now(timezone.utc)
    results: dict[str, SessionOutcome] = {}
    # A refused key, or a base URL that is not HeyGen's, fails every id alike: after the first, nothing else starts.
    refused = threading.Event()
    fingerprint = _fingerprint(rules, chosen, word_timing, name_template)
    recut_from: dict[str, Path] = {}  # ids whose files were made with other settings -> their JSON transcript
    with StateStore(folder) as state:
        for name in remove_stale_temporaries(folder):
            log.warning("removed %s, left by a run that was killed while writing", name)
        todo = []
        owners = state.owners()  # file name -> the id that wrote it, in earlier runs
        names: dict[str, str] = {}  # file name -> the id that will write it in this run
        for stream_id in ids:
            files = [f"{file_name(name_template, stream_id)}.{fmt}" for fmt in chosen] if not id_problem(stream_id) else []
            if (problem := id_problem(stream_id) or _clash(stream_id, files, names, owners)) is not None:
                reason = f"stream {stream_id!r}: {problem}; nothing was written."
                results[stream_id] = SessionOutcome(stream_id, "failed", reason, permanent=True)
                if on_done is not None:
                    on_done(results[stream_id])
                continue
            names.update(dict.fromkeys(files, stream_id))
            known = state.get(stream_id) if not force else None
            if known and known.outcome == "exported" and _still_there(folder, known.files, chosen, name_template, stream_id):
                if known.fingerprint == fingerprint:
                    results[stream_id] = SessionOutcome(stream_id, "up-to-date", files=known.files)
                else:  # made with other settings: cut again from the saved transcript, or fetch again without one
                    if (saved := _saved_transcript(folder, known.files)) is not None:
                        recut_from[stream_id] = saved
                    todo.append(stream_id)
                    continue
            elif known and known.outcome == "exported" and (saved := _saved_transcript(folder, known.files)) is not None:
                recut_from[stream_id] = saved  # other formats or names asked for now: cut again from the transcript
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
                    write_transcript(transcript, folder, chosen, name=name, word_timing=word_timing)
                else:
                    transcript = export_session(
                        stream_id, client=client, out_dir=folder, formats=chosen, preset=rules, options=options,
                        word_timing=word_timing, name=name,
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
                return _bug(stream_id, error, started), None
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

        _run(todo, one, jobs, results, on_done, stop, record, refused)
    outcomes = [results[i] for i in ids if i in results]
    if report is not None:
        write_report(report, outcomes, len(ids), started_at)
    return outcomes


def convert(
    files: Iterable[str | os.PathLike[str]],
    *,
    out_dir: str | os.PathLike[str] = ".",
    formats: str | Iterable[str] = DEFAULT_FORMATS,
    preset: Preset | PresetChoice | str | None = DEFAULT_PRESET,
    config: str | os.PathLike[str] | None = None,
    fps: str | float | None = None,
    word_timing: bool = False,
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
    rules = _preset_choice(preset, config, fps)
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

    def one(name: str) -> tuple[SessionOutcome, str | None]:
        started = time.monotonic()
        try:
            transcript = build_transcript(load_input(names[name], options), rules)
            written = write_transcript(transcript, folder, chosen, name=name, word_timing=word_timing)
        except TranscribeExportError as error:
            return SessionOutcome(name, "failed", str(error), seconds=time.monotonic() - started), None
        except Exception as error:  # noqa: BLE001 - a bug in one file must not stop the others
            return _bug(name, error, started), None
        files_written = tuple(path.name for path in written)
        seconds = time.monotonic() - started
        return SessionOutcome(name, "exported", None, files_written, len(transcript.words), len(transcript.cues), seconds), None

    _run(list(names), one, 1, results, on_done, stop, None)
    return [results[name] for name in names if name in results]


def _bug(stream_id: str, error: Exception, started: float) -> SessionOutcome:
    """An unexpected exception: its traceback to the log, a one-line failure for this session only."""
    log.error("stream %r: unexpected %s", stream_id, type(error).__name__, exc_info=error)
    reason = (
        f"stream {stream_id!r}: an internal error ({type(error).__name__}: {error}); nothing was written."
        " This is a bug in transcribe-export: please report it with the traceback logged above."
    )
    return SessionOutcome(stream_id, "failed", reason, seconds=time.monotonic() - started, bug=True)


def _run(
    todo: Sequence[str],
    one: Callable[[str], tuple[SessionOutcome | None, str | None]],
    jobs: int,
    results: dict[str, SessionOutcome],
    on_done: Callable[[SessionOutcome], None] | None,
    stop: threading.Event | None,
    record: Callable[[SessionOutcome, str | None], None] | None,
    halt: threading.Event | None = None,
) -> None:
    """Run ``one`` over ``todo``, ``jobs`` at a time, until done or told to stop (``stop`` or ``halt``).

    ``one`` returns ``None`` for an item it did not start after all.
    """
    pending = iter(todo)
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="export") as pool:
        running: set[Future[tuple[SessionOutcome | None, str | None]]] = set()
        while True:
            # Start work only while not told to stop; what is under way always finishes.
            while len(running) < jobs and not any(e is not None and e.is_set() for e in (stop, halt)):
                following = next(pending, None)
                if following is None:
                    break
                running.add(pool.submit(one, following))
            if not running:
                break
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                outcome, checksum = future.result()
                if outcome is None:
                    continue
                if record is not None:
                    record(outcome, checksum)
                results[outcome.stream_id] = outcome
                if on_done is not None:
                    on_done(outcome)


class Stop(threading.Event):
    """Pass as ``stop=``: once set, no further session starts.

    :meth:`on_signals` sets it on SIGINT or SIGTERM, as the command line does
    (its exit code is then 128 plus the first signal's number). A first Ctrl-C
    lets the sessions under way finish; SIGTERM, or a second Ctrl-C, also sets
    :attr:`cancel`, which stops their waits at once (polling a pending session,
    a pause before a retry): those sessions are left for the next run, and what
    had finished is on record.

    Attributes:
        signals: the signals received, in order.
        cancel: set to stop the waits of the sessions under way too.
    """

    def __init__(self) -> None:
        super().__init__()
        self.signals: list[int] = []
        self.cancel = threading.Event()

    @contextlib.contextmanager
    def on_signals(self, notice: Callable[[], None] | None = None) -> Iterator[Stop]:
        """Within the block, SIGINT and SIGTERM stop the run (and call ``notice``) instead of killing it."""

        def handle(number: int, frame: object) -> None:
            if number == signal.SIGTERM or self.is_set():
                self.cancel.set()
            self.signals.append(number)
            self.set()
            if notice is not None:
                notice()

        previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def summarize(outcomes: Sequence[SessionOutcome], total: int) -> dict[str, int]:
    """How many ids ended in each outcome, and how many never started.

    >>> summarize([SessionOutcome("a", "exported"), SessionOutcome("b", "failed")], 3)
    {'exported': 1, 'up-to-date': 0, 'not-ready': 0, 'failed': 1, 'not-started': 1}
    """
    summary = {name: sum(o.outcome == name for o in outcomes) for name in OUTCOMES}
    summary["not-started"] = total - len(outcomes)
    return summary


def write_report(path: str | os.PathLike[str], outcomes: Sequence[SessionOutcome], total: int, started: datetime) -> None:
    """The ``--report`` file: when the run started and finished, the summary, and each id's outcome.

    Raises:
        OutputError: the report can't be written.
    """
    document = {
        "format": "transcribe-export/report",
        "format_version": 1,
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "summary": summarize(outcomes, total),
        "sessions": [o.as_dict() for o in outcomes],
    }
    try:
        write_atomic({Path(path): json.dumps(document, indent=2, ensure_ascii=False) + "\n"})
    except OSError as exc:
        raise OutputFolderError(f"cannot write the report {str(path)!r} ({exc.strerror or exc})") from None


def _clash(stream_id: str, files: list[str], names: dict[str, str], owners: dict[str, str]) -> str | None:
    """Two ids must never share a file: not in one run, not across runs (checked, whatever the template)."""
    for name in files:
        other = names.get(name) or owners.get(name)
        if other is not None and other != stream_id:
            return f"its file {name} would replace that of stream {other!r}"
    return None


def _fingerprint(rules: Preset | PresetChoice, formats: Sequence[str], word_timing: bool, name_template: str) -> str:
    """What shaped a session's files: the caption rules, the formats, the names and the exporter's version.

    A re-run whose fingerprint differs cuts the session again (from its saved transcript).
    """
    if isinstance(rules, Preset):
        caption: dict[str, Any] = rules.as_dict()
    elif rules.name == "auto":
        caption = {"auto": True, "overrides": rules.overrides}
    else:
        caption = rules.resolve(()).as_dict()
    shaped = {"caption": caption, "formats": list(formats), "word_timing": word_timing, "names": name_template,
              "version": __version__}
    return hashlib.sha256(json.dumps(shaped, sort_keys=True, default=str).encode()).hexdigest()


def _saved_transcript(folder: Path, files: tuple[str, ...]) -> Path | None:
    saved = next((folder / f for f in files if f.endswith(".json")), None)
    return saved if saved is not None and saved.is_file() else None


def _recut_saved(stream_id: str, path: Path, rules: Preset | PresetChoice) -> Transcript:
    """A session cut again from the JSON transcript an earlier run left: no network call."""
    from transcribe_export.collect.offline import load_input

    collected = load_input(path)
    if collected.session.stream_id != stream_id:
        raise InputError(f"{path.name} holds stream {collected.session.stream_id!r}, not this one", stream_id=stream_id)
    log.info("stream %r: re-cut from %s (the settings changed; no network call)", stream_id, path.name)
    return build_transcript(collected, rules)


def _still_there(out_dir: Path, files: tuple[str, ...], formats: Sequence[str], template: str, stream_id: str) -> bool:
    """An earlier export counts only if every file asked for now is still on disk."""
    name = file_name(template, stream_id)
    wanted = {f"{name}.{fmt}" for fmt in formats}
    return wanted <= set(files) and all((out_dir / f).is_file() for f in wanted)
