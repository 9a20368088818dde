"""`transcribe-export export` end to end, over a real loopback socket.

No part of requests is patched: the CLI talks HTTP to the emulator, and the
files it writes are read back with srt, webvtt-py and json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import KEY, SAMPLES, outputs, shown_in_srt, shown_in_vtt, squeeze, words_in_capture
from transcribe_export.cli import main
from transcribe_export.emulate.server import Emulator

SAMPLE_IDS = sorted(p.stem for p in SAMPLES.glob("*.sse"))


def run(args: list[str], base_url: str | None, key: str | None = KEY, **env: str) -> Result:
    environment = {"HEYGEN_API_KEY": key, "HEYGEN_BASE_URL": base_url, "HEYGEN_BEARER_TOKEN": None, **env}
    return CliRunner().invoke(main, args, env=environment, catch_exceptions=False)


def assert_no_key(result: Result, folder: Path) -> None:
    assert KEY not in result.stdout + result.stderr
    for path in folder.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(encoding="utf-8", errors="replace")


def test_there_are_at_least_three_samples() -> None:
    assert len(SAMPLE_IDS) >= 3


@pytest.mark.parametrize("stream_id", SAMPLE_IDS)
def test_export_every_sample_shows_exactly_the_spoken_words(stream_id: str, emulator: Emulator, tmp_path: Path) -> None:
    result = run(["export", stream_id, "-o", str(tmp_path)], emulator.base_url)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert outputs(tmp_path) == [f"{stream_id}.{s}" for s in ("json", "srt", "vtt")]
    spoken = words_in_capture(SAMPLES / f"{stream_id}.sse")
    expected = squeeze("".join(w["word"] for w in spoken))
    assert shown_in_srt(tmp_path / f"{stream_id}.srt") == expected
    assert shown_in_vtt(tmp_path / f"{stream_id}.vtt") == expected
    document = json.loads((tmp_path / f"{stream_id}.json").read_text(encoding="utf-8"))
    assert document["tokens"] == spoken  # exactly as received, numbers and all
    assert [w for s in document["segments"] for w in s["words"]] == spoken
    assert document["stream_id"] == stream_id
    assert_no_key(result, tmp_path)


def test_export_sends_the_key_and_user_agent_and_encodes_the_id(emulator: Emulator, tmp_path: Path) -> None:
    result = run(["export", "a/b", "-o", str(tmp_path)], emulator.base_url)
    assert result.exit_code == 1
    request = emulator.requests[0]
    assert request.raw_path == "/v3/avatar-realtime/a%2Fb"
    assert request.headers["x-api-key"] == KEY
    assert request.headers["User-Agent"].startswith("transcribe-export/")
    assert "stream 'a/b': no session with id 'a/b'" in result.stderr


def test_status_then_words_with_sse_headers(emulator: Emulator, tmp_path: Path) -> None:
    run(["export", SAMPLE_IDS[0], "-o", str(tmp_path)], emulator.base_url)
    status, words = emulator.requests
    assert status.raw_path == f"/v3/avatar-realtime/{SAMPLE_IDS[0]}"
    assert words.raw_path == f"/v3/avatar-realtime/{SAMPLE_IDS[0]}/words"
    assert words.headers["Accept"] == "text/event-stream"


def test_formats_option_writes_only_those(emulator: Emulator, tmp_path: Path) -> None:
    result = run(["export", SAMPLE_IDS[0], "-o", str(tmp_path), "--format", "vtt, SRT"], emulator.base_url)
    assert result.exit_code == 0
    assert [Path(name).suffix for name in outputs(tmp_path)] == [".srt", ".vtt"]


def test_bearer_token_is_accepted(emulator: Emulator, tmp_path: Path) -> None:
    result = run(["export", SAMPLE_IDS[0], "-o", str(tmp_path)], emulator.base_url, key=None, HEYGEN_BEARER_TOKEN=KEY)
    assert result.exit_code == 0, result.stderr
    assert emulator.requests[0].headers["Authorization"] == f"Bearer {KEY}"


def test_api_key_file(emulator: Emulator, tmp_path: Path) -> None:
    key_file = tmp_path / "key.txt"
    key_file.write_text(KEY + "\n")
    out = tmp_path / "out"
    result = run(["export", SAMPLE_IDS[0], "-o", str(out), "--api-key-file", str(key_file)], emulator.base_url, key=None)
    assert result.exit_code == 0, result.stderr


def test_verbose_reports_each_session_on_stderr_only(emulator: Emulator, tmp_path: Path) -> None:
    result = run(["export", SAMPLE_IDS[0], "-o", str(tmp_path), "-v"], emulator.base_url)
    assert result.stdout == ""
    assert f"stream '{SAMPLE_IDS[0]}': " in result.stderr and " cues" in result.stderr


# -- failures: message, exit code, nothing left behind, no key --------------

FAILURES = [
    ("nope", "Error: stream 'nope': no session with id 'nope' (404 not_found: Streaming session not found.)."
             " Check the id, and that the key belongs to the space that created the session."),
    ("failed", "Error: stream 'failed': HeyGen reports the session failed: avatar failed to load."),
    ("bad-frame", "Error: stream 'bad-frame': frame 2: words[1].start is -1, a negative time."),
    ("no-end", "Error: stream 'no-end': the words stream was cut 2 times without its 'end' event"
               " (the stream ended without its 'end' event); 2 words arrived, so nothing was written."
               " Run the export again later, or raise --retries."),
]


@pytest.mark.parametrize(("stream_id", "message"), FAILURES, ids=[f[0] for f in FAILURES])
def test_failure_message_exit_code_and_no_file(stream_id: str, message: str, bad_emulator: Emulator, tmp_path: Path) -> None:
    result = run(["export", stream_id, "-o", str(tmp_path), "--retries", "1"], bad_emulator.base_url)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert [line for line in result.stderr.splitlines() if line.startswith("Error:")] == [message]
    assert result.stderr.splitlines()[-1] == "1 of 1 failed."
    assert outputs(tmp_path) == []
    assert_no_key(result, tmp_path)


def test_wrong_key_is_rejected_with_how_to_fix_it(emulator: Emulator, tmp_path: Path) -> None:
    result = run(["export", SAMPLE_IDS[0], "-o", str(tmp_path)], emulator.base_url, key="wrong-key-123")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: stream '{SAMPLE_IDS[0]}': HeyGen rejected the API key (401 authentication_failed:"
        " Invalid or expired API key. Verify your x-api-key header.). Set HEYGEN_API_KEY"
    )
    assert "wrong-key-123" not in result.stderr
    assert outputs(tmp_path) == []


def test_a_failure_does_not_stop_the_batch(bad_emulator: Emulator, tmp_path: Path) -> None:
    result = run(["export", "bad-frame", "markup", "no-end", "-o", str(tmp_path), "--retries", "0"], bad_emulator.base_url)
    assert result.exit_code == 1
    assert outputs(tmp_path) == ["markup.json", "markup.srt", "markup.vtt"]
    assert result.stderr.count("Error: ") == 2
    assert result.stderr.splitlines()[-1] == "2 of 3 failed."


def test_words_that_look_like_markup_are_shown_as_spoken(bad_emulator: Emulator, tmp_path: Path) -> None:
    assert run(["export", "markup", "-o", str(tmp_path)], bad_emulator.base_url).exit_code == 0
    expected = squeeze("Use <b> & --> {\\an8} here.")
    assert shown_in_srt(tmp_path / "markup.srt") == expected
    assert shown_in_vtt(tmp_path / "markup.vtt") == expected
    assert "&lt;b&gt; &amp; --&gt;" in (tmp_path / "markup.vtt").read_text(encoding="utf-8")


def test_out_of_order_words_are_ordered_and_none_is_dropped(bad_emulator: Emulator, tmp_path: Path) -> None:
    # Two different frames both hold "b" at 1.0-1.5 s. Neither is a frame sent twice nor a replay,
    # so both stay: a word is never dropped for having another's text and times.
    assert run(["export", "reordered", "-o", str(tmp_path)], bad_emulator.base_url).exit_code == 0
    document = json.loads((tmp_path / "reordered.json").read_text(encoding="utf-8"))
    assert [t["word"] for t in document["tokens"]] == ["a", "b", "b", "c"]
    assert document["collection"] == {
        "frames": 2, "words_received": 4, "duplicates_removed": 0, "reordered": True, "connections": 1, "restarts": 0, "repairs": []
    }
    assert document["session"]["end_event"] == '{"n": 3}'


# -- usage and configuration: exit 2, before any network call ----------------


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--format", "srt,docx"], {}, "Error: Invalid value for '-f' / '--format': unknown output format 'docx'. Choose from srt, vtt, json, ttml, scc, ass, txt (comma-separated)."),
        ([], {"HEYGEN_API_KEY": None, "HEYGEN_BASE_URL": "https://api.heygen.com"}, "Error: no HeyGen credentials. Set HEYGEN_API_KEY"),
        ([], {"HEYGEN_BASE_URL": "http://example.com"}, "Error: the base URL 'http://example.com' is plain http"),
        ([], {"HEYGEN_BASE_URL": "ftp://x"}, "Error: the base URL 'ftp://x' is not an http(s) URL with a host"),
        ([], {"HEYGEN_API_KEY": "two words"}, "Error: the API key contains spaces or characters"),
    ],
)
def test_usage_errors_exit_2_before_any_request(
    args: list[str], env: dict[str, str | None], message: str, emulator: Emulator, tmp_path: Path
) -> None:
    settings = {"key": env.pop("HEYGEN_API_KEY", KEY)}
    base = env.pop("HEYGEN_BASE_URL", emulator.base_url)
    result = run(["export", SAMPLE_IDS[0], "-o", str(tmp_path / "out"), *args], base, key=settings["key"])
    assert result.exit_code == 2
    usage, hint, blank, error = result.stderr.splitlines()
    assert usage.startswith("Usage: ") and "--help" in hint and blank == ""
    assert error.startswith(message)
    assert emulator.requests == []
    assert "two words" not in result.stderr


def test_unreachable_server_names_the_stream(tmp_path: Path) -> None:
    result = run(["export", "abc", "-o", str(tmp_path), "--retries", "1"], "http://127.0.0.1:9")
    assert result.exit_code == 1
    assert "Error: stream 'abc': could not reach 127.0.0.1:9 (Connection refused) (gave up after 2 attempts)." in result.stderr


def test_unsafe_ids_stay_inside_the_output_folder(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    body = (SAMPLES / f"{SAMPLE_IDS[0]}.sse").read_bytes()
    from transcribe_export.write.files import safe_name

    ids = ["../escape", "a/b", "..", "/etc/x", "CON", "Upper"]
    for stream_id in ids:
        (sessions / f"{safe_name(stream_id)}.sse").write_bytes(body)
    out = tmp_path / "out"
    with Emulator(sessions) as emu:
        result = run(["export", *ids, "-o", str(out)], emu.base_url, key=None)
    assert result.exit_code == 0, result.stderr
    written = outputs(out)
    assert len(written) == 3 * len(ids)  # six ids, three files each, none shared
    assert outputs(tmp_path) == ["out", "sessions"]  # nothing escaped
    assert all("~" in name for name in written)


def test_end_reason_is_recorded(emulator: Emulator, tmp_path: Path) -> None:
    assert run(["export", "support-answer", "-o", str(tmp_path)], emulator.base_url).exit_code == 0
    document = json.loads((tmp_path / "support-answer.json").read_text(encoding="utf-8"))
    assert document["session"] == {
        "status": "completed",
        "end_reason": "final_marker",
        "end_event": '{"stream_id": "support-answer", "reason": "final_marker"}',
    }


def test_other_4xx_are_never_retried(emulator: Emulator, tmp_path: Path) -> None:
    run(["export", "nope", "-o", str(tmp_path)], emulator.base_url)
    run(["export", SAMPLE_IDS[0], "-o", str(tmp_path)], emulator.base_url, key="wrong")
    assert len(emulator.requests) == 2  # one 404, one 401: no second attempt at either


def test_an_unwritable_folder_is_a_clear_error_not_a_traceback(emulator: Emulator, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "out").mkdir()
    import transcribe_export as tx
    from transcribe_export.models import Transcript
    from transcribe_export.run.pipeline import write_transcript

    blocker = locked / "out" / "file"
    blocker.write_text("x")  # a file where the output folder should be
    with pytest.raises(tx.OutputError) as caught:
        write_transcript(Transcript("s", "completed", None, None, (), (), {}), blocker / "sub", ["srt"])
    assert str(caught.value).startswith(f"stream 's': cannot write its files in {str(blocker / 'sub')!r}")
