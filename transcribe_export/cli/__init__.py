"""The ``transcribe-export`` command: a skin over the library. This package is the only code that imports click.

Each command passes its options, by the same names, to the library call of
the same name (``export``, ``convert``, ``check``); defaults and choices are
read from the library, and every check happens there. This module holds the
commands and their options; :mod:`.boundary` turns library errors into
usage errors and exit codes, and outcomes into lines (``main``'s help).
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable

import click

from transcribe_export import logs
from transcribe_export._version import __version__
from transcribe_export.cli.boundary import Checked, Command, Reporter, exit_with, flags, later
from transcribe_export.collect.options import (
    CONNECT_TIMEOUT,
    DEFAULT_BASE_URL,
    READ_TIMEOUT,
    REQUEST_TIMEOUT,
    RETRIES,
    RETRY_AFTER_MAX,
    CollectOptions,
)
from transcribe_export.rates import FRAME_RATIOS
from transcribe_export.resources import bundled_dir
from transcribe_export.run import DEFAULT_JOBS, DEFAULT_NAME_TEMPLATE, DEFAULT_OUT_DIR
from transcribe_export.segmentation import DEFAULT_PRESET, preset_names
from transcribe_export.write import DEFAULT_FORMATS, FORMATS, HLS_MPEGTS, HLS_SEGMENT_SECONDS, LINE_ENDINGS, parse_formats

__all__ = ["main"]

# -- options shared by commands -----------------------------------------------------


_Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
# What --help and a usage error need loads nothing of the pipeline: the checks that do, load it when called.
_check_preset_name = later("transcribe_export.segmentation.presets", "check_preset_name")
_check_language = later("transcribe_export.segmentation.presets", "check_language")


def _options(*decorators: _Decorator) -> _Decorator:
    """Several click options as one decorator, in the order written."""
    return lambda function: functools.reduce(lambda f, decorate: decorate(f), reversed(decorators), function)


_output_options = _options(
    click.option("-o", "--output-dir", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                 default=DEFAULT_OUT_DIR, show_default=True,
                 help="Folder for the files (created if missing)."),
    click.option("-f", "--format", "formats", type=Checked("LIST", parse_formats), default=",".join(DEFAULT_FORMATS),
                 show_default=True, help=f"Comma-separated output formats: {', '.join(FORMATS)}."),
    click.option("--start-timecode", default=None, metavar="HH:MM:SS:FF",
                 help="Place the session's start here on the editor's timeline (';' before FF: drop-frame)."
                      " Every format but JSON is shifted; the JSON records it."),
    click.option("--offset", default=None, metavar="SECONDS|TIMECODE",
                 help="Shift every format but JSON by this much (negative allowed, e.g. -1.5 or -00:00:01:00)."),
    click.option("--line-endings", type=click.Choice(list(LINE_ENDINGS)), default="lf", show_default=True,
                 help="crlf for tools that expect Windows text files."),
    click.option("--bom", is_flag=True, help="Start SRT, WebVTT, TTML, ASS and text files with a UTF-8 byte order mark."),
    click.option("--review", is_flag=True, help="Also write a review page per session and an index into DIR/review/."),
)
_caption_options = _options(
    click.option("--preset", type=Checked("NAME", _check_preset_name), default=DEFAULT_PRESET, show_default=True,
                 help=f"Caption rules: auto (the preset of the language found in the words), {', '.join(preset_names())},"
                      " or a path to a .yaml file."),
    click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                 help="A YAML file of preset keys merged over the preset."),
    click.option("--fps", type=click.Choice(list(FRAME_RATIOS)), default=None,
                 help="Snap every time to this frame rate's frame boundaries (for editors)."),
    click.option("--language", type=Checked("CODE", _check_language), default=None,
                 help="The sessions' language (en, es, fr, …): auto takes its preset without looking; "
                      "a named preset takes its word lists."),
    click.option("--word-timing", is_flag=True,
                 help="WebVTT: an inline timestamp before each word, for karaoke-style players."),
)
_data_options = _options(
    click.option("--lenient", is_flag=True, help="Drop bad words (a warning each, listed in the JSON) instead of failing."),
    click.option("--max-frame-bytes", type=int, default=CollectOptions.max_frame_bytes, show_default=True,
                 help="Refuse an SSE frame larger than this."),
    click.option("--max-words", type=int, default=CollectOptions.max_words, show_default=True,
                 help="Refuse a session with more words than this."),
)
_network_options = _options(
    click.option("--base-url", envvar="HEYGEN_BASE_URL", default=DEFAULT_BASE_URL, show_default=True,
                 help="API root; also HEYGEN_BASE_URL. Point it at `transcribe-export emulate` to test."),
    click.option("--api-key-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                 help="Read the API key from this file instead of HEYGEN_API_KEY."),
    click.option("--allow-insecure-http", is_flag=True, help="Allow a plain http:// base URL that is not loopback."),
    click.option("--connect-timeout", type=float, default=CONNECT_TIMEOUT, show_default=True,
                 help="Seconds to wait for a connection."),
    click.option("--read-timeout", type=float, default=READ_TIMEOUT, show_default=True,
                 help="Longest silence (seconds) allowed between two received bytes."),
    click.option("--request-timeout", type=float, default=REQUEST_TIMEOUT, show_default=True,
                 help="Most seconds one request may take, however slowly its bytes come."),
    click.option("--wait-timeout", type=float, default=CollectOptions.wait_timeout, show_default=True,
                 help="Seconds to wait for a pending session to start."),
    click.option("--max-duration", type=float, default=CollectOptions.max_duration, show_default=True,
                 help="Seconds to follow a live words stream before giving up (HeyGen caps sessions at 1 h)."),
    click.option("--retries", type=int, default=RETRIES, show_default=True,
                 help="Retries after 429, 5xx, connection errors and cut streams (other 4xx never retry)."),
    click.option("--retry-after-max", type=float, default=RETRY_AFTER_MAX, show_default=True,
                 help="Longest Retry-After (seconds) obeyed."),
)
_verbose = click.option("-v", "--verbose", count=True, help="One line per session on stderr (-vv for debug).")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="transcribe-export")
def main() -> None:
    """Turn HeyGen Avatar Realtime sessions into subtitles (SRT, WebVTT, TTML, SCC, ASS), JSON and text transcripts.

    \b
    Try it with no account and no network:
      transcribe-export demo
    Export real sessions (the key comes from the environment, never argv):
      HEYGEN_API_KEY=... transcribe-export export STREAM_ID -o subtitles/

    Exit status: 0 all written; 1 some stream failed; 2 bad usage or
    configuration; 70 a bug failed some stream (the others still ran);
    75 nothing failed but some sessions were not ready (--no-wait).
    """


main.command_class = Command


@main.command()
@click.argument("stream_ids", nargs=-1, metavar="[STREAM_ID]...")
@click.option("--ids-file", default=None, metavar="FILE",
              help="Read ids from FILE (one per line; blank lines and # comments skipped), or - for standard input.")
@_output_options
@_network_options
@click.option("--no-wait", is_flag=True,
              help="Don't wait for pending or streaming sessions: report them not ready (exit 75) for a later run.")
@click.option("-j", "--jobs", type=int, default=DEFAULT_JOBS, show_default=True,
              help="Sessions exported at once (one connection pool; a 429 slows them all).")
@click.option("--force", is_flag=True, help="Export again sessions an earlier run already exported.")
@click.option("--retry-failed", is_flag=True,
              help="Try again sessions whose last failure was permanent (HeyGen error status, 404, bad frame).")
@click.option("--name-template", type=Checked("TEMPLATE", later("transcribe_export.run.inputs", "check_name_template")),
              default=DEFAULT_NAME_TEMPLATE,
              show_default=True, help="File names; exactly one {stream_id} (the result is still made safe).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write a JSON summary: per id its outcome, reason, files, counts and seconds.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Log lines on stderr as text or as JSON objects (for log shippers).")
@_caption_options
@_data_options
@_verbose
@click.pass_context
def export(ctx: click.Context, /, stream_ids: tuple[str, ...], ids_file: str | None, log_format: str, verbose: int,
           **options: Any) -> None:
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
    logs.configure(verbose, log_format, rewrite=functools.partial(flags, ctx=ctx))
    from transcribe_export.run import batch, inputs

    ids = inputs.read_ids(stream_ids, ids_file)
    Reporter(len(ids), "Exporting", ctx, json_lines=log_format == "json").run(batch.export, ids, **options)


@main.command()
@click.argument("stream_id")
@click.option("-o", "--output-dir", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT_DIR,
              show_default=True, help="Folder of the growing .srt and .vtt, and of the .srt, .vtt and .json at the end.")
@click.option("--format", "shown", type=click.Choice(["jsonl", "srt", "vtt", "none"]), default="jsonl", show_default=True,
              help="How each final cue is printed on standard output.")
@click.option("--hls", "hls_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also keep an HLS subtitle rendition here: captions.m3u8 and its WebVTT segments.")
@click.option("--hls-segment", type=click.IntRange(1, 60), default=HLS_SEGMENT_SECONDS, show_default=True,
              help="Seconds per HLS segment (the playlist's target duration).")
@click.option("--hls-mpegts", type=click.IntRange(0, 2**33 - 1), default=HLS_MPEGTS, show_default=True,
              help="The video's MPEG-TS time (90 kHz clock) at the session's start, for X-TIMESTAMP-MAP.")
@click.option("--start-timecode", default=None, metavar="HH:MM:SS:FF",
              help="Place the session's start here on the editor's timeline (the files; not HLS, not the printed cues).")
@click.option("--offset", default=None, metavar="SECONDS|TIMECODE", help="Shift the files by this much, as for export.")
@click.option("--line-endings", type=click.Choice(list(LINE_ENDINGS)), default="lf", show_default=True,
              help="crlf for tools that expect Windows text files.")
@click.option("--bom", is_flag=True, help="Start the SRT and WebVTT files with a UTF-8 byte order mark.")
@_network_options
@_caption_options
@_data_options
@_verbose
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Log lines on stderr as text or as JSON objects (for log shippers).")
@click.pass_context
def follow(ctx: click.Context, /, stream_id: str, shown: str, verbose: int, log_format: str, **options: Any) -> None:
    """Follow one session while it streams: print each cue as soon as it is final.

    Waits while the session is pending, follows it live (resuming after cuts as
    export does), and prints each cue the moment no later word can change it.
    Meanwhile OUTPUT_DIR/<id>.srt and .vtt hold every final cue (each rewrite
    whole). At the session's end it writes .srt, .vtt and .json exactly as
    `export` would: the same bytes. A completed session is read at once.

    A cue is final once every way of cutting the words that may still come
    passes its end: usually a cue or two after it, at once after a long pause
    (the preset's pause_break_ms), later in speech without sentence ends.

    \b
    Examples:
      HEYGEN_API_KEY=... transcribe-export follow 7f3c2a1e -o subs/
      transcribe-export follow 7f3c2a1e -o subs/ --format srt --hls subs/hls
    """
    logs.configure(verbose, log_format, rewrite=functools.partial(flags, ctx=ctx))
    from transcribe_export.run.follow import cue_text
    from transcribe_export.run.follow import follow as follow_session

    def printed(number: int, cue: Any) -> None:
        if shown != "none":
            click.echo(cue_text(number, cue, shown, word_timing=options["word_timing"]), nl=False)
            sys.stdout.flush()

    import signal

    def terminated(number: int, frame: object) -> None:
        raise _Terminated(number)

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        follow_session(stream_id, on_cue=printed, **options)
    except (KeyboardInterrupt, _Terminated) as stop:
        number = stop.number if isinstance(stop, _Terminated) else signal.SIGINT
        click.echo(f"Stopped following stream {stream_id!r}: the files hold every cue final so far, each whole;"
                   " the end's files were not written.", err=True)
        exit_with(128 + number)
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Terminated(Exception):
    """SIGTERM while following: raised where the program waits, so it stops at once (a blocking read too)."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_output_options
@_caption_options
@_data_options
@_verbose
@click.pass_context
def convert(ctx: click.Context, /, files: tuple[Path, ...], verbose: int, **options: Any) -> None:
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
    logs.configure(verbose, rewrite=functools.partial(flags, ctx=ctx))
    from transcribe_export.run import batch

    Reporter(len(files), "Converting", ctx).run(batch.convert, files, **options)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--preset", type=Checked("NAME", _check_preset_name), default=DEFAULT_PRESET, show_default=True,
              help=f"The rules to check against: auto (the preset of each file's language), {', '.join(preset_names())},"
                   " or a .yaml file.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A YAML file of preset keys merged over the preset.")
@click.option("--fps", type=click.Choice(list(FRAME_RATIOS)), default=None,
              help="The frame rate the files were snapped to: the minimum gap is counted in its frames.")
@click.option("--words", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The session's words (our JSON transcript, a word list or a capture): also report where cues end.")
@click.option("--allow-empty", is_flag=True, help="Pass a file without any cue (an empty session's files).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def check(files: tuple[Path, ...], as_json: bool, **options: Any) -> None:
    """Lint SRT, WebVTT, TTML, SCC or ASS files (ours or anyone's) against caption rules.

    For each rule, the number of violations and the cue numbers: characters
    per line, lines, durations, reading speed, gaps, overlaps, order, empty
    cues, malformed times. With --words, also the share of cue ends at a
    sentence end, clause punctuation or a pause. Exits 1 if a hard rule is
    broken, so it can gate a delivery.

    \b
    Example:
      transcribe-export check subs/*.srt --preset netflix-en --words subs/7f3c2a1e.json
    """
    from transcribe_export.checker import check as check_files

    reports = check_files(files, **options)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        for report in reports:
            click.echo(report.format())
    if any(r.hard_failures for r in reports):
        exit_with(1)


@main.command()
@click.argument("transcripts", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
                metavar="TRANSCRIPT.json...")
@click.option("-o", "--output-dir", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("review"),
              show_default=True, help="Folder for the pages (created if missing).")
@click.option("--media", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The session's video or audio: a player with the captions, and a cue click seeks to it.")
def review(transcripts: tuple[Path, ...], **options: Any) -> None:
    """Write a review page per JSON transcript, and an index.html, for a human look before shipping.

    Each page is self-contained (no network): the check summary, a zoomable
    timeline of words and cues coloured by reading speed with hard violations
    marked, and the cue list. Open DIR/index.html: sessions that need a look
    come first.

    \b
    Example:
      transcribe-export review subs/*.json -o review/ && xdg-open review/index.html
    """
    from transcribe_export.reviewer import review as write_pages

    written = write_pages(transcripts, **options)
    click.echo(f"Wrote {len(written) - 1} review pages and {written[-1]}")


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 (0: any free one).")
@click.option("--samples", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Folder of <id>.sse sessions (default: the bundled samples).")
@click.option("--api-key", default=None, help="Require this key (a test key, not a real one). Default: accept any request.")
@click.option("--scenarios", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A YAML file mapping ids to misbehaviour scenarios (see README).")
def emulate(port: int, samples: Path | None, api_key: str | None, scenarios: Path | None) -> None:
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
    from transcribe_export.emulate.server import Emulator

    folder = samples if samples is not None else bundled_dir("samples")
    emulator = Emulator.for_command(folder, port=port, api_key=api_key, scenario_file=scenarios)
    click.echo(emulator.banner(), err=True)
    emulator.serve_until_interrupted()


@main.command()
@click.option("-o", "--output-dir", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("transcribe-export-demo"), show_default=True, help="Folder for the demo's files.")
def demo(out_dir: Path) -> None:
    """Export every bundled sample through the real HTTP path, offline.

    Starts the emulator on a free loopback port inside this process, exports
    each sample session with the same client a real export uses (preset
    auto: Japanese gets netflix-ja), and prints what it wrote. Needs no API
    key and no network.
    """
    from transcribe_export.emulate.demo import demo_table, run_demo

    base_url, rows, failures = run_demo(out_dir)
    for error in failures:
        click.echo(f"Error: {error}", err=True)
    click.echo(f"Exported {len(rows)} sessions from the built-in emulator ({base_url}) into {out_dir}/")
    click.echo(demo_table(rows))
    if failures:
        exit_with(1)
