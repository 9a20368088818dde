"""Runs that can be left alone: secrets never shown, terminals never driven by a server, a refused key
stops the batch once. End to end over loopback against the emulator's hostile scenarios."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import KEY, SAMPLES, outputs
from transcribe_export.cli import main
from transcribe_export.emulate.server import Emulator

WRONG = "wrong-key-7Gq2"


@pytest.fixture
def emu() -> Emulator:
    with Emulator(SAMPLES, api_key=KEY) as emulator:
        yield emulator


def export(base_url: str, key: str, *args: str) -> Result:
    env = {"HEYGEN_API_KEY": key, "HEYGEN_BASE_URL": base_url, "HEYGEN_BEARER_TOKEN": None}
    return CliRunner().invoke(main, ["export", *args], env=env, catch_exceptions=False)


def everything_written(folder: Path) -> str:
    """Every file in the folder (the state database included), as text."""
    return "".join(path.read_bytes().decode("utf-8", "replace") for path in folder.rglob("*") if path.is_file())


def assert_terminal_safe(stderr: str) -> None:
    assert "\x1b" not in stderr and "\x07" not in stderr  # no escape sequence reaches the terminal
    assert not any(line.startswith("Error: stream 'forged'") for line in stderr.splitlines())  # no forged line


@pytest.mark.parametrize(
    "base_url",
    ["http://user:hunter2@127.0.0.1:1", "https://api.heygen.com/?token=hunter2", "https://hunter2@api.heygen.com"],
)
def test_credentials_in_the_base_url_are_refused_without_being_shown(base_url: str, tmp_path: Path) -> None:
    result = export(base_url, KEY, "x", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: the base URL holds a user name, password, query or fragment, which is not used and not shown."
        " Give only the scheme, host, port and path; put credentials in HEYGEN_API_KEY."
    )
    assert "hunter2" not in result.stderr + result.stdout


def test_a_server_that_echoes_a_refused_key_gets_it_shown_nowhere(emu: Emulator, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = export(emu.base_url, WRONG, "echo--product-demo", "-o", str(tmp_path / "out"), "--report", str(report))
    assert result.exit_code == 1
    assert WRONG not in result.stderr + result.stdout
    assert WRONG not in everything_written(tmp_path)
    assert "Invalid API key \\x1b]0;owned\\x07\\x1b[2K[redacted]\\nError: stream 'forged'" in result.stderr
    assert_terminal_safe(result.stderr)


def test_a_server_that_echoes_the_key_in_words_and_status_gets_it_written_nowhere(emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = export(emu.base_url, KEY, "echo--es-bienvenida", "echo-error--product-demo", "-o", str(out), "--report",
                    str(tmp_path / "report.json"), "-v")
    assert result.exit_code == 1
    assert KEY not in result.stderr + result.stdout
    assert KEY not in everything_written(tmp_path)
    assert_terminal_safe(result.stderr)
    # The words are kept, the key among them redacted; the failed session's message says why, safely.
    tokens = json.loads((out / "echo--es-bienvenida.json").read_text(encoding="utf-8"))["tokens"]
    assert tokens[0]["word"] == "[redacted]"
    assert "avatar failed for key \\x1b]0;owned\\x07\\x1b[2K[redacted]\\nError:" in result.stderr
    with sqlite3.connect(out / ".transcribe-export.sqlite") as db:
        assert KEY not in json.dumps(db.execute("SELECT * FROM sessions").fetchall())


def test_ids_with_control_characters_are_shown_escaped(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu.base_url, KEY, "evil\x1b]0;owned\x07\nError: forged", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert_terminal_safe(result.stderr)
    assert "Error: stream 'evil\\x1b]0;owned\\x07\\nError: forged': it holds control characters;" in result.stderr
    assert emu.requests == []  # refused before asking


def test_a_refused_key_stops_the_batch_after_the_first_session(emu: Emulator, tmp_path: Path) -> None:
    ids = [f"id{n:02d}" for n in range(20)]
    report = tmp_path / "report.json"
    result = export(emu.base_url, WRONG, *ids, "-o", str(tmp_path / "out"), "--jobs", "4", "--report", str(report))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1
    assert errors[0].endswith("Nothing else was started: the key is the same for every session.")
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    assert summary["failed"] == 1 and summary["not-started"] == 19
    assert result.stderr.splitlines()[-1] == "1 of 20 failed; 19 not started."
    assert len(emu.requests) <= 4  # at most the requests already under way when the first 401 came back


def test_json_logs_carry_the_error_lines_too(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu.base_url, KEY, "missing-id", "es-bienvenida", "-o", str(tmp_path), "--log-format", "json")
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(r["level"], r["message"].split(":")[0]) for r in records] == [("ERROR", "stream 'missing-id'"), ("ERROR", "1 of 2 failed.")]
    assert outputs(tmp_path) == ["es-bienvenida.json", "es-bienvenida.srt", "es-bienvenida.vtt"]


# -- the folder is ours, and only ours ---------------------------------------------


@pytest.mark.parametrize("name", [".transcribe-export.lock", ".transcribe-export.sqlite", ".transcribe-export.sqlite-journal"])
def test_a_planted_symlink_is_moved_aside_and_its_target_never_touched(name: str, emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", encoding="utf-8")
    (out / name).symlink_to(target)
    result = export(emu.base_url, KEY, "es-bienvenida", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert f"{name} is a symbolic link, which is never followed: moved it aside as {name}." in result.stderr
    assert not (out / name).is_symlink()
    assert outputs(out) == ["es-bienvenida.json", "es-bienvenida.srt", "es-bienvenida.vtt"]
    (aside,) = [p for p in out.iterdir() if p.name.startswith(name + ".") and p.name.endswith(".aside")]
    assert aside.is_symlink() and aside.resolve() == target  # the link itself was moved, nothing else


def _real_database(emu: Emulator, folder: Path) -> bytes:
    assert export(emu.base_url, KEY, "ja-tutorial", "-o", str(folder)).exit_code == 0
    return (folder / ".transcribe-export.sqlite").read_bytes()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign"])
def test_a_broken_or_foreign_database_is_moved_aside_and_rebuilt(damage: str, emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "out"
    database = out / ".transcribe-export.sqlite"
    good = _real_database(emu, tmp_path / "first")
    out.mkdir()
    if damage == "garbage":
        database.write_bytes(b"\x89PNG not a database at all" * 100)
    elif damage == "truncated":
        database.write_bytes(good[: len(good) // 2])
    else:
        with sqlite3.connect(database) as db:
            db.execute("CREATE TABLE sessions (id TEXT, something_else INTEGER)")
    result = export(emu.base_url, KEY, "es-bienvenida", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "is not a state database this version can use" in result.stderr
    assert len([p for p in out.iterdir() if p.name.startswith(".transcribe-export.sqlite.") and p.name.endswith(".aside")]) == 1
    again = export(emu.base_url, KEY, "es-bienvenida", "-o", str(out), "-v")  # the rebuilt one works
    assert "stream 'es-bienvenida': up-to-date" in again.stderr


def test_a_database_from_the_earlier_version_is_kept_and_extended(emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with sqlite3.connect(out / ".transcribe-export.sqlite") as db:
        db.execute("CREATE TABLE sessions (stream_id TEXT PRIMARY KEY, outcome TEXT NOT NULL, attempts INTEGER NOT NULL,"
                   " last_error TEXT, permanent INTEGER NOT NULL, files TEXT NOT NULL, words_sha256 TEXT, updated REAL NOT NULL)")
        db.execute("INSERT INTO sessions VALUES ('nope', 'failed', 1, 'gone', 1, '[]', NULL, 0)")
    result = export(emu.base_url, KEY, "nope", "-o", str(out))
    assert result.exit_code == 1 and "(a permanent failure: --retry-failed tries it again)" in result.stderr
    assert emu.requests == []  # the old record was read: no request made
    assert not [p for p in out.iterdir() if p.name.endswith(".aside")]


@pytest.fixture
def mounted(tmp_path: Path) -> Path:
    """A folder to mount a tiny filesystem on; skips where mounting is not allowed (not root, no tmpfs)."""
    import subprocess

    folder = tmp_path / "mnt"
    folder.mkdir()
    yield folder
    subprocess.run(["umount", str(folder)], capture_output=True)


def _mount(folder: Path, options: str) -> None:
    import subprocess

    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


def test_a_read_only_folder_gives_one_clear_line(mounted: Path, emu: Emulator) -> None:
    _mount(mounted, "ro,size=64k")
    result = export(emu.base_url, KEY, "es-bienvenida", "-o", str(mounted))
    assert result.exit_code == 73
    assert result.stderr == (
        f"Error: the output folder {str(mounted)!r} can't be used (Read-only file system); nothing was exported."
        " Check that it exists, is writable and has free space.\n"
    )
    assert emu.requests == []


def test_a_full_disk_gives_clear_lines_and_no_partial_file(mounted: Path, emu: Emulator) -> None:
    _mount(mounted, "size=256k")
    out = mounted / "out"
    out.mkdir()
    (mounted / "filler").write_bytes(b"x" * (256 * 1024 - 48 * 1024))  # leave room for the lock and the database
    result = export(emu.base_url, KEY, "product-demo", "support-answer", "-o", str(out))
    assert result.exit_code in (1, 73), result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert errors and all("No space left on device" in line or "disk is full" in line for line in errors), errors
    if result.exit_code == 73:  # the state database could not take the record: said, and the run stopped
        assert errors[-1].endswith("the files already written are whole, and the next run redoes what is not on record."
                                   " Check that it is writable and has free space.")
    for name in outputs(out):  # whatever was written is whole: a JSON file parses, nothing is left half-written
        assert not name.endswith(".tmp")
        if name.endswith(".json"):
            json.loads((out / name).read_text(encoding="utf-8"))


def test_a_report_into_a_missing_folder_fails_before_any_request(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu.base_url, KEY, "es-bienvenida", "-o", str(tmp_path), "--report", str(tmp_path / "no" / "r.json"))
    assert result.exit_code == 73
    assert "Error: the report" in result.stderr and "can't be written (its folder is missing or not writable)" in result.stderr
    assert emu.requests == []


# -- settings are part of the state ----------------------------------------------


@pytest.mark.parametrize("change", [["--preset", "vertical"], ["--fps", "25"], ["--word-timing"], ["-f", "srt,vtt"]])
def test_other_settings_recut_from_the_saved_transcript_without_the_network(change: list[str], emu: Emulator, tmp_path: Path) -> None:
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assert export(emu.base_url, KEY, "product-demo", "-o", str(out)).exit_code == 0
    before = len(emu.requests)
    again = export(emu.base_url, KEY, "product-demo", "-o", str(out), *change, "-v")
    assert again.exit_code == 0, again.stderr
    assert "stream 'product-demo': re-cut from product-demo.json (the settings changed; no network call)" in again.stderr
    assert len(emu.requests) == before
    # What the re-cut wrote is what a fresh export with those settings writes.
    assert export(emu.base_url, KEY, "product-demo", "-o", str(fresh), *change).exit_code == 0
    for suffix in ("srt", "vtt"):
        assert (out / f"product-demo.{suffix}").read_bytes() == (fresh / f"product-demo.{suffix}").read_bytes(), suffix
    third = export(emu.base_url, KEY, "product-demo", "-o", str(out), *change, "-v")
    assert "stream 'product-demo': up-to-date" in third.stderr  # the new settings are on record now


def test_a_config_file_change_recuts(emu: Emulator, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("max_chars_per_line: 30\n", encoding="utf-8")
    out = tmp_path / "out"
    assert export(emu.base_url, KEY, "support-answer", "-o", str(out), "--config", str(config)).exit_code == 0
    config.write_text("max_chars_per_line: 20\n", encoding="utf-8")
    again = export(emu.base_url, KEY, "support-answer", "-o", str(out), "--config", str(config), "-v")
    assert "re-cut from support-answer.json" in again.stderr
    lines = [line for line in (out / "support-answer.srt").read_text(encoding="utf-8").splitlines() if line and "-->" not in line
             and not line.isdigit()]
    breakable = [line.replace("\u2060", "") for line in lines if " " in line]  # a lone word may be longer than a line
    assert breakable and max(len(line) for line in breakable) <= 20


def test_a_base_url_that_is_not_heygens_api_is_a_configuration_error_and_not_recorded(emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = export(emu.base_url + "/v3", KEY, "product-demo", "es-bienvenida", "-o", str(out))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "answered 404 without HeyGen's error body" in errors[0]
    assert "--base-url does not look like HeyGen's API root" in errors[0]
    right = export(emu.base_url, KEY, "product-demo", "-o", str(out))  # set right, the next run asks the server again
    assert right.exit_code == 0 and "product-demo.srt" in outputs(out)


# -- every wait is bounded ------------------------------------------------------------


def test_a_server_that_drips_its_answer_is_cut_off_by_the_request_deadline(emu: Emulator, tmp_path: Path) -> None:
    # One byte every 0.2 s never trips a 1 s read timeout; only the request deadline ends it.
    result = export(emu.base_url, KEY, "drip--es-bienvenida", "es-bienvenida", "-o", str(tmp_path), "--read-timeout", "1",
                    "--request-timeout", "1.5", "--retries", "0")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert errors == [
        f"Error: stream 'drip--es-bienvenida': {emu.base_url[len('http://'):]} took more than the 1.5 s request deadline"
        " to answer (it sent its answer too slowly). Try again later; raise --request-timeout if the server is really that slow."
    ]
    assert outputs(tmp_path) == ["es-bienvenida.json", "es-bienvenida.srt", "es-bienvenida.vtt"]


def test_a_dripping_words_stream_is_cut_off_by_the_session_deadline(emu: Emulator, tmp_path: Path) -> None:
    result = export(emu.base_url, KEY, "drip-body--es-bienvenida", "-o", str(tmp_path), "--read-timeout", "1",
                    "--max-duration", "1.5")
    assert result.exit_code == 1
    assert "the words stream had no 'end' event after 1.5 s" in result.stderr
    assert outputs(tmp_path) == []


# -- inputs are decoded, not trusted ----------------------------------------------


def test_an_ids_file_with_a_byte_order_mark(emu: Emulator, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_bytes("\ufeffes-bienvenida\r\nja-tutorial\r\n".encode())
    result = export(emu.base_url, KEY, "--ids-file", str(ids), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (tmp_path / "out").glob("*.srt")] != [] and outputs(tmp_path / "out")[0] == "es-bienvenida.json"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("es-bienvenida\nja-tutorial\n".encode("utf-16"), "is UTF-16, not UTF-8. Save it as UTF-8 (one id a line)."),
        ("es-bienvenida\ncafé\n".encode("latin-1"), "is not UTF-8 (line 2 holds the byte 0xe9). Save it as UTF-8 (one id a line)."),
    ],
)
def test_an_ids_file_that_is_not_utf8_is_refused_naming_the_line(content: bytes, message: str, emu: Emulator, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_bytes(content)
    result = export(emu.base_url, KEY, "--ids-file", str(ids), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: the ids file {str(ids)!r} {message}"
    assert emu.requests == []


def test_an_id_that_is_not_utf8_fails_alone(emu: Emulator, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "HEYGEN_API_KEY": KEY, "HEYGEN_BASE_URL": emu.base_url}
    done = subprocess.run([sys.executable, "-m", "transcribe_export", "export", b"bad\xffid", "es-bienvenida", "-o", str(tmp_path)],
                          env=env, capture_output=True)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        "Error: stream 'bad\\udcffid': it is not valid UTF-8; nothing was written.", "1 of 2 failed."
    ]
    assert outputs(tmp_path) == ["es-bienvenida.json", "es-bienvenida.srt", "es-bienvenida.vtt"]
    assert [r.stream_id for r in emu.requests] == ["es-bienvenida", "es-bienvenida"]


def test_two_ids_never_share_a_file_across_runs(emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served = tmp_path / "served"
    served.mkdir()
    for name in ("y", "x-y"):
        (served / f"{name}.sse").write_bytes((SAMPLES / "es-bienvenida.sse").read_bytes())
    with Emulator(served) as own:
        first = export(own.base_url, KEY, "y", "-o", str(tmp_path / "out"), "--name-template", "x-{stream_id}")
        assert first.exit_code == 0 and "x-y.srt" in outputs(tmp_path / "out")
        before = (tmp_path / "out" / "x-y.srt").read_bytes()
        second = export(own.base_url, KEY, "x-y", "-o", str(tmp_path / "out"))
    assert second.exit_code == 1
    assert "Error: stream 'x-y': its file x-y.srt would replace that of stream 'y'; nothing was written." in second.stderr
    assert (tmp_path / "out" / "x-y.srt").read_bytes() == before


def test_the_request_deadline_cuts_our_connections_and_leaves_a_callers_session_alone(tmp_path: Path) -> None:
    import requests

    import transcribe_export as tx
    from transcribe_export.emulate.scenarios import load_scenario_file

    scenario_file = tmp_path / "scenarios.yaml"
    scenario_file.write_text("sessions:\n  slow:\n    session: es-bienvenida\n    drip_s: 0.01\n", encoding="utf-8")
    with Emulator(SAMPLES, scenarios=load_scenario_file(scenario_file)) as emu:
        ours = tx.HeyGenClient(base_url=emu.base_url, request_timeout=0.3, retry=tx.RetryPolicy(retries=0))
        with pytest.raises(tx.NetworkError, match="took more than the 0.3 s request deadline"):
            ours.get_session("slow")
        # A caller's own session: its pool is not ours to cut, so the slow answer is read in full.
        theirs = tx.HeyGenClient(base_url=emu.base_url, request_timeout=0.3, session=requests.Session(),
                                 retry=tx.RetryPolicy(retries=0))
        assert theirs.get_session("slow").status == "completed"


@pytest.mark.parametrize(("stream_id", "extra"), [("drop--product-demo", []), ("bad-negative--product-demo", ["--lenient"])])
def test_a_recut_keeps_how_the_words_were_collected(stream_id: str, extra: list[str], emu: Emulator, tmp_path: Path) -> None:
    from transcribe_export.write.files import safe_name

    out = tmp_path / "out"
    assert export(emu.base_url, KEY, stream_id, "-o", str(out), *extra).exit_code == 0
    path = out / f"{safe_name(stream_id)}.json"
    before = json.loads(path.read_text(encoding="utf-8"))
    assert before["collection"]["connections"] == 2 or before["collection"]["repairs"]  # something worth keeping
    again = export(emu.base_url, KEY, stream_id, "-o", str(out), "--preset", "vertical", *extra, "-v")
    assert "re-cut from" in again.stderr
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["segmentation"]["name"] == "vertical"
    assert (after["collection"], after["session"], after["tokens"]) == (before["collection"], before["session"], before["tokens"])
