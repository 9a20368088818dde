"""The ``transcribe-export`` command. The only module that imports click.

Exit codes: 0 everything written; 1 at least one stream failed (each shown
as ``Error: stream '<id>': …`` on stderr, the others still run); 2 bad
usage or configuration, found before any network call.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, NoReturn, Sequence, TypeVar

import click
import yaml

from transcribe_export._version import __version__
from transcribe_export.batch import OUTCOMES, SessionOutcome, export_many
from transcribe_export.checker import HARD, Report, check_file
from transcribe_export.client import DEFAULT_BASE_URL, HeyGenClient, is_loopback_url
from transcribe_export.collector import CollectOptions
from transcribe_export.emulator import Emulator
from transcribe_export.errors import ConfigurationError, NotReadyError, TranscribeExportError
from transcribe_export.files import write_atomic
from transcribe_export.inputs import input_name, load_input
from transcribe_export.pipeline import DEFAULT_FORMATS, build_transcript, check_formats, export_session, write_transcript
from transcribe_export.presets import DEFAULT_PRESET, FRAME_RATES, PresetChoice, preset_names
from transcribe_export.resources import bundled_dir
from transcribe_export.retry import RetryPolicy
from transcribe_export.scenarios import load_scenario_file

__all__ = ["main"]

T = TypeVar("T")

_FORMAT_HELP = "Comma-separated output formats: srt, vtt, json."


def _fail_usage(error: ConfigurationError) -> NoReturn:
    click.echo(f"Error: {error}", err=True)
    sys.exit(2)


def _parse_formats(value: str) -> tuple[str, ...]:
    try:
        return check_formats([part.strip().lower() for part in value.split(",") if part.strip()])
    except ConfigurationError as error:
        _fail_usage(error)


def _setup_logging(verbose: int, log_format: str = "text") -> None:
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    if log_format == "json":
        for handler in logging.getLogger().handlers:
            handler.setFormatter(_JsonLogFormatter())
    if verbose < 3:
        # urllib3's debug lines add nothing a user needs (they never hold headers).
        logging.getLogger("urllib3").setLevel(max(level, logging.INFO))


def _output_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail_usage(ConfigurationError(f"cannot create the output folder {str(path)!r} ({exc.strerror})", key="output_dir"))
    return path


def _run_batch(items: Sequence[T], label: str, work: Callable[[T], str]) -> None:
    """Run ``work`` on each item, reporting failures; exit 1 if any failed.

    A long batch shows a progress bar on stderr, only when stderr is a
    terminal (never in cron mail or a log file).
    """
    failures = not_ready = 0
    show_bar = len(items) > 1 and sys.stderr.isatty()
    bar = click.progressbar(items, label=label, file=sys.stderr, show_pos=True, show_eta=True)
    log = logging.getLogger("transcribe_export")
    with bar if show_bar else contextlib.nullcontext(items) as sequence:
        for item in sequence:
            try:
                summary = work(item)
            except NotReadyError as error:
                # Not a failure: cron runs with --no-wait pick it up later.
                not_ready += 1
                log.info("not ready: %s", error)
                continue
            except TranscribeExportError as error:
                failures += 1
                click.echo(f"{chr(10) if show_bar else ''}Error: {error}", err=True)
                continue
            log.info("%s", summary)
    if failures:
        click.echo(f"{failures} of {len(items)} failed.", err=True)
        sys.exit(1)
    if not_ready:
        sys.exit(NotReadyError.exit_code)


def _credentials(api_key_file: Path | None, base_url: str) -> tuple[str | None, str | None]:
    if api_key_file is not None:
        key: str | None = api_key_file.read_text(encoding="utf-8", errors="replace").strip()
        if not key:
            _fail_usage(ConfigurationError(f"the API key file {str(api_key_file)!r} is empty", key="api_key_file"))
    else:
        key = os.environ.get("HEYGEN_API_KEY") or None
    bearer = os.environ.get("HEYGEN_BEARER_TOKEN") or None
    if key is None and bearer is None and not is_loopback_url(base_url):
        _fail_usage(
            ConfigurationError(
                "no HeyGen credentials",
                hint="Set HEYGEN_API_KEY (or HEYGEN_BEARER_TOKEN), or pass --api-key-file PATH."
                " The key is never accepted on the command line, where `ps` would show it.",
            )
        )
    return key, bearer


def _caption_options(function: Callable[..., None]) -> Callable[..., None]:
    """How captions are cut, shared by export and convert."""
    function = click.option("--word-timing", is_flag=True,
                            help="WebVTT: an inline timestamp before each word, for karaoke-style players.")(function)
    function = click.option("--fps", type=click.Choice(list(FRAME_RATES)), default=None,
                            help="Snap every time to this frame rate's frame boundaries (for editors).")(function)
    function = click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                            default=None, help="A YAML file of preset keys merged over the preset.")(function)
    function = click.option("--preset", default=DEFAULT_PRESET, show_default=True,
                            help=f"Caption rules: {', '.join(preset_names())}, auto (from the script of the words),"
                                 " or a path to a .yaml file.")(function)
    return function


def _preset_choice(preset: str, config_file: Path | None, fps: str | None) -> PresetChoice:
    choice = PresetChoice(preset, config_file, fps)
    try:
        choice.validate()
    except ConfigurationError as error:
        _fail_usage(error)
    return choice


def _data_options(function: Callable[..., None]) -> Callable[..., None]:
    """Options about the words themselves, shared by export and convert."""
    function = click.option("--max-words", type=click.IntRange(min=1), default=1_000_000, show_default=True,
                            help="Refuse a session with more words than this.")(function)
    function = click.option("--max-frame-bytes", type=click.IntRange(min=1024), default=1024 * 1024, show_default=True,
                            help="Refuse an SSE frame larger than this.")(function)
    function = click.option("--lenient", is_flag=True,
                            help="Drop bad words (a warning each, listed in the JSON) instead of failing.")(function)
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="transcribe-export")
def main() -> None:
    """Turn HeyGen Avatar Realtime sessions into SRT, WebVTT and JSON transcripts.

    \b
    Try it with no account and no network:
      transcribe-export demo
    Export real sessions (the key comes from the environment, never argv):
      HEYGEN_API_KEY=... transcribe-export export STREAM_ID -o subtitles/

    Exit status: 0 all written; 1 some stream failed; 2 bad usage or
    configuration; 75 nothing failed but some sessions were not ready (--no-wait).
    """


def _read_ids(arguments: Sequence[str], ids_file: str | None) -> list[str]:
    """Ids from the arguments, an ids file and/or standard input ("-"): blank lines and # comments skipped."""
    lines: list[str] = []
    sources = [ids_file] if ids_file is not None else []
    for argument in arguments:
        if argument == "-":
            sources.append("-")
        else:
            lines.append(argument)
    for source in dict.fromkeys(sources):
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            _fail_usage(ConfigurationError(f"cannot read the ids file {source!r} ({exc.strerror})", key="ids_file"))
        lines += [line.split("#", 1)[0].strip() for line in text.splitlines()]
    ids = list(dict.fromkeys(line for line in lines if line))
    if not ids:
        _fail_usage(ConfigurationError("no stream ids given", key="STREAM_ID",
                                       hint="Pass ids as arguments, with --ids-file FILE, or on standard input with -."))
    return ids


class _JsonLogFormatter(logging.Formatter):
    """One JSON object per line, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }, ensure_ascii=False)


@main.command()
@click.argument("stream_ids", nargs=-1, metavar="[STREAM_ID]...")
@click.option("--ids-file", default=None, metavar="FILE",
              help="Read ids from FILE (one per line; blank lines and # comments skipped), or - for standard input.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder for <id>.srt, <id>.vtt and <id>.json (created if missing).")
@click.option("-f", "--format", "formats", default=",".join(DEFAULT_FORMATS), show_default=True, help=_FORMAT_HELP)
@click.option("--base-url", envvar="HEYGEN_BASE_URL", default=DEFAULT_BASE_URL, show_default=True,
              help="API root; also HEYGEN_BASE_URL. Point it at `transcribe-export emulate` to test.")
@click.option("--api-key-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the API key from this file instead of HEYGEN_API_KEY.")
@click.option("--allow-insecure-http", is_flag=True, help="Allow a plain http:// base URL that is not loopback.")
@click.option("--connect-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds to wait for a connection.")
@click.option("--read-timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Longest silence (seconds) allowed between two received bytes.")
@click.option("--no-wait", is_flag=True,
              help="Don't wait for pending or streaming sessions: report them not ready (exit 75) for a later run.")
@click.option("--wait-timeout", type=click.FloatRange(min=0), default=600.0, show_default=True,
              help="Seconds to wait for a pending session to start.")
@click.option("--max-duration", type=click.FloatRange(min=0.1), default=3900.0, show_default=True,
              help="Seconds to follow a live words stream before giving up (HeyGen caps sessions at 1 h).")
@click.option("--retries", type=click.IntRange(min=0), default=5, show_default=True,
              help="Retries after 429, 5xx, connection errors and cut streams (other 4xx never retry).")
@click.option("--retry-after-max", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Longest Retry-After (seconds) obeyed.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Sessions exported at once (one connection pool; a 429 slows them all).")
@click.option("--force", is_flag=True, help="Export again sessions an earlier run already exported.")
@click.option("--retry-failed", is_flag=True,
              help="Try again sessions whose last failure was permanent (HeyGen error status, 404, bad frame).")
@click.option("--name-template", default="{stream_id}", show_default=True,
              help="File names; must contain {stream_id} (the result is still made safe).")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write a JSON summary: per id its outcome, reason, files, counts and seconds.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Log lines on stderr as text or as JSON objects (for log shippers).")
@_caption_options
@_data_options
@click.option("-v", "--verbose", count=True, help="One line per session on stderr (-vv for debug).")
def export(
    stream_ids: tuple[str, ...],
    ids_file: str | None,
    output_dir: Path,
    formats: str,
    base_url: str,
    api_key_file: Path | None,
    allow_insecure_http: bool,
    connect_timeout: float,
    read_timeout: float,
    no_wait: bool,
    wait_timeout: float,
    max_duration: float,
    retries: int,
    retry_after_max: float,
    jobs: int,
    force: bool,
    retry_failed: bool,
    name_template: str,
    report_file: Path | None,
    log_format: str,
    lenient: bool,
    max_frame_bytes: int,
    max_words: int,
    preset: str,
    config_file: Path | None,
    fps: str | None,
    word_timing: bool,
    verbose: int,
) -> None:
    """Export HeyGen sessions to subtitle files.

    Reads each session's status and its whole words stream (the durable
    snapshot for completed sessions), then writes OUTPUT_DIR/<id>.srt,
    .vtt and .json. File names are made safe from the id: an id that is not
    a plain lowercase name gets a readable part plus ~ and a hash.

    Runs never redo or lose work: a state store in OUTPUT_DIR remembers what
    was exported, so a re-run skips it (--force redoes it), retries transient
    failures and leaves permanent ones alone (--retry-failed). Files appear
    whole or not at all. Two runs on one folder: the second exits at once.
    Ctrl-C (or SIGTERM) stops starting sessions and lets those under way finish.

    \b
    Examples:
      HEYGEN_API_KEY=... transcribe-export export 7f3c2a1e -o subs/ -f srt,vtt
      transcribe-export export --ids-file finished.txt --no-wait -o /srv/subs --report run.json
      some-command | transcribe-export export - -o subs/

    \b
    Exit status: 0 all exported or up to date; 1 some failed; 2 bad usage;
    75 nothing failed but some were not ready (or the folder was busy);
    130/143 stopped by SIGINT/SIGTERM.
    """
    _setup_logging(verbose, log_format)
    chosen = _parse_formats(formats)
    rules = _preset_choice(preset, config_file, fps)
    if "{stream_id}" not in name_template:
        _fail_usage(ConfigurationError(f"--name-template {name_template!r} has no {{stream_id}}", key="name_template",
                                       hint="Without it two sessions would share a file, e.g. use 'heygen-{stream_id}'."))
    ids = _read_ids(stream_ids, ids_file)
    api_key, bearer = _credentials(api_key_file, base_url)
    try:
        client = HeyGenClient(
            api_key=api_key,
            bearer_token=bearer,
            base_url=base_url,
            timeout=(connect_timeout, read_timeout),
            allow_insecure_http=allow_insecure_http,
            retry=RetryPolicy(retries=retries, retry_after_max=retry_after_max),
            pool_size=max(10, jobs),
        )
    except ConfigurationError as error:
        _fail_usage(error)
    options = CollectOptions(
        wait=not no_wait,
        wait_timeout=wait_timeout,
        max_duration=max_duration,
        lenient=lenient,
        max_frame_bytes=max_frame_bytes,
        max_words=max_words,
    )
    out = _output_dir(output_dir)
    _run_export(ids, out, client, chosen, rules, options, jobs, force, retry_failed, name_template, word_timing, report_file)


def _run_export(
    ids: list[str],
    out: Path,
    client: HeyGenClient,
    formats: tuple[str, ...],
    rules: PresetChoice,
    options: CollectOptions,
    jobs: int,
    force: bool,
    retry_failed: bool,
    name_template: str,
    word_timing: bool,
    report_file: Path | None,
) -> None:
    log = logging.getLogger("transcribe_export")
    show_bar = len(ids) > 1 and sys.stderr.isatty()
    bar = click.progressbar(length=len(ids), label="Exporting", file=sys.stderr, show_pos=True, show_eta=True)
    counts = dict.fromkeys(("exported", "up-to-date", "not-ready", "failed"), 0)
    stop = threading.Event()
    stopped_by: list[int] = []

    def on_signal(number: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt  # a second Ctrl-C: stop now
        stop.set()
        stopped_by.append(number)
        click.echo("\nStopping: no new sessions start; those under way finish.", err=True)

    def on_done(outcome: SessionOutcome) -> None:
        counts[outcome.outcome] += 1
        if outcome.outcome == "failed":
            click.echo(f"{chr(10) if show_bar else ''}Error: {outcome.reason}", err=True)
        elif outcome.outcome == "exported":
            log.info("stream %r: exported: %d words, %d cues, %.1f s", outcome.stream_id, outcome.words, outcome.cues,
                     outcome.seconds)
        else:
            log.info("stream %r: %s%s", outcome.stream_id, outcome.outcome, f": {outcome.reason}" if outcome.reason else "")
        if show_bar:
            bar.update(1)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    started = datetime.now(timezone.utc)
    try:
        with bar if show_bar else contextlib.nullcontext():
            outcomes = export_many(
                ids, out_dir=out, client=client, formats=formats, preset=rules, options=options, jobs=jobs,
                force=force, retry_failed=retry_failed, name_template=name_template, word_timing=word_timing,
                on_done=on_done, stop=stop,
            )
    except TranscribeExportError as error:  # the folder is busy
        click.echo(f"Error: {error}", err=True)
        sys.exit(error.exit_code)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if report_file is not None:
        _write_report(report_file, outcomes, ids, started)
    if counts["failed"]:
        click.echo(f"{counts['failed']} of {len(ids)} failed.", err=True)
    if stopped_by:
        click.echo(f"Stopped after {len(outcomes)} of {len(ids)} sessions; run again to do the rest.", err=True)
        sys.exit(128 + stopped_by[0])
    if counts["failed"]:
        sys.exit(1)
    if counts["not-ready"]:
        sys.exit(NotReadyError.exit_code)


def _write_report(path: Path, outcomes: list[SessionOutcome], ids: list[str], started: datetime) -> None:
    summary = {name: sum(o.outcome == name for o in outcomes) for name in OUTCOMES}
    summary["not-started"] = len(ids) - len(outcomes)
    report = {
        "format": "transcribe-export/report",
        "format_version": 1,
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "summary": summary,
        "sessions": [o.as_dict() for o in outcomes],
    }
    write_atomic({path: json.dumps(report, indent=2, ensure_ascii=False) + "\n"})


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder for the converted files (created if missing).")
@click.option("-f", "--format", "formats", default=",".join(DEFAULT_FORMATS), show_default=True, help=_FORMAT_HELP)
@_caption_options
@_data_options
@click.option("-v", "--verbose", count=True, help="Log each file on stderr.")
def convert(
    files: tuple[Path, ...],
    output_dir: Path,
    formats: str,
    lenient: bool,
    max_frame_bytes: int,
    max_words: int,
    preset: str,
    config_file: Path | None,
    fps: str | None,
    word_timing: bool,
    verbose: int,
) -> None:
    """Convert saved inputs offline, without calling the API.

    \b
    FILES may be:
      a saved SSE capture     curl -N -H "x-api-key: $HEYGEN_API_KEY" \\
                                .../v3/avatar-realtime/ID/words > session.sse
      a JSON list of words    [{"word": "Hi", "start": 0.0, "end": 0.3}, ...]
      our own JSON transcript to re-cut the captions with other settings

    Writes OUTPUT_DIR/<file name without .sse or .json>.srt, .vtt, .json.
    A capture without its `end` event is refused, as a live stream would be.
    """
    _setup_logging(verbose)
    chosen = _parse_formats(formats)
    rules = _preset_choice(preset, config_file, fps)
    names: dict[str, Path] = {}
    for path in files:
        name = input_name(path)
        if name in names and names[name] != path:
            _fail_usage(ConfigurationError(
                f"{str(names[name])!r} and {str(path)!r} would both be written as {name!r}",
                key="FILES",
                hint="Convert them into different output folders.",
            ))
        names[name] = path
    out = _output_dir(output_dir)
    options = CollectOptions(lenient=lenient, max_frame_bytes=max_frame_bytes, max_words=max_words)

    def one(item: tuple[str, Path]) -> str:
        name, path = item
        transcript = build_transcript(load_input(path, options), rules)
        written = write_transcript(transcript, out, chosen, name=name, word_timing=word_timing)
        return f"{path}: {len(transcript.words)} words, {len(transcript.cues)} cues -> {', '.join(map(str, written))}"

    _run_batch(list(names.items()), "Converting", one)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--preset", default=DEFAULT_PRESET, show_default=True,
              help=f"The rules to check against: {', '.join(preset_names())}, or a .yaml file.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A YAML file of preset keys merged over the preset.")
@click.option("--words", "words_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The session's words (our JSON transcript, a word list or a capture): also report where cues end.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def check(files: tuple[Path, ...], preset: str, config_file: Path | None, words_file: Path | None, as_json: bool) -> None:
    """Lint SRT or WebVTT files (ours or anyone's) against caption rules.

    For each rule, the number of violations and the cue numbers: characters
    per line, lines, durations, reading speed, gaps, overlaps, order, empty
    cues, malformed times. With --words, also the share of cue ends at a
    sentence end, clause punctuation or a pause. Exits 1 if a hard rule is
    broken, so it can gate a delivery.

    \b
    Example:
      transcribe-export check subs/*.srt --preset netflix-en --words subs/7f3c2a1e.json
    """
    if preset == "auto":
        _fail_usage(ConfigurationError("check needs a named preset, not auto", key="preset"))
    rules = _preset_choice(preset, config_file, None).resolve(())
    words = None
    if words_file is not None:
        try:
            words = load_input(words_file).words
        except TranscribeExportError as error:
            _fail_usage(ConfigurationError(f"--words: {error}", key="words", file=str(words_file)))
    reports = [check_file(path, rules, words) for path in files]
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        for report in reports:
            click.echo(_format_report(report))
    if any(r.hard_failures for r in reports):
        sys.exit(1)


def _format_report(report: Report) -> str:
    verdict = "passes" if report.hard_failures == 0 else f"FAILS ({report.hard_failures} hard violations)"
    lines = [f"{report.path}: {report.cues} cues against {report.preset}: {verdict}"]
    for rule, cues in report.violations.items():
        kind = "hard" if rule in HARD else "soft"
        shown = ", ".join(map(str, cues[:20])) + (" ..." if len(cues) > 20 else "")
        lines.append(f"  {rule:<20} {kind}  {len(cues):>4}  {shown}".rstrip())
    for rule, items in report.excused.items():
        for cue, why in items:
            lines.append(f"  excused: cue {cue}, {rule}: {why}")
    if report.cue_ends is not None:
        ends = report.cue_ends
        lines.append(
            f"  cue ends: {ends['good']:.0%} at a sentence end, clause or pause"
            f" (sentence {ends['sentence']:.0%}, clause {ends['clause']:.0%}, pause {ends['pause']:.0%})"
        )
    return "\n".join(lines)


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 (0: any free one).")
@click.option("--samples", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Folder of <id>.sse sessions (default: the bundled samples).")
@click.option("--api-key", default=None, help="Require this key (a test key, not a real one). Default: accept any request.")
@click.option("--scenarios", "scenario_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A YAML file mapping ids to misbehaviour scenarios (see README).")
def emulate(port: int, samples: Path | None, api_key: str | None, scenario_file: Path | None) -> None:
    """Run a HeyGen-compatible server on 127.0.0.1 that serves a folder of sessions.

    Each <id>.sse in the folder is served as session <id> (status
    `completed`); an optional <id>.status.json beside it sets another
    status, e.g. {"status": "error", "error_message": "..."}. Unknown ids
    get HeyGen's 404, a wrong key HeyGen's 401. Stop it with Ctrl-C.

    To test how a client copes with the network, prefix an id with a
    scenario: drop--product-demo cuts the first connection after 3 frames,
    ratelimit--product-demo answers 429 with Retry-After first,
    crlf+tiny-chunks--ja-tutorial combines two. The README lists them all.

    \b
    Example:
      transcribe-export emulate --port 8765 &
      HEYGEN_BASE_URL=http://127.0.0.1:8765 transcribe-export export product-demo
    """
    folder = samples if samples is not None else bundled_dir("samples")
    scenarios = {}
    if scenario_file is not None:
        try:
            scenarios = load_scenario_file(scenario_file)
        except (ValueError, TypeError, yaml.YAMLError) as exc:
            _fail_usage(ConfigurationError(f"the scenario file is not valid: {exc}", key="scenarios", file=str(scenario_file)))
    try:
        emulator = Emulator(folder, port=port, api_key=api_key, scenarios=scenarios)
    except OSError as exc:
        _fail_usage(ConfigurationError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror})", key="port",
                                       hint="Choose another --port, or 0 for any free one."))
    sessions = emulator.sessions()
    click.echo(f"Serving {len(sessions)} sessions from {folder} at {emulator.base_url}", err=True)
    click.echo(f"  ids: {', '.join(sessions) or '(none)'}", err=True)
    example = sessions[0] if sessions else "ID"
    click.echo(f"  try: HEYGEN_BASE_URL={emulator.base_url} transcribe-export export {example}", err=True)
    try:
        emulator.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


@main.command()
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("transcribe-export-demo"), show_default=True, help="Folder for the demo's files.")
def demo(output_dir: Path) -> None:
    """Export every bundled sample through the real HTTP path, offline.

    Starts the emulator on a free loopback port inside this process, exports
    each sample session with the same client a real export uses (preset
    auto: Japanese gets netflix-ja), and prints what it wrote. Needs no API
    key and no network.
    """
    out = _output_dir(output_dir)
    with Emulator(bundled_dir("samples")) as emulator:
        client = HeyGenClient(base_url=emulator.base_url)
        rows = []
        failures = 0
        for stream_id in emulator.sessions():
            try:
                transcript = export_session(stream_id, client=client, out_dir=out, preset="auto")
            except TranscribeExportError as error:
                failures += 1
                click.echo(f"Error: {error}", err=True)
                continue
            rows.append((stream_id, len(transcript.words), len(transcript.cues)))
    click.echo(f"Exported {len(rows)} sessions from the built-in emulator ({emulator.base_url}) into {out}/")
    width = max([len("stream id")] + [len(r[0]) for r in rows])
    click.echo(f"  {'stream id':<{width}}  {'words':>5}  {'cues':>4}  files")
    for stream_id, words, cues in rows:
        click.echo(f"  {stream_id:<{width}}  {words:>5}  {cues:>4}  {stream_id}.srt .vtt .json")
    if failures:
        sys.exit(1)
