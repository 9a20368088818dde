"""One end-to-end export per emulator scenario, over real sockets.

Each asserts the exact words (read from the sample without our parser) or
the exact error and exit code, and that a failure leaves no file behind.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_client import Server, send

from conftest import KEY, SAMPLES, outputs, words_in_capture
from transcribe_export.cli import main
from transcribe_export.emulate.scenarios import BUILTIN, load_scenario_file
from transcribe_export.emulate.server import Emulator
from transcribe_export.write.files import safe_name


def export(emu: Emulator, stream_id: str, out: Path, *extra: str) -> Result:
    env = {"HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": emu.base_url, "HEYGEN_BEARER_TOKEN": None}
    return CliRunner().invoke(main, ["export", stream_id, "-o", str(out), *extra], env=env, catch_exceptions=False)


def document(out: Path, stream_id: str) -> dict:
    return json.loads((out / f"{safe_name(stream_id)}.json").read_text(encoding="utf-8"))


def tokens(out: Path, stream_id: str) -> list[dict]:
    return document(out, stream_id)["tokens"]


def spoken(sample: str) -> list[dict]:
    return words_in_capture(SAMPLES / f"{sample}.sse")


@pytest.fixture
def emu() -> Emulator:
    with Emulator(SAMPLES, api_key=KEY) as emulator:
        yield emulator


# -- scenarios that must end in exactly the spoken words ----------------------

EXACT = [
    "live--es-bienvenida",
    "5xx--es-bienvenida",
    "drop--product-demo",
    "eof-once--product-demo",
    "cr--product-demo",
    "crlf--product-demo",
    "tiny-chunks--ja-tutorial",
    "bom--es-bienvenida",
    "multiline--support-answer",
    "unknown-events--product-demo",
    "end-no-data--es-bienvenida",
    "shuffled--product-demo",
    "duplicated--support-answer",
    "trickle--es-bienvenida",
    "cr+tiny-chunks--es-bienvenida",
    "resume-after--product-demo",
    "resume-at--product-demo",
    "resume-before--product-demo",
    "resume-end-only--support-answer",
    "zero-times+resume-at--product-demo",
    "ids+zero-times--es-bienvenida",
]


def test_degenerate_timings_keep_every_repeated_word(emu: Emulator, tmp_path: Path) -> None:
    # Every word at 0-0 s: "the" and "," repeat with identical text and times, and are all spoken.
    result = export(emu, "zero-times--product-demo", tmp_path)
    assert result.exit_code == 0, result.stderr
    expected = [{**word, "start": 0, "end": 0} for word in spoken("product-demo")]
    assert tokens(tmp_path, "zero-times--product-demo") == expected
    assert [w["word"] for w in expected].count("the") > 1  # the case that used to lose words
    assert document(tmp_path, "zero-times--product-demo")["collection"]["duplicates_removed"] == 0
    # No cue can hold words that all happen at 0 s within the limits: their span is shared out, with a warning,
    # and what is written passes the caption rules (it was one 21-line cue).
    assert "the words' times overlap, so no cue could hold them within the limits" in result.stderr
    checked = CliRunner().invoke(main, ["check", str(tmp_path / f"{safe_name('zero-times--product-demo')}.srt")])
    assert checked.exit_code == 0, checked.stdout


@pytest.mark.parametrize("stream_id", EXACT)
def test_scenario_gives_exactly_the_spoken_words(stream_id: str, emu: Emulator, tmp_path: Path) -> None:
    result = export(emu, stream_id, tmp_path, "--retries", "3")
    assert result.exit_code == 0, result.stderr
    expected = spoken(stream_id.split("--")[1])
    if "zero-times" in stream_id:
        expected = [{**word, "start": 0, "end": 0} for word in expected]
    assert tokens(tmp_path, stream_id) == expected


def test_lifecycle_pending_streaming_completed(emu: Emulator, tmp_path: Path) -> None:
    stream_id = "lifecycle--es-bienvenida"
    result = export(emu, stream_id, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert tokens(tmp_path, stream_id) == spoken("es-bienvenida")
    status_requests = [r for r in emu.requests if not r.raw_path.endswith("/words")]
    assert len(status_requests) >= 3  # polled while pending, then once more for end_reason
    assert document(tmp_path, stream_id)["session"]["status"] == "completed"


def test_ratelimit_waits_for_retry_after_before_every_retry(emu: Emulator, tmp_path: Path) -> None:
    stream_id = "ratelimit--es-bienvenida"
    result = export(emu, stream_id, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert tokens(tmp_path, stream_id) == spoken("es-bienvenida")
    times = [r.at for r in emu.requests]
    # status 429, 429, 200 then words 429, 200: every request after a 429 waited its Retry-After: 1
    assert len(times) == 5
    for before, after in [(0, 1), (1, 2), (3, 4)]:
        assert times[after] - times[before] >= 0.95


def test_retry_after_is_capped(emu: Emulator, tmp_path: Path) -> None:
    scenarios = load_scenario_from({"slow": {"session": "es-bienvenida", "status_errors": [429], "retry_after": "3600"}}, tmp_path)
    with Emulator(SAMPLES, scenarios=scenarios) as emulator:
        result = export(emulator, "slow", tmp_path / "out", "--retry-after-max", "0.2")
        assert result.exit_code == 0, result.stderr
        assert emulator.requests[1].at - emulator.requests[0].at < 2


def test_ids_resume_with_last_event_id(emu: Emulator, tmp_path: Path) -> None:
    stream_id = "ids--product-demo"
    result = export(emu, stream_id, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert tokens(tmp_path, stream_id) == spoken("product-demo")
    words_requests = [r for r in emu.requests if r.raw_path.endswith("/words")]
    assert "Last-Event-ID" not in words_requests[0].headers
    assert words_requests[1].headers["Last-Event-ID"] == "3"
    assert document(tmp_path, stream_id)["collection"]["connections"] == 2


def test_drop_reconnects_once(emu: Emulator, tmp_path: Path) -> None:
    assert export(emu, "drop--product-demo", tmp_path).exit_code == 0
    assert document(tmp_path, "drop--product-demo")["collection"]["connections"] == 2


def test_a_replay_that_contradicts_the_first_connection_fails_that_session(emu: Emulator, tmp_path: Path) -> None:
    # The replay moves the first word 0.25 s later. Neither history can be trusted, and a silent
    # restart could only lose words: the session fails, says why, and writes nothing.
    result = export(emu, "replay-differs--product-demo", tmp_path)
    assert result.exit_code == 1
    first = spoken("product-demo")[0]
    assert (
        "Error: stream 'replay-differs--product-demo': connection 2 to the words stream contradicts what the earlier"
        f" ones delivered (it starts with {first['word']!r} at {first['start'] + 0.25!r}-{first['end'] + 0.25!r} s,"
        " which is not in what was collected); nothing was written."
    ) in result.stderr
    assert outputs(tmp_path) == []


def test_shuffled_and_duplicated_are_counted(emu: Emulator, tmp_path: Path) -> None:
    export(emu, "shuffled--product-demo", tmp_path)
    export(emu, "duplicated--product-demo", tmp_path)
    assert document(tmp_path, "shuffled--product-demo")["collection"]["reordered"] is True
    duplicated = document(tmp_path, "duplicated--product-demo")["collection"]
    assert duplicated["duplicates_removed"] == len(spoken("product-demo"))


def test_keepalive_comments_keep_a_quiet_stream_alive(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu, "keepalive--es-bienvenida", tmp_path, "--read-timeout", "0.6", "--retries", "0")
    assert result.exit_code == 0, result.stderr
    assert tokens(tmp_path, "keepalive--es-bienvenida") == spoken("es-bienvenida")


def test_empty_session_writes_empty_subtitles(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu, "empty--product-demo", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "empty--product-demo.srt").read_text() == ""
    assert (tmp_path / "empty--product-demo.vtt").read_text() == "WEBVTT\n"
    assert tokens(tmp_path, "empty--product-demo") == []


# -- scenarios that must fail, with the exact message ------------------------

FAILING = [
    ("garbage--product-demo", [], "frame 2 is not valid JSON (Expecting value at line 1 column 13)."),
    ("bad-missing-word--product-demo", [], "frame 2: words[0].word is missing."),
    ("bad-missing-start--product-demo", [], "frame 2: words[0].start is missing."),
    ("bad-non-string--product-demo", [], "frame 2: words[0].word is 42, not a string."),
    ("bad-nan--product-demo", [], "frame 2 holds NaN, which is not a finite number (JSON has no NaN)."),
    ("bad-infinity--product-demo", [], "frame 2 holds Infinity, which is not a finite number (JSON has no Infinity)."),
    ("bad-negative--product-demo", [], "frame 2: words[0].start is -1.5, a negative time."),
    ("bad-far-future--product-demo", [],
     "frame 2: words[0].start is 1.7e+18, past 99:59:59.999, the latest time a subtitle file can hold."),
    ("deep-nesting--product-demo", [], "frame 2 is not valid JSON (it is nested too deeply to read)."),
    ("huge-frame--product-demo", [], "frame 2 is larger than the 1,048,576-byte limit. Raise --max-frame-bytes if the frame is genuine."),
    ("error--product-demo", [], "HeyGen reports the session failed: avatar failed to load."),
    ("no-end--product-demo", ["--retries", "1"],
     "the words stream was cut 2 times without its 'end' event (the stream ended without its 'end' event);"
     " 169 words arrived, so nothing was written. Run the export again later, or raise --retries."),
    ("5xx--product-demo", ["--retries", "1"],
     "HeyGen answered HTTP 502 bad_gateway: Bad gateway. (gave up after 2 attempts)."),
]


@pytest.mark.parametrize(("stream_id", "extra", "message"), FAILING, ids=[f[0].split("--")[0] for f in FAILING])
def test_scenario_fails_clearly_and_leaves_nothing(stream_id: str, extra: list[str], message: str, emu: Emulator, tmp_path: Path) -> None:
    result = export(emu, stream_id, tmp_path, *extra)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: stream {stream_id!r}: {message}"]
    assert outputs(tmp_path) == []


def test_reversed_times_fail(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu, "bad-reversed--product-demo", tmp_path)
    assert result.exit_code == 1
    assert "frame 2: words[0].end is " in result.stderr and ", before its start " in result.stderr


@pytest.mark.parametrize("kind", ["missing-word", "missing-start", "non-string", "negative", "reversed", "far-future"])
def test_lenient_drops_the_bad_word_and_records_it(kind: str, emu: Emulator, tmp_path: Path) -> None:
    stream_id = f"bad-{kind}--product-demo"
    result = export(emu, stream_id, tmp_path, "--lenient")
    assert result.exit_code == 0, result.stderr
    expected = spoken("product-demo")
    frame_two_first = len(json.loads(
        [ln for ln in (SAMPLES / "product-demo.sse").read_text().splitlines() if ln.startswith("data: {")][0][6:]
    )["words"])
    assert tokens(tmp_path, stream_id) == expected[:frame_two_first] + expected[frame_two_first + 1:]
    repairs = document(tmp_path, stream_id)["collection"]["repairs"]
    assert len(repairs) == 1 and repairs[0]["frame"] == 2 and repairs[0]["field"].startswith("words[0]")
    assert result.stderr.count("(--lenient)") == 1


def test_lenient_drops_a_garbage_frame_whole(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu, "garbage--product-demo", tmp_path, "--lenient")
    assert result.exit_code == 0, result.stderr
    assert document(tmp_path, "garbage--product-demo")["collection"]["repairs"][0]["frame"] == 2


def test_raising_the_frame_limit_accepts_the_huge_frame(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu, "huge-frame--product-demo", tmp_path, "--max-frame-bytes", "8000000")
    assert result.exit_code == 0, result.stderr


def test_max_words(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu, "product-demo", tmp_path, "--max-words", "10")
    assert result.exit_code == 1
    assert "the session holds more than 10 words" in result.stderr


# -- waiting, deadlines and timeouts ---------------------------------------


def test_no_wait_reports_not_ready_with_exit_75(emu: Emulator, tmp_path: Path) -> None:
    for stream_id in ("lifecycle--es-bienvenida", "live--product-demo"):
        result = export(emu, stream_id, tmp_path, "--no-wait")
        assert (result.exit_code, result.stdout, result.stderr) == (75, "", "")
    assert outputs(tmp_path) == []


def test_no_wait_failure_beats_not_ready(emu: Emulator, tmp_path: Path) -> None:
    env = {"HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": emu.base_url}
    result = CliRunner().invoke(main, ["export", "lifecycle--es-bienvenida", "nope", "-o", str(tmp_path), "--no-wait"], env=env)
    assert result.exit_code == 1


def test_wait_timeout(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu, "lifecycle--es-bienvenida", tmp_path, "--wait-timeout", "0.2")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: stream 'lifecycle--es-bienvenida': the session was still pending after 0.2 s of waiting."
        " Raise --wait-timeout, or use --no-wait and export it in a later run."
    )


def test_max_duration(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu, "live--product-demo", tmp_path, "--max-duration", "0.5")
    assert result.exit_code == 1
    assert "Error: stream 'live--product-demo': the words stream had no 'end' event after 0.5 s (" in result.stderr
    assert outputs(tmp_path) == []


def test_read_timeout_on_a_silent_stream(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu, "idle--es-bienvenida", tmp_path, "--read-timeout", "0.4", "--retries", "1")
    assert result.exit_code == 1
    assert "Error: stream 'idle--es-bienvenida': the words stream was cut 2 times without its 'end' event" in result.stderr
    assert "read timed out" in result.stderr


def test_connect_timeout(tmp_path: Path) -> None:
    import socket

    # A listener whose backlog is full: the kernel drops further SYNs, so connecting hangs.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        fillers = []
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        env = {"HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": f"http://127.0.0.1:{port}"}
        result = CliRunner().invoke(
            main, ["export", "abc", "-o", str(tmp_path), "--connect-timeout", "0.3", "--retries", "0"], env=env
        )
        for filler in fillers:
            filler.close()
    assert result.exit_code == 1
    assert f"Error: stream 'abc': connecting to 127.0.0.1:{port} timed out after 0.3 s." in result.stderr


# -- security -----------------------------------------------------------------


def test_redirect_never_reaches_the_second_listener(tmp_path: Path) -> None:
    with Server(send(200, b"{}"), host="127.0.0.2") as other:
        with Emulator(SAMPLES, api_key=KEY, redirect_target=other.url) as emulator:
            result = export(emulator, "redirect--product-demo", tmp_path)
    assert result.exit_code == 1
    assert "HeyGen answered 307 with a redirect to 127.0.0.2:" in result.stderr
    assert other.seen == []


def test_a_failing_run_never_shows_the_key_anywhere(emu: Emulator, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    outputs = []
    for stream_id in ("5xx--product-demo", "garbage--product-demo", "drop--product-demo", "nope", "redirect--x"):
        result = export(emu, stream_id, tmp_path, "-vvv", "--retries", "1")
        outputs.append(result.stdout + result.stderr)
    assert emu.requests and all(r.headers.get("x-api-key") == KEY for r in emu.requests)  # it was sent...
    everything = "\n".join(outputs) + "\n".join(r.getMessage() for r in caplog.records)
    assert "DEBUG" in everything  # the debug log really ran
    for path in tmp_path.rglob("*"):
        if path.is_file():
            everything += path.read_text(encoding="utf-8", errors="replace")
    assert KEY not in everything  # ...and shown nowhere


# -- the scenario file --------------------------------------------------------


def load_scenario_from(sessions: dict, tmp_path: Path) -> dict:
    import yaml

    path = tmp_path / "scenarios.yaml"
    path.write_text(yaml.safe_dump({"sessions": sessions}))
    return load_scenario_file(path)


def test_scenario_file_maps_ids_to_sessions_and_overrides(tmp_path: Path) -> None:
    scenarios = load_scenario_from({"my-test": {"session": "product-demo", "scenario": "drop", "drop_after": 5}}, tmp_path)
    with Emulator(SAMPLES, scenarios=scenarios) as emulator:
        result = export(emulator, "my-test", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert tokens(tmp_path / "out", "my-test") == spoken("product-demo")
    assert document(tmp_path / "out", "my-test")["collection"]["connections"] == 2


@pytest.mark.parametrize(
    ("sessions", "message"),
    [
        ({"x": {"scenario": "nonsense"}}, "session 'x': unknown scenario 'nonsense'"),
        ({"x": {"drop_afterr": 3}}, "session 'x': unknown key 'drop_afterr'"),
    ],
)
def test_scenario_file_errors(sessions: dict, message: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=message):
        load_scenario_from(sessions, tmp_path)
    result = CliRunner().invoke(main, ["emulate", "--scenarios", str(tmp_path / "scenarios.yaml")])
    assert result.exit_code == 2 and message in result.stderr


def test_every_builtin_scenario_is_documented_in_the_readme() -> None:
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    for name in BUILTIN:
        assert f"`{name}`" in readme, name


def test_redirect_from_a_scenario_file(tmp_path: Path) -> None:
    mapping = load_scenario_from({"moved": {"session": "product-demo", "scenario": "redirect"}}, tmp_path)
    with Server(send(200, b"{}"), host="127.0.0.2") as other:
        with Emulator(SAMPLES, api_key=KEY, scenarios=mapping, redirect_target=other.url) as emulator:
            result = export(emulator, "moved", tmp_path / "out")
    assert result.exit_code == 1 and "HeyGen answered 307 with a redirect to 127.0.0.2:" in result.stderr
    assert other.seen == []


def test_a_bad_session_never_stops_the_batch(emu: Emulator, tmp_path: Path) -> None:
    ids = ["es-bienvenida", "bad-far-future--product-demo", "deep-nesting--product-demo", "ja-tutorial"]
    result = export(emu, ids[0], tmp_path, *ids[1:])
    assert result.exit_code == 1
    assert len([line for line in result.stderr.splitlines() if line.startswith("Error: ")]) == 2
    assert outputs(tmp_path) == sorted(f"{i}.{s}" for i in ("es-bienvenida", "ja-tutorial") for s in ("json", "srt", "vtt"))
    assert "Traceback" not in result.stderr


def test_a_bug_in_one_session_is_that_sessions_alone(emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fault injection: the pipeline raises an unexpected exception for one id only.
    from transcribe_export.run import batch

    real = batch.export_session

    def flaky(stream_id: str, **options: object) -> object:
        if stream_id == "product-demo":
            raise RuntimeError("boom")
        return real(stream_id, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "export_session", flaky)
    report = tmp_path / "report.json"
    result = export(emu, "es-bienvenida", tmp_path / "out", "product-demo", "ja-tutorial", "--report", str(report))
    assert result.exit_code == 70
    assert ("Error: stream 'product-demo': an internal error (RuntimeError: boom); nothing was written. This is a bug"
            " in transcribe-export: please report it with the traceback logged above.") in result.stderr
    assert "Traceback (most recent call last):" in result.stderr  # a bug shows its traceback, in the log
    assert sorted(outputs(tmp_path / "out")) == sorted(f"{i}.{s}" for i in ("es-bienvenida", "ja-tutorial") for s in ("json", "srt", "vtt"))
    sessions = {s["stream_id"]: s for s in json.loads(report.read_text(encoding="utf-8"))["sessions"]}
    assert sessions["product-demo"]["bug"] is True and sessions["product-demo"]["permanent"] is False
